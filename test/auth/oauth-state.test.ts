/**
 * The signed, single-use OAuth state, against the in-memory store and the real Redis (which must
 * be reachable: these tests fail, never skip, without it).
 */
import { randomBytes } from 'node:crypto';
import { base64url, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOAuthStateService, MAX_STATE_CHARS, StateError, type OAuthStateService } from '../../src/auth/oauth-state.js';
import { GatewayError } from '../../src/errors.js';
import { createPendingLimiter } from '../../src/auth/pending-connects.js';
import { createStore, type Store } from '../../src/store/index.js';
import { createPkcePair } from '../../src/zoho/oauth.js';
import { memoryFixture, redisFixture, sqliteFixture, requireReachable, uniqueNamespace, type BackendFixture } from '../store/backends.js';

const SECRET = randomBytes(32);
const VERIFIER = createPkcePair().verifier;
const INPUT = { tenantId: 'acme', connectionName: 'default', dc: 'eu', returnTo: 'https://app.example.com/settings/crm?tab=zoho', subject: 'alice@acme', codeVerifier: VERIFIER };
const BARE = { subject: 'alice@acme', codeVerifier: VERIFIER };

async function stateError(promise: Promise<unknown>): Promise<StateError> {
  const error = await promise.then(
    () => expect.fail('expected the state to be refused'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StateError);
  return error as StateError;
}

describe.each([memoryFixture(), sqliteFixture(), redisFixture()])('OAuth state on $name', (fixture: BackendFixture) => {
  const namespace = uniqueNamespace(`oauth_state_${fixture.name}`);
  let store: Store;
  let clock = Date.now();
  let service: OAuthStateService;

  beforeAll(async () => {
    store = createStore(fixture.url, { namespace });
    await requireReachable(store, fixture.url);
    service = createOAuthStateService({ store, secret: SECRET, now: () => clock });
  });
  afterAll(async () => {
    await store?.close();
    await fixture.cleanup(namespace);
  });

  it('round-trips the bound fields, in a URL-sized string', async () => {
    const state = await service.issue(INPUT);
    expect(state.length).toBeLessThan(MAX_STATE_CHARS);
    expect(state).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(await service.consume(state)).toEqual(INPUT);
  });

  it('omits returnTo when none was given', async () => {
    const state = await service.issue({ tenantId: 'acme', connectionName: 'sales', dc: 'us-sandbox', ...BARE });
    expect(await service.consume(state)).toEqual({ tenantId: 'acme', connectionName: 'sales', dc: 'us-sandbox', ...BARE });
  });

  it('keeps the subject and the PKCE verifier in the store, never in the state that travels through the browser', async () => {
    const state = await service.issue(INPUT);
    const payload = new TextDecoder().decode(base64url.decode(state.split('.')[1] ?? ''));
    expect(payload).not.toContain(VERIFIER);
    expect(payload).not.toContain('alice');
    expect(state).not.toContain(VERIFIER);
    expect(await service.consume(state)).toMatchObject({ subject: 'alice@acme', codeVerifier: VERIFIER });
  });

  it('caps pending states per tenant; a used state frees its place, other tenants are not affected', async () => {
    const capped = createOAuthStateService({ store, secret: SECRET, now: () => clock, pending: createPendingLimiter(store, 2, () => clock) });
    const tenant = `cap-${randomBytes(4).toString('hex')}`;
    const first = await capped.issue({ ...INPUT, tenantId: tenant });
    await capped.issue({ ...INPUT, tenantId: tenant });
    await expect(capped.issue({ ...INPUT, tenantId: tenant })).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED', reason: 'too_many_pending_connects' } });
    expect(await capped.issue({ ...INPUT, tenantId: `${tenant}-other` })).toBeTypeOf('string');
    await capped.consume(first);
    await capped.issue({ ...INPUT, tenantId: tenant });
    await expect(capped.issue({ ...INPUT, tenantId: tenant })).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    // Abandoned states lapse with their lifetime (plus the store's grace), freeing their places.
    clock += 600_000 + 61_000;
    try {
      await capped.issue({ ...INPUT, tenantId: tenant });
    } finally {
      clock = Date.now();
    }
  });

  it('records the nonce in the store with a TTL, and removes it on use', async () => {
    const state = await service.issue(INPUT);
    const nonce = JSON.parse(new TextDecoder().decode(base64url.decode(state.split('.')[1] ?? ''))).n as string;
    expect(await store.has(`oauth-state:${nonce}`)).toBe(true);
    await service.consume(state);
    expect(await store.has(`oauth-state:${nonce}`)).toBe(false);
  });

  it('a store writer cannot swap in another user or verifier: the edited entry makes the state invalid', async () => {
    for (const edit of [(e: Record<string, unknown>) => (e.s = 'mallory'), (e: Record<string, unknown>) => (e.v = 'm'.repeat(43))]) {
      const state = await service.issue(INPUT);
      const nonce = JSON.parse(new TextDecoder().decode(base64url.decode(state.split('.')[1] ?? ''))).n as string;
      const entry = (await store.get<Record<string, unknown>>(`oauth-state:${nonce}`))!;
      edit(entry);
      await store.set(`oauth-state:${nonce}`, entry, 60_000);
      await expect(service.consume(state)).rejects.toMatchObject({ reason: 'invalid' });
    }
  });

  it('a state consumed twice is replayed the second time', async () => {
    const state = await service.issue(INPUT);
    await service.consume(state);
    expect((await stateError(service.consume(state))).reason).toBe('replayed');
  });

  it('of two concurrent consumes, exactly one wins', async () => {
    const state = await service.issue(INPUT);
    const results = await Promise.allSettled([service.consume(state), service.consume(state), service.consume(state)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as StateError).reason).toBe('replayed');
    }
  });

  it('a tampered state is invalid, and does not use up the real one', async () => {
    const state = await service.issue(INPUT);
    const [header, payload, signature] = state.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as Record<string, unknown>;
    const forged = `${header}.${base64url.encode(JSON.stringify({ ...claims, t: 'victim' }))}.${signature}`;
    expect((await stateError(service.consume(forged))).reason).toBe('invalid');
    // A flipped signature character.
    const flipped = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect((await stateError(service.consume(flipped))).reason).toBe('invalid');
    expect(await service.consume(state)).toEqual(INPUT);
  });

  it('garbage, a state signed with another secret, and a well-signed token of another shape are invalid', async () => {
    for (const garbage of ['', 'abc', 'a.b.c', 'x'.repeat(5000)]) {
      expect((await stateError(service.consume(garbage))).reason).toBe('invalid');
    }
    const other = createOAuthStateService({ store, secret: randomBytes(32), now: () => clock });
    expect((await stateError(service.consume(await other.issue(INPUT)))).reason).toBe('invalid');
    const wrongShape = await new SignJWT({ sub: 'alice', tid: 'acme' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(SECRET);
    expect((await stateError(service.consume(wrongShape))).reason).toBe('invalid');
  });

  it('a state past its lifetime is expired', async () => {
    const state = await service.issue(INPUT);
    clock += 600_000 + 1000;
    try {
      expect((await stateError(service.consume(state))).reason).toBe('expired');
    } finally {
      clock = Date.now();
    }
  });

  it('honours a custom ttlMs', async () => {
    let now = Date.now();
    const short = createOAuthStateService({ store, secret: SECRET, ttlMs: 60_000, now: () => now });
    const fresh = await short.issue(INPUT);
    const stale = await short.issue(INPUT);
    now += 30_000;
    expect(await short.consume(fresh)).toEqual(INPUT);
    now += 31_000;
    expect((await stateError(short.consume(stale))).reason).toBe('expired');
  });
});

describe('OAuth state limits', () => {
  const store = createStore('memory://');
  afterAll(() => store.close());

  it('refuses a short secret', () => {
    expect(() => createOAuthStateService({ store, secret: randomBytes(16) })).toThrow(RangeError);
  });

  it('refuses input that would not fit in a URL, or is not an identifier', async () => {
    const service = createOAuthStateService({ store, secret: SECRET });
    const long = service.issue({ ...INPUT, returnTo: `https://app.example.com/${'x'.repeat(600)}` });
    await expect(long).rejects.toBeInstanceOf(GatewayError);
    await expect(long).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(service.issue({ ...INPUT, tenantId: 'a b' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(service.issue({ ...INPUT, dc: '' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('fits the longest identifiers with a typical returnTo', async () => {
    const service = createOAuthStateService({ store, secret: SECRET });
    const state = await service.issue({ tenantId: 't'.repeat(64), connectionName: 'c'.repeat(64), dc: 'us-developer', returnTo: 'https://app.example.com/settings/integrations/crm', ...BARE });
    expect(state.length).toBeLessThan(MAX_STATE_CHARS);
  });
});
