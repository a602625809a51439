/**
 * Keeps watch channels alive: Zoho drops a channel at its expiry (at most a week ahead), so a
 * background job moves the expiry of every channel that would lapse soon. One round runs on one
 * instance only: the instances share the store, and the round is taken under a StoreLock.
 */
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ConnectionRepository } from '../tokens/connection-repository.js';
import { StoreLock } from '../store/lock.js';
import type { Store } from '../store/index.js';
import type { ZohoClient } from '../zoho/client.js';
import type { ChannelRepository, WatchChannel } from './channels.js';
import type { ZohoFetch } from '../zoho/client.js';
import { CHANNEL_LIFETIME_MS, enableChannel, renewChannel } from './zoho-watch.js';

/** Default time between rounds (ms). */
export const DEFAULT_RENEWAL_INTERVAL_MS = 10 * 60_000;
/** Default: renew channels expiring within this (ms), far more than a round's interval, so a few failed rounds still leave time. */
export const DEFAULT_RENEWAL_WINDOW_MS = 24 * 3600_000;
/** How long a round may hold the lock (ms); a crashed holder blocks the others this long. */
export const RENEWAL_LOCK_TTL_MS = 5 * 60_000;

const LOCK_KEY = 'watch:renewal-lock';

export interface RenewalOptions {
  store: Store;
  channels: ChannelRepository;
  connections: ConnectionRepository;
  zoho: ZohoClient;
  log: Logger;
  /** Where Zoho reaches the gateway (built per channel: a changed PUBLIC_URL moves channels on renewal). */
  notifyUrl(channelId: string): string;
  now?: () => number;
  /** Time between rounds (ms, default DEFAULT_RENEWAL_INTERVAL_MS). */
  intervalMs?: number;
  /** Renew channels expiring within this (ms, default DEFAULT_RENEWAL_WINDOW_MS). */
  windowMs?: number;
}

/** What one `runOnce` did. */
export interface RenewalRound {
  /** False when another instance held the round's lock (nothing else was done). */
  ran: boolean;
  renewed: number;
  /** Due, but the connection is missing or needs reconnecting. */
  skipped: number;
  failed: number;
}

export class ChannelRenewal {
  /** Totals since start, for metrics and tests. */
  readonly stats = { rounds: 0, renewed: 0, skipped: 0, failed: 0 };
  private readonly lock: StoreLock;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RenewalRound> | undefined;

  constructor(private readonly options: RenewalOptions) {
    this.lock = new StoreLock(options.store);
    this.now = options.now ?? Date.now;
  }

  /** Runs a round every interval until `stop()`. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.runOnce().catch((err: unknown) => this.options.log.error({ err: describeError(err) }, 'watch renewal round failed'));
    }, this.options.intervalMs ?? DEFAULT_RENEWAL_INTERVAL_MS);
    // The job must never keep a stopping process alive.
    this.timer.unref();
  }

  /** Stops the timer and waits for a round in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One round, if this instance gets the lock; a round already running here is joined, not doubled. */
  runOnce(): Promise<RenewalRound> {
    this.running ??= this.round().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async round(): Promise<RenewalRound> {
    const owner = await this.lock.tryAcquire(LOCK_KEY, RENEWAL_LOCK_TTL_MS);
    if (!owner) return { ran: false, renewed: 0, skipped: 0, failed: 0 };
    const result: RenewalRound = { ran: true, renewed: 0, skipped: 0, failed: 0 };
    try {
      const due = this.now() + (this.options.windowMs ?? DEFAULT_RENEWAL_WINDOW_MS);
      for (const channel of await this.options.channels.listAll()) {
        if (channel.expiresAt > due) continue;
        result[await this.renew(channel)]++;
      }
    } finally {
      await this.lock.release(LOCK_KEY, owner);
    }
    this.stats.rounds++;
    this.stats.renewed += result.renewed;
    this.stats.skipped += result.skipped;
    this.stats.failed += result.failed;
    if (result.renewed + result.skipped + result.failed > 0) this.options.log.info({ ...result }, 'watch renewal round');
    return result;
  }

  private async renew(channel: WatchChannel): Promise<'renewed' | 'skipped' | 'failed'> {
    const { tenantId, connectionName } = channel;
    const facts = { tenantId, connectionName, channelId: channel.id };
    const connection = await this.options.connections.get(tenantId, connectionName);
    if (!connection || connection.status !== 'ACTIVE') {
      // Renewing would fail at Zoho; the channel waits (and is re-enabled) until the user reconnects.
      this.options.log.warn({ ...facts, status: connection?.status ?? 'NOT_CONNECTED' }, 'watch channel not renewed: connection not usable');
      return 'skipped';
    }
    const zoho: ZohoFetch = (call) => this.options.zoho.call(tenantId, connectionName, call);
    const now = this.now();
    const requested = now + CHANNEL_LIFETIME_MS;
    const spec = { ...channel, notifyUrl: this.options.notifyUrl(channel.id) };
    try {
      // A lapsed channel is gone at Zoho: PATCH would find nothing, so enable it again (same id
      // and token) — Zoho's Kaizen #170 suggests renewing through the enable API.
      const granted = channel.expiresAt <= now ? await enableChannel(zoho, spec, channel.token, requested) : await renewChannel(zoho, spec, requested);
      await this.options.channels.put({ ...channel, expiresAt: granted, renewedAt: now });
      this.options.log.info({ ...facts, expiresAt: granted }, 'watch channel renewed');
      return 'renewed';
    } catch (err) {
      this.options.log.warn({ ...facts, err: describeError(err) }, 'watch channel renewal failed; retried next round');
      return 'failed';
    }
  }
}
