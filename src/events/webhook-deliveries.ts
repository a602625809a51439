/**
 * Each tenant's recent webhook deliveries (newest first, at most 100), kept in the store as one
 * list per tenant so `eventDeliveries` answers from any instance.
 *
 * Updating the list is read-modify-write. Within a process, updates of one tenant run one after
 * another; across processes a short lease in the store keeps two instances from overwriting each
 * other's update. If the lease cannot be had in time the update goes ahead anyway: the log is
 * for people looking into deliveries, and losing one status change beats stalling deliveries.
 */
import type { Store } from '../store/index.js';
import { StoreLock } from '../store/lock.js';

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'FAILED';

export interface EventDelivery {
  eventId: string;
  url: string;
  status: DeliveryStatus;
  /** Attempts made so far. */
  attempts: number;
  /** HTTP status of the last answer, if there was one. */
  lastStatusCode: number | null;
  /**
   * Why the last attempt failed, coarse so it never maps the gateway's network: `http_<status>`,
   * `refused_address`, `connect_failed`, `timeout`, `gateway_stopped`. Never a secret.
   */
  lastError: string | null;
  /** Epoch ms. */
  updatedAt: number;
}

/** Deliveries kept per tenant. */
export const MAX_DELIVERIES = 100;
/** Lease on a tenant's list while one update runs, in ms (an update is two store round trips). */
const LEASE_MS = 2_000;
/** How long an update waits for the lease before going ahead without it, in ms. */
const LEASE_WAIT_MS = 1_000;
const LEASE_POLL_MS = 15;

export class DeliveryLog {
  private readonly lock: StoreLock;
  /** Per tenant, the tail of the chain of updates running in this process. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly store: Store) {
    this.lock = new StoreLock(store);
  }

  private keyOf(tenantId: string): string {
    return `events:deliveries:${tenantId}`;
  }

  /** The tenant's latest `first` deliveries, newest first. */
  async list(tenantId: string, first = 20): Promise<EventDelivery[]> {
    const all = (await this.store.get<EventDelivery[]>(this.keyOf(tenantId))) ?? [];
    return all.slice(0, Math.max(0, first));
  }

  /** Inserts or replaces (by event id and url) a delivery, moving it to the front. */
  record(tenantId: string, delivery: EventDelivery): Promise<void> {
    const run = () =>
      this.lock.withLease(`${this.keyOf(tenantId)}:lock`, { ttlMs: LEASE_MS, waitMs: LEASE_WAIT_MS, pollMs: LEASE_POLL_MS, busy: 'run-unleased' }, async () => {
        const all = (await this.store.get<EventDelivery[]>(this.keyOf(tenantId))) ?? [];
        const rest = all.filter((d) => d.eventId !== delivery.eventId || d.url !== delivery.url);
        await this.store.set(this.keyOf(tenantId), [delivery, ...rest].slice(0, MAX_DELIVERIES));
      });
    const next = (this.tails.get(tenantId) ?? Promise.resolve()).then(run, run);
    const tail = next.catch(() => undefined);
    this.tails.set(tenantId, tail);
    void tail.then(() => {
      if (this.tails.get(tenantId) === tail) this.tails.delete(tenantId);
    });
    return next;
  }
}
