/**
 * A FIFO concurrency cap per key, in this process only: the client keys one by tenant (the
 * per-tenant cap, ZOHO_MAX_CONCURRENCY_PER_TENANT). The org's own cap, shared across instances,
 * is ./org-budget.ts.
 */
export class KeyedLimiter {
  private readonly lanes = new Map<string, Lane>();

  /** @param limit calls in flight per key (≥ 1). */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`);
  }

  /** Runs `fn` once fewer than `limit` calls of `key` are in flight; waiters start in arrival order. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire(key);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /**
   * Takes a slot of `key`, waiting in arrival order; resolves with the function that gives it
   * back (call it exactly once). With `timeoutMs`, a waiter still in line after that many
   * milliseconds leaves the line and the promise rejects with QueueTimeout.
   */
  acquire(key: string, timeoutMs?: number): Promise<() => void> {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { active: 0, waiters: [] };
      this.lanes.set(key, lane);
    }
    const release = once(() => this.release(key));
    if (lane.active < this.limit) {
      lane.active++;
      return Promise.resolve(release);
    }
    const waiters = lane.waiters;
    return new Promise<() => void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = () => {
        if (timer) clearTimeout(timer);
        resolve(release);
      };
      waiters.push(waiter);
      if (timeoutMs === undefined) return;
      timer = setTimeout(() => {
        const at = waiters.indexOf(waiter);
        if (at === -1) return; // already handed a slot
        waiters.splice(at, 1);
        this.dropIfIdle(key);
        reject(new QueueTimeout(timeoutMs));
      }, timeoutMs);
    });
  }

  /** Takes a slot of `key` if one is free now (nobody waits then); else undefined. */
  tryAcquire(key: string): (() => void) | undefined {
    const lane = this.lanes.get(key);
    if (lane && lane.active >= this.limit) return undefined;
    if (lane) lane.active++;
    else this.lanes.set(key, { active: 1, waiters: [] });
    return once(() => this.release(key));
  }

  /** Calls of `key` in flight now (for tests and metrics). */
  active(key: string): number {
    return this.lanes.get(key)?.active ?? 0;
  }

  /** Calls of `key` waiting for a slot now. */
  queued(key: string): number {
    return this.lanes.get(key)?.waiters.length ?? 0;
  }

  private release(key: string): void {
    const lane = this.lanes.get(key);
    if (!lane) return;
    const next = lane.waiters.shift();
    // Hand the slot straight to the next waiter, so `active` never dips and a newcomer cannot jump the queue.
    if (next) next();
    else {
      lane.active--;
      this.dropIfIdle(key);
    }
  }

  /** Idle keys cost nothing. */
  private dropIfIdle(key: string): void {
    const lane = this.lanes.get(key);
    if (lane && lane.active === 0 && lane.waiters.length === 0) this.lanes.delete(key);
  }
}

/** A waiter gave up: no slot came free within its timeout. */
export class QueueTimeout extends Error {
  override readonly name = 'QueueTimeout';
  constructor(readonly timeoutMs: number) {
    super(`no free slot within ${timeoutMs} ms`);
  }
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}

interface Lane {
  active: number;
  waiters: Array<() => void>;
}
