import { creditsFor } from '../zoho/credits.js';
import { zohoError } from './errors.js';
import type { EmulatorResponse } from './router.js';

/**
 * The org's API credits over Zoho's rolling 24-hour window (EmulatorOptions.maxCreditsPerDay).
 *
 * Zoho meters credits per org over a rolling 24 hours: every call is checked against the credits
 * spent in the 24 hours before it, and the credits of each call come free again 24 hours after
 * it (D/api-limits.html; Zoho's Kaizen post "Credit calculation and concurrency in Zoho CRM APIs",
 * https://help.zoho.com/portal/en/community/topic/credit-calculation-and-concurrency-in-zoho-crm-apis).
 * A call costs what src/zoho/credits.ts says (one price list for the gateway and its emulator:
 * that file cites the table and marks its UNVERIFIED rows).
 *
 * Over the limit Zoho answers 429 TOO_MANY_REQUESTS, the code status-codes.html gives for "the
 * number of API requests for the 24 hour period is exceeded" (../shared/zoho-api.md "Limits").
 * UNVERIFIED: the message, and the details. The emulator sends `retry_after` (seconds until enough
 * credits come free for this call), `limit` and `window` (seconds), the fields of the one v8 429
 * example that has details (crm-oas v8.0/apis/operations/getAvailableApis/examples/response-429-sample.md);
 * whether Zoho fills them for the credit limit is not documented. No reset header is sent (v8
 * documents none). A refused call costs nothing (UNVERIFIED, as in src/zoho/credits.ts).
 */

/** Zoho's credit window, in seconds. */
export const CREDIT_WINDOW_S = 24 * 3600;

export class CreditMeter {
  /** Credits spent, oldest first: `at` in epoch ms. */
  private readonly spent: Array<{ at: number; credits: number }> = [];

  constructor(
    /** Credits the org may spend in any 24 hours (a test may change it). */
    public limit: number,
    private readonly now: () => number,
  ) {}

  /** Credits spent in the last 24 hours. */
  used(): number {
    this.expire();
    return this.spent.reduce((n, s) => n + s.credits, 0);
  }

  /** The price of a CRM call (path as received, `/crm/v8/...`). */
  static price(method: string, path: string, query: URLSearchParams, rawBody: string): number {
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    return creditsFor({ method, path: path.replace(/^\/crm\/v\d+/, ''), query: Object.fromEntries(query), body });
  }

  /** Zoho's refusal when `cost` more credits would pass the limit; undefined when the call may go. */
  refuse(cost: number): EmulatorResponse | undefined {
    const used = this.used();
    if (used + cost <= this.limit) return undefined;
    // The earliest moment enough of the oldest spending has left the window for this call.
    let freed = 0;
    let at = this.now() + CREDIT_WINDOW_S * 1000;
    for (const s of this.spent) {
      freed += s.credits;
      if (used - freed + cost <= this.limit) {
        at = s.at + CREDIT_WINDOW_S * 1000;
        break;
      }
    }
    const retryAfter = Math.max(1, Math.ceil((at - this.now()) / 1000));
    return zohoError(429, 'TOO_MANY_REQUESTS', 'The number of API credits for the 24 hour period is exceeded.', { retry_after: retryAfter, limit: this.limit, window: CREDIT_WINDOW_S });
  }

  charge(cost: number): void {
    if (cost > 0) this.spent.push({ at: this.now(), credits: cost });
  }

  private expire(): void {
    const horizon = this.now() - CREDIT_WINDOW_S * 1000;
    while (this.spent.length && this.spent[0]!.at <= horizon) this.spent.shift();
  }
}
