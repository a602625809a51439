/**
 * Counted leases in Redis: at most `limit` holders of a key at once across every process on the
 * Redis, each holding an expiring lease. What the Zoho client uses to share one org's concurrency
 * budget between gateway instances (src/zoho/org-budget.ts).
 *
 * A key is a sorted set of lease id -> expiry (epoch ms). Expiry is computed from Redis's own
 * clock (TIME inside the script), never an instance's: instances whose clocks disagree still agree
 * on when a lease is over. A lease that is not renewed (its holder died) simply drops out at its
 * expiry, the next time anyone asks for the key.
 */
import { redisScript, runScript } from './scripts.js';
import type { Store } from './store.js';

/**
 * The longest lease anyone may take (the bound of ZOHO_LEASE_TTL_MS): no gateway writes a lease
 * expiring later than this from now, whatever each instance's setting, so ACQUIRE drops any that does.
 */
export const MAX_LEASE_TTL_MS = 600_000;

/**
 * KEYS[1] the set; ARGV limit, ttlMs, leaseId, maxTtlMs. Drops expired leases, and leases no
 * gateway wrote (expiring beyond now + MAX_LEASE_TTL_MS: whoever can write to the Redis would
 * otherwise hold an org's slots for good with one ZADD), then grants if fewer than `limit` remain.
 * The whole set expires twice the TTL after its last grant, so an org nobody calls any more leaves
 * nothing behind.
 */
const ACQUIRE = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '(' .. (now + tonumber(ARGV[4])), '+inf')
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], 2 * tonumber(ARGV[2]))
  return 1
end
return 0
`);

/**
 * KEYS the sets; ARGV ttlMs, then for each key its lease count followed by its lease ids.
 * Pushes the expiry of leases still present (XX: a lease that already expired stays gone, since
 * another holder may have its slot now). Returns how many leases were NOT found.
 */
const RENEW = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
local at = 2
local lost = 0
for i, key in ipairs(KEYS) do
  local n = tonumber(ARGV[at])
  at = at + 1
  for j = 1, n do
    local id = ARGV[at]
    at = at + 1
    local score = redis.call('ZSCORE', key, id)
    if score and tonumber(score) > now then
      redis.call('ZADD', key, 'XX', now + ttl, id)
    else
      redis.call('ZREM', key, id)
      lost = lost + 1
    end
  end
  redis.call('PEXPIRE', key, 2 * ttl)
end
return lost
`);

/** KEYS[1] the set; ARGV leaseId, limit. 1 when the lease was there and the set was full. */
const RELEASE = redisScript(`
local n = redis.call('ZCARD', KEYS[1])
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 and n >= tonumber(ARGV[2]) then return 1 end
return 0
`);

const COUNT = redisScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
`);

export class RedisLeaseSets {
  /** @param prefix put before every key (under the store's own prefix), e.g. `conc:org:`. */
  constructor(
    private readonly store: Store,
    private readonly prefix = '',
  ) {
    if (!store.redis) throw new TypeError('RedisLeaseSets needs a Redis store');
  }

  private keyFor(key: string): string {
    return this.store.keyFor(this.prefix + key);
  }

  /** Takes a lease on `key` for `ttlMs` if fewer than `limit` are live; one round trip. */
  async tryAcquire(key: string, limit: number, ttlMs: number, leaseId: string): Promise<boolean> {
    const client = await this.store.redis!.client();
    const granted = await runScript(client, ACQUIRE, { keys: [this.keyFor(key)], arguments: [String(limit), String(ttlMs), leaseId, String(MAX_LEASE_TTL_MS)] });
    return granted === 1;
  }

  /**
   * Extends every lease in `leases` (key -> ids) to `ttlMs` from now, in one round trip for all
   * keys. Resolves with how many had already expired (their holders run over budget until done).
   */
  async renew(leases: ReadonlyMap<string, readonly string[]>, ttlMs: number): Promise<number> {
    if (leases.size === 0) return 0;
    const keys: string[] = [];
    const args: string[] = [String(ttlMs)];
    for (const [key, ids] of leases) {
      keys.push(this.keyFor(key));
      args.push(String(ids.length), ...ids);
    }
    const client = await this.store.redis!.client();
    return Number(await runScript(client, RENEW, { keys, arguments: args }));
  }

  /**
   * Gives a lease back at once. True when the set was full before (counting leases that expired
   * but were not yet dropped): only then may someone be waiting for the slot.
   */
  async release(key: string, leaseId: string, limit: number): Promise<boolean> {
    const client = await this.store.redis!.client();
    return (await runScript(client, RELEASE, { keys: [this.keyFor(key)], arguments: [leaseId, String(limit)] })) === 1;
  }

  /** Live leases of `key` now (for tests and metrics). */
  async count(key: string): Promise<number> {
    const client = await this.store.redis!.client();
    return Number(await runScript(client, COUNT, { keys: [this.keyFor(key)], arguments: [] }));
  }
}
