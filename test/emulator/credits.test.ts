import { afterEach, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';

/**
 * The emulator's 24-hour API credits (`maxCreditsPerDay`, `--max-credits-per-day`): a rolling
 * window (D/api-limits.html; Kaizen "Credit calculation and concurrency"), priced as
 * src/zoho/credits.ts, refused with 429 TOO_MANY_REQUESTS (status-codes.html) and no reset header.
 */
describe('emulator: API credits per rolling 24 hours', () => {
  let emu: ZohoEmulator | undefined;
  afterEach(() => emu?.close());
  const DAY_MS = 24 * 3600_000;

  it('refuses the call that would pass the limit, says when credits come free, and frees them 24 h after their use', async () => {
    const clock = { t: Date.UTC(2025, 0, 1) };
    let token: string;
    ({ emu, token } = await startTestEmulator({ maxCreditsPerDay: 5, now: () => clock.t }));
    for (let i = 0; i < 3; i++) expect((await call(emu, 'GET', '/crm/v8/org', { token })).status).toBe(200);
    clock.t += 3600_000;
    token = mintToken(emu);
    // COQL with LIMIT 1000 costs 2 credits (src/zoho/credits.ts): 5 spent now.
    const coql = await call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query: 'select Last_Name from Leads where Last_Name is not null limit 1000' } });
    expect(coql.status).toBe(200);
    expect(emu.credits!.used()).toBe(5);

    const refused = await call(emu, 'GET', '/crm/v8/org', { token });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 'error', details: { limit: 5, window: 86400 } });
    // The first three calls leave the window 23 h from now: one credit is enough.
    expect(refused.body.details.retry_after).toBe(23 * 3600);
    expect(Object.keys(refused.headers).filter((h) => h.startsWith('x-ratelimit') || h === 'retry-after')).toEqual([]);
    expect(emu.credits!.used()).toBe(5); // a refused call is free

    clock.t += 23 * 3600_000;
    token = mintToken(emu); // access tokens live an hour
    expect((await call(emu, 'GET', '/crm/v8/org', { token })).status).toBe(200);
    expect(emu.credits!.used()).toBe(3);
    clock.t += DAY_MS;
    expect(emu.credits!.used()).toBe(0);
  });

  it('charges nothing without a limit (the default)', async () => {
    let token: string;
    ({ emu, token } = await startTestEmulator());
    expect(emu.credits).toBeUndefined();
    for (let i = 0; i < 3; i++) expect((await call(emu, 'GET', '/crm/v8/org', { token })).status).toBe(200);
  });
});
