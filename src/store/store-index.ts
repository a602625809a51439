/**
 * A set of ids kept under one store key, for what Keyv cannot do: list keys by prefix. Every
 * change is a read-modify-write, so it runs under a short StoreLock: two instances adding a
 * channel at once must not lose one of them (a lost entry is a channel nobody renews).
 */
import type { Store } from './store.js';
import { StoreLock } from './lock.js';

/** How long one change may hold the index lock (ms): a get and a set, with room for a slow Redis. */
const LOCK_TTL_MS = 5_000;
/** How long a change waits for the lock before giving up (ms). */
const LOCK_WAIT_MS = 10_000;
/** Pause between attempts to take the lock (ms). */
const RETRY_MS = 15;

export class StoreIndex {
  private readonly lock: StoreLock;

  constructor(private readonly store: Store) {
    this.lock = new StoreLock(store);
  }

  /** The ids at `key` (empty when none). */
  async members(key: string): Promise<string[]> {
    return (await this.store.get<string[]>(key)) ?? [];
  }

  async add(key: string, id: string): Promise<void> {
    await this.change(key, (ids) => (ids.includes(id) ? ids : [...ids, id]));
  }

  async remove(key: string, ...ids: string[]): Promise<void> {
    await this.change(key, (current) => current.filter((i) => !ids.includes(i)));
  }

  private async change(key: string, edit: (ids: string[]) => string[]): Promise<void> {
    await this.lock.withLease(`${key}:lock`, { ttlMs: LOCK_TTL_MS, waitMs: LOCK_WAIT_MS, pollMs: RETRY_MS }, async () => {
      const before = await this.members(key);
      const after = edit(before);
      if (after === before) return;
      if (after.length === 0) await this.store.delete(key);
      else await this.store.set(key, after);
    });
  }
}
