import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CreateRecordsDocument, DeleteRecordsDocument, UpdateRecordsDocument, UpsertRecordsDocument, ZohoRequestDocument } from '../gql/graphql.js';
import { errorOf } from '../helpers/errors.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import type { EmulatorRequest } from '../../src/emulator/router.js';

const WRITE_ROUTES = ['POST /crm/v8/:module', 'PUT /crm/v8/:module', 'POST /crm/v8/:module/upsert', 'DELETE /crm/v8/:module'];

describe('record mutations through GraphQL', () => {
  let h: Harness;
  /** Bodies of the write calls the emulator received (captured by a fault that never fires). */
  let bodies: { route: string; body: Record<string, unknown> }[];
  const writes = () => h.us.count((c) => WRITE_ROUTES.includes(c.route));
  const leads = () => h.us.ctx.records('Leads');

  beforeAll(async () => {
    h = await startHarness();
    await h.connect('acme');
  });
  afterAll(() => h.close());
  beforeEach(() => {
    bodies = [];
    h.us.faults.clear();
    h.us.faults.add({
      times: Infinity,
      match: (req: EmulatorRequest) => {
        if (WRITE_ROUTES.includes(req.route) && req.body) bodies.push({ route: req.route, body: JSON.parse(req.body) as Record<string, unknown> });
        return false;
      },
    });
    h.us.resetCalls();
  });

  it('creates 150 Leads in two calls (100 + 50): exact per-record outcomes in input order, only the valid ones stored', async () => {
    const client = await h.client('acme');
    const missingName = new Set([7, 99, 120]);
    const badEmail = new Set([0, 100, 149]);
    const records = Array.from({ length: 150 }, (_, i) => {
      const r: Record<string, unknown> = { Last_Name: `Bulk ${i}`, Email: `bulk${i}@example.com`, Company: 'Bulk Co' };
      if (missingName.has(i)) delete r.Last_Name;
      if (badEmail.has(i)) r.Email = 12345;
      return r;
    });
    const before = leads().size;
    const { createRecords: results } = await client.request(CreateRecordsDocument, { module: 'Leads', records });

    expect(h.us.count('POST /crm/v8/:module')).toBe(2);
    expect(bodies.map((b) => (b.body.data as unknown[]).length)).toEqual([100, 50]);
    expect(bodies.every((b) => !('trigger' in b.body))).toBe(true);
    expect(results).toHaveLength(150);
    results.forEach((r, i) => {
      expect(r.index).toBe(i);
      if (missingName.has(i)) {
        expect(r).toMatchObject({ status: 'error', code: 'MANDATORY_NOT_FOUND', id: null, details: { api_name: 'Last_Name' } });
      } else if (badEmail.has(i)) {
        expect(r).toMatchObject({ status: 'error', code: 'INVALID_DATA', id: null, details: { api_name: 'Email', expected_data_type: 'email' } });
      } else {
        expect(r).toMatchObject({ status: 'success', code: 'SUCCESS' });
        expect(leads().get(r.id!)).toMatchObject({ Last_Name: `Bulk ${i}`, Email: `bulk${i}@example.com` });
      }
    });
    expect(leads().size).toBe(before + 144);
    const stored = [...leads().values()].filter((l) => l.Company === 'Bulk Co').map((l) => l.Last_Name);
    expect(stored).toHaveLength(144);
    for (const i of [...missingName, ...badEmail]) expect(stored).not.toContain(`Bulk ${i}`);
  });

  it('returns every record’s error when Zoho refuses all of them (HTTP 400 with data[])', async () => {
    const client = await h.client('acme');
    const { createRecords: results } = await client.request(CreateRecordsDocument, { module: 'Leads', records: [{ Email: 'x@example.com' }, { Last_Name: 'A', Email: false }] });
    expect(h.us.calls.find((c) => c.route === 'POST /crm/v8/:module')!.status).toBe(400);
    expect(results.map((r) => [r.index, r.status, r.code])).toEqual([
      [0, 'error', 'MANDATORY_NOT_FOUND'],
      [1, 'error', 'INVALID_DATA'],
    ]);
  });

  it('passes trigger through: a list as given, [] as [], omitted as no key', async () => {
    const client = await h.client('acme');
    await client.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'T1' }], trigger: ['WORKFLOW', 'APPROVAL'] });
    await client.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'T2' }], trigger: [] });
    await client.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'T3' }] });
    expect(bodies.map((b) => b.body.trigger)).toEqual([['workflow', 'approval'], [], undefined]);
    expect(bodies.map((b) => 'trigger' in b.body)).toEqual([true, true, false]);
  });

  it('updates a mix of valid and invalid ids: exact outcomes, only the valid record changed', async () => {
    const client = await h.client('acme');
    const [a, b] = [...leads().values()];
    const { updateRecords: results } = await client.request(UpdateRecordsDocument, {
      module: 'Leads',
      records: [
        { id: a!.id, City: 'Lisbon' },
        { id: '999999999999999999', City: 'Nowhere' },
        { id: b!.id, Email: 42 },
      ],
      trigger: ['BLUEPRINT'],
    });
    expect(h.us.count('PUT /crm/v8/:module')).toBe(1);
    expect(bodies[0]!.body.trigger).toEqual(['blueprint']);
    expect(results.map((r) => [r.index, r.status, r.code, r.id])).toEqual([
      [0, 'success', 'SUCCESS', a!.id],
      [1, 'error', 'INVALID_DATA', null],
      [2, 'error', 'INVALID_DATA', null],
    ]);
    expect(leads().get(a!.id)!.City).toBe('Lisbon');
    expect(leads().get(b!.id)!.Email).not.toBe(42);
  });

  it('refuses update records without a valid id before any call, naming the index', async () => {
    const client = await h.client('acme');
    const noId = await errorOf(client.request(UpdateRecordsDocument, { module: 'Leads', records: [{ id: '1' }, { City: 'X' }] }));
    expect(noId).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'records', index: 1, field: 'id' } });
    const badId = await errorOf(client.request(UpdateRecordsDocument, { module: 'Leads', records: [{ id: 'abc', City: 'X' }] }));
    expect(badId).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { index: 0, field: 'id' } });
    expect(writes()).toBe(0);
  });

  it('upserts: an existing duplicate-check match is updated, a new one inserted', async () => {
    const client = await h.client('acme');
    const { createRecords: created } = await client.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'Upsert Me', Email: 'upsert-1@example.com' }] });
    const existing = created[0]!.id!;
    const before = leads().size;
    const { upsertRecords: results } = await client.request(UpsertRecordsDocument, {
      module: 'Leads',
      duplicateCheckFields: ['Email'],
      records: [{ Last_Name: 'Upsert Me', Email: 'upsert-1@example.com', City: 'Paris' }, { Last_Name: 'Brand New', Email: 'upsert-2@example.com' }, { Email: 'upsert-3@example.com' }],
    });
    expect(h.us.count('POST /crm/v8/:module/upsert')).toBe(1);
    expect(bodies.at(-1)!.body.duplicate_check_fields).toEqual(['Email']);
    expect(results[0]).toMatchObject({ index: 0, status: 'success', action: 'update', id: existing, duplicateField: 'Email' });
    expect(results[1]).toMatchObject({ index: 1, status: 'success', action: 'insert' });
    expect(results[2]).toMatchObject({ index: 2, status: 'error', code: 'MANDATORY_NOT_FOUND', action: null });
    expect(leads().get(existing)!.City).toBe('Paris');
    expect(leads().get(results[1]!.id!)!.Last_Name).toBe('Brand New');
    expect(leads().size).toBe(before + 1);

    const unknown = await errorOf(client.request(UpsertRecordsDocument, { module: 'Leads', duplicateCheckFields: ['Emial'], records: [{ Last_Name: 'X' }] }));
    expect(unknown).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'duplicateCheckFields', index: 0, field: 'Emial' } });
    expect(h.us.count('POST /crm/v8/:module/upsert')).toBe(1);
  });

  it('deletes by id: unknown ids are that index’s error, the others are deleted; needs records:delete', async () => {
    const writer = await h.client('acme', 'records:write records:read');
    const { createRecords: created } = await writer.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'Del 1' }, { Last_Name: 'Del 2' }] });
    const [id1, id2] = created.map((r) => r.id!);

    const forbidden = await errorOf(writer.request(DeleteRecordsDocument, { module: 'Leads', ids: [id1!] }));
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'records:delete:Leads' } });
    expect(h.us.count('DELETE /crm/v8/:module')).toBe(0);

    const deleter = await h.client('acme', 'records:delete:Leads');
    const { deleteRecords: results } = await deleter.request(DeleteRecordsDocument, { module: 'Leads', ids: [id1!, '999999999999999999', id2!] });
    expect(h.us.count('DELETE /crm/v8/:module')).toBe(1);
    expect(results.map((r) => [r.index, r.status, r.code, r.id])).toEqual([
      [0, 'success', 'SUCCESS', id1],
      [1, 'error', 'INVALID_DATA', null],
      [2, 'success', 'SUCCESS', id2],
    ]);
    expect(leads().has(id1!)).toBe(false);
    expect(leads().has(id2!)).toBe(false);

    const badId = await errorOf(deleter.request(DeleteRecordsDocument, { module: 'Leads', ids: ['12', 'x1'] }));
    expect(badId).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'ids', index: 1 } });
    expect(h.us.count('DELETE /crm/v8/:module')).toBe(1);
  });

  it('refuses more than the hard bound before any Zoho call', async () => {
    const client = await h.client('acme');
    const records = Array.from({ length: 1001 }, (_, i) => ({ Last_Name: `Over ${i}` }));
    const err = await errorOf(client.request(CreateRecordsDocument, { module: 'Leads', records }));
    expect(err).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'records', max: 1000, count: 1001 } });
    const ids = Array.from({ length: 1001 }, (_, i) => String(1e15 + i));
    expect((await errorOf(client.request(DeleteRecordsDocument, { module: 'Leads', ids }))).code).toBe('BAD_USER_INPUT');
    expect(h.us.count()).toBe(0);
  });

  it('refuses unknown field names and non-objects before any write, naming index and field', async () => {
    const client = await h.client('acme');
    const unknown = await errorOf(client.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'ok' }, { Last_Name: 'x', Emial: 'x@example.com' }] }));
    expect(unknown).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'records', index: 1, field: 'Emial', module: 'Leads' } });
    expect(unknown.message).toContain('records[1].Emial');
    const notObject = await errorOf(client.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'ok' }, ['x']] }));
    expect(notObject).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { index: 1 } });
    const withId = await errorOf(client.request(CreateRecordsDocument, { module: 'Leads', records: [{ id: '123', Last_Name: 'x' }] }));
    expect(withId).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { index: 0, field: 'id' } });
    // Zoho's `$` system keys pass the check.
    const { createRecords: ok } = await client.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'Sys', $append_values: { Tag: true } }] });
    expect(ok[0]!.status).toBe('success');
    expect(h.us.count('POST /crm/v8/:module')).toBe(1);
    const noModule = await errorOf(client.request(CreateRecordsDocument, { module: 'Nope', records: [{ Last_Name: 'x' }] }));
    expect(noModule.code).toBe('ZOHO_INVALID_MODULE');
    expect(writes()).toBe(1);
  });

  it('a scope narrowed to records:write:Leads writes Leads and is refused Deals', async () => {
    const client = await h.client('acme', 'records:write:Leads');
    const { createRecords: ok } = await client.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'Narrow' }] });
    expect(ok[0]!.status).toBe('success');
    const err = await errorOf(client.request(CreateRecordsDocument, { module: 'Deals', records: [{ Deal_Name: 'D', Stage: 'Qualification' }] }));
    expect(err).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'records:write:Deals' } });
    expect(err.message).toContain('records:write:Deals');
    expect(h.us.count((c) => c.path === '/crm/v8/Deals')).toBe(0);
  });

  it('a call failing as a whole stops the batch: the error carries the results so far and where it stopped', async () => {
    const client = await h.client('acme');
    let posts = 0;
    h.us.faults.serverError({ match: (req) => req.route === 'POST /crm/v8/:module' && ++posts === 2 });
    const before = leads().size;
    const records = Array.from({ length: 250 }, (_, i) => ({ Last_Name: `Stop ${i}` }));
    const err = await errorOf(client.request(CreateRecordsDocument, { module: 'Leads', records }));
    expect(err.code).toBe('ZOHO_UNAVAILABLE');
    expect(err.extensions).toMatchObject({ failedFromIndex: 100, notSentFromIndex: 200, writeOutcome: 'UNKNOWN' });
    const results = err.extensions.results as { index: number; status: string; id: string }[];
    expect(results).toHaveLength(100);
    expect(results.map((r) => r.index)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(results.every((r) => r.status === 'success' && leads().has(r.id))).toBe(true);
    // A 5xx on a write is never retried (it may have been written); the third chunk is never sent.
    expect(h.us.count('POST /crm/v8/:module')).toBe(2);
    expect(leads().size).toBe(before + 100);
  });

  describe('zohoRequest', () => {
    it('GET /org works with zoho:proxy and shows no credentials', async () => {
      const client = await h.client('acme', 'zoho:proxy');
      const { zohoRequest } = await client.request(ZohoRequestDocument, { method: 'GET', path: '/org' });
      const res = zohoRequest as { status: number; body: { org: { id: string }[] }; headers: Record<string, string> };
      expect(res.status).toBe(200);
      expect(res.body.org[0]!.id).toBe(h.us.ctx.data.org.id);
      expect(Object.keys(res.headers).every((k) => k === 'content-type' || k.startsWith('x-ratelimit') || k === 'retry-after')).toBe(true);
      expect(JSON.stringify(res)).not.toMatch(/oauthtoken|authorization/i);
      // The /crm/v8 prefix may be given too.
      const full = await client.request(ZohoRequestDocument, { method: 'GET', path: '/crm/v8/org' });
      expect((full.zohoRequest as { status: number }).status).toBe(200);
      expect(h.us.count('GET /crm/v8/org')).toBe(2);
    });

    it('is refused without zoho:proxy', async () => {
      const client = await h.client('acme', 'org:read records:read records:write');
      const err = await errorOf(client.request(ZohoRequestDocument, { method: 'GET', path: '/org' }));
      expect(err).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'zoho:proxy' } });
      expect(h.us.count()).toBe(0);
    });

    it('refuses paths that could leave /crm/v8 of the API domain, before any call', async () => {
      const client = await h.client('acme', 'zoho:proxy');
      const paths = [
        '/../oauth/v2/token',
        '/crm/v8/../../oauth/v2/token',
        '/Leads/%2e%2e/%2e%2e/oauth',
        'https://evil.example/crm/v8/org',
        '//evil.example/crm/v8/org',
        '/org?scope=x',
        '/org#x',
        '/crm/v2/org',
        '/Leads//1',
        'org',
        '/Leads/a\\b',
      ];
      for (const path of paths) {
        const err = await errorOf(client.request(ZohoRequestDocument, { method: 'GET', path }));
        expect(err, path).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'path' } });
      }
      const withBody = await errorOf(client.request(ZohoRequestDocument, { method: 'GET', path: '/org', body: { a: 1 } }));
      expect(withBody).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'body' } });
      expect(h.us.count()).toBe(0);
    });

    it('POST passes through to the emulator (and is not retried on a 5xx)', async () => {
      const client = await h.client('acme', 'zoho:proxy');
      const { zohoRequest } = await client.request(ZohoRequestDocument, { method: 'POST', path: '/Leads', body: { data: [{ Last_Name: 'Via Proxy' }] } });
      const res = zohoRequest as { status: number; body: { data: { code: string; details: { id: string } }[] } };
      expect(res.status).toBe(201);
      expect(res.body.data[0]!.code).toBe('SUCCESS');
      expect(leads().get(res.body.data[0]!.details.id)!.Last_Name).toBe('Via Proxy');

      const q = await client.request(ZohoRequestDocument, { method: 'GET', path: '/Leads', query: { fields: ['Last_Name', 'Email'], per_page: 2 } });
      expect((q.zohoRequest as { body: { data: unknown[] } }).body.data).toHaveLength(2);
      expect(h.us.calls.find((c) => c.route === 'GET /crm/v8/:module')!.query).toContain('fields=Last_Name%2CEmail');

      h.us.resetCalls();
      h.us.faults.serverError({ match: 'POST /crm/v8/:module' });
      const err = await errorOf(client.request(ZohoRequestDocument, { method: 'POST', path: '/Leads', body: { data: [{ Last_Name: 'Once' }] } }));
      expect(err.code).toBe('ZOHO_UNAVAILABLE');
      expect(h.us.count('POST /crm/v8/:module')).toBe(1);
    });
  });
});

describe('MAX_RECORDS_PER_MUTATION', () => {
  it('is configurable: with 10, an 11-record create is refused before any call and 10 go through', async () => {
    const h = await startHarness({ env: { MAX_RECORDS_PER_MUTATION: '10' } });
    try {
      await h.connect('acme');
      // The typed schema's first build reads metadata from Zoho: let it finish before counting.
      await h.app.typed.refresh('acme', 'default');
      const client = await h.client('acme');
      h.us.resetCalls();
      const eleven = Array.from({ length: 11 }, (_, i) => ({ Last_Name: `Cap ${i}` }));
      expect(await errorOf(client.request(CreateRecordsDocument, { module: 'Leads', records: eleven }))).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { max: 10, count: 11 } });
      expect(h.us.count()).toBe(0);
      const ten = await client.request(CreateRecordsDocument, { module: 'Leads', records: eleven.slice(0, 10) });
      expect(ten.createRecords.every((r) => r.status === 'success')).toBe(true);
    } finally {
      await h.close();
    }
  });
});
