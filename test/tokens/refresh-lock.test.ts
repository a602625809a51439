import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { createStore, type Store } from '../../src/store/index.js';
import { StoreLock } from '../../src/store/lock.js';
import { dropNamespace, openRedisStore, uniqueNamespace } from './helpers.js';

for (const backend of ['redis', 'memory'] as const) {
  describe(`StoreLock on ${backend}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = backend === 'redis' ? await openRedisStore(uniqueNamespace('lock')) : createStore('memory://');
    });
    afterEach(async () => {
      if (backend === 'redis') await dropNamespace(store);
      await store.close();
    });

    it('gives the lease to one caller of many, and releases only for its owner', async () => {
      const lock = new StoreLock(store);
      const owners = await Promise.all(Array.from({ length: 20 }, () => lock.tryAcquire('lock:x', 5_000)));
      const winners = owners.filter((o) => o !== undefined);
      expect(winners).toHaveLength(1);
      expect(await lock.release('lock:x', 'someone-else')).toBe(false);
      expect(await store.has('lock:x')).toBe(true);
      expect(await lock.release('lock:x', winners[0]!)).toBe(true);
      expect(await store.has('lock:x')).toBe(false);
      expect(await lock.tryAcquire('lock:x', 5_000)).toBeTypeOf('string');
    });

    it("expires a lease after its TTL; the old owner cannot release the next owner's lease", async () => {
      const lock = new StoreLock(store);
      const first = await lock.tryAcquire('lock:y', 150);
      expect(first).toBeTypeOf('string');
      expect(await lock.tryAcquire('lock:y', 150)).toBeUndefined();
      await sleep(250);
      const second = await lock.tryAcquire('lock:y', 5_000);
      expect(second).toBeTypeOf('string');
      expect(await lock.release('lock:y', first!)).toBe(false);
      expect(await store.has('lock:y')).toBe(true);
    });
  });
}
