import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from 'graphql-request';
import { startEmulator, type ZohoEmulator } from '../../src/emulator/emulator.js';
import {
  ConnectionStatusDocument,
  DisconnectDocument,
  MeDocument,
  OrganizationDocument,
  StartConnectDocument,
  ThreeUsersDocument,
  UsersDocument,
  ConnectWithGrantCodeDocument,
} from '../gql/graphql.js';
import { follow, RETURN_ORIGIN, startHarness, type Harness } from '../helpers/gateway.js';

/** The GraphQL error codes of a failed request. */
async function codes(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ClientError) return (err.response.errors ?? []).map((e) => String(e.extensions?.code));
    throw err;
  }
  throw new Error('expected the request to fail');
}

describe('connecting Zoho accounts across data centres', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('connects a us user and an eu user; each query is served by its own data centre', async () => {
    const euUser = h.eu.ctx.data.users[1]!;
    const us = await h.connect('acme', { dc: 'us', returnTo: `${RETURN_ORIGIN}/settings/crm` });
    expect(us.status).toBe(302);
    expect(us.location!.origin + us.location!.pathname).toBe(`${RETURN_ORIGIN}/settings/crm`);
    expect(us.location!.searchParams.get('zoho')).toBe('confirm');
    expect(us.location!.searchParams.get('ticket')).toMatch(/^zct_[A-Za-z0-9_-]{43}$/);
    // The product's page learns neither the callback URL (code, state) nor, from its own page, the ticket via Referer.
    expect(us.headers.get('referrer-policy')).toBe('no-referrer');
    expect(us.connection).toMatchObject({ name: 'default', status: 'ACTIVE', dc: 'us', email: h.us.ctx.data.users[0]!.email, orgName: h.us.ctx.data.org.company_name });
    // No returnTo: a page that shows the ticket to the user who started, who completes it.
    const eu = await h.connect('globex', { dc: 'eu', consentEmail: euUser.email });
    expect(eu.status).toBe(200);
    expect(eu.body).toContain('zoho=confirm');
    expect(eu.body).toContain(eu.ticket);
    expect(eu.connection).toMatchObject({ dc: 'eu', email: euUser.email, orgId: h.eu.ctx.data.org.id });

    h.us.resetCalls();
    h.eu.resetCalls();
    const acme = await h.client('acme');
    const globex = await h.client('globex');
    const [acmeMe, globexMe] = await Promise.all([acme.request(MeDocument), globex.request(MeDocument)]);
    expect(acmeMe.me).toMatchObject({ id: h.us.ctx.data.users[0]!.zuid, email: h.us.ctx.data.users[0]!.email, connection: { dc: 'us', status: 'ACTIVE' } });
    expect(globexMe.me).toMatchObject({ id: euUser.zuid, email: euUser.email, firstName: euUser.first_name, connection: { dc: 'eu' } });

    const [acmeOrg, globexOrg] = await Promise.all([acme.request(OrganizationDocument), globex.request(OrganizationDocument)]);
    expect(acmeOrg.organization).toMatchObject({ id: h.us.ctx.data.org.id, name: h.us.ctx.data.org.company_name, currency: 'US Dollar - USD' });
    expect(globexOrg.organization).toMatchObject({ id: h.eu.ctx.data.org.id, name: h.eu.ctx.data.org.company_name, currency: 'Euro - EUR' });
    // `me` costs no Zoho call; `organization` one call each, at the tenant's own DC.
    expect(h.us.count('GET /crm/v8/org')).toBe(1);
    expect(h.eu.count('GET /crm/v8/org')).toBe(1);

    const status = await globex.request(ConnectionStatusDocument);
    expect(status.connection).toMatchObject({ name: 'default', status: 'ACTIVE', dc: 'eu', apiDomain: h.eu.url, zohoUserId: euUser.zuid, orgId: h.eu.ctx.data.org.id });
    expect(status.connection!.scopes).toContain('ZohoCRM.modules.ALL');
  });

  it('lists users and batches user lookups into one Zoho call', async () => {
    const acme = await h.client('acme');
    const page = await acme.request(UsersDocument, { perPage: 2 });
    expect(page.users).toMatchObject({ count: 2, page: 1, perPage: 2, moreRecords: true });
    expect(page.users.users[0]).toMatchObject({ id: h.us.ctx.data.users[0]!.id, role: { name: 'CEO' }, profile: { name: 'Administrator' } });
    const active = await acme.request(UsersDocument, { type: 'ACTIVE_USERS' });
    expect(active.users.users.every((u) => u.status === 'active')).toBe(true);

    h.us.resetCalls();
    const [a, b, c] = h.us.ctx.data.users;
    const three = await acme.request(ThreeUsersDocument, { a: a!.id, b: b!.id, c: c!.id });
    expect([three.a?.email, three.b?.email, three.c?.email]).toEqual([a!.email, b!.email, c!.email]);
    expect(h.us.count('GET /crm/v8/users')).toBe(1);
    expect(h.us.calls.find((x) => x.route === 'GET /crm/v8/users')!.query).toContain(`ids=${a!.id}%2C${b!.id}%2C${c!.id}`);
  });

  it('builds Zoho’s authorize URL for offline access with forced consent and the configured scopes', async () => {
    const start = await (await h.client('acme')).request(StartConnectDocument, { dc: 'eu' });
    const url = new URL(start.startZohoConnect.authorizeUrl);
    expect(url.origin + url.pathname).toBe(`${h.eu.url}/oauth/v2/auth`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      access_type: 'offline',
      prompt: 'consent',
      client_id: '1000.EMULATORCLIENT',
      redirect_uri: `${h.publicUrl}/oauth/zoho/callback`,
      scope: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoCRM.coql.READ,ZohoCRM.bulk.READ,ZohoCRM.notifications.ALL,AaaServer.profile.READ',
      code_challenge_method: 'S256',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.has('code_verifier')).toBe(false);
    expect(url.searchParams.get('state')!.length).toBeLessThan(600);
    expect(start.startZohoConnect.dc).toBe('eu');
    expect(Date.parse(start.startZohoConnect.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
  });

  it('refuses bad arguments with BAD_USER_INPUT before calling Zoho', async () => {
    const acme = await h.client('acme');
    expect(await codes(acme.request(StartConnectDocument, { dc: 'mars' }))).toEqual(['BAD_USER_INPUT']);
    expect(await codes(acme.request(StartConnectDocument, { returnTo: 'https://evil.example/steal' }))).toEqual(['BAD_USER_INPUT']);
    expect(await codes(acme.request(StartConnectDocument, { returnTo: 'https://app.example.evil.com/' }))).toEqual(['BAD_USER_INPUT']);
    expect(await codes(acme.request(UsersDocument, { perPage: 500 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('keeps tenants apart: a tenant without a connection never reaches another tenant’s', async () => {
    const initech = await h.client('initech');
    expect(await codes(initech.request(MeDocument))).toEqual(['ZOHO_NOT_CONNECTED']);
    expect(await codes(initech.request(OrganizationDocument))).toEqual(['ZOHO_NOT_CONNECTED']);
    expect((await initech.request(ConnectionStatusDocument)).connection).toBeNull();
    // Same tenant, another connection name: also separate.
    const other = await h.token('acme', 'org:read users:read', { connection: 'secondary' });
    const res = await fetch(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${other}` },
      body: JSON.stringify({ query: '{ organization { id } }' }),
    });
    expect((await res.json()).errors[0].extensions.code).toBe('ZOHO_NOT_CONNECTED');
  });

  it('answers 401 UNAUTHENTICATED without a valid JWT and FORBIDDEN naming a missing scope', async () => {
    const none = await fetch(`${h.app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { id } }"}' });
    expect(none.status).toBe(401);
    expect((await none.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const narrow = await h.client('acme', 'users:read');
    const err = await narrow.request(OrganizationDocument).then(
      () => undefined,
      (e: ClientError) => e.response.errors?.[0],
    );
    expect(err?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'org:read' });
    expect(await codes(narrow.request(StartConnectDocument, {}))).toEqual(['FORBIDDEN']);
  });

  it('redirects a denied consent with zoho=error&reason=access_denied and stores nothing', async () => {
    h.us.setConsent({ deny: true });
    try {
      const r = await h.connect('umbrella', { returnTo: `${RETURN_ORIGIN}/crm` });
      expect(r.location!.searchParams.get('zoho')).toBe('error');
      expect(r.location!.searchParams.get('reason')).toBe('access_denied');
    } finally {
      h.us.setConsent({ deny: false });
    }
    expect((await (await h.client('umbrella')).request(ConnectionStatusDocument)).connection).toBeNull();
  });

  it('rejects a forged, a replayed and an expired state', async () => {
    const client = await h.client('hooli');
    const start = await client.request(StartConnectDocument, {});
    const consent = await fetch(new URL(new URL(start.startZohoConnect.authorizeUrl).pathname + new URL(start.startZohoConnect.authorizeUrl).search, h.us.url), { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);

    const forged = new URL(callback);
    const state = forged.searchParams.get('state')!;
    forged.searchParams.set('state', `${state.slice(0, -4)}${state.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`);
    const tokenCalls = h.us.count('POST /oauth/v2/token');
    const f = await follow(h.app, forged);
    expect(f.status).toBe(400);
    expect(f.body).toContain('reason=invalid_state');
    expect(h.us.count('POST /oauth/v2/token')).toBe(tokenCalls);

    expect((await follow(h.app, callback)).body).toContain('zoho=confirm');
    const replay = await follow(h.app, callback);
    expect(replay.status).toBe(400);
    expect(replay.body).toContain('reason=replayed_state');
    expect(h.us.count('POST /oauth/v2/token')).toBe(tokenCalls + 1);

    const late = await client.request(StartConnectDocument, {});
    const lateConsent = await fetch(new URL(new URL(late.startZohoConnect.authorizeUrl).pathname + new URL(late.startZohoConnect.authorizeUrl).search, h.us.url), { redirect: 'manual' });
    h.clock.now += 10 * 60_000 + 1_000;
    try {
      const expired = await follow(h.app, new URL(lateConsent.headers.get('location')!));
      expect(expired.body).toContain('reason=expired_state');
    } finally {
      h.clock.now = Date.now();
    }
  });

  it('never sends the code or the client secret to an accounts server outside the table', async () => {
    const evil = await startEmulator({ dc: 'us' });
    try {
      const client = await h.client('wayne');
      const start = await client.request(StartConnectDocument, { returnTo: `${RETURN_ORIGIN}/x` });
      const authorize = new URL(start.startZohoConnect.authorizeUrl);
      const consent = await fetch(new URL(authorize.pathname + authorize.search, h.us.url), { redirect: 'manual' });
      const callback = new URL(consent.headers.get('location')!);
      callback.searchParams.set('accounts-server', evil.url);
      const r = await follow(h.app, callback);
      expect(r.location!.searchParams.get('reason')).toBe('unknown_accounts_server');
      expect(evil.count()).toBe(0);
      // A look-alike of a table entry (same host, other port or a suffix) is refused the same way.
      const again = await client.request(StartConnectDocument, { returnTo: `${RETURN_ORIGIN}/x` });
      const a2 = new URL(again.startZohoConnect.authorizeUrl);
      const c2 = new URL((await fetch(new URL(a2.pathname + a2.search, h.us.url), { redirect: 'manual' })).headers.get('location')!);
      c2.searchParams.set('accounts-server', `${h.us.url}.evil.example`);
      expect((await follow(h.app, c2)).location!.searchParams.get('reason')).toBe('unknown_accounts_server');
    } finally {
      await evil.close();
    }
  });

  it('fails clearly on Zoho’s {"error"} bodies and on a token answer without a refresh token', async () => {
    h.us.faults.add({ match: 'POST /oauth/v2/token', response: { status: 200, body: { error: 'invalid_code' } } });
    const bad = await h.connect('stark', { returnTo: `${RETURN_ORIGIN}/crm` });
    expect(bad.location!.searchParams.get('reason')).toBe('invalid_code');
    h.us.faults.add({
      match: 'POST /oauth/v2/token',
      response: { status: 200, body: { access_token: '1000.a.b', api_domain: h.us.url, token_type: 'Bearer', expires_in: 3600, scope: 'ZohoCRM.modules.ALL' } },
    });
    const noRefresh = await h.connect('stark', { returnTo: `${RETURN_ORIGIN}/crm` });
    expect(noRefresh.location!.searchParams.get('reason')).toBe('no_refresh_token');
    expect((await (await h.client('stark')).request(ConnectionStatusDocument)).connection).toBeNull();
  });

  it('revokes the previous refresh token on reconnect, and disconnects with a revoke', async () => {
    await h.connect('tyrell');
    const first = (await h.app.services.connections.get('tyrell', 'default'))!;
    await h.connect('tyrell');
    const second = (await h.app.services.connections.get('tyrell', 'default'))!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(h.us.accounts.getRefreshToken(first.refreshToken)).toBeUndefined();
    expect(h.us.accounts.getRefreshToken(second.refreshToken)).toBeDefined();

    const client = await h.client('tyrell');
    expect((await client.request(DisconnectDocument)).disconnectZoho).toBe(true);
    expect(h.us.accounts.getRefreshToken(second.refreshToken)).toBeUndefined();
    expect((await client.request(ConnectionStatusDocument)).connection).toBeNull();
    expect((await client.request(DisconnectDocument)).disconnectZoho).toBe(false);
  });

  it('connects a server-only setup with a Self Client grant code', async () => {
    const code = h.eu.issueSelfClientCode(['ZohoCRM.modules.ALL', 'ZohoCRM.org.READ', 'ZohoCRM.users.READ', 'AaaServer.profile.READ']);
    const client = await h.client('cyberdyne');
    const res = await client.request(ConnectWithGrantCodeDocument, { code, dc: 'eu' });
    expect(res.connectZohoWithGrantCode).toMatchObject({ dc: 'eu', status: 'ACTIVE', orgId: h.eu.ctx.data.org.id });
    expect(await codes(client.request(ConnectWithGrantCodeDocument, { code, dc: 'eu' }))).toEqual(['ZOHO_OAUTH_ERROR']);
  });

  it('keeps Zoho tokens, codes, the client secret and callers’ JWTs out of the logs', () => {
    expect(h.logs.lines.length).toBeGreaterThan(10);
    const secrets = [...h.us.accounts.issued, ...h.eu.accounts.issued, ...h.minted, 'emulator-client-secret'];
    expect(h.minted.length).toBeGreaterThan(5);
    expect(secrets.filter((t) => h.logs.text.includes(t))).toEqual([]);
    // One access-log line per operation, with request id, tenant, operation name and outcome.
    const ops = h.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'graphql operation');
    expect(ops.find((l) => l.operation === 'Organization' && l.tenantId === 'acme' && l.outcome === 'ok')).toMatchObject({ requestId: expect.any(String), ms: expect.any(Number), zoho: { calls: 1 } });
    expect(ops.find((l) => l.tenantId === 'initech' && l.outcome === 'ZOHO_NOT_CONNECTED')).toBeDefined();
  });
});

describe('a callback for a data centre the user does not live in', () => {
  let h: Harness;
  let other: ZohoEmulator;
  beforeAll(async () => {
    h = await startHarness();
    other = await startEmulator({ dc: 'in' });
  });
  afterAll(async () => {
    await h.close();
    await other.close();
  });

  it('refuses an api_domain that does not belong to the accounts server’s data centre', async () => {
    // The us accounts server answers with an api_domain of another DC: nothing is stored.
    h.us.faults.add({
      match: 'POST /oauth/v2/token',
      response: { status: 200, body: { access_token: '1000.c.d', refresh_token: '1000.e.f', api_domain: other.url, token_type: 'Bearer', expires_in: 3600, scope: 'ZohoCRM.modules.ALL' } },
    });
    const r = await h.connect('soylent', { returnTo: `${RETURN_ORIGIN}/crm` });
    expect(r.location!.searchParams.get('reason')).toBe('api_domain_mismatch');
    expect(other.count()).toBe(0);
  });
});
