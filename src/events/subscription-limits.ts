/**
 * Caps on live `recordEvents` streams: at most `perTenant` per tenant and `perUser` per (tenant,
 * sub), counted across every gateway instance. Each stream is an open response, a pub/sub
 * listener and, per event, Zoho reads; without a cap one tenant (or one script of one user)
 * could hold enough of them to starve the others.
 *
 * One capped set per tenant (store/capped-set.ts: counted exactly across instances sharing a
 * Redis, in process for memory and SQLite) whose members are `<sub> <stream id>`, so the per-user
 * cap is a cap on a member prefix. Each stream holds a lease that its instance refreshes every
 * third of the lease, so the streams of an instance that crashed stop counting within one lease
 * (60 s by default).
 */
import { randomUUID } from 'node:crypto';
import { GatewayError } from '../errors.js';
import { createCappedSet, StoreUnavailableError, type CappedAddResult, type Store } from '../store/index.js';

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
  /** Lease of a stream (ms, default 60 s); refreshed every third of it, so only a dead instance's streams lapse. */
  leaseMs?: number;
}

/** Tenant ids and subjects come from signed JWTs, but any text is legal there: encode both. */
const setKey = (tenantId: string) => `subscriptions:${encodeURIComponent(tenantId)}`;
const memberPrefix = (subject: string) => `${encodeURIComponent(subject)} `;

function refused(which: 'tenant' | 'user', maximum: number): GatewayError {
  const limit = which === 'tenant' ? 'subscriptionsPerTenant' : 'subscriptionsPerUser';
  const variable = which === 'tenant' ? 'MAX_SUBSCRIPTIONS_PER_TENANT' : 'MAX_SUBSCRIPTIONS_PER_USER';
  return new GatewayError('RATE_LIMITED', `too many live subscriptions: at most ${maximum} per ${which} (${variable}); close one first`, { limit, maximum });
}

export function createSubscriptionLimiter(store: Store, { perTenant, perUser, leaseMs = 60_000 }: SubscriptionLimitOptions): SubscriptionLimiter {
  for (const n of [perTenant, perUser]) {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError('subscription limits must be positive integers');
  }
  // No clock of ours: Redis's scores the leases, so instances' clocks need not agree.
  const streams = createCappedSet(store);
  /** This instance's live streams: set key → members. */
  const mine = new Map<string, Set<string>>();
  let refreshing: Promise<void> | undefined;
  const refresh = async () => {
    for (const [key, members] of mine) if (members.size > 0) await streams.extend(key, [...members], leaseMs);
  };
  const timer = setInterval(
    () => {
      // One round at a time; a failed round (Redis away) is retried at the next tick, well within the lease.
      refreshing ??= refresh()
        .catch(() => undefined)
        .finally(() => (refreshing = undefined));
    },
    Math.max(1, Math.floor(leaseMs / 3)),
  );
  timer.unref();

  const remove = async (key: string, member: string): Promise<void> => {
    const members = mine.get(key);
    if (!members?.delete(member)) return;
    if (members.size === 0) mine.delete(key);
    await streams.remove(key, member).catch(() => undefined);
  };

  return {
    perTenant,
    perUser,
    async acquire(tenantId, subject) {
      const key = setKey(tenantId);
      const member = `${memberPrefix(subject)}${randomUUID()}`;
      let added: CappedAddResult;
      try {
        added = await streams.add(key, member, leaseMs, { total: perTenant, prefix: memberPrefix(subject), perPrefix: perUser });
      } catch (err) {
        // Uncounted streams are what the cap exists to prevent: refuse rather than open one.
        throw new StoreUnavailableError(err);
      }
      if (added === 'total') throw refused('tenant', perTenant);
      if (added === 'prefix') throw refused('user', perUser);
      const members = mine.get(key) ?? new Set<string>();
      members.add(member);
      mine.set(key, members);
      return { release: () => void remove(key, member) };
    },
    count: (tenantId) => streams.count(setKey(tenantId)),
    async close() {
      clearInterval(timer);
      await refreshing;
      await Promise.all([...mine].flatMap(([key, members]) => [...members].map((m) => remove(key, m))));
    },
  };
}
