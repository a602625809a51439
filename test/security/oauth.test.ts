/**
 * OAuth callback attacks. Forged, replayed and expired state, and a foreign `accounts-server`,
 * are in test/integration/connect.test.ts ("rejects a forged, a replayed and an expired state",
 * "never sends the code or the client secret to an accounts server outside the table"). This file
 * adds what those leave out: no state, a state that is not ours at all, and a POST to the
 * callback — each refused before any call to Zoho.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';

describe('OAuth callback attacks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  async function callback(params: Record<string, string>) {
    const res = await fetch(`${h.app.url}/oauth/zoho/callback?${new URLSearchParams(params)}`, { redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), body: await res.text() };
  }

  it('refuses a callback without state, or with a state that was never issued, and exchanges no code', async () => {
    const before = h.us.count('POST /oauth/v2/token') + h.eu.count('POST /oauth/v2/token');
    for (const state of [undefined, '', 'x', 'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJhY21lIn0.', 'a'.repeat(5_000)]) {
      const r = await callback({ code: '1000.code', location: 'us', 'accounts-server': h.us.url, ...(state === undefined ? {} : { state }) });
      expect(r.status).toBe(400);
      // No trustworthy returnTo: a small page, never a redirect to somewhere the attacker chose.
      expect(r.location).toBeNull();
      expect(r.body).toContain('invalid_state');
    }
    expect(h.us.count('POST /oauth/v2/token') + h.eu.count('POST /oauth/v2/token')).toBe(before);
  });

  it('a form POST to the callback is not a route (only Zoho’s GET redirect is)', async () => {
    const before = h.us.count() + h.eu.count();
    const res = await fetch(`${h.app.url}/oauth/zoho/callback`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'code=1000.code&state=x' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(h.us.count() + h.eu.count()).toBe(before);
  });
});
