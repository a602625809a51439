import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codeOf, gql } from '../security/http.js';

const START =
  'mutation($module: String!, $fields: [String!], $where: CriteriaInput, $since: DateTime) { startBulkExport(module: $module, fields: $fields, where: $where, since: $since) { id module state progress recordCount downloadPath error } }';
const STATUS = 'query($id: ID!) { bulkExport(id: $id) { id module state progress recordCount expiresAt downloadPath error } }';
const CREATE = 'POST /crm/bulk/v8/read';
const DETAILS = 'GET /crm/bulk/v8/read/:job_id';
const RESULT = 'GET /crm/bulk/v8/read/:job_id/result';

interface Export {
  id: string;
  module: string;
  state: string;
  progress: number;
  recordCount: number | null;
  expiresAt?: string | null;
  downloadPath: string | null;
  error: string | null;
}

async function start(base: string, token: string, variables: Record<string, unknown>): Promise<Export> {
  const a = await gql(base, token, START, variables);
  expect(a.body.errors).toBeUndefined();
  return (a.body.data as { startBulkExport: Export }).startBulkExport;
}

async function status(base: string, token: string, id: string): Promise<Export | null> {
  const a = await gql(base, token, STATUS, { id });
  expect(a.body.errors).toBeUndefined();
  return (a.body.data as { bulkExport: Export | null }).bulkExport;
}

/** Polls like a client until Zoho's job has ended (the emulator moves a job on per status poll). */
async function settle(base: string, token: string, id: string): Promise<Export> {
  const seen: string[] = [];
  for (let i = 0; i < 10; i++) {
    const s = (await status(base, token, id))!;
    seen.push(s.state);
    if (s.state !== 'QUEUED' && s.state !== 'RUNNING') return s;
  }
  throw new Error(`export still running after 10 polls: ${seen.join(' ')}`);
}

async function download(base: string, token: string | undefined, path: string): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

function lines(text: string): Record<string, unknown>[] {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const FIELDS = ['Last_Name', 'Email', 'Annual_Revenue', 'No_of_Employees', 'Email_Opt_Out', 'Description', 'Owner', 'Modified_Time'];

describe('bulk export: one instance, 5,000 records', () => {
  let h: Harness;
  let token: string;
  /** How far the emulated Zoho's clock runs ahead of the real one (ms). */
  let zohoAhead = 0;

  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { leads: 5000 }, now: () => Date.now() + zohoAhead } });
    await h.connect('acme');
    token = await h.token('acme');
    // Values a CSV must carry through quoting: commas, doubled quotes, line breaks, non-ASCII.
    const leads = [...h.us.ctx.records('Leads').values()];
    leads[0]!.Description = 'He said "hi", then\r\nleft; "quoted"';
    leads[1]!.Description = 'multi\nline\n\nwith ,commas, and "';
    leads[2]!.Last_Name = 'Łukasz, "Ó Briain"';
  }, 60_000);
  afterAll(() => h?.close());

  it('exports every record through a Zoho bulk read job and streams them as typed NDJSON', async () => {
    h.us.resetCalls();
    const started = await start(h.app.url, token, { module: 'Leads', fields: FIELDS });
    expect(started).toMatchObject({ module: 'Leads', state: 'QUEUED', progress: 0, recordCount: null, downloadPath: null, error: null });
    expect(started.id).toMatch(/^exp_/);
    const done = await settle(h.app.url, token, started.id);
    expect(done).toMatchObject({ state: 'COMPLETED', progress: 5000, recordCount: 5000, downloadPath: `/exports/${started.id}.ndjson` });
    expect(Date.parse(done.expiresAt!)).toBeGreaterThan(h.clock.now);

    const got = await download(h.app.url, token, done.downloadPath!);
    expect(got.status).toBe(200);
    expect(got.type).toContain('application/x-ndjson');
    const records = lines(got.text);
    expect(records).toHaveLength(5000);
    const zoho = h.us.ctx.records('Leads');
    const ids = new Set<string>();
    for (const r of records) {
      const z = zoho.get(r.id as string)!;
      expect(z, `record ${String(r.id)}`).toBeDefined();
      ids.add(r.id as string);
      expect(Object.keys(r)).toEqual(['id', ...FIELDS]);
      expect(r).toEqual({
        id: z.id,
        Last_Name: z.Last_Name,
        Email: z.Email,
        Annual_Revenue: z.Annual_Revenue,
        No_of_Employees: z.No_of_Employees,
        Email_Opt_Out: z.Email_Opt_Out,
        Description: z.Description ?? null,
        Owner: (z.Owner as { id: string }).id,
        Modified_Time: z.Modified_Time,
      });
      expect(typeof r.Annual_Revenue).toBe('number');
      expect(typeof r.Email_Opt_Out).toBe('boolean');
    }
    expect(ids.size).toBe(5000);
    // One job, polled, one download: nothing read twice.
    expect(h.us.count(CREATE)).toBe(1);
    expect(h.us.count(RESULT)).toBe(1);
    expect(h.us.count(DETAILS)).toBe(2);
  });

  it('sends `where` and `since` to Zoho as bulk criteria and exports only the matching records', async () => {
    const zoho = [...h.us.ctx.records('Leads').values()];
    const since = '2020-01-01T00:00:00Z';
    h.us.resetCalls();
    const started = await start(h.app.url, token, { module: 'Leads', fields: ['Last_Name', 'Annual_Revenue'], where: { field: 'Annual_Revenue', operator: 'GREATER_THAN', value: 900000 }, since });
    const done = await settle(h.app.url, token, started.id);
    const expected = zoho.filter((r) => (r.Annual_Revenue as number) > 900000 && Date.parse(r.Modified_Time as string) >= Date.parse(since));
    expect(expected.length).toBeGreaterThan(0);
    expect(done.recordCount).toBe(expected.length);
    const records = lines((await download(h.app.url, token, done.downloadPath!)).text);
    expect(records.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
    const job = [...h.us.bulkReads.jobs.values()].at(-1)!;
    expect(job.rawQuery.criteria).toEqual({
      group_operator: 'and',
      group: [
        { field: { api_name: 'Annual_Revenue' }, comparator: 'greater_than', value: '900000' },
        { field: { api_name: 'Modified_Time' }, comparator: 'greater_equal', value: '2020-01-01T00:00:00+00:00' },
      ],
    });
  });

  it('reports a job Zoho failed: state FAILED with a reason, and the download answers 409 EXPORT_FAILED', async () => {
    h.us.bulkReads.failNext();
    const started = await start(h.app.url, token, { module: 'Leads', fields: ['Last_Name'] });
    const done = await settle(h.app.url, token, started.id);
    expect(done.state).toBe('FAILED');
    expect(done.error).toMatch(/Zoho reported the bulk read job as failed/);
    expect(done.downloadPath).toBeNull();
    h.us.resetCalls();
    const got = await download(h.app.url, token, `/exports/${started.id}.ndjson`);
    expect(got.status).toBe(409);
    expect(JSON.parse(got.text).errors[0].extensions).toMatchObject({ code: 'EXPORT_FAILED', state: 'FAILED' });
    expect(h.us.count(RESULT)).toBe(0);
  });

  it('a download before completion answers 409 EXPORT_NOT_READY', async () => {
    const started = await start(h.app.url, token, { module: 'Leads', fields: ['Last_Name'] });
    const got = await download(h.app.url, token, `/exports/${started.id}.ndjson`);
    expect(got.status).toBe(409);
    expect(JSON.parse(got.text).errors[0].extensions.code).toBe('EXPORT_NOT_READY');
  });

  it('another tenant, or another connection of the tenant, finds no such export: 404 and null', async () => {
    const started = await start(h.app.url, token, { module: 'Leads', fields: ['Last_Name'] });
    const done = await settle(h.app.url, token, started.id);
    await h.connect('other');
    const other = await h.token('other');
    const otherConnection = await h.token('acme', undefined, { connection: 'second' });
    h.us.resetCalls();
    for (const t of [other, otherConnection]) {
      const got = await download(h.app.url, t, done.downloadPath!);
      expect(got.status).toBe(404);
      expect(JSON.parse(got.text).errors[0].extensions.code).toBe('NOT_FOUND');
      expect(await status(h.app.url, t, started.id)).toBeNull();
    }
    // Nothing of the export reached Zoho (the new connection's own schema build may).
    expect(h.us.count((c) => c.path.startsWith('/crm/bulk/'))).toBe(0);
    expect((await download(h.app.url, undefined, done.downloadPath!)).status).toBe(401);
    expect((await download(h.app.url, token, '/exports/exp_nope.ndjson')).status).toBe(404);
  });

  it('needs records:read for the module, to start, to poll and to download', async () => {
    const started = await start(h.app.url, token, { module: 'Leads', fields: ['Last_Name'] });
    const contactsOnly = await h.token('acme', 'records:read:Contacts');
    expect(codeOf(await gql(h.app.url, contactsOnly, START, { module: 'Leads', fields: ['Last_Name'] }))).toBe('FORBIDDEN');
    expect(codeOf(await gql(h.app.url, contactsOnly, STATUS, { id: started.id }))).toBe('FORBIDDEN');
    const got = await download(h.app.url, contactsOnly, `/exports/${started.id}.ndjson`);
    expect(got.status).toBe(403);
    const leadsOnly = await h.token('acme', 'records:read:Leads');
    expect((await status(h.app.url, leadsOnly, started.id))?.id).toBe(started.id);
  });

  // Last in this block: it moves both clocks a day on.
  it('once Zoho no longer has the result, the export is EXPIRED and the download answers 410', async () => {
    const started = await start(h.app.url, token, { module: 'Leads', fields: ['Last_Name'] });
    const done = await settle(h.app.url, token, started.id);
    expect(done.state).toBe('COMPLETED');
    zohoAhead = 25 * 3600_000;
    h.clock.now += zohoAhead;
    expect((await status(h.app.url, token, started.id))?.state).toBe('EXPIRED');
    const got = await download(h.app.url, token, done.downloadPath!);
    expect(got.status).toBe(410);
    expect(JSON.parse(got.text).errors[0].extensions.code).toBe('EXPORT_EXPIRED');
  });
});

describe('bulk export: pages and two instances', () => {
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    // 1,500 records per page instead of Zoho's 200,000: 5,000 records take four jobs.
    h = await startHarness({ instances: 2, emulator: { seed: { leads: 5000 }, bulkRead: { perPage: 1500 } } });
    await h.connect('acme');
    token = await h.token('acme');
  }, 60_000);
  afterAll(() => h?.close());

  it('started on one instance and downloaded from the other, reads every page in order (a new job per page)', async () => {
    const [a, b] = h.apps as [(typeof h.apps)[0], (typeof h.apps)[0]];
    h.us.resetCalls();
    const started = await start(a.url, token, { module: 'Leads', fields: ['Last_Name', 'Annual_Revenue'] });
    const done = await settle(a.url, token, started.id);
    expect(done).toMatchObject({ state: 'COMPLETED', progress: 1500, recordCount: null });
    // Instance B has never seen the export but for the store they share.
    const fromB = await status(b.url, token, started.id);
    expect(fromB).toMatchObject({ id: started.id, state: 'COMPLETED' });
    const got = await download(b.url, token, done.downloadPath!);
    expect(got.status).toBe(200);
    const records = lines(got.text);
    const expected = [...h.us.ctx.records('Leads').values()].map((r) => r.id).sort((x, y) => (x.padStart(20, '0') < y.padStart(20, '0') ? -1 : 1));
    expect(records.map((r) => r.id)).toEqual(expected);
    const pages = [...h.us.bulkReads.jobs.values()].map((j) => j.page);
    expect(pages).toEqual([1, 2, 3, 4]);
    expect(h.us.count(CREATE)).toBe(4);
    expect(h.us.count(RESULT)).toBe(4);
    const after = await status(a.url, token, started.id);
    expect(after).toMatchObject({ progress: 5000, recordCount: 5000 });

    // Downloading again reuses the later pages' jobs while Zoho has them: no new job, same figures.
    h.us.resetCalls();
    expect(lines((await download(a.url, token, done.downloadPath!)).text).map((r) => r.id)).toEqual(expected);
    expect(h.us.count(CREATE)).toBe(0);
    expect(h.us.count(RESULT)).toBe(4);
    expect(await status(b.url, token, started.id)).toMatchObject({ progress: 5000, recordCount: 5000 });
  });

  it('a client that goes away mid-download leaves nothing broken: the next download of the export is whole', async () => {
    const started = await start(h.app.url, token, { module: 'Leads', fields: ['Last_Name'] });
    const done = await settle(h.app.url, token, started.id);
    const abort = new AbortController();
    const res = await fetch(`${h.app.url}${done.downloadPath}`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    await reader.read().catch(() => undefined);
    const again = await download(h.apps[1]!.url, token, done.downloadPath!);
    expect(lines(again.text)).toHaveLength(5000);
  });

  it('a later page failing at Zoho aborts the download: the client sees an error, not a short file', async () => {
    const started = await start(h.app.url, token, { module: 'Leads', fields: ['Last_Name'] });
    const done = await settle(h.app.url, token, started.id);
    h.us.bulkReads.failNext(); // the next job Zoho gets is page 2's
    const res = await fetch(`${h.app.url}${done.downloadPath}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(h.logs.text).toContain('export stream aborted');
  });
});

describe('bulk export: a connection consented before ZohoCRM.bulk.READ was asked for', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { ZOHO_SCOPES: 'ZohoCRM.modules.ALL,ZohoCRM.settings.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,AaaServer.profile.READ' } });
    await h.connect('acme');
  }, 60_000);
  afterAll(() => h?.close());

  it('is refused by Zoho, and the caller is told the scope is missing', async () => {
    const a = await gql(h.app.url, await h.token('acme'), START, { module: 'Leads', fields: ['Last_Name'] });
    expect(a.body.errors?.[0]?.extensions).toMatchObject({ code: 'ZOHO_SCOPE_MISSING', requiredScope: 'ZohoCRM.bulk.READ' });
  });
});
