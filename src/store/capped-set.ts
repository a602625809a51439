/**
 * A capped set of expiring members per key, counted across instances: what a per-tenant cap on
 * things that may be abandoned (OAuth states, live streams) needs. Each member carries the time
 * it lapses; a lapsed member stops counting without anyone removing it.
 *
 * - Redis: one sorted set per key, member scored with its lapse time (epoch ms). Lua scripts
 *   prune lapsed members and check the caps in the same step as the add, so N instances sharing
 *   a Redis share the count exactly. The set itself expires no sooner than its newest member.
 * - Memory and SQLite: the same set in this process (memory exists in one process only; SQLite
 *   is a single-instance setup).
 *
 * The clock is the caller's when given (its lapses must agree with other times it keeps, e.g. a
 * state's own expiry); otherwise Redis's TIME, so instances whose clocks disagree still agree on
 * which members lapsed (in process: Date.now).
 */
import type { Store } from './store.js';

export interface CappedSetCaps {
  /** Members the key may hold (positive integer). */
  total: number;
  /** With `perPrefix`: also cap the members that start with this text (e.g. one user's). */
  prefix?: string;
  /** Members starting with `prefix` the key may hold (positive integer). */
  perPrefix?: number;
}

/** `added`, or which cap refused the member. */
export type CappedAddResult = 'added' | 'total' | 'prefix';

export interface CappedSet {
  /** Adds `member` to `key` for `ttlMs` (ms) unless a cap is reached; lapsed members do not count. Members should be unique (a nonce). */
  add(key: string, member: string, ttlMs: number, caps: CappedSetCaps): Promise<CappedAddResult>;
  /** Pushes the lapse of `members` to `ttlMs` (ms) from now, re-adding any that lapsed meanwhile (the caller knows they are live). */
  extend(key: string, members: readonly string[], ttlMs: number): Promise<void>;
  remove(key: string, member: string): Promise<void>;
  /** Members of `key` that have not lapsed. */
  count(key: string): Promise<number>;
}

export interface CappedSetOptions {
  /** Clock in epoch ms; default Redis TIME for a Redis store, Date.now in process. */
  now?: () => number;
}

/** Lua: `now` is ARGV[1] when given, else Redis's clock. */
const NOW = `
local now = tonumber(ARGV[1])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

/** Keeps the set at least as long as a member just given `ttl` ms. */
const KEEP = `
local function keep(ttl)
  if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
end
`;

/**
 * ARGV: now ('' = Redis TIME), ttl ms, total cap, member, prefix ('' = none), prefix cap.
 * Returns 1 added, 0 over the total cap, -1 over the prefix cap.
 */
const ADD_SCRIPT = `${NOW}${KEEP}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local ttl = tonumber(ARGV[2])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
if ARGV[5] ~= '' then
  local same = 0
  for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    if string.sub(m, 1, #ARGV[5]) == ARGV[5] then same = same + 1 end
  end
  if same >= tonumber(ARGV[6]) then return -1 end
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[4])
keep(ttl)
return 1
`;

/** ARGV: now ('' = Redis TIME), ttl ms, then the members. */
const EXTEND_SCRIPT = `${NOW}${KEEP}
local ttl = tonumber(ARGV[2])
for i = 3, #ARGV do redis.call('ZADD', KEYS[1], now + ttl, ARGV[i]) end
keep(ttl)
return #ARGV - 2
`;

/** ARGV: now ('' = Redis TIME). */
const COUNT_SCRIPT = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
`;

function checkCaps(caps: CappedSetCaps): void {
  const counts = caps.prefix === undefined ? [caps.total] : [caps.total, caps.perPrefix];
  for (const n of counts) if (n === undefined || !Number.isSafeInteger(n) || n <= 0) throw new RangeError('caps must be positive integers');
}

function checkTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new RangeError('a member ttl must be a positive integer of ms');
}

/** Keys are the caller's logical keys: the set namespaces them in the store like any other key. */
export function createCappedSet(store: Store, options: CappedSetOptions = {}): CappedSet {
  return store.redis ? redisSet(store, options.now) : localSet(options.now ?? Date.now);
}

function redisSet(store: Store, now: (() => number) | undefined): CappedSet {
  const redis = store.redis!;
  const clock = () => (now ? String(now()) : '');
  const run = async (script: string, key: string, args: string[]) => (await redis.client()).eval(script, { keys: [store.keyFor(key)], arguments: [clock(), ...args] });
  return {
    async add(key, member, ttlMs, caps) {
      checkTtl(ttlMs);
      checkCaps(caps);
      const prefix = caps.prefix ?? '';
      const reply = Number(await run(ADD_SCRIPT, key, [String(ttlMs), String(caps.total), member, prefix, String(caps.perPrefix ?? 0)]));
      return reply === 1 ? 'added' : reply === 0 ? 'total' : 'prefix';
    },
    async extend(key, members, ttlMs) {
      checkTtl(ttlMs);
      if (members.length > 0) await run(EXTEND_SCRIPT, key, [String(ttlMs), ...members]);
    },
    async remove(key, member) {
      await (await redis.client()).zRem(store.keyFor(key), member);
    },
    count: async (key) => Number(await run(COUNT_SCRIPT, key, [])),
  };
}

function localSet(now: () => number): CappedSet {
  /** key → member → lapse (epoch ms). */
  const sets = new Map<string, Map<string, number>>();
  const live = (key: string): Map<string, number> | undefined => {
    const set = sets.get(key);
    if (!set) return undefined;
    const t = now();
    for (const [member, lapse] of set) if (lapse <= t) set.delete(member);
    if (set.size === 0) sets.delete(key);
    return set.size === 0 ? undefined : set;
  };
  const put = (key: string, member: string, lapse: number) => {
    const set = sets.get(key) ?? new Map<string, number>();
    set.set(member, lapse);
    sets.set(key, set);
  };
  // Each method does its work before its first await, so a caller that does not wait (a stream
  // slot's release) still sees the effect at once.
  return {
    async add(key, member, ttlMs, caps) {
      checkTtl(ttlMs);
      checkCaps(caps);
      const set = live(key);
      if ((set?.size ?? 0) >= caps.total) return 'total';
      const { prefix } = caps;
      if (prefix !== undefined && set && [...set.keys()].filter((m) => m.startsWith(prefix)).length >= caps.perPrefix!) return 'prefix';
      put(key, member, now() + ttlMs);
      return 'added';
    },
    async extend(key, members, ttlMs) {
      checkTtl(ttlMs);
      const lapse = now() + ttlMs;
      for (const member of members) put(key, member, lapse);
    },
    async remove(key, member) {
      const set = sets.get(key);
      set?.delete(member);
      if (set?.size === 0) sets.delete(key);
    },
    count: async (key) => live(key)?.size ?? 0,
  };
}
