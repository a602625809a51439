import { beforeEach, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { clientToDeadPort, sharedEmulator, clientFor, CONNECTION, rejection, TENANT } from './client-helpers.js';

/** Reads: 429, 5xx and network failures are retried within the budget; Zoho's reset is honoured. */
describe('ZohoClient retries reads', () => {
  const emulator = sharedEmulator();
  let emu: ZohoEmulator;
  beforeEach(() => {
    emu = emulator();
  });

  it('waits for X-RATELIMIT-RESET after a 429 and succeeds on the second call', async () => {
    // No jitter and no real wait: the test reads what the client asked to wait for.
    const rig = clientFor(emu, { random: () => 0, sleep: async () => undefined });
    emu.faults.rateLimit({ times: 1, resetInMs: 5_000 });
    const res = await rig.client.call<{ org: Array<{ id: string }> }>(TENANT, CONNECTION, { method: 'GET', path: '/org' });

    expect(res.body?.org[0]?.id).toBe(emu.ctx.data.org.id);
    expect(emu.count('GET /crm/v8/org')).toBe(2);
    // One wait, until Zoho's reset (5 s after the 429, less the moment it took to read the
    // answer): not the back-off's own schedule (≤ 200 ms at the first retry), nor the budget.
    expect(rig.sleeps).toHaveLength(1);
    expect(rig.sleeps[0]).toBeGreaterThan(4_000);
    expect(rig.sleeps[0]).toBeLessThanOrEqual(5_000);
    // Every attempt is observed, the refused one free, the answered one 1 credit.
    expect(rig.attempts.map((a) => [a.attempt, a.status, a.credits])).toEqual([
      [1, 429, 0],
      [2, 200, 1],
    ]);
    expect(rig.attempts[0]).toMatchObject({ method: 'GET', path: '/org', apiDomain: emu.url });
  });

  it('backs off on its own after a 429 with no reset header (as v8 answers), doubling up to the cap', async () => {
    // random → just under 1: each wait sits at the top of its jitter range.
    const rig = clientFor(emu, { random: () => 0.999, retry: { baseDelayMs: 40, maxDelayMs: 2_000 }, sleep: async () => undefined });
    emu.faults.rateLimit({ times: 2 });
    const res = await rig.client.call<{ org: Array<{ id: string }> }>(TENANT, CONNECTION, { method: 'GET', path: '/org' });
    expect(res.body?.org[0]?.id).toBe(emu.ctx.data.org.id);
    expect(rig.attempts.map((a) => a.status)).toEqual([429, 429, 200]);
    expect(rig.sleeps).toEqual([39, 79]);
  });

  it('honours details.retry_after (s) of a 429 body when no header says when', async () => {
    const rig = clientFor(emu, { random: () => 0, sleep: async () => undefined });
    emu.faults.add({
      match: 'GET /crm/v8/org',
      response: { status: 429, body: { code: 'TOO_MANY_REQUESTS', message: 'Rate limit exceeded.', status: 'error', details: { retry_after: 2, limit: 100, window: 60 } } },
    });
    await rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' });
    expect(rig.sleeps).toEqual([2_000]);
  });

  it('retries two 5xx answers with back-off and succeeds on the third call', async () => {
    const rig = clientFor(emu, { retry: { baseDelayMs: 20 } });
    emu.faults.serverError({ times: 1, status: 500 }).serverError({ times: 1, status: 503 });
    const res = await rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/users', query: { type: 'AllUsers' } });

    expect(res.status).toBe(200);
    expect(emu.count('GET /crm/v8/users')).toBe(3);
    expect(rig.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(rig.sleeps).toHaveLength(2);
    // Full jitter: each wait lies in [0, base × 2^(n-1)).
    expect(rig.sleeps[0]).toBeLessThan(20);
    expect(rig.sleeps[1]).toBeLessThan(40);
  });

  it('treats POST /coql as a read: a 5xx is retried', async () => {
    const rig = clientFor(emu, { retry: { baseDelayMs: 10 } });
    emu.faults.serverError({ times: 1, match: 'POST /crm/v8/coql' });
    const res = await rig.client.call<{ data: unknown[] }>(TENANT, CONNECTION, {
      method: 'POST',
      path: '/coql',
      body: { select_query: 'select Last_Name from Leads where Last_Name is not null limit 5' },
    });
    expect(res.body?.data).toHaveLength(5);
    expect(emu.count('POST /crm/v8/coql')).toBe(2);
  });

  it('fails at once with ZOHO_RATE_LIMITED and retryAfterSec when the reset lies beyond the wait budget', async () => {
    const rig = clientFor(emu, { retry: { maxWaitMs: 2_000 } });
    emu.faults.rateLimit({ times: 1, resetInMs: 60_000 });
    const started = Date.now();
    const err = await rejection(rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' }));

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(err.extensions.code).toBe('ZOHO_RATE_LIMITED');
    expect(err.extensions.retryAfterSec).toBeGreaterThanOrEqual(59);
    expect(err.extensions.retryAfterSec).toBeLessThanOrEqual(60);
    expect(emu.count('GET /crm/v8/org')).toBe(1);
    expect(rig.sleeps).toEqual([]);
  });

  it('gives up after maxAttempts 429s with ZOHO_RATE_LIMITED and retryAfterSec', async () => {
    const rig = clientFor(emu, { retry: { maxAttempts: 3, baseDelayMs: 10 } });
    emu.faults.rateLimit({ times: 10, resetInMs: 30 });
    const err = await rejection(rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' }));

    expect(err.extensions.code).toBe('ZOHO_RATE_LIMITED');
    expect(err.extensions.retryAfterSec).toBeGreaterThanOrEqual(1);
    expect(emu.count('GET /crm/v8/org')).toBe(3);
    expect(rig.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
  });

  it('gives up on a Zoho that keeps failing with ZOHO_UNAVAILABLE after maxAttempts', async () => {
    const rig = clientFor(emu, { retry: { baseDelayMs: 5 } });
    emu.faults.serverError({ times: Infinity });
    const err = await rejection(rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' }));

    expect(err.extensions.code).toBe('ZOHO_UNAVAILABLE');
    expect(err.extensions.writeOutcome).toBeUndefined();
    expect(emu.count('GET /crm/v8/org')).toBe(4);
  });

  it('counts the forced-refresh resend as an attempt', async () => {
    const rig = clientFor(emu);
    emu.faults.invalidToken({ times: 1 });
    await rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' });
    expect(rig.tokens.refreshes).toBe(1);
    expect(rig.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 401],
      [2, 200],
    ]);
  });

  it('retries a read whose connection fails, observing each attempt with status 0', async () => {
    const sleeps: number[] = [];
    const client = await clientToDeadPort({ retry: { maxAttempts: 3, baseDelayMs: 5 }, sleep: async (ms) => void sleeps.push(ms) });
    const seen: Array<{ status: number; credits: number }> = [];
    const err = await rejection(client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' }, (a) => seen.push(a)));
    await client.close();

    expect(err.extensions.code).toBe('ZOHO_UNAVAILABLE');
    expect(seen).toEqual([expect.objectContaining({ status: 0, credits: 0 }), expect.objectContaining({ status: 0, credits: 0 }), expect.objectContaining({ status: 0, credits: 0 })]);
    expect(sleeps).toHaveLength(2);
  });

  it('tells spent credits (final, ZOHO_CREDITS_EXHAUSTED) from Zoho’s generic 24-hour-or-concurrency 429 (retried)', async () => {
    const rig = clientFor(emu, { random: () => 0, sleep: async () => undefined });
    // status-codes.html's wording covers both limits: not proof of spent credits, so retried.
    emu.faults.add({
      match: 'GET /crm/v8/org',
      response: {
        status: 429,
        body: {
          code: 'TOO_MANY_REQUESTS',
          status: 'error',
          details: {},
          message: 'Number of API requests for the 24 hour period is exceeded or the concurrency limit of the user for the app is exceeded',
        },
      },
    });
    await rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' });
    expect(rig.attempts.map((a) => a.status)).toEqual([429, 200]);

    rig.attempts.length = 0;
    emu.faults.add({
      match: 'GET /crm/v8/org',
      times: 5,
      response: { status: 429, body: { code: 'TOO_MANY_REQUESTS', status: 'error', details: { retry_after: 3600, limit: 5000, window: 86400 }, message: 'x' } },
    });
    const err = await rejection(rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' }));
    expect(err.extensions).toMatchObject({ code: 'ZOHO_CREDITS_EXHAUSTED', retryAfterSec: 3600 });
    expect(rig.attempts.map((a) => a.status)).toEqual([429]);
  });
});
