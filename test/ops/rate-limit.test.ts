/**
 * The per-tenant limit (RATE_LIMIT_PER_MINUTE): counted in the shared Redis across instances,
 * refused with RATE_LIMITED, HTTP 429 and Retry-After, other tenants untouched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createTenantLimiter, maxUnconfirmed, type RateDecision, type TenantLimiter } from '../../src/ratelimit/tenant-limiter.js';
import { createStore, type RedisClient, type Store } from '../../src/store/index.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { RedisServer } from '../resilience/redis-server.js';
import { captureLogger, dropNamespace, openRedisStore, uniqueNamespace } from '../tokens/helpers.js';
import { sample, scrape } from './helpers.js';

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

/** One GraphQL request that needs no Zoho connection. */
async function ask(h: Harness, app: App, tenant: string): Promise<Answer> {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token(tenant)}` },
    body: JSON.stringify({ query: 'query Dcs { dataCentres { key } }' }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Answer['body'] };
}

function expectRefused(a: Answer): void {
  expect(a.status).toBe(429);
  const ext = a.body.errors?.[0]?.extensions ?? {};
  expect(ext.code).toBe('RATE_LIMITED');
  expect(ext.retryAfterSec).toBeTypeOf('number');
  expect(ext.retryAfterSec as number).toBeGreaterThanOrEqual(1);
  expect(ext.retryAfterSec as number).toBeLessThanOrEqual(60);
  expect(a.retryAfter).toBe(String(ext.retryAfterSec));
  expect(a.body.data ?? null).toBeNull();
}

describe('per-tenant rate limit through the gateway', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('refuses the 6th request of a minute with 429 RATE_LIMITED; another tenant is unaffected', async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    for (let i = 0; i < 5; i++) expect((await ask(h, h.app, 'acme')).status).toBe(200);
    expectRefused(await ask(h, h.app, 'acme'));
    expectRefused(await ask(h, h.app, 'acme'));
    const other = await ask(h, h.app, 'beta');
    expect(other.status).toBe(200);
    expect(other.body.errors).toBeUndefined();
    const { text } = await scrape(h.app);
    expect(sample(text, 'zgw_rate_limited_total', { source: 'tenant' })).toBe(2);
    expect(sample(text, 'zgw_graphql_operations_total', { operation: 'Dcs', outcome: 'RATE_LIMITED' })).toBe(2);
  });

  it('shares one budget between two instances on one Redis, within the stated margin', async () => {
    h = await startHarness({ instances: 2, env: { RATE_LIMIT_PER_MINUTE: '5' } });
    const [a, b] = h.apps as [App, App];
    // One request at a time, alternating: each instance decides on its own view of the count,
    // which lags the other's by what it has not yet heard; the margin is 1 per instance here.
    const answers: Answer[] = [];
    for (let i = 0; i < 10; i++) answers.push(await ask(h, i % 2 ? a : b, 'acme'));
    const admitted = answers.filter((x) => x.status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(5);
    expect(admitted).toBeLessThanOrEqual(5 + 2 * 1 - 1);
    for (const x of answers.filter((y) => y.status !== 200)) expectRefused(x);
    // Once each has heard the count, both refuse.
    expectRefused(answers[8]!);
    expectRefused(answers[9]!);
    expect((await ask(h, b, 'beta')).status).toBe(200);
  });

  it('a burst across two instances admits at least the limit and at most limit + 2 × overshoot − 1', async () => {
    const limit = 200;
    h = await startHarness({ instances: 2, env: { RATE_LIMIT_PER_MINUTE: String(limit), LOG_LEVEL: 'warn' } });
    const [a, b] = h.apps as [App, App];
    const token = await h.token('acme');
    const one = async (app: App): Promise<Answer> => {
      const res = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: 'query Dcs { dataCentres { key } }' }),
      });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Answer['body'] };
    };
    const answers = await Promise.all(Array.from({ length: 2 * limit }, (_, i) => one(i % 2 ? a : b)));
    const admitted = answers.filter((x) => x.status === 200).length;
    // maxUnconfirmed(200) = 2: a local-only limiter per instance would admit 400 here.
    expect(admitted).toBeGreaterThanOrEqual(limit);
    expect(admitted).toBeLessThanOrEqual(limit + 2 * maxUnconfirmed(limit) - 1);
    for (const x of answers.filter((y) => y.status !== 200)) expectRefused(x);
    // No request was let through uncounted (the fail-open path would break the bound silently).
    expect(h.logs.text).not.toContain('admitted uncounted');
  });

  it('stays out of the way when RATE_LIMIT_PER_MINUTE=0', async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: '0' } });
    for (let i = 0; i < 12; i++) expect((await ask(h, h.app, 'acme')).status).toBe(200);
  });
});

describe('the tenant limiter on each backend', () => {
  it('in process (memory, SQLite): counts per tenant and opens a new window when the old one ends', async () => {
    let now = 1_000_000;
    const limiter = createTenantLimiter(createStore('memory://'), { limit: 2, windowMs: 60_000, now: () => now });
    expect(limiter.take('a')).toEqual({ allowed: true });
    expect(limiter.take('a')).toEqual({ allowed: true });
    now += 15_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSec: 45, firstRefusal: true });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSec: 45, firstRefusal: false });
    expect(limiter.take('b')).toEqual({ allowed: true });
    now += 45_000;
    expect(limiter.take('a')).toEqual({ allowed: true });
  });
});

/** Every decision of `n` takes of `tenant`, fired at once, round-robin over `limiters`. */
async function burst(limiters: TenantLimiter[], tenant: string, n: number): Promise<RateDecision[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => limiters[i % limiters.length]!.take(tenant)));
}

function admittedOf(decisions: RateDecision[]): number {
  return decisions.filter((d) => d.allowed).length;
}

/**
 * Script calls served (EVALSHA and EVAL, the limiter's only commands), from INFO commandstats.
 * The commands a script runs inside Redis are counted there too, but cost no round trip.
 */
async function scriptCalls(client: RedisClient): Promise<number> {
  const info = await client.info('commandstats');
  let total = 0;
  for (const m of info.matchAll(/^cmdstat_(evalsha|eval):calls=(\d+)/gm)) total += Number(m[2]);
  return total;
}

describe('the tenant limiter on Redis', { timeout: 60_000 }, () => {
  const open: Store[] = [];
  afterEach(async () => {
    if (open[0]?.redis) await dropNamespace(open[0]).catch(() => undefined);
    for (const s of open.splice(0)) await s.close();
  });
  async function stores(n: number): Promise<Store[]> {
    const ns = uniqueNamespace('ratelimit');
    const made = [];
    for (let i = 0; i < n; i++) made.push(await openRedisStore(ns));
    open.push(...made);
    return made;
  }

  it('two instances (two clients) under a burst: at least the limit, at most limit + 2 × overshoot − 1, refused ones not counted', async () => {
    const limit = 200;
    const [s1, s2] = await stores(2);
    // A long wait timeout: this test is about the bound, which a timed-out (fail-open) wait breaks by design.
    const limiters = [s1!, s2!].map((s) => createTenantLimiter(s, { limit, waitTimeoutMs: 30_000 }));
    const decisions = await burst(limiters, 'acme', 3 * limit);
    const admitted = admittedOf(decisions);
    expect(limiters[0]!.overshoot).toBe(2);
    expect(admitted).toBeGreaterThanOrEqual(limit);
    expect(admitted).toBeLessThanOrEqual(limit + 2 * limiters[0]!.overshoot - 1);
    for (const d of decisions) if (!d.allowed) expect(d.retryAfterSec).toBeGreaterThanOrEqual(1), expect(d.retryAfterSec).toBeLessThanOrEqual(60);
    for (const l of limiters) await l.close();
    // Every admitted request is counted once; refused ones never reach Redis.
    const redis = await s1!.redis!.client();
    expect(Number(await redis.get(s1!.keyFor('ratelimit:tenant:acme')))).toBe(admitted);
    const ttl = await redis.pTTL(s1!.keyFor('ratelimit:tenant:acme'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);

    // The bound has teeth: the same burst through two counters that never talk admits 2 × limit.
    const apart = [createTenantLimiter(createStore('memory://'), { limit }), createTenantLimiter(createStore('memory://'), { limit })];
    expect(admittedOf(await burst(apart, 'acme', 3 * limit))).toBe(2 * limit);
  });

  it('one instance is exact: a burst of 3 × limit admits exactly the limit', async () => {
    const [s] = await stores(1);
    for (const limit of [1, 7, 250]) {
      const limiter = createTenantLimiter(s!, { limit, waitTimeoutMs: 30_000 });
      const decisions = await burst([limiter], `t${limit}`, 3 * limit);
      expect(admittedOf(decisions)).toBe(limit);
      // "tenant rate limit reached" is logged at the first refusal of a window only.
      expect(decisions.filter((d) => !d.allowed && d.firstRefusal)).toHaveLength(1);
      // And one at a time, on a fresh instance that first learns the count from Redis: nothing more.
      const later = createTenantLimiter(s!, { limit, waitTimeoutMs: 30_000 });
      const more: RateDecision[] = [];
      for (let i = 0; i < 5; i++) more.push(await later.take(`t${limit}`));
      expect(admittedOf(more)).toBeLessThanOrEqual(later.overshoot);
      await limiter.close();
      await later.close();
    }
  });

  it('opens a new window once the old one has ended in Redis', async () => {
    const [s] = await stores(1);
    const limiter = createTenantLimiter(s!, { limit: 3, windowMs: 400, waitTimeoutMs: 30_000 });
    expect(admittedOf(await burst([limiter], 'acme', 5))).toBe(3);
    const refused = await limiter.take('acme');
    expect(refused).toMatchObject({ allowed: false, retryAfterSec: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(admittedOf(await burst([limiter], 'acme', 5))).toBe(3);
    await limiter.close();
    expect(Number(await (await s!.redis!.client()).get(s!.keyFor('ratelimit:tenant:acme')))).toBe(3);
  });
});

describe('the tenant limiter against a Redis of its own', { timeout: 60_000 }, () => {
  let server: RedisServer | undefined;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    await server?.close();
    store = server = undefined;
  });

  it('makes far fewer Redis commands than requests: N sequential requests, under N / 4 commands', async () => {
    server = await RedisServer.start();
    store = createStore(server.url, { connectTimeoutMs: 2_000 });
    const admin = await store.redis!.client();
    const limit = 1_000;
    const limiter = createTenantLimiter(store, { limit, waitTimeoutMs: 30_000 });
    const before = await scriptCalls(admin);
    const decisions: RateDecision[] = [];
    for (let i = 0; i < limit + 200; i++) decisions.push(await limiter.take('acme'));
    await limiter.close();
    const commands = (await scriptCalls(admin)) - before;
    expect(admittedOf(decisions)).toBe(limit);
    // The old limiter made one EVAL per request (1 200 here).
    expect(commands).toBeLessThan((limit + 200) / 4);
    expect(commands).toBeGreaterThan(0);
  });

  it('admits everything while Redis is down, logs that once, and counts again once it is back', async () => {
    server = await RedisServer.start();
    store = createStore(server.url, { connectTimeoutMs: 2_000 });
    const { log, lines } = captureLogger();
    let errors = 0;
    const limiter = createTenantLimiter(store, { limit: 5, log, onError: () => errors++ });
    for (let i = 0; i < 3; i++) expect(await limiter.take('acme')).toEqual({ allowed: true });
    await limiter.close();
    await server.kill();
    const down: RateDecision[] = [];
    for (let i = 0; i < 50; i++) down.push(await limiter.take('acme'));
    // Without fail-open, at most 2 of these would pass (3 of 5 were used).
    expect(admittedOf(down)).toBe(50);
    expect(errors).toBeGreaterThan(0);
    expect(lines.filter((l) => l.includes('rate limit:'))).toHaveLength(1);
    expect(lines.join('\n')).toContain('admitted uncounted');

    await server.restart();
    await expect.poll(() => store!.ping(), { timeout: 10_000 }).toBe(true);
    // Counting resumes: the window's count survived in Redis (append-only file), so it refuses soon.
    const up: RateDecision[] = [];
    for (let i = 0; i < 20; i++) {
      up.push(await limiter.take('acme'));
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(up.some((d) => !d.allowed)).toBe(true);
    await limiter.close();
  });
});
