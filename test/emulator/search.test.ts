import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import type { ZRecord } from '../../src/emulator/seed.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';

/**
 * Search Records (`GET /crm/v8/{module}/search`) over real HTTP. Shapes follow crm-oas
 * v8.0/module_search (searchRecords.md, its examples and module_search.yaml).
 */

const idsOf = (body: { data: Array<{ id: string }> } | undefined) => (body ? body.data.map((d) => d.id) : []);
const byIdDesc = (ids: string[]) => [...ids].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)).reverse();

describe('GET /crm/v8/{module}/search', () => {
  let emu: ZohoEmulator;
  let token: string;
  const fixture: Record<string, ZRecord> = {};

  /** Leads with tricky values, put straight into the store so matching is checked independently. */
  function addLead(key: string, values: Record<string, unknown>): void {
    const template = [...emu.ctx.records('Leads').values()][0]!;
    const id = `41508689${String(Object.keys(fixture).length + 1).padStart(11, '0')}`;
    const rec: ZRecord = { ...template, id, ...values };
    emu.ctx.records('Leads').set(id, rec);
    fixture[key] = rec;
  }

  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator({ seed: { deals: 3000 } }));
    addLead('paren', { Last_Name: 'Zq', Company: 'Acme (West), Ltd\\', City: 'Quito', No_of_Employees: 7777, Email: 'paren@zq.example', Phone: '+1 (555) 010-9999' });
    addLead('plain', { Last_Name: 'Zq', Company: 'Acme West Ltd', City: 'Quito', No_of_Employees: 7778, Email: 'plain@zq.example', Phone: '+1 555 000 0001' });
    addLead('comma', { Last_Name: 'Burns,B', Company: 'Zq Comma', City: 'Quito', No_of_Employees: 10, Email: 'burns@zq.example', Phone: '+1 555 000 0002' });
  });
  afterAll(() => emu.close());

  const search = (module: string, query: Record<string, string | number>, tok = token) => call(emu, 'GET', `/crm/v8/${module}/search`, { token: tok, query });

  it('matches a value containing ( ) , and \\ literally when escaped (search-records.html "Escaping Special Characters")', async () => {
    const r = await search('Leads', { criteria: '(Company:equals:Acme \\(West\\)\\, Ltd\\\\)', fields: 'Company' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ data: [{ id: fixture.paren!.id, Company: 'Acme (West), Ltd\\' }], info: { per_page: 200, count: 1, page: 1, more_records: false } });
    const comma = await search('Leads', { criteria: '((Last_Name:equals:Burns\\,B)and(City:starts_with:Qu))', fields: 'Last_Name' });
    expect(idsOf(comma.body)).toEqual([fixture.comma!.id]);
  });

  it('treats `equals` on text as "contains" and `starts_with` as a prefix (searchRecords.md)', async () => {
    const contains = await search('Leads', { criteria: '(Company:equals:West)', fields: 'Company' });
    expect(idsOf(contains.body)).toEqual(byIdDesc([fixture.paren!.id, fixture.plain!.id]));
    const prefix = await search('Leads', { criteria: '(Company:starts_with:acme w)', fields: 'Company' });
    expect(idsOf(prefix.body)).toEqual([fixture.plain!.id]);
  });

  it('combines nested and/or groups', async () => {
    const r = await search('Leads', { criteria: '((City:equals:Quito)and((No_of_Employees:greater_than:7777)or(Last_Name:equals:Burns\\,B)))' });
    expect(idsOf(r.body)).toEqual(byIdDesc([fixture.plain!.id, fixture.comma!.id]));
    const orOnly = await search('Leads', { criteria: '((No_of_Employees:equals:7777) or (No_of_Employees:equals:10))' });
    expect(idsOf(orOnly.body)).toEqual(byIdDesc([fixture.paren!.id, fixture.comma!.id]));
  });

  it('supports in, between and not_equal by type, checked against the store', async () => {
    const deals = [...emu.ctx.records('Deals').values()];
    const inStage = await search('Deals', { criteria: '(Stage:in:Closed Won,Closed Lost)', per_page: 200 });
    const expectIn = deals.filter((d) => d.Stage === 'Closed Won' || d.Stage === 'Closed Lost').map((d) => d.id);
    expect(inStage.body.info.count).toBe(Math.min(200, expectIn.length));
    expect(idsOf(inStage.body)).toEqual(byIdDesc(expectIn).slice(0, 200));

    const between = await search('Deals', { criteria: '(Closing_Date:between:2025-02-05,2025-02-09)' });
    const expectBetween = deals.filter((d) => String(d.Closing_Date) >= '2025-02-05' && String(d.Closing_Date) <= '2025-02-09').map((d) => d.id);
    expect(expectBetween).toHaveLength(5);
    expect(idsOf(between.body)).toEqual(byIdDesc(expectBetween));

    const owner = emu.ctx.data.users[1]!;
    const notOwner = await search('Accounts', { criteria: `(Owner:not_equal:${owner.id})` });
    const expectNot = [...emu.ctx.records('Accounts').values()].filter((a) => (a.Owner as { id: string }).id !== owner.id).map((a) => a.id);
    expect(idsOf(notOwner.body)).toEqual(byIdDesc(expectNot));
  });

  it('refuses 11 criteria (CRITERIA_LIMIT_EXCEEDED) but takes 10', async () => {
    const conds = (n: number) => `(${Array.from({ length: n }, (_, i) => `(No_of_Employees:not_equal:${i + 1})`).join('and')})`;
    const ten = await search('Leads', { criteria: conds(10) });
    expect(ten.status).toBe(200);
    const eleven = await search('Leads', { criteria: conds(11) });
    expect(eleven.status).toBe(400);
    expect(eleven.body).toEqual({ code: 'CRITERIA_LIMIT_EXCEEDED', details: {}, message: 'no of criterium that can be given exceed the limit 10', status: 'error' });
  });

  it('answers bad criteria with INVALID_QUERY (module_search.yaml InvalidQueryErrorResponse)', async () => {
    const syntax = await search('Leads', { criteria: '(Last_Name:equals:Burns' });
    expect([syntax.status, syntax.body]).toEqual([400, { code: 'INVALID_QUERY', details: {}, message: 'Invalid query formed', status: 'error' }]);
    const mixed = await search('Leads', { criteria: '((City:equals:A)and(City:equals:B)or(City:equals:C))' });
    expect(mixed.body.code).toBe('INVALID_QUERY');
    const field = await search('Leads', { criteria: '(Nope:equals:x)' });
    expect(field.body).toEqual({ code: 'INVALID_QUERY', details: { api_name: 'Nope', reason: 'the api name given seems to be invalid' }, message: 'Invalid query formed', status: 'error' });
    const op = await search('Leads', { criteria: '(No_of_Employees:starts_with:1)' });
    expect(op.body.details).toEqual({ api_name: 'No_of_Employees', operator: 'starts_with', reason: 'invalid operator found' });
    const notIn = await search('Leads', { criteria: '(City:not_in:Quito)' });
    expect(notIn.body.details.operator).toBe('not_in');
    const type = await search('Deals', { criteria: '(Amount:greater_than:lots)' });
    expect(type.body.details).toEqual({ api_name: 'Amount', expected_data_type: 'currency', reason: 'invalid data type' });
    const tooManyIn = await search('Leads', { criteria: `(City:in:${Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')})` });
    expect(tooManyIn.body.message).toBe('Only 100 values are allowed in "IN" criteria');
  });

  it('searches by email, phone and word', async () => {
    const email = await search('Leads', { email: 'PAREN@zq', fields: 'Email' });
    expect(email.body).toEqual({ data: [{ id: fixture.paren!.id, Email: 'paren@zq.example' }], info: { per_page: 200, count: 1, page: 1, more_records: false } });
    const phone = await search('Leads', { phone: '555-010-9999' });
    expect(idsOf(phone.body)).toEqual([fixture.paren!.id]);
    const word = await search('Leads', { word: 'zq comma' });
    expect(idsOf(word.body)).toEqual([fixture.comma!.id]);
    // criteria wins over the others (documented priority criteria > email > phone > word)
    const both = await search('Leads', { criteria: '(Last_Name:equals:Burns\\,B)', email: 'paren@zq' });
    expect(idsOf(both.body)).toEqual([fixture.comma!.id]);
  });

  it('requires one of criteria/email/phone/word (searchRecords examples: MissingParameter)', async () => {
    const r = await search('Leads', {});
    expect([r.status, r.body]).toEqual([
      400,
      { code: 'EXPECTED_PARAM_MISSING', details: { param_names: ['criteria', 'email', 'phone', 'word'] }, message: 'one of the expected parameter is missing', status: 'error' },
    ]);
  });

  it('answers 204 with no body when nothing matches', async () => {
    const r = await search('Leads', { criteria: '(Last_Name:equals:NoSuchNameAnywhere)' });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
  });

  it('pages through at most 2,000 results (LIMIT_REACHED beyond)', async () => {
    const seen = new Set<string>();
    for (let page = 1; page <= 10; page++) {
      const r = await search('Deals', { criteria: '(Amount:greater_than:0)', fields: 'Deal_Name', page, per_page: 200 });
      expect(r.status).toBe(200);
      expect(r.body.info).toEqual({ per_page: 200, count: 200, page, more_records: true });
      for (const id of idsOf(r.body)) seen.add(id);
    }
    expect(seen.size).toBe(2000);
    expect([...seen]).toEqual(byIdDesc([...emu.ctx.records('Deals').keys()]).slice(0, 2000));
    const r11 = await search('Deals', { criteria: '(Amount:greater_than:0)', page: 11, per_page: 200 });
    expect([r11.status, r11.body]).toEqual([400, { code: 'LIMIT_REACHED', details: { limit: '2000' }, message: 'maximum response iteration limit reached', status: 'error' }]);
  });

  it('returns every field when `fields` is absent', async () => {
    const r = await search('Leads', { criteria: '(Last_Name:equals:Burns\\,B)' });
    const leadFields = emu.ctx.modules.find((m) => m.api_name === 'Leads')!.fields.map((f) => f.api_name);
    expect(Object.keys(r.body.data[0])).toEqual(['id', ...leadFields]);
  });

  it('checks module and scope, and is routed before GET /{module}/{id}', async () => {
    const mod = await search('Widgets', { word: 'abc' });
    expect([mod.status, mod.body]).toEqual([400, { code: 'INVALID_MODULE', details: { resource_path_index: 0 }, message: 'the module name given seems to be invalid', status: 'error' }]);
    const leadsOnly = mintToken(emu, ['ZohoCRM.modules.Leads.READ']);
    const denied = await search('Deals', { word: 'abc' }, leadsOnly);
    expect([denied.status, denied.body.code]).toEqual([401, 'OAUTH_SCOPE_MISMATCH']);
    const allowed = await search('Leads', { word: 'zq comma' }, leadsOnly);
    expect(allowed.status).toBe(200);
    expect(emu.calls.at(-1)!.route).toBe('GET /crm/v8/:module/search');
  });
});
