/**
 * Encryption key rotation end to end: secrets sealed with key A keep working after a restart on
 * key B with A retired, `rotateSecrets` and the `keys:rotate` CLI re-seal them under B, and then
 * B alone suffices. A value sealed with a key the gateway does not have fails loudly.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { keyIdOf } from '../../src/config/keys.js';
import { createLogger } from '../../src/log.js';
import { decrypt, sealedFormat } from '../../src/store/index.js';
import { rotateSecrets } from '../../src/ops/key-rotation.js';
import { ConnectionRepository } from '../../src/tokens/connection-repository.js';
import { errorOf } from '../helpers/errors.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { legacyV1 } from '../tokens/helpers.js';
import { harnessEnv, restart, runRotateCli } from './helpers.js';

const KEY_A = randomBytes(32).toString('hex');
const KEY_B = randomBytes(32).toString('hex');
const KEY_C = randomBytes(32).toString('hex');
const key = (hex: string) => ({ key: Buffer.from(hex, 'hex'), keyId: keyIdOf(Buffer.from(hex, 'hex')) });
const A = key(KEY_A);
const B = key(KEY_B);

/** The key id of every sealed field of the stored value at `storeKey`, read raw from Redis. */
async function rawKeyIds(app: App, storeKey: string, fields: string[]): Promise<string[]> {
  const raw = await (await app.store.redis!.client()).get(app.store.keyFor(storeKey));
  expect(raw, storeKey).toBeTypeOf('string');
  const value = (JSON.parse(raw!) as { value: Record<string, string> }).value;
  return fields.map((f) => value[f]!.split('.')[1]!);
}

/**
 * Rewrites the sealed fields of the stored value at `storeKey` into the legacy v1 format, as a
 * gateway before this version wrote them (same plaintext, same key, no binding to the record).
 */
async function downgradeToV1(app: App, storeKey: string, fields: string[], context: (value: Record<string, unknown>) => string[]): Promise<void> {
  const client = await app.store.redis!.client();
  const raw = JSON.parse((await client.get(app.store.keyFor(storeKey)))!) as { value: Record<string, unknown>; expires?: number };
  for (const field of fields) {
    const plain = decrypt(raw.value[field] as string, A, { storeKey, field, context: context(raw.value) });
    raw.value[field] = legacyV1(plain, A);
  }
  await client.set(app.store.keyFor(storeKey), JSON.stringify(raw), { KEEPTTL: true });
}

describe('encryption key rotation', () => {
  let h: Harness;
  let channelId: string;
  const tenants = ['acme', 'beta'];
  const ORG = 'query Org { organization { id } }';
  const allKeyIds = async (app: App) => [
    ...(await Promise.all(tenants.map((t) => rawKeyIds(app, `conn:${t}:default`, ['accessToken', 'refreshToken'])))).flat(),
    ...(await rawKeyIds(app, `watch:channel:${channelId}`, ['token'])),
    ...(await rawKeyIds(app, 'events:webhook:acme', ['secret'])),
  ];
  /** Everything a tenant's secrets are used for still works on `app`. */
  const stillWorks = async (app: App) => {
    for (const t of tenants) expect((await (await h.client(t, undefined, app)).request<{ organization: { id: string } }>(ORG)).organization.id).toBeTruthy();
    const acme = await h.client('acme', undefined, app);
    const { watches } = await acme.request<{ watches: { id: string }[] }>('query { watches { id } }');
    expect(watches.map((w) => w.id)).toEqual([channelId]);
    // Zoho's webhook opens the channel's sealed token to compare: 401 (wrong token) proves it opened.
    const zoho = await fetch(`${app.url}/webhooks/zoho/${channelId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'not-the-token' }) });
    expect(zoho.status).toBe(401);
    expect((await acme.request<{ eventWebhook: { url: string } }>('query { eventWebhook { url } }')).eventWebhook.url).toBe('https://hooks.example/zgw');
  };

  beforeAll(async () => {
    h = await startHarness({ env: { TOKEN_ENCRYPTION_KEY: KEY_A } });
    for (const t of tenants) await h.connect(t);
    const acme = await h.client('acme');
    channelId = (await acme.request<{ watchRecords: { id: string } }>('mutation { watchRecords(modules: ["Leads"]) { id } }')).watchRecords.id;
    await acme.request('mutation { setEventWebhook(url: "https://hooks.example/zgw") { url } }');
  });
  afterAll(() => h.close());

  it('stores everything under key A at first', async () => {
    expect(new Set(await allKeyIds(h.app))).toEqual(new Set([A.keyId]));
  });

  it('keeps working after a restart on key B with A retired, then re-seals everything under B', async () => {
    const app = await restart(h, { TOKEN_ENCRYPTION_KEY: KEY_B, TOKEN_ENCRYPTION_KEYS: KEY_A });
    await stillWorks(app);
    expect(new Set(await allKeyIds(app))).toEqual(new Set([A.keyId])); // reading re-seals nothing

    const log = createLogger({ level: 'silent' });
    const report = await rotateSecrets({ store: app.store, key: B, retiredKeys: [A], dataCentres: app.services.dataCentres, log });
    expect(report).toEqual({
      connections: { reEncrypted: 2, alreadyCurrent: 0, failed: 0 },
      channels: { reEncrypted: 1, alreadyCurrent: 0, failed: 0 },
      webhooks: { reEncrypted: 1, alreadyCurrent: 0, failed: 0 },
    });
    expect(new Set(await allKeyIds(app))).toEqual(new Set([B.keyId]));
    await stillWorks(app);

    // Idempotent: a second run finds nothing to do.
    expect((await rotateSecrets({ store: app.store, key: B, retiredKeys: [A], dataCentres: app.services.dataCentres, log })).connections).toEqual({ reEncrypted: 0, alreadyCurrent: 2, failed: 0 });
  });

  it('the keys:rotate CLI re-seals a straggler and prints counts, never a secret', async () => {
    const app = h.apps[0]!;
    // A connection written by an instance still on key A (say, mid-deploy).
    const acme = (await app.services.connections.get('acme', 'default'))!;
    await new ConnectionRepository({ store: app.store, key: A, dataCentres: app.services.dataCentres }).put({ ...acme, tenantId: 'late' });
    tenants.push('late');
    expect(await rawKeyIds(app, 'conn:late:default', ['accessToken'])).toEqual([A.keyId]);

    const run = await runRotateCli(['--namespace', h.namespace], harnessEnv(h, { TOKEN_ENCRYPTION_KEY: KEY_B, TOKEN_ENCRYPTION_KEYS: KEY_A, LOG_LEVEL: 'info' }));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('connections: 1 re-encrypted, 2 already current, 0 failed');
    expect(run.stdout).toContain('channels: 0 re-encrypted, 1 already current, 0 failed');
    expect(run.stdout).toContain('webhooks: 0 re-encrypted, 1 already current, 0 failed');
    expect(run.stdout).toContain(`current key id: ${B.keyId}`);
    for (const secret of [acme.accessToken, acme.refreshToken, KEY_A, KEY_B]) {
      expect(run.stdout + run.stderr).not.toContain(secret);
    }
    expect(new Set(await allKeyIds(app))).toEqual(new Set([B.keyId]));
  });

  it('works on key B alone once rotated', async () => {
    const app = await restart(h, { TOKEN_ENCRYPTION_KEY: KEY_B });
    await stillWorks(app);
  });

  it('a value sealed with a key the gateway does not have fails clearly, not as "not connected"', async () => {
    const app = await restart(h, { TOKEN_ENCRYPTION_KEY: KEY_C });
    const err = await errorOf((await h.client('acme', undefined, app)).request(ORG));
    expect(err.code).toBe('INTERNAL');
    expect(err.extensions.reason).toBe('STORED_SECRET_UNREADABLE');
    expect(err.message).toContain(B.keyId);
    const conn = await errorOf((await h.client('acme', undefined, app)).request('query { connection { status } }'));
    expect(conn.code).toBe('INTERNAL');

    // The rotation counts it as failed (exit code 1) rather than skipping it.
    const run = await runRotateCli(['--namespace', h.namespace], harnessEnv(h, { TOKEN_ENCRYPTION_KEY: KEY_C, LOG_LEVEL: 'warn' }));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('connections: 0 re-encrypted, 0 already current, 3 failed');
    expect(run.stderr).toContain('STORED_SECRET_UNREADABLE');
    expect(run.stderr).not.toContain(KEY_B);
  });
});

describe('upgrading: values sealed before they were bound to their record (v1)', () => {
  let h: Harness;
  let channelId: string;
  const ORG = 'query Org { organization { id } }';
  const connectionFields = ['accessToken', 'refreshToken'];

  beforeAll(async () => {
    // The store is rewritten below behind the running gateway's back, standing for what an older
    // gateway left before this one started (with an empty connection cache): keep none here.
    h = await startHarness({ env: { TOKEN_ENCRYPTION_KEY: KEY_A, CONNECTION_CACHE_TTL: '0' } });
    for (const t of ['acme', 'beta']) await h.connect(t);
    const acme = await h.client('acme');
    channelId = (await acme.request<{ watchRecords: { id: string } }>('mutation { watchRecords(modules: ["Leads"]) { id } }')).watchRecords.id;
    await acme.request('mutation { setEventWebhook(url: "https://hooks.example/zgw") { url } }');
    // What an older gateway left in the store: every secret in the unbound v1 format...
    await downgradeToV1(h.app, 'conn:acme:default', connectionFields, (v) => [String(v.dc), String(v.zohoUserId), String(v.zohoOrgId)]);
    await downgradeToV1(h.app, `watch:channel:${channelId}`, ['token'], (v) => [String(v.tenantId), String(v.connectionName)]);
    await downgradeToV1(h.app, 'events:webhook:acme', ['secret'], (v) => [String(v.url)]);
    // ...and someone with write access to Redis copied acme's v1 record over beta's. (Had they
    // also rewritten its ids, nothing in a v1 value could tell: that is why v1 is refused at once
    // and migrated by an operator, and why the servers are checked against the DC table anyway.)
    const client = await h.app.store.redis!.client();
    await client.set(h.app.store.keyFor('conn:beta:default'), (await client.get(h.app.store.keyFor('conn:acme:default')))!);
  });
  afterAll(() => h.close());

  it('the gateway refuses v1 values (never opens an unbound value) and says to run keys:rotate, with no Zoho call', async () => {
    h.us.resetCalls();
    const err = await errorOf((await h.client('acme')).request(ORG));
    expect(err.code).toBe('INTERNAL');
    expect(err.extensions.reason).toBe('STORED_SECRET_UNREADABLE');
    expect(err.message).toContain('npm run keys:rotate -- --migrate-v1');
    const hook = await errorOf((await h.client('acme')).request('query { eventWebhook { url } }'));
    expect(hook.extensions.reason).toBe('STORED_SECRET_UNREADABLE');
    expect(h.us.count()).toBe(0);
  });

  it('a routine keys:rotate migrates nothing unbound: v1 values count as failed and stay v1', async () => {
    const run = await runRotateCli(['--namespace', h.namespace], harnessEnv(h, { TOKEN_ENCRYPTION_KEY: KEY_A, LOG_LEVEL: 'warn' }));
    expect(run.stdout).toContain('connections: 0 re-encrypted, 0 already current, 2 failed');
    expect(run.stdout).toContain('channels: 0 re-encrypted, 0 already current, 1 failed');
    expect(run.stdout).toContain('webhooks: 0 re-encrypted, 0 already current, 1 failed');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--migrate-v1');
    const client = await h.app.store.redis!.client();
    const refresh = (JSON.parse((await client.get(h.app.store.keyFor('conn:acme:default')))!) as { value: { refreshToken: string } }).value.refreshToken;
    expect(sealedFormat(refresh)?.version).toBe('v1');
  });

  it('keys:rotate --migrate-v1 migrates the records that are where they belong, and refuses to launder the copied one', async () => {
    const run = await runRotateCli(['--migrate-v1', '--namespace', h.namespace], harnessEnv(h, { TOKEN_ENCRYPTION_KEY: KEY_A, LOG_LEVEL: 'warn' }));
    expect(run.stdout).toContain('connections: 1 re-encrypted, 0 already current, 1 failed');
    expect(run.stdout).toContain('channels: 1 re-encrypted, 0 already current, 0 failed');
    expect(run.stdout).toContain('webhooks: 1 re-encrypted, 0 already current, 0 failed');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('conn:beta:default');
    expect(run.stderr).toContain('IDENTITY_MISMATCH');

    const client = await h.app.store.redis!.client();
    const storedValueOf = async (k: string) => (JSON.parse((await client.get(h.app.store.keyFor(k)))!) as { value: Record<string, unknown> }).value;
    expect(sealedFormat((await storedValueOf('conn:acme:default')).refreshToken)).toEqual({ version: 'v2', keyId: A.keyId });
    expect(sealedFormat((await storedValueOf(`watch:channel:${channelId}`)).token)).toEqual({ version: 'v2', keyId: A.keyId });
    expect(sealedFormat((await storedValueOf('events:webhook:acme')).secret)).toEqual({ version: 'v2', keyId: A.keyId });
    expect(sealedFormat((await storedValueOf('conn:beta:default')).refreshToken)?.version).toBe('v1');

    // acme works again, on the same running gateway.
    const acme = await h.client('acme');
    expect((await acme.request<{ organization: { id: string } }>(ORG)).organization.id).toBeTruthy();
    expect((await acme.request<{ eventWebhook: { url: string } }>('query { eventWebhook { url } }')).eventWebhook.url).toBe('https://hooks.example/zgw');
    const zoho = await fetch(`${h.app.url}/webhooks/zoho/${channelId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'not-the-token' }) });
    expect(zoho.status).toBe(401);
    // beta's planted copy stays refused, and nothing of it reaches Zoho.
    h.us.resetCalls();
    expect((await errorOf((await h.client('beta')).request(ORG))).code).toBe('STORE_TAMPERED');
    expect(h.us.count()).toBe(0);
  });
});
