/**
 * The capped set of expiring members (store/capped-set.ts) behind the pending-connect and
 * subscription caps: the same contract in process and on the real Redis, plus what only Redis
 * does (one count across instances, Redis's clock when the caller brings none).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createCappedSet, createStore, type Store } from '../../src/store/index.js';
import { memoryFixture, redisFixture, requireReachable, uniqueNamespace, type BackendFixture } from './backends.js';

const TTL = 60_000;

/** Opens stores on one namespace of `fixture` (so they share data, as instances do), closed and cleaned after the suite. */
function storesOf(fixture: BackendFixture, label: string): () => Promise<Store> {
  const namespace = uniqueNamespace(label);
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
    await fixture.cleanup(namespace);
  });
  return async () => {
    const store = createStore(fixture.url, { namespace });
    stores.push(store);
    await requireReachable(store, fixture.url);
    return store;
  };
}

describe.each([memoryFixture(), redisFixture()])('capped set on $name', (fixture: BackendFixture) => {
  const open = storesOf(fixture, `capped-${fixture.name}`);

  it('caps the members of a key; a removed member frees its place, other keys are apart', async () => {
    const set = createCappedSet(await open());
    expect(await set.add('a', 'm1', TTL, { total: 2 })).toBe('added');
    expect(await set.add('a', 'm2', TTL, { total: 2 })).toBe('added');
    expect(await set.add('a', 'm3', TTL, { total: 2 })).toBe('total');
    expect(await set.add('b', 'm3', TTL, { total: 2 })).toBe('added');
    expect(await set.count('a')).toBe(2);
    await set.remove('a', 'm1');
    await set.remove('a', 'm1');
    expect(await set.count('a')).toBe(1);
    expect(await set.add('a', 'm3', TTL, { total: 2 })).toBe('added');
    expect(await set.count('nothing')).toBe(0);
  });

  it('caps the members sharing a prefix within the total, the total first', async () => {
    const set = createCappedSet(await open());
    const alice = { total: 3, prefix: 'alice ', perPrefix: 2 };
    const bob = { ...alice, prefix: 'bob ' };
    expect(await set.add('t', 'alice 1', TTL, alice)).toBe('added');
    expect(await set.add('t', 'alice 2', TTL, alice)).toBe('added');
    expect(await set.add('t', 'alice 3', TTL, alice)).toBe('prefix');
    // 'alice' is not a prefix of 'alicea ': the separator is the caller's, and it counts.
    expect(await set.add('t', 'alicea 1', TTL, { ...alice, prefix: 'alicea ' })).toBe('added');
    expect(await set.add('t', 'bob 1', TTL, bob)).toBe('total');
    await set.remove('t', 'alicea 1');
    expect(await set.add('t', 'bob 1', TTL, bob)).toBe('added');
    expect(await set.count('t')).toBe(3);
  });

  it("lapses members on the caller's clock; extend pushes the lapse and re-adds a lapsed member", async () => {
    let clock = Date.now();
    const set = createCappedSet(await open(), { now: () => clock });
    await set.add('k', 'old', 1_000, { total: 2 });
    clock += 500;
    await set.add('k', 'new', 1_000, { total: 2 });
    expect(await set.add('k', 'third', 1_000, { total: 2 })).toBe('total');
    clock += 500;
    // 'old' lapsed exactly now; 'new' has 500 ms left.
    expect(await set.count('k')).toBe(1);
    await set.extend('k', ['new', 'old'], 10_000);
    clock += 5_000;
    expect(await set.count('k')).toBe(2);
    expect(await set.add('k', 'third', 1_000, { total: 2 })).toBe('total');
    clock += 5_000;
    expect(await set.count('k')).toBe(0);
    expect(await set.add('k', 'third', 1_000, { total: 2 })).toBe('added');
  });

  it('refuses caps and ttls that are not positive integers', async () => {
    const set = createCappedSet(await open());
    await expect(set.add('refused', 'm', TTL, { total: 0 })).rejects.toThrow(RangeError);
    await expect(set.add('refused', 'm', TTL, { total: 2, prefix: 'p' })).rejects.toThrow(RangeError);
    await expect(set.add('refused', 'm', 0, { total: 2 })).rejects.toThrow(RangeError);
    await expect(set.extend('refused', ['m'], -1)).rejects.toThrow(RangeError);
    expect(await set.count('refused')).toBe(0);
  });
});

describe('capped set on redis only', () => {
  const open = storesOf(redisFixture(), 'capped-redis-only');

  it('counts one set across instances, atomically', async () => {
    const [a, b] = [createCappedSet(await open()), createCappedSet(await open())];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).add('shared', `m${i}`, TTL, { total: 5 })));
    expect(results.filter((r) => r === 'added')).toHaveLength(5);
    expect(await a.count('shared')).toBe(5);
    expect(await b.count('shared')).toBe(5);
  });

  it("scores with Redis's clock when the caller brings none, and keeps the set as long as its newest member", async () => {
    const store = await open();
    const client = await store.redis!.client();
    const redisNow = async () => {
      const [seconds, micros] = (await client.sendCommand(['TIME'])) as [string, string];
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    };
    const set = createCappedSet(store);
    const before = await redisNow();
    await set.add('clocked', 'm', TTL, { total: 1 });
    const after = await redisNow();
    const score = await client.zScore(store.keyFor('clocked'), 'm');
    // Millisecond truncation on both sides: allow one ms.
    expect(score).toBeGreaterThanOrEqual(before + TTL - 1);
    expect(score).toBeLessThanOrEqual(after + TTL + 1);
    expect(await client.pTTL(store.keyFor('clocked'))).toBeGreaterThan(TTL - 10_000);
    await set.extend('clocked', ['m'], 3 * TTL);
    expect(await client.pTTL(store.keyFor('clocked'))).toBeGreaterThan(2 * TTL);
  });
});
