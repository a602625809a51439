/**
 * Log redaction keeps error codes readable and hides the connect flow's one-time credentials
 * (grant code, state, ticket) wherever they travel, including inside URLs.
 */
import { GraphQLClient } from 'graphql-request';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { LogCapture } from './helpers/app.js';
import { follow, startHarness, type Harness } from './helpers/gateway.js';

function logged(write: (log: ReturnType<typeof createLogger>) => void): Record<string, any> {
  const out = new LogCapture();
  write(createLogger({ destination: out, level: 'debug' }));
  return JSON.parse(out.lines[0]!);
}

describe('log redaction', () => {
  it('keeps error codes readable: a `code` field and err.code are not secrets', () => {
    expect(logged((log) => log.warn({ code: 'ZOHO_RATE_LIMITED', tenantId: 'acme' }, 'x'))).toMatchObject({ code: 'ZOHO_RATE_LIMITED' });
    const err = Object.assign(new Error('connect failed'), { code: 'ECONNREFUSED' });
    expect(logged((log) => log.error({ err }, 'x')).err).toMatchObject({ code: 'ECONNREFUSED', message: 'connect failed' });
    expect(logged((log) => log.warn({ failure: { code: 'STORE_UNAVAILABLE' } }, 'x'))).toMatchObject({ failure: { code: 'STORE_UNAVAILABLE' } });
  });

  it('hides grant codes, states and tickets inside URLs and messages, and keeps the rest of the URL', () => {
    const url = 'https://gw.example.com/oauth/zoho/callback?code=1000.GRANT-SECRET&state=STATE-SECRET&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu';
    const line = logged((log) => log.info({ url, nested: { location: 'https://app.example/crm?zoho=confirm&ticket=TICKET-SECRET' } }, `callback ${url}`));
    const text = JSON.stringify(line);
    expect(text).not.toMatch(/GRANT-SECRET|STATE-SECRET|TICKET-SECRET/);
    expect(line.url).toBe('https://gw.example.com/oauth/zoho/callback?code=[redacted]&state=[redacted]&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu');
    expect(line.nested.location).toBe('https://app.example/crm?zoho=confirm&ticket=[redacted]');
    expect(line.msg).toContain('code=[redacted]');
  });

  it('hides them in a logged error: message, stack, causes and nested errors', () => {
    const cause = new Error('Zoho answered 400 to code=CAUSE-GRANT&grant_type=authorization_code');
    const err = Object.assign(new Error('token exchange failed for https://gw.example.com/oauth/zoho/callback?code=1000.GRANT-SECRET&state=STATE-SECRET', { cause }), {
      code: 'ZOHO_AUTH_FAILED',
      error: new Error('redirect to https://app.example/crm?zoho=confirm&ticket=TICKET-SECRET'),
    });
    const line = logged((log) => log.error({ err }, 'unexpected error (masked for the caller)'));
    expect(JSON.stringify(line)).not.toMatch(/GRANT-SECRET|STATE-SECRET|TICKET-SECRET|CAUSE-GRANT/);
    expect(line.err.message).toContain('callback?code=[redacted]&state=[redacted]');
    expect(line.err.stack).toContain('callback?code=[redacted]&state=[redacted]');
    expect(line.err).toMatchObject({ type: 'Error', code: 'ZOHO_AUTH_FAILED' });
    // Logged bare, pino takes the line's message from the error: that copy is scrubbed as well.
    const bare = logged((log) => log.error(err));
    expect(JSON.stringify(bare)).not.toMatch(/GRANT-SECRET|STATE-SECRET|TICKET-SECRET|CAUSE-GRANT/);
    expect(bare.msg).toContain('code=[redacted]');
  });

  it('hides them however deep a plain object nests them, without touching the caller’s object', () => {
    const fields = { a: { b: { c: { url: 'https://app.example/crm?zoho=confirm&ticket=TICKET-SECRET' } } }, deepest: { a: { b: { c: { d: { url: 'x?code=GRANT-SECRET' } } } } } };
    const before = JSON.stringify(fields);
    const line = logged((log) => log.info(fields, 'x'));
    expect(JSON.stringify(line)).not.toMatch(/TICKET-SECRET|GRANT-SECRET/);
    expect(line.a.b.c.url).toBe('https://app.example/crm?zoho=confirm&ticket=[redacted]');
    expect(line.deepest.a.b.c.d.url).toBe('x?code=[redacted]'); // the deepest level pino prints
    expect(JSON.stringify(fields)).toBe(before);
  });

  it('hides them inside arrays', () => {
    const fields = {
      list: ['https://gw.example.com/oauth/zoho/callback?code=GRANT-SECRET', { location: '/crm?ticket=TICKET-SECRET' }],
      args: [new URL('https://gw.example.com/cb?state=STATE-SECRET')],
    };
    const line = logged((log) => log.warn(fields, 'x'));
    expect(JSON.stringify(line)).not.toMatch(/GRANT-SECRET|TICKET-SECRET|STATE-SECRET/);
    expect(line.list[0]).toBe('https://gw.example.com/oauth/zoho/callback?code=[redacted]');
    expect(fields.list[1]).toEqual({ location: '/crm?ticket=TICKET-SECRET' });
  });

  it('hides them in form bodies and in text that quotes a parameter', () => {
    const body = 'code=GRANT-SECRET&grant_type=authorization_code&client_id=cid&code_verifier=VERIFIER-SECRET';
    const line = logged((log) => log.warn({ body, detail: 'sent "state=STATE-SECRET" and ticket=TICKET-SECRET' }, `token request failed: ${body}`));
    expect(JSON.stringify(line)).not.toMatch(/GRANT-SECRET|VERIFIER-SECRET|STATE-SECRET|TICKET-SECRET/);
    expect(line.body).toBe('code=[redacted]&grant_type=authorization_code&client_id=cid&code_verifier=[redacted]');
    expect(line.msg).toBe('token request failed: code=[redacted]&grant_type=authorization_code&client_id=cid&code_verifier=[redacted]');
  });

  it('still redacts secret-named keys at any depth', () => {
    const line = logged((log) => log.info({ state: 'S1', grantCode: 'G1', connection: { refreshToken: 'R1', codeVerifier: 'V1' } }, 'x'));
    expect(JSON.stringify(line)).not.toMatch(/S1|G1|R1|V1/);
  });
});

describe('the connect flow in the logs', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('never logs the grant code, the state or a ticket, even when the callback is replayed', async () => {
    h = await startHarness();
    const client = new GraphQLClient(`${h.app.url}/graphql`, { headers: { authorization: `Bearer ${await h.token('acme')}` } });
    const { startZohoConnect } = await client.request<{ startZohoConnect: { authorizeUrl: string } }>('mutation { startZohoConnect(dc: "us") { authorizeUrl } }');
    const authorize = new URL(startZohoConnect.authorizeUrl);
    const consent = await fetch(new URL(authorize.pathname + authorize.search, h.us.url), { redirect: 'manual' });
    const redirect = new URL(consent.headers.get('location')!);
    const first = await follow(h.app, redirect);
    const replay = await follow(h.app, redirect); // the state is single use: refused, and logged as such

    const secrets = [redirect.searchParams.get('code')!, redirect.searchParams.get('state')!, authorize.searchParams.get('state')!];
    for (const answer of [first, replay]) {
      const ticket = answer.location?.searchParams.get('ticket');
      if (ticket) secrets.push(ticket);
    }
    expect(secrets.every((s) => s.length >= 8)).toBe(true);
    expect(h.logs.lines.length).toBeGreaterThan(0);
    for (const secret of [...secrets, ...h.us.accounts.issued]) expect(h.logs.text).not.toContain(secret);
  });
});
