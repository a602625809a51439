import { GatewayError } from '../errors.js';

/** Zoho CRM's error envelope (https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html). */
export interface ZohoErrorBody {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  status?: string;
}

/**
 * Zoho's refusal for being over a limit: HTTP 429 `TOO_MANY_REQUESTS`, which Zoho uses both for
 * the 24-hour credit budget and for the per-app concurrency limit ("Number of API requests for
 * the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded",
 * https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html as quoted by a third-party
 * summary; the v8 api-limits page names TOO_MANY_REQUESTS:
 * https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html). Zoho refuses such a call before
 * doing anything, so even a write may be sent again (UNVERIFIED that no write is ever half done).
 * The v8 examples also show `RATE_LIMIT_EXCEEDED` with 429
 * (crm-oas v8.0/module_search/operations/bulkSearchRecords/examples/response-429-ratelimitexceeded.md).
 */
export function isRateLimited(status: number, body: ZohoErrorBody | null): boolean {
  return status === 429 || body?.code === 'TOO_MANY_REQUESTS' || body?.code === 'RATE_LIMIT_EXCEEDED';
}

/** Zoho's credit window: a rolling 24 hours, in seconds (D/api-limits.html). */
export const CREDIT_WINDOW_SEC = 24 * 3600;

/**
 * A 429 for the org's 24-hour API credits rather than for concurrency or a short rate limit:
 * Zoho uses TOO_MANY_REQUESTS for both (status-codes.html), so this reads the answer's details and
 * message. UNVERIFIED (no v8 document shows the credits answer): `details.window` of a day or
 * more (the fields of crm-oas v8.0 apis/getAvailableApis response-429-sample.md), or a message
 * naming credits, as the emulator sends (src/emulator/credits.ts). Not "24 hour" alone: Zoho's
 * documented wording for TOO_MANY_REQUESTS names the 24-hour period and concurrency in one breath,
 * and a concurrency 429 taken for spent credits would not be retried. A credits 429 missed here
 * stays ZOHO_RATE_LIMITED and is retried within the budget: wasteful, not wrong.
 */
export function isCreditsExhausted(status: number, body: ZohoErrorBody | null): boolean {
  if (!isRateLimited(status, body)) return false;
  const window = Number(body?.details?.window);
  if (Number.isFinite(window) && window >= CREDIT_WINDOW_SEC) return true;
  return /\bcredits?\b/i.test(body?.message ?? '');
}

/** `details.retry_after` (seconds) of a Zoho 429, as the v8 example shows it; undefined when absent. */
export function bodyRetryAfterMs(body: ZohoErrorBody | null): number | undefined {
  const sec = Number(body?.details?.retry_after);
  return Number.isFinite(sec) && sec > 0 ? sec * 1000 : undefined;
}

/** What the caller should be told about a write whose answer never came, or came as a 5xx. */
export type WriteOutcome = 'UNKNOWN' | 'NOT_WRITTEN';

/**
 * Turns a Zoho error answer into a GatewayError with a stable code. Zoho's own `code` and
 * `message` travel along in `extensions.zoho` so nothing is lost. `opts.write` marks a call that
 * may have changed data: a 5xx then says the outcome is unknown (Zoho may have written before
 * failing), so the caller checks before repeating it.
 */
export function mapZohoError(
  status: number,
  body: ZohoErrorBody | null,
  headers: Record<string, string | string[] | undefined>,
  what: string,
  opts: { write?: boolean; now?: number } = {},
): GatewayError {
  const zoho = { status, code: body?.code ?? null, message: body?.message ?? null, details: body?.details ?? {} };
  const code = body?.code ?? '';
  if (isCreditsExhausted(status, body)) {
    // Without a hint, every credit spent is free again 24 h after its call at the latest.
    const now = opts.now ?? Date.now();
    const waitMs = retryAfterMs(headers, now) ?? bodyRetryAfterMs(body) ?? CREDIT_WINDOW_SEC * 1000;
    const retryAfterSec = Math.max(1, Math.ceil(waitMs / 1000));
    const resetAt = new Date(now + retryAfterSec * 1000).toISOString();
    return new GatewayError('ZOHO_CREDITS_EXHAUSTED', `The Zoho org has used its API credits for the last 24 hours; ${what} can be retried after ${resetAt}`, { retryAfterSec, resetAt, zoho });
  }
  if (isRateLimited(status, body)) {
    const hinted = retryAfterMs(headers, opts.now) === undefined ? bodyRetryAfterMs(body) : undefined;
    const retryAfterSec = hinted === undefined ? retryAfter(headers, opts.now) : Math.max(1, Math.ceil(hinted / 1000));
    return new GatewayError('ZOHO_RATE_LIMITED', `Zoho rate-limited ${what}; retry after ${retryAfterSec} s`, { retryAfterSec, zoho });
  }
  if (status >= 500) {
    if (opts.write) {
      return new GatewayError('ZOHO_UNAVAILABLE', `Zoho failed to answer ${what} (HTTP ${status}); the write may or may not have happened: check before repeating it`, {
        writeOutcome: 'UNKNOWN' satisfies WriteOutcome,
        zoho,
      });
    }
    return new GatewayError('ZOHO_UNAVAILABLE', `Zoho failed to answer ${what} (HTTP ${status}); try again shortly`, { zoho });
  }
  switch (code) {
    case 'INVALID_MODULE':
      return new GatewayError('ZOHO_INVALID_MODULE', body?.message ?? 'the module name given seems to be invalid', { zoho });
    case 'NO_PERMISSION':
      return new GatewayError('ZOHO_NO_PERMISSION', `The connected Zoho user has no permission for ${what}`, { zoho });
    case 'OAUTH_SCOPE_MISMATCH': {
      const scope = typeof body?.details?.required_scope === 'string' ? body.details.required_scope : undefined;
      return new GatewayError('ZOHO_SCOPE_MISSING', `The Zoho connection lacks the scope for ${what}; reconnect with ${scope ?? 'the missing scope'}`, {
        ...(scope ? { requiredScope: scope } : {}),
        zoho,
      });
    }
    case 'INVALID_TOKEN':
    case 'AUTHENTICATION_FAILURE':
      return new GatewayError('ZOHO_ERROR', `Zoho refused the connection's token for ${what}`, { zoho });
    default:
      if (status === 400 || status === 404) return new GatewayError('BAD_USER_INPUT', body?.message ?? `Zoho refused ${what}`, { zoho });
      return new GatewayError('ZOHO_ERROR', body?.message ?? `Zoho refused ${what} (HTTP ${status})`, { zoho });
  }
}

/**
 * Zoho could not be reached, or the connection failed before an answer (refused, reset, timed
 * out). `sent: false` means the request never left (connect phase), so a write did not happen.
 */
export function zohoUnreachable(what: string, opts: { write: boolean; sent: boolean }, cause: unknown): GatewayError {
  if (!opts.write) return new GatewayError('ZOHO_UNAVAILABLE', 'Zoho CRM could not be reached; try again shortly', {}, { cause });
  if (!opts.sent) {
    return new GatewayError('ZOHO_UNAVAILABLE', `Zoho CRM could not be reached for ${what}; nothing was written, try again shortly`, { writeOutcome: 'NOT_WRITTEN' satisfies WriteOutcome }, { cause });
  }
  return new GatewayError(
    'ZOHO_UNAVAILABLE',
    `Zoho CRM did not answer ${what}; the write may or may not have happened: check before repeating it`,
    { writeOutcome: 'UNKNOWN' satisfies WriteOutcome },
    { cause },
  );
}

/**
 * Milliseconds until Zoho says a call may be repeated: Retry-After (seconds), else
 * `X-RATELIMIT-RESET` (epoch ms, UNVERIFIED unit, see retryAfter below); undefined when Zoho gave
 * no hint (or a reset already past), so the caller falls back to its own back-off.
 */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const raw = first(headers['retry-after'])?.trim();
  // Seconds only: Zoho is not known to send the HTTP-date form.
  if (raw && /^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const reset = Number(first(headers['x-ratelimit-reset']));
  if (Number.isFinite(reset) && reset > now) return reset - now;
  return undefined;
}

/**
 * Seconds to wait after a 429: Retry-After (seconds), else Zoho's `X-RATELIMIT-RESET` (epoch ms,
 * https://www.zoho.com/crm/developer/docs/api/v2/api-limits.html), else 1.
 */
export function retryAfter(headers: Record<string, string | string[] | undefined>, now = Date.now()): number {
  const ra = Number(first(headers['retry-after']));
  if (Number.isFinite(ra) && ra > 0) return Math.ceil(ra);
  const reset = Number(first(headers['x-ratelimit-reset']));
  if (Number.isFinite(reset) && reset > now) return Math.max(1, Math.ceil((reset - now) / 1000));
  return 1;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
