import { afterEach, describe, expect, it } from 'vitest';
import type { GraphQLClient } from 'graphql-request';
import { ConnectionStatusDocument, OrganizationDocument } from '../gql/graphql.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { errorCodeOf } from '../helpers/errors.js';

const HOUR_MS = 3600_000;

describe('the token manager through the gateway', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('refreshes ahead of expiry: a token inside its last 120 s is replaced, a fresh one is not', async () => {
    h = await startHarness();
    await h.connect('acme');
    const client = await h.client('acme');
    await client.request(OrganizationDocument);
    expect(h.us.refreshGrants()).toBe(0);
    const before = (await h.app.services.connections.get('acme', 'default'))!;
    h.clock.now = before.expiresAt - 119_000; // 119 s left: refresh before calling Zoho
    await client.request(OrganizationDocument);
    expect(h.us.refreshGrants()).toBe(1);
    const after = (await h.app.services.connections.get('acme', 'default'))!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toBe(h.clock.now + HOUR_MS);
    await client.request(OrganizationDocument);
    expect(h.us.refreshGrants()).toBe(1);
  });

  it('makes exactly one refresh for 200 concurrent requests on an expired token', async () => {
    h = await startHarness();
    await h.connect('acme');
    const client = await h.client('acme');
    h.us.expireAccessTokens();
    h.clock.now += HOUR_MS;
    const results = await Promise.all(Array.from({ length: 200 }, () => client.request(OrganizationDocument)));
    expect(results.every((r) => r.organization.id === h!.us.ctx.data.org.id)).toBe(true);
    expect(h.us.refreshGrants()).toBe(1);
  });

  it('makes exactly one refresh for 200 concurrent requests split over two instances on one Redis', async () => {
    h = await startHarness({ instances: 2 });
    await h.connect('acme');
    const [a, b] = await Promise.all([h.client('acme', undefined, h.apps[0]), h.client('acme', undefined, h.apps[1])]);
    h.us.expireAccessTokens();
    h.clock.now += HOUR_MS;
    const all = Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).request(OrganizationDocument));
    const results = await Promise.all(all);
    expect(results).toHaveLength(200);
    expect(h.us.refreshGrants()).toBe(1);
  });

  it('refreshes once and retries when Zoho answers 401 INVALID_TOKEN early', async () => {
    h = await startHarness();
    await h.connect('acme');
    const client = await h.client('acme');
    h.us.expireAccessTokens(); // Zoho dropped the token; the gateway still thinks it has an hour
    const results = await Promise.all(Array.from({ length: 20 }, () => client.request(OrganizationDocument)));
    expect(results).toHaveLength(20);
    expect(h.us.refreshGrants()).toBe(1);
  });

  it('refreshes once and retries when Zoho answers 401 AUTHENTICATION_FAILURE for a dropped token', async () => {
    h = await startHarness({ emulator: { rejectedTokenCode: 'AUTHENTICATION_FAILURE' } });
    await h.connect('acme');
    const client = await h.client('acme');
    h.us.expireAccessTokens();
    h.us.resetCalls();
    const results = await Promise.all(Array.from({ length: 5 }, () => client.request(OrganizationDocument)));
    expect(results.every((r) => r.organization.id === h!.us.ctx.data.org.id)).toBe(true);
    expect(h.us.refreshGrants()).toBe(1);
    expect(h.us.count((c) => c.path.startsWith('/crm/') && c.status === 401)).toBeGreaterThanOrEqual(1);
  });

  it('retries an AUTHENTICATION_FAILURE only once: a second one is the answer', async () => {
    h = await startHarness();
    await h.connect('acme');
    const client = await h.client('acme');
    h.us.resetCalls();
    h.us.faults.authenticationFailure({ times: 2, match: 'GET /crm/v8/org' });
    expect(await errorCodeOf(client.request(OrganizationDocument))).toBe('ZOHO_ERROR');
    expect(h.us.count('GET /crm/v8/org')).toBe(2);
    expect(h.us.refreshGrants()).toBe(1);
  });

  it('marks a revoked connection RECONNECT_REQUIRED and then fails fast without calling Zoho', async () => {
    h = await startHarness();
    await h.connect('acme');
    const client: GraphQLClient = await h.client('acme');
    const conn = (await h.app.services.connections.get('acme', 'default'))!;
    h.us.accounts.revoke(conn.refreshToken); // the user removed the app in Zoho
    h.clock.now += HOUR_MS;
    expect(await errorCodeOf(client.request(OrganizationDocument))).toBe('ZOHO_RECONNECT_REQUIRED');
    expect((await client.request(ConnectionStatusDocument)).connection?.status).toBe('RECONNECT_REQUIRED');
    h.us.resetCalls();
    expect(await errorCodeOf(client.request(OrganizationDocument))).toBe('ZOHO_RECONNECT_REQUIRED');
    expect(h.us.count()).toBe(0);
    // Connecting again heals it.
    await h.connect('acme');
    expect((await client.request(OrganizationDocument)).organization.id).toBe(h.us.ctx.data.org.id);
  });

  it('does not treat an unreachable Zoho as revocation', async () => {
    h = await startHarness();
    await h.connect('acme');
    const client = await h.client('acme');
    h.clock.now += HOUR_MS;
    h.us.faults.add({ match: 'POST /oauth/v2/token', response: { status: 503, raw: 'Service Unavailable' }, times: Infinity });
    expect(await errorCodeOf(client.request(OrganizationDocument))).toBe('ZOHO_UNAVAILABLE');
    expect((await client.request(ConnectionStatusDocument)).connection?.status).toBe('ACTIVE');
  });

  it('stores no token in clear in Redis', async () => {
    h = await startHarness();
    await h.connect('acme');
    await h.connect('globex', { dc: 'eu' });
    const redis = await h.app.store.redis!.client();
    const keys = await redis.keys(`${h.app.store.prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    const raw = (await Promise.all(keys.map((k) => redis.get(k)))).join('\n');
    expect(raw).toContain('acme'); // the values are really there …
    const issued = [...h.us.accounts.issued, ...h.eu.accounts.issued];
    expect(issued.length).toBeGreaterThan(3);
    expect(issued.filter((t) => raw.includes(t))).toEqual([]); // … but no token in clear
  });
});
