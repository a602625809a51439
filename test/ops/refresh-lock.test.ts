/**
 * The cross-instance refresh lease (StoreLock in store/lock.ts, keyed by tokens/connection-repository.ts refreshLockKey), as two instances see it: two stores
 * on one Redis, or on one SQLite file. Only the owner releases; a lease is bounded by its TTL; an
 * expired lease taken over by a second owner survives the first owner's late release.
 * (test/tokens/refresh-lock.test.ts covers one store on Redis and memory.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore, type Store } from '../../src/store/index.js';
import { StoreLock } from '../../src/store/lock.js';
import { refreshLockKey } from '../../src/tokens/connection-repository.js';
import { dropNamespace, openRedisStore, uniqueNamespace } from '../tokens/helpers.js';

for (const backend of ['redis', 'sqlite'] as const) {
  describe(`refresh lease across two instances on ${backend}`, () => {
    let one: Store;
    let two: Store;
    let dir: string | undefined;
    beforeEach(async () => {
      if (backend === 'redis') {
        const ns = uniqueNamespace('lease');
        [one, two] = [await openRedisStore(ns), await openRedisStore(ns)];
      } else {
        dir = mkdtempSync(join(tmpdir(), 'zgw-lease-'));
        const url = `sqlite://${join(dir, 'gateway.sqlite')}`;
        [one, two] = [createStore(url), createStore(url)];
      }
    });
    afterEach(async () => {
      if (backend === 'redis') await dropNamespace(one);
      await one.close();
      await two.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const key = refreshLockKey('acme', 'default');

    it('one owner at a time; the other cannot release it; the owner can', async () => {
      const [a, b] = [new StoreLock(one), new StoreLock(two)];
      const owners = await Promise.all([a.tryAcquire(key, 5_000), b.tryAcquire(key, 5_000)]);
      expect(owners.filter((o) => o !== undefined)).toHaveLength(1);
      const winner = owners[0] !== undefined ? { lock: a, owner: owners[0] } : { lock: b, owner: owners[1]! };
      const loser = winner.lock === a ? b : a;
      expect(await loser.release(key, 'not-the-owner')).toBe(false);
      expect(await loser.tryAcquire(key, 5_000)).toBeUndefined();
      expect(await winner.lock.release(key, winner.owner)).toBe(true);
      expect(await loser.tryAcquire(key, 5_000)).toBeTypeOf('string');
    });

    it('a lease ends by itself; the old owner releasing late leaves the new owner holding it', async () => {
      const [a, b] = [new StoreLock(one), new StoreLock(two)];
      const first = await a.tryAcquire(key, 120);
      expect(first).toBeTypeOf('string');
      expect(await b.tryAcquire(key, 5_000)).toBeUndefined();
      await sleep(200); // the first owner stalled past its lease
      const second = await b.tryAcquire(key, 5_000);
      expect(second).toBeTypeOf('string');
      expect(await a.release(key, first!)).toBe(false);
      expect(await a.tryAcquire(key, 5_000)).toBeUndefined(); // still the second owner's
      expect(await b.release(key, second!)).toBe(true);
    });

    if (backend === 'redis') {
      it('every lease carries an expiry in Redis itself (a crashed owner blocks others at most its TTL)', async () => {
        expect(await new StoreLock(one).tryAcquire(key, 15_000)).toBeTypeOf('string');
        const ttl = await (await one.redis!.client()).pTTL(one.keyFor(key));
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(15_000);
      });
    }
  });
}
