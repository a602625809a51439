/**
 * Review 13 of the bulk export (notes/review-13.md): each finding's reproduction, asserting the
 * safe behaviour. F1: slow downloads must not take the data centre's CRM connections, and
 * downloads are capped per tenant and cut off when their client stalls.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { gql } from './http.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts an export of `module` and polls it until its download path is given. */
export async function completedExport(h: Harness, token: string, fields: string[], module = 'Leads'): Promise<{ id: string; path: string }> {
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
    expect(((await third.json()) as { errors: { extensions: { code: string; scope: string; limit: number } }[] }).errors[0]!.extensions).toMatchObject({ code: 'EXPORT_DOWNLOAD_LIMIT', scope: 'tenant', limit: 2 });
    // Both stall (1 KiB/s against ~1 MiB chunks) past EXPORT_STALL_TIMEOUT_MS and are cut off:
    // their slots are free again, and a client that reads gets the whole export.
    await sleep(4000);
    expect(stalled() - before).toBe(2);
    const res = await fetch(`${h.app.url}${path}`, { headers: { authorization: `Bearer ${attacker}` } });
    expect(res.status).toBe(200);
    expect((await res.text()).split('\n').filter(Boolean)).toHaveLength(1000);
  }, 60_000);
});
