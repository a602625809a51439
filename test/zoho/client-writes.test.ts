import { beforeEach, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { clientToDeadPort, sharedEmulator, clientFor, CONNECTION, rejection, TENANT } from './client-helpers.js';

/** Writes are sent again only when Zoho's answer proves nothing was written (429). */
describe('ZohoClient and writes', () => {
  const emulator = sharedEmulator();
  let emu: ZohoEmulator;
  beforeEach(() => {
    emu = emulator();
  });

  const leadsNamed = (lastName: string) => [...emu.ctx.records('Leads').values()].filter((r) => (r as { Last_Name?: unknown }).Last_Name === lastName);
  const insertLead = (lastName: string) => ({ method: 'POST' as const, path: '/Leads', body: { data: [{ Last_Name: lastName, Company: 'Acme' }] } });

  it('does not retry a write answered 500, and says its outcome is unknown', async () => {
    const rig = clientFor(emu, { retry: { baseDelayMs: 5 } });
    emu.faults.serverError({ times: 1, match: 'POST /crm/v8/:module' });
    const err = await rejection(rig.client.call(TENANT, CONNECTION, insertLead('Write-500')));

    expect(err.extensions.code).toBe('ZOHO_UNAVAILABLE');
    expect(err.extensions.writeOutcome).toBe('UNKNOWN');
    expect(err.message).toMatch(/may or may not have happened/);
    expect(emu.count('POST /crm/v8/:module')).toBe(1);
    expect(rig.attempts).toHaveLength(1);
    expect(rig.sleeps).toEqual([]);
  });

  it('does not retry an update answered 503 either', async () => {
    const rig = clientFor(emu, { retry: { baseDelayMs: 5 } });
    const [id] = [...emu.ctx.records('Leads').keys()];
    emu.faults.serverError({ times: 1, status: 503, match: 'PUT /crm/v8/:module' });
    const err = await rejection(rig.client.call(TENANT, CONNECTION, { method: 'PUT', path: '/Leads', body: { data: [{ id, Last_Name: 'Updated' }] } }));
    expect(err.extensions).toMatchObject({ code: 'ZOHO_UNAVAILABLE', writeOutcome: 'UNKNOWN' });
    expect(emu.count('PUT /crm/v8/:module')).toBe(1);
  });

  it('retries a write refused with 429 and writes it exactly once', async () => {
    const rig = clientFor(emu);
    emu.faults.rateLimit({ times: 1, resetInMs: 100, match: 'POST /crm/v8/:module' });
    const before = emu.ctx.records('Leads').size;
    const res = await rig.client.call<{ data: Array<{ code: string; details: { id: string } }> }>(TENANT, CONNECTION, insertLead('Write-429'));

    expect(res.status).toBe(201);
    expect(res.body?.data[0]?.code).toBe('SUCCESS');
    expect(emu.count('POST /crm/v8/:module')).toBe(2);
    expect(emu.ctx.records('Leads').size).toBe(before + 1);
    expect(leadsNamed('Write-429')).toHaveLength(1);
    expect(rig.attempts.map((a) => [a.status, a.credits])).toEqual([
      [429, 0],
      [201, 1],
    ]);
  });

  it('retries a write marked idempotent on a 5xx', async () => {
    const rig = clientFor(emu, { retry: { baseDelayMs: 5 } });
    const [id] = [...emu.ctx.records('Leads').keys()];
    emu.faults.serverError({ times: 1, match: 'PUT /crm/v8/:module' });
    const res = await rig.client.call(TENANT, CONNECTION, { method: 'PUT', path: '/Leads', body: { data: [{ id, Last_Name: 'Same-Again' }] }, idempotent: true });
    expect(res.status).toBe(200);
    expect(emu.count('PUT /crm/v8/:module')).toBe(2);
  });

  it('does not retry a write whose connection was refused, and says nothing was written', async () => {
    const seen: number[] = [];
    const client = await clientToDeadPort({ sleep: async () => undefined });
    const err = await rejection(client.call(TENANT, CONNECTION, insertLead('Never'), (a) => seen.push(a.status)));
    await client.close();
    expect(err.extensions).toMatchObject({ code: 'ZOHO_UNAVAILABLE', writeOutcome: 'NOT_WRITTEN' });
    expect(seen).toEqual([0]);
  });
});
