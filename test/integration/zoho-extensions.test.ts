import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RETURN_ORIGIN, startHarness, type Harness } from '../helpers/gateway.js';

/** `extensions.zoho = { calls, credits }` on every GraphQL response of the real gateway. */
describe('extensions.zoho', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const connected = await h.connect('acme', { dc: 'us', returnTo: `${RETURN_ORIGIN}/settings/crm` });
    expect(connected.location?.searchParams.get('zoho')).toBe('confirm');
    expect(connected.connection?.status).toBe('ACTIVE');
    // The typed schema's first build reads metadata (and the current user) from Zoho: let it finish.
    await h.app.typed.refresh('acme', 'default');
    h.us.resetCalls(); // the connect flow's own GET /org, the build's metadata calls
  });
  afterAll(() => h.close());
  afterEach(() => {
    h.us.faults.clear();
    h.us.resetCalls();
  });

  async function post(query: string, tenant = 'acme'): Promise<{ status: number; body: any }> {
    const res = await fetch(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${await h.token(tenant)}` },
      body: JSON.stringify({ query }),
    });
    return { status: res.status, body: await res.json() };
  }

  it('reports the Zoho calls and credits of an operation', async () => {
    const { body } = await post('{ organization { id } users(perPage: 2) { count } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.organization.id).toBe(h.us.ctx.data.org.id);
    expect(body.data.users.count).toBe(2);
    // GET /org and GET /users: 1 credit each (api-limits.html).
    expect(body.extensions.zoho).toEqual({ calls: 2, credits: 2 });
    expect(h.us.count('GET /crm/v8/org') + h.us.count('GET /crm/v8/users')).toBe(2);
  });

  it('shows zero for an operation that needs no Zoho call', async () => {
    const { body } = await post('{ me { id } }');
    expect(body.data.me.id).toBeTruthy();
    expect(body.extensions.zoho).toEqual({ calls: 0, credits: 0 });
  });

  it('counts retries as calls, and a refused 429 as free', async () => {
    h.us.faults.rateLimit({ times: 1, resetInMs: 100, match: 'GET /crm/v8/org' });
    const { body } = await post('{ organization { id } }');
    expect(body.errors).toBeUndefined();
    expect(body.extensions.zoho).toEqual({ calls: 2, credits: 1 });
    expect(h.us.count('GET /crm/v8/org')).toBe(2);
  });

  it('counts the forced-refresh resend after a 401 INVALID_TOKEN', async () => {
    h.us.faults.invalidToken({ times: 1, match: 'GET /crm/v8/org' });
    const { body } = await post('{ organization { id } }');
    expect(body.errors).toBeUndefined();
    expect(body.extensions.zoho.calls).toBe(2);
  });

  it('reports the calls of a failed operation, with the error and its retryAfterSec', async () => {
    h.us.faults.rateLimit({ times: 1, resetInMs: 120_000, match: 'GET /crm/v8/org' });
    const { body } = await post('{ organization { id } }');
    expect(body.errors[0].extensions).toMatchObject({ code: 'ZOHO_RATE_LIMITED' });
    expect(body.errors[0].extensions.retryAfterSec).toBeGreaterThanOrEqual(119);
    expect(body.extensions.zoho).toEqual({ calls: 1, credits: 0 });
  });

  it('shows zero on a response that never executed (validation error)', async () => {
    const { body } = await post('{ noSuchField }');
    expect(body.errors[0].message).toMatch(/noSuchField/);
    expect(body.extensions.zoho).toEqual({ calls: 0, credits: 0 });
  });
});
