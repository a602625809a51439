/**
 * Caps on live `recordEvents` streams: at most `perTenant` per tenant and `perUser` per (tenant,
 * sub), counted across every gateway instance. Each stream is an open response, a pub/sub
 * listener and, per event, Zoho reads; without a cap one tenant (or one script of one user)
 * could hold enough of them to starve the others.
 *
 * - Redis: a sorted set per tenant whose members are `<sub> <stream id>`, scored with the time
 *   their lease runs out. A Lua script prunes expired members, counts, and adds atomically; each
 *   instance refreshes the leases of its live streams every third of the lease, so the streams
 *   of an instance that crashed stop counting within one lease (60 s by default).
 * - Memory and SQLite: counted in this process, the only one such a gateway has subscribers in.
 */
import { randomUUID } from 'node:crypto';
import { GatewayError } from '../errors.js';
import { StoreUnavailableError, type Store } from '../store/index.js';

export interface StreamSlot {
  /** Frees the slot (idempotent, never throws: a failure only leaves the lease to expire). */
  release(): void;
}

export interface SubscriptionLimiter {
  readonly perTenant: number;
  readonly perUser: number;
  /**
   * Takes a slot for one stream of `subject` in `tenantId`; throws GatewayError RATE_LIMITED
   * (`limit`: subscriptionsPerTenant or subscriptionsPerUser, `maximum`) when a cap is reached.
   */
  acquire(tenantId: string, subject: string): Promise<StreamSlot>;
  /** Live streams of `tenantId` counted (across instances for Redis), for tests and operators. */
  count(tenantId: string): Promise<number>;
  /** Stops refreshing leases and frees this instance's slots. */
  close(): Promise<void>;
}

export interface SubscriptionLimitOptions {
  perTenant: number;
  perUser: number;
  /** Lease of a stream in Redis (ms, default 60 s); refreshed every third of it. */
  leaseMs?: number;
}

/**
 * KEYS[1]: the tenant's set. ARGV: member, the member prefix of the subject, lease ms, tenant cap,
 * user cap. Redis's own clock scores the leases, so instances' clocks need not agree.
 * Returns {1, count} when added, {0, count} over the tenant cap, {-1, count} over the user cap.
 */
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
if #members >= tonumber(ARGV[4]) then return {0, #members} end
local mine = 0
for _, m in ipairs(members) do
  if string.sub(m, 1, #ARGV[2]) == ARGV[2] then mine = mine + 1 end
end
if mine >= tonumber(ARGV[5]) then return {-1, mine} end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
return {1, #members + 1}
`;

/** KEYS[1]: the tenant's set; ARGV: lease ms, then members to extend (re-added if pruned meanwhile: they are live). */
const REFRESH_SCRIPT = `
local t = redis.call('TIME')
local until_ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], until_ms, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
return #ARGV - 1
`;

const COUNT_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
`;

/** Tenant ids and subjects come from signed JWTs, but any text is legal there: encode both. */
const setKey = (tenantId: string) => `subscriptions:${encodeURIComponent(tenantId)}`;
const memberPrefix = (subject: string) => `${encodeURIComponent(subject)} `;

function refused(which: 'tenant' | 'user', maximum: number): GatewayError {
  const limit = which === 'tenant' ? 'subscriptionsPerTenant' : 'subscriptionsPerUser';
  const variable = which === 'tenant' ? 'MAX_SUBSCRIPTIONS_PER_TENANT' : 'MAX_SUBSCRIPTIONS_PER_USER';
  return new GatewayError('RATE_LIMITED', `too many live subscriptions: at most ${maximum} per ${which} (${variable}); close one first`, { limit, maximum });
}

export function createSubscriptionLimiter(store: Store, options: SubscriptionLimitOptions): SubscriptionLimiter {
  for (const n of [options.perTenant, options.perUser]) {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError('subscription limits must be positive integers');
  }
  return store.redis ? redisLimiter(store, options) : localLimiter(options);
}

function localLimiter({ perTenant, perUser }: SubscriptionLimitOptions): SubscriptionLimiter {
  /** tenant → stream id → subject */
  const live = new Map<string, Map<string, string>>();
  return {
    perTenant,
    perUser,
    async acquire(tenantId, subject) {
      const streams = live.get(tenantId) ?? new Map<string, string>();
      if (streams.size >= perTenant) throw refused('tenant', perTenant);
      if ([...streams.values()].filter((s) => s === subject).length >= perUser) throw refused('user', perUser);
      const id = randomUUID();
      streams.set(id, subject);
      live.set(tenantId, streams);
      return {
        release() {
          streams.delete(id);
          if (streams.size === 0 && live.get(tenantId) === streams) live.delete(tenantId);
        },
      };
    },
    count: async (tenantId) => live.get(tenantId)?.size ?? 0,
    async close() {
      live.clear();
    },
  };
}

function redisLimiter(store: Store, { perTenant, perUser, leaseMs = 60_000 }: SubscriptionLimitOptions): SubscriptionLimiter {
  const redis = store.redis!;
  /** This instance's live streams: store key → members. */
  const mine = new Map<string, Set<string>>();
  let refreshing: Promise<void> | undefined;
  const refresh = async () => {
    if (mine.size === 0) return;
    const client = await redis.client();
    for (const [key, members] of mine) {
      if (members.size > 0) await client.eval(REFRESH_SCRIPT, { keys: [key], arguments: [String(leaseMs), ...members] });
    }
  };
  const timer = setInterval(() => {
    // One round at a time; a failed round (Redis away) is retried at the next tick, well within the lease.
    refreshing ??= refresh()
      .catch(() => undefined)
      .finally(() => (refreshing = undefined));
  }, Math.max(1, Math.floor(leaseMs / 3)));
  timer.unref();

  const remove = async (key: string, member: string): Promise<void> => {
    const members = mine.get(key);
    if (!members?.delete(member)) return;
    if (members.size === 0) mine.delete(key);
    await redis
      .client()
      .then((c) => c.zRem(key, member))
      .catch(() => undefined);
  };

  return {
    perTenant,
    perUser,
    async acquire(tenantId, subject) {
      const key = store.keyFor(setKey(tenantId));
      const member = `${memberPrefix(subject)}${randomUUID()}`;
      let status: number;
      try {
        const client = await redis.client();
        const reply = (await client.eval(ACQUIRE_SCRIPT, {
          keys: [key],
          arguments: [member, memberPrefix(subject), String(leaseMs), String(perTenant), String(perUser)],
        })) as [number, number];
        status = Number(reply[0]);
      } catch (err) {
        // Uncounted streams are what the cap exists to prevent: refuse rather than open one.
        throw new StoreUnavailableError(err);
      }
      if (status === 0) throw refused('tenant', perTenant);
      if (status === -1) throw refused('user', perUser);
      const members = mine.get(key) ?? new Set<string>();
      members.add(member);
      mine.set(key, members);
      return { release: () => void remove(key, member) };
    },
    async count(tenantId) {
      const client = await redis.client();
      return Number(await client.eval(COUNT_SCRIPT, { keys: [store.keyFor(setKey(tenantId))] }));
    },
    async close() {
      clearInterval(timer);
      await refreshing;
      await Promise.all([...mine].flatMap(([key, members]) => [...members].map((m) => remove(key, m))));
    },
  };
}
