import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../src/errors.js';
import { onEnd } from '../../src/events/relay.js';
import { createSubscriptionLimiter } from '../../src/events/subscription-limits.js';
import { createStore } from '../../src/store/index.js';

/** The in-process count (memory and SQLite stores), and the release of a slot however a stream ends. */
describe('subscription limiter (in process)', () => {
  const refusal = async (p: Promise<unknown>) => {
    try {
      await p;
      return undefined;
    } catch (err) {
      if (isGatewayError(err, 'RATE_LIMITED')) return err.details.limit;
      throw err;
    }
  };

  it('caps per user and per tenant, and frees a slot once, on release', async () => {
    const limits = createSubscriptionLimiter(createStore('memory://'), { perTenant: 3, perUser: 2 });
    const a1 = await limits.acquire('acme', 'alice');
    await limits.acquire('acme', 'alice');
    expect(await refusal(limits.acquire('acme', 'alice'))).toBe('subscriptionsPerUser');
    await limits.acquire('acme', 'bob');
    expect(await refusal(limits.acquire('acme', 'carol'))).toBe('subscriptionsPerTenant');
    expect(await refusal(limits.acquire('globex', 'carol'))).toBeUndefined();
    a1.release();
    a1.release();
    expect(await limits.count('acme')).toBe(2);
    expect(await refusal(limits.acquire('acme', 'alice'))).toBeUndefined();
    expect(await refusal(limits.acquire('acme', 'dave'))).toBe('subscriptionsPerTenant');
    await limits.close();
  });

  it('releases when a stream is returned before its first pull, when it ends, and when it fails', async () => {
    let released = 0;
    async function* events(fail = false) {
      yield 1;
      if (fail) throw new Error('boom');
    }
    const early = onEnd(events(), () => released++);
    await early.return!();
    await early.return!();
    expect(released).toBe(1);
    const done = onEnd(events(), () => released++);
    for await (const _ of done) void _;
    expect(released).toBe(2);
    const failed = onEnd(events(true), () => released++);
    await expect(
      (async () => {
        for await (const _ of failed) void _;
      })(),
    ).rejects.toThrow('boom');
    expect(released).toBe(3);
  });
});
