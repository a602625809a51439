import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';

/**
 * The generic API over a customised org (the emulator's custom module Field_Visits, Deals' custom
 * fields with the collision pair Lead_Score/LeadScore, the multi-select Regions and the Line_Items
 * subform): what issue 11's typed schema will build on already reads and writes through `data`,
 * `field(name:)` and `createRecords`.
 */

describe('generic API over custom fields, a subform and a custom module', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.connect('acme');
  });
  afterAll(() => h.close());

  it('discovers the custom module and the custom fields with their data types', async () => {
    const client = await h.client('acme');
    const res = await client.request<{
      modules: { apiName: string }[];
      fields: { apiName: string; dataType: string; lookupModule: string | null }[];
      visits: { apiName: string; dataType: string; lookupModule: string | null }[];
    }>('{ modules { apiName } fields(module: "Deals") { apiName dataType lookupModule } visits: fields(module: "Field_Visits") { apiName dataType lookupModule } }');
    expect(res.modules.map((m) => m.apiName)).toContain('Field_Visits');
    const t = Object.fromEntries(res.fields.map((f) => [f.apiName, f.dataType]));
    expect(t).toMatchObject({ Regions: 'multiselectpicklist', Line_Items: 'subform', Lead_Score: 'integer', LeadScore: 'integer', Budget_USD: 'currency' });
    expect(res.visits.find((f) => f.apiName === 'Account')).toEqual({ apiName: 'Account', dataType: 'lookup', lookupModule: 'Accounts' });
  });

  it('lists Field_Visits with data and follows its Accounts lookup', async () => {
    const client = await h.client('acme');
    const res = await client.request<{ records: { nodes: { id: string; data: Record<string, unknown>; account: { id: string; name: string } | null }[] } }>(
      '{ records(module: "Field_Visits", first: 5) { nodes { id data account: lookup(field: "Account") { id name: field(name: "Account_Name") } } } }',
    );
    expect(res.records.nodes).toHaveLength(5);
    const visits = h.us.ctx.records('Field_Visits');
    for (const n of res.records.nodes) {
      const rec = visits.get(n.id)!;
      expect(n.data.Name).toBe(rec.Name);
      expect(n.account).toEqual({ id: (rec.Account as { id: string }).id, name: (rec.Account as { name: string }).name });
    }
  });

  it('reads a multi-select as a list, subform rows as objects and both fields of the collision pair', async () => {
    const client = await h.client('acme');
    const res = await client.request<{ records: { nodes: { id: string; regions: string[]; items: { id: string; Product_Name: string }[]; a: number; b: number }[] } }>(
      '{ records(module: "Deals", first: 8, sortBy: "id", sortOrder: ASC) { nodes { id regions: field(name: "Regions") items: field(name: "Line_Items") a: field(name: "Lead_Score") b: field(name: "LeadScore") } } }',
    );
    const deals = h.us.ctx.records('Deals');
    for (const n of res.records.nodes) {
      const rec = deals.get(n.id)!;
      expect(n.regions).toEqual(rec.Regions);
      expect(n.items).toEqual(rec.Line_Items);
      expect([n.a, n.b]).toEqual([rec.Lead_Score, rec.LeadScore]);
    }
    expect(res.records.nodes.some((n) => n.items.length > 0)).toBe(true);
  });

  it('creates a deal with a multi-select and subform rows that read back', async () => {
    const client = await h.client('acme');
    const created = await client.request<{ createRecords: { status: string; id: string | null }[] }>('mutation($r: [JSON!]!) { createRecords(module: "Deals", records: $r) { status id } }', {
      r: [{ Deal_Name: 'Typed', Stage: 'Qualification', Regions: ['EMEA'], Line_Items: [{ Product_Name: 'Seats', Quantity: 2 }] }],
    });
    expect(created.createRecords[0]!.status).toBe('success');
    const id = created.createRecords[0]!.id!;
    const got = await client.request<{ record: { data: { Regions: string[]; Line_Items: { Product_Name: string; Quantity: number; Parent_Id: { id: string } }[] } } }>(
      'query($id: ID!) { record(module: "Deals", id: $id) { data } }',
      { id },
    );
    expect(got.record.data.Regions).toEqual(['EMEA']);
    expect(got.record.data.Line_Items).toMatchObject([{ Product_Name: 'Seats', Quantity: 2, Parent_Id: { id } }]);
  });
});
