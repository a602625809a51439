import { backoffDelayMs, type RetryPolicy } from '../backoff.js';
import { bodyRetryAfterMs, isCreditsExhausted, isRateLimited, retryAfterMs, type ZohoErrorBody } from './errors.js';

/**
 * When a CRM call is sent again, and after how long. Pure: the client owns the loop, the clock
 * and the sleeping.
 *
 * Reads are retried on 429, 5xx and network failures. Writes only on 429, the one answer that
 * proves Zoho did nothing (see isRateLimited): a 5xx or a lost connection may follow a write
 * Zoho already made, and a second insert would duplicate the record.
 *
 * Why a loop in client.ts and not undici's RetryAgent / retry interceptor: its default methods are
 * GET, HEAD, OPTIONS, PUT, DELETE, TRACE (https://app.unpkg.com/undici@7.19.2/files/lib/handler/retry-handler.js,
 * docs: https://github.com/nodejs/undici/blob/main/docs/docs/api/RetryHandler.md), so it would
 * resend a Zoho PUT/DELETE after a 5xx and not POST /coql without per-call options; it fails with its own
 * RequestRetryError rather than the last answer, which we map to Zoho's codes; it knows neither
 * Zoho's 429 body code nor its epoch-ms X-RATELIMIT-RESET; and retries inside the dispatcher would
 * hide each attempt from the call observer, which must count and price every attempt.
 *
 * The policy (../backoff.ts): upstream attempts per call; `maxWaitMs`, the time one call may spend
 * waiting between them; `baseDelayMs`, also the most jitter added to Zoho's own hint.
 */

export const DEFAULT_RETRY_POLICY: Required<RetryPolicy> = { maxAttempts: 4, maxWaitMs: 10_000, baseDelayMs: 200, maxDelayMs: 2_000 };

/** How one attempt ended, as far as retrying cares. */
export type AttemptOutcome = { kind: 'response'; status: number; body: ZohoErrorBody | null; headers: Record<string, string | string[] | undefined> } | { kind: 'network' };

export type RetryVerdict =
  /** Send again after `delayMs`. */
  | { retry: true; delayMs: number }
  /**
   * Stop and report the outcome: `final` (success, or an answer retrying cannot change),
   * `attempts` (all used), `budget` (the next wait would pass maxWaitMs; Zoho's reset may lie
   * beyond it, in which case `hintMs` says how far).
   */
  | { retry: false; reason: 'final' | 'attempts' | 'budget'; hintMs?: number };

export interface RetryState {
  /** The attempt that just ended (1 for the first). */
  attempt: number;
  /** Milliseconds already spent waiting between attempts of this call. */
  waitedMs: number;
  /** GET, or a read sent as POST (COQL): safe to send twice. */
  idempotent: boolean;
  now: number;
  /** A number in [0, 1). */
  random: () => number;
}

export function decideRetry(outcome: AttemptOutcome, state: RetryState, policy: RetryPolicy): RetryVerdict {
  if (!isRetryable(outcome, state.idempotent)) return { retry: false, reason: 'final' };
  // Zoho's hint: Retry-After or the old X-RATELIMIT-RESET header, else `details.retry_after`. v8
  // documents no header, so most 429s carry no hint and the back-off below is all there is.
  const hintMs = outcome.kind === 'response' ? (retryAfterMs(outcome.headers, state.now) ?? bodyRetryAfterMs(outcome.body)) : undefined;
  if (state.attempt >= policy.maxAttempts) return { retry: false, reason: 'attempts', ...(hintMs !== undefined ? { hintMs } : {}) };
  const delayMs = nextDelayMs(state.attempt, hintMs, policy, state.random);
  if (state.waitedMs + delayMs > (policy.maxWaitMs ?? Number.POSITIVE_INFINITY)) return { retry: false, reason: 'budget', ...(hintMs !== undefined ? { hintMs } : {}) };
  return { retry: true, delayMs };
}

function isRetryable(outcome: AttemptOutcome, idempotent: boolean): boolean {
  if (outcome.kind === 'network') return idempotent;
  // Spent credits come back over hours, not within a retry budget: the answer is final.
  if (isCreditsExhausted(outcome.status, outcome.body)) return false;
  if (isRateLimited(outcome.status, outcome.body)) return true;
  return idempotent && outcome.status >= 500;
}

/**
 * Zoho's hint plus up to one base step of jitter (so instances waiting on the same reset do not
 * all come back in the same millisecond), else the gateway's back-off after `attempt` failures
 * (backoffDelayMs: exponential, equal jitter).
 */
export function nextDelayMs(attempt: number, hintMs: number | undefined, policy: RetryPolicy, random: () => number): number {
  if (hintMs !== undefined) return Math.ceil(hintMs + random() * policy.baseDelayMs);
  return backoffDelayMs(attempt, policy, random);
}
