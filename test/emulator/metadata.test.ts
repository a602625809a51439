import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { MODULES } from '../../src/emulator/metadata.js';
import type { WatchNotifier } from '../../src/emulator/routes/watch.js';
import { ALL_CRM_SCOPES, call, mintToken, startTestEmulator } from '../helpers/emulator.js';

/**
 * Per-instance, mutable metadata (src/emulator/org-metadata.ts): each emulator plays one org with its
 * own module and field definitions, changed through `emu.metadata`, and every route reads them.
 */

type Field = { api_name: string; data_type: string; read_only: boolean; field_read_only: boolean; visible: boolean; profiles: { permission_type: string; name: string; id: string }[] };

const fieldNames = async (emu: ZohoEmulator, token: string, module: string): Promise<string[]> => {
  const r = await call(emu, 'GET', '/crm/v8/settings/fields', { token, query: { module } });
  expect(r.status).toBe(200);
  return (r.body.fields as Field[]).map((f) => f.api_name);
};

const coql = (emu: ZohoEmulator, token: string, select_query: string) => call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query } });

describe('per-instance metadata: two data centres, two shapes', () => {
  let us: ZohoEmulator;
  let eu: ZohoEmulator;
  let usToken: string;
  let euToken: string;
  beforeAll(async () => {
    ({ emu: us, token: usToken } = await startTestEmulator({ dc: 'us' }));
    ({ emu: eu, token: euToken } = await startTestEmulator({ dc: 'eu' }));
  });
  afterAll(async () => {
    await us.close();
    await eu.close();
  });

  it('a field added to Deals on the US DC is in US metadata only, null on old records, and writable', async () => {
    const before = await fieldNames(us, usToken, 'Deals');
    us.metadata.addField('Deals', { api_name: 'Renewal_Risk', field_label: 'Renewal Risk', data_type: 'picklist', picklist: ['Low', 'High'], custom: true });

    expect(await fieldNames(us, usToken, 'Deals')).toEqual([...before, 'Renewal_Risk']);
    expect(await fieldNames(eu, euToken, 'Deals')).not.toContain('Renewal_Risk');
    // The template every new instance copies is untouched.
    expect(MODULES.find((m) => m.api_name === 'Deals')!.fields.map((f) => f.api_name)).not.toContain('Renewal_Risk');

    const id = [...us.ctx.records('Deals').keys()][0]!;
    const old = await call(us, 'GET', `/crm/v8/Deals/${id}`, { token: usToken, query: { fields: 'Deal_Name,Renewal_Risk' } });
    expect(old.body.data[0]).toEqual({ id, Deal_Name: us.ctx.records('Deals').get(id)!.Deal_Name, Renewal_Risk: null });

    const put = await call(us, 'PUT', '/crm/v8/Deals', { token: usToken, json: { data: [{ id, Renewal_Risk: 'High' }] } });
    expect([put.status, put.body.data[0].code]).toEqual([200, 'SUCCESS']);
    const bad = await call(us, 'PUT', '/crm/v8/Deals', { token: usToken, json: { data: [{ id, Renewal_Risk: 'Medium' }] } });
    expect(bad.body.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Renewal_Risk', supported_values: ['Low', 'High'] } });
    // The same write on EU names a field that org does not have.
    const euId = [...eu.ctx.records('Deals').keys()][0]!;
    const euPut = await call(eu, 'PUT', '/crm/v8/Deals', { token: euToken, json: { data: [{ id: euId, Renewal_Risk: 'High' }] } });
    expect(euPut.body.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Renewal_Risk' } });

    // COQL, search and list read the new field too.
    const q = await coql(us, usToken, "select Deal_Name, Renewal_Risk from Deals where Renewal_Risk = 'High'");
    expect(q.body.data).toEqual([{ Deal_Name: us.ctx.records('Deals').get(id)!.Deal_Name, Renewal_Risk: 'High', id }]);
    const euQ = await coql(eu, euToken, "select Deal_Name from Deals where Renewal_Risk = 'High'");
    expect([euQ.status, euQ.body.code, euQ.body.details]).toEqual([400, 'INVALID_QUERY', { column_name: 'Renewal_Risk', clause: 'where' }]);
    const s = await call(us, 'GET', '/crm/v8/Deals/search', { token: usToken, query: { criteria: '(Renewal_Risk:equals:High)', fields: 'Renewal_Risk' } });
    expect(s.body.data).toEqual([{ id, Renewal_Risk: 'High' }]);
  });

  it('a field added while clients run is seen by the next metadata call; a removed one is gone with its values', async () => {
    expect(await fieldNames(eu, euToken, 'Leads')).not.toContain('Churn_Score');
    eu.metadata.addField('Leads', { api_name: 'Churn_Score', field_label: 'Churn Score', data_type: 'integer', custom: true }, { value: (_r, i) => i });
    expect(await fieldNames(eu, euToken, 'Leads')).toContain('Churn_Score');
    const first = await coql(eu, euToken, 'select Churn_Score from Leads where Churn_Score = 0');
    expect(first.body.data).toHaveLength(1);

    eu.metadata.removeField('Leads', 'Churn_Score');
    expect(await fieldNames(eu, euToken, 'Leads')).not.toContain('Churn_Score');
    expect([...eu.ctx.records('Leads').values()].some((r) => 'Churn_Score' in r)).toBe(false);
    const write = await call(eu, 'POST', '/crm/v8/Leads', { token: euToken, json: { data: [{ Last_Name: 'Gone', Churn_Score: 3 }] } });
    expect(write.body.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Churn_Score' } });
  });

  it('a custom module literally named Records is listed, seeded, queryable, writable and watchable', async () => {
    us.metadata.addModule(
      { api_name: 'Records', singular_label: 'Record', plural_label: 'Records', fields: [{ api_name: 'Score', field_label: 'Score', data_type: 'integer', custom: true }] },
      { records: 3 },
    );
    const mods = await call(us, 'GET', '/crm/v8/settings/modules', { token: usToken });
    expect(mods.body.modules.find((m: { api_name: string }) => m.api_name === 'Records')).toMatchObject({ generated_type: 'custom', module_name: 'CustomModule2', api_supported: true });
    const euMods = await call(eu, 'GET', '/crm/v8/settings/modules', { token: euToken });
    expect(euMods.body.modules.map((m: { api_name: string }) => m.api_name)).not.toContain('Records');
    expect((await call(eu, 'GET', '/crm/v8/Records', { token: euToken, query: { fields: 'Name' } })).body.code).toBe('INVALID_MODULE');

    expect(await fieldNames(us, usToken, 'Records')).toEqual(['Name', 'Score', 'Owner', 'Created_By', 'Modified_By', 'Created_Time', 'Modified_Time']);
    const list = await call(us, 'GET', '/crm/v8/Records', { token: usToken, query: { fields: 'Name,Score', sort_order: 'asc' } });
    expect(list.body.data.map((r: { Name: string; Score: number }) => [r.Name, r.Score])).toEqual([
      ['Record 1', 1],
      ['Record 2', 2],
      ['Record 3', 3],
    ]);
    const ins = await call(us, 'POST', '/crm/v8/Records', { token: usToken, json: { data: [{ Name: 'Fourth', Score: 4 }] } });
    expect(ins.status).toBe(201);
    const q = await coql(us, usToken, 'select Name from Records where Score >= 3 order by Score desc');
    expect(q.body.data.map((r: { Name: string }) => r.Name)).toEqual(['Fourth', 'Record 3']);
    const watch = await call(us, 'POST', '/crm/v8/actions/watch', {
      token: usToken,
      json: { watch: [{ channel_id: 77, events: ['Records.all'], notify_url: 'https://hooks.example/records' }] },
    });
    expect(watch.body.watch[0]).toMatchObject({ code: 'SUCCESS', details: { events: [expect.objectContaining({ resource_name: 'Records' })] } });
  });
});

describe('field visibility by profile (demo org: Internal_Margin hidden, Approved_Discount read-only for Administrator)', () => {
  let emu: ZohoEmulator;
  let admin: string;
  let standard: string;
  let dealId: string;
  beforeAll(async () => {
    ({ emu, token: admin } = await startTestEmulator());
    const std = emu.ctx.data.users.find((u) => u.profile.name === 'Standard' && u.status === 'active')!;
    standard = mintToken(emu, ALL_CRM_SCOPES, std.zuid);
    dealId = [...emu.ctx.records('Deals').keys()][0]!;
  });
  afterAll(() => emu.close());

  it('fields metadata lists every field with each profile’s permission; read_only is the current user’s', async () => {
    const r = await call(emu, 'GET', '/crm/v8/settings/fields', { token: admin, query: { module: 'Deals' } });
    const byName = new Map((r.body.fields as Field[]).map((f) => [f.api_name, f]));
    const adminId = emu.ctx.data.users[0]!.profile.id;
    const stdId = emu.ctx.data.users.find((u) => u.profile.name === 'Standard')!.profile.id;
    expect(byName.get('Internal_Margin')).toMatchObject({
      data_type: 'currency',
      read_only: true,
      field_read_only: false,
      profiles: [
        { permission_type: 'hidden', name: 'Administrator', id: adminId },
        { permission_type: 'read_write', name: 'Standard', id: stdId },
      ],
    });
    expect(byName.get('Approved_Discount')).toMatchObject({
      read_only: true,
      field_read_only: false,
      profiles: [
        { permission_type: 'read_only', name: 'Administrator' },
        { permission_type: 'read_write', name: 'Standard' },
      ],
    });
    expect(byName.get('Amount')).toMatchObject({ read_only: false, profiles: [{ permission_type: 'read_write' }, { permission_type: 'read_write' }] });
    // The Standard user's view of the same fields: both writable.
    const s = await call(emu, 'GET', '/crm/v8/settings/fields', { token: standard, query: { module: 'Deals' } });
    expect((s.body.fields as Field[]).filter((f) => ['Internal_Margin', 'Approved_Discount'].includes(f.api_name)).map((f) => f.read_only)).toEqual([false, false]);
  });

  it('record reads leave out the hidden field for that profile only', async () => {
    const rec = emu.ctx.records('Deals').get(dealId)!;
    const one = await call(emu, 'GET', `/crm/v8/Deals/${dealId}`, { token: admin });
    expect(one.body.data[0]).not.toHaveProperty('Internal_Margin');
    expect(one.body.data[0].Approved_Discount).toBe(rec.Approved_Discount);
    const listed = await call(emu, 'GET', '/crm/v8/Deals', { token: admin, query: { fields: 'Deal_Name,Internal_Margin', per_page: 1 } });
    expect(Object.keys(listed.body.data[0])).toEqual(['id', 'Deal_Name']);
    const theirs = await call(emu, 'GET', `/crm/v8/Deals/${dealId}`, { token: standard, query: { fields: 'Internal_Margin' } });
    expect(theirs.body.data[0]).toEqual({ id: dealId, Internal_Margin: rec.Internal_Margin });

    const q = await coql(emu, admin, 'select Deal_Name, Internal_Margin from Deals where id is not null');
    expect([q.status, q.body.code, q.body.details]).toEqual([400, 'INVALID_QUERY', { column_name: 'Internal_Margin', clause: 'select' }]);
    const q2 = await coql(emu, standard, `select Internal_Margin from Deals where id = ${dealId}`);
    expect(q2.body.data).toEqual([{ Internal_Margin: rec.Internal_Margin, id: dealId }]);
    const s = await call(emu, 'GET', '/crm/v8/Deals/search', { token: admin, query: { criteria: '(Internal_Margin:greater_than:0)' } });
    expect([s.status, s.body.code]).toEqual([400, 'INVALID_QUERY']);
  });

  it('writes refuse the hidden field as unknown and the read-only one as not allowed; Standard may write both', async () => {
    const hidden = await call(emu, 'PUT', '/crm/v8/Deals', { token: admin, json: { data: [{ id: dealId, Internal_Margin: 1 }] } });
    expect(hidden.body.data[0]).toMatchObject({ code: 'INVALID_DATA', details: { api_name: 'Internal_Margin' } });
    const ro = await call(emu, 'PUT', '/crm/v8/Deals', { token: admin, json: { data: [{ id: dealId, Approved_Discount: 5 }] } });
    expect(ro.body.data[0]).toMatchObject({ code: 'NOT_ALLOWED', details: { api_name: 'Approved_Discount' } });
    const ok = await call(emu, 'PUT', '/crm/v8/Deals', { token: standard, json: { data: [{ id: dealId, Internal_Margin: 1234, Approved_Discount: 7.5 }] } });
    expect(ok.body.data[0].code).toBe('SUCCESS');
    expect(emu.ctx.records('Deals').get(dealId)).toMatchObject({ Internal_Margin: 1234, Approved_Discount: 7.5 });
    // An insert by the admin leaves the hidden field empty rather than without a value.
    const ins = await call(emu, 'POST', '/crm/v8/Deals', { token: admin, json: { data: [{ Deal_Name: 'Hidden margin', Stage: 'Qualification' }] } });
    expect(emu.ctx.records('Deals').get(ins.body.data[0].details.id)).toMatchObject({ Internal_Margin: null });
  });

  it("an update notification leaves a hidden field out of the channel owner's affected fields and values", async () => {
    const notifier = emu.ctx.notifier as WatchNotifier;
    const on = await call(emu, 'POST', '/crm/v8/actions/watch', {
      token: admin,
      // Port 9 (discard): the delivery fails, but the notifier records what it would have sent.
      json: { watch: [{ channel_id: 500, events: ['Deals.edit'], notify_url: 'http://127.0.0.1:9/hook', return_affected_field_values: true }] },
    });
    expect(on.body.watch[0].code).toBe('SUCCESS');
    const put = await call(emu, 'PUT', '/crm/v8/Deals', { token: standard, json: { data: [{ id: dealId, Internal_Margin: 999, Amount: 4242 }] } });
    expect(put.body.data[0].code).toBe('SUCCESS');
    await notifier.idle();
    const payload = notifier.deliveries.find((d) => d.channelId === '500')!.payload as { affected_fields: Record<string, string[]>[]; affected_values: { values: Record<string, unknown> }[] };
    expect(payload.affected_fields).toEqual([{ [dealId]: ['Amount'] }]);
    expect(payload.affected_values[0]!.values).toEqual({ Amount: 4242 });
    await call(emu, 'DELETE', '/crm/v8/actions/watch', { token: admin, query: { channel_ids: '500' } });
  });

  it('setFieldPermission changes what a profile sees on the next call', async () => {
    emu.metadata.setFieldPermission('Deals', 'Internal_Margin', 'Administrator', 'read_write');
    try {
      const one = await call(emu, 'GET', `/crm/v8/Deals/${dealId}`, { token: admin, query: { fields: 'Internal_Margin' } });
      expect(one.body.data[0]).toEqual({ id: dealId, Internal_Margin: 999 });
    } finally {
      emu.metadata.setFieldPermission('Deals', 'Internal_Margin', 'Administrator', 'hidden');
    }
    const again = await call(emu, 'GET', `/crm/v8/Deals/${dealId}`, { token: admin, query: { fields: 'Internal_Margin' } });
    expect(again.body.data[0]).toEqual({ id: dealId });
  });
});

describe('a slow metadata answer', () => {
  let emu: ZohoEmulator;
  let token: string;
  beforeEach(async () => {
    ({ emu, token } = await startTestEmulator());
  });
  afterEach(() => emu.close());

  const settled = (p: Promise<unknown>) => {
    const state = { done: false };
    void p.then(() => (state.done = true));
    return state;
  };

  it('faults.hold keeps GET /settings/fields pending until the test releases it; other calls pass', async () => {
    const gate = emu.faults.hold('GET /crm/v8/settings/fields');
    // When the held call has reached the emulator (a condition, not a sleep): the field added
    // after this point can only be in its answer if the answer really waited for the release.
    const take = vi.spyOn(emu.faults, 'take');
    const arrived = () => take.mock.calls.some(([req]) => req.path === '/crm/v8/settings/fields');
    const pending = call(emu, 'GET', '/crm/v8/settings/fields', { token, query: { module: 'Deals' } });
    const state = settled(pending);
    await vi.waitFor(() => expect(arrived()).toBe(true));
    const modules = await call(emu, 'GET', '/crm/v8/settings/modules', { token });
    expect(modules.status).toBe(200);
    expect(state.done).toBe(false);
    // Changed while the answer is held: the answer is built on release, so it carries the field.
    emu.metadata.addField('Deals', { api_name: 'Late_Field', field_label: 'Late Field', data_type: 'text', custom: true });
    gate.release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.fields.map((f: Field) => f.api_name)).toContain('Late_Field');
    // Only the first matching call was held.
    expect((await call(emu, 'GET', '/crm/v8/settings/fields', { token, query: { module: 'Leads' } })).status).toBe(200);
  });

  it('delayMs delays GET /settings/fields (the existing fault)', async () => {
    emu.faults.add({ match: 'GET /crm/v8/settings/fields', delayMs: 400 });
    const pending = call(emu, 'GET', '/crm/v8/settings/fields', { token, query: { module: 'Deals' } });
    const state = settled(pending);
    await new Promise((r) => setTimeout(r, 50));
    expect(state.done).toBe(false);
    expect((await pending).status).toBe(200);
  });
});
