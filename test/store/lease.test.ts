/**
 * StoreLock.withLease, the one "take the lease, wait, try again" loop (the store index, watch
 * channel creation, webhook delivery logs, key rotation and connect use it).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createStore, LeaseBusyError, StoreLock } from '../../src/store/index.js';

const store = createStore('memory://');
afterAll(() => store.close());
const lock = new StoreLock(store);

describe('withLease', () => {
  it('runs the work holding the lease and releases it, also when the work throws', async () => {
    await expect(lock.withLease('l:1', { ttlMs: 60_000, waitMs: 0 }, async () => (await lock.tryAcquire('l:1', 1_000)) === undefined)).resolves.toBe(true);
    await expect(lock.withLease('l:1', { ttlMs: 60_000, waitMs: 0 }, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.withLease('l:1', { ttlMs: 60_000, waitMs: 0 }, async () => 'free again')).resolves.toBe('free again');
  });

  it('waits for a lease another holder releases', async () => {
    const owner = (await lock.tryAcquire('l:2', 60_000))!;
    setTimeout(() => void lock.release('l:2', owner), 30);
    await expect(lock.withLease('l:2', { ttlMs: 60_000, waitMs: 5_000, pollMs: 5 }, async () => 'got it')).resolves.toBe('got it');
  });

  it('when it stays taken: LeaseBusyError, the caller’s own error, or the work without the lease', async () => {
    expect(await lock.tryAcquire('l:3', 60_000)).toBeTypeOf('string');
    let ran = 0;
    const work = async () => ++ran;
    await expect(lock.withLease('l:3', { ttlMs: 1_000, waitMs: 20, pollMs: 5 }, work)).rejects.toBeInstanceOf(LeaseBusyError);
    await expect(lock.withLease('l:3', { ttlMs: 1_000, waitMs: 20, pollMs: 5, busy: () => new RangeError('busy, retry later') }, work)).rejects.toThrow(RangeError);
    expect(ran).toBe(0);
    await expect(lock.withLease('l:3', { ttlMs: 1_000, waitMs: 20, pollMs: 5, busy: 'run-unleased' }, work)).resolves.toBe(1);
    // Running unleased never releases the holder's lease.
    expect(await lock.tryAcquire('l:3', 1_000)).toBeUndefined();
  });
});
