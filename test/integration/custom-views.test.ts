import { ClientError, type GraphQLClient } from 'graphql-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';

/**
 * Custom views through the gateway: `customViews(module:)`, `records(cvid:)` (never with sortBy,
 * which Zoho refuses beside cvid) and a custom view id in COQL's FROM (v7+), against the
 * emulator's views (src/emulator/custom-views.ts).
 */
describe('custom views through the gateway', () => {
  let h: Harness;
  let full: GraphQLClient;
  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { deals: 300 } } });
    await h.connect('acme');
    full = await h.client('acme');
    await full.request('{ records(module: "Deals", first: 1) { nodes { id } } }'); // warm metadata
  });
  afterAll(() => h.close());

  async function failure(client: GraphQLClient, query: string, variables?: Record<string, unknown>) {
    try {
      await client.request(query, variables);
    } catch (err) {
      if (err instanceof ClientError) return err.response.errors![0]!;
      throw err;
    }
    throw new Error('expected an error');
  }
  const wonView = () => h.us.ctx.customViews.list('Deals').find((v) => v.name === 'Closed Won Deals')!;
  const crmCalls = () => h.us.count((c) => c.path.startsWith('/crm/'));

  it('lists a module’s views in one Zoho call', async () => {
    h.us.resetCalls();
    const res = await full.request<{ customViews: Array<{ id: string; name: string; isDefault: boolean; systemDefined: boolean; sortBy: string | null; sortOrder: string | null }> }>(
      'query($m: String!) { customViews(module: $m) { id name isDefault systemDefined sortBy sortOrder } }',
      { m: 'Deals' },
    );
    expect(res.customViews).toEqual([
      expect.objectContaining({ name: 'All Deals', isDefault: true, systemDefined: true }),
      { id: wonView().id, name: 'Closed Won Deals', isDefault: false, systemDefined: false, sortBy: 'Amount', sortOrder: 'desc' },
    ]);
    expect(h.us.count('GET /crm/v8/settings/custom_views')).toBe(1);
    expect(crmCalls()).toBe(1);
  });

  it('needs records:read for the module: another module’s narrow scope is refused without a call', async () => {
    const leadsOnly = await h.client('acme', 'records:read:Leads');
    h.us.resetCalls();
    const err = await failure(leadsOnly, '{ customViews(module: "Deals") { id } }');
    expect(err.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'records:read:Deals' });
    expect(crmCalls()).toBe(0);
    const own = await leadsOnly.request<{ customViews: Array<{ name: string }> }>('{ customViews(module: "Leads") { name } }');
    expect(own.customViews.map((v) => v.name)).toContain('Leads by Name');
  });

  it('lists a view’s records with cvid (and sortOrder), and refuses sortBy beside it before calling Zoho', async () => {
    const res = await full.request<{ records: { nodes: Array<{ data: { Stage: string } }> } }>(
      'query($cv: ID!) { records(module: "Deals", cvid: $cv, first: 50, fields: ["Stage"]) { nodes { data } } }',
      { cv: wonView().id },
    );
    expect(res.records.nodes.length).toBeGreaterThan(0);
    expect(res.records.nodes.every((n) => n.data.Stage === 'Closed Won')).toBe(true);
    const asc = await full.request<{ records: { nodes: unknown[] } }>('query($cv: ID!) { records(module: "Deals", cvid: $cv, sortOrder: ASC, first: 5) { nodes { id } } }', { cv: wonView().id });
    expect(asc.records.nodes.length).toBeGreaterThan(0);

    h.us.resetCalls();
    const err = await failure(full, 'query($cv: ID!) { records(module: "Deals", cvid: $cv, sortBy: "Modified_Time", first: 5) { nodes { id } } }', { cv: wonView().id });
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'sortBy', reason: 'cvid_with_sort_by' });
    expect(crmCalls()).toBe(0);
  });

  it('lets a custom view in COQL’s FROM through to Zoho for a caller who may read everything', async () => {
    const query = `select Deal_Name, Stage from ${wonView().id} where Deal_Name is not null limit 2000`;
    h.us.resetCalls();
    const res = await full.request<{ coql: { rows: Array<{ Stage: string }>; count: number } }>('query($q: String!) { coql(query: $q) { rows count } }', { q: query });
    const won = [...h.us.ctx.records('Deals').values()].filter((d) => d.Stage === 'Closed Won').length;
    expect(res.coql.count).toBe(won);
    expect(res.coql.rows.every((r) => r.Stage === 'Closed Won')).toBe(true);
    expect(h.us.count('POST /crm/v8/coql')).toBe(1);
  });

  it('refuses a custom view in FROM to a caller narrowed to modules (it may read any module), without a call', async () => {
    const narrowed = await h.client('acme', 'coql records:read:Deals users:read');
    h.us.resetCalls();
    const err = await failure(narrowed, 'query($q: String!) { coql(query: $q) { count } }', { q: `select Deal_Name from ${wonView().id} where Deal_Name is not null` });
    expect(err.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'coql-custom-view', scope: 'records:read' });
    expect(crmCalls()).toBe(0);
  });
});
