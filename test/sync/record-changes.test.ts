import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setModifiedTime } from '../../src/emulator/modified-since.js';
import { deletedRecords } from '../../src/emulator/deleted-records.js';
import { zohoError } from '../../src/emulator/errors.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codeOf, gql } from '../security/http.js';

/**
 * recordChanges end to end: the real gateway against the emulator, whose records' Modified_Time
 * the test lays out directly (10 records per second), so thousands of changes take no writes.
 */

const CHANGES = `query($module: String!, $since: DateTime, $syncToken: String, $first: Int) {
  recordChanges(module: $module, since: $since, syncToken: $syncToken, first: $first) {
    upserted { id modifiedTime field(name: "Deal_Name") } deleted { id deletedTime } syncToken hasMore } }`;

interface Changes {
  upserted: { id: string; modifiedTime: string; field: unknown }[];
  deleted: { id: string; deletedTime: string }[];
  syncToken: string;
  hasMore: boolean;
}

const DEALS = 2_600;
/** Every Deal's Modified_Time, 10 per second from here (a day ago, whole seconds). */
const T0 = Math.floor((Date.now() - 86_400_000) / 1000) * 1000;

describe('recordChanges: incremental sync over the emulator', () => {
  let h: Harness;
  let token: string;
  const call = async (vars: Record<string, unknown>, t = token) => {
    const a = await gql(h.app.url, t, CHANGES, { module: 'Deals', ...vars });
    if (a.body.errors) throw new Error(JSON.stringify(a.body.errors));
    return { changes: (a.body.data as { recordChanges: Changes }).recordChanges, extensions: a.body.extensions };
  };
  /** Calls until hasMore is false; returns every answer. */
  const drain = async (syncToken: string | null, between?: (page: number) => Promise<void>) => {
    const pages: Changes[] = [];
    let tokenNow = syncToken;
    for (let i = 0; i < 100; i++) {
      const { changes } = await call({ syncToken: tokenNow, first: 200 });
      pages.push(changes);
      tokenNow = changes.syncToken;
      if (!changes.hasMore) break;
      await between?.(pages.length);
    }
    return { pages, syncToken: tokenNow! };
  };

  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { deals: DEALS } } });
    // A module with no Modified_Time (before connecting: the gateway caches metadata for minutes).
    h.us.metadata.removeField('Field_Visits', 'Modified_Time');
    await h.connect('acme');
    token = await h.token('acme');
    const ids = [...h.us.ctx.records('Deals').keys()];
    setModifiedTime(h.us.ctx, 'Deals', ids, (i) => T0 + Math.floor(i / 10) * 1000);
    // A third in the org's own offset form (+05:30): the same instants, spelt as Zoho may spell them.
    ids.forEach((id, i) => {
      if (i % 3 !== 0) return;
      const rec = h.us.ctx.records('Deals').get(id)!;
      const ms = Date.parse(rec.Modified_Time as string) + 5.5 * 3600_000;
      rec.Modified_Time = new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+05:30');
    });
  });
  afterAll(() => h.close());

  let caughtUp = '';

  it('walks 2,600 changed records with page tokens; records modified and deleted during the walk are not lost', async () => {
    h.us.resetCalls();
    const store = h.us.ctx.records('Deals');
    const ids = [...store.keys()];
    // Changed during the walk: some already delivered (early in the order), some not yet (late).
    const modifiedEarly = ids.slice(5, 8);
    const modifiedLate = ids.slice(2_400, 2_403);
    const deletedDuring = [ids[10]!, ids[2_500]!];
    const { pages, syncToken } = await drain(null, async (page) => {
      if (page !== 3) return;
      setModifiedTime(h.us.ctx, 'Deals', [...modifiedEarly, ...modifiedLate], () => Date.now());
      const del = await gql(h.app.url, token, 'mutation($ids: [ID!]!) { deleteRecords(module: "Deals", ids: $ids) { status } }', { ids: deletedDuring });
      expect(del.body.data).toEqual({ deleteRecords: [{ status: 'success' }, { status: 'success' }] });
    });
    caughtUp = syncToken;

    const delivered = pages.flatMap((p) => p.upserted);
    const versions = delivered.map((r) => `${r.id}@${Date.parse(r.modifiedTime)}`);
    // Never the same version twice: the overlap is de-duplicated by the token.
    expect(new Set(versions).size).toBe(versions.length);
    // Every record alive now came, in its latest version.
    for (const [id, rec] of store) expect(versions).toContain(`${id}@${Date.parse(rec.Modified_Time as string)}`);
    // The modified ones came twice (before and after), at most.
    for (const id of [...modifiedEarly, ...modifiedLate]) expect(delivered.filter((r) => r.id === id).length).toBeLessThanOrEqual(2);
    // Oldest change first within the walk.
    const times = delivered.map((r) => Date.parse(r.modifiedTime));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(
      pages
        .flatMap((p) => p.deleted)
        .map((d) => d.id)
        .sort(),
    ).toEqual([...deletedDuring].sort());
    // Page 1 by number, every later page by Zoho's page token (past 2,000 too).
    const lists = h.us.calls.filter((c) => c.route === 'GET /crm/v8/:module');
    expect(lists.length).toBeGreaterThan(13);
    expect(lists.filter((c) => c.query.includes('page_token=')).length).toBe(lists.length - 1);
    expect(lists.every((c) => c.query.includes('sort_by=Modified_Time') && c.query.includes('sort_order=asc'))).toBe(true);
  });

  it('re-reads the last second without repeating it, and catches a change made in that same second', async () => {
    const quiet = await call({ syncToken: caughtUp });
    expect(quiet.changes).toMatchObject({ upserted: [], deleted: [], hasMore: false });
    // A write landing in the very second the walk ended (Zoho's one-second precision).
    const store = h.us.ctx.records('Deals');
    const last = Math.max(...[...store.values()].map((r) => Date.parse(r.Modified_Time as string)));
    const late = [...store.values()].find((r) => Date.parse(r.Modified_Time as string) < last - 5000)!;
    setModifiedTime(h.us.ctx, 'Deals', [late.id], () => last);
    const next = await call({ syncToken: quiet.changes.syncToken });
    expect(next.changes.upserted.map((r) => r.id)).toEqual([late.id]);
    expect(next.changes.hasMore).toBe(false);
    caughtUp = next.changes.syncToken;
  });

  it('reports a deleted record, and a record deleted then recreated (new id) as both', async () => {
    const victim = [...h.us.ctx.records('Deals').values()][42]!;
    const del = await gql(h.app.url, token, 'mutation($ids: [ID!]!) { deleteRecords(module: "Deals", ids: $ids) { status } }', { ids: [victim.id] });
    expect(del.body.data).toEqual({ deleteRecords: [{ status: 'success' }] });
    const made = await gql(h.app.url, token, 'mutation($r: [JSON!]!) { createRecords(module: "Deals", records: $r) { id status } }', { r: [{ Deal_Name: victim.Deal_Name, Stage: 'Qualification' }] });
    const newId = (made.body.data as { createRecords: { id: string }[] }).createRecords[0]!.id;
    expect(newId).not.toBe(victim.id);
    const { pages } = await drain(caughtUp);
    expect(pages.flatMap((p) => p.upserted).map((r) => r.id)).toEqual([newId]);
    expect(pages.flatMap((p) => p.upserted)[0]!.field).toBe(victim.Deal_Name);
    const deleted = pages.flatMap((p) => p.deleted);
    expect(deleted.map((d) => d.id)).toEqual([victim.id]);
    const listed = deletedRecords(h.us.ctx, 'Deals').find((d) => d.id === victim.id)!;
    expect(Date.parse(deleted[0]!.deletedTime)).toBe(Date.parse(listed.deleted_time));
    expect(listed.type).toBe('recycle');
  });

  it('since: changes at or after an instant, given with Z or with an offset', async () => {
    const at = T0 + 200 * 1000; // records 2,000–2,009 share this second
    const z = await call({ since: new Date(at).toISOString(), first: 200 });
    const offset = await call({ since: new Date(at + 5.5 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+05:30'), first: 200 });
    const ids = (c: Changes) => c.upserted.map((r) => r.id);
    expect(ids(offset.changes)).toEqual(ids(z.changes));
    expect(z.changes.upserted.every((r) => Date.parse(r.modifiedTime) >= at)).toBe(true);
    const firstTen = [...h.us.ctx.records('Deals').values()].filter((r) => Date.parse(r.Modified_Time as string) === at).map((r) => r.id);
    expect(firstTen.length).toBeGreaterThan(0);
    for (const id of firstTen) expect(ids(z.changes)).toContain(id);
  });

  it('makes exactly one records call and one deleted-records call for one page', async () => {
    await call({ first: 50 }); // metadata is warm from here on
    h.us.resetCalls();
    const { changes, extensions } = await call({ first: 50, since: new Date(T0).toISOString() });
    expect(changes.upserted).toHaveLength(50);
    expect(changes.hasMore).toBe(true);
    expect(h.us.count('GET /crm/v8/:module')).toBe(1);
    expect(h.us.count()).toBe(1);
    expect(extensions).toMatchObject({ zoho: { calls: 1 } });
    const call1 = h.us.calls[0]!;
    expect(new URLSearchParams(call1.query).get('per_page')).toBe('50');
    // The last page of a round reads the deletions too: two calls.
    h.us.resetCalls();
    const quiet = await call({ syncToken: caughtUp });
    expect(quiet.changes.hasMore).toBe(false);
    expect(h.us.count('GET /crm/v8/:module')).toBe(1);
    expect(h.us.count('GET /crm/v8/:module/deleted')).toBe(1);
    expect(h.us.count()).toBe(2);
    expect(quiet.extensions).toMatchObject({ zoho: { calls: 2 } });
  });

  it('refuses a forged token, a tampered one, and another tenant’s', async () => {
    const [payload, sig] = caughtUp.split('.');
    const flipped = `${payload}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    const state = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { b: Record<string, string> };
    state.b.tenant = 'globex';
    const rebound = `${Buffer.from(JSON.stringify(state)).toString('base64url')}.${sig}`;
    for (const bad of [flipped, rebound, 'not-a-token']) {
      const a = await gql(h.app.url, token, CHANGES, { module: 'Deals', syncToken: bad });
      expect(codeOf(a)).toBe('BAD_USER_INPUT');
      expect(a.body.errors![0]!.message).toMatch(/bad signature/);
    }
    await h.connect('globex');
    const other = await gql(h.app.url, await h.token('globex'), CHANGES, { module: 'Deals', syncToken: caughtUp });
    expect(codeOf(other)).toBe('BAD_USER_INPUT');
    expect(other.body.errors![0]!.message).toMatch(/another tenant or connection/);
    expect(other.body.data).toBeNull();
    // Another selection of fields is another sync.
    const fewer = await gql(h.app.url, token, 'query($t: String) { recordChanges(module: "Deals", syncToken: $t) { upserted { id } syncToken } }', { t: caughtUp });
    expect(codeOf(fewer)).toBe('BAD_USER_INPUT');
    expect(fewer.body.errors![0]!.message).toMatch(/another set of fields/);
  });

  it('needs records:read for the module, and refuses a module without Modified_Time', async () => {
    const narrow = await h.token('acme', 'records:read:Leads');
    const a = await gql(h.app.url, narrow, CHANGES, { module: 'Deals' });
    expect(codeOf(a)).toBe('FORBIDDEN');
    const b = await gql(h.app.url, token, 'query { recordChanges(module: "Field_Visits") { upserted { id } syncToken } }');
    expect(b.body.errors, JSON.stringify(b.body)).toBeDefined();
    expect(codeOf(b)).toBe('BAD_USER_INPUT');
    expect(b.body.errors![0]!.message).toMatch(/no Modified_Time/);
    expect(h.us.count((c) => c.path === '/crm/v8/Field_Visits')).toBe(0);
  });

  it('goes on from what it delivered when Zoho’s page token has expired mid-walk (a sync paused over 24 h)', async () => {
    const since = T0 + 200 * 1000; // records 2,000 on
    const want = [...h.us.ctx.records('Deals').values()].filter((r) => Date.parse(r.Modified_Time as string) >= since).map((r) => r.id);
    let { changes } = await call({ since: new Date(since).toISOString(), first: 100 });
    const got = new Set(changes.upserted.map((r) => r.id));
    // crm-oas getRecords response-400-expiredvalue.md
    h.us.faults.add({
      match: (req) => req.route === 'GET /crm/v8/:module' && req.query.has('page_token'),
      response: zohoError(400, 'EXPIRED_VALUE', 'Page token expired', { api_name: 'page_token', json_path: '$.query.page_token' }),
    });
    expect(changes.hasMore).toBe(true);
    const expired = await call({ syncToken: changes.syncToken, first: 100 });
    expect(expired.changes).toMatchObject({ upserted: [], deleted: [], hasMore: true });
    changes = expired.changes;
    for (let i = 0; changes.hasMore && i < 20; i++) {
      changes = (await call({ syncToken: changes.syncToken, first: 100 })).changes;
      for (const r of changes.upserted) got.add(r.id);
    }
    expect(changes.hasMore).toBe(false);
    for (const id of want) expect(got).toContain(id);
  });
});
