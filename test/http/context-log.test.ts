import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';

/**
 * The request's logger (`ctx.log`, a pino child with the request id and tenant) is made only when
 * something logs: a read that logs nothing makes none. Envelop copies the context factory's object
 * with Object.assign, which calls getters, so a getter there made one on every request.
 */
describe('per-request logger', () => {
  let h: Harness;
  let children = 0;
  let proto: { child: (...args: unknown[]) => unknown } | null = null;
  let original: ((...args: unknown[]) => unknown) | undefined;

  beforeAll(async () => {
    let p = Object.getPrototypeOf(pino({ enabled: false })) as typeof proto;
    while (p && !Object.prototype.hasOwnProperty.call(p, 'child')) p = Object.getPrototypeOf(p) as typeof proto;
    proto = p;
    original = p!.child;
    p!.child = function (this: unknown, ...args: unknown[]) {
      children++;
      return original!.apply(this, args);
    };
    h = await startHarness({ env: { EVENT_WEBHOOK_ALLOW_PRIVATE: 'true' } });
    await h.connect('acme');
  });
  afterAll(async () => {
    if (proto && original) proto.child = original;
    await h?.close();
  });

  it('is not made for reads that log nothing, and carries request id and tenant when something logs', async () => {
    const client = await h.client('acme');
    await client.request('{ organization { id } }');
    const before = children;
    for (let i = 0; i < 10; i++) await client.request('{ organization { id } }');
    expect(children - before).toBe(0);

    await client.request('mutation { setEventWebhook(url: "http://127.0.0.1:9/hook") { url } }');
    const line = h.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'event webhook set');
    expect(line).toMatchObject({ tenantId: 'acme', requestId: expect.any(String) });
  });
});
