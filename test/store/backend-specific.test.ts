/**
 * Behaviour that only makes sense for one backend: SQLite atomicity across connections, Redis
 * failures surfacing as errors, and the raw Redis client.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/index.js';
import { redisFixture, REDIS_URL, requireReachable, sqliteFixture, uniqueNamespace } from './backends.js';

describe('sqlite store', () => {
  const fixture = sqliteFixture();
  afterAll(() => fixture.cleanup(''));

  it('creates the parent directory of the file', async () => {
    const store = createStore(fixture.url, { namespace: uniqueNamespace('mkdir') });
    try {
      await requireReachable(store, fixture.url);
      await store.set('k', 1);
      expect(existsSync(fixture.path)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('setIfAbsent is atomic across two connections to one file', async () => {
    const namespace = uniqueNamespace('race');
    const a = createStore(fixture.url, { namespace });
    const b = createStore(fixture.url, { namespace });
    try {
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).setIfAbsent('lock', i, 10_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('redis store', () => {
  const namespace = uniqueNamespace('redis-raw');
  afterAll(() => redisFixture().cleanup(namespace));

  it('exposes the node-redis client; setIfAbsent writes a PX expiry', async () => {
    const store = createStore(REDIS_URL, { namespace });
    try {
      await requireReachable(store, REDIS_URL);
      expect(await store.setIfAbsent('lock', 'me', 5_000)).toBe(true);
      const client = await store.redis!.client();
      const ttl = await client.pTTL(store.keyFor('lock'));
      expect(ttl).toBeGreaterThan(4_000);
      expect(ttl).toBeLessThanOrEqual(5_000);
      // A raw SET NX on the same key loses too: the store and the client address the same key.
      expect(await client.set(store.keyFor('lock'), 'x', { condition: 'NX' })).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('rejects (never reads as "not found") when Redis cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused.
    const store = createStore('redis://127.0.0.1:1', { namespace, connectTimeoutMs: 300 });
    try {
      await expect(store.get('token')).rejects.toThrow();
      await expect(store.set('token', 'x')).rejects.toThrow();
      await expect(store.setIfAbsent('lock', 'x', 1_000)).rejects.toThrow();
      expect(await store.ping()).toBe(false);
    } finally {
      await store.close();
    }
  });
});
