import { GatewayError } from '../errors.js';

/** Zoho CRM's error envelope (https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html). */
export interface ZohoErrorBody {
  code?: string;
  message?: string;
  details?: Record<string, unknown>;
  status?: string;
}

/**
 * Turns a Zoho error answer into a GatewayError with a stable code. Zoho's own `code` and
 * `message` travel along in `extensions.zoho` so nothing is lost.
 */
export function mapZohoError(status: number, body: ZohoErrorBody | null, headers: Record<string, string | string[] | undefined>, what: string): GatewayError {
  const zoho = { status, code: body?.code ?? null, message: body?.message ?? null, details: body?.details ?? {} };
  const code = body?.code ?? '';
  if (status === 429 || code === 'TOO_MANY_REQUESTS') {
    const retryAfterSec = retryAfter(headers);
    return new GatewayError('ZOHO_RATE_LIMITED', `Zoho rate-limited ${what}; retry after ${retryAfterSec} s`, { retryAfterSec, zoho });
  }
  if (status >= 500) return new GatewayError('ZOHO_UNAVAILABLE', `Zoho failed to answer ${what} (HTTP ${status}); try again shortly`, { zoho });
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
