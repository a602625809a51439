import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { DEFAULT_CLIENT, startEmulator, type ZohoEmulator } from '../../src/emulator/emulator.js';
import { createPkcePair, createZohoOAuthClient, ZohoNetworkError, ZohoOAuthError, type ZohoOAuthClient } from '../../src/zoho/oauth.js';
import { isGatewayError } from '../../src/errors.js';
import { deadPort, expectNoSecrets, obtainCode, REDIRECT_URI, SCOPES } from './helpers.js';

/** The rejection of `work`, which must reject. */
async function rejection(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('Zoho OAuth client (against the emulator)', () => {
  let emu: ZohoEmulator;
  let oauth: ZohoOAuthClient;
  /** Every error message seen, checked for secrets at the end. */
  const messages: string[] = [];

  beforeAll(async () => {
    emu = await startEmulator({ dc: 'eu' });
    oauth = createZohoOAuthClient({ clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret });
  });
  afterAll(async () => {
    expectNoSecrets(emu, messages.join('\n'));
    await emu.close();
  });
  beforeEach(() => emu.faults.clear());

  const fails = async (work: Promise<unknown>): Promise<Error> => {
    const err = await rejection(work);
    messages.push(err.message, JSON.stringify((err as { extensions?: unknown }).extensions ?? {}));
    return err;
  };
  const exchange = async () => oauth.exchangeCode({ accountsServer: emu.url, code: await obtainCode(emu), redirectUri: REDIRECT_URI });

  it('builds the consent URL Zoho documents (web-apps/authorization.html)', () => {
    const url = new URL(oauth.authorizeUrl({ accountsServer: 'https://accounts.zoho.eu', scopes: SCOPES, redirectUri: REDIRECT_URI, state: 's t&x' }));
    expect(url.origin + url.pathname).toBe('https://accounts.zoho.eu/oauth/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      scope: 'ZohoCRM.modules.ALL,ZohoCRM.org.READ,AaaServer.profile.READ',
      client_id: DEFAULT_CLIENT.clientId,
      response_type: 'code',
      access_type: 'offline',
      redirect_uri: REDIRECT_URI,
      state: 's t&x',
      prompt: 'consent',
    });
    expect(url.toString()).not.toContain(DEFAULT_CLIENT.clientSecret);
  });

  it('adds a PKCE S256 challenge to the consent URL and sends the verifier with the code', async () => {
    const { verifier, challenge } = createPkcePair();
    const url = new URL(oauth.authorizeUrl({ accountsServer: emu.url, scopes: SCOPES, redirectUri: REDIRECT_URI, state: 'st', codeChallenge: challenge }));
    expect(url.searchParams.get('code_challenge')).toBe(challenge);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.toString()).not.toContain(verifier);
    const codeFor = async () => new URL((await fetch(url, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    const err = await fails(oauth.exchangeCode({ accountsServer: emu.url, code: await codeFor(), redirectUri: REDIRECT_URI }));
    expect(err).toMatchObject({ kind: 'invalid_grant', error: 'invalid_code' });
    const tokens = await oauth.exchangeCode({ accountsServer: emu.url, code: await codeFor(), redirectUri: REDIRECT_URI, codeVerifier: verifier });
    expect(tokens.refreshToken).toMatch(/^1000\./);
  });

  it('exchanges a code for a token set', async () => {
    const tokens = await exchange();
    expect(tokens).toEqual({
      accessToken: expect.stringMatching(/^1000\./),
      refreshToken: expect.stringMatching(/^1000\./),
      apiDomain: emu.url,
      expiresInSec: 3600,
      scopes: SCOPES,
    });
    // The credentials travelled in a form body, not the URL.
    const call = emu.calls.at(-1)!;
    expect(call.route).toBe('POST /oauth/v2/token');
    expect(call.query).toBe('');
  });

  it('refuses a reused code as invalid_grant (invalid_code, HTTP 200), and is not retried', async () => {
    const code = await obtainCode(emu);
    await oauth.exchangeCode({ accountsServer: emu.url, code, redirectUri: REDIRECT_URI });
    const before = emu.count('POST /oauth/v2/token');
    const err = await fails(oauth.exchangeCode({ accountsServer: emu.url, code, redirectUri: REDIRECT_URI }));
    expect(err).toBeInstanceOf(ZohoOAuthError);
    expect(err).toMatchObject({ kind: 'invalid_grant', error: 'invalid_code', operation: 'exchangeCode', code: 'ZOHO_OAUTH_ERROR' });
    expect(err.message).not.toContain(code);
    expect(emu.count('POST /oauth/v2/token')).toBe(before + 1);
  });

  it('classifies a wrong client secret as a client error', async () => {
    const wrong = createZohoOAuthClient({ clientId: DEFAULT_CLIENT.clientId, clientSecret: 'not-the-secret-123' });
    const code = await obtainCode(emu);
    const err = await fails(wrong.exchangeCode({ accountsServer: emu.url, code, redirectUri: REDIRECT_URI }));
    expect(err).toBeInstanceOf(ZohoOAuthError);
    expect(err).toMatchObject({ kind: 'client', error: 'invalid_client_secret' });
    expect(err.message).not.toContain('not-the-secret-123');
    const unknown = createZohoOAuthClient({ clientId: 'nope', clientSecret: 'x' });
    expect(await fails(unknown.refresh({ accountsServer: emu.url, refreshToken: 'whatever' }))).toMatchObject({ kind: 'client', error: 'invalid_client' });
  });

  it('refuses a code exchanged without the redirect URI it was issued for (client error)', async () => {
    const code = await obtainCode(emu);
    const err = await fails(oauth.exchangeCode({ accountsServer: emu.url, code }));
    expect(err).toMatchObject({ name: 'ZohoOAuthError', kind: 'client', error: 'invalid_redirect_uri' });
  });

  it('refreshes; the 11th refresh in 10 minutes is throttled ("Access Denied")', async () => {
    const { refreshToken } = await exchange();
    const grantsBefore = emu.refreshGrants();
    for (let i = 0; i < 10; i++) {
      const t = await oauth.refresh({ accountsServer: emu.url, refreshToken: refreshToken! });
      expect(t.refreshToken).toBeUndefined();
      expect(t.scopes).toEqual(SCOPES);
      expect(t.expiresInSec).toBe(3600);
    }
    const err = await fails(oauth.refresh({ accountsServer: emu.url, refreshToken: refreshToken! }));
    expect(err).toBeInstanceOf(ZohoOAuthError);
    expect(err).toMatchObject({ kind: 'throttled', error: 'Access Denied', code: 'ZOHO_RATE_LIMITED' });
    expect(emu.refreshGrants() - grantsBefore).toBe(10);
  });

  it('revokes a refresh token: it and its access tokens stop working', async () => {
    const { refreshToken, accessToken } = await exchange();
    await oauth.revoke({ accountsServer: emu.url, token: refreshToken! });
    expect(await fails(oauth.refresh({ accountsServer: emu.url, refreshToken: refreshToken! }))).toMatchObject({
      kind: 'invalid_grant',
      error: 'invalid_code',
    });
    const info = await fails(oauth.userInfo({ accountsServer: emu.url, accessToken }));
    expect(info).toBeInstanceOf(ZohoOAuthError);
    expect(info).toMatchObject({ error: 'invalid_token', status: 401 });
  });

  it('reads user info', async () => {
    const { accessToken } = await exchange();
    const user = emu.ctx.data.users[0]!;
    const info = await oauth.userInfo({ accountsServer: emu.url, accessToken });
    expect(info).toMatchObject({ zuid: user.zuid, email: user.email, displayName: user.full_name, firstName: user.first_name, lastName: user.last_name });
    expect(info.raw).toMatchObject({ ZUID: Number(user.zuid), Email: user.email });
  });

  it('reports a closed port, a 5xx, a non-JSON body and a timeout as ZohoNetworkError', async () => {
    const { refreshToken } = await exchange();
    const refresh = (accountsServer: string, client = oauth) => client.refresh({ accountsServer, refreshToken: refreshToken! });

    const closed = await fails(refresh(`http://127.0.0.1:${await deadPort()}`));
    expect(closed).toBeInstanceOf(ZohoNetworkError);
    expect(isGatewayError(closed, 'ZOHO_UNAVAILABLE')).toBe(true);
    expect(closed.message).toMatch(/ECONNREFUSED/);

    emu.faults.serverError({ match: 'POST /oauth/v2/token', status: 503 });
    expect(await fails(refresh(emu.url))).toMatchObject({ name: 'ZohoNetworkError', status: 503 });

    emu.faults.add({ match: 'POST /oauth/v2/token', response: { status: 200, headers: { 'content-type': 'text/html' }, raw: '<html>maintenance</html>' } });
    expect(await fails(refresh(emu.url))).toBeInstanceOf(ZohoNetworkError);

    emu.faults.add({ match: 'POST /oauth/v2/token', response: { status: 200, body: { unexpected: true } } });
    expect(await fails(refresh(emu.url))).toBeInstanceOf(ZohoNetworkError);

    const impatient = new Agent({ headersTimeout: 200 });
    try {
      const fast = createZohoOAuthClient({ clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret, dispatcher: impatient });
      emu.faults.add({ match: 'POST /oauth/v2/token', delayMs: 1_000 });
      const timedOut = await fails(refresh(emu.url, fast));
      expect(timedOut).toBeInstanceOf(ZohoNetworkError);
      expect(timedOut.message).toMatch(/Timeout/i);
    } finally {
      await impatient.close();
    }
  });

  it('never puts a token, code or the secret in an error message (all errors above)', () => {
    expect(messages.length).toBeGreaterThan(10);
    expectNoSecrets(emu, messages.join('\n'));
  });
});
