import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';

/**
 * The `WRITE` operation type of Zoho's scopes (create + update): D/upsert-records.html and
 * D/insert-records.html accept ALL, WRITE or CREATE; D/update-records.html ALL, WRITE or UPDATE.
 */
describe('emulator scopes: ZohoCRM.modules.{module}.WRITE', () => {
  let emu: ZohoEmulator;
  beforeAll(async () => {
    ({ emu } = await startTestEmulator());
  });
  afterAll(() => emu.close());

  it('lets a WRITE token insert, upsert and update, and refuses reading and deleting', async () => {
    const write = mintToken(emu, ['ZohoCRM.modules.Leads.WRITE']);
    const inserted = await call(emu, 'POST', '/crm/v8/Leads', { token: write, json: { data: [{ Last_Name: 'Writer', Company: 'W' }] } });
    expect(inserted.status).toBe(201);
    const id = inserted.body.data[0].details.id as string;
    const upserted = await call(emu, 'POST', '/crm/v8/Leads/upsert', { token: write, json: { data: [{ Last_Name: 'Upserter', Company: 'W', Email: 'up@w.example' }] } });
    expect(upserted.body.data[0].status).toBe('success');
    const updated = await call(emu, 'PUT', '/crm/v8/Leads', { token: write, json: { data: [{ id, Company: 'W2' }] } });
    expect(updated.status).toBe(200);
    const read = await call(emu, 'GET', '/crm/v8/Leads', { token: write, query: { fields: 'Last_Name' } });
    expect(read.status).toBe(401);
    expect(read.body.code).toBe('OAUTH_SCOPE_MISMATCH');
    const deleted = await call(emu, 'DELETE', '/crm/v8/Leads', { token: write, query: { ids: id } });
    expect(deleted.status).toBe(401);
    expect(deleted.body.code).toBe('OAUTH_SCOPE_MISMATCH');
  });

  it('keeps CREATE to inserting and UPDATE to updating', async () => {
    const create = mintToken(emu, ['ZohoCRM.modules.Leads.CREATE']);
    const update = mintToken(emu, ['ZohoCRM.modules.Leads.UPDATE']);
    const inserted = await call(emu, 'POST', '/crm/v8/Leads', { token: create, json: { data: [{ Last_Name: 'Creator', Company: 'C' }] } });
    expect(inserted.status).toBe(201);
    const id = inserted.body.data[0].details.id as string;
    expect((await call(emu, 'PUT', '/crm/v8/Leads', { token: create, json: { data: [{ id, Company: 'C2' }] } })).status).toBe(401);
    expect((await call(emu, 'PUT', '/crm/v8/Leads', { token: update, json: { data: [{ id, Company: 'C2' }] } })).status).toBe(200);
    expect((await call(emu, 'POST', '/crm/v8/Leads', { token: update, json: { data: [{ Last_Name: 'No', Company: 'C' }] } })).status).toBe(401);
  });

  it('a WRITE for one module does not cover another', async () => {
    const write = mintToken(emu, ['ZohoCRM.modules.Leads.WRITE']);
    const other = await call(emu, 'POST', '/crm/v8/Deals', { token: write, json: { data: [{ Deal_Name: 'X', Stage: 'Qualification' }] } });
    expect(other.status).toBe(401);
  });
});
