import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { DEFAULT_CLIENT, startEmulator, type ZohoEmulator } from '../../src/emulator/emulator.js';
import { createPkcePair } from '../../src/zoho/oauth.js';
import { call, mintToken } from '../helpers/emulator.js';

const REDIRECT = 'http://localhost:4000/oauth/zoho/callback';
const SCOPES = 'ZohoCRM.modules.ALL,ZohoCRM.org.READ,AaaServer.profile.READ';

/** Follows the consent step like a browser would and returns the redirect's query. */
async function authorize(emu: ZohoEmulator, params: Record<string, string> = {}): Promise<{ status: number; location: URL | undefined; body: string }> {
  const url = new URL('/oauth/v2/auth', emu.url);
  const all = { scope: SCOPES, client_id: DEFAULT_CLIENT.clientId, response_type: 'code', access_type: 'offline', redirect_uri: REDIRECT, state: 'st-123', prompt: 'consent', ...params };
  for (const [k, v] of Object.entries(all)) if (v !== '') url.searchParams.set(k, v);
  const res = await request(url, { method: 'GET' });
  const body = await res.body.text();
  const loc = res.headers.location;
  return { status: res.statusCode, location: typeof loc === 'string' ? new URL(loc) : undefined, body };
}

async function exchange(emu: ZohoEmulator, form: Record<string, string>) {
  return call(emu, 'POST', '/oauth/v2/token', {
    form: { client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret, redirect_uri: REDIRECT, ...form },
  });
}

describe('Zoho Accounts emulator', () => {
  let emu: ZohoEmulator;
  beforeEach(async () => {
    emu = await startEmulator({ dc: 'eu' });
  });
  afterEach(() => emu.close());

  it('redirects consent with code, state, location and accounts-server (multi-dc.html)', async () => {
    const r = await authorize(emu);
    expect(r.status).toBe(302);
    expect(r.location!.origin + r.location!.pathname).toBe(REDIRECT);
    expect(r.location!.searchParams.get('state')).toBe('st-123');
    expect(r.location!.searchParams.get('location')).toBe('eu');
    expect(r.location!.searchParams.get('accounts-server')).toBe(emu.url);
    expect(r.location!.searchParams.get('code')).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
  });

  it('redirects a denied consent with error=access_denied and the state', async () => {
    emu.setConsent({ deny: true });
    const r = await authorize(emu);
    expect(r.location!.searchParams.get('error')).toBe('access_denied');
    expect(r.location!.searchParams.get('state')).toBe('st-123');
    expect(r.location!.searchParams.has('code')).toBe(false);
  });

  it('refuses an unknown client or redirect URI without redirecting', async () => {
    const unknown = await authorize(emu, { client_id: 'nope' });
    expect(unknown.status).toBe(400);
    expect(unknown.location).toBeUndefined();
    const strict = await startEmulator({ clients: [{ clientId: 'c1', clientSecret: 's1', redirectUris: ['https://app.example/cb'] }] });
    try {
      const r = await authorize(strict, { client_id: 'c1', redirect_uri: 'https://evil.example/cb' });
      expect(r.status).toBe(400);
      expect(r.location).toBeUndefined();
    } finally {
      await strict.close();
    }
  });

  it('exchanges a code once for the documented token body; a reused code is invalid_code with HTTP 200', async () => {
    const code = (await authorize(emu)).location!.searchParams.get('code')!;
    const ok = await exchange(emu, { grant_type: 'authorization_code', code });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['access_token', 'api_domain', 'expires_in', 'refresh_token', 'scope', 'token_type']);
    expect(ok.body).toMatchObject({ api_domain: emu.url, token_type: 'Bearer', expires_in: 3600, scope: SCOPES.split(',').join(' ') });
    const again = await exchange(emu, { grant_type: 'authorization_code', code });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ error: 'invalid_code' });
  });

  it('enforces PKCE when a challenge was given: no verifier, a wrong one, or a plain verifier for S256 fail with invalid_code', async () => {
    const { verifier, challenge } = createPkcePair();
    const codeFor = async () => (await authorize(emu, { code_challenge: challenge, code_challenge_method: 'S256' })).location!.searchParams.get('code')!;
    const without = await exchange(emu, { grant_type: 'authorization_code', code: await codeFor() });
    expect(without).toMatchObject({ status: 200, body: { error: 'invalid_code' } });
    const wrong = await exchange(emu, { grant_type: 'authorization_code', code: await codeFor(), code_verifier: createPkcePair().verifier });
    expect(wrong.body).toEqual({ error: 'invalid_code' });
    const challengeAsVerifier = await exchange(emu, { grant_type: 'authorization_code', code: await codeFor(), code_verifier: challenge });
    expect(challengeAsVerifier.body).toEqual({ error: 'invalid_code' });
    // A code refused for its verifier stays used up: the right verifier afterwards does not help.
    const burnt = await codeFor();
    await exchange(emu, { grant_type: 'authorization_code', code: burnt, code_verifier: 'x'.repeat(43) });
    expect((await exchange(emu, { grant_type: 'authorization_code', code: burnt, code_verifier: verifier })).body).toEqual({ error: 'invalid_code' });
    const right = await exchange(emu, { grant_type: 'authorization_code', code: await codeFor(), code_verifier: verifier });
    expect(right.body.refresh_token).toMatch(/^1000\./);
    // Without a challenge, the code is exchanged as before (Zoho's web-app flow has no PKCE).
    expect((await exchange(emu, { grant_type: 'authorization_code', code: (await authorize(emu)).location!.searchParams.get('code')! })).body.access_token).toMatch(/^1000\./);
  });

  it('refuses an unknown code_challenge_method by redirecting with invalid_request', async () => {
    const r = await authorize(emu, { code_challenge: createPkcePair().challenge, code_challenge_method: 'MD5' });
    expect(r.location!.searchParams.get('error')).toBe('invalid_request');
    expect(r.location!.searchParams.has('code')).toBe(false);
  });

  it('expires a code after three minutes (token-validity.html)', async () => {
    let now = Date.now();
    const timed = await startEmulator({ now: () => now });
    try {
      const code = (await authorize(timed)).location!.searchParams.get('code')!;
      now += 3 * 60_000 + 1;
      expect((await exchange(timed, { grant_type: 'authorization_code', code })).body).toEqual({ error: 'invalid_code' });
    } finally {
      await timed.close();
    }
  });

  it('gives a refresh token only for access_type=offline, and on re-consent only with prompt=consent', async () => {
    const online = (await authorize(emu, { access_type: '' })).location!.searchParams.get('code')!;
    expect((await exchange(emu, { grant_type: 'authorization_code', code: online })).body.refresh_token).toBeUndefined();
    const first = (await authorize(emu, { prompt: '' })).location!.searchParams.get('code')!;
    // The user consented once already (above), so without prompt=consent no refresh token.
    expect((await exchange(emu, { grant_type: 'authorization_code', code: first })).body.refresh_token).toBeUndefined();
    const forced = (await authorize(emu)).location!.searchParams.get('code')!;
    expect((await exchange(emu, { grant_type: 'authorization_code', code: forced })).body.refresh_token).toMatch(/^1000\./);
  });

  it('refuses a wrong client secret and an unknown client', async () => {
    const code = (await authorize(emu)).location!.searchParams.get('code')!;
    expect((await exchange(emu, { grant_type: 'authorization_code', code, client_secret: 'wrong' })).body).toEqual({ error: 'invalid_client_secret' });
    expect((await exchange(emu, { grant_type: 'authorization_code', code, client_id: 'other' })).body).toEqual({ error: 'invalid_client' });
  });

  it('refreshes, and throttles the 11th refresh in 10 minutes with "Access Denied" (HTTP 200)', async () => {
    const code = (await authorize(emu)).location!.searchParams.get('code')!;
    const rt = (await exchange(emu, { grant_type: 'authorization_code', code })).body.refresh_token as string;
    for (let i = 0; i < 10; i++) {
      const r = await exchange(emu, { grant_type: 'refresh_token', refresh_token: rt });
      expect(Object.keys(r.body).sort()).toEqual(['access_token', 'api_domain', 'expires_in', 'scope', 'token_type']);
    }
    const eleventh = await exchange(emu, { grant_type: 'refresh_token', refresh_token: rt });
    expect(eleventh.status).toBe(200);
    expect(eleventh.body.error).toBe('Access Denied');
    expect(emu.refreshGrants()).toBe(10);
  });

  it('keeps at most 15 live access tokens per refresh token (the 16th invalidates the oldest)', async () => {
    let now = Date.now();
    const timed = await startEmulator({ now: () => now });
    try {
      const code = (await authorize(timed)).location!.searchParams.get('code')!;
      const first = (await exchange(timed, { grant_type: 'authorization_code', code })).body;
      const tokens = [first.access_token as string];
      for (let i = 0; i < 15; i++) {
        now += 61_000; // stay under the 10-per-10-minutes throttle
        tokens.push((await exchange(timed, { grant_type: 'refresh_token', refresh_token: first.refresh_token })).body.access_token);
      }
      expect((await call(timed, 'GET', '/crm/v8/org', { token: tokens[0]! })).body.code).toBe('INVALID_TOKEN');
      expect((await call(timed, 'GET', '/crm/v8/org', { token: tokens[15]! })).status).toBe(200);
    } finally {
      await timed.close();
    }
  });

  it('revokes a refresh token and its access tokens', async () => {
    const code = (await authorize(emu)).location!.searchParams.get('code')!;
    const t = (await exchange(emu, { grant_type: 'authorization_code', code })).body;
    expect((await call(emu, 'GET', '/crm/v8/org', { token: t.access_token })).status).toBe(200);
    const r = await call(emu, 'POST', '/oauth/v2/token/revoke', { query: { token: t.refresh_token } });
    expect(r.body).toEqual({ status: 'success' });
    expect((await call(emu, 'GET', '/crm/v8/org', { token: t.access_token })).body.code).toBe('INVALID_TOKEN');
    expect((await exchange(emu, { grant_type: 'refresh_token', refresh_token: t.refresh_token })).body).toEqual({ error: 'invalid_code' });
  });

  it('answers /oauth/user/info with the consenting user, and needs AaaServer.profile.READ', async () => {
    const user = emu.ctx.data.users[1]!;
    emu.setConsent({ zuid: user.zuid });
    const code = (await authorize(emu)).location!.searchParams.get('code')!;
    const t = (await exchange(emu, { grant_type: 'authorization_code', code })).body;
    const info = await call(emu, 'GET', '/oauth/user/info', { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(info.body).toEqual({ First_Name: user.first_name, Last_Name: user.last_name, Display_Name: user.full_name, Email: user.email, ZUID: Number(user.zuid) });
    const noScope = mintToken(emu, ['ZohoCRM.modules.ALL']);
    expect((await call(emu, 'GET', '/oauth/user/info', { token: noScope })).status).toBe(401);
  });

  it('keeps at most 20 refresh tokens per user and client (the 21st deletes the oldest)', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 21; i++) {
      const code = (await authorize(emu)).location!.searchParams.get('code')!;
      tokens.push((await exchange(emu, { grant_type: 'authorization_code', code })).body.refresh_token);
    }
    expect(emu.accounts.liveRefreshTokens()).toBe(20);
    expect((await exchange(emu, { grant_type: 'refresh_token', refresh_token: tokens[0]! })).body).toEqual({ error: 'invalid_code' });
    expect((await exchange(emu, { grant_type: 'refresh_token', refresh_token: tokens[20]! })).body.access_token).toBeDefined();
  });
});
