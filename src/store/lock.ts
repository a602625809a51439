/**
 * A short-lived lock in the store, so that of several gateway processes sharing a Redis (or one
 * SQLite file) only one does a given thing at a time: refresh a connection, sweep tickets, renew
 * channels, change an index. It is a lease, not a mutex: it expires after its TTL, so an owner
 * that crashed mid-work blocks the others only that long.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from './store.js';

/** `withLease` waited its whole `waitMs` and the lease was still held by someone else. */
export class LeaseBusyError extends Error {
  override readonly name = 'LeaseBusyError';
}

/**
 * Deletes KEYS[1] only if its value is ours. The store writes a Keyv envelope
 * `{"value":<owner>,"expires":…}`, so the owner is compared after decoding it. One script, so the
 * check and the delete are atomic: a lease that expired and was taken by another process between
 * them cannot be deleted by mistake.
 */
const RELEASE_SCRIPT = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local ok, envelope = pcall(cjson.decode, raw)
if ok and type(envelope) == 'table' and envelope['value'] == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/** Pause between tries for a taken lease (ms). */
const DEFAULT_POLL_MS = 50;

export interface LeaseOptions {
  /** How long the lease holds before it lapses by itself (ms): longer than the work takes. */
  ttlMs: number;
  /** How long to keep trying for a taken lease (ms). */
  waitMs: number;
  /** Pause between tries (ms; default 50). */
  pollMs?: number;
  /** When the lease stays taken: the error to reject with (default LeaseBusyError), or run the work without it. */
  busy?: (() => Error) | 'run-unleased';
}

export class StoreLock {
  constructor(private readonly store: Store) {}

  /**
   * Takes the lock at `key` for `ttlMs` milliseconds if nobody holds it. Returns the owner token
   * to release it with, or undefined when someone else holds it.
   */
  async tryAcquire(key: string, ttlMs: number): Promise<string | undefined> {
    const owner = randomUUID();
    return (await this.store.setIfAbsent(key, owner, ttlMs)) ? owner : undefined;
  }

  /**
   * Runs `work` holding the lease at `key`, trying for it every `pollMs` for up to `waitMs`. When it
   * stays taken: rejects with `busy()` (default LeaseBusyError), or with `busy: 'run-unleased'`
   * runs `work` without it. Released however `work` ends; a failed release is ignored, as the lease
   * lapses by itself after `ttlMs`.
   */
  async withLease<T>(key: string, options: LeaseOptions, work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + options.waitMs;
    let owner: string | undefined;
    while ((owner = await this.tryAcquire(key, options.ttlMs)) === undefined) {
      if (Date.now() >= deadline) {
        if (options.busy === 'run-unleased') return work();
        throw options.busy ? options.busy() : new LeaseBusyError(`the lease ${key} stayed taken for ${options.waitMs} ms`);
      }
      await sleep(options.pollMs ?? DEFAULT_POLL_MS);
    }
    try {
      return await work();
    } finally {
      await this.release(key, owner).catch(() => undefined);
    }
  }

  /** Releases the lock if `owner` still holds it; true if it did. */
  async release(key: string, owner: string): Promise<boolean> {
    if (this.store.redis) {
      const client = await this.store.redis.client();
      const deleted = await client.eval(RELEASE_SCRIPT, { keys: [this.store.keyFor(key)], arguments: [owner] });
      return deleted === 1;
    }
    // Memory: nothing can run between these two awaits' effects in another process, as there is
    // none. SQLite: a lease taken over in the gap would be deleted early; the cost is one extra
    // refresh at worst, which Zoho's quota absorbs.
    if ((await this.store.get<string>(key)) !== owner) return false;
    return this.store.delete(key);
  }
}
