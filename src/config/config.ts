/**
 * The gateway's configuration, read once from the environment at start-up (see load.ts).
 * Everything else in the program takes this object; nothing else reads `process.env`.
 */
import type { DataCentre, DataCentreTable } from '../zoho/datacenters.js';
import type { StoreLocation } from '../store/store-url.js';

/** pino-style log levels accepted by LOG_LEVEL. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export interface Config {
  /** NODE_ENV. Default `development`. */
  readonly nodeEnv: NodeEnv;
  /** LOG_LEVEL. Default `info`. */
  readonly logLevel: LogLevel;

  readonly server: {
    /** PORT: TCP port to listen on, 1-65535. Default 4000. */
    readonly port: number;
    /**
     * HOST: interface to bind. Default `0.0.0.0`; in demo mode `127.0.0.1` unless HOST is set,
     * so a demo started on a shared machine is not reachable from the network.
     */
    readonly host: string;
    /**
     * PUBLIC_URL: how browsers and Zoho reach this gateway (absolute http(s) URL, no trailing
     * slash); OAuth redirect URIs are built from it. Default `http://localhost:<port>`.
     */
    readonly publicUrl: string;
  };

  /**
   * Zero-config demo mode: true when neither ZOHO_CLIENT_ID nor ZOHO_CLIENT_SECRET is set. The
   * gateway then runs its own Zoho emulator and may generate missing keys (see `ephemeralKeys`).
   */
  readonly demo: boolean;
  /**
   * True when TOKEN_ENCRYPTION_KEY or the JWT secret was generated at random for this process
   * (demo mode only): stored tokens and issued JWTs stop working when the process restarts.
   */
  readonly ephemeralKeys: boolean;

  readonly zoho: {
    /** ZOHO_CLIENT_ID; undefined in demo mode. */
    readonly clientId: string | undefined;
    /** ZOHO_CLIENT_SECRET; undefined in demo mode. */
    readonly clientSecret: string | undefined;
    /** ZOHO_SCOPES split on commas, trimmed, in order. */
    readonly scopes: readonly string[];
    /** The entry named by ZOHO_DC (default `us`): where new connections start their login. */
    readonly defaultDataCentre: DataCentre;
    /** Built-in data centres merged with ZOHO_DATA_CENTERS. */
    readonly dataCentres: DataCentreTable;
    /**
     * ZOHO_MAX_CONCURRENCY: Zoho calls in flight per Zoho org, across all gateway instances on one
     * Redis store (per instance with a memory or SQLite store); more wait in line, served round
     * robin between connections. Default 5, Zoho's lowest edition concurrency limit (Free).
     */
    readonly maxConcurrency: number;
    /**
     * ZOHO_MAX_CONCURRENCY_PER_TENANT: Zoho calls in flight per tenant (all its connections
     * together) and gateway instance, so one tenant cannot hold every socket to a data centre.
     * Default twice `maxConcurrency`.
     */
    readonly maxConcurrencyPerTenant: number;
    /**
     * ZOHO_QUEUE_TIMEOUT_MS: longest a call waits in line for a free slot (ms) before it fails
     * with ZOHO_RATE_LIMITED. Default 30 000.
     */
    readonly queueTimeoutMs: number;
    /**
     * ZOHO_LEASE_TTL_MS: lifetime of a call's slot lease in Redis, renewed every third of it while
     * the call runs: how long a killed instance's slots stay taken. Default 15 000.
     */
    readonly leaseTtlMs: number;
  };

  /** The typed CRM's schemas, one per connection shape (src/typed/registry.ts). */
  readonly typedSchema: {
    /** SCHEMA_TTL (seconds): metadata older than this is refreshed from Zoho in the background by the next request. Default 600. */
    readonly ttlMs: number;
    /** SCHEMA_BUILD_WAIT_MS: how long a connection's first request waits for its schema before the generic one answers. Default 1500. */
    readonly waitMs: number;
    /** SCHEMA_CACHE_SIZE: schemas kept in memory (shared by every connection of one shape). Default 200. */
    readonly maxSchemas: number;
    /** SCHEMA_CACHE_MB: estimated memory of the schemas kept. Default 512. */
    readonly maxBytes: number;
  };

  /** MAX_RECORDS_PER_MUTATION: records (or ids) one write mutation may carry. Default 1000. */
  readonly maxRecordsPerMutation: number;

  /** HTTP and GraphQL limits and exposure. */
  readonly security: {
    /** CORS_ORIGINS: browser origins allowed to call /graphql (with credentials). Default: PUBLIC_URL's origin. */
    readonly corsOrigins: readonly string[];
    /** GRAPHIQL: serve GraphiQL. Default true, false when NODE_ENV=production (true in the demo). */
    readonly graphiql: boolean;
    /** INTROSPECTION: allow introspection and field suggestions. Default true, false when NODE_ENV=production. */
    readonly introspection: boolean;
    /** MAX_QUERY_DEPTH (default 12), MAX_ALIASES (30), MAX_DIRECTIVES (50), MAX_TOKENS (5000), MAX_QUERY_COST (5000). */
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxDirectives: number;
    readonly maxTokens: number;
    readonly maxCost: number;
    /** MAX_BODY_BYTES: largest request body in bytes. Default 1 000 000. */
    readonly maxBodyBytes: number;
    /** ZOHO_CALL_BUDGET: most Zoho calls one GraphQL operation may need; a costlier one is refused before any call. Default 50. */
    readonly zohoCallBudget: number;
    /** RATE_LIMIT_PER_MINUTE: GraphQL requests per tenant per minute across all instances (each may overshoot by max(1, limit/100)); 0 turns it off. Default 600. */
    readonly rateLimitPerMinute: number;
    /** MAX_PENDING_CONNECTS_PER_TENANT: startZohoConnect states a tenant may have pending (10 minutes each), across all instances. Default 20. */
    readonly maxPendingConnectsPerTenant: number;
    /** MAX_SUBSCRIPTIONS_PER_TENANT: live recordEvents streams per tenant across all instances. Default 100. */
    readonly maxSubscriptionsPerTenant: number;
    /** MAX_SUBSCRIPTIONS_PER_USER: live recordEvents streams per user (JWT `sub`) of a tenant across all instances. Default 20. */
    readonly maxSubscriptionsPerUser: number;
  };

  /** Bulk export downloads (GET /exports/<id>.ndjson; docs/export.md). */
  readonly exports: {
    /** EXPORT_MAX_DOWNLOADS: downloads in flight on this instance (and upstream connections per Zoho data centre they may hold). Default 8. */
    readonly maxDownloads: number;
    /** EXPORT_MAX_DOWNLOADS_PER_TENANT: downloads in flight per tenant on this instance. Default 2. */
    readonly maxDownloadsPerTenant: number;
    /** EXPORT_STALL_TIMEOUT_MS: longest a download's client may take to accept the next chunk before it is cut off, in ms. Default 60 000. */
    readonly stallTimeoutMs: number;
  };

  /** METRICS: serve Prometheus metrics on /metrics. Default true. */
  readonly metrics: boolean;
  /**
   * METRICS_PORT: when set, /metrics is served only on its own listener on this port (and no
   * longer on PORT), bound to METRICS_HOST (default `127.0.0.1`: set `0.0.0.0` in a container
   * whose scraper runs elsewhere, and keep that port off the public network). Ignored when
   * METRICS=false.
   */
  readonly metricsListener: { readonly port: number; readonly host: string } | undefined;

  /** Real-time events: Zoho watch channels and the tenants' event webhooks. */
  readonly events: {
    /**
     * EVENT_WEBHOOK_ALLOW_PRIVATE: let event webhooks reach loopback and private addresses (and
     * use plain http to them). Default false; for tests and closed networks only, as it lets any
     * tenant with zoho:connect make the gateway POST to internal hosts.
     */
    readonly webhookAllowPrivate: boolean;
    /** MAX_WATCH_CHANNELS_PER_TENANT: Zoho watch channels one tenant may hold (all its connections). Default 10. */
    readonly maxWatchChannelsPerTenant: number;
  };

  /** STORE_URL parsed. Default `memory://` in demo mode, else `sqlite://./.data/gateway.sqlite`. */
  readonly store: StoreLocation;

  readonly tokenEncryption: {
    /** TOKEN_ENCRYPTION_KEY decoded: 32 bytes for AES-256-GCM. */
    readonly key: Buffer;
    /** Short public fingerprint of `key`, written beside each ciphertext (see store/crypto.ts). */
    readonly keyId: string;
    /** TOKEN_ENCRYPTION_KEYS: retired keys, still accepted for reading during a key rotation. */
    readonly retiredKeys: readonly { readonly key: Buffer; readonly keyId: string }[];
  };

  /** Connections kept opened in each instance, so a request needs no store read (src/tokens/connection-cache.ts). */
  readonly connectionCache: {
    /**
     * CONNECTION_CACHE_TTL (seconds, 0-300): longest an instance uses its copy of a connection
     * when the change messages between instances are lost (a disconnect elsewhere is normally
     * seen at once). 0 disables the cache. Default 30. Ignored on SQLite (never cached).
     */
    readonly ttlMs: number;
  };

  readonly jwt: {
    /** JWT_SECRET (HS256, at least 32 characters); generated in demo mode when no key source is set. */
    readonly secret: string | undefined;
    /** JWT_PUBLIC_KEY as PEM text (literal `\n` sequences already turned into newlines). */
    readonly publicKey: string | undefined;
    /** JWT_JWKS_URL: absolute URL of a JSON Web Key Set. */
    readonly jwksUrl: string | undefined;
    /** JWT_ISSUER: required `iss` claim, if set. */
    readonly issuer: string | undefined;
    /** JWT_AUDIENCE: required `aud` claim, if set. */
    readonly audience: string | undefined;
  };

  /**
   * ALLOWED_RETURN_URLS: where the OAuth flow may send a browser back to. Each entry is either a
   * bare origin (`https://app.example.com`, any path on it allowed) or an absolute URL with a path
   * (`https://app.example.com/settings/crm`). Default: PUBLIC_URL's origin.
   */
  readonly allowedReturnUrls: readonly string[];
}
