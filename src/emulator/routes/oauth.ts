import { createHash } from 'node:crypto';
import type { EmulatorContext } from '../emulator.js';
import type { EmulatorRequest, EmulatorResponse, Router } from '../router.js';
import { parseScopes } from '../scopes.js';

/**
 * Zoho Accounts: authorization, token, revoke and user info.
 * Sources: https://www.zoho.com/accounts/protocol/oauth/web-apps/authorization.html,
 * https://www.zoho.com/crm/developer/docs/api/v8/access-refresh.html,
 * https://www.zoho.com/crm/developer/docs/api/v8/refresh.html,
 * https://www.zoho.com/crm/developer/docs/api/v8/token-validity.html,
 * https://www.zoho.com/accounts/protocol/oauth/multi-dc.html.
 */
export function registerOAuthRoutes(router: Router, ctx: EmulatorContext): void {
  router.add('GET', '/oauth/v2/auth', (req) => authorize(ctx, req));
  router.add('POST', '/oauth/v2/token', (req) => token(ctx, req));
  router.add('POST', '/oauth/v2/token/revoke', (req) => revoke(ctx, req));
  router.add('GET', '/oauth/user/info', (req) => userInfo(ctx, req));
}

function page(status: number, title: string): EmulatorResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, raw: `<!doctype html><title>${title}</title><h1>${title}</h1>` };
}

function redirect(to: URL): EmulatorResponse {
  return { status: 302, headers: { location: to.toString() } };
}

/**
 * GET /oauth/v2/auth. Consent is automatic in the emulator (as the user in `ctx.consent`), or denied
 * when a test asks for that. On success Zoho redirects to the registered redirect URI with
 * `code`, `location` (the user's DC), `accounts-server` (where the code must be exchanged) and the
 * caller's `state` (https://www.zoho.com/accounts/protocol/oauth/multi-dc.html). A denied consent
 * redirects with `error=access_denied`. An unknown client or an unregistered redirect URI is
 * answered with an error page and no redirect (RFC 6749 §4.1.2.1; Zoho's exact page is UNVERIFIED).
 */
function authorize(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const q = req.query;
  const client = ctx.accounts.clients.get(q.get('client_id') ?? '');
  if (!client) return page(400, 'Invalid Client');
  const redirectUri = q.get('redirect_uri') ?? '';
  if (!redirectUri || (client.redirectUris !== '*' && !client.redirectUris.includes(redirectUri))) return page(400, 'Invalid Redirect Uri');
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    return page(400, 'Invalid Redirect Uri');
  }
  const state = q.get('state');
  if (q.get('response_type') !== 'code') {
    // UNVERIFIED: Zoho's exact answer to another response_type; RFC 6749 says redirect with this error.
    target.searchParams.set('error', 'unsupported_response_type');
    if (state !== null) target.searchParams.set('state', state);
    return redirect(target);
  }
  if (ctx.consent.deny) {
    target.searchParams.set('error', 'access_denied');
    if (state !== null) target.searchParams.set('state', state);
    return redirect(target);
  }
  // PKCE: https://www.zoho.com/accounts/protocol/oauth/mobile-and-desktop-apps/get-authorization-code.html
  // documents code_challenge with code_challenge_method S256 or plain (default plain). Zoho's
  // answer to an unknown method is UNVERIFIED; RFC 7636 §4.4.1 says redirect with invalid_request.
  const challenge = q.get('code_challenge');
  const method = q.get('code_challenge_method') ?? 'plain';
  if (challenge !== null && ((method !== 'S256' && method !== 'plain') || !/^[A-Za-z0-9._~-]{43,128}$/.test(challenge))) {
    target.searchParams.set('error', 'invalid_request');
    if (state !== null) target.searchParams.set('state', state);
    return redirect(target);
  }
  const scopes = parseScopes(q.get('scope'));
  if (scopes.length === 0) {
    // UNVERIFIED: Zoho's answer to a missing scope.
    target.searchParams.set('error', 'invalid_scope');
    if (state !== null) target.searchParams.set('state', state);
    return redirect(target);
  }
  const code = ctx.accounts.issueCode({
    clientId: client.clientId,
    redirectUri,
    scopes,
    zuid: ctx.consent.zuid,
    offline: q.get('access_type') === 'offline',
    forceConsent: q.get('prompt') === 'consent',
    ...(challenge !== null ? { pkce: { challenge, method: method as 'S256' | 'plain' } } : {}),
  });
  if (state !== null) target.searchParams.set('state', state);
  target.searchParams.set('code', code);
  target.searchParams.set('location', ctx.dc);
  target.searchParams.set('accounts-server', ctx.url);
  return redirect(target);
}

/**
 * Zoho's token endpoint answers errors with HTTP 200 and `{"error": "…"}` (access-refresh.html;
 * issue threads of Zoho's SDKs). Parameters may come in the query string (as Zoho's docs show) or
 * as a form body.
 */
function token(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const params = new URLSearchParams(req.query);
  const ct = String(req.headers['content-type'] ?? '');
  if (req.body && ct.includes('application/x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(req.body)) params.set(k, v);
  const fail = (error: string, extra: Record<string, string> = {}): EmulatorResponse => ({ status: 200, body: { error, ...extra } });

  const client = ctx.accounts.clients.get(params.get('client_id') ?? '');
  if (!client) return fail('invalid_client');
  // UNVERIFIED: Zoho's error name for a wrong secret (zoho-api.md lists invalid_client_secret as unverified).
  if (params.get('client_secret') !== client.clientSecret) return fail('invalid_client_secret');

  switch (params.get('grant_type')) {
    case 'authorization_code': {
      const grant = ctx.accounts.consumeCode(params.get('code') ?? '', client.clientId);
      // A used, expired or unknown code: `invalid_code` (zoho-api.md, SDK issue threads).
      if (!grant) return fail('invalid_code');
      // UNVERIFIED error name; RFC 6749 requires the same redirect_uri as the authorization request.
      if (grant.redirectUri !== undefined && params.get('redirect_uri') !== grant.redirectUri) return fail('invalid_redirect_uri');
      // A code issued for a PKCE challenge needs its verifier: get-access-token.html (Zoho's
      // mobile-and-desktop flow) lists code_verifier as required. The error name for a missing or
      // wrong verifier is UNVERIFIED: we answer `invalid_code` (the code cannot be redeemed; RFC
      // 7636 §4.6 says invalid_grant). The code stays used up, so a verifier cannot be guessed.
      if (grant.pkce && !verifierMatches(grant.pkce, params.get('code_verifier'))) return fail('invalid_code');
      const refresh = grant.issueRefreshToken ? ctx.accounts.issueRefreshToken(client.clientId, grant.zuid, grant.scopes) : undefined;
      const at = ctx.accounts.issueAccessToken({
        clientId: client.clientId,
        zuid: grant.zuid,
        scopes: grant.scopes,
        ttlSeconds: ctx.accessTokenTtlSeconds,
        ...(refresh ? { refreshToken: refresh } : {}),
      });
      return {
        status: 200,
        body: {
          access_token: at.token,
          ...(refresh ? { refresh_token: refresh } : {}),
          scope: grant.scopes.join(' '),
          api_domain: ctx.tokenApiDomain ?? ctx.url,
          token_type: 'Bearer',
          expires_in: ctx.accessTokenTtlSeconds,
        },
      };
    }
    case 'refresh_token': {
      const rt = ctx.accounts.getRefreshToken(params.get('refresh_token') ?? '');
      if (!rt || rt.clientId !== client.clientId) return fail('invalid_code');
      if (ctx.accounts.throttled(rt)) {
        // token-validity.html: past 10 access tokens per refresh token in 10 minutes the endpoint
        // answers "Access Denied" (status stays 200, per Zoho's Kaizen #43). The description text
        // is UNVERIFIED.
        return fail('Access Denied', { error_description: 'You have made too many requests continuously. Please try again after some time.' });
      }
      const at = ctx.accounts.issueAccessToken({
        clientId: client.clientId,
        zuid: rt.zuid,
        scopes: rt.scopes,
        refreshToken: rt.token,
        viaRefresh: true,
        ttlSeconds: ctx.accessTokenTtlSeconds,
      });
      return {
        status: 200,
        body: { access_token: at.token, scope: rt.scopes.join(' '), api_domain: ctx.tokenApiDomain ?? ctx.url, token_type: 'Bearer', expires_in: ctx.accessTokenTtlSeconds },
      };
    }
    default:
      // UNVERIFIED error name for an unknown grant type (RFC 6749's name).
      return fail('unsupported_grant_type');
  }
}

function verifierMatches(pkce: { challenge: string; method: 'S256' | 'plain' }, verifier: string | null): boolean {
  if (verifier === null || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const derived = pkce.method === 'S256' ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
  return derived === pkce.challenge;
}

/**
 * POST /oauth/v2/token/revoke?token=… → `{"status":"success"}`; revoking a refresh token also
 * kills its access tokens (https://www.zoho.com/crm/developer/docs/api/v8/revoke-tokens.html, Zoho
 * Creator's revoke doc shows the same body). UNVERIFIED: the answer for an unknown token; we answer
 * success as RFC 7009 §2.2 prescribes.
 */
function revoke(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const params = new URLSearchParams(req.query);
  if (req.body && String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(req.body)) params.set(k, v);
  }
  const t = params.get('token');
  if (!t) return { status: 200, body: { status: 'failure', error: 'invalid_request' } };
  ctx.accounts.revoke(t);
  return { status: 200, body: { status: 'success' } };
}

/**
 * GET /oauth/user/info with the access token (scope AaaServer.profile.READ) →
 * `{"First_Name","Email","Last_Name","Display_Name","ZUID"}` (zoho-api.md; the OAuth user-info field
 * guide in shared/seeds). Zoho accepts `Zoho-oauthtoken` and `Bearer` here. UNVERIFIED: the exact
 * error bodies; we answer 401 with `{"error":"invalid_token"}` / `{"error":"invalid_scope"}`.
 */
function userInfo(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const m = /^(?:Zoho-oauthtoken|Bearer)\s+(\S+)$/i.exec(String(req.headers.authorization ?? '').trim());
  const at = m ? ctx.accounts.verifyAccessToken(m[1]!) : undefined;
  if (!at) return { status: 401, body: { error: 'invalid_token' } };
  if (!at.scopes.some((s) => /^AaaServer\.profile\.(READ|ALL)$/i.test(s))) return { status: 401, body: { error: 'invalid_scope' } };
  const user = ctx.data.users.find((u) => u.zuid === at.zuid);
  if (!user) return { status: 401, body: { error: 'invalid_token' } };
  return {
    status: 200,
    body: { First_Name: user.first_name, Email: user.email, Last_Name: user.last_name, Display_Name: user.full_name, ZUID: Number(user.zuid) },
  };
}
