/**
 * Who can shape /metrics and where it is served: operation names become labels only for verified
 * callers, and METRICS_PORT moves /metrics off the public port. Runs the real (demo) gateway.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { startTestApp } from '../helpers/app.js';
import { freePort } from '../helpers/net.js';
import { sample, scrape } from './helpers.js';

async function graphql(app: App, body: object, token?: string): Promise<number> {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

describe('operation metrics labels', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('an unauthenticated client cannot create operation labels (nor push real ones into "other")', async () => {
    ({ app } = await startTestApp());
    // More made-up names than the label set holds (200), none with a valid bearer.
    for (let i = 0; i < 210; i++) {
      expect(await graphql(app, { query: `query Attacker${i} { dataCentres { key } }`, operationName: `Attacker${i}` })).toBe(401);
    }
    expect(await graphql(app, { query: 'query Real { dataCentres { key } }' }, app.demo!.token)).toBe(200);

    const { text } = await scrape(app);
    expect(text).not.toContain('Attacker');
    expect(sample(text, 'zgw_graphql_operations_total', { operation: 'unauthenticated', outcome: 'UNAUTHENTICATED' })).toBe(210);
    expect(sample(text, 'zgw_graphql_operations_total', { operation: 'Real', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'zgw_graphql_operations_total', { operation: 'other', outcome: 'ok' })).toBe(0);
  });
});

describe('METRICS_PORT', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves /metrics only on its own loopback listener, and nothing else there', async () => {
    const port = await freePort();
    ({ app } = await startTestApp({ METRICS_PORT: String(port) }));
    expect(app.metricsUrl).toBe(`http://127.0.0.1:${port}`);

    expect((await scrape(app)).status).toBe(404); // not on the main port any more
    const res = await fetch(`${app.metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('zgw_graphql_operations_total');
    // The metrics port exposes no API, GraphiQL or health routes.
    expect((await fetch(`${app.metricsUrl}/graphql`, { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await fetch(`${app.metricsUrl}/healthz`)).status).toBe(404);
  });

  it('closes the metrics listener with the app', async () => {
    const port = await freePort();
    ({ app } = await startTestApp({ METRICS_PORT: String(port) }));
    const url = app.metricsUrl!;
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    await app.close();
    app = undefined;
    await expect(fetch(`${url}/metrics`)).rejects.toThrow();
  });
});
