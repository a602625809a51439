import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';

describe('CRM org, users and metadata', () => {
  let emu: ZohoEmulator;
  let token: string;
  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator({ dc: 'us', seed: { users: 7 } }));
  });
  afterAll(() => emu.close());

  it('GET /org answers the documented envelope (crm-oas getOrganization sample)', async () => {
    const r = await call(emu, 'GET', '/crm/v8/org', { token });
    expect(r.status).toBe(200);
    expect(r.body.org).toHaveLength(1);
    const org = r.body.org[0];
    for (const k of ['id', 'company_name', 'primary_email', 'time_zone', 'currency', 'country', 'domain_name', 'zgid', 'primary_zuid', 'license_details']) {
      expect(org).toHaveProperty(k);
    }
    expect(org.id).toBe(emu.ctx.data.org.id);
  });

  it('requires the Zoho-oauthtoken header, a live token and the scope', async () => {
    expect((await call(emu, 'GET', '/crm/v8/org', { token: null })).body).toEqual({ code: 'AUTHENTICATION_FAILURE', details: {}, message: 'Authentication failed', status: 'error' });
    const bad = await call(emu, 'GET', '/crm/v8/org', { token: '1000.dead.beef' });
    expect(bad.status).toBe(401);
    expect(bad.body.code).toBe('INVALID_TOKEN');
    const narrow = mintToken(emu, ['ZohoCRM.modules.ALL']);
    const mismatch = await call(emu, 'GET', '/crm/v8/org', { token: narrow });
    expect(mismatch.status).toBe(401);
    expect(mismatch.body.code).toBe('OAUTH_SCOPE_MISMATCH');
  });

  it('expires access tokens on demand (INVALID_TOKEN afterwards)', async () => {
    const t = mintToken(emu);
    expect((await call(emu, 'GET', '/crm/v8/org', { token: t })).status).toBe(200);
    emu.expireAccessTokens();
    expect((await call(emu, 'GET', '/crm/v8/org', { token: t })).body.code).toBe('INVALID_TOKEN');
    token = mintToken(emu);
  });

  it('lists users by type with paging info (crm-oas getUsers sample)', async () => {
    const all = await call(emu, 'GET', '/crm/v8/users', { token, query: { type: 'AllUsers' } });
    expect(all.body.users).toHaveLength(7);
    expect(all.body.info).toEqual({ per_page: 200, count: 7, page: 1, more_records: false });
    const active = await call(emu, 'GET', '/crm/v8/users', { token, query: { type: 'ActiveUsers' } });
    expect(active.body.users.every((u: { status: string }) => u.status === 'active')).toBe(true);
    expect(active.body.users).toHaveLength(6);
    const page2 = await call(emu, 'GET', '/crm/v8/users', { token, query: { per_page: 3, page: 2 } });
    expect(page2.body.info).toEqual({ per_page: 3, count: 3, page: 2, more_records: true });
    const me = await call(emu, 'GET', '/crm/v8/users', { token, query: { type: 'CurrentUser' } });
    expect(me.body.users.map((u: { zuid: string }) => u.zuid)).toEqual([emu.ctx.data.users[0]!.zuid]);
    const none = await call(emu, 'GET', '/crm/v8/users', { token, query: { type: 'DeletedUsers' } });
    expect(none.status).toBe(204);
    expect(none.text).toBe('');
    const byIds = await call(emu, 'GET', '/crm/v8/users', { token, query: { ids: `${emu.ctx.data.users[1]!.id},${emu.ctx.data.users[3]!.id}` } });
    expect(byIds.body.users.map((u: { id: string }) => u.id)).toEqual([emu.ctx.data.users[1]!.id, emu.ctx.data.users[3]!.id]);
    const tooMany = await call(emu, 'GET', '/crm/v8/users', { token, query: { ids: Array.from({ length: 101 }, (_, i) => String(i)).join(',') } });
    expect(tooMany.status).toBe(400);
    const bad = await call(emu, 'GET', '/crm/v8/users', { token, query: { type: 'Everyone' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_DATA', details: { param_name: 'type' } });
  });

  it('gets one user by id; an unknown id is INVALID_DATA', async () => {
    const u = emu.ctx.data.users[2]!;
    const r = await call(emu, 'GET', `/crm/v8/users/${u.id}`, { token });
    expect(r.body.users[0]).toMatchObject({ id: u.id, email: u.email, full_name: u.full_name, role: u.role, profile: u.profile });
    const missing = await call(emu, 'GET', '/crm/v8/users/1234567890123456789', { token });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'INVALID_DATA', details: { resource_path_index: 1 } });
  });

  it('lists modules and fields with lookup targets (crm-oas getModules/getFields samples)', async () => {
    const mods = await call(emu, 'GET', '/crm/v8/settings/modules', { token });
    expect(mods.body.modules.map((m: { api_name: string }) => m.api_name)).toEqual(['Leads', 'Accounts', 'Contacts', 'Deals', 'Field_Visits']);
    const fields = await call(emu, 'GET', '/crm/v8/settings/fields', { token, query: { module: 'Deals' } });
    const account = fields.body.fields.find((f: { api_name: string }) => f.api_name === 'Account_Name');
    expect(account).toMatchObject({ data_type: 'lookup', json_type: 'jsonobject', lookup: { module: { api_name: 'Accounts' } } });
    const leads = await call(emu, 'GET', '/crm/v8/settings/fields', { token, query: { module: 'Leads' } });
    expect(leads.body.fields.length).toBeGreaterThan(60);
    expect((await call(emu, 'GET', '/crm/v8/settings/fields', { token })).body.code).toBe('REQUIRED_PARAM_MISSING');
    expect((await call(emu, 'GET', '/crm/v8/settings/fields', { token, query: { module: 'Nope' } })).body.code).toBe('INVALID_MODULE');
  });

  it('answers an unknown URL with 404 INVALID_URL_PATTERN and counts calls per route', async () => {
    emu.resetCalls();
    const r = await call(emu, 'GET', '/crm/v2/nothing/here/at/all', { token });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('INVALID_URL_PATTERN');
    await call(emu, 'GET', '/crm/v8/org', { token });
    await call(emu, 'GET', '/crm/v8/org', { token });
    expect(emu.count('GET /crm/v8/org')).toBe(2);
  });

  it('injects faults: 429 as the v8 examples show it (no reset headers unless asked), 5xx, and latency', async () => {
    emu.faults.rateLimit({ times: 1, match: 'GET /crm/v8/org' });
    const plain = await call(emu, 'GET', '/crm/v8/org', { token });
    expect(plain.status).toBe(429);
    expect(plain.body.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(Object.keys(plain.headers).filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
    emu.faults.rateLimit({ times: 1, resetInMs: 2000, match: 'GET /crm/v8/org' });
    const limited = await call(emu, 'GET', '/crm/v8/org', { token });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMIT_EXCEEDED');
    expect(Number(limited.headers['x-ratelimit-reset'])).toBeGreaterThan(Date.now());
    expect((await call(emu, 'GET', '/crm/v8/org', { token })).status).toBe(200);
    emu.faults.serverError({ status: 503, match: 'GET /crm/v8/org' });
    expect((await call(emu, 'GET', '/crm/v8/org', { token })).status).toBe(503);
    emu.faults.latency(150, { times: 1 });
    const t0 = performance.now();
    await call(emu, 'GET', '/crm/v8/org', { token });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('gives every DC its own ids, so a test can tell which DC served a call', async () => {
    const { emu: eu, token: euToken } = await startTestEmulator({ dc: 'eu' });
    try {
      const a = (await call(emu, 'GET', '/crm/v8/org', { token })).body.org[0];
      const b = (await call(eu, 'GET', '/crm/v8/org', { token: euToken })).body.org[0];
      expect(a.id).not.toBe(b.id);
      expect(a.primary_zuid).not.toBe(b.primary_zuid);
      // A token of one DC is unknown to another.
      expect((await call(eu, 'GET', '/crm/v8/org', { token })).body.code).toBe('INVALID_TOKEN');
    } finally {
      await eu.close();
    }
  });
});
