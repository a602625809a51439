/**
 * The Zoho Accounts client: builds the consent URL and speaks to the token, revoke and user-info
 * endpoints of one user's accounts server (each Zoho data centre has its own; the caller says
 * which, from the connection or from the validated `accounts-server` of the consent redirect).
 *
 * Sources:
 * - https://www.zoho.com/accounts/protocol/oauth/web-apps/authorization.html (consent URL)
 * - https://www.zoho.com/crm/developer/docs/api/v8/access-refresh.html and
 *   https://www.zoho.com/crm/developer/docs/api/v8/refresh.html (token endpoint, errors as HTTP 200)
 * - https://www.zoho.com/crm/developer/docs/api/v8/revoke-tokens.html (revoke)
 * - /work/shared/zoho-api.md (user info, error names)
 */
import type { Dispatcher } from 'undici';
import { classifyOAuthError, safeErrorString, ZohoNetworkError, ZohoOAuthError, type ZohoOAuthOperation } from './errors.js';
import { sendAccountsRequest, sharedAccountsAgent, type AccountsResponse } from './http.js';
import { parseTokenSet, parseUserInfo, type ZohoTokenSet, type ZohoUserInfo } from './responses.js';

export interface ZohoOAuthClientOptions {
  clientId: string;
  clientSecret: string;
  /** Defaults to a process-wide keep-alive Agent (connect 5 s, headers 10 s, body 10 s). */
  dispatcher?: Dispatcher;
}

export interface AuthorizeUrlInput {
  /** Origin of the accounts server the login starts at, e.g. `https://accounts.zoho.eu`. */
  accountsServer: string;
  scopes: readonly string[];
  redirectUri: string;
  /** Opaque CSRF/state value the callback must return. */
  state: string;
  /** PKCE S256 challenge (see ./pkce.ts); the matching verifier goes to `exchangeCode`. */
  codeChallenge?: string;
}

export interface ZohoOAuthClient {
  /** The URL to send the user's browser to for consent. */
  authorizeUrl(input: AuthorizeUrlInput): string;
  /**
   * Trades a single-use authorization code for tokens. Never retried. `redirectUri` must be the
   * one the consent URL named; omit it only for a Self Client grant code made in Zoho's API
   * console, which was issued without one.
   */
  exchangeCode(input: { accountsServer: string; code: string; redirectUri?: string; codeVerifier?: string }): Promise<ZohoTokenSet>;
  /**
   * Mints a new access token from a refresh token (the answer has no refresh token). `signal`
   * bounds the call further, e.g. to finish inside a lock's lifetime.
   */
  refresh(input: { accountsServer: string; refreshToken: string; signal?: AbortSignal }): Promise<ZohoTokenSet>;
  /** Revokes a refresh token (and with it its access tokens) or an access token. */
  revoke(input: { accountsServer: string; token: string }): Promise<void>;
  /** Who the access token belongs to (needs scope AaaServer.profile.READ). */
  userInfo(input: { accountsServer: string; accessToken: string }): Promise<ZohoUserInfo>;
}

/** `path` on the accounts server; refuses anything but an http(s) origin, so a bad value fails loudly here. */
function endpoint(accountsServer: string, path: string): URL {
  let base: URL;
  try {
    base = new URL(accountsServer);
  } catch {
    throw new TypeError('accountsServer must be an absolute http(s) URL');
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new TypeError('accountsServer must be an absolute http(s) URL');
  return new URL(path, base.origin);
}

/** Turns an answer carrying `error` (or a bare 4xx) into a ZohoOAuthError; otherwise returns nothing. */
function refusal(operation: ZohoOAuthOperation, res: AccountsResponse): ZohoOAuthError | undefined {
  const { status, json } = res;
  if (json.error !== undefined) {
    const error = safeErrorString(json.error);
    return new ZohoOAuthError({ error, kind: classifyOAuthError(error, status), operation, status });
  }
  if (status >= 400) {
    const error = `http_${status}`;
    return new ZohoOAuthError({ error, kind: classifyOAuthError(error, status), operation, status });
  }
  return undefined;
}

export function createZohoOAuthClient(options: ZohoOAuthClientOptions): ZohoOAuthClient {
  const { clientId, clientSecret } = options;
  const dispatcher = (): Dispatcher => options.dispatcher ?? sharedAccountsAgent();

  async function tokenCall(operation: 'exchangeCode' | 'refresh', accountsServer: string, form: Record<string, string>, signal?: AbortSignal): Promise<ZohoTokenSet> {
    const res = await sendAccountsRequest({
      operation,
      dispatcher: dispatcher(),
      url: endpoint(accountsServer, '/oauth/v2/token'),
      method: 'POST',
      // Zoho's docs show these as query parameters; Zoho's SDKs send a form body, which keeps the
      // secret and the tokens out of URLs (and so out of proxies' access logs).
      form: { client_id: clientId, client_secret: clientSecret, ...form },
      ...(signal ? { signal } : {}),
    });
    // Zoho answers token errors with HTTP 200 and {"error": …}: look at the body, not the status.
    const refused = refusal(operation, res);
    if (refused) throw refused;
    const tokens = parseTokenSet(res.json);
    if (!tokens) throw new ZohoNetworkError({ operation, reason: 'token response without the expected fields', status: res.status });
    return tokens;
  }

  return {
    authorizeUrl({ accountsServer, scopes, redirectUri, state, codeChallenge }) {
      // https://www.zoho.com/accounts/protocol/oauth/web-apps/authorization.html: scopes comma
      // separated; access_type=offline for a refresh token; prompt=consent so a reconnecting user
      // gets a new refresh token too (without it Zoho issues one only on the first consent).
      const url = endpoint(accountsServer, '/oauth/v2/auth');
      url.searchParams.set('scope', scopes.join(','));
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('access_type', 'offline');
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('state', state);
      url.searchParams.set('prompt', 'consent');
      if (codeChallenge !== undefined) {
        url.searchParams.set('code_challenge', codeChallenge);
        url.searchParams.set('code_challenge_method', 'S256');
      }
      return url.toString();
    },

    exchangeCode({ accountsServer, code, redirectUri, codeVerifier }) {
      return tokenCall('exchangeCode', accountsServer, {
        grant_type: 'authorization_code',
        code,
        ...(redirectUri !== undefined ? { redirect_uri: redirectUri } : {}),
        ...(codeVerifier !== undefined ? { code_verifier: codeVerifier } : {}),
      });
    },

    refresh({ accountsServer, refreshToken, signal }) {
      return tokenCall('refresh', accountsServer, { grant_type: 'refresh_token', refresh_token: refreshToken }, signal);
    },

    async revoke({ accountsServer, token }) {
      // revoke-tokens.html shows `?token=`; a form body (RFC 7009 §2.1) keeps it out of URLs.
      const res = await sendAccountsRequest({
        operation: 'revoke',
        dispatcher: dispatcher(),
        url: endpoint(accountsServer, '/oauth/v2/token/revoke'),
        method: 'POST',
        form: { token },
      });
      const refused = refusal('revoke', res);
      if (refused) throw refused;
      if (res.json.status !== 'success') {
        throw new ZohoOAuthError({ error: 'revoke_failed', kind: 'other', operation: 'revoke', status: res.status });
      }
    },

    async userInfo({ accountsServer, accessToken }) {
      const res = await sendAccountsRequest({
        operation: 'userInfo',
        dispatcher: dispatcher(),
        url: endpoint(accountsServer, '/oauth/user/info'),
        method: 'GET',
        headers: { authorization: `Zoho-oauthtoken ${accessToken}` },
      });
      const refused = refusal('userInfo', res);
      if (refused) throw refused;
      const info = parseUserInfo(res.json);
      if (!info) throw new ZohoNetworkError({ operation: 'userInfo', reason: 'user info without the expected fields', status: res.status });
      return info;
    },
  };
}
