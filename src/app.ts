import { hkdfSync } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { errorMessage } from './errors.js';
import { createJwtVerifier } from './auth/jwt.js';
import { createOAuthStateService } from './auth/oauth-state.js';
import type { Config } from './config/index.js';
import { ConnectService } from './connect/connect-service.js';
import { ConnectTickets } from './connect/connect-tickets.js';
import { TicketSweep } from './connect/ticket-sweep.js';
import { createPendingLimiter } from './auth/pending-connects.js';
import { connectDemoTenant, DEMO_TENANT, demoDataCentres, startDemo, type Demo } from './demo/demo.js';
import { acceptDemoTokens } from './demo/demo-auth.js';
import { metricsListener, metricsRoute } from './http/routes/metrics.js';
import { CALLBACK_PATH, oauthCallbackRoute } from './http/routes/oauth-callback.js';
import { schemaSdlRoute } from './http/routes/schema-sdl.js';
import { exportRoute } from './http/routes/export-download.js';
import { ExportService } from './export/export-service.js';
import { DownloadSlots } from './export/download-slots.js';
import { listen, type RunningServer } from './http/server.js';
import { ChannelRepository } from './events/channels.js';
import { ChannelRenewal } from './events/renewal.js';
import { ReplayGuard } from './events/replay-guard.js';
import { WatchService } from './events/watch-service.js';
import { zohoWebhookRoute } from './http/routes/zoho-webhook.js';
import { operationMetrics, type OperationObserver } from './http/plugins/operation-metrics.js';
import { useTenantRateLimit } from './http/plugins/rate-limit.js';
import type { Route } from './http/plugins/routes.js';
import { createTenantLimiter } from './ratelimit/tenant-limiter.js';
import type { GraphQLContext } from './graphql/context.js';
import { createEventBus } from './events/bus.js';
import { createSubscriptionLimiter } from './events/subscription-limits.js';
import { EventForwarder } from './events/forwarder.js';
import { DeliveryLog } from './events/webhook-deliveries.js';
import { EventWebhookRepository } from './events/webhook-store.js';
import type { WebhookLookup } from './events/webhook-url.js';
import { createGateway, type Gateway } from './http/yoga.js';
import type { Logger } from './log.js';
import type { Services } from './services.js';
import { MetadataService } from './records/metadata.js';
import { createMetrics } from './observability/metrics.js';
import { countStoreErrors } from './observability/store-errors.js';
import { createBroadcast, type Broadcast } from './store/broadcast.js';
import { createStore, type Store } from './store/index.js';
import { ConnectionRepository } from './tokens/connection-repository.js';
import { StoreLock } from './store/lock.js';
import { RedisLeaseSets } from './store/lease-set.js';
import { TokenManager } from './tokens/token-manager.js';
import { ZohoClient } from './zoho/client.js';
import { TypedSchemas } from './typed/registry.js';
import { schema as genericSchema } from './graphql/schema/index.js';
import { createZohoOAuthClient } from './zoho/oauth.js';

export interface App {
  /** Where the gateway listens, e.g. `http://127.0.0.1:4000`. */
  url: string;
  /** Where /metrics is served when METRICS_PORT gives it its own listener. */
  metricsUrl: string | undefined;
  gateway: Gateway;
  store: Store;
  server: RunningServer;
  services: Services;
  /** The typed CRM's registry (services.typed is the same object, seen through TypedSchemaControl). */
  typed: TypedSchemas;
  /** Present in demo mode: the emulated Zoho data centres and the demo tenant's bearer token. */
  demo: (Demo & { token: string | undefined }) | undefined;
  /** Graceful stop: stop accepting, finish in-flight requests, close the store and the demo. */
  close(): Promise<void>;
}

/** Test seams: the production path with a different port, store namespace or clock. */
export interface AppOverrides {
  /** Listen on this port instead of config.server.port (0 picks a free one; tests use it). */
  port?: number;
  host?: string;
  /** Store namespace (isolates test runs sharing one Redis). */
  namespace?: string;
  /** Clock (epoch ms) for token expiry and OAuth state. */
  now?: () => number;
  /** Time between watch-channel renewal rounds (ms; default 10 minutes). */
  watchRenewalIntervalMs?: number;
  /** Time between sweeps of abandoned connect tickets (ms; default one minute). */
  ticketSweepIntervalMs?: number;
  /** Resolver for event webhook hosts (default the system's): tests play DNS rebinding with it. */
  webhookLookup?: WebhookLookup;
  /** Wraps the real store (tests count its reads); the wrapper must delegate to it. */
  observeStore?: (store: Store) => Store;
}

/** A key for signing OAuth state, derived from (and independent of) the token encryption key. */
function stateKey(config: Config): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', config.tokenEncryption.key, new Uint8Array(0), 'zgw:oauth-state:v1', 32));
}

/** Wires config, store, Zoho clients, token manager and the Yoga gateway, and listens. */
export async function startApp(config: Config, log: Logger, overrides: AppOverrides = {}): Promise<App> {
  // Metrics live in a registry per app, so several apps in one process (tests) never clash.
  const metrics = config.metrics ? createMetrics() : undefined;
  const created = createStore(config.store.url, overrides.namespace ? { namespace: overrides.namespace } : {});
  const rawStore = overrides.observeStore ? overrides.observeStore(created) : created;
  const store = metrics ? countStoreErrors(rawStore, metrics.storeError) : rawStore;
  const now = overrides.now ?? Date.now;
  // Messages between instances on one store (token cache invalidation, Zoho slots coming free).
  const broadcast: Broadcast = createBroadcast({ store, redisUrl: config.store.kind === 'redis' ? config.store.url : undefined, log });
  const demo = config.demo ? await startDemo(log) : undefined;
  const dataCentres = demo ? demoDataCentres(config.zoho.dataCentres, demo) : config.zoho.dataCentres;
  const credentials = demo ? demo.client : { clientId: config.zoho.clientId!, clientSecret: config.zoho.clientSecret! };

  const oauth = createZohoOAuthClient(credentials);
  const connections = new ConnectionRepository({
    store,
    key: config.tokenEncryption,
    retiredKeys: config.tokenEncryption.retiredKeys,
    dataCentres,
    log,
    cache: { ttlMs: config.connectionCache.ttlMs, broadcast },
  });
  const tokens = new TokenManager({ repo: connections, store, oauth, log, now });
  metrics?.watchTokens(tokens.stats, connections.cacheStats);
  const zoho = new ZohoClient({
    tokens,
    log,
    maxConcurrent: config.zoho.maxConcurrency,
    maxConcurrentPerTenant: config.zoho.maxConcurrencyPerTenant,
    queueTimeoutMs: config.zoho.queueTimeoutMs,
    // Result downloads have a pool of their own, as many connections as downloads may run.
    bulkConnections: config.exports.maxDownloads,
    // One concurrency budget per Zoho org for every instance on this Redis.
    leaseTtlMs: config.zoho.leaseTtlMs,
    ...(store.redis ? { shared: { slots: new RedisLeaseSets(store, 'conc:org:'), messages: broadcast } } : {}),
    ...(metrics ? { onAttempt: metrics.zohoObserver(dataCentres), onBudgetEvent: (e) => metrics.zohoBudgetEvent(e) } : {}),
  });
  const connect = new ConnectService({
    oauth,
    state: createOAuthStateService({ store, secret: stateKey(config), now, pending: createPendingLimiter(store, config.security.maxPendingConnectsPerTenant, now) }),
    repo: connections,
    zoho,
    log,
    dataCentres,
    defaultDc: config.zoho.defaultDataCentre.key,
    scopes: config.zoho.scopes,
    redirectUri: `${config.server.publicUrl}${CALLBACK_PATH}`,
    allowedReturnUrls: config.allowedReturnUrls,
    tickets: new ConnectTickets(store, config.tokenEncryption, config.tokenEncryption.retiredKeys, now),
    lock: new StoreLock(store),
    now,
  });
  const ticketSweep = new TicketSweep({ store, connect, log, ...(overrides.ticketSweepIntervalMs ? { intervalMs: overrides.ticketSweepIntervalMs } : {}) });
  // Real-time, part 1: Zoho notification channels, their renewal and the webhook Zoho calls.
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
    ...(overrides.watchRenewalIntervalMs !== undefined ? { intervalMs: overrides.watchRenewalIntervalMs } : {}),
  });
  // Real-time, part 2: the bus to subscribers on every instance, and the tenants' webhooks.
  const eventWebhooks = new EventForwarder({
    webhooks: new EventWebhookRepository(store, config.tokenEncryption, now, config.tokenEncryption.retiredKeys, log),
    deliveries: new DeliveryLog(store),
    log,
    now,
    allowPrivate: config.events.webhookAllowPrivate,
    lookup: overrides.webhookLookup,
  });
  const events = createEventBus({ config, log, forwarding: eventWebhooks, ...(overrides.namespace ? { namespace: overrides.namespace } : {}) });
  const subscriptionLimits = createSubscriptionLimiter(store, { perTenant: config.security.maxSubscriptionsPerTenant, perUser: config.security.maxSubscriptionsPerUser });
  const metadata = new MetadataService({ now });
  const typed = new TypedSchemas({
    base: genericSchema,
    store,
    call: (tenantId, connectionName, call) => zoho.call(tenantId, connectionName, call),
    metadata,
    owner: async (tenantId, connectionName) => {
      const c = await connections.getCached(tenantId, connectionName);
      return c ? `${c.dc}:${c.zohoOrgId}:${c.zohoUserId}` : null;
    },
    log,
    now,
    settings: config.typedSchema,
  });
  const exports = new ExportService({ store, keys: [config.tokenEncryption.key, ...config.tokenEncryption.retiredKeys.map((k) => k.key)], zoho, log, now });
  const services: Services = { config, dataCentres, connections, tokens, zoho, connect, ticketSweep, metadata, watch, renewal, events, eventWebhooks, subscriptionLimits, typed, exports };
  // The demo signs its token with its own random secret, never JWT_SECRET: an all-scopes token
  // printed to a terminal must not be valid anywhere else that shares the secret.
  const demoToken = demo ? await demo.mintToken() : undefined;
  const configuredVerifier = createJwtVerifier(config.jwt);
  const verifier = demo ? acceptDemoTokens(configuredVerifier, demo.jwtSecret) : configuredVerifier;

  // Operational extras, each switched by configuration: /metrics on the main port (unless
  // METRICS_PORT gives it its own listener, below), operation metrics, the per-tenant limit.
  const plugins: Plugin<GraphQLContext>[] = [];
  const observers: OperationObserver[] = [];
  const opsRoutes: Route[] = [];
  if (metrics) {
    observers.push(operationMetrics(metrics));
    if (!config.metricsListener) opsRoutes.push(metricsRoute(metrics));
  }
  const limit = config.security.rateLimitPerMinute;
  const limiter = limit > 0 ? createTenantLimiter(store, { limit, log, ...(metrics ? { onError: () => metrics.storeError('rateLimit') } : {}) }) : undefined;
  if (limiter) plugins.push(useTenantRateLimit({ limiter, log, ...(metrics ? { onRefused: () => metrics.tenantRateLimited() } : {}) }));
  const zohoWebhook = zohoWebhookRoute({ channels, replays: new ReplayGuard(store), now, log, sink: () => events });
  const gateway = createGateway({
    log,
    verifier,
    services,
    dataCentres: Object.values(dataCentres),
    ready: () => store.ping(),
    routes: [
      oauthCallbackRoute(connect, log),
      zohoWebhook,
      schemaSdlRoute(verifier, typed, config.security.introspection),
      exportRoute(verifier, exports, log, {
        slots: new DownloadSlots(config.exports.maxDownloads, config.exports.maxDownloadsPerTenant),
        stallTimeoutMs: config.exports.stallTimeoutMs,
        ...(limiter ? { limiter } : {}),
      }),
      ...opsRoutes,
    ],
    plugins,
    observers,
    security: config.security,
    ...(demoToken ? { graphiql: demo!.graphiql(demoToken) } : {}),
  });
  metrics?.watchLanes(gateway.lanes);
  const server = await listen(gateway, { port: overrides.port ?? config.server.port, host: overrides.host ?? config.server.host, log });
  log.info({ url: server.url, store: config.store.kind, demo: config.demo }, 'gateway listening');
  const metricsServer =
    metrics && config.metricsListener
      ? await listen(
          metricsListener(metrics, (err) => log.error({ err }, 'metrics render failed')),
          { ...config.metricsListener, log },
        )
      : undefined;
  if (metricsServer) log.info({ url: metricsServer.url }, 'metrics listening');
  renewal.start();
  ticketSweep.start();

  if (demo) {
    await connectDemoTenant({ connect, serverUrl: server.url, log });
    // GraphiQL's first introspection should see the typed CRM, not wait for it.
    await typed.refresh(DEMO_TENANT, 'default').catch((err: unknown) => log.warn({ err: errorMessage(err) }, 'demo: typed schema not built yet'));
  }

  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    metricsUrl: metricsServer?.url,
    gateway,
    store,
    server,
    services,
    typed,
    demo: demo ? { ...demo, token: demoToken } : undefined,
    close() {
      closing ??= (async () => {
        await renewal.stop();
        await ticketSweep.stop();
        // Subscriptions are SSE responses that never finish by themselves: end them first.
        events.endSubscriptions();
        await server.close();
        await metricsServer?.close();
        // Sends what the rate limiter has not counted yet, before the store closes.
        await limiter?.close();
        await events.close();
        await subscriptionLimits.close();
        await zoho.close();
        await broadcast.close();
        await store.close();
        await demo?.close();
        log.info('gateway stopped');
      })();
      return closing;
    },
  };
}
