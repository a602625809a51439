import { print } from 'graphql';
import { ClientError } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordIdsDocument } from '../gql/graphql.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

/** Zoho's answers, each mapped to the gateway's stable code, as a caller sees them. */
describe('Zoho errors through the gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    // A connection granted without the COQL scope, to see Zoho's OAUTH_SCOPE_MISMATCH.
    h = await startHarness({ env: { ZOHO_SCOPES: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,AaaServer.profile.READ' } });
    await h.connect('acme');
    await (await h.client('acme')).request(RecordIdsDocument, { module: 'Deals', first: 1 }); // warm metadata
  });
  afterAll(() => h.close());

  async function failure(query: string, variables?: Record<string, unknown>) {
    const client = await h.client('acme');
    try {
      await client.rawRequest(query, variables);
    } catch (err) {
      if (err instanceof ClientError) return { error: err.response.errors![0]!, extensions: err.response.extensions as Record<string, unknown> | undefined };
      throw err;
    }
    throw new Error('expected an error');
  }

  it('OAUTH_SCOPE_MISMATCH → ZOHO_SCOPE_MISSING naming the Zoho scope to reconnect with', async () => {
    const { error } = await failure('{ coql(query: "select Last_Name from Leads where Last_Name is not null limit 1") { count } }');
    expect(error.extensions).toMatchObject({ code: 'ZOHO_SCOPE_MISSING', requiredScope: 'ZohoCRM.coql.READ', zoho: { code: 'OAUTH_SCOPE_MISMATCH', status: 401 } });
  });

  it('NO_PERMISSION (403) → ZOHO_NO_PERMISSION', async () => {
    h.us.faults.add({ match: 'GET /crm/v8/:module', response: { status: 403, body: { code: 'NO_PERMISSION', details: {}, message: 'permission denied', status: 'error' } } });
    const { error } = await failure(print(RecordIdsDocument), { module: 'Deals', first: 1 });
    expect(error.extensions).toMatchObject({ code: 'ZOHO_NO_PERMISSION', zoho: { code: 'NO_PERMISSION', status: 403 } });
  });

  it('429 with a reset header → retried after the reset, answered, two calls in extensions.zoho', async () => {
    h.us.resetCalls();
    h.us.faults.rateLimit({ times: 1, resetInMs: 300, match: 'GET /crm/v8/:module' });
    const started = Date.now();
    const res = await (await h.client('acme')).rawRequest<{ records: { nodes: unknown[] } }>(print(RecordIdsDocument), { module: 'Deals', first: 2 });
    expect(res.data.records.nodes).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(h.us.count('GET /crm/v8/:module')).toBe(2);
    expect(res.extensions).toMatchObject({ zoho: { calls: 2, credits: 1 } });
  });

  it('429 whose reset lies beyond the retry budget → ZOHO_RATE_LIMITED with retryAfterSec, no waiting', async () => {
    h.us.faults.rateLimit({ times: 1, resetInMs: 120_000, match: 'GET /crm/v8/:module' });
    const started = Date.now();
    const { error } = await failure(print(RecordIdsDocument), { module: 'Deals', first: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.extensions).toMatchObject({ code: 'ZOHO_RATE_LIMITED' });
    expect(Number(error.extensions!.retryAfterSec)).toBeGreaterThan(100);
  });

  it('5xx on every attempt → ZOHO_UNAVAILABLE after the bounded retries', async () => {
    h.us.resetCalls();
    h.us.faults.serverError({ status: 503, times: 10, match: 'GET /crm/v8/:module' });
    try {
      const { error, extensions } = await failure(print(RecordIdsDocument), { module: 'Deals', first: 1 });
      expect(error.extensions?.code).toBe('ZOHO_UNAVAILABLE');
      expect(extensions).toMatchObject({ zoho: { calls: 4 } });
      expect(h.us.count('GET /crm/v8/:module')).toBe(4);
    } finally {
      h.us.faults.clear();
    }
  });

  it('an unknown module → ZOHO_INVALID_MODULE before any data call', async () => {
    const { error } = await failure(print(RecordIdsDocument), { module: 'Potentials', first: 1 });
    expect(error.extensions).toMatchObject({ code: 'ZOHO_INVALID_MODULE', module: 'Potentials' });
  });
});
