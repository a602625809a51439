import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError, type GatewayError } from '../../src/errors.js';
import { DEFAULT_CLIENT, startEmulator, type ZohoEmulator } from '../../src/emulator/emulator.js';
import { isSealed, type EncryptionKey, type Store } from '../../src/store/index.js';
import type { Connection } from '../../src/tokens/connection.js';
import { connectionKey, ConnectionRepository } from '../../src/tokens/connection-repository.js';
import { refreshLockKey } from '../../src/tokens/connection-repository.js';
import { TokenManager, type TokenManagerOptions } from '../../src/tokens/token-manager.js';
import { dataCentreTable } from '../../src/zoho/datacenters.js';
import { createZohoOAuthClient, type ZohoOAuthClient } from '../../src/zoho/oauth.js';
import { deadPort, expectNoSecrets } from '../zoho/helpers.js';
import { captureLogger, connectThroughEmulator, dropNamespace, openRedisStore, testKey, uniqueNamespace } from './helpers.js';

const TENANT = 'tenant-a';
const NAME = 'default';
const HOUR_MS = 3_600_000;
const TOKEN_ROUTE = 'POST /oauth/v2/token';

async function rejection(work: Promise<unknown>): Promise<GatewayError> {
  try {
    await work;
  } catch (err) {
    return err as GatewayError;
  }
  throw new Error('expected a rejection');
}

describe('TokenManager (emulator over HTTP, real Redis)', () => {
  /** Simulated time shared by the emulator and the managers (epoch ms). */
  let clock: number;
  let emu: ZohoEmulator;
  let oauth: ZohoOAuthClient;
  let namespace: string;
  let key: EncryptionKey;
  let stores: Store[];
  let logs: ReturnType<typeof captureLogger>;
  let connection: Connection;

  /** The data-centre table in force: the emulator's DC points at it. */
  const table = () => dataCentreTable({ [emu.dc]: { accounts: emu.url, api: emu.url } });

  /** One gateway instance: its own Store (own Redis connection), repository and manager. */
  async function instance(options: Partial<TokenManagerOptions> = {}, dataCentres = table()) {
    const store = await openRedisStore(namespace);
    stores.push(store);
    const repo = new ConnectionRepository({ store, key, dataCentres });
    const manager = new TokenManager({ repo, store, oauth, log: logs.log, now: () => clock, ...options });
    return { store, repo, manager };
  }

  beforeEach(async () => {
    clock = Date.now();
    emu = await startEmulator({ now: () => clock });
    oauth = createZohoOAuthClient({ clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret });
    namespace = uniqueNamespace('tokens');
    key = testKey();
    stores = [];
    logs = captureLogger();
    connection = await connectThroughEmulator(emu, oauth, { tenantId: TENANT, connectionName: NAME }, clock);
    const { repo } = await instance();
    await repo.put(connection);
    emu.resetCalls();
  });

  afterEach(async () => {
    // Nothing the emulator issued (codes, tokens) or the secret may appear in any log line.
    expectNoSecrets(emu, logs.lines.join(''));
    await dropNamespace(stores[0]!);
    for (const s of stores) await s.close();
    await emu.close();
  });

  it('refreshes a token inside the 120 s window, and never a fresh one', async () => {
    const { manager, repo } = await instance();
    const grants = emu.refreshGrants();

    // Fresh: served as stored, no Zoho call.
    clock += HOUR_MS - 121_000;
    expect((await manager.getAccessToken(TENANT, NAME)).accessToken).toBe(connection.accessToken);
    expect(emu.refreshGrants()).toBe(grants);
    expect(emu.count()).toBe(0);

    // 119 s left: inside the window, refreshed ahead of expiry at the connection's accounts server.
    clock += 2_000;
    const refreshed = await manager.getAccessToken(TENANT, NAME);
    expect(refreshed.accessToken).not.toBe(connection.accessToken);
    expect(refreshed.expiresAt).toBe(clock + HOUR_MS);
    expect(refreshed.refreshToken).toBe(connection.refreshToken);
    expect(emu.refreshGrants()).toBe(grants + 1);
    expect((await repo.get(TENANT, NAME))!.accessToken).toBe(refreshed.accessToken);

    // And the new one is fresh again.
    for (let i = 0; i < 5; i++) await manager.getAccessToken(TENANT, NAME);
    expect(emu.refreshGrants()).toBe(grants + 1);
    expect(manager.stats).toEqual({ refreshes: 1, refreshFailures: 0, lockWaits: 0 });
    // The refreshed token works at Zoho.
    await oauth.userInfo({ accountsServer: emu.url, accessToken: refreshed.accessToken });
  });

  it('fails with ZOHO_NOT_CONNECTED without a connection, BAD_USER_INPUT for malformed ids', async () => {
    const { manager } = await instance();
    expect((await rejection(manager.getAccessToken('nobody', NAME))).code).toBe('ZOHO_NOT_CONNECTED');
    expect((await rejection(manager.getAccessToken(TENANT, 'a:b'))).code).toBe('BAD_USER_INPUT');
    expect((await rejection(manager.forceRefresh('nobody', NAME, 'x'))).code).toBe('ZOHO_NOT_CONNECTED');
    expect(emu.count()).toBe(0);
  });

  it('200 concurrent calls on an expired token in one process make exactly 1 refresh', async () => {
    const { manager } = await instance();
    const grants = emu.refreshGrants();
    clock += HOUR_MS + 1_000;
    const results = await Promise.all(Array.from({ length: 200 }, () => manager.getAccessToken(TENANT, NAME)));
    expect(emu.refreshGrants() - grants).toBe(1);
    expect(emu.count(TOKEN_ROUTE)).toBe(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(results[0]!.accessToken).not.toBe(connection.accessToken);
    expect(manager.stats.refreshes).toBe(1);
  });

  it('two instances with their own Redis connections, 100 concurrent calls each: exactly 1 refresh in total', async () => {
    const a = await instance();
    const b = await instance();
    expect(a.store).not.toBe(b.store);
    const grants = emu.refreshGrants();
    clock += HOUR_MS + 1_000;
    const calls = [...Array.from({ length: 100 }, () => a.manager.getAccessToken(TENANT, NAME)), ...Array.from({ length: 100 }, () => b.manager.getAccessToken(TENANT, NAME))];
    const results = await Promise.all(calls);
    expect(emu.refreshGrants() - grants).toBe(1);
    expect(emu.count(TOKEN_ROUTE)).toBe(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(a.manager.stats.refreshes + b.manager.stats.refreshes).toBe(1);
    // Usually the loser finds the winner's lease and waits; if it comes late it re-reads the
    // refreshed connection instead. Either way it never refreshes.
    expect(a.manager.stats.lockWaits + b.manager.stats.lockWaits).toBeLessThanOrEqual(1);
    // The lease is gone afterwards.
    expect(await a.store.has(refreshLockKey(TENANT, NAME))).toBe(false);
  });

  it('re-reads the connection after taking the lease: a refresh that finished just before is not repeated', async () => {
    const a = await instance();
    const real = await openRedisStore(namespace);
    stores.push(real);
    // B's lease request is held until A has refreshed and released: B read the stale connection
    // before, so only the re-read under the lease can stop it from refreshing a second time.
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated: Store = {
      ...real,
      setIfAbsent: async (k, v, ttl) => {
        reached();
        await gate;
        return real.setIfAbsent(k, v, ttl);
      },
    };
    const b = new TokenManager({ repo: new ConnectionRepository({ store: gated, key, dataCentres: table() }), store: gated, oauth, log: logs.log, now: () => clock });
    const grants = emu.refreshGrants();
    clock += HOUR_MS + 1_000;
    const bResult = b.getAccessToken(TENANT, NAME);
    await atGate;
    const aResult = await a.manager.getAccessToken(TENANT, NAME);
    open();
    expect((await bResult).accessToken).toBe(aResult.accessToken);
    expect(emu.refreshGrants() - grants).toBe(1);
    expect(b.stats.refreshes).toBe(0);
  });

  it('forceRefresh from 50 concurrent callers with the same rejected token makes 1 refresh', async () => {
    const a = await instance();
    const b = await instance();
    const grants = emu.refreshGrants();
    const rejected = connection.accessToken;
    const results = await Promise.all([
      ...Array.from({ length: 25 }, () => a.manager.forceRefresh(TENANT, NAME, rejected)),
      ...Array.from({ length: 25 }, () => b.manager.forceRefresh(TENANT, NAME, rejected)),
    ]);
    expect(emu.refreshGrants() - grants).toBe(1);
    const tokens = new Set(results.map((r) => r.accessToken));
    expect(tokens.size).toBe(1);
    expect(tokens.has(rejected)).toBe(false);
    // A late 401 for the old token does not refresh again: someone already replaced it.
    const late = await a.manager.forceRefresh(TENANT, NAME, rejected);
    expect(late.accessToken).toBe(results[0]!.accessToken);
    expect(emu.refreshGrants() - grants).toBe(1);
    // A 401 for the current token refreshes once more, even though it is not near expiry.
    const again = await b.manager.forceRefresh(TENANT, NAME, late.accessToken);
    expect(again.accessToken).not.toBe(late.accessToken);
    expect(emu.refreshGrants() - grants).toBe(2);
  });

  it('a revoked refresh token marks the connection RECONNECT_REQUIRED; later calls fail fast with no Zoho call', async () => {
    const { manager, repo } = await instance();
    await oauth.revoke({ accountsServer: emu.url, token: connection.refreshToken });
    clock += HOUR_MS + 1_000;
    emu.resetCalls();

    const errors = await Promise.all(Array.from({ length: 30 }, () => rejection(manager.getAccessToken(TENANT, NAME))));
    for (const err of errors) expect(isGatewayError(err, 'ZOHO_RECONNECT_REQUIRED')).toBe(true);
    expect(emu.count(TOKEN_ROUTE)).toBe(1);
    const stored = (await repo.get(TENANT, NAME))!;
    expect(stored.status).toBe('RECONNECT_REQUIRED');

    emu.resetCalls();
    const other = await instance();
    for (let i = 0; i < 20; i++) {
      expect((await rejection(manager.getAccessToken(TENANT, NAME))).code).toBe('ZOHO_RECONNECT_REQUIRED');
      expect((await rejection(other.manager.forceRefresh(TENANT, NAME, stored.accessToken))).code).toBe('ZOHO_RECONNECT_REQUIRED');
    }
    expect(emu.count()).toBe(0);
    expect(manager.stats.refreshFailures).toBe(1);
  });

  it('a dead accounts server gives ZOHO_UNAVAILABLE, keeps the connection ACTIVE, and backs off', async () => {
    // The DC table itself names the dead server: a stored one that differs would be refused.
    const dead = `http://127.0.0.1:${await deadPort()}`;
    const { manager, repo } = await instance({}, dataCentreTable({ [emu.dc]: { accounts: dead, api: emu.url } }));
    await repo.put({ ...connection, accountsServer: dead });
    clock += HOUR_MS + 1_000;

    const err = await rejection(manager.getAccessToken(TENANT, NAME));
    expect(err.code).toBe('ZOHO_UNAVAILABLE');
    expect(err.details.retryAfterSec).toBeGreaterThanOrEqual(1);
    const stored = (await repo.get(TENANT, NAME))!;
    expect(stored.status).toBe('ACTIVE');
    expect(stored.refreshFailures).toBe(1);
    // Base 1 s with equal jitter: between 0.5 s and 1 s.
    expect(stored.refreshNotBefore - clock).toBeGreaterThanOrEqual(500);
    expect(stored.refreshNotBefore - clock).toBeLessThanOrEqual(1_000);

    // Within the back-off window: every call fails fast, no new attempt.
    for (let i = 0; i < 20; i++) expect((await rejection(manager.getAccessToken(TENANT, NAME))).code).toBe('ZOHO_UNAVAILABLE');
    expect(manager.stats.refreshFailures).toBe(1);

    // After it, one more attempt, which fails again and doubles the step.
    clock += 1_001;
    await rejection(manager.getAccessToken(TENANT, NAME));
    const twice = (await repo.get(TENANT, NAME))!;
    expect(manager.stats.refreshFailures).toBe(2);
    expect(twice.refreshFailures).toBe(2);
    expect(twice.refreshNotBefore - clock).toBeGreaterThanOrEqual(1_000);
    expect(twice.status).toBe('ACTIVE');
  });

  it('Zoho 5xx: 20 calls in the back-off window make 0 token-endpoint calls; afterwards it recovers', async () => {
    const { manager, repo } = await instance({ backoff: { baseDelayMs: 4_000 } });
    emu.faults.serverError({ match: TOKEN_ROUTE, status: 503, times: Infinity });
    clock += HOUR_MS + 1_000;

    expect((await rejection(manager.getAccessToken(TENANT, NAME))).code).toBe('ZOHO_UNAVAILABLE');
    expect(emu.count(TOKEN_ROUTE)).toBe(1);
    const results = await Promise.all(Array.from({ length: 20 }, () => rejection(manager.getAccessToken(TENANT, NAME))));
    for (const r of results) expect(r.code).toBe('ZOHO_UNAVAILABLE');
    expect(emu.count(TOKEN_ROUTE)).toBe(1);

    emu.faults.clear();
    clock += 4_001;
    const recovered = await manager.getAccessToken(TENANT, NAME);
    expect(recovered.accessToken).not.toBe(connection.accessToken);
    expect(emu.count(TOKEN_ROUTE)).toBe(2);
    const stored = (await repo.get(TENANT, NAME))!;
    expect(stored).toMatchObject({ refreshFailures: 0, refreshNotBefore: 0, status: 'ACTIVE' });
  });

  it('keeps serving a still-valid token while refreshes fail (inside the skew window)', async () => {
    const { manager } = await instance();
    emu.faults.serverError({ match: TOKEN_ROUTE, status: 500, times: Infinity });
    clock += HOUR_MS - 60_000; // 60 s left: due for refresh, still valid
    const served = await manager.getAccessToken(TENANT, NAME);
    expect(served.accessToken).toBe(connection.accessToken);
    expect(emu.count(TOKEN_ROUTE)).toBe(1);
    for (let i = 0; i < 20; i++) expect((await manager.getAccessToken(TENANT, NAME)).accessToken).toBe(connection.accessToken);
    expect(emu.count(TOKEN_ROUTE)).toBe(1);
    // A 401 for that token, though, is not answered with the same token.
    expect((await rejection(manager.forceRefresh(TENANT, NAME, connection.accessToken))).code).toBe('ZOHO_UNAVAILABLE');
    expect(emu.count(TOKEN_ROUTE)).toBe(1);
  });

  it('Zoho\'s throttle ("Access Denied") backs off for at least backoff.maxDelayMs without marking the connection', async () => {
    const { manager, repo } = await instance({ backoff: { maxDelayMs: 30_000 } });
    // Spend the refresh token's 10 mints for this 10-minute window.
    for (let i = 0; i < 10; i++) await oauth.refresh({ accountsServer: emu.url, refreshToken: connection.refreshToken });
    // The stored token has expired; the clock has not moved, so Zoho's window is still closed.
    await repo.put({ ...connection, expiresAt: clock - 1 });
    emu.resetCalls();
    const err = await rejection(manager.getAccessToken(TENANT, NAME));
    expect(err.code).toBe('ZOHO_UNAVAILABLE');
    expect(err.details.retryAfterSec).toBe(30);
    const stored = (await repo.get(TENANT, NAME))!;
    expect(stored.status).toBe('ACTIVE');
    expect(stored.refreshNotBefore - clock).toBe(30_000);
    for (let i = 0; i < 10; i++) await rejection(manager.getAccessToken(TENANT, NAME));
    expect(emu.count(TOKEN_ROUTE)).toBe(1);
  });

  it('under load over 12 simulated hours, each expiry costs exactly 1 refresh', async () => {
    const a = await instance();
    const b = await instance();
    const grants = emu.refreshGrants();
    const perExpiry: number[] = [];
    for (let cycle = 0; cycle < 12; cycle++) {
      const before = emu.refreshGrants();
      // Mid-life: fresh, no refresh.
      clock += HOUR_MS / 2;
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).manager.getAccessToken(TENANT, NAME)));
      // Into the refresh window, with callers of both instances and a few 401s mixed in.
      clock += HOUR_MS / 2 - 90_000;
      const current = (await a.repo.get(TENANT, NAME))!.accessToken;
      const results = await Promise.all(Array.from({ length: 120 }, (_, i) => (i % 10 === 0 ? b.manager.forceRefresh(TENANT, NAME, current) : (i % 2 ? a : b).manager.getAccessToken(TENANT, NAME))));
      expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
      perExpiry.push(emu.refreshGrants() - before);
      clock += 90_000;
    }
    expect(perExpiry).toEqual(Array(12).fill(1));
    expect(emu.refreshGrants() - grants).toBe(12);
    expect(a.manager.stats.refreshes + b.manager.stats.refreshes).toBe(12);
  });

  it('stores neither token in clear: the raw Redis value holds sealed strings only', async () => {
    const { manager, store } = await instance();
    clock += HOUR_MS;
    const refreshed = await manager.getAccessToken(TENANT, NAME);
    const raw = await (await store.redis!.client()).get(store.keyFor(connectionKey(TENANT, NAME)));
    expect(raw).toBeTypeOf('string');
    for (const secret of [connection.accessToken, connection.refreshToken, refreshed.accessToken]) expect(raw).not.toContain(secret);
    const value = (JSON.parse(raw!) as { value: Record<string, unknown> }).value;
    expect(isSealed(value.accessToken)).toBe(true);
    expect(isSealed(value.refreshToken)).toBe(true);
  });

  it('a lease left by a crashed owner expires after lockTtlMs and a later caller proceeds', async () => {
    const { manager, store } = await instance({ lockTtlMs: 400, lockWaitMs: 5_000 });
    // A "crashed" process took the lease and never released it.
    expect(await store.setIfAbsent(refreshLockKey(TENANT, NAME), 'crashed-owner', 400)).toBe(true);
    clock += HOUR_MS + 1_000;
    const started = performance.now();
    const result = await manager.getAccessToken(TENANT, NAME);
    const waitedMs = performance.now() - started;
    expect(result.accessToken).not.toBe(connection.accessToken);
    expect(waitedMs).toBeGreaterThanOrEqual(250);
    expect(waitedMs).toBeLessThan(3_000);
    expect(manager.stats).toMatchObject({ refreshes: 1, lockWaits: 1 });
    expect(emu.count(TOKEN_ROUTE)).toBe(1);
  });

  it('gives up after lockWaitMs with ZOHO_UNAVAILABLE when the lease holder never finishes', async () => {
    const { manager, store } = await instance({ lockWaitMs: 200 });
    expect(await store.setIfAbsent(refreshLockKey(TENANT, NAME), 'stuck-owner', 10_000)).toBe(true);
    clock += HOUR_MS + 1_000;
    const err = await rejection(manager.getAccessToken(TENANT, NAME));
    expect(err.code).toBe('ZOHO_UNAVAILABLE');
    expect(emu.count()).toBe(0);
    // Our give-up did not release someone else's lease.
    expect(await store.has(refreshLockKey(TENANT, NAME))).toBe(true);
  });
});
