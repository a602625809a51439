/**
 * The two ways a call to Zoho Accounts fails: Zoho answered and refused (ZohoOAuthError), or we
 * got no usable answer at all (ZohoNetworkError). The token manager decides on that split: a
 * refusal of a refresh token is final (the user must reconnect), a network failure never is.
 *
 * Both are GatewayErrors, so one that escapes to a caller still carries a stable code. Messages
 * name only Zoho's error string and the operation, never a token, code or secret.
 */
import { GatewayError } from '../../errors.js';

/**
 * How the gateway should react to Zoho's refusal:
 * - `invalid_grant`: the code or refresh token is dead for good (Zoho says `invalid_code` for a
 *   used, expired or unknown code and for a revoked or invalid refresh token); reconnect.
 * - `throttled`: Zoho's "Access Denied" after 10 refreshes per refresh token in 10 minutes; wait.
 * - `client`: our client id, secret, redirect URI or scopes are wrong; an operator must fix config.
 * - `other`: anything else Zoho says.
 */
export type ZohoOAuthErrorKind = 'invalid_grant' | 'throttled' | 'client' | 'other';

/** The Accounts operations, named in messages so a log line says what failed. */
export type ZohoOAuthOperation = 'exchangeCode' | 'refresh' | 'revoke' | 'userInfo';

export class ZohoOAuthError extends GatewayError {
  override readonly name = 'ZohoOAuthError';
  /** Zoho's `error` string as sent (e.g. `invalid_code`, `Access Denied`), or `http_<status>`. */
  readonly error: string;
  readonly kind: ZohoOAuthErrorKind;
  readonly operation: ZohoOAuthOperation;
  /** HTTP status of Zoho's answer (Zoho's token endpoint says 200 even for errors). */
  readonly status: number;

  constructor(input: { error: string; kind: ZohoOAuthErrorKind; operation: ZohoOAuthOperation; status: number }) {
    super(input.kind === 'throttled' ? 'ZOHO_RATE_LIMITED' : 'ZOHO_OAUTH_ERROR', `Zoho Accounts refused ${input.operation}: ${input.error}`, { zohoError: input.error, kind: input.kind });
    this.error = input.error;
    this.kind = input.kind;
    this.operation = input.operation;
    this.status = input.status;
  }
}

export class ZohoNetworkError extends GatewayError {
  override readonly name = 'ZohoNetworkError';
  readonly operation: ZohoOAuthOperation;
  /** HTTP status when Zoho answered with something unusable (5xx, not JSON); undefined when no answer came. */
  readonly status: number | undefined;

  constructor(input: { operation: ZohoOAuthOperation; reason: string; status?: number; cause?: unknown }) {
    super('ZOHO_UNAVAILABLE', `Zoho Accounts unavailable during ${input.operation}: ${input.reason}`, input.status === undefined ? {} : { upstreamStatus: input.status }, { cause: input.cause });
    this.operation = input.operation;
    this.status = input.status;
    if (input.cause !== undefined) (this as { cause?: unknown }).cause = input.cause;
  }
}

/** Zoho's error strings we know, by the reaction they call for. Matching ignores case. */
const INVALID_GRANT = new Set(['invalid_code', 'invalid_grant', 'invalid_refresh_token']);
const CLIENT = new Set(['invalid_client', 'invalid_client_secret', 'invalid_redirect_uri', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope', 'invalid_request']);

/**
 * Classifies Zoho's `error` string. "Access Denied" is the throttle answer documented at
 * https://www.zoho.com/crm/developer/docs/api/v8/token-validity.html (10 access tokens per refresh
 * token per 10 minutes); `invalid_code` covers dead codes and refresh tokens (zoho-api.md).
 */
export function classifyOAuthError(error: string, status: number): ZohoOAuthErrorKind {
  const e = error.trim().toLowerCase();
  if (INVALID_GRANT.has(e)) return 'invalid_grant';
  if (e === 'access denied' || status === 429) return 'throttled';
  if (CLIENT.has(e)) return 'client';
  return 'other';
}

/**
 * Zoho's error string as safe to repeat in a message: short and plain, else a placeholder. An
 * error field is Zoho's vocabulary, but a misbehaving server could echo anything back.
 */
export function safeErrorString(value: unknown): string {
  if (typeof value !== 'string') return 'unknown_error';
  return /^[A-Za-z0-9 _.:-]{1,64}$/.test(value) ? value : 'unrecognised_error';
}
