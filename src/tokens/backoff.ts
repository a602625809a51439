/**
 * Back-off after a failed refresh: how long every caller leaves Zoho Accounts alone before the
 * next attempt, so an outage or Zoho's refresh throttle is not met with a retry storm.
 */

export interface BackoffOptions {
  /** Delay after the first failure, ms. */
  baseMs: number;
  /** Upper bound of any delay, ms. */
  maxMs: number;
}

/**
 * Delay before attempt `failures + 1`, ms: exponential (base, 2×base, 4×base … capped at maxMs)
 * with "equal jitter" (a random point in the upper half), so processes that failed together do
 * not come back together, while the delay never drops below half the step.
 * `random` is injectable for tests.
 */
export function backoffDelayMs(failures: number, options: BackoffOptions, random: () => number = Math.random): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(failures - 1, 30)));
  return Math.round(step / 2 + random() * (step / 2));
}
