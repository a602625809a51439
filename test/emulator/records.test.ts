import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { toZohoDateTime, type ZRecord } from '../../src/emulator/seed.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';

/**
 * Records API of the emulator over real HTTP. Expected shapes cite the Zoho samples they follow
 * (crm-oas = github.com/zoho/crm-oas, folder v8.0/record/operations/…/examples).
 */

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0);
const T0_ZOHO = '2025-06-01T12:00:00+00:00';

/** Ids in Zoho's default order (id desc), as the emulator stores them. */
const byIdDesc = (recs: Iterable<ZRecord>) =>
  [...recs]
    .map((r) => r.id)
    .sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
    .reverse();

describe('GET /crm/v8/{module} (list)', () => {
  let emu: ZohoEmulator;
  let token: string;
  const clock = { t: T0 };
  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator({ seed: { deals: 3000 }, now: () => clock.t }));
  });
  afterAll(() => emu.close());

  it('needs a token: none → 401 AUTHENTICATION_FAILURE, unknown → 401 INVALID_TOKEN', async () => {
    const none = await call(emu, 'GET', '/crm/v8/Leads', { token: null, query: { fields: 'Last_Name' } });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 'AUTHENTICATION_FAILURE', details: {}, message: 'Authentication failed', status: 'error' });
    const bad = await call(emu, 'GET', '/crm/v8/Leads', { token: '1000.nope.nope', query: { fields: 'Last_Name' } });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('INVALID_TOKEN');
  });

  it('a ZohoCRM.modules.Leads.READ token reads Leads but not Deals (401 OAUTH_SCOPE_MISMATCH)', async () => {
    const leadsOnly = mintToken(emu, ['ZohoCRM.modules.Leads.READ']);
    const ok = await call(emu, 'GET', '/crm/v8/Leads', { token: leadsOnly, query: { fields: 'Last_Name', per_page: 1 } });
    expect(ok.status).toBe(200);
    const deals = await call(emu, 'GET', '/crm/v8/Deals', { token: leadsOnly, query: { fields: 'Deal_Name' } });
    expect(deals.status).toBe(401);
    expect(deals.body).toEqual({ code: 'OAUTH_SCOPE_MISMATCH', details: { required_scope: 'ZohoCRM.modules.Deals.READ' }, message: 'invalid oauth scope to access this URL', status: 'error' });
  });

  it('refuses a missing `fields` (crm-oas getRecords response-400-requiredparammissing.md)', async () => {
    const r = await call(emu, 'GET', '/crm/v8/Leads', { token });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'fields' }, message: 'required param is missing', status: 'error' });
  });

  it('takes 50 fields and refuses 51 (crm-oas response-400-limitexceeded.md)', async () => {
    const names = Array.from({ length: 51 }, (_, i) => `Custom_Text_${String(i + 1).padStart(2, '0')}`);
    const ok = await call(emu, 'GET', '/crm/v8/Leads', { token, query: { fields: names.slice(0, 50).join(','), per_page: 1 } });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.data[0])).toEqual(['id', ...names.slice(0, 50)]);
    const tooMany = await call(emu, 'GET', '/crm/v8/Leads', { token, query: { fields: names.join(',') } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({ code: 'LIMIT_EXCEEDED', details: { limit: 50, param_name: 'fields' }, message: 'limit exceeded', status: 'error' });
  });

  it('answers id + requested fields, sorted id desc, with the documented info (crm-oas response-200-leads.md)', async () => {
    const r = await call(emu, 'GET', '/crm/v8/Leads', { token, query: { fields: 'Last_Name,Email,Owner', per_page: 5 } });
    expect(r.status).toBe(200);
    const leads = emu.ctx.records('Leads');
    const expectedIds = byIdDesc(leads.values()).slice(0, 5);
    expect(r.body.data.map((d: { id: string }) => d.id)).toEqual(expectedIds);
    const first = leads.get(expectedIds[0]!)!;
    expect(r.body.data[0]).toEqual({ id: first.id, Last_Name: first.Last_Name, Email: first.Email, Owner: first.Owner });
    expect(Object.keys(r.body.info)).toEqual(['call', 'per_page', 'next_page_token', 'count', 'sort_by', 'page', 'page_token_expiry', 'sort_order', 'email', 'more_records', 'previous_page_token']);
    expect(r.body.info).toMatchObject({ call: false, per_page: 5, count: 5, sort_by: 'id', page: 1, sort_order: 'desc', email: false, more_records: true, previous_page_token: null });
    expect(r.body.info.next_page_token).toMatch(/^[0-9a-f]{48}$/);
    expect(r.body.info.page_token_expiry).toBe(toZohoDateTime(T0 + 24 * 3600_000));
  });

  it('leaves unknown field names out of the records (UNVERIFIED Zoho behaviour)', async () => {
    const r = await call(emu, 'GET', '/crm/v8/Leads', { token, query: { fields: 'Last_Name,No_Such_Field', per_page: 1 } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.data[0])).toEqual(['id', 'Last_Name']);
  });

  it('sorts by Created_Time asc and refuses other sort_by values', async () => {
    const r = await call(emu, 'GET', '/crm/v8/Accounts', { token, query: { fields: 'Created_Time', sort_by: 'Created_Time', sort_order: 'asc', per_page: 200 } });
    const times = r.body.data.map((d: { Created_Time: string }) => Date.parse(d.Created_Time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(r.body.info).toMatchObject({ sort_by: 'Created_Time', sort_order: 'asc', count: 120, more_records: false, next_page_token: null, page_token_expiry: null });
    const bad = await call(emu, 'GET', '/crm/v8/Accounts', { token, query: { fields: 'Account_Name', sort_by: 'Account_Name' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 'INVALID_DATA', details: { param_name: 'sort_by', supported_values: ['id', 'Created_Time', 'Modified_Time'] }, message: 'invalid data', status: 'error' });
  });

  it('reaches page 10 × 200 but refuses page 11 (crm-oas response-400-discretepaginationlimitexceeded.md)', async () => {
    const p10 = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Deal_Name', page: 10, per_page: 200 } });
    expect(p10.status).toBe(200);
    expect(p10.body.data[199].id).toBe(byIdDesc(emu.ctx.records('Deals').values())[1999]);
    expect(p10.body.info).toMatchObject({ page: 10, count: 200, more_records: true });
    const p11 = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Deal_Name', page: 11, per_page: 200 } });
    expect(p11.status).toBe(400);
    expect(p11.body).toEqual({
      code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
      details: { limit: 2000 },
      message: 'You can only get the first 2000 records without using page_token param',
      status: 'error',
    });
  });

  it('walks 3,000 Deals with page_token: no duplicates, no gaps, in order', async () => {
    const seen: string[] = [];
    let r = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Deal_Name', per_page: 200 } });
    let calls = 1;
    const tokensUsed: string[] = [];
    while (true) {
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((d: { id: string }) => d.id));
      if (!r.body.info.more_records) break;
      const next = r.body.info.next_page_token as string;
      tokensUsed.push(next);
      r = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Deal_Name', per_page: 200, page_token: next } });
      calls++;
      if (calls === 3) {
        // UNVERIFIED semantics: previous_page_token is the token that fetched the page before.
        expect(r.body.info.previous_page_token).toBe(tokensUsed[0]);
        expect(r.body.info.page).toBe(3);
      }
    }
    expect(calls).toBe(15);
    expect(new Set(seen).size).toBe(3000);
    expect(seen).toEqual(byIdDesc(emu.ctx.records('Deals').values()));
    expect(r.body.info).toMatchObject({ page: 15, count: 200, more_records: false, next_page_token: null });
  });

  it('binds a page_token to its request and expires it after 24 h (crm-oas tokenbounddatamismatch / expiredvalue)', async () => {
    const first = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Deal_Name', per_page: 100 } });
    const pt = first.body.info.next_page_token as string;
    const mismatch = {
      code: 'TOKEN_BOUND_DATA_MISMATCH',
      details: { param_name: 'page_token' },
      message: 'The page_token given seems to be invalid or input param is added or altered or deleted',
      status: 'error',
    };
    const otherFields = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Deal_Name,Stage', per_page: 100, page_token: pt } });
    expect([otherFields.status, otherFields.body]).toEqual([400, mismatch]);
    const otherModule = await call(emu, 'GET', '/crm/v8/Leads', { token, query: { fields: 'Deal_Name', per_page: 100, page_token: pt } });
    expect([otherModule.status, otherModule.body]).toEqual([400, mismatch]);
    const forged = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Deal_Name', per_page: 100, page_token: 'c8582xx9e7c7' } });
    expect([forged.status, forged.body]).toEqual([400, mismatch]);
    const withPage = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Deal_Name', per_page: 100, page_token: pt, page: 2 } });
    expect(withPage.status).toBe(400);
    expect(withPage.body.code).toBe('AMBIGUITY_DURING_PROCESSING');

    clock.t = T0 + 24 * 3600_000 + 1;
    try {
      const fresh = mintToken(emu); // the access token minted at T0 has expired too
      const expired = await call(emu, 'GET', '/crm/v8/Deals', { token: fresh, query: { fields: 'Deal_Name', per_page: 100, page_token: pt } });
      expect(expired.status).toBe(400);
      expect(expired.body).toEqual({ code: 'EXPIRED_VALUE', details: { api_name: 'page_token', json_path: '$.query.page_token' }, message: 'Page token expired', status: 'error' });
    } finally {
      clock.t = T0;
    }
  });

  it('fetches by ids (≤ 100) and refuses 101 ids', async () => {
    const ids = byIdDesc(emu.ctx.records('Contacts').values());
    const pick = [ids[7]!, ids[2]!, ids[40]!, '4150868999999999999'];
    const r = await call(emu, 'GET', '/crm/v8/Contacts', { token, query: { ids: pick.join(','), fields: 'Last_Name' } });
    expect(r.status).toBe(200);
    expect(r.body.data.map((d: { id: string }) => d.id)).toEqual([ids[2], ids[7], ids[40]]);
    const tooMany = await call(emu, 'GET', '/crm/v8/Contacts', { token, query: { ids: ids.slice(0, 101).join(','), fields: 'Last_Name' } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({ code: 'LIMIT_EXCEEDED', details: { limit: 100, param_name: 'ids' }, message: 'limit exceeded', status: 'error' });
  });

  it('refuses an unknown cvid (crm-oas response-400-invalidcvid.md) and an unknown module (response-400-invaliddata.md)', async () => {
    const cv = await call(emu, 'GET', '/crm/v8/Leads', { token, query: { fields: 'Last_Name', cvid: '4150868000000087501' } });
    expect([cv.status, cv.body]).toEqual([400, { code: 'INVALID_DATA', details: { param_name: 'cvid' }, message: 'invalid data', status: 'error' }]);
    const mod = await call(emu, 'GET', '/crm/v8/Widgets', { token, query: { fields: 'Name' } });
    expect([mod.status, mod.body]).toEqual([400, { code: 'INVALID_MODULE', details: { resource_path_index: 0 }, message: 'the module name given seems to be invalid', status: 'error' }]);
  });

  it('GET /{module}/{id}: one record, `fields` honoured; unknown id → 204', async () => {
    const id = byIdDesc(emu.ctx.records('Deals').values())[0]!;
    const rec = emu.ctx.records('Deals').get(id)!;
    const one = await call(emu, 'GET', `/crm/v8/Deals/${id}`, { token, query: { fields: 'Deal_Name,Account_Name' } });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ data: [{ id, Deal_Name: rec.Deal_Name, Account_Name: rec.Account_Name }] });
    const all = await call(emu, 'GET', `/crm/v8/Deals/${id}`, { token });
    // Every field but Internal_Margin, which the demo org hides from this (Administrator) user's profile.
    const dealFields = emu.ctx.modules.find((m) => m.api_name === 'Deals')!.fields.map((f) => f.api_name);
    expect(Object.keys(all.body.data[0])).toEqual(['id', ...dealFields.filter((f) => f !== 'Internal_Margin')]);
    const none = await call(emu, 'GET', '/crm/v8/Deals/4150868999999999999', { token });
    expect(none.status).toBe(204);
    expect(none.text).toBe('');
  });
});

describe('GET with no records', () => {
  it('answers 204 with an empty body', async () => {
    const { emu, token } = await startTestEmulator({ seed: { leads: 0 } });
    try {
      const r = await call(emu, 'GET', '/crm/v8/Leads', { token, query: { fields: 'Last_Name' } });
      expect(r.status).toBe(204);
      expect(r.text).toBe('');
      expect(r.headers['content-type']).toBeUndefined();
    } finally {
      await emu.close();
    }
  });
});

describe('writes', () => {
  let emu: ZohoEmulator;
  let token: string;
  const events: Array<[string, string, string[], string[] | undefined]> = [];
  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator({ seed: { leads: 20, deals: 20, contacts: 30, accounts: 10 }, now: () => T0 }));
    emu.ctx.notifier = { notify: (m, op, ids, fields) => void events.push([m, op, ids, fields]) };
  });
  afterAll(() => emu.close());
  const user = () => emu.ctx.data.users[0]!;
  const orgId = () => emu.ctx.data.org.id;

  it('inserts one record → 201 with the documented SUCCESS details (crm-oas createRecords response-201-success.md)', async () => {
    events.length = 0;
    const r = await call(emu, 'POST', '/crm/v8/Leads', { token, json: { data: [{ First_Name: 'Ada', Last_Name: 'Lovelace', Email: 'ada@example.com' }], trigger: ['workflow'] } });
    expect(r.status).toBe(201);
    const id = `${orgId()}000001000001`;
    const by = { name: user().full_name, id: user().id };
    expect(r.body).toEqual({
      data: [
        { code: 'SUCCESS', details: { Modified_Time: T0_ZOHO, Modified_By: by, Created_Time: T0_ZOHO, id, Created_By: by, $approval_state: 'approved' }, message: 'record added', status: 'success' },
      ],
    });
    const got = await call(emu, 'GET', `/crm/v8/Leads/${id}`, { token, query: { fields: 'Full_Name,Owner,Lead_Status' } });
    expect(got.body.data[0]).toEqual({ id, Full_Name: 'Ada Lovelace', Owner: { name: user().full_name, id: user().id, email: user().email }, Lead_Status: null });
    expect(events).toEqual([['Leads', 'insert', [id], undefined]]);
  });

  it('mixed insert → 207 with each outcome in input order', async () => {
    const account = [...emu.ctx.records('Accounts').values()][0]!;
    const before = emu.ctx.records('Contacts').size;
    const r = await call(emu, 'POST', '/crm/v8/Contacts', {
      token,
      json: {
        data: [
          { Last_Name: 'Okay', Account_Name: { id: account.id } },
          { First_Name: 'NoLast' },
          { Last_Name: 'BadMail', Email: 'not-an-email' },
          { Last_Name: 'BadLookup', Account_Name: { id: '4150868999999999999' } },
          { Last_Name: 'BadDate', Date_of_Birth: '1990-31-12' },
          { Last_Name: 'ReadOnly', Full_Name: 'x' },
          { Last_Name: 'Typo', Emial: 'x@y.z' },
          { Last_Name: 'x'.repeat(81) },
        ],
      },
    });
    expect(r.status).toBe(207);
    const d = r.body.data;
    expect(d).toHaveLength(8);
    expect(d[0]).toMatchObject({ code: 'SUCCESS', message: 'record added', status: 'success', details: { id: `${orgId()}000001000002` } });
    expect(d.slice(1)).toEqual([
      { code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Last_Name', json_path: '$.data[1].Last_Name' }, message: 'required field not found', status: 'error' },
      { code: 'INVALID_DATA', details: { expected_data_type: 'email', api_name: 'Email', json_path: '$.data[2].Email' }, message: 'invalid data', status: 'error' },
      { code: 'INVALID_DATA', details: { api_name: 'Account_Name', json_path: '$.data[3].Account_Name.id' }, message: 'the id given seems to be invalid', status: 'error' },
      { code: 'INVALID_DATA', details: { expected_data_type: 'date', api_name: 'Date_of_Birth', json_path: '$.data[4].Date_of_Birth' }, message: 'invalid data', status: 'error' },
      { code: 'NOT_ALLOWED', details: { api_name: 'Full_Name', json_path: '$.data[5].Full_Name' }, message: 'the field is read only', status: 'error' },
      { code: 'INVALID_DATA', details: { api_name: 'Emial', json_path: '$.data[6].Emial' }, message: 'the field api name given seems to be invalid', status: 'error' },
      { code: 'INVALID_DATA', details: { maximum_length: 80, api_name: 'Last_Name', json_path: '$.data[7].Last_Name' }, message: 'invalid data', status: 'error' },
    ]);
    expect(emu.ctx.records('Contacts').size).toBe(before + 1);
    const created = emu.ctx.records('Contacts').get(`${orgId()}000001000002`)!;
    expect(created.Account_Name).toEqual({ name: account.Account_Name, id: account.id });
  });

  it('type-checks integer, boolean, currency, picklist and datetime values', async () => {
    const r = await call(emu, 'POST', '/crm/v8/Leads', {
      token,
      json: {
        data: [
          { Last_Name: 'A', No_of_Employees: '12' },
          { Last_Name: 'B', Email_Opt_Out: 'yes' },
          { Last_Name: 'C', Annual_Revenue: 'lots' },
          { Last_Name: 'D', Lead_Status: 'Hot' },
        ],
      },
    });
    expect(r.status).toBe(400); // none succeeded
    expect(r.body.data.map((o: { code: string; details: Record<string, unknown> }) => [o.code, o.details.api_name, o.details.expected_data_type ?? o.details.supported_values])).toEqual([
      ['INVALID_DATA', 'No_of_Employees', 'integer'],
      ['INVALID_DATA', 'Email_Opt_Out', 'boolean'],
      ['INVALID_DATA', 'Annual_Revenue', 'currency'],
      ['INVALID_DATA', 'Lead_Status', ['Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead', 'Not Contacted', 'Pre-Qualified']],
    ]);
  });

  it('refuses 150 records with LIMIT_EXCEEDED and writes none (crm-oas updateRecord response-400-limitexceedederror.md)', async () => {
    const before = emu.ctx.records('Leads').size;
    const data = Array.from({ length: 150 }, (_, i) => ({ Last_Name: `Bulk ${i}` }));
    const r = await call(emu, 'POST', '/crm/v8/Leads', { token, json: { data } });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ data: [{ code: 'LIMIT_EXCEEDED', details: { maximum_length: 100, api_name: 'data' }, message: 'count of records in your request exceeds the limit', status: 'error' }] });
    expect(emu.ctx.records('Leads').size).toBe(before);
    const hundred = await call(emu, 'POST', '/crm/v8/Leads', { token, json: { data: data.slice(0, 100) } });
    expect(hundred.status).toBe(201);
    expect(emu.ctx.records('Leads').size).toBe(before + 100);
  });

  it('answers a bad body, a missing data array, a bad trigger and an unknown module', async () => {
    const bad = await call(emu, 'POST', '/crm/v8/Leads', { token, headers: { 'content-type': 'application/json' }, form: { x: '{' } });
    expect([bad.status, bad.body]).toEqual([400, { code: 'INVALID_DATA', details: {}, message: 'either the request body or parameters is in wrong format', status: 'error' }]);
    const noData = await call(emu, 'POST', '/crm/v8/Leads', { token, json: { records: [] } });
    expect([noData.status, noData.body.code, noData.body.details]).toEqual([400, 'MANDATORY_NOT_FOUND', { api_name: 'data', json_path: '$.data' }]);
    const trig = await call(emu, 'POST', '/crm/v8/Leads', { token, json: { data: [{ Last_Name: 'T' }], trigger: ['email'] } });
    expect(trig.status).toBe(400);
    expect(trig.body.data[0].details.api_name).toBe('trigger');
    const mod = await call(emu, 'POST', '/crm/v8/Widgets', { token, json: { data: [{ Name: 'x' }] } });
    expect([mod.status, mod.body.code]).toEqual([400, 'INVALID_MODULE']);
  });

  it('PUT /{module} updates by id → 207 for mixed outcomes (crm-oas updateRecords response-207-mixedresults.md)', async () => {
    events.length = 0;
    const [a, b] = [...emu.ctx.records('Deals').values()];
    const r = await call(emu, 'PUT', '/crm/v8/Deals', {
      token,
      json: { data: [{ id: a!.id, Amount: 1234.5, Stage: 'Closed Won' }, { Amount: 1 }, { id: '4150868999999999999', Amount: 2 }, { id: b!.id, Stage: null }] },
    });
    expect(r.status).toBe(207);
    const by = { name: user().full_name, id: user().id };
    expect(r.body.data).toEqual([
      {
        code: 'SUCCESS',
        details: {
          Modified_Time: T0_ZOHO,
          Modified_By: by,
          Created_Time: a!.Created_Time,
          id: a!.id,
          Created_By: { name: (a!.Created_By as { name: string }).name, id: (a!.Created_By as { id: string }).id },
          $approval_state: 'approved',
        },
        message: 'record updated',
        status: 'success',
      },
      { code: 'MANDATORY_NOT_FOUND', details: { api_name: 'id', json_path: '$.data[1].id' }, message: 'required field not found', status: 'error' },
      { code: 'INVALID_DATA', details: { api_name: 'id', json_path: '$.data[2].id' }, message: 'the id given seems to be invalid', status: 'error' },
      { code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Stage', json_path: '$.data[3].Stage' }, message: 'required field not found', status: 'error' },
    ]);
    expect(emu.ctx.records('Deals').get(a!.id)).toMatchObject({ Amount: 1234.5, Stage: 'Closed Won', Modified_Time: T0_ZOHO });
    expect(events).toEqual([['Deals', 'update', [a!.id], ['Amount', 'Stage']]]);
  });

  it('PUT /{module}/{id} updates one record; an unknown id → 400', async () => {
    const lead = [...emu.ctx.records('Leads').values()][3]!;
    const r = await call(emu, 'PUT', `/crm/v8/Leads/${lead.id}`, { token, json: { data: [{ First_Name: 'Grace', Last_Name: 'Hopper' }] } });
    expect(r.status).toBe(200);
    expect(r.body.data[0]).toMatchObject({ code: 'SUCCESS', message: 'record updated', details: { id: lead.id } });
    expect(emu.ctx.records('Leads').get(lead.id)!.Full_Name).toBe('Grace Hopper');
    const none = await call(emu, 'PUT', '/crm/v8/Leads/4150868999999999999', { token, json: { data: [{ Last_Name: 'X' }] } });
    expect([none.status, none.body]).toEqual([400, { data: [{ code: 'INVALID_DATA', details: { resource_path_index: 1 }, message: 'the id given seems to be invalid', status: 'error' }] }]);
  });

  it('upserts on the duplicate check field (crm-oas upsertRecords response-200-success.md)', async () => {
    const lead = [...emu.ctx.records('Leads').values()][5]!;
    const r = await call(emu, 'POST', '/crm/v8/Leads/upsert', {
      token,
      json: {
        data: [
          { Last_Name: 'Matched', Email: String(lead.Email).toUpperCase() },
          { Last_Name: 'Fresh', Email: 'fresh@example.com' },
        ],
        duplicate_check_fields: ['Email'],
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.data[0]).toMatchObject({ code: 'SUCCESS', duplicate_field: 'Email', action: 'update', message: 'record updated', status: 'success', details: { id: lead.id } });
    expect(r.body.data[1]).toMatchObject({ code: 'SUCCESS', duplicate_field: 'Email', action: 'insert', message: 'record added', status: 'success' });
    expect(Object.keys(r.body.data[0])).toEqual(['code', 'duplicate_field', 'action', 'details', 'message', 'status']);
    expect(emu.ctx.records('Leads').get(lead.id)!.Last_Name).toBe('Matched');
    const mixed = await call(emu, 'POST', '/crm/v8/Leads/upsert', { token, json: { data: [{ Last_Name: 'Again', Email: 'fresh@example.com' }, { Email: 'nolast@example.com' }] } });
    expect(mixed.status).toBe(207);
    expect(mixed.body.data.map((o: { code: string; action?: string }) => [o.code, o.action])).toEqual([
      ['SUCCESS', 'update'],
      ['MANDATORY_NOT_FOUND', undefined],
    ]);
    const badField = await call(emu, 'POST', '/crm/v8/Leads/upsert', { token, json: { data: [{ Last_Name: 'Z' }], duplicate_check_fields: ['Nope'] } });
    expect(badField.status).toBe(400);
  });

  it('reports DUPLICATE_DATA on a unique field (crm-oas createRecords response-400-duplicatedataerror.md)', async () => {
    const original = emu.ctx.modules;
    // Mark Accounts.Website "Do not allow duplicate values" for this test only.
    emu.ctx.modules = original.map((m) => (m.api_name !== 'Accounts' ? m : { ...m, fields: m.fields.map((f) => (f.api_name === 'Website' ? { ...f, unique: true } : f)) }));
    try {
      const acc = [...emu.ctx.records('Accounts').values()][0]!;
      const owner = emu.ctx.data.users.find((u) => u.id === (acc.Owner as { id: string }).id)!;
      const r = await call(emu, 'POST', '/crm/v8/Accounts', { token, json: { data: [{ Account_Name: 'Dup Co', Website: acc.Website }] } });
      expect(r.status).toBe(400);
      expect(r.body).toEqual({
        data: [
          {
            code: 'DUPLICATE_DATA',
            details: {
              api_name: 'Website',
              duplicate_record: { Owner: { name: owner.full_name, id: owner.id, zuid: owner.zuid }, id: acc.id },
              json_path: '$.data[0].Website',
              id: acc.id,
              more_records: false,
            },
            message: 'duplicate data',
            status: 'error',
          },
        ],
      });
    } finally {
      emu.ctx.modules = original;
    }
  });

  it('DELETE ?ids= → per-id outcomes (crm-oas deleteRecords response-207-mixedresults.md); DELETE /{id}', async () => {
    events.length = 0;
    const [a, b, c] = [...emu.ctx.records('Contacts').values()];
    const r = await call(emu, 'DELETE', '/crm/v8/Contacts', { token, query: { ids: `${a!.id},4150868999999999999,${b!.id}` } });
    expect(r.status).toBe(207);
    expect(r.body).toEqual({
      data: [
        { code: 'SUCCESS', details: { id: a!.id }, message: 'record deleted', status: 'success' },
        { code: 'INVALID_DATA', details: { id: '4150868999999999999' }, message: 'record not deleted', status: 'error' },
        { code: 'SUCCESS', details: { id: b!.id }, message: 'record deleted', status: 'success' },
      ],
    });
    expect(emu.ctx.records('Contacts').has(a!.id)).toBe(false);
    const missing = await call(emu, 'DELETE', '/crm/v8/Contacts', { token });
    expect([missing.status, missing.body]).toEqual([400, { code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'ids' }, message: 'One of the expected parameter is missing', status: 'error' }]);
    const one = await call(emu, 'DELETE', `/crm/v8/Contacts/${c!.id}`, { token });
    expect([one.status, one.body]).toEqual([200, { data: [{ code: 'SUCCESS', details: { id: c!.id }, message: 'record deleted', status: 'success' }] }]);
    const again = await call(emu, 'DELETE', `/crm/v8/Contacts/${c!.id}`, { token });
    expect([again.status, again.body]).toEqual([400, { code: 'INVALID_DATA', details: { resource_path_index: 1 }, message: 'invalid record id', status: 'error' }]);
    expect(events).toEqual([
      ['Contacts', 'delete', [a!.id, b!.id], undefined],
      ['Contacts', 'delete', [c!.id], undefined],
    ]);
  });

  it('checks the write scopes: READ cannot create, CREATE alone can upsert, DELETE is its own', async () => {
    const readOnly = mintToken(emu, ['ZohoCRM.modules.Leads.READ']);
    const r = await call(emu, 'POST', '/crm/v8/Leads', { token: readOnly, json: { data: [{ Last_Name: 'X' }] } });
    expect([r.status, r.body.details]).toEqual([401, { required_scope: 'ZohoCRM.modules.Leads.CREATE' }]);
    const u = await call(emu, 'PUT', '/crm/v8/Leads', { token: readOnly, json: { data: [{ id: '1', Last_Name: 'X' }] } });
    expect([u.status, u.body.details]).toEqual([401, { required_scope: 'ZohoCRM.modules.Leads.UPDATE' }]);
    const create = mintToken(emu, ['ZohoCRM.modules.Leads.CREATE']);
    const up = await call(emu, 'POST', '/crm/v8/Leads/upsert', { token: create, json: { data: [{ Last_Name: 'Scoped', Email: 'scoped@example.com' }] } });
    expect(up.status).toBe(200);
    const del = await call(emu, 'DELETE', '/crm/v8/Leads', { token: create, query: { ids: '1' } });
    expect([del.status, del.body.details]).toEqual([401, { required_scope: 'ZohoCRM.modules.Leads.DELETE' }]);
  });
});
