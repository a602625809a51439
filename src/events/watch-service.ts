/**
 * Watching a tenant's CRM modules: enabling a Zoho notification channel that points at our
 * webhook, listing and removing a tenant's channels. Framework-free: the GraphQL layer checks
 * scopes and modules, then hands over the caller's tenant, connection and Zoho call function.
 */
import { GatewayError, isGatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { newChannelId, newChannelToken, type ChannelRepository, type WatchChannel } from './channels.js';
import type { RecordOperation } from './types.js';
import { CHANNEL_LIFETIME_MS, disableChannel, enableChannel, type ZohoFetch } from './zoho-watch.js';

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
}

export class WatchService {
  private readonly now: () => number;

  constructor(private readonly options: WatchServiceOptions) {
    this.now = options.now ?? Date.now;
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
      if (isGatewayError(err, 'ZOHO_UNAVAILABLE') || isGatewayError(err, 'ZOHO_RATE_LIMITED')) throw err;
      this.options.log.warn({ tenantId: owner.tenantId, channelId: channel.id, code: isGatewayError(err) ? err.code : 'UNKNOWN' }, 'watch channel not disabled at Zoho; forgetting it anyway');
    }
    await this.options.channels.delete(channel);
    this.options.log.info({ tenantId: owner.tenantId, channelId: channel.id }, 'watch channel disabled');
    return true;
  }
}
