/**
 * Per-tenant request limit: at most `limit` GraphQL operations per tenant per window (a minute),
 * counted in the shared store so every gateway instance draws from one budget. One tenant can
 * then neither starve the process nor burn its Zoho org's daily API credits in a loop.
 *
 * A fixed window that opens at the tenant's first request: simple, one counter per tenant, and
 * atomic in one Redis round trip. Its known cost is a burst of up to 2 × limit across a window
 * boundary, which is acceptable for a guard against runaway clients (Zoho's own credits and
 * concurrency limits are the finer control).
 *
 * - Redis: a Lua script does INCR, sets the window's expiry on the first hit, and reads the time
 *   left, atomically: N instances sharing a Redis share the count exactly.
 * - Memory and SQLite: a counter in this process. Memory exists in one process only; SQLite is a
 *   single-instance setup (the file is shared, but a per-request write there would cost more
 *   than the limit saves), so each instance limits on its own.
 */
import type { Store } from '../store/index.js';

export interface RateDecision {
  allowed: boolean;
  /** Requests counted in the current window, this one included. */
  count: number;
  /** Seconds until the window resets (at least 1). */
  retryAfterSec: number;
}

export interface TenantLimiter {
  readonly limit: number;
  /** Counts one request of `tenantId` and says whether it is within the limit. */
  take(tenantId: string): Promise<RateDecision>;
}

export interface TenantLimiterOptions {
  /** Requests per window per tenant; must be positive (0 means "off": build no limiter). */
  limit: number;
  /** Window length in ms (default one minute). */
  windowMs?: number;
  /** Clock for the in-process counters (default Date.now). Redis keeps its own time. */
  now?: () => number;
}

/**
 * INCR the tenant's counter; on the first hit of a window give it the window's lifetime. A key
 * without expiry (impossible here, as the script is atomic, but cheap to heal) gets one too.
 * Returns [count, ms left].
 */
const TAKE_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {n, ttl}
`;

/** The store key of a tenant's counter. Tenant ids come from signed JWTs but any text is legal there. */
function counterKey(tenantId: string): string {
  return `ratelimit:tenant:${encodeURIComponent(tenantId)}`;
}

function decide(limit: number, count: number, msLeft: number): RateDecision {
  return { allowed: count <= limit, count, retryAfterSec: Math.max(1, Math.ceil(msLeft / 1000)) };
}

export function createTenantLimiter(store: Store, options: TenantLimiterOptions): TenantLimiter {
  const { limit } = options;
  const windowMs = options.windowMs ?? 60_000;
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new RangeError('rate limit must be a positive integer');
  if (store.redis) return redisLimiter(store, limit, windowMs);
  return localLimiter(limit, windowMs, options.now ?? Date.now);
}

function redisLimiter(store: Store, limit: number, windowMs: number): TenantLimiter {
  const redis = store.redis!;
  return {
    limit,
    async take(tenantId) {
      const client = await redis.client();
      const reply = (await client.eval(TAKE_SCRIPT, { keys: [store.keyFor(counterKey(tenantId))], arguments: [String(windowMs)] })) as [number, number];
      return decide(limit, Number(reply[0]), Number(reply[1]));
    },
  };
}

/** Entries above which expired windows are swept, so departed tenants do not pile up. */
const SWEEP_AT = 10_000;

function localLimiter(limit: number, windowMs: number, now: () => number): TenantLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    limit,
    async take(tenantId) {
      const t = now();
      if (windows.size >= SWEEP_AT) for (const [k, w] of windows) if (w.resetAt <= t) windows.delete(k);
      let w = windows.get(tenantId);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(tenantId, w);
      }
      w.count++;
      return decide(limit, w.count, w.resetAt - t);
    },
  };
}
