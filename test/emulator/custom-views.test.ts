import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';

/**
 * Custom views in the emulator: the metadata (crm-oas v8.0/custom_views.json and its
 * getCustomViews examples), `cvid` on Get Records (getRecords operation.md, response-400-invalidcvid.md),
 * its refusal beside `sort_by` (D v5 get-records.html), and a view id in COQL's FROM (Kaizen #183).
 */
describe('emulator custom views', () => {
  let emu: ZohoEmulator;
  let token: string;
  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator({ seed: { deals: 300 } }));
  });
  afterAll(() => emu.close());

  const dealsView = () => emu.ctx.customViews.list('Deals').find((v) => v.name === 'Closed Won Deals')!;

  it('lists a module’s views as Zoho does, with the default view in info', async () => {
    const r = await call(emu, 'GET', '/crm/v8/settings/custom_views', { token, query: { module: 'Deals' } });
    expect(r.status).toBe(200);
    const names = r.body.custom_views.map((v: { name: string }) => v.name);
    expect(names).toEqual(['All Deals', 'Closed Won Deals']);
    expect(r.body.custom_views[0]).toMatchObject({ system_defined: true, default: true, category: 'public_views', id: expect.stringMatching(/^\d{19}$/) });
    expect(r.body.info).toMatchObject({ default: r.body.custom_views[0].id, count: 2, page: 1, more_records: false, per_page: 200 });
    const one = await call(emu, 'GET', `/crm/v8/settings/custom_views/${dealsView().id}`, { token, query: { module: 'Deals' } });
    expect(one.body.custom_views[0]).toMatchObject({ criteria: { comparator: 'equal', field: { api_name: 'Stage' }, value: 'Closed Won' }, sort_by: { api_name: 'Amount' }, sort_order: 'desc' });
  });

  it('answers INVALID_MODULE for an unknown module and needs the custom views scope', async () => {
    const bad = await call(emu, 'GET', '/crm/v8/settings/custom_views', { token, query: { module: 'Nope' } });
    expect([bad.status, bad.body.code]).toEqual([400, 'INVALID_MODULE']);
    const noScope = mintToken(emu, ['ZohoCRM.modules.ALL']);
    const refused = await call(emu, 'GET', '/crm/v8/settings/custom_views', { token: noScope, query: { module: 'Deals' } });
    expect([refused.status, refused.body.code]).toEqual([401, 'OAUTH_SCOPE_MISMATCH']);
    const narrow = mintToken(emu, ['ZohoCRM.settings.custom_views.READ']);
    expect((await call(emu, 'GET', '/crm/v8/settings/custom_views', { token: narrow, query: { module: 'Deals' } })).status).toBe(200);
  });

  it('honours cvid on Get Records: the view’s records in the view’s sort', async () => {
    const r = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Stage,Amount', cvid: dealsView().id } });
    expect(r.status).toBe(200);
    const won = [...emu.ctx.records('Deals').values()].filter((d) => d.Stage === 'Closed Won');
    expect(won.length).toBeGreaterThan(0);
    expect(r.body.data).toHaveLength(Math.min(200, won.length));
    expect(r.body.data.every((d: { Stage: string }) => d.Stage === 'Closed Won')).toBe(true);
    const amounts = r.body.data.map((d: { Amount: number | null }) => d.Amount ?? -Infinity);
    expect(amounts).toEqual([...amounts].sort((a: number, b: number) => b - a));
    // sort_order alone turns the view's order around.
    const asc = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Amount', cvid: dealsView().id, sort_order: 'asc' } });
    expect((asc.body.data[0].Amount ?? -Infinity) <= (asc.body.data.at(-1).Amount ?? -Infinity)).toBe(true);
  });

  it('refuses cvid with sort_by, and a view of another module', async () => {
    const pair = await call(emu, 'GET', '/crm/v8/Deals', { token, query: { fields: 'Stage', cvid: dealsView().id, sort_by: 'Modified_Time' } });
    expect([pair.status, pair.body.code]).toEqual([400, 'AMBIGUITY_DURING_PROCESSING']);
    const other = await call(emu, 'GET', '/crm/v8/Leads', { token, query: { fields: 'Last_Name', cvid: dealsView().id } });
    expect([other.status, other.body]).toEqual([400, { code: 'INVALID_DATA', details: { param_name: 'cvid' }, message: 'invalid data', status: 'error' }]);
  });

  it('reads a custom view named in COQL’s FROM', async () => {
    const q = `select Deal_Name, Stage from ${dealsView().id} where Deal_Name is not null limit 2000`;
    const r = await call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query: q } });
    expect(r.status).toBe(200);
    const won = [...emu.ctx.records('Deals').values()].filter((d) => d.Stage === 'Closed Won').length;
    expect(r.body.data).toHaveLength(won);
    expect(r.body.data.every((d: { Stage: string }) => d.Stage === 'Closed Won')).toBe(true);
    const unknown = await call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query: 'select Deal_Name from 4150868000000000999 where Deal_Name is not null' } });
    expect(unknown.status).toBe(400);
  });
});
