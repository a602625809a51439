import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { purgeDeleted } from '../../src/emulator/deleted-records.js';
import { setModifiedTime } from '../../src/emulator/modified-since.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';

/**
 * The emulator's side of the sync, called as Zoho is called: `If-Modified-Since` on GET records
 * (304 when nothing changed, status-codes.html) and GET /{module}/deleted (crm-oas getDeletedRecords).
 */

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
const ist = (ms: number) => new Date(ms + 5.5 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+05:30');

describe('emulator: If-Modified-Since and deleted records', () => {
  let emu: ZohoEmulator;
  let token: string;
  const clock = { now: Date.parse('2026-03-01T10:00:00Z') };
  const T0 = Date.parse('2026-03-01T09:00:00Z');
  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator({ now: () => clock.now, seed: { deals: 2_300 } }));
    setModifiedTime(emu.ctx, 'Deals', [...emu.ctx.records('Deals').keys()], (i) => T0 + i * 1000);
  });
  afterAll(() => emu.close());

  const list = (since: string | undefined, query: Record<string, string | number> = {}) =>
    call(emu, 'GET', '/crm/v8/Deals', {
      token,
      query: { fields: 'Deal_Name,Modified_Time', sort_by: 'Modified_Time', sort_order: 'asc', ...query },
      ...(since ? { headers: { 'If-Modified-Since': since } } : {}),
    });

  it('lists only records of a later second, in either offset form; none → 304 with no body', async () => {
    const at = T0 + 2_250 * 1000; // records 2,251–2,299 are later
    for (const since of [iso(at), ist(at), iso(at + 400)]) {
      const r = await list(since);
      expect(r.status).toBe(200);
      expect(r.body.data).toHaveLength(49);
      expect(Date.parse(r.body.data[0].Modified_Time)).toBe(at + 1000);
    }
    const none = await list(iso(T0 + 2_299 * 1000));
    expect(none.status).toBe(304);
    expect(none.text).toBe('');
    const bad = await list('yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_DATA', details: { param_name: 'If-Modified-Since' } });
  });

  it('walks past 2,000 with page tokens bound to the header', async () => {
    const since = iso(T0 - 1000);
    let r = await list(since, { per_page: 200 });
    let seen = r.body.data.length;
    for (let i = 0; r.body.info.more_records; i++) {
      const pt = r.body.info.next_page_token as string;
      if (i === 3) {
        const moved = await list(iso(T0), { per_page: 200, page_token: pt });
        expect(moved.body).toMatchObject({ code: 'TOKEN_BOUND_DATA_MISMATCH' });
      }
      r = await list(since, { per_page: 200, page_token: pt });
      seen += r.body.data.length;
    }
    expect(seen).toBe(2_300);
    expect((await list(since, { per_page: 200, page: 11 })).body).toMatchObject({ code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED' });
  });

  it('records deletions with Zoho’s shape, newest first, filtered by type and If-Modified-Since', async () => {
    const ids = [...emu.ctx.records('Deals').keys()].slice(0, 3);
    const names = ids.map((id) => emu.ctx.records('Deals').get(id)!.Deal_Name);
    clock.now = Date.parse('2026-03-01T10:00:00Z');
    expect((await call(emu, 'DELETE', '/crm/v8/Deals', { token, query: { ids: ids.slice(0, 2).join(',') } })).status).toBe(200);
    clock.now += 5_000;
    expect((await call(emu, 'DELETE', `/crm/v8/Deals/${ids[2]}`, { token })).status).toBe(200);
    const all = await call(emu, 'GET', '/crm/v8/Deals/deleted', { token });
    expect(all.status).toBe(200);
    expect(all.body.info).toEqual({ per_page: 200, count: 3, page: 1, more_records: false });
    const user = emu.ctx.data.users[0]!;
    expect(all.body.data[0]).toEqual({
      deleted_by: { name: user.full_name, id: user.id },
      id: ids[2],
      display_name: names[2],
      type: 'recycle',
      created_by: expect.objectContaining({ id: expect.any(String), name: expect.any(String) }),
      deleted_time: '2026-03-01T10:00:05+00:00',
    });
    expect(all.body.data.map((d: { id: string }) => d.id)).toEqual([ids[2], ids[1], ids[0]]);

    const since = await call(emu, 'GET', '/crm/v8/Deals/deleted', { token, headers: { 'If-Modified-Since': ist(Date.parse('2026-03-01T10:00:00Z')) } });
    expect(since.body.data.map((d: { id: string }) => d.id)).toEqual([ids[2]]);
    expect((await call(emu, 'GET', '/crm/v8/Deals/deleted', { token, headers: { 'If-Modified-Since': iso(clock.now) } })).status).toBe(304);

    purgeDeleted(emu.ctx, 'Deals', ids[0]!);
    const permanent = await call(emu, 'GET', '/crm/v8/Deals/deleted', { token, query: { type: 'permanent' } });
    expect(permanent.body.data).toEqual([{ deleted_by: null, id: ids[0], display_name: null, type: 'permanent', created_by: null, deleted_time: '2026-03-01T10:00:00+00:00' }]);
    expect((await call(emu, 'GET', '/crm/v8/Deals/deleted', { token, query: { type: 'recycle' } })).body.info.count).toBe(2);
    // After Zoho's 60 days in the recycle bin, every entry is permanent.
    clock.now += 61 * 86_400_000;
    token = mintToken(emu);
    expect((await call(emu, 'GET', '/crm/v8/Deals/deleted', { token, query: { type: 'recycle' } })).status).toBe(204);
    expect((await call(emu, 'GET', '/crm/v8/Deals/deleted', { token, query: { type: 'trash' } })).body).toMatchObject({ code: 'PATTERN_NOT_MATCHED', details: { param_name: 'type' } });
    const paged = await call(emu, 'GET', '/crm/v8/Deals/deleted', { token, query: { per_page: 2, page: 2 } });
    expect(paged.body.info).toEqual({ per_page: 2, count: 1, page: 2, more_records: false });
  });
});
