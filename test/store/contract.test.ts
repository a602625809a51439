/**
 * One contract, three backends: whatever STORE_URL picks, the Store behaves the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/store/index.js';
import { memoryFixture, redisFixture, requireReachable, sqliteFixture, uniqueNamespace, type BackendFixture } from './backends.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([memoryFixture(), sqliteFixture(), redisFixture()])('Store contract: $name', (fixture: BackendFixture) => {
  const namespace = uniqueNamespace(fixture.name);
  let store: Store;

  beforeAll(async () => {
    store = createStore(fixture.url, { namespace });
    await requireReachable(store, fixture.url);
  });

  afterAll(async () => {
    await store?.close();
    await fixture.cleanup(namespace);
  });

  it('reports its kind and prefixes keys with zgw:v1:<namespace>:', () => {
    expect(store.kind).toBe(fixture.name);
    expect(store.keyFor('a')).toBe(`zgw:v1:${namespace}:a`);
    expect(store.redis !== undefined).toBe(fixture.name === 'redis');
  });

  it('returns undefined for a key never written', async () => {
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.has('missing')).toBe(false);
  });

  it('round-trips JSON values, including null and nested objects', async () => {
    const record = { zuid: '123', expiresAt: 1_767_225_600_000, scopes: ['a', 'b'], nested: { ok: true, none: null } };
    await store.set('record', record);
    expect(await store.get('record')).toEqual(record);
    await store.set('null', null);
    expect(await store.get('null')).toBeNull();
    expect(await store.has('null')).toBe(true);
    await store.set('text', ':colon-led string');
    expect(await store.get('text')).toBe(':colon-led string');
  });

  it('overwrites on set', async () => {
    await store.set('over', 1);
    await store.set('over', 2);
    expect(await store.get('over')).toBe(2);
  });

  it('deletes, reporting whether anything was there', async () => {
    await store.set('gone', 'x');
    expect(await store.delete('gone')).toBe(true);
    expect(await store.get('gone')).toBeUndefined();
    expect(await store.delete('gone')).toBe(false);
  });

  it('expires values after their TTL', async () => {
    await store.set('short', 'v', 150);
    await store.set('long', 'v', 60_000);
    expect(await store.get('short')).toBe('v');
    await sleep(400);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.has('short')).toBe(false);
    expect(await store.get('long')).toBe('v');
  });

  it('refuses values JSON would change, and zero or fractional TTLs', async () => {
    await expect(store.set('date', { at: new Date() })).rejects.toThrow(/epoch milliseconds/);
    await expect(store.set('map', new Map())).rejects.toThrow(TypeError);
    await expect(store.set('nan', Number.NaN)).rejects.toThrow(TypeError);
    await expect(store.set('undef', undefined)).rejects.toThrow(TypeError);
    await expect(store.set('ttl0', 1, 0)).rejects.toThrow(RangeError);
    await expect(store.setIfAbsent('ttlf', 1, 1.5)).rejects.toThrow(RangeError);
    expect(await store.get('date')).toBeUndefined();
  });

  it('setIfAbsent: of 50 concurrent calls exactly one wins, and its value is stored', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.setIfAbsent('lock', { owner: i }, 10_000)));
    const winners = results.flatMap((won, i) => (won ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(await store.get('lock')).toEqual({ owner: winners[0] });
  });

  it('setIfAbsent does not replace a live value, and its TTL expires', async () => {
    await store.set('held', 'first');
    expect(await store.setIfAbsent('held', 'second', 10_000)).toBe(false);
    expect(await store.get('held')).toBe('first');

    expect(await store.setIfAbsent('brief', 'a', 150)).toBe(true);
    expect(await store.get('brief')).toBe('a');
    await sleep(400);
    expect(await store.get('brief')).toBeUndefined();
  });

  it('setIfAbsent takes over a key whose value expired but was never read', async () => {
    await store.set('stale', 'old', 100);
    await sleep(300);
    // No get() in between: the expired value may still physically exist in the backend.
    expect(await store.setIfAbsent('stale', 'new', 10_000)).toBe(true);
    expect(await store.get('stale')).toBe('new');
  });

  it('keeps namespaces apart on the same backend', async () => {
    if (!fixture.persistent) return; // each memory store is its own Map; nothing to share
    const other = createStore(fixture.url, { namespace: `${namespace}-other` });
    try {
      await store.set('shared-name', 'mine');
      expect(await other.get('shared-name')).toBeUndefined();
    } finally {
      await other.close();
      await fixture.cleanup(`${namespace}-other`);
    }
  });

  it('keeps data across close and reopen (persistent backends)', async () => {
    if (!fixture.persistent) return;
    const first = createStore(fixture.url, { namespace: `${namespace}-reopen` });
    await first.set('survives', { n: 42 });
    await first.set('expires', 'soon', 60_000);
    await first.close();
    const second = createStore(fixture.url, { namespace: `${namespace}-reopen` });
    try {
      expect(await second.get('survives')).toEqual({ n: 42 });
      expect(await second.get('expires')).toBe('soon');
    } finally {
      await second.close();
      await fixture.cleanup(`${namespace}-reopen`);
    }
  });

  it('pings true while open, false after close, and rejects operations once closed', async () => {
    const temp = createStore(fixture.url, { namespace: `${namespace}-closing` });
    expect(await temp.ping()).toBe(true);
    await temp.close();
    await temp.close(); // idempotent
    expect(await temp.ping()).toBe(false);
    await expect(temp.get('x')).rejects.toThrow(/closed/);
  });
});
