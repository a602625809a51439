/**
 * The one back-off formula (src/backoff.ts) used by Zoho retries, token refreshes, tenants'
 * webhooks and Redis reconnects: exponential steps, equal jitter.
 */
import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../src/backoff.js';

const policy = { baseDelayMs: 1_000, maxDelayMs: 8_000 };

describe('backoffDelayMs', () => {
  it('doubles its step per failure up to the cap, and never waits under half a step', () => {
    expect([1, 2, 3, 4, 5, 40].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([500, 1_000, 2_000, 4_000, 4_000, 4_000]);
    expect([1, 2, 3, 4, 5, 40].map((n) => backoffDelayMs(n, policy, () => 0.999_999))).toEqual([999, 1_999, 3_999, 7_999, 7_999, 7_999]);
  });

  it('spreads processes that failed together (the webhook retries had no jitter)', () => {
    const delays = new Set([0.1, 0.3, 0.5, 0.7, 0.9].map((r) => backoffDelayMs(2, policy, () => r)));
    expect(delays.size).toBe(5);
    for (const d of delays) expect(d >= 1_000 && d < 2_000).toBe(true);
  });
});
