import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { call, startTestEmulator } from '../helpers/emulator.js';

/**
 * The customised part of the emulated org, over real HTTP: Deals' custom fields of several types
 * (with the collision pair Lead_Score / LeadScore), the Line_Items subform and the custom module
 * Field_Visits. Shapes follow the Zoho pages cited in src/emulator/metadata.ts and seed.ts.
 */

type Field = {
  api_name: string;
  data_type: string;
  json_type: string;
  custom_field: boolean;
  read_only: boolean;
  pick_list_values: { actual_value: string }[];
  lookup: { module?: { api_name: string } };
  subform?: { module: string };
  associated_module?: { api_name: string };
  formula?: { return_type: string; expression: string };
};

describe('emulated org: custom fields, subform, custom module', () => {
  let emu: ZohoEmulator;
  let token: string;
  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator());
  });
  afterAll(() => emu.close());

  const fieldsOf = async (module: string): Promise<Field[]> => {
    const r = await call(emu, 'GET', '/crm/v8/settings/fields', { token, query: { module } });
    expect(r.status).toBe(200);
    return r.body.fields;
  };

  it('lists Field_Visits as a custom module (generated_type custom) next to the standard ones', async () => {
    const r = await call(emu, 'GET', '/crm/v8/settings/modules', { token });
    const mods = r.body.modules as { api_name: string; generated_type: string; singular_label: string; plural_label: string; module_name: string }[];
    expect(mods.find((m) => m.api_name === 'Deals')!.generated_type).toBe('default');
    expect(mods.find((m) => m.api_name === 'Field_Visits')).toMatchObject({ generated_type: 'custom', singular_label: 'Field Visit', plural_label: 'Field Visits', module_name: 'CustomModule1' });
    // The subform's module is reachable through fields metadata only, never as a module to list.
    expect(mods.map((m) => m.api_name)).not.toContain('Line_Items');
  });

  it("Deals' metadata carries each custom type, the collision pair and the subform", async () => {
    const fields = await fieldsOf('Deals');
    const byName = new Map(fields.map((f) => [f.api_name, f]));
    const types = Object.fromEntries(
      ['Budget_USD', 'Go_Live_Date', 'Is_Strategic', 'Regions', 'Win_Chance', 'Deal_Code', 'Lead_Score', 'LeadScore', 'Line_Items'].map((n) => [n, byName.get(n)?.data_type]),
    );
    expect(types).toEqual({
      Budget_USD: 'currency',
      Go_Live_Date: 'date',
      Is_Strategic: 'boolean',
      Regions: 'multiselectpicklist',
      Win_Chance: 'percent',
      Deal_Code: 'autonumber',
      Lead_Score: 'integer',
      LeadScore: 'integer',
      Line_Items: 'subform',
    });
    expect(byName.get('Budget_USD')!.custom_field).toBe(true);
    expect(byName.get('Deal_Name')!.custom_field).toBe(false);
    expect(byName.get('Deal_Code')!.read_only).toBe(true);
    const regions = byName.get('Regions')!;
    expect(regions.json_type).toBe('jsonarray');
    expect(regions.pick_list_values.map((v) => v.actual_value)).toEqual(['AMER', 'APAC', 'EMEA', 'LATAM']);
    const sub = byName.get('Line_Items')!;
    expect(sub.json_type).toBe('jsonarray');
    expect(sub.subform!.module).toBe('Line_Items');
    expect(sub.associated_module!.api_name).toBe('Line_Items');
    const formula = byName.get('Weighted_Amount')!;
    expect(formula).toMatchObject({ data_type: 'formula', read_only: true, json_type: 'double', formula: { return_type: 'currency' } });
  });

  it("the subform's row fields come from fields?module=Line_Items", async () => {
    const fields = await fieldsOf('Line_Items');
    expect(fields.map((f) => [f.api_name, f.data_type])).toEqual([
      ['Product_Name', 'text'],
      ['Quantity', 'integer'],
      ['Unit_Price', 'currency'],
      ['Parent_Id', 'lookup'],
    ]);
    expect(fields.find((f) => f.api_name === 'Parent_Id')!.lookup.module!.api_name).toBe('Deals');
  });

  it("Field_Visits' fields: name, a lookup to Accounts, an owner and typed custom fields", async () => {
    const fields = await fieldsOf('Field_Visits');
    const t = Object.fromEntries(fields.map((f) => [f.api_name, f.data_type]));
    expect(t).toMatchObject({
      Name: 'text',
      Account: 'lookup',
      Owner: 'ownerlookup',
      Visited_By: 'userlookup',
      Visit_Date: 'datetime',
      Outcome: 'picklist',
      Duration_Hours: 'decimal',
      Follow_Up: 'boolean',
      Notes: 'textarea',
    });
    expect(fields.find((f) => f.api_name === 'Account')!.lookup.module!.api_name).toBe('Accounts');
  });

  it('Deals records carry values of every custom field; subform rows point back to their deal', async () => {
    const fields = 'Deal_Name,Budget_USD,Go_Live_Date,Is_Strategic,Regions,Win_Chance,Deal_Code,Lead_Score,LeadScore,Line_Items';
    const r = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields, per_page: 200, sort_order: 'asc' } });
    expect(r.status).toBe(200);
    const deals = r.body.data as Record<string, unknown>[];
    const first = deals[0]!;
    expect(first.Deal_Code).toBe('DL-0001');
    expect(typeof first.Budget_USD).toBe('number');
    expect(first.Go_Live_Date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(typeof first.Is_Strategic).toBe('boolean');
    expect(first.Lead_Score).not.toBe(first.LeadScore);
    const stored = emu.ctx.records('Deals').get(first.id as string)!;
    expect(stored.Weighted_Amount).toBe(Math.round((stored.Amount as number) * (stored.Probability as number)) / 100);
    for (const d of deals) {
      expect(Array.isArray(d.Regions)).toBe(true);
      for (const v of d.Regions as string[]) expect(['AMER', 'APAC', 'EMEA', 'LATAM']).toContain(v);
    }
    const withRows = deals.filter((d) => (d.Line_Items as unknown[]).length > 0);
    expect(withRows.length).toBe(50);
    const row = (withRows[0]!.Line_Items as Record<string, unknown>[])[0]!;
    expect(Object.keys(row).sort()).toEqual(['Parent_Id', 'Product_Name', 'Quantity', 'Unit_Price', 'id']);
    expect(row.Parent_Id).toEqual({ name: withRows[0]!.Deal_Name, id: withRows[0]!.id });
  });

  it('the custom module lists (40 records) and gets, its lookup and owner filled', async () => {
    const list = await call(emu, 'GET', '/crm/v8/Field_Visits', { token, query: { fields: 'Name,Account,Owner,Visited_By,Visit_Date,Duration_Hours' } });
    expect(list.status).toBe(200);
    expect(list.body.info.count).toBe(40);
    const one = list.body.data[0] as { id: string; Account: { id: string; name: string }; Owner: { email: string }; Visited_By: { id: string; name: string } };
    expect(one.Owner.email).toMatch(/@/);
    expect(emu.ctx.data.users.find((u) => u.id === one.Visited_By.id)!.full_name).toBe(one.Visited_By.name);
    const acc = await call(emu, 'GET', `/crm/v8/Accounts/${one.Account.id}`, { token });
    expect(acc.body.data[0].Account_Name).toBe(one.Account.name);
    const got = await call(emu, 'GET', `/crm/v8/Field_Visits/${one.id}`, { token });
    expect(got.status).toBe(200);
    expect(got.body.data[0]).toMatchObject({ id: one.id, Name: expect.stringMatching(/^Visit \d+/), Outcome: expect.any(String), Follow_Up: expect.any(Boolean) });
  });

  it('search and COQL match a multi-select when one chosen value matches', async () => {
    const all = [...emu.ctx.records('Deals').values()];
    const emea = all.filter((d) => (d.Regions as string[]).includes('EMEA')).length;
    expect(emea).toBeGreaterThan(0);
    const s = await call(emu, 'GET', '/crm/v8/Deals/search', { token, query: { criteria: '(Regions:equals:EMEA)', per_page: 200 } });
    expect(s.status).toBe(200);
    expect(s.body.data.every((d: { Regions: string[] }) => d.Regions.includes('EMEA'))).toBe(true);
    const q = await call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query: "select Regions from Deals where Regions = 'EMEA' limit 2000" } });
    expect(q.status).toBe(200);
    expect(q.body.data).toHaveLength(emea);
    const empty = await call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query: 'select id from Deals where Regions is null limit 2000' } });
    expect(empty.body.data).toHaveLength(all.filter((d) => (d.Regions as string[]).length === 0).length);
  });

  it('a multi-select and a subform written on insert and update read back as written', async () => {
    const account = [...emu.ctx.records('Accounts').values()][0]!;
    const ins = await call(emu, 'POST', '/crm/v8/Deals', {
      token,
      json: {
        data: [
          {
            Deal_Name: 'Typed deal',
            Stage: 'Qualification',
            Account_Name: { id: account.id },
            Regions: ['APAC', 'EMEA'],
            Lead_Score: 7,
            LeadScore: 8,
            Line_Items: [
              { Product_Name: 'Seats', Quantity: 3, Unit_Price: 120 },
              { Product_Name: 'Training day', Quantity: 1 },
            ],
          },
        ],
      },
    });
    expect(ins.status).toBe(201);
    const id = ins.body.data[0].details.id as string;
    const got = (await call(emu, 'GET', `/crm/v8/Deals/${id}`, { token })).body.data[0];
    expect(got.Regions).toEqual(['APAC', 'EMEA']);
    expect([got.Lead_Score, got.LeadScore]).toEqual([7, 8]);
    expect(got.Deal_Code).toBe('DL-0501');
    expect(got.Line_Items).toHaveLength(2);
    expect(got.Line_Items[0]).toMatchObject({ Product_Name: 'Seats', Quantity: 3, Unit_Price: 120, Parent_Id: { name: 'Typed deal', id } });
    expect(got.Line_Items[1]).toMatchObject({ Product_Name: 'Training day', Quantity: 1, Unit_Price: null });
    const [keep, drop] = got.Line_Items as { id: string }[];

    // Update: the row with an id is changed, a row without one is added, the row left out is gone.
    const upd = await call(emu, 'PUT', `/crm/v8/Deals/${id}`, {
      token,
      json: {
        data: [
          {
            Regions: ['LATAM'],
            Line_Items: [
              { id: keep!.id, Quantity: 5 },
              { Product_Name: 'Support plan', Quantity: 2, Unit_Price: 99.5 },
            ],
          },
        ],
      },
    });
    expect(upd.status).toBe(200);
    const after = (await call(emu, 'GET', `/crm/v8/Deals/${id}`, { token })).body.data[0];
    expect(after.Regions).toEqual(['LATAM']);
    expect(after.Line_Items.map((r: { id: string; Product_Name: string; Quantity: number }) => [r.id === keep!.id, r.Product_Name, r.Quantity])).toEqual([
      [true, 'Seats', 5],
      [false, 'Support plan', 2],
    ]);
    expect(after.Line_Items.map((r: { id: string }) => r.id)).not.toContain(drop!.id);

    // The formula follows the values it is computed from.
    await call(emu, 'PUT', `/crm/v8/Deals/${id}`, { token, json: { data: [{ Amount: 1000, Probability: 25 }] } });
    expect((await call(emu, 'GET', `/crm/v8/Deals/${id}`, { token })).body.data[0].Weighted_Amount).toBe(250);

    // An empty array clears the subform (insert-subforms.html).
    await call(emu, 'PUT', `/crm/v8/Deals/${id}`, { token, json: { data: [{ Line_Items: [] }] } });
    expect((await call(emu, 'GET', `/crm/v8/Deals/${id}`, { token })).body.data[0].Line_Items).toEqual([]);
  });

  it('writes check the new types: unknown multi-select value, non-array, bad row, read-only autonumber', async () => {
    const deal = (extra: Record<string, unknown>) => ({ Deal_Name: 'Bad', Stage: 'Qualification', ...extra });
    const r = await call(emu, 'POST', '/crm/v8/Deals', {
      token,
      json: {
        data: [
          deal({ Regions: ['EMEA', 'Mars'] }),
          deal({ Regions: 'EMEA' }),
          deal({ Line_Items: [{ Quantity: 2 }] }),
          deal({ Line_Items: [{ Product_Name: 'Seats', Quantity: 'two' }] }),
          deal({ Deal_Code: 'DL-9999' }),
          deal({ Line_Items: [{ id: '1', Product_Name: 'Seats' }] }),
          deal({ Weighted_Amount: 5 }),
        ],
      },
    });
    const out = r.body.data as { code: string; details: Record<string, unknown> }[];
    expect(out[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Regions', json_path: '$.data[0].Regions', supported_values: ['AMER', 'APAC', 'EMEA', 'LATAM'] } });
    expect(out[1]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Regions', expected_data_type: 'multiselectpicklist' } });
    expect(out[2]).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Product_Name', json_path: '$.data[2].Line_Items[0].Product_Name' } });
    expect(out[3]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Quantity', expected_data_type: 'integer', json_path: '$.data[3].Line_Items[0].Quantity' } });
    expect(out[4]).toMatchObject({ code: 'NOT_ALLOWED', details: { api_name: 'Deal_Code' } });
    expect(out[5]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Line_Items', json_path: '$.data[5].Line_Items[0].id' } });
    expect(out[6]).toMatchObject({ code: 'NOT_ALLOWED', details: { api_name: 'Weighted_Amount' } });
  });

  it('a Field_Visits record is created with a lookup and read back', async () => {
    const account = [...emu.ctx.records('Accounts').values()][5]!;
    const ins = await call(emu, 'POST', '/crm/v8/Field_Visits', {
      token,
      json: {
        data: [{ Name: 'Site visit', Account: { id: account.id }, Visited_By: { id: emu.ctx.data.users[1]!.id }, Duration_Hours: 1.5, Follow_Up: true, Visit_Date: '2025-03-01T10:00:00+00:00' }],
      },
    });
    expect(ins.status).toBe(201);
    const got = (await call(emu, 'GET', `/crm/v8/Field_Visits/${ins.body.data[0].details.id}`, { token })).body.data[0];
    const user = emu.ctx.data.users[1]!;
    expect(got).toMatchObject({ Name: 'Site visit', Account: { id: account.id, name: account.Account_Name }, Visited_By: { id: user.id, name: user.full_name }, Duration_Hours: 1.5, Follow_Up: true });
  });

  it('the EU data centre has the same customised shape, with its own records and ids', async () => {
    const { emu: eu, token: euToken } = await startTestEmulator({ dc: 'eu' });
    try {
      const r = await call(eu, 'GET', '/crm/v8/Field_Visits', { token: euToken, query: { fields: 'Name,Account' } });
      expect(r.body.info.count).toBe(40);
      const ids = new Set([...emu.ctx.records('Field_Visits').keys()]);
      expect(r.body.data.some((d: { id: string }) => ids.has(d.id))).toBe(false);
      const deal = [...eu.ctx.records('Deals').values()][0]!;
      expect(deal).toHaveProperty('Regions');
      expect(deal).toHaveProperty('Line_Items');
    } finally {
      await eu.close();
    }
  });
});
