import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';

/**
 * Two documented quirks of Zoho's Search API (crm-oas v8.0/module_search/mds/searchRecords.md):
 * the index lags writes (204 right after a create or edit; COQL and Get Records see the write),
 * and `equals` on a single-line field matches values that differ only in `{ } [ ] ^ : - / ! ? * _ @`
 * or spaces.
 */
describe('emulator search: index lag and separator-insensitive equals', () => {
  let emu: ZohoEmulator;
  let token: string;
  const clock = { t: Date.UTC(2025, 5, 1, 12) };
  beforeAll(async () => {
    ({ emu } = await startTestEmulator({ searchIndexLagMs: 5_000, now: () => clock.t }));
    token = mintToken(emu);
  });
  afterAll(() => emu.close());

  const search = (criteria: string) => call(emu, 'GET', '/crm/v8/Leads/search', { token, query: { criteria, fields: 'Last_Name,Email' } });
  const ids = (r: { status: number; body: any }) => (r.status === 204 ? [] : (r.body.data as Array<{ id: string }>).map((d) => d.id).sort());

  it('answers 204 for a record created within the lag, while Get Records and COQL already see it', async () => {
    const created = await call(emu, 'POST', '/crm/v8/Leads', { token, json: { data: [{ Last_Name: 'Zyxwvut', Company: 'Lag' }] } });
    const id = created.body.data[0].details.id as string;
    expect((await search('(Last_Name:equals:Zyxwvut)')).status).toBe(204);
    expect((await call(emu, 'GET', `/crm/v8/Leads/${id}`, { token })).status).toBe(200);
    const coql = await call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query: "select Last_Name from Leads where Last_Name = 'Zyxwvut'" } });
    expect(coql.body.data.map((r: { id: string }) => r.id)).toEqual([id]);
    clock.t += 5_000;
    expect(ids(await search('(Last_Name:equals:Zyxwvut)'))).toEqual([id]);
  });

  it('matches an edited record by its old values until the edit is indexed', async () => {
    const created = await call(emu, 'POST', '/crm/v8/Leads', { token, json: { data: [{ Last_Name: 'Oldname', Company: 'Lag' }] } });
    const id = created.body.data[0].details.id as string;
    clock.t += 5_000;
    await call(emu, 'PUT', '/crm/v8/Leads', { token, json: { data: [{ id, Last_Name: 'Newname' }] } });
    clock.t += 4_000;
    expect(ids(await search('(Last_Name:equals:Oldname)'))).toEqual([id]);
    expect((await search('(Last_Name:equals:Newname)')).status).toBe(204);
    clock.t += 1_000;
    expect((await search('(Last_Name:equals:Oldname)')).status).toBe(204);
    expect(ids(await search('(Last_Name:equals:Newname)'))).toEqual([id]);
  });

  it('equals finds values that differ only in the listed characters (sales-team@ and sales_team@)', async () => {
    const made = await call(emu, 'POST', '/crm/v8/Leads', {
      token,
      json: {
        data: [
          { Last_Name: 'Dash', Email: 'sales-team@zoho.example' },
          { Last_Name: 'Under', Email: 'sales_team@zoho.example' },
          { Last_Name: 'Other', Email: 'salesteam@zoho.example' },
        ],
      },
    });
    const [dash, under] = made.body.data.map((d: { details: { id: string } }) => d.details.id as string);
    clock.t += 5_000;
    expect(ids(await search('(Email:equals:sales-team@zoho.example)'))).toEqual([dash, under].sort());
    expect(ids(await search('(Email:equals:sales_team@zoho.example)'))).toEqual([dash, under].sort());
    // starts_with stays exact (UNVERIFIED whether Zoho folds there too).
    expect(ids(await search('(Email:starts_with:sales-team)'))).toEqual([dash]);
  });
});
