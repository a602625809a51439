/**
 * The confirm step's tickets on every store backend (the real Redis must be reachable: these
 * tests fail, never skip, without it): single use under races, expiry, the sweep's view, and
 * nothing usable at rest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectTickets, TICKET_TTL_MS } from '../../src/connect/connect-tickets.js';
import { createStore, type Store } from '../../src/store/index.js';
import type { Connection } from '../../src/tokens/connection.js';
import { memoryFixture, redisFixture, requireReachable, sqliteFixture, uniqueNamespace, type BackendFixture } from '../store/backends.js';

const KEY = { key: randomBytes(32), keyId: 'k1' };

function pending(tenantId: string): Connection {
  return {
    tenantId,
    connectionName: 'default',
    status: 'ACTIVE',
    dc: 'us',
    accountsServer: 'https://accounts.zoho.com',
    apiDomain: 'https://www.zohoapis.com',
    accessToken: `1000.${randomBytes(16).toString('hex')}.at`,
    refreshToken: `1000.${randomBytes(16).toString('hex')}.rt`,
    expiresAt: Date.now() + 3_600_000,
    scopes: ['ZohoCRM.modules.ALL'],
    zohoUserId: '1',
    email: 'a@b.example',
    displayName: 'A',
    firstName: null,
    lastName: null,
    zohoOrgId: '2',
    orgName: 'B',
    connectedAt: 0,
    updatedAt: 0,
    refreshFailures: 0,
    refreshNotBefore: 0,
  };
}

async function reason(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => 'resolved',
    (e: { extensions?: { code?: string; reason?: string } }) => `${e.extensions?.code}:${e.extensions?.reason}`,
  );
}

describe.each([memoryFixture(), sqliteFixture(), redisFixture()])('connect tickets on $name', (fixture: BackendFixture) => {
  const namespace = uniqueNamespace(`tickets_${fixture.name}`);
  let store: Store;
  let clock = Date.now();
  let tickets: ConnectTickets;

  beforeAll(async () => {
    store = createStore(fixture.url, { namespace });
    await requireReachable(store, fixture.url);
    tickets = new ConnectTickets(store, KEY, [], () => clock);
  });
  afterAll(async () => {
    await store?.close();
    await fixture.cleanup(namespace);
  });

  it('redeems once: of three racing redeems exactly one gets the connection, the others are used_ticket', async () => {
    const connection = pending('acme');
    const { ticket, expiresAt } = await tickets.park(connection, 'alice');
    expect(ticket).toMatch(/^zct_[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(clock + TICKET_TTL_MS);
    const results = await Promise.allSettled([tickets.redeem(ticket), tickets.redeem(ticket), tickets.redeem(ticket)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect((won[0] as PromiseFulfilledResult<Awaited<ReturnType<ConnectTickets['redeem']>>>).value).toEqual({ parked: { connection, subject: 'alice', expiresAt }, expired: false });
    expect(await reason(tickets.redeem(ticket))).toBe('BAD_USER_INPUT:used_ticket');
  });

  it('keeps neither the ticket nor the tokens readable at rest', async () => {
    const connection = pending('acme');
    const { ticket } = await tickets.park(connection, 'alice');
    const redis = store.redis ? await store.redis.client() : undefined;
    if (redis) {
      let raw = '';
      for await (const keys of redis.scanIterator({ MATCH: `${store.prefix}*`, COUNT: 100 })) for (const k of keys) raw += `${k}=${(await redis.get(k)) ?? ''}\n`;
      expect(raw).toContain('connect-ticket:');
      for (const secret of [ticket, ticket.slice(4), connection.accessToken, connection.refreshToken]) expect(raw).not.toContain(secret);
    }
    await tickets.redeem(ticket);
  });

  it('an expired ticket redeems as expired (for revocation) and then reads expired_ticket', async () => {
    const { ticket } = await tickets.park(pending('acme'), 'alice');
    clock += TICKET_TTL_MS;
    try {
      const r = await tickets.redeem(ticket);
      expect(r.expired).toBe(true);
      expect(await reason(tickets.redeem(ticket))).toBe('BAD_USER_INPUT:expired_ticket');
    } finally {
      clock = Date.now();
    }
  });

  it('the sweep takes expired tickets only, once', async () => {
    const fresh = await tickets.park(pending('fresh'), 'alice');
    clock -= TICKET_TTL_MS;
    const old = await tickets.park(pending('old'), 'bob');
    clock = Date.now();
    const taken = await tickets.takeExpired();
    expect(taken.map((p) => p.connection.tenantId)).toEqual(['old']);
    expect(await tickets.takeExpired()).toEqual([]);
    expect(await reason(tickets.redeem(old.ticket))).toBe('BAD_USER_INPUT:expired_ticket');
    expect((await tickets.redeem(fresh.ticket)).expired).toBe(false);
  });

  it('an entry edited by a store writer (another user, tenant, expiry, accounts server or account) is refused STORE_TAMPERED', async () => {
    const edits: Array<(e: { subject: string; expiresAt: number; connection: Record<string, unknown> }) => void> = [
      (e) => (e.subject = 'mallory'),
      (e) => (e.expiresAt += 3_600_000),
      (e) => (e.connection.tenantId = 'evil'),
      (e) => (e.connection.accountsServer = 'http://127.0.0.1:9'),
      (e) => (e.connection.email = 'ceo@victim.example'),
      (e) => (e.connection.zohoOrgId = '999'),
    ];
    for (const edit of edits) {
      const { ticket } = await tickets.park(pending('acme'), 'alice');
      const key = `connect-ticket:${createHash('sha256').update(ticket).digest('base64url')}`;
      const entry = (await store.get<{ subject: string; expiresAt: number; connection: Record<string, unknown> }>(key))!;
      edit(entry);
      await store.set(key, entry, 60_000);
      expect(await reason(tickets.redeem(ticket))).toBe('STORE_TAMPERED:SEALED_VALUE_MISMATCH');
    }
  });

  it('malformed and unknown tickets are invalid_ticket', async () => {
    for (const t of ['', 'zct_short', `zct_${'x'.repeat(43)}`, `Zct_${'x'.repeat(43)}`]) expect(await reason(tickets.redeem(t))).toBe('BAD_USER_INPUT:invalid_ticket');
  });
});
