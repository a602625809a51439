import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import type { ZRecord } from '../../src/emulator/seed.js';
import { call, startTestEmulator } from '../helpers/emulator.js';

/**
 * COQL as a typed filter compiler sends it: bracketed and/or pairs, ORDER BY with a tie-breaker,
 * LIMIT with OFFSET, and one criterion per field type. Expected rows are computed from the
 * emulator's store, so each assertion checks the emulator's reading of the query, not a constant.
 * Operators per type: https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html
 * ("Field Types and their Comparators"); pagination: "The default value for LIMIT is 200 and OFFSET
 * is 0" (https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html).
 */

describe('COQL from a typed filter compiler', () => {
  let emu: ZohoEmulator;
  let token: string;
  let deals: ZRecord[];
  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator());
    deals = [...emu.ctx.records('Deals').values()];
  });
  afterAll(() => emu.close());

  const coql = (select_query: string) => call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query } });
  const byId = (a: ZRecord, b: ZRecord) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1);
  /** Ids the query answers (up to 2,000 rows), in order. */
  const ids = async (q: string): Promise<string[]> => {
    const r = await coql(q);
    if (r.status === 204) return [];
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.data.map((row: { id: string }) => row.id);
  };
  const expectIds = (rows: ZRecord[]) => rows.sort(byId).map((r) => r.id);

  it('((A and B) or C) order by Amount desc, id asc, limit 20 offset 10 — and the same page as `limit 10, 20`', async () => {
    const where = "((Stage = 'Qualification' and Amount > 1000) or Is_Strategic = true)";
    const matching = deals.filter((d) => (d.Stage === 'Qualification' && (d.Amount as number) > 1000) || d.Is_Strategic === true);
    const sorted = [...matching].sort((a, b) => (b.Amount as number) - (a.Amount as number) || byId(a, b));
    const want = sorted.slice(10, 30).map((d) => d.id);
    expect(want).toHaveLength(20);
    const r = await coql(`select Deal_Name, Amount, Stage from Deals where ${where} order by Amount desc, id asc limit 20 offset 10`);
    expect(r.body.data.map((d: { id: string }) => d.id)).toEqual(want);
    expect(r.body.info).toEqual({ count: 20, more_records: sorted.length > 30 });
    expect(r.body.data[0]).toEqual({ Deal_Name: sorted[10]!.Deal_Name, Amount: sorted[10]!.Amount, Stage: sorted[10]!.Stage, id: sorted[10]!.id });
    expect(await ids(`select Deal_Name from Deals where ${where} order by Amount desc, id asc limit 10, 20`)).toEqual(want);
  });

  it('text and picklist: =, !=, like prefix/contains, in, not in, is null, is not null', async () => {
    const name = deals[3]!.Deal_Name as string;
    expect(await ids(`select id from Deals where Deal_Name = '${name}' limit 2000`)).toEqual(expectIds(deals.filter((d) => d.Deal_Name === name)));
    expect(await ids("select id from Deals where Stage != 'Closed Won' limit 2000")).toEqual(expectIds(deals.filter((d) => d.Stage !== 'Closed Won')));
    expect(await ids("select id from Deals where Deal_Name like 'acme%' limit 2000")).toEqual(expectIds(deals.filter((d) => /^acme/i.test(d.Deal_Name as string))));
    expect(await ids("select id from Deals where Deal_Name like '%Pilot%' limit 2000")).toEqual(expectIds(deals.filter((d) => /pilot/i.test(d.Deal_Name as string))));
    expect(await ids("select id from Deals where Stage in ('Closed Won', 'Closed Lost') limit 2000")).toEqual(expectIds(deals.filter((d) => d.Stage === 'Closed Won' || d.Stage === 'Closed Lost')));
    expect(await ids("select id from Deals where Stage not in ('Closed Won', 'Closed Lost') limit 2000")).toEqual(
      expectIds(deals.filter((d) => d.Stage !== 'Closed Won' && d.Stage !== 'Closed Lost')),
    );
    const contacts = [...emu.ctx.records('Contacts').values()];
    expect(await ids('select id from Contacts where Mobile is null limit 2000')).toEqual(expectIds(contacts.filter((c) => c.Mobile === null)));
    expect(await ids('select id from Deals where Lead_Source is not null limit 2000')).toEqual(expectIds(deals.filter((d) => d.Lead_Source !== null)));
  });

  it('a string with a doubled single quote matches the value with one quote (Kaizen #171)', async () => {
    const ins = await call(emu, 'POST', '/crm/v8/Deals', { token, json: { data: [{ Deal_Name: "O'Brien Expansion", Stage: 'Qualification' }] } });
    const id = ins.body.data[0].details.id as string;
    expect(await ids("select id from Deals where Deal_Name = 'O''Brien Expansion'")).toEqual([id]);
    expect(await ids("select id from Deals where Deal_Name like 'O''Brien%'")).toEqual([id]);
    await call(emu, 'DELETE', `/crm/v8/Deals/${id}`, { token });
  });

  it('numbers, dates and date-times: > >= < <= between; booleans: =', async () => {
    expect(await ids('select id from Deals where Amount >= 150000 limit 2000')).toEqual(expectIds(deals.filter((d) => (d.Amount as number) >= 150000)));
    expect(await ids('select id from Deals where Win_Chance < 12.5 limit 2000')).toEqual(expectIds(deals.filter((d) => (d.Win_Chance as number) < 12.5)));
    expect(await ids('select id from Deals where Lead_Score between 10 and 20 limit 2000')).toEqual(expectIds(deals.filter((d) => (d.Lead_Score as number) >= 10 && (d.Lead_Score as number) <= 20)));
    expect(await ids("select id from Deals where Go_Live_Date <= '2025-04-01' limit 2000")).toEqual(
      expectIds(deals.filter((d) => d.Go_Live_Date !== null && (d.Go_Live_Date as string) <= '2025-04-01')),
    );
    expect(await ids('select id from Deals where Go_Live_Date is null limit 2000')).toEqual(expectIds(deals.filter((d) => d.Go_Live_Date === null)));
    const t = '2025-01-08T12:00:00+00:00';
    expect(await ids(`select id from Deals where Created_Time > '${t}' limit 2000`)).toEqual(expectIds(deals.filter((d) => Date.parse(d.Created_Time as string) > Date.parse(t))));
    // The same instant in another offset selects the same records.
    expect(await ids("select id from Deals where Created_Time > '2025-01-08T07:00:00-05:00' limit 2000")).toEqual(await ids(`select id from Deals where Created_Time > '${t}' limit 2000`));
    expect(await ids('select id from Deals where Is_Strategic = false limit 2000')).toEqual(expectIds(deals.filter((d) => d.Is_Strategic === false)));
    // The formula compares as its return type (currency).
    expect(await ids('select id from Deals where Weighted_Amount > 50000 limit 2000')).toEqual(expectIds(deals.filter((d) => (d.Weighted_Amount as number) > 50000)));
  });

  it('lookups and owners by id: =, in, and the .id path; multi-select: = and in match a chosen value', async () => {
    const acc = (deals[0]!.Account_Name as { id: string }).id;
    const acc2 = (deals[1]!.Account_Name as { id: string }).id;
    const onAcc = (d: ZRecord, a: string) => (d.Account_Name as { id: string } | null)?.id === a;
    expect(await ids(`select id from Deals where Account_Name = '${acc}' limit 2000`)).toEqual(expectIds(deals.filter((d) => onAcc(d, acc))));
    expect(await ids(`select id from Deals where Account_Name = ${acc} limit 2000`)).toEqual(expectIds(deals.filter((d) => onAcc(d, acc))));
    expect(await ids(`select id from Deals where Account_Name.id in ('${acc}', '${acc2}') limit 2000`)).toEqual(expectIds(deals.filter((d) => onAcc(d, acc) || onAcc(d, acc2))));
    const owner = emu.ctx.data.users[1]!.id;
    expect(await ids(`select id from Deals where Owner = '${owner}' limit 2000`)).toEqual(expectIds(deals.filter((d) => (d.Owner as { id: string }).id === owner)));
    const regions = (d: ZRecord) => d.Regions as string[];
    expect(await ids("select id from Deals where Regions = 'EMEA' limit 2000")).toEqual(expectIds(deals.filter((d) => regions(d).includes('EMEA'))));
    expect(await ids("select id from Deals where Regions in ('EMEA', 'LATAM') limit 2000")).toEqual(expectIds(deals.filter((d) => regions(d).includes('EMEA') || regions(d).includes('LATAM'))));
    expect(await ids("select id from Deals where Regions not in ('EMEA') limit 2000")).toEqual(expectIds(deals.filter((d) => regions(d).length > 0 && !regions(d).includes('EMEA'))));
    expect(await ids('select id from Deals where Regions is null limit 2000')).toEqual(expectIds(deals.filter((d) => regions(d).length === 0)));
  });

  it('refuses what the comparator table does not list, as INVALID_QUERY', async () => {
    for (const q of [
      'select id from Deals where Is_Strategic != true',
      'select id from Deals where Is_Strategic is null',
      "select id from Deals where Regions like '%EM%'",
      "select id from Deals where Account_Name like '41%'",
    ]) {
      const r = await coql(q);
      expect([q, r.status, r.body.code, r.body.details.reason]).toEqual([q, 400, 'INVALID_QUERY', 'invalid operator found']);
    }
    // "You cannot use multi-line fields such as Description … in criteria" (v8 COQL-Limitations.html).
    const ta = await coql('select id from Deals where Description is null');
    expect([ta.status, ta.body.message]).toEqual([400, 'unsupported column in criteria']);
    // Date-times carry a numeric offset (the GRQ sample '2023-05-28T04:25:36-07:00'); a bare Z is refused (UNVERIFIED).
    const z = await coql("select id from Deals where Created_Time > '2025-01-08T12:00:00Z'");
    expect([z.status, z.body.code]).toEqual([400, 'INVALID_QUERY']);
  });

  it('answers lookups and owners as {name, id}, multi-selects as arrays, formulas as numbers, subforms as row arrays', async () => {
    const d = deals.find((x) => (x.Line_Items as unknown[]).length > 0 && (x.Regions as unknown[]).length > 0)!;
    const r = await coql(`select Account_Name, Owner, Regions, Weighted_Amount, Line_Items from Deals where id = ${d.id}`);
    const owner = emu.ctx.data.users.find((u) => u.id === (d.Owner as { id: string }).id)!;
    expect(r.body.data).toEqual([
      {
        Account_Name: { name: (d.Account_Name as { name: string }).name, id: (d.Account_Name as { id: string }).id },
        // v7+: "for the Users module, only the last_name is shown" (GRQ, lookup display names).
        Owner: { name: owner.last_name, id: owner.id },
        Regions: d.Regions,
        Weighted_Amount: d.Weighted_Amount,
        Line_Items: d.Line_Items,
        id: d.id,
      },
    ]);
  });
});
