/**
 * Per-tenant request limit: at most `limit` GraphQL operations per tenant per window (a minute),
 * counted in the shared store so every gateway instance draws from one budget. One tenant can
 * then neither starve the process nor burn its Zoho org's daily API credits in a loop.
 *
 * A fixed window that opens at the tenant's first counted request: one counter per tenant. Its
 * known cost is a burst of up to 2 × limit across a window boundary, which is acceptable for a
 * guard against runaway clients (Zoho's own credits and concurrency limits are the finer control).
 *
 * - Redis: decided in this process, counted in Redis off the request's path (see redisLimiter),
 *   so N instances share one count within a stated margin without a round trip per request.
 * - Memory and SQLite: a counter in this process. Memory exists in one process only; SQLite is a
 *   single-instance setup (the file is shared, but a per-request write there would cost more
 *   than the limit saves), so each instance limits on its own.
 */
import type { Logger } from '../log.js';
import type { RedisClient, Store } from '../store/index.js';
import { redisScript, runScript } from '../store/scripts.js';

export type RateDecision =
  | { allowed: true }
  | {
      allowed: false;
      /** Seconds until the window resets (at least 1). */
      retryAfterSec: number;
      /** The first refusal of this tenant in this window on this instance (log it; later ones are noise). */
      firstRefusal: boolean;
    };

export interface TenantLimiter {
  readonly limit: number;
  /**
   * Requests per window this instance may admit beyond the limit when instances race: together
   * N instances admit at most limit + N × overshoot − 1 per window (0 for in-process counters).
   */
  readonly overshoot: number;
  /**
   * Counts one request of `tenantId` if it is admitted, and says whether it is. Synchronous
   * except when this instance already has `overshoot` uncounted requests of the tenant in flight
   * (then it waits for Redis, at most `waitTimeoutMs`). Never rejects: a store that fails or is
   * too slow admits the request (fail-open), reported through onError and the log.
   */
  take(tenantId: string): RateDecision | Promise<RateDecision>;
  /** Sends what is not yet counted and waits for the replies (graceful shutdown). */
  close(): Promise<void>;
}

export interface TenantLimiterOptions {
  /** Requests per window per tenant; must be positive (0 means "off": build no limiter). */
  limit: number;
  /** Window length in ms (default one minute). */
  windowMs?: number;
  /** Monotonic clock in ms (default performance.now). Redis keeps its own time for the window. */
  now?: () => number;
  /** Longest a request waits on the blocking path before it is admitted uncounted (default 1000 ms). */
  waitTimeoutMs?: number;
  /** How often increments not yet sent are sent anyway, in ms (default FLUSH_MS). */
  flushMs?: number;
  /** The store failed to count (or was too slow): for metrics. Called per failed batch, not per request. */
  onError?: () => void;
  /** Store failures are logged here, at most once per window. */
  log?: Logger;
}

/**
 * INCRBY the tenant's counter; when the key was absent (the first counted requests of a window)
 * give it the window's lifetime. A key without expiry, or expiring later than a window from now
 * (neither is written here: a Redis writer's doing, which would lock the tenant out for as long
 * as it likes), gets the window's. Returns [count, ms left].
 */
const TAKE_SCRIPT = redisScript(`
local n = redis.call('INCRBY', KEYS[1], ARGV[2])
if n == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 or ttl > tonumber(ARGV[1]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`);

/**
 * Admitted requests wait at most this long (ms) before their increments are sent in one batch.
 * It bounds how stale other instances' view of this one is and how late a window opens in Redis;
 * neither affects the overshoot bound, which holds for any delay. 250 ms keeps a busy tenant to
 * a few commands a second per instance whatever its request rate.
 */
const FLUSH_MS = 250;

/** Default for the blocking path: a Redis that is reconnecting must not stall requests for its connect timeout. */
const WAIT_TIMEOUT_MS = 1_000;

/** The store key of a tenant's counter. Tenant ids come from signed JWTs but any text is legal there. */
function counterKey(tenantId: string): string {
  return `ratelimit:tenant:${encodeURIComponent(tenantId)}`;
}

/**
 * Uncounted requests one instance may hold per tenant: 1 % of the limit (at least 1). N instances
 * then overshoot by at most N % of the limit (N requests below a limit of 200), well inside the
 * fixed window's own 2 × burst at a boundary, while a tenant must send more than 1 % of its
 * minute's budget within one Redis round trip on one instance before a request waits.
 */
export function maxUnconfirmed(limit: number): number {
  return Math.max(1, Math.floor(limit / 100));
}

const ALLOWED: RateDecision = { allowed: true };

export function createTenantLimiter(store: Store, options: TenantLimiterOptions): TenantLimiter {
  const { limit } = options;
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new RangeError('rate limit must be a positive integer');
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? (() => performance.now());
  if (store.redis) return redisLimiter(store, { ...options, windowMs, now });
  return localLimiter(limit, windowMs, now);
}

/** Entries above which idle ones are swept, so departed tenants do not pile up. */
const SWEEP_AT = 10_000;

/** Sweeps `map` of entries `idle` says may go, at most when it has doubled since the last sweep. */
function sweeper<V>(map: Map<string, V>, idle: (v: V) => boolean): () => void {
  let next = SWEEP_AT;
  return () => {
    if (map.size < next) return;
    for (const [k, v] of map) if (idle(v)) map.delete(k);
    next = Math.max(SWEEP_AT, 2 * map.size);
  };
}

function retryAfter(msLeft: number): number {
  return Math.max(1, Math.ceil(msLeft / 1000));
}

function localLimiter(limit: number, windowMs: number, now: () => number): TenantLimiter {
  const windows = new Map<string, { count: number; resetAt: number; refused: boolean }>();
  let t = 0;
  const sweep = sweeper(windows, (w) => w.resetAt <= t);
  return {
    limit,
    overshoot: 0,
    take(tenantId) {
      t = now();
      sweep();
      let w = windows.get(tenantId);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs, refused: false };
        windows.set(tenantId, w);
      }
      if (w.count >= limit) {
        const firstRefusal = !w.refused;
        w.refused = true;
        return { allowed: false, retryAfterSec: retryAfter(w.resetAt - t), firstRefusal };
      }
      w.count++;
      return ALLOWED;
    },
    async close() {},
  };
}

interface Waiter {
  resolve(decision: RateDecision): void;
  timer: NodeJS.Timeout;
}

interface TenantState {
  readonly key: string;
  /** The window's count in Redis at our last reply (ours included); 0 once that window is over. */
  known: number;
  /** When that window ends on our clock: reply time + its PTTL, so never before Redis ends it. */
  resetAt: number;
  /** Admitted here, not sent yet. */
  queued: number;
  /** Sent, no reply yet. */
  inFlight: number;
  /** Requests on the blocking path, in arrival order. */
  waiters: Waiter[];
  /** Refusals before this time are not the window's first (for the log). */
  quietUntil: number;
}

/**
 * Decides in this process, counts in Redis off the request's path.
 *
 * Per tenant: `known` (the window's count at our last reply), `unconfirmed` = queued + inFlight
 * (admitted here, not yet in a reply). A request is admitted iff known + unconfirmed < limit
 * and unconfirmed < M = maxUnconfirmed(limit); at M it waits for a reply (the blocking path).
 * Admitted requests are sent as one INCRBY per tenant: when FLUSH_MS has passed, or at once when
 * half of M is queued (so the reply is usually back before M is reached) or a request waits.
 * A refused request is not sent at all. A tenant this instance has not seen (or whose window is
 * over here) starts from known = 0 and is admitted without waiting: that is exactly the stale
 * view the bound below allows for, and waiting would put a round trip on every tenant's first
 * request on every instance, which is the common case for tenants with light traffic.
 *
 * Bound: in one Redis window at most limit − 1 + N × M requests are counted (and each admitted
 * request is counted in exactly one window), for N instances, while Redis answers. Proof: let X
 * be the first batch whose INCRBY takes the window's count to ≥ limit; before X it was < limit.
 * Take one instance i, and r_i the reply to its first batch applied at or after X: it shows a
 * count ≥ limit. Every batch of i applied in this window at or after X was admitted before r_i
 * arrived: after r_i, known ≥ limit refuses everything until the window ends here, and it ends
 * here no earlier than in Redis (resetAt is reply time + PTTL), so later admits land in a later
 * window. Replies on one connection come in the order the commands were applied, so none of
 * those batches had its reply before r_i: just before r_i, all of them were unconfirmed at once,
 * and unconfirmed ≤ M. Summing over instances: count ≤ (limit − 1) + N × M.
 * No early refusal: known + unconfirmed never exceeds what Redis will count, so a refusal means
 * the window holds at least `limit` admitted requests (once the unconfirmed ones land).
 * What breaks the bound: a failed batch (its increments are dropped, fail-open) and a waiter
 * that times out (admitted uncounted); both are store failures, reported and logged.
 */
function redisLimiter(store: Store, options: TenantLimiterOptions & { windowMs: number; now: () => number }): TenantLimiter {
  const { limit, windowMs, now, onError, log } = options;
  const M = maxUnconfirmed(limit);
  const flushAt = Math.ceil(M / 2);
  const waitTimeoutMs = options.waitTimeoutMs ?? WAIT_TIMEOUT_MS;
  const flushMs = options.flushMs ?? FLUSH_MS;
  const window = String(windowMs);
  const states = new Map<string, TenantState>();
  let t = 0;
  const sweep = sweeper(states, (s) => s.resetAt <= t && s.queued === 0 && s.inFlight === 0 && s.waiters.length === 0);
  const dirty = new Set<TenantState>();
  let flushTimer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  // One client promise for every batch: continuations run in the order batches were sent, so
  // commands reach the connection in that order (the proof above needs per-connection order).
  let client: Promise<RedisClient> | undefined;
  const connected = () => {
    client ??= store.redis!.client().catch((err: unknown) => {
      client = undefined;
      throw err;
    });
    return client;
  };
  async function incrBy(key: string, n: number): Promise<[number, number]> {
    const redis = await connected();
    const args = { keys: [key], arguments: [window, String(n)] };
    const reply = await runScript(redis, TAKE_SCRIPT, args);
    const [count, ttl] = reply as [number, number];
    return [Number(count), Number(ttl)];
  }

  let quietErrorsUntil = -Infinity;
  function failed(err: unknown, what: string): void {
    onError?.();
    const at = now();
    if (at < quietErrorsUntil) return;
    quietErrorsUntil = at + windowMs;
    log?.warn({ err: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }, `rate limit: ${what}; requests are admitted uncounted while this lasts (logged at most once a window)`);
  }

  function send(s: TenantState): void {
    const n = s.queued;
    if (n === 0) return;
    s.queued = 0;
    s.inFlight += n;
    dirty.delete(s);
    const done = incrBy(s.key, n).then(
      ([count, ttl]) => {
        s.inFlight -= n;
        s.known = count;
        s.resetAt = now() + ttl;
      },
      (err: unknown) => {
        // Forget them: a dead Redis must not leave us refusing on increments it never counted.
        s.inFlight -= n;
        failed(err, 'counting in the store failed');
      },
    );
    const tracked = done.then(() => {
      inFlight.delete(tracked);
      wake(s);
    });
    inFlight.add(tracked);
  }

  function flushAll(): void {
    flushTimer = undefined;
    for (const s of dirty) send(s);
  }

  /** The decision now, or undefined when the request must wait for a reply. */
  function decide(s: TenantState): RateDecision | undefined {
    if (s.resetAt <= t) s.known = 0;
    const unconfirmed = s.queued + s.inFlight;
    if (s.known + unconfirmed >= limit) {
      const firstRefusal = t >= s.quietUntil;
      // Before the first reply (limit 1) the window's end is not known yet: a window from now.
      s.quietUntil = s.resetAt > t ? s.resetAt : t + windowMs;
      return { allowed: false, retryAfterSec: retryAfter(s.resetAt > t ? s.resetAt - t : windowMs), firstRefusal };
    }
    if (unconfirmed >= M) return undefined;
    s.queued++;
    if (s.queued >= flushAt) send(s);
    else {
      dirty.add(s);
      if (!flushTimer) {
        flushTimer = setTimeout(flushAll, flushMs);
        flushTimer.unref();
      }
    }
    return ALLOWED;
  }

  /** A reply (or failure) for `s` came: let waiting requests through in order. */
  function wake(s: TenantState): void {
    t = now();
    while (s.waiters.length > 0) {
      const decision = decide(s);
      if (!decision) break;
      const w = s.waiters.shift()!;
      clearTimeout(w.timer);
      w.resolve(decision);
    }
    // They wait on what is queued: send it now rather than at the next flush.
    if (s.waiters.length > 0) send(s);
  }

  function wait(s: TenantState): Promise<RateDecision> {
    return new Promise<RateDecision>((resolve) => {
      const w: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const i = s.waiters.indexOf(w);
          if (i >= 0) s.waiters.splice(i, 1);
          failed(new Error(`no reply within ${waitTimeoutMs} ms`), 'the store is too slow');
          resolve(ALLOWED);
        }, waitTimeoutMs),
      };
      s.waiters.push(w);
      send(s);
    });
  }

  return {
    limit,
    overshoot: M,
    take(tenantId) {
      t = now();
      let s = states.get(tenantId);
      if (!s) {
        sweep();
        s = { key: store.keyFor(counterKey(tenantId)), known: 0, resetAt: 0, queued: 0, inFlight: 0, waiters: [], quietUntil: 0 };
        states.set(tenantId, s);
      }
      // Behind earlier waiters, in order: the head decides first.
      if (s.waiters.length > 0) return wait(s);
      return decide(s) ?? wait(s);
    },
    async close() {
      clearTimeout(flushTimer);
      flushAll();
      await Promise.all([...inFlight]);
    },
  };
}
