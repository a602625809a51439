/**
 * Wiring of the watch side of real-time events: the channel store, the watch service, the
 * renewal job and the webhook Zoho calls. startApp calls this once and starts the renewal job.
 */
import type { Config } from '../config/index.js';
import { zohoWebhookRoute } from '../http/routes/zoho-webhook.js';
import type { Route } from '../http/plugins/routes.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import type { ConnectionRepository } from '../tokens/connection-repository.js';
import type { ZohoClient } from '../zoho/client.js';
import { ChannelRepository } from './channels.js';
import { ChannelRenewal } from './renewal.js';
import { ReplayGuard } from './replay-guard.js';
import type { EventSink, RecordEvent } from './types.js';
import { WatchService } from './watch-service.js';

export interface WatchingDeps {
  config: Config;
  store: Store;
  connections: ConnectionRepository;
  zoho: ZohoClient;
  log: Logger;
  now: () => number;
  /** Time between renewal rounds (ms; default in renewal.ts). */
  renewalIntervalMs?: number | undefined;
  /**
   * Where received events go, looked up per event (the event bus may be wired, or replaced in
   * tests, after this runs). Undefined: events are only logged.
   */
  sink(): EventSink | undefined;
}

export interface Watching {
  channels: ChannelRepository;
  watch: WatchService;
  renewal: ChannelRenewal;
  /** `POST /webhooks/zoho/<channelId>`. */
  webhook: Route;
}

export function createWatching(deps: WatchingDeps): Watching {
  const { config, store, connections, zoho, log, now } = deps;
  const channels = new ChannelRepository(store, config.tokenEncryption, now, config.tokenEncryption.retiredKeys, log);
  const watch = new WatchService({ channels, publicUrl: config.server.publicUrl, log, now, store, maxPerTenant: config.events.maxWatchChannelsPerTenant });
  const renewal = new ChannelRenewal({
    store,
    channels,
    connections,
    zoho,
    log,
    now,
    notifyUrl: (id) => watch.notifyUrl(id),
    ...(deps.renewalIntervalMs !== undefined ? { intervalMs: deps.renewalIntervalMs } : {}),
  });
  // Without a bus, an event is at least visible in the log (ids and names only, never values).
  const logOnly: EventSink = {
    dispatch: async (e: RecordEvent) => log.info({ eventId: e.id, tenantId: e.tenantId, module: e.module, operation: e.operation, ids: e.ids }, 'record event (no event sink wired)'),
  };
  const webhook = zohoWebhookRoute({ channels, replays: new ReplayGuard(store), now, log, sink: () => deps.sink() ?? logOnly });
  return { channels, watch, renewal, webhook };
}
