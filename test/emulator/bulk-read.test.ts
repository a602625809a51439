import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRows } from '../../src/export/csv.js';
import { firstZipEntry } from '../../src/export/unzip.js';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';

/**
 * The emulator's Bulk Read API against Zoho's documents (src/emulator/routes/bulk-read.ts cites
 * them): job creation, the state a poll sees, paging by `query.page`, the ZIP/CSV result, scopes
 * and errors.
 */

async function csvOf(emu: ZohoEmulator, token: string, jobId: string): Promise<{ status: number; type: string | null; rows: string[][] }> {
  const res = await fetch(`${emu.url}/crm/bulk/v8/read/${jobId}/result`, { headers: { authorization: `Zoho-oauthtoken ${token}` } });
  if (res.status !== 200) return { status: res.status, type: res.headers.get('content-type'), rows: [] };
  const rows: string[][] = [];
  for await (const r of csvRows(firstZipEntry(res.body as unknown as AsyncIterable<Uint8Array>))) rows.push(r);
  return { status: res.status, type: res.headers.get('content-type'), rows };
}

describe('emulator: Bulk Read API', () => {
  let emu: ZohoEmulator;
  let token: string;
  const create = (json: unknown, t: string | null = token) => call(emu, 'POST', '/crm/bulk/v8/read', { token: t, json });
  const details = (id: string, t = token) => call(emu, 'GET', `/crm/bulk/v8/read/${id}`, { token: t });

  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator({ seed: { leads: 450 }, bulkRead: { perPage: 200 } }));
  });
  afterAll(() => emu?.close());

  it('creates a job (201 ADDED_SUCCESSFULLY), which a poll sees ADDED → IN PROGRESS → COMPLETED with its result', async () => {
    const c = await create({ query: { module: { api_name: 'Leads' }, fields: ['Last_Name', 'Annual_Revenue'] } });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ data: [{ status: 'success', code: 'ADDED_SUCCESSFULLY', message: 'Added successfully.', details: { operation: 'read', state: 'ADDED' } }], info: {} });
    const id = c.body.data[0].details.id as string;
    expect(c.body.data[0].details.created_by).toMatchObject({ id: expect.any(String), name: expect.any(String) });
    const first = await details(id);
    expect(first.body.data[0]).toMatchObject({ id, operation: 'read', state: 'IN PROGRESS', file_type: 'csv', query: { module: { api_name: 'Leads' }, page: 1 } });
    expect(first.body.data[0].result).toBeUndefined();
    const done = await details(id);
    expect(done.body.data[0]).toMatchObject({ state: 'COMPLETED', result: { page: 1, per_page: 200, count: 200, more_records: true, download_url: `/crm/bulk/v8/read/${id}/result` } });
    const file = await csvOf(emu, token, id);
    expect(file.type).toBe('application/x-download');
    expect(file.rows[0]).toEqual(['id', 'Last_Name', 'Annual_Revenue']);
    expect(file.rows).toHaveLength(201);
  });

  it('pages by query.page: page 3 holds the rest and more_records is false', async () => {
    const c = await create({ query: { module: { api_name: 'Leads' }, fields: ['Last_Name'], page: 3 } });
    const id = c.body.data[0].details.id as string;
    await details(id);
    const done = await details(id);
    expect(done.body.data[0].result).toMatchObject({ page: 3, count: 50, more_records: false });
    const ids = (await csvOf(emu, token, id)).rows.slice(1).map((r) => r[0]);
    const all = [...emu.ctx.records('Leads').keys()].sort((a, b) => (a.padStart(20, '0') < b.padStart(20, '0') ? -1 : 1));
    expect(ids).toEqual(all.slice(400));
  });

  it('filters with JSON criteria (group_operator and group)', async () => {
    const c = await create({
      query: {
        module: { api_name: 'Leads' },
        fields: ['Lead_Source', 'No_of_Employees'],
        criteria: {
          group_operator: 'and',
          group: [
            { field: { api_name: 'Lead_Source' }, comparator: 'equal', value: 'Cold Call' },
            { field: { api_name: 'No_of_Employees' }, comparator: 'greater_equal', value: '250' },
          ],
        },
      },
    });
    const id = c.body.data[0].details.id as string;
    await details(id);
    await details(id);
    const rows = (await csvOf(emu, token, id)).rows.slice(1);
    const expected = [...emu.ctx.records('Leads').values()].filter((r) => r.Lead_Source === 'Cold Call' && (r.No_of_Employees as number) >= 250);
    expect(rows.length).toBe(Math.min(200, expected.length));
    for (const r of rows) expect(r[1] === 'Cold Call' && Number(r[2]) >= 250).toBe(true);
  });

  it('a job made to fail ends in FAILURE and has no result to download', async () => {
    emu.bulkReads.failNext();
    const id = (await create({ query: { module: { api_name: 'Leads' } } })).body.data[0].details.id as string;
    await details(id);
    const failed = await details(id);
    expect(failed.body.data[0].state).toBe('FAILURE');
    expect(failed.body.data[0].result).toBeUndefined();
    expect((await csvOf(emu, token, id)).status).toBe(400);
  });

  it('answers an unknown job with 404 RESOURCE_NOT_FOUND', async () => {
    const r = await details('4150868000009999999');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ code: 'RESOURCE_NOT_FOUND', status: 'error' });
  });

  it('needs ZohoCRM.bulk.READ and the module’s read scope', async () => {
    const noBulk = mintToken(emu, ['ZohoCRM.modules.ALL']);
    const r = await create({ query: { module: { api_name: 'Leads' } } }, noBulk);
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ code: 'OAUTH_SCOPE_MISMATCH', details: { required_scope: 'ZohoCRM.bulk.READ' } });
    const noLeads = mintToken(emu, ['ZohoCRM.bulk.READ', 'ZohoCRM.modules.Contacts.READ']);
    const l = await create({ query: { module: { api_name: 'Leads' } } }, noLeads);
    expect(l.body).toMatchObject({ code: 'OAUTH_SCOPE_MISMATCH', details: { required_scope: 'ZohoCRM.modules.Leads.READ' } });
  });

  it('refuses bad requests with the codes of the OAS error list', async () => {
    expect((await call(emu, 'POST', '/crm/bulk/v8/read', { token })).body.code).toBe('REQUEST_BODY_IS_EMPTY');
    expect((await create({ query: { module: { api_name: 'Nope' } } })).body.code).toBe('MODULE_NOT_AVAILABLE');
    expect((await create({ query: { module: { api_name: 'Leads' }, fields: ['Nope'] } })).body).toMatchObject({ code: 'FIELD_NOT_SUPPORTED', details: { api_name: 'Nope' } });
    expect((await create({ query: { module: { api_name: 'Leads' }, criteria: { field: { api_name: 'Last_Name' }, comparator: 'greater_than', value: 'x' } } })).body.code).toBe(
      'FIELD_COMPARATOR_IN_CRITERIA_NOT_SUPPORTED',
    );
    expect((await create({ query: { module: { api_name: 'Leads' }, criteria: { group_operator: 'xor', group: [] } } })).body.code).toBe('GROUP_OPERATOR_NOT_SUPPORTED');
    expect((await create({ callback: { url: 'ftp://x', method: 'post' }, query: { module: { api_name: 'Leads' } } })).body.code).toBe('INVALID_CALLBACK_URL');
    expect((await create({ callback: { url: 'https://x.example/cb', method: 'get' }, query: { module: { api_name: 'Leads' } } })).body.code).toBe('INVALID_CALLBACK_METHOD');
  });

  it('POSTs the job to the callback URL when it completes', async () => {
    const { createServer } = await import('node:http');
    const got: unknown[] = [];
    const server = createServer((req, res) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => {
        got.push(JSON.parse(b));
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const id = (await create({ callback: { url: `http://127.0.0.1:${port}/cb`, method: 'post' }, query: { module: { api_name: 'Leads' }, fields: ['Last_Name'] } })).body.data[0].details.id;
      await details(id);
      await details(id);
      for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(got).toEqual([expect.objectContaining({ job_id: id, operation: 'read', state: 'COMPLETED', result: expect.objectContaining({ count: 200 }) })]);
    } finally {
      server.close();
    }
  });
});

describe('emulator: Bulk Read API and field permissions', () => {
  it('leaves fields hidden from the user’s profile out of the file, as the record routes do', async () => {
    const { emu, token } = await startTestEmulator({ seed: { deals: 5 } });
    try {
      const c = await call(emu, 'POST', '/crm/bulk/v8/read', { token, json: { query: { module: { api_name: 'Deals' }, fields: ['Deal_Name', 'Internal_Margin'] } } });
      const id = c.body.data[0].details.id as string;
      await call(emu, 'GET', `/crm/bulk/v8/read/${id}`, { token });
      await call(emu, 'GET', `/crm/bulk/v8/read/${id}`, { token });
      expect((await csvOf(emu, token, id)).rows[0]).toEqual(['id', 'Deal_Name']);
    } finally {
      await emu.close();
    }
  });
});

describe('emulator: Bulk Read API on the emulator’s clock', () => {
  it('with completeAfterMs a job completes when that much emulator time has passed, however often it is polled', async () => {
    let now = Date.parse('2026-06-01T10:00:00Z');
    const { emu, token } = await startTestEmulator({ now: () => now, seed: { leads: 10 }, bulkRead: { completeAfterMs: 60_000 } });
    try {
      const id = (await call(emu, 'POST', '/crm/bulk/v8/read', { token, json: { query: { module: { api_name: 'Leads' } } } })).body.data[0].details.id as string;
      for (let i = 0; i < 3; i++) expect((await call(emu, 'GET', `/crm/bulk/v8/read/${id}`, { token })).body.data[0].state).toBe('IN PROGRESS');
      now += 60_000;
      expect((await call(emu, 'GET', `/crm/bulk/v8/read/${id}`, { token })).body.data[0]).toMatchObject({ state: 'COMPLETED', result: { count: 10, more_records: false } });
    } finally {
      await emu.close();
    }
  });
});
