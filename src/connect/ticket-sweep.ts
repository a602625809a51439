/**
 * Revokes at Zoho the tokens of connect tickets nobody completed: a consent whose confirm step
 * never came would otherwise leave a live refresh token (one of the user's 20) behind. One round
 * runs on one instance only, under a lease in the shared store, like the watch renewal.
 */
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { StoreLock } from '../store/lock.js';
import type { ConnectService } from './connect-service.js';

/** Default time between rounds (ms). */
export const DEFAULT_TICKET_SWEEP_INTERVAL_MS = 60_000;
/** How long a round may hold the lease (ms); a crashed holder delays the others this long. */
const LEASE_TTL_MS = 2 * 60_000;
/** The store key of a round's lease: one instance sweeps per round. */
export const TICKET_SWEEP_LEASE_KEY = 'connect:ticket-sweep-lock';

export class TicketSweep {
  private readonly lock: StoreLock;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number | undefined> | undefined;

  constructor(private readonly options: { store: Store; connect: ConnectService; log: Logger; intervalMs?: number }) {
    this.lock = new StoreLock(options.store);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((err: unknown) => this.options.log.warn({ error: errorMessage(err) }, 'connect ticket sweep failed; retried next round'));
    }, this.options.intervalMs ?? DEFAULT_TICKET_SWEEP_INTERVAL_MS);
    // The job must never keep a stopping process alive.
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One round if this instance gets the lease: how many abandoned tickets were revoked, or undefined when another instance held it. */
  runOnce(): Promise<number | undefined> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(): Promise<number | undefined> {
    const owner = await this.lock.tryAcquire(TICKET_SWEEP_LEASE_KEY, LEASE_TTL_MS);
    if (!owner) return undefined;
    try {
      const revoked = await this.options.connect.revokeAbandoned();
      if (revoked > 0) this.options.log.info({ revoked }, 'abandoned connect tickets revoked at Zoho');
      return revoked;
    } finally {
      await this.lock.release(TICKET_SWEEP_LEASE_KEY, owner);
    }
  }
}
