import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError, type GraphQLClient } from 'graphql-request';
import { startHarness, type Harness } from '../helpers/gateway.js';

/**
 * Zoho answering in bursts of 429 and 5xx. Reads are retried (up to 4 attempts per call) and must
 * come through; writes are retried only on 429, the one answer that proves Zoho wrote nothing, so
 * no record may ever be created twice.
 */

const RECORD = 'query($id: ID!) { record(module: "Deals", id: $id) { id name: field(name: "Deal_Name") } }';
const CREATE = 'mutation($records: [JSON!]!) { createRecords(module: "Leads", records: $records, trigger: []) { index id status code } }';
const POST_LEADS = (c: { method: string; path: string }) => c.method === 'POST' && c.path === '/crm/v8/Leads';

describe('bursts of 429 and 5xx from Zoho', () => {
  let h: Harness;
  let client: GraphQLClient;
  let deals: { id: string; name: string }[];

  beforeAll(async () => {
    h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
    await h.connect('burst');
    client = await h.client('burst');
    deals = [...h.us.ctx.records('Deals').values()].slice(0, 20).map((r) => ({ id: String(r.id), name: String(r.Deal_Name) }));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers every read correctly through repeated bursts, retrying only the calls that failed', async () => {
    await client.request(RECORD, { id: deals[0]!.id }); // metadata cached: only record reads below
    for (const status of [429, 500, 503]) {
      // Three failures per burst: a read gets at most three, and its fourth attempt succeeds.
      const match = (r: { method: string; path: string }) => r.method === 'GET' && r.path === '/crm/v8/Deals';
      if (status === 429) h.us.faults.rateLimit({ times: 3, resetInMs: 50, match });
      else h.us.faults.serverError({ times: 3, status, match });
      h.us.resetCalls();
      const results = await Promise.all(deals.map((d) => client.request<{ record: { id: string; name: string } }>(RECORD, { id: d.id })));
      expect(results.map((r) => r.record)).toEqual(deals);
      expect(h.us.count((c) => c.path === '/crm/v8/Deals')).toBe(deals.length + 3);
      expect(h.us.count((c) => c.status === status)).toBe(3);
      expect(h.us.count((c) => c.path !== '/crm/v8/Deals')).toBe(0);
    }
  });

  it('never sends a write twice: 429s are retried, 5xx are reported, each record exists at most once', async () => {
    // Ordered: the first three POSTs get 429 (retried), the next two get 500 (not retried).
    h.us.faults.rateLimit({ times: 3, resetInMs: 50, match: (r) => r.method === 'POST' && r.path === '/crm/v8/Leads' });
    h.us.faults.serverError({ times: 2, status: 500, match: (r) => r.method === 'POST' && r.path === '/crm/v8/Leads' });
    h.us.resetCalls();
    const names = Array.from({ length: 10 }, (_, i) => `Burst-${i}-${Date.now()}`);
    const outcomes = await Promise.all(
      names.map((name) =>
        client.request<{ createRecords: { status: string; id: string | null }[] }>(CREATE, { records: [{ Last_Name: name }] }).then(
          (r) => ({ ok: r.createRecords[0]!.status === 'success', code: undefined as string | undefined, writeOutcome: undefined as unknown }),
          (err: unknown) => {
            if (!(err instanceof ClientError)) throw err;
            const e = err.response.errors![0]!;
            return { ok: false, code: String(e.extensions?.code), writeOutcome: e.extensions?.writeOutcome };
          },
        ),
      ),
    );

    const failed = outcomes.filter((o) => !o.ok);
    expect(failed).toHaveLength(2);
    // A 5xx may follow a write Zoho made: the caller is told it is unknown, not that it failed.
    expect(failed.every((f) => f.code === 'ZOHO_UNAVAILABLE' && f.writeOutcome === 'UNKNOWN')).toBe(true);
    // 10 writes + 3 resent after 429; the two 500s were not resent.
    expect(h.us.count(POST_LEADS)).toBe(13);
    const stored = [...h.us.ctx.records('Leads').values()].map((r) => String(r.Last_Name));
    const counts = names.map((n) => stored.filter((s) => s === n).length);
    expect(counts.filter((c) => c === 1)).toHaveLength(8);
    expect(counts.every((c) => c <= 1)).toBe(true);
  });
});
