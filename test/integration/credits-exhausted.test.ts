import { print } from 'graphql';
import { ClientError } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordIdsDocument } from '../gql/graphql.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

/**
 * An org out of API credits (the emulator's `maxCreditsPerDay`, src/emulator/credits.ts): the
 * gateway says so with ZOHO_CREDITS_EXHAUSTED and when credits come back, and does not hammer Zoho
 * with retries that cannot succeed.
 */
describe('Zoho API credits run out', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { maxCreditsPerDay: 1_000_000 } });
    await h.connect('acme');
    await (await h.client('acme')).request(RecordIdsDocument, { module: 'Deals', first: 1 }); // warm metadata
  });
  afterAll(() => h.close());

  it('answers ZOHO_CREDITS_EXHAUSTED with resetAt and retryAfterSec after one refused call', async () => {
    const credits = h.us.credits!;
    credits.limit = credits.used(); // every credit of the day is spent
    h.us.resetCalls();
    const client = await h.client('acme');
    let error: { message: string; extensions?: Record<string, unknown> } | undefined;
    try {
      await client.rawRequest(print(RecordIdsDocument), { module: 'Deals', first: 1 });
    } catch (err) {
      if (!(err instanceof ClientError)) throw err;
      error = err.response.errors![0]!;
    }
    expect(error?.extensions).toMatchObject({ code: 'ZOHO_CREDITS_EXHAUSTED', zoho: { code: 'TOO_MANY_REQUESTS', status: 429 } });
    // The oldest spending leaves the window 24 h after it was made (a few seconds ago).
    const retryAfterSec = Number(error!.extensions!.retryAfterSec);
    expect(retryAfterSec).toBeGreaterThan(24 * 3600 - 120);
    expect(retryAfterSec).toBeLessThanOrEqual(24 * 3600);
    const resetAt = Date.parse(String(error!.extensions!.resetAt));
    expect(Math.abs(resetAt - (h.clock.now + retryAfterSec * 1000))).toBeLessThan(1000);
    expect(error!.message).toContain(String(error!.extensions!.resetAt));
    // Refused once, not retried: spent credits do not come back within a retry budget.
    expect(h.us.count((c) => c.path.startsWith('/crm/'))).toBe(1);
  });
});
