/**
 * MAX_PENDING_CONNECTS_PER_TENANT: each startZohoConnect leaves a state in the store for ten
 * minutes, so without a cap one tenant with `zoho:connect` could fill the store in a loop.
 *
 * - Redis: one sorted set per tenant (member = state nonce, score = when it lapses, epoch ms);
 *   a Lua script drops lapsed members, counts, and adds, atomically, so N instances sharing a
 *   Redis share the count exactly. The set itself expires with its newest member.
 * - Memory and SQLite: the same set in this process (memory exists in one process only; SQLite
 *   is a single-instance setup), as the tenant rate limiter does.
 *
 * A state used by its callback is released; an abandoned one lapses with its TTL.
 */
import type { Store } from '../store/index.js';
import type { PendingLimiter } from './oauth-state.js';

/** Default of MAX_PENDING_CONNECTS_PER_TENANT. */
export const DEFAULT_MAX_PENDING_CONNECTS = 20;

/** ARGV: now (ms), lapse time of the new member (ms), ttl (ms), limit, member. Returns 1 if added. */
const RESERVE_SCRIPT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[5])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1
`;

/** Tenant ids come from signed JWTs but any text is legal there: encode before using one in a key. */
function setKey(tenantId: string): string {
  return `connect:pending:${encodeURIComponent(tenantId)}`;
}

/**
 * @param limit pending states per tenant (positive integer).
 * @param now clock in epoch ms (the gateway's, so lapses agree with the states' own expiry).
 */
export function createPendingLimiter(store: Store, limit: number, now: () => number = Date.now): PendingLimiter {
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new RangeError('the pending-connect limit must be a positive integer');
  const redis = store.redis;
  if (redis) {
    return {
      async reserve(tenantId, id, ttlMs) {
        const t = now();
        const client = await redis.client();
        const added = await client.eval(RESERVE_SCRIPT, { keys: [store.keyFor(setKey(tenantId))], arguments: [String(t), String(t + ttlMs), String(ttlMs), String(limit), id] });
        return added === 1;
      },
      async release(tenantId, id) {
        const client = await redis.client();
        await client.zRem(store.keyFor(setKey(tenantId)), id);
      },
    };
  }
  const sets = new Map<string, Map<string, number>>();
  return {
    async reserve(tenantId, id, ttlMs) {
      const t = now();
      const set = sets.get(tenantId) ?? new Map<string, number>();
      for (const [member, lapse] of set) if (lapse <= t) set.delete(member);
      if (set.size >= limit) return false;
      set.set(id, t + ttlMs);
      sets.set(tenantId, set);
      return true;
    },
    async release(tenantId, id) {
      const set = sets.get(tenantId);
      set?.delete(id);
      if (set?.size === 0) sets.delete(tenantId);
    },
  };
}
