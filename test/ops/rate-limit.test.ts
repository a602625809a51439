/**
 * The per-tenant limit (RATE_LIMIT_PER_MINUTE): counted in the shared Redis across instances,
 * refused with RATE_LIMITED, HTTP 429 and Retry-After, other tenants untouched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { createTenantLimiter } from '../../src/ratelimit/tenant-limiter.js';
import { createStore } from '../../src/store/index.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { dropNamespace, openRedisStore, uniqueNamespace } from '../tokens/helpers.js';
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

  it('shares one budget between two instances on one Redis', async () => {
    h = await startHarness({ instances: 2, env: { RATE_LIMIT_PER_MINUTE: '5' } });
    const [a, b] = h.apps as [App, App];
    for (let i = 0; i < 5; i++) expect((await ask(h, i % 2 ? a : b, 'acme')).status).toBe(200);
    expectRefused(await ask(h, a, 'acme'));
    expectRefused(await ask(h, b, 'acme'));
    expect((await ask(h, b, 'beta')).status).toBe(200);
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
    expect((await limiter.take('a')).allowed).toBe(true);
    expect((await limiter.take('a')).allowed).toBe(true);
    now += 15_000;
    expect(await limiter.take('a')).toEqual({ allowed: false, count: 3, retryAfterSec: 45 });
    expect((await limiter.take('b')).allowed).toBe(true);
    now += 45_000;
    expect(await limiter.take('a')).toEqual({ allowed: true, count: 1, retryAfterSec: 60 });
  });

  it('on Redis: concurrent takes from two stores never exceed the limit', async () => {
    const ns = uniqueNamespace('ratelimit');
    const [s1, s2] = [await openRedisStore(ns), await openRedisStore(ns)];
    try {
      const l1 = createTenantLimiter(s1, { limit: 7, windowMs: 5_000 });
      const l2 = createTenantLimiter(s2, { limit: 7, windowMs: 5_000 });
      const decisions = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? l1 : l2).take('acme')));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(7);
      expect(decisions.map((d) => d.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(Math.max(...decisions.map((d) => d.retryAfterSec))).toBeLessThanOrEqual(5);
      // The counter expires with its window: a key never outlives it.
      const ttl = await (await s1.redis!.client()).pTTL(s1.keyFor('ratelimit:tenant:acme'));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(5_000);
    } finally {
      await dropNamespace(s1);
      await s1.close();
      await s2.close();
    }
  });
});
