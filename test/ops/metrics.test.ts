/**
 * /metrics end to end: a real gateway on the real Redis, the Zoho emulator as upstream, and the
 * counters checked against what the emulator itself counted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/observability/metrics.js';
import { countStoreErrors } from '../../src/observability/store-errors.js';
import { zohoRouteLabel } from '../../src/observability/zoho-route.js';
import { createStore } from '../../src/store/index.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { sample, scrape } from './helpers.js';

const HOUR_MS = 3600_000;

describe('zohoRouteLabel', () => {
  it('keeps module names and turns ids and odd segments into placeholders', () => {
    expect(zohoRouteLabel('/Deals')).toBe('/crm/v8/Deals');
    expect(zohoRouteLabel('/Deals/4150868000000225013')).toBe('/crm/v8/Deals/:id');
    expect(zohoRouteLabel('/Deals/4150868000000225013/Notes')).toBe('/crm/v8/Deals/:id/Notes');
    expect(zohoRouteLabel('/users/123')).toBe('/crm/v8/users/:id');
    expect(zohoRouteLabel('/org')).toBe('/crm/v8/org');
    expect(zohoRouteLabel('/Leads/search?criteria=x')).toBe('/crm/v8/Leads/search');
    expect(zohoRouteLabel('/Leads/some-weird thing')).toBe('/crm/v8/Leads/:param');
  });
});

describe('store error counting', () => {
  it('counts each rejected operation once and still rejects', async () => {
    const metrics = createMetrics();
    const store = countStoreErrors(createStore('memory://'), metrics.storeError);
    await store.set('k', 1);
    expect(await store.get('k')).toBe(1);
    await store.close();
    await expect(store.get('k')).rejects.toThrow(/closed/);
    await expect(store.setIfAbsent('k', 1, 1000)).rejects.toThrow(/closed/);
    const { body } = await metrics.render();
    expect(sample(body, 'zgw_store_errors_total', { operation: 'get' })).toBe(1);
    expect(sample(body, 'zgw_store_errors_total', { operation: 'setIfAbsent' })).toBe(1);
    expect(sample(body, 'zgw_store_errors_total', { operation: 'set' })).toBe(0);
  });

  it('keeps one registry per app: two metric sets in one process do not clash', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.tenantRateLimited();
    expect(sample((await a.render()).body, 'zgw_rate_limited_total', { source: 'tenant' })).toBe(1);
    expect(sample((await b.render()).body, 'zgw_rate_limited_total', { source: 'tenant' })).toBe(0);
  });
});

describe('/metrics through the gateway', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('counts operations, Zoho calls by route, DC and status, and token refreshes', async () => {
    h = await startHarness();
    await h.connect('acme');
    await h.connect('euro', { dc: 'eu' });
    const acme = await h.client('acme');
    const euro = await h.client('euro');

    for (let i = 0; i < 3; i++) await acme.request('query Org { organization { id } }');
    await euro.request('query Org { organization { id } }');
    const deals = await acme.request<{ records: { nodes: { id: string }[] } }>('query Deals { records(module: "Deals", first: 5) { nodes { id } } }');
    const id = deals.records.nodes[0]!.id;
    await acme.request('mutation Proxy($path: String!) { zohoRequest(method: GET, path: $path) }', { path: `/Deals/${id}` });
    // One refused bearer: counted under the fixed label, never under the name the request gave.
    const refused = await fetch(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query Org { organization { id } }', operationName: 'Org' }),
    });
    expect(refused.status).toBe(401);
    // A forced expiry: the next call refreshes once.
    h.us.expireAccessTokens();
    h.clock.now += HOUR_MS;
    await acme.request('query Org { organization { id } }');

    const { status, contentType, text } = await scrape(h.app);
    expect(status).toBe(200);
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);

    // Operations: 4 acme + 1 euro successful Org, one refused, plus Deals and Proxy.
    expect(sample(text, 'zgw_graphql_operations_total', { operation: 'Org', outcome: 'ok' })).toBe(5);
    expect(sample(text, 'zgw_graphql_operations_total', { operation: 'unauthenticated', outcome: 'UNAUTHENTICATED' })).toBe(1);
    expect(sample(text, 'zgw_graphql_operations_total', { operation: 'Org', outcome: 'UNAUTHENTICATED' })).toBe(0);
    expect(sample(text, 'zgw_graphql_operations_total', { operation: 'Deals', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'zgw_graphql_operations_total', { operation: 'Proxy', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'zgw_graphql_operation_duration_seconds_count', { operation: 'Org' })).toBe(5);
    expect(text).toMatch(/zgw_graphql_operation_duration_seconds_bucket\{le="0\.5",operation="Org"\} \d/);

    // Zoho calls, as the emulators saw them.
    const usOrg = h.us.count((c) => c.route === 'GET /crm/v8/org' && c.status === 200);
    expect(usOrg).toBeGreaterThanOrEqual(5); // 4 queries + the connect flow's org read
    expect(sample(text, 'zgw_zoho_calls_total', { method: 'GET', route: '/crm/v8/org', dc: 'us', status: '200' })).toBe(usOrg);
    expect(sample(text, 'zgw_zoho_calls_total', { method: 'GET', route: '/crm/v8/org', dc: 'eu', status: '200' })).toBe(h.eu.count((c) => c.route === 'GET /crm/v8/org' && c.status === 200));
    const usDeals = h.us.count((c) => c.route === 'GET /crm/v8/:module' && c.path === '/crm/v8/Deals' && c.status === 200);
    expect(usDeals).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'zgw_zoho_calls_total', { method: 'GET', route: '/crm/v8/Deals', dc: 'us', status: '200' })).toBe(usDeals);
    expect(sample(text, 'zgw_zoho_calls_total', { method: 'GET', route: '/crm/v8/Deals/:id', dc: 'us', status: '200' })).toBe(1);
    // The forced expiry: the first attempt with the dropped token got 401, then a refresh.
    expect(sample(text, 'zgw_zoho_calls_total', { method: 'GET', route: '/crm/v8/org', dc: 'us', status: '401' })).toBe(h.us.count((c) => c.route === 'GET /crm/v8/org' && c.status === 401));
    expect(text).not.toContain(id); // no record id in any label
    expect(text).not.toContain('acme'); // nor a tenant

    expect(h.us.refreshGrants()).toBe(1);
    expect(sample(text, 'zgw_token_refreshes_total')).toBe(h.us.refreshGrants() + h.eu.refreshGrants());
    expect(sample(text, 'zgw_token_refresh_failures_total')).toBe(0);
    const cache = h.app.services.connections.cacheStats;
    expect(cache.hits).toBeGreaterThan(0);
    expect(sample(text, 'zgw_connection_cache_hits_total')).toBe(cache.hits);
    expect(sample(text, 'zgw_connection_cache_misses_total')).toBe(cache.misses);
    expect(sample(text, 'zgw_zoho_credits_total', { dc: 'us' })).toBeGreaterThan(0);
    expect(sample(text, 'zgw_rate_limited_total', { source: 'zoho' })).toBe(0);
    expect(sample(text, 'zgw_store_errors_total', { operation: 'get' })).toBe(0);
    expect(text).toContain('zgw_process_resident_memory_bytes');
  });

  it('counts Zoho 429 answers as rate-limit waits', async () => {
    h = await startHarness();
    await h.connect('acme');
    h.us.faults.rateLimit({ match: 'GET /crm/v8/org', resetInMs: 50 });
    await (await h.client('acme')).request('query Org { organization { id } }');
    const { text } = await scrape(h.app);
    expect(sample(text, 'zgw_rate_limited_total', { source: 'zoho' })).toBe(1);
    expect(sample(text, 'zgw_zoho_calls_total', { method: 'GET', route: '/crm/v8/org', dc: 'us', status: '429' })).toBe(1);
  });

  it('serves no /metrics when METRICS=false', async () => {
    h = await startHarness({ env: { METRICS: 'false' } });
    expect((await scrape(h.app)).status).toBe(404);
  });
});
