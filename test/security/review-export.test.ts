/**
 * Review 13 of the bulk export (notes/review-13.md): each finding's reproduction, asserting the
 * safe behaviour. F1: slow downloads must not take the data centre's CRM connections, and
 * downloads are capped per tenant and cut off when their client stalls.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRows } from '../../src/export/csv.js';
import { firstZipEntry } from '../../src/export/unzip.js';
import { zipOneFile } from '../../src/emulator/zip.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { gql } from './http.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts an export of `module` and polls it until its download path is given. */
async function completedExport(h: Harness, token: string, fields: string[], module = 'Leads'): Promise<{ id: string; path: string }> {
  const a = await gql(h.app.url, token, 'mutation($m: String!, $f: [String!]) { startBulkExport(module: $m, fields: $f) { id } }', { m: module, f: fields });
  expect(a.body.errors).toBeUndefined();
  const id = (a.body.data as { startBulkExport: { id: string } }).startBulkExport.id;
  for (let i = 0; i < 10; i++) {
    const s = await gql(h.app.url, token, 'query($id: ID!) { bulkExport(id: $id) { state downloadPath } }', { id });
    const path = (s.body.data as { bulkExport: { downloadPath: string | null } }).bulkExport.downloadPath;
    if (path) return { id, path };
  }
  throw new Error('export not completed');
}

/**
 * A curl reading the download at 1 KiB/s; `status` is its HTTP status once it ended (a refused
 * one ends at once; an admitted one reads on from its kernel buffer for minutes even once cut).
 */
function slowCurl(url: string, token: string, kill: (() => void)[]): { status: number | undefined } {
  const c = spawn('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--limit-rate', '1k', '-H', `authorization: Bearer ${token}`, url]);
  kill.push(() => c.kill());
  const seen: { status: number | undefined } = { status: undefined };
  let out = '';
  c.stdout.on('data', (d: Buffer) => (out += d.toString()));
  c.on('close', () => (seen.status = Number(out.trim() || 0)));
  return seen;
}

describe('F1: export downloads read slowly', () => {
  let h: Harness;
  const kills: (() => void)[] = [];
  beforeAll(async () => {
    h = await startHarness({ env: { EXPORT_STALL_TIMEOUT_MS: '3000' }, emulator: { seed: { leads: 1000, deals: 5, contacts: 1, accounts: 1 } } });
    await h.connect('attacker');
    await h.connect('victim');
    for (const r of h.us.ctx.records('Leads').values()) r.Description = randomBytes(12 * 1024).toString('base64');
  }, 60_000);
  afterAll(async () => {
    for (const k of kills) k();
    await h?.close();
  });

  it('32 slow downloads of one tenant: 2 admitted, 30 refused with 429, and another tenant’s query is answered', async () => {
    const victim = await h.token('victim');
    const warm = await gql(h.app.url, victim, '{ records(module: "Deals") { nodes { id } } }');
    expect(warm.body.errors).toBeUndefined();
    const attacker = await h.token('attacker', 'records:read:Leads');
    const { path } = await completedExport(h, await h.token('attacker'), ['Description']);
    const curls = Array.from({ length: 32 }, () => slowCurl(`${h.app.url}${path}`, attacker, kills));
    await sleep(2000);
    const answer = await Promise.race([gql(h.app.url, victim, '{ records(module: "Deals") { nodes { id } } }'), sleep(20_000).then(() => 'timed out' as const)]);
    expect(answer).not.toBe('timed out');
    expect(typeof answer === 'string' ? undefined : answer.body.errors).toBeUndefined();
    expect(curls.filter((c) => c.status === 429)).toHaveLength(30);
    expect(curls.filter((c) => c.status === undefined)).toHaveLength(2); // the two admitted, still reading
  }, 90_000);

  it('a refused download says why (EXPORT_DOWNLOAD_LIMIT, Retry-After), and a stalled one frees its slot', async () => {
    await sleep(3500); // the last test's two downloads stall out first
    const stalled = () => h.logs.lines.filter((l) => l.includes('export client stalled')).length;
    const before = stalled();
    const attacker = await h.token('attacker', 'records:read:Leads');
    const { path } = await completedExport(h, await h.token('attacker'), ['Description']);
    for (let i = 0; i < 2; i++) slowCurl(`${h.app.url}${path}`, attacker, kills);
    await sleep(1000);
    const third = await fetch(`${h.app.url}${path}`, { headers: { authorization: `Bearer ${attacker}` } });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('10');
    expect(((await third.json()) as { errors: { extensions: { code: string; scope: string; limit: number } }[] }).errors[0]!.extensions).toMatchObject({
      code: 'EXPORT_DOWNLOAD_LIMIT',
      scope: 'tenant',
      limit: 2,
    });
    // Both stall (1 KiB/s against ~1 MiB chunks) past EXPORT_STALL_TIMEOUT_MS and are cut off:
    // their slots are free again, and a client that reads gets the whole export.
    await sleep(4000);
    expect(stalled() - before).toBe(2);
    const res = await fetch(`${h.app.url}${path}`, { headers: { authorization: `Bearer ${attacker}` } });
    expect(res.status).toBe(200);
    expect((await res.text()).split('\n').filter(Boolean)).toHaveLength(1000);
  }, 60_000);
});

const RESULT = 'GET /crm/bulk/v8/read/:job_id/result';
const DETAILS = 'GET /crm/bulk/v8/read/:job_id';
const CREATE = 'POST /crm/bulk/v8/read';

/** Polls (a second apart) until the export completes: for emulators whose jobs take time. */
async function completedSlowly(h: Harness, token: string): Promise<string> {
  const a = await gql(h.app.url, token, 'mutation { startBulkExport(module: "Leads", fields: ["Last_Name"]) { id } }');
  expect(a.body.errors).toBeUndefined();
  const id = (a.body.data as { startBulkExport: { id: string } }).startBulkExport.id;
  for (let i = 0; i < 30; i++) {
    const s = await gql(h.app.url, token, 'query($id: ID!) { bulkExport(id: $id) { downloadPath } }', { id });
    const path = (s.body.data as { bulkExport: { downloadPath: string | null } }).bulkExport.downloadPath;
    if (path) return path;
    await sleep(1000);
  }
  throw new Error('export not completed');
}

describe('F2: downloads count against the tenant rate limit', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { RATE_LIMIT_PER_MINUTE: '8', ZOHO_CALL_BUDGET: '5' }, emulator: { seed: { leads: 5000 }, bulkRead: { perPage: 500 } } });
    await h.connect('acme');
  }, 60_000);
  afterAll(async () => h?.close());

  it('with the minute’s requests spent, 20 downloads are refused 429 RATE_LIMITED before any Zoho call', async () => {
    const token = await h.token('acme');
    const { id, path } = await completedExport(h, token, ['Last_Name']);
    for (let i = 0; i < 20; i++) {
      const s = await gql(h.app.url, token, 'query($id: ID!) { bulkExport(id: $id) { state } }', { id });
      if (s.body.errors?.[0]?.extensions?.code === 'RATE_LIMITED') break;
    }
    const results = h.us.count(RESULT);
    const calls = h.us.count();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${h.app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(429);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('RATE_LIMITED');
    }
    expect(h.us.count(RESULT)).toBe(results);
    expect(h.us.count()).toBe(calls);
  }, 60_000);
});

describe('F2b: a client that leaves while the next page is awaited', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { leads: 3000 }, bulkRead: { perPage: 1000, completeAfterMs: 6000 } } });
    await h.connect('acme');
  }, 60_000);
  afterAll(async () => h?.close());

  it('stops polling Zoho and opens no later page once the client is gone', async () => {
    const token = await h.token('acme');
    const path = await completedSlowly(h, token);
    const ac = new AbortController();
    const res = await fetch(`${h.app.url}${path}`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    while (text.split('\n').length <= 1000) {
      const r = await reader.read();
      if (r.done) break;
      text += Buffer.from(r.value).toString();
    }
    ac.abort();
    await sleep(500); // a call already on its way may land
    const polls = h.us.count(DETAILS);
    const results = h.us.count(RESULT);
    const creates = h.us.count(CREATE);
    await sleep(8000); // past page 2's completion (6 s) and several polls
    expect(h.us.count(DETAILS)).toBe(polls);
    expect(h.us.count(RESULT)).toBe(results);
    expect(h.us.count(CREATE)).toBe(creates);
  }, 60_000);
});

describe('F2c: downloads of one export at once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { EXPORT_MAX_DOWNLOADS_PER_TENANT: '10', EXPORT_MAX_DOWNLOADS: '10' }, emulator: { seed: { leads: 2000 }, bulkRead: { perPage: 1000 } } });
    await h.connect('acme');
  }, 60_000);
  afterAll(async () => h?.close());

  it('share one Zoho job for page 2: 10 concurrent downloads create 2 jobs in all (page 1 and page 2)', async () => {
    const token = await h.token('acme');
    const { path } = await completedExport(h, token, ['Last_Name']);
    expect(h.us.count(CREATE)).toBe(1);
    const bodies = await Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await fetch(`${h.app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        return res.text();
      }),
    );
    for (const b of bodies) expect(b.split('\n').filter(Boolean)).toHaveLength(2000);
    expect(h.us.count(CREATE)).toBe(2);
  }, 60_000);
});

describe('F3: export records rewritten in the store', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { leads: 20, contacts: 30 } } });
    await h.connect('acme');
  }, 60_000);
  afterAll(async () => h?.close());

  it('a Contacts export re-labelled "Leads" by a store writer is refused (STORE_TAMPERED), not served to a Leads-only token', async () => {
    const admin = await h.token('acme');
    const { id, path } = await completedExport(h, admin, ['Last_Name'], 'Contacts');
    const leadsOnly = await h.token('acme', 'records:read:Leads');
    const denied = await fetch(`${h.app.url}${path}`, { headers: { authorization: `Bearer ${leadsOnly}` } });
    expect(denied.status).toBe(403);
    await denied.body?.cancel();
    // A raw write, as anyone with Redis access but without TOKEN_ENCRYPTION_KEY could make it.
    const key = `export:${JSON.stringify(['acme', 'default', id])}`;
    const job = await h.app.store.get<Record<string, unknown>>(key);
    expect(job?.module).toBe('Contacts');
    await h.app.store.set(key, { ...job, module: 'Leads' }, 3600_000);
    const results = h.us.count(RESULT);
    const res = await fetch(`${h.app.url}${path}`, { headers: { authorization: `Bearer ${leadsOnly}` } });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect((JSON.parse(text) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions).toMatchObject({ code: 'STORE_TAMPERED', reason: 'EXPORT_SIGNATURE' });
    expect(h.us.count(RESULT)).toBe(results);
    // The poll refuses it the same way, and the log says what happened.
    const s = await gql(h.app.url, admin, 'query($id: ID!) { bulkExport(id: $id) { state } }', { id });
    expect(s.body.errors?.[0]?.extensions?.code).toBe('STORE_TAMPERED');
    expect(h.logs.text).toContain('export record fails its signature');
  }, 60_000);

  it('a record pointed at another export’s Zoho job is refused too', async () => {
    const admin = await h.token('acme');
    const contacts = await completedExport(h, admin, ['Last_Name'], 'Contacts');
    const leads = await completedExport(h, admin, ['Last_Name'], 'Leads');
    const keyOf = (id: string) => `export:${JSON.stringify(['acme', 'default', id])}`;
    const c = await h.app.store.get<Record<string, unknown>>(keyOf(contacts.id));
    const l = await h.app.store.get<Record<string, unknown>>(keyOf(leads.id));
    await h.app.store.set(keyOf(leads.id), { ...l, zohoJobId: c!.zohoJobId }, 3600_000);
    const res = await fetch(`${h.app.url}${leads.path}`, { headers: { authorization: `Bearer ${await h.token('acme', 'records:read:Leads')}` } });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('"Last_Name"');
  }, 60_000);
});

describe('F4: the CSV reader against a hostile upstream', () => {
  /** A ZIP (bit 3, deflate) of `csv`, built whole: small, as the highly compressible CSVs here are. */
  async function zipOf(csv: Buffer[]): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const p of zipOneFile('x.csv', csv)) parts.push(p);
    return Buffer.concat(parts);
  }

  /** Reads the ZIP's CSV to its end or first error; how many inflated bytes the reader took meanwhile. */
  async function read(zip: Buffer): Promise<{ error: Error | undefined; taken: number; rows: number }> {
    let taken = 0;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const c of firstZipEntry(
        (async function* () {
          yield zip;
        })(),
      )) {
        taken += c.length;
        yield c;
      }
    }
    let rows = 0;
    try {
      for await (const _ of csvRows(counted())) rows++;
      return { error: undefined, taken, rows };
    } catch (err) {
      return { error: err as Error, taken, rows };
    }
  }

  it('a 16 MiB cell (from a ZIP of a few KiB) is refused after about 1 MiB, not held', async () => {
    const zip = await zipOf([Buffer.from('id,Description\r\n1,'), Buffer.alloc(16 << 20, 'a'), Buffer.from('\r\n')]);
    expect(zip.length).toBeLessThan(64 * 1024);
    const r = await read(zip);
    expect(r.error?.name).toBe('CsvFormatError');
    expect(r.error?.message).toContain('field longer than');
    expect(r.taken).toBeLessThan(3 << 20);
  });

  it('a quote never closed is refused after about 1 MiB, not held to the end of the file', async () => {
    const zip = await zipOf([Buffer.from('id,Description\r\n1,"'), Buffer.alloc(16 << 20, 'b')]);
    const r = await read(zip);
    expect(r.error?.name).toBe('CsvFormatError');
    expect(r.taken).toBeLessThan(3 << 20);
  });

  it('a record of many moderate fields is refused past 4 MiB, and one of far more columns than the header at once', async () => {
    const cell = 'c'.repeat(512 * 1024);
    const names = Array.from({ length: 12 }, (_, i) => `F${i}`).join(',');
    const wide = await read(await zipOf([Buffer.from(`id,${names}\r\n1,` + Array.from({ length: 12 }, () => cell).join(',') + '\r\n')]));
    expect(wide.error?.message).toContain(`longer than ${4 << 20} characters`);
    const many = await read(await zipOf([Buffer.from('id,A\r\n1,' + ','.repeat(100_000) + '\r\n')]));
    expect(many.error?.message).toContain('columns');
    expect(many.rows).toBe(0); // the header row is yielded with its chunk's rows: none got through
  });
});

describe('F5: the emulator’s ZIP writer', () => {
  it('reads its source only as fast as the ZIP is taken', async () => {
    let read = 0;
    async function* source(): AsyncGenerator<Buffer> {
      for (let i = 0; i < 400; i++) {
        read++;
        yield randomBytes(64 * 1024);
      }
    }
    const zip = zipOneFile('x.csv', source());
    await zip.next();
    await zip.next();
    await sleep(1500);
    expect(read).toBeLessThan(20);
    await zip.return(undefined);
    // The whole archive is still right when read through (csv-zip.test.ts checks its bytes).
    let total = 0;
    read = 0;
    for await (const c of zipOneFile('x.csv', source())) total += c.length;
    expect(read).toBe(400);
    expect(total).toBeGreaterThan(400 * 64 * 1024);
  });
});
