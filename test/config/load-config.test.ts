import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, configFromEnvOrExit, DEFAULT_SCOPES, loadConfig, type Env } from '../../src/config/index.js';

const KEY_HEX = 'ab'.repeat(32);
const JWT_SECRET = 'j'.repeat(40);

/** A complete non-demo environment; tests override single variables. */
const PRODUCTION: Env = {
  ZOHO_CLIENT_ID: '1000.CLIENTID',
  ZOHO_CLIENT_SECRET: 'client-secret-value',
  TOKEN_ENCRYPTION_KEY: KEY_HEX,
  JWT_SECRET,
};

/** The ConfigError lines for `env` (fails the test if loading succeeds). */
function linesFor(env: Env): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).lines;
  }
  throw new Error('expected loadConfig to throw');
}

describe('demo mode (no Zoho credentials)', () => {
  it('applies every default', () => {
    const config = loadConfig({});
    expect(config.demo).toBe(true);
    expect(config.ephemeralKeys).toBe(true);
    expect(config.nodeEnv).toBe('development');
    expect(config.logLevel).toBe('info');
    // The demo's emulated Zoho accepts any login: loopback only unless HOST says otherwise.
    expect(config.server).toEqual({ port: 4000, host: '127.0.0.1', publicUrl: 'http://localhost:4000' });
    expect(config.store).toEqual({ kind: 'memory', url: 'memory://' });
    expect(config.zoho.clientId).toBeUndefined();
    expect(config.zoho.scopes).toEqual(DEFAULT_SCOPES.split(','));
    expect(config.zoho.scopes).toContain('AaaServer.profile.READ');
    expect(config.zoho.defaultDataCentre.key).toBe('us');
    expect(config.zoho.dataCentres['eu-sandbox']?.apiDomain).toBe('https://sandbox.zohoapis.eu');
    expect(config.allowedReturnUrls).toEqual(['http://localhost:4000']);
    expect(config.tokenEncryption.key).toHaveLength(32);
    expect(config.tokenEncryption.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(config.jwt.secret!.length).toBeGreaterThanOrEqual(32);
  });

  it('generates fresh keys per load', () => {
    const a = loadConfig({});
    const b = loadConfig({});
    expect(a.tokenEncryption.key.equals(b.tokenEncryption.key)).toBe(false);
    expect(a.jwt.secret).not.toBe(b.jwt.secret);
  });

  it('uses keys that are given, and then says they are not ephemeral', () => {
    const config = loadConfig({ TOKEN_ENCRYPTION_KEY: KEY_HEX, JWT_SECRET });
    expect(config.demo).toBe(true);
    expect(config.ephemeralKeys).toBe(false);
    expect(config.tokenEncryption.key.toString('hex')).toBe(KEY_HEX);
  });

  it('treats blank variables as unset', () => {
    const config = loadConfig({ ZOHO_CLIENT_ID: '', ZOHO_CLIENT_SECRET: '  ', PORT: '' });
    expect(config.demo).toBe(true);
    expect(config.server.port).toBe(4000);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.server)).toBe(true);
    expect(Object.isFrozen(config.zoho.scopes)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });
});

describe('configured mode', () => {
  it('reads every variable', () => {
    const config = loadConfig({
      ...PRODUCTION,
      PORT: '8080',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://gw.example.com/base/',
      ZOHO_SCOPES: ' ZohoCRM.modules.ALL , AaaServer.profile.READ ,',
      ZOHO_DC: 'eu',
      STORE_URL: 'redis://cache.internal:6380/2',
      JWT_ISSUER: 'https://issuer.example.com',
      JWT_AUDIENCE: 'zoho-gateway',
      ALLOWED_RETURN_URLS: 'https://app.example.com/, https://admin.example.com/crm/done',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
    });
    expect(config.demo).toBe(false);
    expect(config.ephemeralKeys).toBe(false);
    expect(config.server).toEqual({ port: 8080, host: '127.0.0.1', publicUrl: 'https://gw.example.com/base' });
    expect(config.zoho.clientId).toBe('1000.CLIENTID');
    expect(config.zoho.clientSecret).toBe('client-secret-value');
    expect(config.zoho.scopes).toEqual(['ZohoCRM.modules.ALL', 'AaaServer.profile.READ']);
    expect(config.zoho.defaultDataCentre).toMatchObject({ key: 'eu', accountsUrl: 'https://accounts.zoho.eu' });
    expect(config.store).toEqual({ kind: 'redis', url: 'redis://cache.internal:6380/2' });
    expect(config.jwt).toEqual({
      secret: JWT_SECRET,
      publicKey: undefined,
      jwksUrl: undefined,
      issuer: 'https://issuer.example.com',
      audience: 'zoho-gateway',
    });
    expect(config.allowedReturnUrls).toEqual(['https://app.example.com', 'https://admin.example.com/crm/done']);
    expect(config.logLevel).toBe('debug');
    expect(config.nodeEnv).toBe('production');
  });

  it('defaults the store to SQLite and PUBLIC_URL to the port', () => {
    const config = loadConfig({ ...PRODUCTION, PORT: '5000' });
    expect(config.store).toEqual({ kind: 'sqlite', url: 'sqlite://./.data/gateway.sqlite', path: './.data/gateway.sqlite' });
    expect(config.server.publicUrl).toBe('http://localhost:5000');
    expect(config.allowedReturnUrls).toEqual(['http://localhost:5000']);
  });

  it('accepts the encryption key as hex, base64 or base64url', () => {
    const bytes = randomBytes(32);
    for (const text of [bytes.toString('hex'), bytes.toString('base64'), bytes.toString('base64url')]) {
      const config = loadConfig({ ...PRODUCTION, TOKEN_ENCRYPTION_KEY: text });
      expect(config.tokenEncryption.key.equals(bytes)).toBe(true);
    }
  });

  it('accepts a JWKS URL or a PEM public key (with escaped newlines) instead of JWT_SECRET', () => {
    const { JWT_SECRET: _omit, ...withoutSecret } = PRODUCTION;
    const jwks = loadConfig({ ...withoutSecret, JWT_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json', JWT_AUDIENCE: 'zoho-gateway' });
    expect(jwks.jwt.secret).toBeUndefined();
    expect(jwks.ephemeralKeys).toBe(false);

    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const config = loadConfig({ ...withoutSecret, JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n'), JWT_AUDIENCE: 'zoho-gateway' });
    expect(config.jwt.publicKey).toBe(pem);
  });

  it('merges ZOHO_DATA_CENTERS into the table, and ZOHO_DC may name an added entry', () => {
    const config = loadConfig({
      ...PRODUCTION,
      ZOHO_DATA_CENTERS: JSON.stringify({
        eu: { accounts: 'http://127.0.0.1:9000', api: 'http://127.0.0.1:9001' },
        local: { accounts: 'http://127.0.0.1:9100', api: 'http://127.0.0.1:9101' },
      }),
      ZOHO_DC: 'local',
    });
    expect(config.zoho.defaultDataCentre).toMatchObject({ key: 'local', accountsUrl: 'http://127.0.0.1:9100' });
    expect(config.zoho.dataCentres.eu?.apiDomain).toBe('http://127.0.0.1:9001');
    expect(config.zoho.dataCentres.us?.apiDomain).toBe('https://www.zohoapis.com');
  });
});

describe('errors', () => {
  it.each([
    ['PORT', 'abc', 'PORT: must be an integer 1-65535 (got "abc")'],
    ['PORT', '70000', 'PORT: must be an integer 1-65535 (got "70000")'],
    ['PORT', '0', 'PORT: must be an integer 1-65535 (got "0")'],
    ['PUBLIC_URL', 'localhost:4000', 'PUBLIC_URL: must be an absolute http(s) URL'],
    ['PUBLIC_URL', 'ftp://files.example.com', 'PUBLIC_URL: must be an absolute http(s) URL'],
    ['ZOHO_SCOPES', 'not a scope', 'ZOHO_SCOPES: must be a comma-separated list of Zoho scopes'],
    ['ZOHO_DC', 'mars', 'ZOHO_DC: must be one of us, us-sandbox, us-developer, eu'],
    ['ZOHO_DATA_CENTERS', '{eu:', 'ZOHO_DATA_CENTERS: must be JSON like'],
    ['ZOHO_DATA_CENTERS', '{"eu":{"accounts":"nope","api":"https://www.zohoapis.eu"}}', 'eu.accounts: must be an absolute http(s) URL'],
    ['ZOHO_DATA_CENTERS', '{"eu":{"accounts":"https://accounts.zoho.eu"}}', 'ZOHO_DATA_CENTERS: must be JSON like'],
    ['STORE_URL', 'postgres://db/x', 'STORE_URL: must be one of redis://'],
    ['STORE_URL', 'sqlite://', 'STORE_URL: sqlite:// needs a file path'],
    ['TOKEN_ENCRYPTION_KEY', 'too-short', 'TOKEN_ENCRYPTION_KEY: must be 32 bytes as base64 or 64 hex characters'],
    ['TOKEN_ENCRYPTION_KEY', randomBytes(16).toString('base64'), 'TOKEN_ENCRYPTION_KEY: must be 32 bytes as base64'],
    ['JWT_SECRET', 'short', 'JWT_SECRET: must be at least 32 characters'],
    ['JWT_PUBLIC_KEY', 'not a key', 'JWT_PUBLIC_KEY: must be a PEM public key'],
    ['JWT_JWKS_URL', 'jwks.json', 'JWT_JWKS_URL: must be an absolute http(s) URL (got "jwks.json")'],
    ['METRICS_PORT', '0', 'METRICS_PORT: must be an integer 1-65535 (got "0")'],
    ['ZOHO_MAX_CONCURRENCY_PER_TENANT', '0', 'ZOHO_MAX_CONCURRENCY_PER_TENANT: must be an integer 1-1000 (got "0")'],
    ['ZOHO_QUEUE_TIMEOUT_MS', 'soon', 'ZOHO_QUEUE_TIMEOUT_MS: must be an integer 1-600000 (got "soon")'],
    ['ZOHO_LEASE_TTL_MS', '100', 'ZOHO_LEASE_TTL_MS: must be an integer 300-600000 (got "100")'],
    ['ALLOWED_RETURN_URLS', 'https://ok.example.com,/relative', 'ALLOWED_RETURN_URLS: must be a comma-separated list of absolute http(s) URLs or origins'],
    ['LOG_LEVEL', 'verbose', 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "verbose")'],
    ['NODE_ENV', 'staging', 'NODE_ENV: must be one of development, production, test (got "staging")'],
  ])('%s=%j gives one line naming the problem', (variable, value, expected) => {
    const lines = linesFor({ ...PRODUCTION, [variable]: value });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(expected);
    expect(lines[0]!.startsWith(`${variable}: `)).toBe(true);
  });

  it('reports every problem at once, in the documented order', () => {
    const lines = linesFor({ PORT: 'abc', LOG_LEVEL: 'loud', ZOHO_CLIENT_ID: 'id-only', NODE_ENV: 'prod' });
    expect(lines).toEqual([
      'PORT: must be an integer 1-65535 (got "abc")',
      'ZOHO_CLIENT_SECRET: must be set when ZOHO_CLIENT_ID is set (set both, or neither for demo mode)',
      'TOKEN_ENCRYPTION_KEY: is required: 32 bytes as base64 or 64 hex characters (e.g. from `openssl rand -base64 32`)',
      'JWT_SECRET: is required unless JWT_PUBLIC_KEY or JWT_JWKS_URL is set (one JWT key source is needed)',
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'NODE_ENV: must be one of development, production, test (got "prod")',
    ]);
  });

  it('the error message carries every line', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('PORT: must be an integer');
      expect((error as Error).message).toContain('LOG_LEVEL: must be one of');
    }
  });

  it('requires both Zoho credentials or neither', () => {
    expect(linesFor({ ...PRODUCTION, ZOHO_CLIENT_SECRET: undefined })).toEqual(['ZOHO_CLIENT_SECRET: must be set when ZOHO_CLIENT_ID is set (set both, or neither for demo mode)']);
    expect(linesFor({ ...PRODUCTION, ZOHO_CLIENT_ID: undefined })).toEqual(['ZOHO_CLIENT_ID: must be set when ZOHO_CLIENT_SECRET is set (set both, or neither for demo mode)']);
  });

  it('requires the encryption key and a JWT key source outside demo mode', () => {
    const lines = linesFor({ ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 'secret' });
    expect(lines.map((line) => line.split(':')[0])).toEqual(['TOKEN_ENCRYPTION_KEY', 'JWT_SECRET']);
  });

  it('never echoes secrets or password-bearing URLs', () => {
    const marker = 'SUPERSECRET';
    const lines = linesFor({
      ZOHO_CLIENT_SECRET: `${marker}-client-secret`, // without ZOHO_CLIENT_ID: an error about this pair
      TOKEN_ENCRYPTION_KEY: `${marker}-not-a-key`,
      JWT_SECRET: marker,
      JWT_PUBLIC_KEY: `-----BEGIN PRIVATE KEY-----${marker}`,
      STORE_URL: `mysql://user:${marker}@db/x`,
    });
    expect(lines.map((line) => line.split(':')[0])).toEqual(['ZOHO_CLIENT_ID', 'STORE_URL', 'TOKEN_ENCRYPTION_KEY', 'JWT_SECRET', 'JWT_PUBLIC_KEY']);
    for (const line of lines) expect(line).not.toContain(marker);
    expect(lines.join('\n')).toContain('JWT_PUBLIC_KEY: must be a PEM public key, not a private key');
  });

  it('does not blame ZOHO_DC for a broken ZOHO_DATA_CENTERS', () => {
    const lines = linesFor({ ...PRODUCTION, ZOHO_DATA_CENTERS: 'oops', ZOHO_DC: 'local' });
    expect(lines.map((line) => line.split(':')[0])).toEqual(['ZOHO_DATA_CENTERS']);
  });
});

describe('configFromEnvOrExit', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the lines to stderr and exits 1', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as typeof process.exit);
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string) => {
      written.push(chunk);
      return true;
    }) as typeof process.stderr.write);

    expect(() => configFromEnvOrExit({ PORT: 'abc' })).toThrow('exit 1');
    expect(exit).toHaveBeenCalledWith(1);
    expect(written.join('')).toContain('PORT: must be an integer 1-65535 (got "abc")');
  });

  it('returns the config when valid', () => {
    expect(configFromEnvOrExit({}).demo).toBe(true);
  });
});

describe('gateway limits from the environment', () => {
  const base = { ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 's', TOKEN_ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'x'.repeat(32) };
  it('defaults to 5 concurrent Zoho calls per connection and 1,000 records per mutation', () => {
    const c = loadConfig(base);
    expect([c.zoho.maxConcurrency, c.maxRecordsPerMutation]).toEqual([5, 1000]);
  });
  it('reads ZOHO_MAX_CONCURRENCY and MAX_RECORDS_PER_MUTATION, and names bad values', () => {
    const c = loadConfig({ ...base, ZOHO_MAX_CONCURRENCY: '10', MAX_RECORDS_PER_MUTATION: '250' });
    expect([c.zoho.maxConcurrency, c.maxRecordsPerMutation]).toEqual([10, 250]);
    expect(() => loadConfig({ ...base, ZOHO_MAX_CONCURRENCY: '0' })).toThrow('ZOHO_MAX_CONCURRENCY: must be an integer 1-100');
    expect(() => loadConfig({ ...base, MAX_RECORDS_PER_MUTATION: 'lots' })).toThrow('MAX_RECORDS_PER_MUTATION: must be an integer 1-100000');
  });
  it('caps pending Zoho connects per tenant at 20 unless MAX_PENDING_CONNECTS_PER_TENANT says otherwise (at least 1)', () => {
    expect(loadConfig(base).security.maxPendingConnectsPerTenant).toBe(20);
    expect(loadConfig({ ...base, MAX_PENDING_CONNECTS_PER_TENANT: '5' }).security.maxPendingConnectsPerTenant).toBe(5);
    expect(() => loadConfig({ ...base, MAX_PENDING_CONNECTS_PER_TENANT: '0' })).toThrow('MAX_PENDING_CONNECTS_PER_TENANT: must be an integer 1-10000');
  });
});

describe('start-up refusals (security)', () => {
  it('refuses NODE_ENV=production without Zoho credentials instead of running the demo, in one line', () => {
    expect(linesFor({ NODE_ENV: 'production' })).toEqual(['ZOHO_CLIENT_ID: is required when NODE_ENV=production (without Zoho credentials the gateway would run its demo)']);
    // Keys alone do not make a production gateway either.
    expect(linesFor({ NODE_ENV: 'production', TOKEN_ENCRYPTION_KEY: KEY_HEX, JWT_SECRET })).toHaveLength(1);
    expect(loadConfig({ ...PRODUCTION, NODE_ENV: 'production' }).demo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'development' }).demo).toBe(true);
  });

  it('the demo binds loopback unless HOST is set; a configured gateway keeps 0.0.0.0', () => {
    expect(loadConfig({}).server.host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).server.host).toBe('0.0.0.0');
    expect(loadConfig(PRODUCTION).server.host).toBe('0.0.0.0');
  });

  it('requires JWT_AUDIENCE with JWT_PUBLIC_KEY or JWT_JWKS_URL, in one line', () => {
    const { JWT_SECRET: _omit, ...withoutSecret } = PRODUCTION;
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const expected = ["JWT_AUDIENCE: is required with JWT_PUBLIC_KEY or JWT_JWKS_URL (the gateway's `aud`, so tokens issued for other applications are refused)"];
    expect(linesFor({ ...withoutSecret, JWT_JWKS_URL: 'https://idp.example.com/jwks.json' })).toEqual(expected);
    expect(linesFor({ ...withoutSecret, JWT_PUBLIC_KEY: pem })).toEqual(expected);
    // Beside JWT_SECRET too: the public key still accepts the IdP's tokens for any audience.
    expect(linesFor({ ...PRODUCTION, JWT_PUBLIC_KEY: pem })).toEqual(expected);
    // Demo mode is no exception.
    expect(linesFor({ JWT_JWKS_URL: 'https://idp.example.com/jwks.json' })).toEqual(expected);
    // JWT_SECRET alone: the audience stays optional (the gateway's own HS256 tokens).
    expect(loadConfig(PRODUCTION).jwt.audience).toBeUndefined();
  });
});

describe('metrics listener and Zoho queueing from the environment', () => {
  it('serves metrics on the main port unless METRICS_PORT is set; METRICS_HOST defaults to loopback', () => {
    expect(loadConfig(PRODUCTION).metricsListener).toBeUndefined();
    expect(loadConfig({ ...PRODUCTION, METRICS_PORT: '9464' }).metricsListener).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ ...PRODUCTION, METRICS_PORT: '9464', METRICS_HOST: '0.0.0.0' }).metricsListener).toEqual({ port: 9464, host: '0.0.0.0' });
    expect(linesFor({ ...PRODUCTION, PORT: '9464', METRICS_PORT: '9464' })).toEqual(['METRICS_PORT: must differ from PORT (metrics get a listener of their own) (got "9464")']);
  });

  it('caps Zoho calls per tenant at twice the per-connection cap and waits 30 s in line by default', () => {
    const c = loadConfig(PRODUCTION);
    expect([c.zoho.maxConcurrencyPerTenant, c.zoho.queueTimeoutMs]).toEqual([10, 30_000]);
    expect(loadConfig({ ...PRODUCTION, ZOHO_MAX_CONCURRENCY: '8' }).zoho.maxConcurrencyPerTenant).toBe(16);
    const set = loadConfig({ ...PRODUCTION, ZOHO_MAX_CONCURRENCY_PER_TENANT: '12', ZOHO_QUEUE_TIMEOUT_MS: '2000' });
    expect([set.zoho.maxConcurrencyPerTenant, set.zoho.queueTimeoutMs]).toEqual([12, 2000]);
  });

  it('lets a Zoho slot lease live 15 s without renewal by default, and reads ZOHO_LEASE_TTL_MS', () => {
    expect(loadConfig(PRODUCTION).zoho.leaseTtlMs).toBe(15_000);
    expect(loadConfig({ ...PRODUCTION, ZOHO_LEASE_TTL_MS: '1500' }).zoho.leaseTtlMs).toBe(1_500);
  });
});

describe('real-time events from the environment', () => {
  const base = { ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 's', TOKEN_ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'x'.repeat(32) };
  it('keeps webhooks off private addresses and caps watch channels at 10 per tenant by default', () => {
    expect(loadConfig(base).events).toEqual({ webhookAllowPrivate: false, maxWatchChannelsPerTenant: 10 });
    expect(loadConfig({}).events.webhookAllowPrivate).toBe(false);
  });
  it('reads EVENT_WEBHOOK_ALLOW_PRIVATE and MAX_WATCH_CHANNELS_PER_TENANT, and names bad values', () => {
    expect(loadConfig({ ...base, EVENT_WEBHOOK_ALLOW_PRIVATE: 'true', MAX_WATCH_CHANNELS_PER_TENANT: '3' }).events).toEqual({ webhookAllowPrivate: true, maxWatchChannelsPerTenant: 3 });
    expect(() => loadConfig({ ...base, EVENT_WEBHOOK_ALLOW_PRIVATE: 'maybe' })).toThrow('EVENT_WEBHOOK_ALLOW_PRIVATE: must be true or false');
    expect(() => loadConfig({ ...base, MAX_WATCH_CHANNELS_PER_TENANT: '0' })).toThrow('MAX_WATCH_CHANNELS_PER_TENANT: must be an integer 1-1000');
  });
});

describe('subscription limits from the environment', () => {
  const base = { ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 's', TOKEN_ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'x'.repeat(32) };
  it('caps live subscriptions at 100 per tenant and 20 per user unless told otherwise', () => {
    expect([loadConfig(base).security.maxSubscriptionsPerTenant, loadConfig(base).security.maxSubscriptionsPerUser]).toEqual([100, 20]);
    const c = loadConfig({ ...base, MAX_SUBSCRIPTIONS_PER_TENANT: '3', MAX_SUBSCRIPTIONS_PER_USER: '2' });
    expect([c.security.maxSubscriptionsPerTenant, c.security.maxSubscriptionsPerUser]).toEqual([3, 2]);
    expect(() => loadConfig({ ...base, MAX_SUBSCRIPTIONS_PER_TENANT: '0' })).toThrow('MAX_SUBSCRIPTIONS_PER_TENANT: must be an integer 1-100000');
    expect(() => loadConfig({ ...base, MAX_SUBSCRIPTIONS_PER_USER: 'many' })).toThrow('MAX_SUBSCRIPTIONS_PER_USER: must be an integer 1-100000');
  });
});

describe('typed schema cache from the environment', () => {
  const base = { ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 's', TOKEN_ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'x'.repeat(32) };
  it('refreshes metadata every 10 minutes, waits 1.5 s for a first build and keeps 200 schemas / 512 MB by default', () => {
    expect(loadConfig(base).typedSchema).toEqual({ ttlMs: 600_000, waitMs: 1_500, maxSchemas: 200, maxBytes: 512 * 1024 * 1024 });
  });
  it('reads SCHEMA_TTL (seconds), SCHEMA_BUILD_WAIT_MS, SCHEMA_CACHE_SIZE and SCHEMA_CACHE_MB', () => {
    const c = loadConfig({ ...base, SCHEMA_TTL: '60', SCHEMA_BUILD_WAIT_MS: '0', SCHEMA_CACHE_SIZE: '1', SCHEMA_CACHE_MB: '64' });
    expect(c.typedSchema).toEqual({ ttlMs: 60_000, waitMs: 0, maxSchemas: 1, maxBytes: 64 * 1024 * 1024 });
  });
  it.each([
    ['SCHEMA_TTL', '5', 'SCHEMA_TTL: must be an integer 10-86400 (got "5")'],
    ['SCHEMA_TTL', '10m', 'SCHEMA_TTL: must be an integer 10-86400 (got "10m")'],
    ['SCHEMA_BUILD_WAIT_MS', '-1', 'SCHEMA_BUILD_WAIT_MS: must be an integer 0-30000 (got "-1")'],
    ['SCHEMA_CACHE_SIZE', '0', 'SCHEMA_CACHE_SIZE: must be an integer 1-100000 (got "0")'],
    ['SCHEMA_CACHE_MB', 'lots', 'SCHEMA_CACHE_MB: must be an integer 16-1048576 (got "lots")'],
  ])('%s=%j is refused in one line naming the variable', (variable, value, expected) => {
    const lines = linesFor({ ...base, [variable]: value });
    expect(lines).toEqual([expected]);
  });
});

describe('connection cache from the environment', () => {
  const base = { ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 's', TOKEN_ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'x'.repeat(32) };
  it('keeps a copy at most 30 s by default; CONNECTION_CACHE_TTL (seconds) changes it and 0 turns it off', () => {
    expect(loadConfig(base).connectionCache).toEqual({ ttlMs: 30_000 });
    expect(loadConfig({ ...base, CONNECTION_CACHE_TTL: '5' }).connectionCache).toEqual({ ttlMs: 5_000 });
    expect(loadConfig({ ...base, CONNECTION_CACHE_TTL: '0' }).connectionCache).toEqual({ ttlMs: 0 });
  });
  it.each([
    ['CONNECTION_CACHE_TTL', '301', 'CONNECTION_CACHE_TTL: must be an integer 0-300 (got "301")'],
    ['CONNECTION_CACHE_TTL', '30s', 'CONNECTION_CACHE_TTL: must be an integer 0-300 (got "30s")'],
  ])('%s=%j is refused in one line naming the variable', (variable, value, expected) => {
    expect(linesFor({ ...base, [variable]: value })).toEqual([expected]);
  });
});
