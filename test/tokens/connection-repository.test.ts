import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import type { Logger } from '../../src/log.js';
import { createStore, isSealed, sealedFormat, type EncryptionKey, type Store } from '../../src/store/index.js';
import { connectionKey, ConnectionRepository } from '../../src/tokens/connection-repository.js';
import { dataCentreTable } from '../../src/zoho/datacenters.js';
import { captureLogger, dropNamespace, legacyV1, openRedisStore, sampleConnection as sample, testKey, uniqueNamespace } from './helpers.js';

const TABLE = dataCentreTable();
const repoOf = (store: Store, key = testKey(), retiredKeys: EncryptionKey[] = [], log?: Logger) => new ConnectionRepository({ store, key, retiredKeys, dataCentres: TABLE, ...(log ? { log } : {}) });

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
    const repo = repoOf(store);
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
    const repo = repoOf(store);
    await repo.put(sample({ tenantId: 't1', connectionName: 'a', email: 'one@x' }));
    await repo.put(sample({ tenantId: 't1', connectionName: 'b', email: 'two@x' }));
    await repo.put(sample({ tenantId: 't2', connectionName: 'a', email: 'three@x' }));
    expect((await repo.get('t1', 'a'))!.email).toBe('one@x');
    expect((await repo.get('t1', 'b'))!.email).toBe('two@x');
    expect((await repo.get('t2', 'a'))!.email).toBe('three@x');
  });

  it('refuses malformed ids with BAD_USER_INPUT before touching the store', async () => {
    const repo = repoOf(store);
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
    await repoOf(store, old).put(sample());
    const rotated = repoOf(store, testKey('new'), [old]);
    expect((await rotated.get('tenant-1', 'default'))!.accessToken).toBe(sample().accessToken);
    await expect(repoOf(store, testKey('other')).get('tenant-1', 'default')).rejects.toMatchObject({ code: 'INTERNAL', details: { reason: 'STORED_SECRET_UNREADABLE' } });
  });

  it('works on the memory store too', async () => {
    const memory = createStore('memory://');
    const repo = repoOf(memory);
    await repo.put(sample());
    expect((await repo.get('tenant-1', 'default'))!.refreshToken).toBe(sample().refreshToken);
    await memory.close();
  });

  describe('a record that does not belong under its key (someone wrote to the store)', () => {
    const raw = async () => store.redis!.client();
    const rawGet = async (k: string) => JSON.parse((await (await raw()).get(store.keyFor(k)))!) as { value: Record<string, unknown>; expires?: number };
    const rawSet = async (k: string, v: unknown) => (await raw()).set(store.keyFor(k), JSON.stringify(v));

    it("refuses tenant A's sealed record copied under tenant B, even with B's ids written in", async () => {
      const { log, lines } = captureLogger();
      const repo = repoOf(store, testKey(), [], log);
      await repo.put(sample({ tenantId: 'tenant-a' }));
      const a = await rawGet('conn:tenant-a:default');
      await rawSet('conn:tenant-b:default', a);
      await expect(repo.get('tenant-b', 'default')).rejects.toMatchObject({ code: 'STORE_TAMPERED', details: { reason: 'IDENTITY_MISMATCH' } });
      await rawSet('conn:tenant-b:default', { ...a, value: { ...a.value, tenantId: 'tenant-b' } });
      await expect(repo.get('tenant-b', 'default')).rejects.toMatchObject({ code: 'STORE_TAMPERED', details: { reason: 'SEALED_VALUE_MISMATCH' } });
      // Logged, with ids only.
      expect(lines.join('')).toContain('SEALED_VALUE_MISMATCH');
      expect(lines.join('')).not.toContain(sample().refreshToken);
      expect(lines.join('')).not.toContain(String(a.value.refreshToken));
      // A's own record still works.
      expect((await repo.get('tenant-a', 'default'))!.refreshToken).toBe(sample().refreshToken);
    });

    it('refuses tokens swapped between fields', async () => {
      const repo = repoOf(store);
      await repo.put(sample());
      const stored = await rawGet('conn:tenant-1:default');
      await rawSet('conn:tenant-1:default', { ...stored, value: { ...stored.value, accessToken: stored.value.refreshToken, refreshToken: stored.value.accessToken } });
      await expect(repo.get('tenant-1', 'default')).rejects.toMatchObject({ code: 'STORE_TAMPERED' });
    });

    it("refuses servers that are not its data centre's, and a DC rewritten with them", async () => {
      const repo = repoOf(store);
      await repo.put(sample());
      const stored = await rawGet('conn:tenant-1:default');
      await rawSet('conn:tenant-1:default', { ...stored, value: { ...stored.value, accountsServer: 'https://accounts.zoho.eu.evil.example' } });
      await expect(repo.get('tenant-1', 'default')).rejects.toMatchObject({ code: 'STORE_TAMPERED', details: { reason: 'SERVER_MISMATCH' } });
      await rawSet('conn:tenant-1:default', { ...stored, value: { ...stored.value, apiDomain: 'https://evil.example' } });
      await expect(repo.get('tenant-1', 'default')).rejects.toMatchObject({ code: 'STORE_TAMPERED', details: { reason: 'SERVER_MISMATCH' } });
      await rawSet('conn:tenant-1:default', { ...stored, value: { ...stored.value, dc: 'nowhere' } });
      await expect(repo.get('tenant-1', 'default')).rejects.toMatchObject({ code: 'STORE_TAMPERED', details: { reason: 'UNKNOWN_DATA_CENTRE' } });
      // Consistent with another real DC (all three rewritten): the tokens are bound to their DC.
      await rawSet('conn:tenant-1:default', { ...stored, value: { ...stored.value, dc: 'us', accountsServer: 'https://accounts.zoho.com', apiDomain: 'https://www.zohoapis.com' } });
      await expect(repo.get('tenant-1', 'default')).rejects.toMatchObject({ code: 'STORE_TAMPERED', details: { reason: 'SEALED_VALUE_MISMATCH' } });
    });

    it('refuses a record relabelled with another Zoho user or org', async () => {
      const repo = repoOf(store);
      await repo.put(sample());
      const stored = await rawGet('conn:tenant-1:default');
      for (const change of [{ zohoUserId: '999' }, { zohoOrgId: '999' }]) {
        await rawSet('conn:tenant-1:default', { ...stored, value: { ...stored.value, ...change } });
        await expect(repo.get('tenant-1', 'default')).rejects.toMatchObject({ code: 'STORE_TAMPERED', details: { reason: 'SEALED_VALUE_MISMATCH' } });
      }
    });

    it('refuses a legacy v1 record with a pointer to keys:rotate --migrate-v1, and only a migrating reseal moves it to v2', async () => {
      const key = testKey();
      const repo = repoOf(store, key);
      const conn = sample();
      await rawSet('conn:tenant-1:default', { value: { ...conn, accessToken: legacyV1(conn.accessToken, key), refreshToken: legacyV1(conn.refreshToken, key) } });
      const err = await repo.get('tenant-1', 'default').catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'INTERNAL', details: { reason: 'STORED_SECRET_UNREADABLE' } });
      expect((err as Error).message).toContain('npm run keys:rotate -- --migrate-v1');

      await expect(repo.reseal('tenant-1', 'default')).rejects.toMatchObject({ details: { reason: 'STORED_SECRET_UNREADABLE' } });
      expect(await repo.reseal('tenant-1', 'default', true)).toBe(true);
      expect(sealedFormat((await rawGet('conn:tenant-1:default')).value.refreshToken)).toEqual({ version: 'v2', keyId: key.keyId });
      expect(await repo.get('tenant-1', 'default')).toEqual(conn);
    });

    it('does not migrate a legacy record whose ids differ from its key', async () => {
      const key = testKey();
      const repo = repoOf(store, key);
      const conn = sample({ tenantId: 'tenant-a' });
      const legacy = { value: { ...conn, accessToken: legacyV1(conn.accessToken, key), refreshToken: legacyV1(conn.refreshToken, key) } };
      await rawSet('conn:tenant-b:default', legacy);
      await expect(repo.reseal('tenant-b', 'default', true)).rejects.toMatchObject({ code: 'STORE_TAMPERED', details: { reason: 'IDENTITY_MISMATCH' } });
      expect(sealedFormat((await rawGet('conn:tenant-b:default')).value.refreshToken)?.version).toBe('v1');
    });
  });
});
