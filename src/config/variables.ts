/**
 * One zod schema per environment variable, each turning the variable's (trimmed, non-empty) text
 * into a typed value. Each is parsed on its own so that every bad variable is reported, not just
 * the first; rules that involve several variables live in load.ts.
 *
 * Error messages here never include the value: errors.ts decides whether a value may be echoed.
 */
import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { LOG_LEVELS, NODE_ENVS } from './config.js';
import { decodeEncryptionKey, MIN_JWT_SECRET_CHARS } from './keys.js';
import { parseStoreUrl } from '../store/store-url.js';
import { MAX_LEASE_TTL_MS } from '../store/lease-set.js';

/** Every variable the gateway reads: the public contract. */
export const VARIABLES = [
  'PORT',
  'HOST',
  'PUBLIC_URL',
  'ZOHO_CLIENT_ID',
  'ZOHO_CLIENT_SECRET',
  'ZOHO_SCOPES',
  'ZOHO_DC',
  'ZOHO_DATA_CENTERS',
  'STORE_URL',
  'TOKEN_ENCRYPTION_KEY',
  'JWT_SECRET',
  'JWT_PUBLIC_KEY',
  'JWT_JWKS_URL',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'ALLOWED_RETURN_URLS',
  'LOG_LEVEL',
  'NODE_ENV',
  'ZOHO_MAX_CONCURRENCY',
  'MAX_RECORDS_PER_MUTATION',
  'TOKEN_ENCRYPTION_KEYS',
  'CONNECTION_CACHE_TTL',
  'CORS_ORIGINS',
  'GRAPHIQL',
  'INTROSPECTION',
  'MAX_QUERY_DEPTH',
  'MAX_ALIASES',
  'MAX_DIRECTIVES',
  'MAX_TOKENS',
  'MAX_QUERY_COST',
  'MAX_BODY_BYTES',
  'ZOHO_CALL_BUDGET',
  'RATE_LIMIT_PER_MINUTE',
  'MAX_PENDING_CONNECTS_PER_TENANT',
  'MAX_SUBSCRIPTIONS_PER_TENANT',
  'MAX_SUBSCRIPTIONS_PER_USER',
  'METRICS',
  'METRICS_PORT',
  'METRICS_HOST',
  'ZOHO_MAX_CONCURRENCY_PER_TENANT',
  'ZOHO_QUEUE_TIMEOUT_MS',
  'ZOHO_LEASE_TTL_MS',
  'EVENT_WEBHOOK_ALLOW_PRIVATE',
  'MAX_WATCH_CHANNELS_PER_TENANT',
  'SCHEMA_TTL',
  'SCHEMA_BUILD_WAIT_MS',
  'SCHEMA_CACHE_SIZE',
  'SCHEMA_CACHE_MB',
  'EXPORT_MAX_DOWNLOADS',
  'EXPORT_MAX_DOWNLOADS_PER_TENANT',
  'EXPORT_STALL_TIMEOUT_MS',
] as const;
export type Variable = (typeof VARIABLES)[number];

/**
 * Variables whose values must never appear in an error message: secrets, and URLs that may carry
 * a password (`redis://:password@host`). JWT_PUBLIC_KEY is not secret but is too long to echo.
 */
export const UNECHOED: ReadonlySet<Variable> = new Set<Variable>(['ZOHO_CLIENT_SECRET', 'TOKEN_ENCRYPTION_KEY', 'JWT_SECRET', 'JWT_PUBLIC_KEY', 'STORE_URL', 'TOKEN_ENCRYPTION_KEYS']);

export const DEFAULT_SCOPES = 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoCRM.coql.READ,ZohoCRM.bulk.READ,ZohoCRM.notifications.ALL,AaaServer.profile.READ';

/** Parses `text` as an absolute http(s) URL, or undefined. */
function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** A comma-separated list, trimmed, empty items dropped. */
function commaList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `true`/`false` (also 1/0, yes/no, on/off). */
const bool = z.string().transform((text, ctx) => {
  const t = text.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(t)) return true;
  if (['false', '0', 'no', 'off'].includes(t)) return false;
  ctx.addIssue('must be true or false');
  return z.NEVER;
});

/** Old token encryption keys, comma separated, still accepted for reading (key rotation). */
const encryptionKeys = z.string().transform((text, ctx) => {
  const keys: Buffer[] = [];
  for (const item of commaList(text)) {
    const key = decodeEncryptionKey(item);
    if (!key) {
      ctx.addIssue('must be a comma-separated list of 32-byte keys (base64 or 64 hex characters)');
      return z.NEVER;
    }
    keys.push(key);
  }
  return keys;
});

/** Origins (scheme://host[:port]), comma separated. */
const origins = z.string().transform((text, ctx) => {
  const out: string[] = [];
  for (const item of commaList(text)) {
    const url = httpUrl(item);
    if (!url || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
      ctx.addIssue('must be a comma-separated list of origins like https://app.example.com');
      return z.NEVER;
    }
    out.push(url.origin);
  }
  return out;
});

/** A whole number in [min, max]. */
function intBetween(min: number, max: number) {
  const error = `must be an integer ${min}-${max}`;
  return z
    .string()
    .regex(/^\d{1,9}$/, { error })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { error });
}

const port = z
  .string()
  .regex(/^\d{1,5}$/, { error: 'must be an integer 1-65535' })
  .transform(Number)
  .refine((n) => n >= 1 && n <= 65535, { error: 'must be an integer 1-65535' });

const publicUrl = z.string().transform((text, ctx) => {
  const url = httpUrl(text);
  if (url === undefined || url.search !== '' || url.hash !== '') {
    ctx.addIssue('must be an absolute http(s) URL without query or fragment, e.g. https://gateway.example.com');
    return z.NEVER;
  }
  // `new URL` adds a `/` to a bare origin; drop every trailing slash so paths can be appended.
  return url.href.replace(/\/+$/, '');
});

// Zoho scope names are dotted words: ZohoCRM.modules.ALL, ZohoCRM.settings.custom_views.READ.
const SCOPE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$/;
const scopes = z.string().transform((text, ctx) => {
  const list = commaList(text);
  if (list.length === 0 || !list.every((scope) => SCOPE.test(scope))) {
    ctx.addIssue('must be a comma-separated list of Zoho scopes like ZohoCRM.modules.ALL');
    return z.NEVER;
  }
  return list;
});

const dcKey = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, {
  error: 'must be a data-centre key such as us, eu or eu-sandbox',
});

const originUrl = z.string().refine(
  (text) => {
    const url = httpUrl(text);
    return url !== undefined && url.pathname === '/' && url.search === '' && url.hash === '';
  },
  { error: 'must be an absolute http(s) URL with no path' },
);

const dataCentreOverrides = z.record(dcKey, z.strictObject({ accounts: originUrl, api: originUrl }));

const EXAMPLE_DATA_CENTERS = '{"eu":{"accounts":"https://accounts.zoho.eu","api":"https://www.zohoapis.eu"}}';

const dataCenters = z.string().transform((text, ctx) => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue(`must be JSON like ${EXAMPLE_DATA_CENTERS}`);
    return z.NEVER;
  }
  // Plain-language messages for zod's structural issues (field-level messages come from originUrl).
  const result = dataCentreOverrides.safeParse(json, {
    error: (issue) => {
      if (issue.code === 'invalid_type') {
        if (issue.input === undefined) return 'is required';
        return issue.expected === 'record' || issue.expected === 'object' ? 'must be an object' : `must be a ${issue.expected}`;
      }
      if (issue.code === 'invalid_key') return 'keys must be data-centre names like eu or eu-sandbox';
      if (issue.code === 'unrecognized_keys') return 'only "accounts" and "api" are allowed';
      return undefined;
    },
  });
  if (!result.success) {
    // One line for the variable, naming each bad spot inside the JSON.
    const details = result.error.issues.map((issue) => {
      const where = issue.path.map(String).join('.');
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    });
    ctx.addIssue(`must be JSON like ${EXAMPLE_DATA_CENTERS} (${details.join('; ')})`);
    return z.NEVER;
  }
  return result.data;
});

const storeUrl = z.string().transform((text, ctx) => {
  try {
    return parseStoreUrl(text);
  } catch (error) {
    ctx.addIssue((error as Error).message);
    return z.NEVER;
  }
});

const encryptionKey = z.string().transform((text, ctx) => {
  const key = decodeEncryptionKey(text);
  if (key === undefined) {
    ctx.addIssue('must be 32 bytes as base64 or 64 hex characters (e.g. from `openssl rand -base64 32`)');
    return z.NEVER;
  }
  return key;
});

const jwtSecret = z.string().min(MIN_JWT_SECRET_CHARS, {
  error: `must be at least ${MIN_JWT_SECRET_CHARS} characters`,
});

const jwtPublicKey = z.string().transform((text, ctx) => {
  // Env files often hold a PEM on one line with literal `\n`; restore real newlines.
  const pem = text.replace(/\\n/g, '\n');
  if (pem.includes('PRIVATE KEY')) {
    // createPublicKey would accept it (deriving the public half); a private key here is a leak.
    ctx.addIssue('must be a PEM public key, not a private key');
    return z.NEVER;
  }
  try {
    if (!pem.includes('-----BEGIN')) throw new Error('not PEM');
    createPublicKey(pem);
    return pem;
  } catch {
    ctx.addIssue('must be a PEM public key (-----BEGIN PUBLIC KEY----- …)');
    return z.NEVER;
  }
});

const absoluteUrl = z.string().refine((text) => httpUrl(text) !== undefined, {
  error: 'must be an absolute http(s) URL',
});

const returnUrls = z.string().transform((text, ctx) => {
  const list = commaList(text);
  const normalised: string[] = [];
  for (const item of list) {
    const url = httpUrl(item);
    if (url === undefined || url.hash !== '') {
      ctx.addIssue('must be a comma-separated list of absolute http(s) URLs or origins');
      return z.NEVER;
    }
    const bareOrigin = url.pathname === '/' && url.search === '';
    normalised.push(bareOrigin ? url.origin : url.href);
  }
  if (normalised.length === 0) {
    ctx.addIssue('must list at least one absolute http(s) URL or origin');
    return z.NEVER;
  }
  return normalised;
});

/** The schema for each variable. Absent/blank variables are never passed to these. */
export const variableSchemas = {
  PORT: port,
  HOST: z.string(),
  PUBLIC_URL: publicUrl,
  ZOHO_CLIENT_ID: z.string(),
  ZOHO_CLIENT_SECRET: z.string(),
  ZOHO_SCOPES: scopes,
  ZOHO_DC: dcKey,
  ZOHO_DATA_CENTERS: dataCenters,
  STORE_URL: storeUrl,
  TOKEN_ENCRYPTION_KEY: encryptionKey,
  JWT_SECRET: jwtSecret,
  JWT_PUBLIC_KEY: jwtPublicKey,
  JWT_JWKS_URL: absoluteUrl,
  JWT_ISSUER: z.string(),
  JWT_AUDIENCE: z.string(),
  ALLOWED_RETURN_URLS: returnUrls,
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  NODE_ENV: z.enum(NODE_ENVS, { error: `must be one of ${NODE_ENVS.join(', ')}` }),
  ZOHO_MAX_CONCURRENCY: intBetween(1, 100),
  MAX_RECORDS_PER_MUTATION: intBetween(1, 100_000),
  TOKEN_ENCRYPTION_KEYS: encryptionKeys,
  CONNECTION_CACHE_TTL: intBetween(0, 300),
  CORS_ORIGINS: origins,
  GRAPHIQL: bool,
  INTROSPECTION: bool,
  MAX_QUERY_DEPTH: intBetween(1, 100),
  MAX_ALIASES: intBetween(1, 1_000),
  MAX_DIRECTIVES: intBetween(1, 1_000),
  MAX_TOKENS: intBetween(100, 1_000_000),
  MAX_QUERY_COST: intBetween(1, 1_000_000),
  MAX_BODY_BYTES: intBetween(1_024, 100_000_000),
  ZOHO_CALL_BUDGET: intBetween(1, 10_000),
  RATE_LIMIT_PER_MINUTE: intBetween(0, 1_000_000),
  MAX_PENDING_CONNECTS_PER_TENANT: intBetween(1, 10_000),
  MAX_SUBSCRIPTIONS_PER_TENANT: intBetween(1, 100_000),
  MAX_SUBSCRIPTIONS_PER_USER: intBetween(1, 100_000),
  METRICS: bool,
  METRICS_PORT: port,
  METRICS_HOST: z.string(),
  ZOHO_MAX_CONCURRENCY_PER_TENANT: intBetween(1, 1_000),
  ZOHO_QUEUE_TIMEOUT_MS: intBetween(1, 600_000),
  ZOHO_LEASE_TTL_MS: intBetween(300, MAX_LEASE_TTL_MS),
  EVENT_WEBHOOK_ALLOW_PRIVATE: bool,
  MAX_WATCH_CHANNELS_PER_TENANT: intBetween(1, 1_000),
  SCHEMA_TTL: intBetween(10, 86_400),
  SCHEMA_BUILD_WAIT_MS: intBetween(0, 30_000),
  SCHEMA_CACHE_SIZE: intBetween(1, 100_000),
  SCHEMA_CACHE_MB: intBetween(16, 1_048_576),
  EXPORT_MAX_DOWNLOADS: intBetween(1, 1_000),
  EXPORT_MAX_DOWNLOADS_PER_TENANT: intBetween(1, 1_000),
  EXPORT_STALL_TIMEOUT_MS: intBetween(100, 3_600_000),
} satisfies Record<Variable, z.ZodType<unknown, string>>;

/** The typed value of each variable once parsed. */
export type Parsed = { [V in Variable]: z.output<(typeof variableSchemas)[V]> };
