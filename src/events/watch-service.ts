/**
 * Watching a tenant's CRM modules: enabling a Zoho notification channel that points at our
 * webhook, listing and removing a tenant's channels. Framework-free: the GraphQL layer checks
 * scopes and modules, then hands over the caller's tenant, connection and Zoho call function.
 */
import { GatewayError, isGatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { StoreLock } from '../store/lock.js';
import { newChannelId, newChannelToken, type ChannelRepository, type WatchChannel } from './channels.js';
import type { RecordOperation } from './types.js';
import type { ZohoFetch } from '../zoho/client.js';
import { CHANNEL_LIFETIME_MS, disableChannel, disableChannels, enableChannel } from './zoho-watch.js';

/** Path of the webhook Zoho POSTs to; the channel id follows it. */
export const ZOHO_WEBHOOK_PREFIX = '/webhooks/zoho/';

/** Whose channel: a caller only ever reaches its own tenant's connection (`tid`, `cid`). */
export interface ChannelOwner {
  tenantId: string;
  connectionName: string;
}

export interface WatchServiceOptions {
  channels: ChannelRepository;
  /** config.server.publicUrl: where Zoho reaches the gateway. */
  publicUrl: string;
  log: Logger;
  now?: () => number;
  /** MAX_WATCH_CHANNELS_PER_TENANT (default 10), over all of a tenant's connections. */
  maxPerTenant?: number;
  /** Where the per-tenant lease lives, so the cap holds across instances (none: in-process only). */
  store?: Store;
}

/** Lease on a tenant's channel count while one watchRecords runs (ms): its Zoho call included. */
const CREATE_LEASE_MS = 30_000;
/** How long a watchRecords waits for another one of the same tenant (ms). */
const CREATE_WAIT_MS = 10_000;
const CREATE_POLL_MS = 25;

export class WatchService {
  private readonly now: () => number;
  private readonly lock: StoreLock | undefined;
  private readonly maxPerTenant: number;

  constructor(private readonly options: WatchServiceOptions) {
    this.now = options.now ?? Date.now;
    this.lock = options.store && new StoreLock(options.store);
    this.maxPerTenant = options.maxPerTenant ?? 10;
  }

  /** The URL Zoho notifies for a channel. */
  notifyUrl(channelId: string): string {
    return `${this.options.publicUrl.replace(/\/+$/, '')}${ZOHO_WEBHOOK_PREFIX}${channelId}`;
  }

  /**
   * Enables a channel for `modules` × `operations` (validated by the caller) and stores it. The
   * channel is stored before Zoho is asked, so a notification arriving before Zoho's answer finds
   * it; if Zoho refuses, it is forgotten again.
   */
  async watch(owner: ChannelOwner, modules: readonly string[], operations: readonly RecordOperation[], zoho: ZohoFetch): Promise<WatchChannel> {
    // Count and create under one lease per tenant, so parallel calls (on any instance) cannot all
    // pass the count before any of them is indexed.
    const count = async () => {
      const held = (await this.options.channels.listByTenant(owner.tenantId)).length;
      if (held >= this.maxPerTenant) {
        throw new GatewayError('WATCH_LIMIT_REACHED', `The tenant already has ${held} watch channels, the most MAX_WATCH_CHANNELS_PER_TENANT allows; unwatch one first`, {
          maximum: this.maxPerTenant,
        });
      }
      return this.create(owner, modules, operations, zoho);
    };
    if (!this.lock) return count();
    const busy = () => new GatewayError('RATE_LIMITED', 'Another watchRecords of this tenant is still running; retry shortly', { retryAfterSec: 5 });
    return this.lock.withLease(`watch:tenant:${owner.tenantId}:creating`, { ttlMs: CREATE_LEASE_MS, waitMs: CREATE_WAIT_MS, pollMs: CREATE_POLL_MS, busy }, count);
  }

  private async create(owner: ChannelOwner, modules: readonly string[], operations: readonly RecordOperation[], zoho: ZohoFetch): Promise<WatchChannel> {
    const now = this.now();
    const requested = now + CHANNEL_LIFETIME_MS;
    let channel: WatchChannel | undefined;
    // 52 random bits make a clash all but impossible; the loop makes it harmless too.
    for (let attempt = 0; attempt < 3 && !channel; attempt++) {
      const candidate: WatchChannel = {
        id: newChannelId(),
        tenantId: owner.tenantId,
        connectionName: owner.connectionName,
        modules: [...modules],
        operations: [...operations],
        token: newChannelToken(),
        expiresAt: requested,
        createdAt: now,
        renewedAt: null,
      };
      if (await this.options.channels.create(candidate)) channel = candidate;
    }
    if (!channel) throw new GatewayError('INTERNAL', 'could not allocate a channel id');
    try {
      channel.expiresAt = await enableChannel(zoho, { ...channel, notifyUrl: this.notifyUrl(channel.id) }, channel.token, requested);
    } catch (err) {
      await this.options.channels.delete(channel);
      throw err;
    }
    await this.options.channels.put(channel);
    await this.options.channels.index(channel);
    this.options.log.info({ tenantId: owner.tenantId, channelId: channel.id, modules: channel.modules, operations: channel.operations, expiresAt: channel.expiresAt }, 'watch channel enabled');
    return channel;
  }

  /** True when `id` is one of the gateway's channels (any tenant's): zohoRequest must not touch it. */
  async manages(id: string): Promise<boolean> {
    return (await this.options.channels.get(id)) !== undefined;
  }

  /** The owner's channels (expired ones included, until the store forgets them). */
  async list(owner: ChannelOwner): Promise<WatchChannel[]> {
    const all = await this.options.channels.listByTenant(owner.tenantId);
    return all.filter((c) => c.connectionName === owner.connectionName);
  }

  /**
   * Disables every channel of the owner's connection at Zoho (one call per 50) and forgets them:
   * for disconnectZoho, before the connection's tokens are revoked, as no one could stop them at
   * Zoho after that. Best effort: a Zoho failure is logged and the channels are forgotten anyway
   * (their notifications are then refused with 404). Returns how many there were.
   */
  async unwatchAll(owner: ChannelOwner, zoho: ZohoFetch): Promise<number> {
    const channels = await this.list(owner);
    if (channels.length === 0) return 0;
    try {
      await disableChannels(
        zoho,
        channels.map((c) => c.id),
      );
    } catch (err) {
      this.options.log.warn(
        { tenantId: owner.tenantId, channels: channels.length, code: isGatewayError(err) ? err.code : 'UNKNOWN' },
        'watch channels not disabled at Zoho on disconnect; forgetting them anyway',
      );
    }
    for (const c of channels) await this.options.channels.delete(c);
    this.options.log.info({ tenantId: owner.tenantId, channels: channels.length }, 'watch channels of a disconnected connection disabled');
    return channels.length;
  }

  /**
   * Disables the channel at Zoho and forgets it. False, touching nothing, when the id is unknown
   * or the channel belongs to another tenant or connection: callers cannot tell those apart.
   */
  async unwatch(owner: ChannelOwner, id: string, zoho: ZohoFetch): Promise<boolean> {
    const channel = await this.options.channels.get(id);
    if (!channel || channel.tenantId !== owner.tenantId || channel.connectionName !== owner.connectionName) return false;
    try {
      await disableChannel(zoho, channel.id);
    } catch (err) {
      // Zoho busy or down: fail, so the caller retries and Zoho does not keep notifying. Anything
      // else (channel already expired at Zoho, connection gone): Zoho will not notify for long,
      // and a notification for a forgotten channel is refused with 404.
      if (isGatewayError(err, 'ZOHO_UNAVAILABLE') || isGatewayError(err, 'ZOHO_RATE_LIMITED') || isGatewayError(err, 'ZOHO_CREDITS_EXHAUSTED')) throw err;
      this.options.log.warn({ tenantId: owner.tenantId, channelId: channel.id, code: isGatewayError(err) ? err.code : 'UNKNOWN' }, 'watch channel not disabled at Zoho; forgetting it anyway');
    }
    await this.options.channels.delete(channel);
    this.options.log.info({ tenantId: owner.tenantId, channelId: channel.id }, 'watch channel disabled');
    return true;
  }
}
