import { randomBytes } from 'node:crypto';

/**
 * Zoho Accounts' token book-keeping for one data centre: grant codes, refresh tokens and access
 * tokens with Zoho's documented lifetimes and limits.
 * Source: https://www.zoho.com/crm/developer/docs/api/v8/token-validity.html
 *  - a grant token is single use and valid for three minutes by default;
 *  - an access token is valid for one hour; at most 15 are active per refresh token (the 16th
 *    invalidates the oldest); at most 10 are minted from one refresh token in 10 minutes, after
 *    which the token endpoint answers "Access Denied" (still HTTP 200) for the rest of the window;
 *  - at most 20 refresh tokens per user per client (the 21st deletes the oldest together with its
 *    access tokens).
 * The 10-per-10-minutes throttle is also described in Zoho's "Kaizen #43: tokens and limitations".
 */

export const GRANT_CODE_TTL_MS = 3 * 60_000;
export const ACCESS_TOKEN_TTL_S = 3600;
export const MAX_ACTIVE_ACCESS_TOKENS = 15;
export const MAX_REFRESHES_PER_WINDOW = 10;
export const REFRESH_WINDOW_MS = 10 * 60_000;
export const MAX_REFRESH_TOKENS = 20;

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
  /** Registered redirect URIs; `'*'` accepts any (the demo's default client). */
  redirectUris: string[] | '*';
}

interface GrantCode {
  clientId: string;
  redirectUri: string | undefined;
  scopes: string[];
  zuid: string;
  expiresAt: number;
  used: boolean;
  /** A refresh token is issued only for `access_type=offline`, and only on a (forced) consent. */
  issueRefreshToken: boolean;
  /** PKCE (RFC 7636): the challenge given at /oauth/v2/auth and its method, if any. */
  pkce?: { challenge: string; method: 'S256' | 'plain' };
}

interface RefreshToken {
  token: string;
  clientId: string;
  zuid: string;
  scopes: string[];
  createdAt: number;
  /** When each access token minted through the refresh grant was minted (ms), within the window. */
  mints: number[];
  /** Access tokens minted through the refresh grant, ever. */
  refreshes: number;
}

export interface AccessToken {
  token: string;
  clientId: string;
  zuid: string;
  scopes: string[];
  expiresAt: number;
  refreshToken?: string;
}

function zohoToken(): string {
  // Zoho's tokens look like `1000.<32 hex>.<32 hex>`.
  return `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
}

export class AccountsBook {
  readonly clients = new Map<string, OAuthClient>();
  private readonly codes = new Map<string, GrantCode>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly accessTokens = new Map<string, AccessToken>();
  /** (zuid, clientId) pairs that have consented once: later grants without prompt=consent get no refresh token. */
  private readonly consented = new Set<string>();
  /** Every token this emulator ever issued (for tests that scan logs for leaks). */
  readonly issued: string[] = [];
  /** Access tokens minted through the refresh grant, ever, across all refresh tokens. */
  refreshMints = 0;

  constructor(
    private readonly now: () => number,
    clients: OAuthClient[],
  ) {
    for (const c of clients) this.clients.set(c.clientId, c);
  }

  issueCode(input: {
    clientId: string;
    redirectUri?: string;
    scopes: string[];
    zuid: string;
    offline: boolean;
    forceConsent: boolean;
    pkce?: { challenge: string; method: 'S256' | 'plain' };
  }): string {
    const key = `${input.zuid}:${input.clientId}`;
    const firstConsent = !this.consented.has(key);
    this.consented.add(key);
    const code = zohoToken();
    this.issued.push(code);
    this.codes.set(code, {
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      scopes: input.scopes,
      zuid: input.zuid,
      expiresAt: this.now() + GRANT_CODE_TTL_MS,
      used: false,
      issueRefreshToken: input.offline && (firstConsent || input.forceConsent),
      ...(input.pkce ? { pkce: input.pkce } : {}),
    });
    return code;
  }

  /** Consumes a grant code; `undefined` when it is unknown, used, expired or belongs to another client. */
  consumeCode(code: string, clientId: string): GrantCode | undefined {
    const grant = this.codes.get(code);
    if (!grant || grant.used || grant.expiresAt <= this.now() || grant.clientId !== clientId) return undefined;
    grant.used = true;
    return grant;
  }

  issueRefreshToken(clientId: string, zuid: string, scopes: string[]): string {
    const mine = [...this.refreshTokens.values()].filter((t) => t.clientId === clientId && t.zuid === zuid).sort((a, b) => a.createdAt - b.createdAt);
    while (mine.length >= MAX_REFRESH_TOKENS) this.revoke(mine.shift()!.token);
    const token = zohoToken();
    this.issued.push(token);
    this.refreshTokens.set(token, { token, clientId, zuid, scopes, createdAt: this.now(), mints: [], refreshes: 0 });
    return token;
  }

  getRefreshToken(token: string): RefreshToken | undefined {
    return this.refreshTokens.get(token);
  }

  /** True when the refresh token has minted its 10 access tokens in the current 10-minute window. */
  throttled(rt: RefreshToken): boolean {
    const since = this.now() - REFRESH_WINDOW_MS;
    rt.mints = rt.mints.filter((t) => t > since);
    return rt.mints.length >= MAX_REFRESHES_PER_WINDOW;
  }

  issueAccessToken(input: { clientId: string; zuid: string; scopes: string[]; refreshToken?: string; viaRefresh?: boolean; ttlSeconds: number }): AccessToken {
    if (input.refreshToken) {
      const siblings = [...this.accessTokens.values()].filter((t) => t.refreshToken === input.refreshToken);
      while (siblings.length >= MAX_ACTIVE_ACCESS_TOKENS) this.accessTokens.delete(siblings.shift()!.token);
      const rt = this.refreshTokens.get(input.refreshToken);
      if (rt && input.viaRefresh) {
        rt.mints.push(this.now());
        rt.refreshes++;
        this.refreshMints++;
      }
    }
    const token = zohoToken();
    this.issued.push(token);
    const at: AccessToken = {
      token,
      clientId: input.clientId,
      zuid: input.zuid,
      scopes: input.scopes,
      expiresAt: this.now() + input.ttlSeconds * 1000,
      ...(input.refreshToken ? { refreshToken: input.refreshToken } : {}),
    };
    this.accessTokens.set(token, at);
    return at;
  }

  /** The live access token, or `undefined` when it is unknown, revoked or expired. */
  verifyAccessToken(token: string): AccessToken | undefined {
    const at = this.accessTokens.get(token);
    if (!at || at.expiresAt <= this.now()) return undefined;
    return at;
  }

  /** Revokes a refresh token and every access token minted from it; false when unknown. */
  revoke(token: string): boolean {
    const rt = this.refreshTokens.get(token);
    if (!rt) {
      // Zoho's revoke also accepts an access token.
      return this.accessTokens.delete(token);
    }
    this.refreshTokens.delete(token);
    for (const [k, at] of this.accessTokens) if (at.refreshToken === token) this.accessTokens.delete(k);
    return true;
  }

  /** Test hook: every live access token expires now (or after `inMs`). */
  expireAccessTokens(inMs = 0): void {
    for (const at of this.accessTokens.values()) at.expiresAt = Math.min(at.expiresAt, this.now() + inMs);
  }

  /** Test hook: how many refresh-grant mints a refresh token has made in total. */
  refreshCount(token?: string): number {
    if (token) return this.refreshTokens.get(token)?.refreshes ?? 0;
    let n = 0;
    for (const rt of this.refreshTokens.values()) n += rt.refreshes;
    return n;
  }

  liveRefreshTokens(clientId?: string): number {
    return [...this.refreshTokens.values()].filter((t) => !clientId || t.clientId === clientId).length;
  }
}
