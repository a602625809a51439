/**
 * One Zoho org's concurrency budget (ZOHO_MAX_CONCURRENCY calls in flight), shared by every
 * gateway instance on one Redis. Zoho counts concurrent calls per org by edition (Free 5 …
 * Ultimate 25; https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html, and Zoho's
 * "Credit calculation and concurrency in Zoho CRM APIs" Kaizen post,
 * https://help.zoho.com/portal/en/community/topic/credit-calculation-and-concurrency-in-zoho-crm-apis),
 * so a cap per process lets N instances send N × cap and earn 429s.
 *
 * How a call gets a slot:
 * - Shared (Redis): a lease in the org's lease set (src/store/lease-set.ts), taken in one round
 *   trip. The lease expires `leaseTtlMs` after its last renewal; a heartbeat renews every lease of
 *   this process every ttl/3 in one round trip, so a long call keeps its slot and a killed
 *   instance's slots come back within one TTL.
 * - Waiting: calls that find the org full wait in this process, per org, in one line per lane
 *   (tenant + connection), served round robin between lanes: a tenant's burst of 200 calls cannot
 *   starve another tenant's single call behind it. Only one retry loop per org and process asks
 *   Redis (no herd from one instance); it retries when an instance announces a freed slot (only
 *   announced when the set was full, i.e. when someone may be waiting), and on a jittered timer,
 *   since leases of dead instances expire without any announcement.
 * - Hand-over: a finished call with a local waiter for the same org passes its lease straight on
 *   (no release and re-acquire round trips), at most `maxHandovers` times in a row; then the lease
 *   goes back to Redis so that waiters on other instances get their turn.
 * - Parking: a finished call with no local waiter keeps its lease for `parkMs` more, for the
 *   next call of the org in this process (under load one comes within a millisecond): two round
 *   trips saved, under the same `maxHandovers` rule, and a freed slot reaches other instances at
 *   most `parkMs` later.
 * - Local: without a shared store (memory, SQLite: one instance), or while Redis does not answer,
 *   the same lines with a cap of `limit` calls in this process. Never fail a call because the
 *   budget's store is down; Zoho's 429 (retried by the client) stays the backstop.
 */
import { errorMessage } from '../errors.js';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import { QueueTimeout } from './concurrency.js';

/** The shared lease sets (src/store/lease-set.ts RedisLeaseSets on a Redis store). */
export interface SharedSlots {
  tryAcquire(key: string, limit: number, ttlMs: number, leaseId: string): Promise<boolean>;
  renew(leases: ReadonlyMap<string, readonly string[]>, ttlMs: number): Promise<number>;
  /** Gives the lease back; true when the set was full before (someone may be waiting). */
  release(key: string, leaseId: string, limit: number): Promise<boolean>;
}

/** Messages between instances (src/store/broadcast.ts). */
export interface SlotMessages {
  publish(channel: string, message: string): Promise<void>;
  subscribe(channel: string, listener: (message: string) => void): () => void;
  onGap(listener: () => void): () => void;
}

/**
 * What the budget reports, for metrics: `fallback` for each slot taken under the local cap because
 * Redis did not answer (a slot handed on between calls is not taken again); the others when a lease is left to its TTL or was lost.
 */
export type BudgetEvent = 'fallback' | 'release_failed' | 'renew_failed' | 'lease_lost';

export interface OrgBudgetOptions {
  /** Calls in flight per org (across instances when shared). */
  limit: number;
  /** Lease lifetime without renewal (ms). */
  leaseTtlMs: number;
  shared?: { slots: SharedSlots; messages?: SlotMessages };
  log: Logger;
  onEvent?: (event: BudgetEvent) => void;
  random?: () => number;
  /** Consecutive direct hand-overs of one lease before it goes back to the shared pool (default 2). */
  maxHandovers?: number;
  /** How long a finished call's shared lease waits for the next local call of its org, ms (default PARK_MS; 0: release at once). */
  parkMs?: number;
}

/** A held slot: give it back exactly once (further calls do nothing). */
export interface OrgSlot {
  release(): void;
}

/** The broadcast channel on which an org's freed slots are announced (message: the org key). */
export const SLOT_FREED_CHANNEL = 'zoho-slot-freed';
/** How long the budget stays local after Redis failed, before it asks Redis again (ms). */
const SHARED_RETRY_AFTER_MS = 1_000;
/**
 * Fallback retry while waiting (ms, jittered ×0.5–1.5): bounds the wait when an announcement is
 * lost or a dead instance's lease expires silently. Short against a Zoho call, cheap for Redis
 * (one script per waiting org and instance).
 */
const POLL_MS = 200;
/**
 * How long a free shared lease stays with this process for its next call (ms). Long against the
 * gap between calls under load, short against a Zoho call, so other instances barely notice.
 */
const PARK_MS = 3;

interface Waiter {
  lane: string;
  grant(lease: Lease): void;
}

interface Lease {
  org: string;
  /** Set for a shared lease. */
  id: string | undefined;
  handovers: number;
}

interface OrgState {
  org: string;
  /** Waiters per lane, lanes in round-robin order (Map keeps insertion order). */
  lanes: Map<string, Waiter[]>;
  queued: number;
  /** Slots this process holds for the org (shared or local). */
  active: number;
  /** Fast-path Redis attempts in flight. */
  trying: number;
  pumping: boolean;
  /** Bumped on every announcement for the org: a denial older than an announcement is stale. */
  freedSeq: number;
  wake: (() => void) | undefined;
  /** Shared leases of finished calls kept for the next call (still counted in `active`). */
  parked: Lease[];
  parkTimer: NodeJS.Timeout | undefined;
}

export class OrgBudget {
  readonly limit: number;
  private readonly orgs = new Map<string, OrgState>();
  private readonly laneActive = new Map<string, number>();
  private readonly instance = randomUUID().slice(0, 8);
  private seq = 0;
  /** Shared leases held, per org: what the heartbeat renews. */
  private readonly held = new Map<string, Set<string>>();
  private heartbeat: NodeJS.Timeout | undefined;
  private sharedDownUntil = 0;
  private sharedDown = false;
  private readonly random: () => number;
  private readonly maxHandovers: number;
  private readonly parkMs: number;
  private readonly unsubscribe: Array<() => void> = [];
  /** Leases whose release failed (Redis down): given back when Redis answers again. */
  private unreleased: Array<{ org: string; id: string }> = [];

  constructor(private readonly options: OrgBudgetOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${options.limit}`);
    this.limit = options.limit;
    this.random = options.random ?? Math.random;
    this.maxHandovers = options.maxHandovers ?? 2;
    this.parkMs = options.parkMs ?? PARK_MS;
    const messages = options.shared?.messages;
    if (messages) {
      this.unsubscribe.push(messages.subscribe(SLOT_FREED_CHANNEL, (org) => this.freed(org)));
      // Announcements may have been lost: every waiting org retries now.
      this.unsubscribe.push(
        messages.onGap(() => {
          for (const s of this.orgs.values()) this.freed(s.org);
        }),
      );
    }
  }

  /**
   * A slot of `org` for a call of `lane`, waiting at most `timeoutMs` (then QueueTimeout, and the
   * call is never sent).
   */
  async acquire(org: string, lane: string, timeoutMs: number): Promise<OrgSlot> {
    const state = this.state(org);
    // A parked lease is only there when nobody waits here: taking it jumps no line.
    const parked = state.parked.pop();
    if (parked) return this.slot({ ...parked, handovers: parked.handovers + 1 }, lane);
    // Fast path: nobody waits here, so asking at once jumps no line. At most `limit` such asks
    // at a time; a burst beyond that queues without a round trip each.
    if (state.queued === 0 && state.trying < this.limit) {
      state.trying++;
      let lease: Lease | undefined;
      try {
        lease = await this.tryTake(state);
      } finally {
        state.trying--;
      }
      if (lease) return this.slot(lease, lane);
    }
    return new Promise<OrgSlot>((resolve, reject) => {
      let done = false;
      const waiter: Waiter = {
        lane,
        grant: (lease) => {
          done = true;
          clearTimeout(timer);
          resolve(this.slot(lease, lane));
        },
      };
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        this.dequeue(state, waiter);
        reject(new QueueTimeout(timeoutMs));
      }, timeoutMs);
      this.enqueue(state, waiter);
      void this.pump(state);
    });
  }

  /** Calls of `lane` holding a slot, and waiting, in this process now (tests and metrics). */
  load(lane: string): { active: number; queued: number } {
    let queued = 0;
    for (const s of this.orgs.values()) queued += s.lanes.get(lane)?.length ?? 0;
    return { active: this.laneActive.get(lane) ?? 0, queued };
  }

  close(): void {
    for (const s of this.orgs.values()) this.unpark(s);
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private state(org: string): OrgState {
    let s = this.orgs.get(org);
    if (!s) {
      s = { org, lanes: new Map(), queued: 0, active: 0, trying: 0, pumping: false, freedSeq: 0, wake: undefined, parked: [], parkTimer: undefined };
      this.orgs.set(org, s);
    }
    return s;
  }

  private dropIfIdle(s: OrgState): void {
    if (s.active === 0 && s.queued === 0 && s.trying === 0 && !s.pumping && s.parked.length === 0 && this.orgs.get(s.org) === s) this.orgs.delete(s.org);
  }

  private enqueue(s: OrgState, w: Waiter): void {
    const line = s.lanes.get(w.lane);
    if (line) line.push(w);
    else s.lanes.set(w.lane, [w]);
    s.queued++;
  }

  private dequeue(s: OrgState, w: Waiter): void {
    const line = s.lanes.get(w.lane);
    const at = line?.indexOf(w) ?? -1;
    if (!line || at === -1) return;
    line.splice(at, 1);
    s.queued--;
    if (line.length === 0) s.lanes.delete(w.lane);
    this.dropIfIdle(s);
  }

  /** The next waiter round robin: the first lane's head, and that lane moves to the back. */
  private next(s: OrgState): Waiter | undefined {
    for (const [lane, line] of s.lanes) {
      const w = line.shift()!;
      s.lanes.delete(lane);
      if (line.length > 0) s.lanes.set(lane, line);
      s.queued--;
      return w;
    }
    return undefined;
  }

  /** One attempt at a slot: Redis while it answers, else the local cap. */
  private async tryTake(s: OrgState): Promise<Lease | undefined> {
    const shared = this.options.shared;
    if (shared && Date.now() >= this.sharedDownUntil) {
      const id = `${this.instance}:${++this.seq}`;
      // Counted before the answer, so a local fallback meanwhile sees this attempt as held.
      s.active++;
      try {
        if (await shared.slots.tryAcquire(s.org, this.limit, this.options.leaseTtlMs, id)) {
          this.sharedUp();
          this.hold(s.org, id);
          return { org: s.org, id, handovers: 0 };
        }
        this.sharedUp();
        s.active--;
        return undefined;
      } catch (err) {
        s.active--;
        // The lease may have been written before the answer was lost: drop it when Redis is back
        // (or let it expire).
        void shared.slots.release(s.org, id, this.limit).catch(() => undefined);
        this.sharedFailed(undefined, err);
      }
    }
    if (s.active >= this.limit) return undefined;
    s.active++;
    if (shared) this.options.onEvent?.('fallback');
    return { org: s.org, id: undefined, handovers: 0 };
  }

  private slot(lease: Lease, lane: string): OrgSlot {
    this.laneActive.set(lane, (this.laneActive.get(lane) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const left = (this.laneActive.get(lane) ?? 1) - 1;
        if (left > 0) this.laneActive.set(lane, left);
        else this.laneActive.delete(lane);
        this.giveBack(lease);
      },
    };
  }

  private giveBack(lease: Lease): void {
    const s = this.state(lease.org);
    // Hand-over: the slot stays taken, so no newcomer (here or elsewhere) can overtake the line.
    if (s.queued > 0 && (lease.id === undefined || lease.handovers < this.maxHandovers)) {
      const w = this.next(s)!;
      w.grant({ ...lease, handovers: lease.handovers + 1 });
      return;
    }
    if (lease.id !== undefined && this.parkMs > 0 && lease.handovers < this.maxHandovers) {
      s.parked.push(lease);
      s.parkTimer ??= setTimeout(() => this.unpark(s), this.parkMs);
      return;
    }
    this.letGo(s, lease);
  }

  /** The lease leaves this process: back to Redis (shared) or to the local cap. */
  private letGo(s: OrgState, lease: Lease): void {
    s.active--;
    if (lease.id !== undefined) {
      this.unhold(lease.org, lease.id);
      this.releaseShared(lease.org, lease.id, s);
    } else this.freed(lease.org);
    this.dropIfIdle(s);
  }

  /** Parked leases no call took in time go back. */
  private unpark(s: OrgState): void {
    if (s.parkTimer) clearTimeout(s.parkTimer);
    s.parkTimer = undefined;
    for (const lease of s.parked.splice(0)) this.letGo(s, lease);
  }

  /**
   * Fire and forget for the caller, never lost silently: counted and logged when it fails, retried
   * once Redis answers again, and the TTL frees the lease if that fails too.
   */
  private releaseShared(org: string, id: string, s: OrgState | undefined): void {
    const { slots, messages } = this.options.shared!;
    let released = false;
    void slots
      .release(org, id, this.limit)
      .then(async (wasFull) => {
        released = true;
        if (wasFull && messages) await messages.publish(SLOT_FREED_CHANNEL, org);
        else if (wasFull || (s?.queued ?? 0) > 0) this.freed(org);
      })
      .catch((err: unknown) => {
        // A lost announcement costs waiters one poll; a lost release is retried.
        if (released) return;
        this.unreleased.push({ org, id });
        this.sharedFailed('release_failed', err);
      });
  }

  /** A slot of `org` may be free: the waiting loop (if any) asks again now. */
  private freed(org: string): void {
    const s = this.orgs.get(org);
    if (!s) return;
    s.freedSeq++;
    const wake = s.wake;
    s.wake = undefined;
    wake?.();
  }

  /** The one retry loop of an org in this process, while anyone waits. */
  private async pump(s: OrgState): Promise<void> {
    if (s.pumping) return;
    s.pumping = true;
    try {
      while (s.queued > 0) {
        const seen = s.freedSeq;
        const lease = await this.tryTake(s);
        if (lease) {
          const w = this.next(s);
          if (w) w.grant(lease);
          else this.giveBack(lease); // everyone timed out meanwhile
          continue;
        }
        if (s.queued === 0) break;
        if (s.freedSeq !== seen) continue; // a slot was announced while we asked
        await new Promise<void>((resolve) => {
          const timer = setTimeout(
            () => {
              s.wake = undefined;
              resolve();
            },
            POLL_MS * (0.5 + this.random()),
          );
          s.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    } finally {
      s.pumping = false;
      this.dropIfIdle(s);
    }
  }

  private hold(org: string, id: string): void {
    let ids = this.held.get(org);
    if (!ids) this.held.set(org, (ids = new Set()));
    ids.add(id);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => void this.renewAll(), Math.max(1, Math.floor(this.options.leaseTtlMs / 3)));
      this.heartbeat.unref();
    }
  }

  private unhold(org: string, id: string): void {
    const ids = this.held.get(org);
    ids?.delete(id);
    if (ids && ids.size === 0) this.held.delete(org);
    if (this.held.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = undefined;
    }
  }

  private async renewAll(): Promise<void> {
    const leases = new Map<string, string[]>();
    for (const [org, ids] of this.held) leases.set(org, [...ids]);
    try {
      const lost = await this.options.shared!.slots.renew(leases, this.options.leaseTtlMs);
      if (lost > 0) {
        // This process was too slow to renew (paused, or Redis lost the set): its calls run over the budget until they end.
        this.options.onEvent?.('lease_lost');
        this.options.log.warn({ lost }, 'zoho concurrency leases expired before renewal');
      }
    } catch (err) {
      this.sharedFailed('renew_failed', err);
    }
  }

  /**
   * Redis failed a budget command: counted every time, logged once per outage (a release or
   * renewal that failed is made good by the lease TTL; new calls are capped per instance).
   */
  private sharedFailed(event: BudgetEvent | undefined, err: unknown): void {
    this.sharedDownUntil = Date.now() + SHARED_RETRY_AFTER_MS;
    if (event) this.options.onEvent?.(event);
    if (this.sharedDown) return;
    this.sharedDown = true;
    this.options.log.warn(
      { err: errorMessage(err), event, limit: this.limit },
      'zoho concurrency budget: Redis unreachable, capping calls per instance until it answers; leases not released expire with their TTL',
    );
  }

  private sharedUp(): void {
    if (!this.sharedDown) return;
    this.sharedDown = false;
    this.options.log.info({ unreleased: this.unreleased.length }, 'zoho concurrency budget: Redis answers again, budget shared across instances');
    // Once only: if this fails too, the TTL frees them.
    const retry = this.unreleased.splice(0, 1_000);
    this.unreleased = [];
    for (const { org, id } of retry)
      void this.options.shared!.slots.release(org, id, this.limit).then(
        () => this.freed(org),
        () => undefined,
      );
  }
}
