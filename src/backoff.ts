/**
 * Trying again after a failure: how often, and how long to wait. One policy shape and one delay
 * formula for everything the gateway retries (Zoho CRM calls, token refreshes, tenants' webhooks,
 * Redis reconnects), so they are tuned and reasoned about alike.
 */

/** How long to wait between attempts: exponential steps, see backoffDelayMs. */
export interface Backoff {
  /** The first back-off step (ms); it doubles with each failure. */
  baseDelayMs: number;
  /** The largest back-off step (ms). */
  maxDelayMs: number;
}

export interface RetryPolicy extends Backoff {
  /** Attempts, the first included (≥ 1). */
  maxAttempts: number;
  /** Total time (ms) one piece of work may spend waiting between its attempts (default: no limit). */
  maxWaitMs?: number;
}

/**
 * Delay (ms) after `failures` failed attempts (≥ 1): exponential steps (base, 2×base, 4×base …
 * capped at maxDelayMs) with "equal jitter", a random point in the upper half of the step
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/): processes that
 * failed together do not come back together, and none comes back sooner than half a step.
 * `random` returns a number in [0, 1); tests pass their own.
 */
export function backoffDelayMs(failures: number, policy: Backoff, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.floor(step / 2 + random() * (step / 2));
}
