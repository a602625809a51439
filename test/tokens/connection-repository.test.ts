import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { createStore, isSealed, type Store } from '../../src/store/index.js';
import type { Connection } from '../../src/tokens/connection.js';
import { connectionKey, ConnectionRepository } from '../../src/tokens/connection-repository.js';
import { dropNamespace, openRedisStore, testKey, uniqueNamespace } from './helpers.js';

function sample(overrides: Partial<Connection> = {}): Connection {
  const now = Date.now();
  return {
    tenantId: 'tenant-1',
    connectionName: 'default',
    status: 'ACTIVE',
    dc: 'eu',
    accountsServer: 'https://accounts.zoho.eu',
    apiDomain: 'https://www.zohoapis.eu',
    accessToken: '1000.access-token-plaintext-aaaa',
    refreshToken: '1000.refresh-token-plaintext-bbbb',
    expiresAt: now + 3_600_000,
    scopes: ['ZohoCRM.modules.ALL'],
    zohoUserId: '123',
    email: 'a@example.com',
    displayName: 'A B',
    firstName: 'A',
    lastName: null,
    zohoOrgId: '456',
    orgName: 'Org',
    connectedAt: now,
    updatedAt: now,
    refreshFailures: 0,
    refreshNotBefore: 0,
    ...overrides,
  };
}

describe('ConnectionRepository (real Redis)', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openRedisStore(uniqueNamespace('connrepo'));
  });
  afterEach(async () => {
    await dropNamespace(store);
    await store.close();
  });

  it('round-trips a connection with both tokens sealed at rest', async () => {
    const repo = new ConnectionRepository(store, testKey());
    const conn = sample();
    await repo.put(conn);
    expect(await repo.get('tenant-1', 'default')).toEqual(conn);

    const raw = await (await store.redis!.client()).get(store.keyFor('conn:tenant-1:default'));
    expect(raw).toBeTypeOf('string');
    expect(raw).not.toContain(conn.accessToken);
    expect(raw).not.toContain(conn.refreshToken);
    const stored = (JSON.parse(raw!) as { value: Record<string, unknown> }).value;
    expect(isSealed(stored.accessToken)).toBe(true);
    expect(isSealed(stored.refreshToken)).toBe(true);
    // Everything else stays readable without the key.
    expect(stored.expiresAt).toBe(conn.expiresAt);
    expect(stored.status).toBe('ACTIVE');

    expect(await repo.delete('tenant-1', 'default')).toBe(true);
    expect(await repo.get('tenant-1', 'default')).toBeUndefined();
    expect(await repo.delete('tenant-1', 'default')).toBe(false);
  });

  it('keeps tenants and connection names apart', async () => {
    const repo = new ConnectionRepository(store, testKey());
    await repo.put(sample({ tenantId: 't1', connectionName: 'a', email: 'one@x' }));
    await repo.put(sample({ tenantId: 't1', connectionName: 'b', email: 'two@x' }));
    await repo.put(sample({ tenantId: 't2', connectionName: 'a', email: 'three@x' }));
    expect((await repo.get('t1', 'a'))!.email).toBe('one@x');
    expect((await repo.get('t1', 'b'))!.email).toBe('two@x');
    expect((await repo.get('t2', 'a'))!.email).toBe('three@x');
  });

  it('refuses malformed ids with BAD_USER_INPUT before touching the store', async () => {
    const repo = new ConnectionRepository(store, testKey());
    for (const [t, c] of [
      ['', 'default'],
      ['a:b', 'default'],
      ['tenant', 'x'.repeat(65)],
      ['tenant', 'with space'],
      ['tenant*', 'default'],
    ] as const) {
      const err = await repo.get(t, c).catch((e: unknown) => e);
      expect(isGatewayError(err, 'BAD_USER_INPUT'), `${t}/${c}`).toBe(true);
    }
    await expect(repo.put(sample({ tenantId: 'bad/tenant' }))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(connectionKey('T.1_x-y', 'c')).toBe('conn:T.1_x-y:c');
  });

  it('opens values sealed under a retired key, and refuses a foreign key', async () => {
    const old = testKey('old');
    await new ConnectionRepository(store, old).put(sample());
    const rotated = new ConnectionRepository(store, testKey('new'), [old]);
    expect((await rotated.get('tenant-1', 'default'))!.accessToken).toBe(sample().accessToken);
    await expect(new ConnectionRepository(store, testKey('other')).get('tenant-1', 'default')).rejects.toMatchObject({ code: 'INTERNAL', details: { reason: 'STORED_SECRET_UNREADABLE' } });
  });

  it('works on the memory store too', async () => {
    const memory = createStore('memory://');
    const repo = new ConnectionRepository(memory, testKey());
    await repo.put(sample());
    expect((await repo.get('tenant-1', 'default'))!.refreshToken).toBe(sample().refreshToken);
    await memory.close();
  });
});
