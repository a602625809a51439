/**
 * A FIFO concurrency cap per key (the client keys it by tenant + connection, i.e. one Zoho org
 * seen through one OAuth app), so a burst of resolvers queues here instead of tripping Zoho's
 * concurrency limit, which Zoho answers with 429 TOO_MANY_REQUESTS.
 *
 * In-process only: with N gateway instances the org can see up to N × cap calls at once. Zoho's
 * own 429 (retried by the client) is the backstop for that.
 */
export class KeyedLimiter {
  private readonly lanes = new Map<string, Lane>();

  /** @param limit calls in flight per key (≥ 1). */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  }

  /** Runs `fn` once fewer than `limit` calls of `key` are in flight; waiters start in arrival order. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    await this.acquire(key);
    try {
      return await fn();
    } finally {
      this.release(key);
    }
  }

  /** Calls of `key` in flight now (for tests and metrics). */
  active(key: string): number {
    return this.lanes.get(key)?.active ?? 0;
  }

  /** Calls of `key` waiting for a slot now. */
  queued(key: string): number {
    return this.lanes.get(key)?.waiters.length ?? 0;
  }

  private acquire(key: string): Promise<void> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { active: 0, waiters: [] };
      this.lanes.set(key, lane);
    }
    if (lane.active < this.limit) {
      lane.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => lane.waiters.push(resolve));
  }

  private release(key: string): void {
    const lane = this.lanes.get(key);
    if (!lane) return;
    const next = lane.waiters.shift();
    // Hand the slot straight to the next waiter, so `active` never dips and a newcomer cannot jump the queue.
    if (next) next();
    else if (--lane.active === 0) this.lanes.delete(key); // idle keys cost nothing
  }
}

interface Lane {
  active: number;
  waiters: Array<() => void>;
}
