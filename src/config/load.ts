/**
 * Reads the environment once, validates every variable, applies defaults and the rules that tie
 * variables together, and returns one frozen Config. The only module that touches process.env.
 */
import type { Config } from './config.js';
import { ConfigError, formatProblem, type ConfigProblem } from './errors.js';
import { keyIdOf, randomEncryptionKey, randomJwtSecret } from './keys.js';
import { DEFAULT_SCOPES, VARIABLES, variableSchemas, type Parsed, type Variable } from './variables.js';
import { parseStoreUrl } from '../store/store-url.js';
import { dataCentreTable, type DataCentreTable } from '../zoho/datacenters.js';

/** An environment: variable name → text. `process.env` has this shape. */
export type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_PORT = 4000;
const DEFAULT_HOST = '0.0.0.0';
/** The demo's emulated Zoho accepts any login: keep it off the network unless HOST says otherwise. */
const DEMO_HOST = '127.0.0.1';
/** The metrics listener shows traffic and error rates: loopback unless METRICS_HOST says otherwise. */
const DEFAULT_METRICS_HOST = '127.0.0.1';
const DEFAULT_DC = 'us';
const DEMO_STORE_URL = 'memory://';
const DEFAULT_STORE_URL = 'sqlite://./.data/gateway.sqlite';

/** Trimmed text of each known variable; blank counts as unset (`FOO=` in an env file). */
function readRaw(env: Env): Partial<Record<Variable, string>> {
  const raw: Partial<Record<Variable, string>> = {};
  for (const variable of VARIABLES) {
    const text = env[variable]?.trim();
    if (text !== undefined && text !== '') raw[variable] = text;
  }
  return raw;
}

/** Parses each set variable on its own, so one bad variable never hides another. */
function parseEach(raw: Partial<Record<Variable, string>>, problems: ConfigProblem[]): Partial<Parsed> {
  const values: Partial<Record<Variable, unknown>> = {};
  for (const variable of VARIABLES) {
    const text = raw[variable];
    if (text === undefined) continue;
    const result = variableSchemas[variable].safeParse(text);
    if (result.success) {
      values[variable] = result.data;
    } else {
      // The first issue is the informative one; later ones repeat it for chained checks.
      problems.push({ variable, message: result.error.issues[0]?.message ?? 'is invalid' });
    }
  }
  return values as Partial<Parsed>;
}

/** Objects, arrays and nested values frozen; Buffers can't be frozen and are left as they are. */
function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}

/**
 * Validates `env` and returns the frozen configuration.
 * Throws ConfigError listing every bad or missing variable (one line each, secrets never echoed).
 */
export function loadConfig(env: Env = process.env): Config {
  const raw = readRaw(env);
  const problems: ConfigProblem[] = [];
  const values = parseEach(raw, problems);

  // Demo mode is decided by presence alone: a half-configured Zoho app is an error, not a demo.
  const demo = raw.ZOHO_CLIENT_ID === undefined && raw.ZOHO_CLIENT_SECRET === undefined;
  if (raw.ZOHO_CLIENT_ID !== undefined && raw.ZOHO_CLIENT_SECRET === undefined) {
    problems.push({
      variable: 'ZOHO_CLIENT_SECRET',
      message: 'must be set when ZOHO_CLIENT_ID is set (set both, or neither for demo mode)',
    });
  }
  if (raw.ZOHO_CLIENT_SECRET !== undefined && raw.ZOHO_CLIENT_ID === undefined) {
    problems.push({
      variable: 'ZOHO_CLIENT_ID',
      message: 'must be set when ZOHO_CLIENT_SECRET is set (set both, or neither for demo mode)',
    });
  }

  // A broken ZOHO_DATA_CENTERS is already reported; checking ZOHO_DC against the built-in table
  // then would add a misleading second line for a DC that the override meant to add.
  const dataCentresKnown = raw.ZOHO_DATA_CENTERS === undefined || values.ZOHO_DATA_CENTERS !== undefined;
  const dataCentres: DataCentreTable = dataCentreTable(values.ZOHO_DATA_CENTERS ?? {});
  const dcKey = values.ZOHO_DC ?? DEFAULT_DC;
  const defaultDataCentre = dataCentres[dcKey];
  if (defaultDataCentre === undefined && dataCentresKnown && (raw.ZOHO_DC === undefined || values.ZOHO_DC !== undefined)) {
    problems.push({
      variable: 'ZOHO_DC',
      message: `must be one of ${Object.keys(dataCentres).join(', ')} (or a key added by ZOHO_DATA_CENTERS)`,
    });
  }

  if (!demo && raw.TOKEN_ENCRYPTION_KEY === undefined) {
    problems.push({
      variable: 'TOKEN_ENCRYPTION_KEY',
      message: 'is required: 32 bytes as base64 or 64 hex characters (e.g. from `openssl rand -base64 32`)',
    });
  }
  const hasJwtKeySource = raw.JWT_SECRET !== undefined || raw.JWT_PUBLIC_KEY !== undefined || raw.JWT_JWKS_URL !== undefined;
  if (!demo && !hasJwtKeySource) {
    problems.push({
      variable: 'JWT_SECRET',
      message: 'is required unless JWT_PUBLIC_KEY or JWT_JWKS_URL is set (one JWT key source is needed)',
    });
  }

  // The demo accepts any emulated login and prints an all-scopes token: never what a production
  // deployment that merely forgot its Zoho credentials should fall back to.
  if (demo && values.NODE_ENV === 'production') {
    problems.push({
      variable: 'ZOHO_CLIENT_ID',
      message: 'is required when NODE_ENV=production (without Zoho credentials the gateway would run its demo)',
    });
  }
  // A token from an identity provider is only meant for us if its audience says so: without the
  // check, any token the same IdP signed for another application would be accepted here.
  // (Checked against valid sources only: a broken one is already reported on its own line.)
  if ((values.JWT_PUBLIC_KEY !== undefined || values.JWT_JWKS_URL !== undefined) && raw.JWT_AUDIENCE === undefined) {
    problems.push({
      variable: 'JWT_AUDIENCE',
      message: "is required with JWT_PUBLIC_KEY or JWT_JWKS_URL (the gateway's `aud`, so tokens issued for other applications are refused)",
    });
  }

  if (values.METRICS_PORT !== undefined && values.METRICS_PORT === (values.PORT ?? DEFAULT_PORT)) {
    problems.push({ variable: 'METRICS_PORT', message: 'must differ from PORT (metrics get a listener of their own)' });
  }

  if (problems.length > 0 || defaultDataCentre === undefined) {
    const order = (p: ConfigProblem): number => VARIABLES.indexOf(p.variable);
    const sorted = [...problems].sort((a, b) => order(a) - order(b));
    throw new ConfigError(
      sorted,
      sorted.map((p) => formatProblem(p, raw[p.variable])),
    );
  }

  const port = values.PORT ?? DEFAULT_PORT;
  const publicUrl = values.PUBLIC_URL ?? `http://localhost:${port}`;
  const generatedKey = values.TOKEN_ENCRYPTION_KEY === undefined;
  const key = values.TOKEN_ENCRYPTION_KEY ?? randomEncryptionKey();
  const generatedJwtSecret = !hasJwtKeySource;

  const config: Config = {
    nodeEnv: values.NODE_ENV ?? 'development',
    logLevel: values.LOG_LEVEL ?? 'info',
    server: { port, host: values.HOST ?? (demo ? DEMO_HOST : DEFAULT_HOST), publicUrl },
    demo,
    ephemeralKeys: generatedKey || generatedJwtSecret,
    zoho: {
      clientId: values.ZOHO_CLIENT_ID,
      clientSecret: values.ZOHO_CLIENT_SECRET,
      scopes: values.ZOHO_SCOPES ?? DEFAULT_SCOPES.split(','),
      defaultDataCentre,
      dataCentres,
      maxConcurrency: values.ZOHO_MAX_CONCURRENCY ?? 5,
      maxConcurrencyPerTenant: values.ZOHO_MAX_CONCURRENCY_PER_TENANT ?? 2 * (values.ZOHO_MAX_CONCURRENCY ?? 5),
      queueTimeoutMs: values.ZOHO_QUEUE_TIMEOUT_MS ?? 30_000,
      leaseTtlMs: values.ZOHO_LEASE_TTL_MS ?? 15_000,
    },
    maxRecordsPerMutation: values.MAX_RECORDS_PER_MUTATION ?? 1_000,
    typedSchema: {
      ttlMs: (values.SCHEMA_TTL ?? 600) * 1000,
      waitMs: values.SCHEMA_BUILD_WAIT_MS ?? 1_500,
      maxSchemas: values.SCHEMA_CACHE_SIZE ?? 200,
      maxBytes: (values.SCHEMA_CACHE_MB ?? 512) * 1024 * 1024,
    },
    security: {
      corsOrigins: values.CORS_ORIGINS ?? [new URL(publicUrl).origin],
      graphiql: values.GRAPHIQL ?? (demo || (values.NODE_ENV ?? 'development') !== 'production'),
      introspection: values.INTROSPECTION ?? (values.NODE_ENV ?? 'development') !== 'production',
      maxDepth: values.MAX_QUERY_DEPTH ?? 12,
      maxAliases: values.MAX_ALIASES ?? 30,
      maxDirectives: values.MAX_DIRECTIVES ?? 50,
      maxTokens: values.MAX_TOKENS ?? 5_000,
      maxCost: values.MAX_QUERY_COST ?? 5_000,
      maxBodyBytes: values.MAX_BODY_BYTES ?? 1_000_000,
      zohoCallBudget: values.ZOHO_CALL_BUDGET ?? 50,
      rateLimitPerMinute: values.RATE_LIMIT_PER_MINUTE ?? 600,
      maxPendingConnectsPerTenant: values.MAX_PENDING_CONNECTS_PER_TENANT ?? 20,
      maxSubscriptionsPerTenant: values.MAX_SUBSCRIPTIONS_PER_TENANT ?? 100,
      maxSubscriptionsPerUser: values.MAX_SUBSCRIPTIONS_PER_USER ?? 20,
    },
    exports: {
      maxDownloads: values.EXPORT_MAX_DOWNLOADS ?? 8,
      maxDownloadsPerTenant: values.EXPORT_MAX_DOWNLOADS_PER_TENANT ?? 2,
      stallTimeoutMs: values.EXPORT_STALL_TIMEOUT_MS ?? 60_000,
    },
    metrics: values.METRICS ?? true,
    metricsListener: values.METRICS_PORT === undefined ? undefined : { port: values.METRICS_PORT, host: values.METRICS_HOST ?? DEFAULT_METRICS_HOST },
    events: {
      webhookAllowPrivate: values.EVENT_WEBHOOK_ALLOW_PRIVATE ?? false,
      maxWatchChannelsPerTenant: values.MAX_WATCH_CHANNELS_PER_TENANT ?? 10,
    },
    store: values.STORE_URL ?? parseStoreUrl(demo ? DEMO_STORE_URL : DEFAULT_STORE_URL),
    tokenEncryption: { key, keyId: keyIdOf(key), retiredKeys: (values.TOKEN_ENCRYPTION_KEYS ?? []).map((k) => ({ key: k, keyId: keyIdOf(k) })) },
    connectionCache: { ttlMs: (values.CONNECTION_CACHE_TTL ?? 30) * 1000 },
    jwt: {
      secret: values.JWT_SECRET ?? (generatedJwtSecret ? randomJwtSecret() : undefined),
      publicKey: values.JWT_PUBLIC_KEY,
      jwksUrl: values.JWT_JWKS_URL,
      issuer: values.JWT_ISSUER,
      audience: values.JWT_AUDIENCE,
    },
    allowedReturnUrls: values.ALLOWED_RETURN_URLS ?? [new URL(publicUrl).origin],
  };
  return deepFreeze(config);
}

/**
 * loadConfig(), but on a configuration problem print its lines to stderr and exit with status 1:
 * for the program's entry point, where a stack trace would bury the message.
 */
export function configFromEnvOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
