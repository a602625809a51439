import { GraphQLError } from 'graphql';

/**
 * Every error a caller can see has one of these stable codes in `extensions.code`; clients
 * `switch` on it. Messages are for humans and may change; codes do not.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'ZOHO_NOT_CONNECTED'
  | 'ZOHO_RECONNECT_REQUIRED'
  | 'ZOHO_OAUTH_ERROR'
  | 'ZOHO_UNAVAILABLE'
  | 'ZOHO_RATE_LIMITED'
  /**
   * The Zoho org spent its API credits for the rolling 24 hours; `resetAt` (ISO time) and
   * `retryAfterSec` say when Zoho frees enough for another call (at the latest 24 h from now when
   * Zoho gave no hint). Retrying sooner only fails again.
   */
  | 'ZOHO_CREDITS_EXHAUSTED'
  | 'ZOHO_INVALID_MODULE'
  | 'ZOHO_NO_PERMISSION'
  | 'ZOHO_SCOPE_MISSING'
  | 'ZOHO_ERROR'
  /** The gateway's store (Redis) does not answer; retry shortly. */
  | 'STORE_UNAVAILABLE'
  /**
   * A stored record does not belong where it was found: its tenant or connection differs from its
   * store key, a sealed secret fails its binding to the record, or its Zoho servers are not its
   * data centre's. The gateway makes no Zoho call with it and logs the event; an operator must
   * look at the store (someone with write access but without the encryption key changed it).
   */
  | 'STORE_TAMPERED'
  /** This tenant sent more requests this minute than RATE_LIMIT_PER_MINUTE allows; `retryAfterSec` says when to try again. */
  | 'RATE_LIMITED'
  /** POST /graphql without `Content-Type: application/json` (a form or simple request a browser could send cross-site): HTTP 415. */
  | 'CSRF_REFUSED'
  /** `Accept` names no media type the gateway answers with; refused before the operation runs: HTTP 406, no body. */
  | 'NOT_ACCEPTABLE'
  /** The request body is larger than MAX_BODY_BYTES: HTTP 413. */
  | 'PAYLOAD_TOO_LARGE'
  /** The operation is deeper, has more aliases, directives or tokens, or costs more than the MAX_* limits allow (`limit` names which): HTTP 400. */
  | 'QUERY_TOO_COMPLEX'
  /** The operation needs more Zoho calls than ZOHO_CALL_BUDGET (`budget`, and `estimate` when refused before any call): HTTP 400. */
  | 'ZOHO_CALL_BUDGET_EXCEEDED'
  /** The tenant already holds MAX_WATCH_CHANNELS_PER_TENANT watch channels (`maximum`): unwatch one (`watches` lists them) first. */
  | 'WATCH_LIMIT_REACHED'
  /** GET /exports/<id>.ndjson: the tenant (`scope: tenant`) or this instance (`scope: instance`) already has `limit` export downloads in flight: HTTP 429, Retry-After. */
  | 'EXPORT_DOWNLOAD_LIMIT'
  /** An unexpected failure; the message is generic and `requestId` finds the details in the gateway's log. */
  | 'INTERNAL';

/** HTTP status a transport should use when this error ends a request before execution. */
const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  CSRF_REFUSED: 415,
  NOT_ACCEPTABLE: 406,
  PAYLOAD_TOO_LARGE: 413,
  QUERY_TOO_COMPLEX: 400,
  ZOHO_CALL_BUDGET_EXCEEDED: 400,
};

/**
 * The gateway's one error type. It is a GraphQLError, so Yoga shows it to the caller as is
 * (unexpected errors are masked); `details` land in `extensions` beside `code`. Never put a
 * token, secret or authorization code in a message or detail.
 */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options: { cause?: unknown } = {}) {
    const status = HTTP_STATUS[code];
    super(message, {
      extensions: { code, ...details, ...(status ? { http: { status, ...retryAfterHeader(status, details) } } : {}) },
      ...(options.cause instanceof Error ? { originalError: options.cause } : {}),
    });
    this.name = 'GatewayError';
    this.code = code;
    this.details = details;
  }
}

export function isGatewayError(err: unknown, code?: ErrorCode): err is GatewayError {
  return err instanceof GatewayError && (code === undefined || err.code === code);
}

/** A 429 tells HTTP clients when to come back (RFC 9110 Retry-After), from `details.retryAfterSec`. */
function retryAfterHeader(status: number, details: Record<string, unknown>): { headers?: Record<string, string> } {
  const sec = details.retryAfterSec;
  return status === 429 && typeof sec === 'number' ? { headers: { 'Retry-After': String(sec) } } : {};
}

/**
 * The helpers below say what went wrong in a log line. Which to use depends on whether the
 * message can be trusted not to quote a value: ours (GatewayError) never carry a secret; a
 * library's (undici, node, Redis) may quote a URL or a request.
 */

/** An error's message, or the thrown value as text: for errors whose messages we wrote. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * An error's class and codes, its own and its cause's (e.g. `TypeError UND_ERR_CONNECT_TIMEOUT`),
 * never its message: for failures of libraries, whose messages may quote a value.
 */
export function errorName(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const code = (err as { code?: unknown }).code;
  const causeCode = (err.cause as { code?: unknown } | undefined)?.code;
  const parts = [err.name];
  if (typeof code === 'string') parts.push(code);
  if (typeof causeCode === 'string' && causeCode !== code) parts.push(causeCode);
  return parts.join(' ');
}

/**
 * Facts to log about an error whose message is ours: a GatewayError's code and message (and
 * `details.reason`), another error's class and message, else the value as text.
 */
export function describeError(err: unknown): Record<string, unknown> {
  if (err instanceof GatewayError) return { code: err.code, message: err.message, ...(err.details.reason ? { reason: err.details.reason } : {}) };
  if (!(err instanceof Error)) return { value: String(err) };
  const reason = (err as { details?: { reason?: unknown } }).details?.reason;
  return { name: err.name, message: err.message, ...(reason ? { reason } : {}) };
}
