/**
 * The in-process connection cache across two gateway instances on one real Redis: the hot path
 * reads no connection from the store, and a refresh, disconnect or RECONNECT_REQUIRED written by
 * one instance is what the other uses next (its copy dropped by the broadcast message).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createLogger } from '../../src/log.js';
import { DEFAULT_CLIENT } from '../../src/emulator/emulator.js';
import { ConnectionRepository } from '../../src/tokens/connection-repository.js';
import { TokenManager } from '../../src/tokens/token-manager.js';
import { createZohoOAuthClient } from '../../src/zoho/oauth.js';
import type { Store } from '../../src/store/index.js';
import { ConnectionStatusDocument, DisconnectDocument, OrganizationDocument } from '../gql/graphql.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { errorCodeOf } from '../helpers/errors.js';

const CONN_KEY = 'conn:acme:default';

/** Counts reads of the connection's key through the real store (one counter per instance). */
function countingReads(): { reads: number[]; observeStore: (store: Store) => Store } {
  const reads: number[] = [];
  return {
    reads,
    observeStore(store) {
      const i = reads.push(0) - 1;
      return new Proxy(store, {
        get(target, prop, receiver) {
          if (prop === 'get') {
            return (key: string) => {
              if (key === CONN_KEY) reads[i]!++;
              return target.get(key);
            };
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      });
    },
  };
}

/** Waits (bounded, never as an assertion of time) until `app` has heard `n` more connection messages. */
async function heard(app: App, before: number, n = 1): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (app.services.connections.cacheStats.messages >= before + n) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`instance never heard ${n} connection message(s)`);
}

describe('the connection cache across two instances on one Redis', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  // Without the cache each `organization` request reads the connection twice (requireConnection,
  // then the token for the Zoho call).
  it.each([
    { label: 'on (default)', env: {}, expected: 0 },
    { label: 'off (CONNECTION_CACHE_TTL=0)', env: { CONNECTION_CACHE_TTL: '0' }, expected: 40 },
  ])('hot path, cache $label: 20 requests after the first read the connection from the store $expected times', async ({ env, expected }) => {
    const counter = countingReads();
    h = await startHarness({ env, app: { observeStore: counter.observeStore } });
    await h.connect('acme');
    const client = await h.client('acme');
    await client.request(OrganizationDocument);
    const before = counter.reads[0]!;
    for (let i = 0; i < 20; i++) await client.request(OrganizationDocument);
    expect(counter.reads[0]! - before).toBe(expected);
  });

  it('concurrent first requests on an instance share one store read', async () => {
    const counter = countingReads();
    h = await startHarness({ instances: 2, app: { observeStore: counter.observeStore } });
    await h.connect('acme'); // on A; B has never read the connection
    const b = await h.client('acme', undefined, h.apps[1]);
    const before = counter.reads[1]!;
    await Promise.all(Array.from({ length: 20 }, () => b.request(OrganizationDocument)));
    expect(counter.reads[1]! - before).toBe(1);
  });

  it('a refresh on A is used by B at once: no failed request, no 401 at Zoho from B, one refresh in all', async () => {
    h = await startHarness({ instances: 2 });
    await h.connect('acme');
    const [a, b] = [await h.client('acme', undefined, h.apps[0]), await h.client('acme', undefined, h.apps[1])];
    await Promise.all([a.request(OrganizationDocument), b.request(OrganizationDocument)]); // both hold the token now
    const B = h.apps[1]!;
    const messages = B.services.connections.cacheStats.messages;

    h.us.expireAccessTokens(); // Zoho drops the token; both gateways still think it has an hour
    await a.request(OrganizationDocument); // A: 401, refresh, retry
    expect(h.us.refreshGrants()).toBe(1);
    await heard(B, messages);

    h.us.resetCalls();
    const results = await Promise.all(Array.from({ length: 10 }, () => b.request(OrganizationDocument)));
    expect(results.every((r) => r.organization.id === h!.us.ctx.data.org.id)).toBe(true);
    expect(h.us.count((c) => c.status === 401)).toBe(0); // without the message B's copy would draw one
    expect(h.us.count((c) => c.grantType === 'refresh_token')).toBe(0);
    expect(h.us.refreshGrants()).toBe(1);
  });

  it('a stale copy (its message lost) rejected by Zoho: the store is re-read, no second refresh, and the copy is renewed', async () => {
    h = await startHarness({ instances: 2 });
    await h.connect('acme');
    const B = h.apps[1]!;
    const b = await h.client('acme', undefined, B);
    await b.request(OrganizationDocument);
    const stale = (await B.services.connections.getCached('acme', 'default'))!.accessToken;

    // Another instance whose messages never arrive (no broadcast) refreshes behind B's back.
    const { config, dataCentres } = h.app.services;
    const silentRepo = new ConnectionRepository({ store: h.app.store, key: config.tokenEncryption, retiredKeys: config.tokenEncryption.retiredKeys, dataCentres });
    const silent = new TokenManager({ repo: silentRepo, store: h.app.store, oauth: createZohoOAuthClient(DEFAULT_CLIENT), log: createLogger({ level: 'silent' }), now: () => h!.clock.now });
    h.us.expireAccessTokens();
    expect((await silent.forceRefresh('acme', 'default', stale)).accessToken).not.toBe(stale);
    expect((await B.services.connections.getCached('acme', 'default'))!.accessToken).toBe(stale);

    h.us.resetCalls();
    const results = await Promise.all(Array.from({ length: 10 }, () => b.request(OrganizationDocument)));
    expect(results.every((r) => r.organization.id === h!.us.ctx.data.org.id)).toBe(true);
    expect(h.us.count((c) => c.grantType === 'refresh_token')).toBe(0); // B reused the silent refresh
    expect(h.us.count((c) => c.status === 401)).toBeLessThanOrEqual(10);
    expect(h.us.refreshGrants()).toBe(1);
    // forceRefresh's store read renewed B's copy: the next request draws no 401.
    h.us.resetCalls();
    await b.request(OrganizationDocument);
    expect(h.us.count((c) => c.status === 401)).toBe(0);
  });

  it('attack: a disconnect on A stops B at once: B answers ZOHO_NOT_CONNECTED and never calls Zoho with the old token', async () => {
    h = await startHarness({ instances: 2 });
    await h.connect('acme');
    const [a, b] = [await h.client('acme', undefined, h.apps[0]), await h.client('acme', undefined, h.apps[1])];
    const B = h.apps[1]!;
    await b.request(OrganizationDocument); // B holds a copy with a token valid for an hour
    expect((await b.request(ConnectionStatusDocument)).connection?.status).toBe('ACTIVE');
    const messages = B.services.connections.cacheStats.messages;

    expect((await a.request(DisconnectDocument)).disconnectZoho).toBe(true);
    await heard(B, messages);

    h.us.resetCalls();
    // First, before any Zoho answer could correct B: its copy must already be gone.
    expect((await b.request(ConnectionStatusDocument)).connection).toBeNull();
    expect(await errorCodeOf(b.request(OrganizationDocument))).toBe('ZOHO_NOT_CONNECTED');
    // Not one call with the old token (whether Zoho still honours it after the revoke is not ours to rely on).
    expect(h.us.count()).toBe(0);
  });

  it('RECONNECT_REQUIRED written by A is what B answers, without calling Zoho', async () => {
    h = await startHarness({ instances: 2 });
    await h.connect('acme');
    const [a, b] = [await h.client('acme', undefined, h.apps[0]), await h.client('acme', undefined, h.apps[1])];
    const B = h.apps[1]!;
    await b.request(OrganizationDocument);
    const conn = (await h.app.services.connections.get('acme', 'default'))!;
    const messages = B.services.connections.cacheStats.messages;

    h.us.accounts.revoke(conn.refreshToken); // the user removed the app in Zoho: the access token dies too
    expect(await errorCodeOf(a.request(OrganizationDocument))).toBe('ZOHO_RECONNECT_REQUIRED');
    await heard(B, messages);

    h.us.resetCalls();
    expect((await b.request(ConnectionStatusDocument)).connection?.status).toBe('RECONNECT_REQUIRED');
    expect(await errorCodeOf(b.request(OrganizationDocument))).toBe('ZOHO_RECONNECT_REQUIRED');
    expect(h.us.count()).toBe(0);
  });

  it('a reconnect on A is used by B: the new identity, not the replaced one', async () => {
    h = await startHarness({ instances: 2 });
    await h.connect('acme');
    const b = await h.client('acme', undefined, h.apps[1]);
    const B = h.apps[1]!;
    await b.request(OrganizationDocument);
    const old = (await B.services.connections.getCached('acme', 'default'))!;
    const messages = B.services.connections.cacheStats.messages;

    await h.connect('acme', { consentEmail: 'second@example.com' }); // on A
    await heard(B, messages);
    const now = (await B.services.connections.getCached('acme', 'default'))!;
    expect(now.refreshToken).not.toBe(old.refreshToken);
    h.us.resetCalls();
    await b.request(OrganizationDocument);
    expect(h.us.count((c) => c.status === 401)).toBe(0);
  });
});
