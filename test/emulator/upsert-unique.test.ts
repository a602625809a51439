import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { call, startTestEmulator } from '../helpers/emulator.js';

/**
 * Upsert without `duplicate_check_fields`: "the system-defined duplicate check fields are used
 * first, followed by the user-defined unique fields" (D/upsert-records.html). Contacts: system field
 * Email, user-defined unique field Customer_Number (src/emulator/metadata.ts).
 */
describe('emulator upsert: system duplicate field, then user-defined unique fields', () => {
  let emu: ZohoEmulator;
  let token: string;
  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator());
  });
  afterAll(() => emu.close());

  const upsert = (data: unknown[]) => call(emu, 'POST', '/crm/v8/Contacts/upsert', { token, json: { data } });

  it('shows the unique field in the fields metadata', async () => {
    const r = await call(emu, 'GET', '/crm/v8/settings/fields', { token, query: { module: 'Contacts' } });
    const field = r.body.fields.find((f: { api_name: string }) => f.api_name === 'Customer_Number');
    expect(field).toMatchObject({ custom_field: true, unique: { casesensitive: 'false' } });
  });

  it('matches on the unique field when the system field matches nothing', async () => {
    const first = await upsert([{ Last_Name: 'Lovelace', Email: 'ada@first.example', Customer_Number: 'C-1001' }]);
    expect(first.body.data[0]).toMatchObject({ action: 'insert', status: 'success' });
    const id = first.body.data[0].details.id as string;

    // New email, same customer number: the same contact, updated (not a DUPLICATE_DATA insert).
    const again = await upsert([{ Last_Name: 'Lovelace', Email: 'ada@second.example', Customer_Number: 'c-1001' }]);
    expect(again.status).toBe(200);
    expect(again.body.data[0]).toMatchObject({ code: 'SUCCESS', action: 'update', duplicate_field: 'Customer_Number', details: { id } });
    expect(emu.ctx.records('Contacts').get(id)!.Email).toBe('ada@second.example');
  });

  it('checks the system field first: an Email match wins over a Customer_Number match', async () => {
    const a = (await upsert([{ Last_Name: 'A', Email: 'a@order.example', Customer_Number: 'C-2001' }])).body.data[0].details.id as string;
    const b = (await upsert([{ Last_Name: 'B', Email: 'b@order.example', Customer_Number: 'C-2002' }])).body.data[0].details.id as string;
    expect(a).not.toBe(b);
    // Email names A, the customer number names B: Zoho takes the system field's match.
    const r = await upsert([{ Last_Name: 'A2', Email: 'a@order.example' }]);
    expect(r.body.data[0]).toMatchObject({ action: 'update', duplicate_field: 'Email', details: { id: a } });
    const clash = await upsert([{ Last_Name: 'A3', Email: 'a@order.example', Customer_Number: 'C-2002' }]);
    // A is updated and would take B's number: the unique field refuses it.
    expect(clash.body.data[0]).toMatchObject({ code: 'DUPLICATE_DATA', details: { api_name: 'Customer_Number', id: b } });
  });

  it('with duplicate_check_fields given, checks only those', async () => {
    await upsert([{ Last_Name: 'Only', Email: 'only@x.example', Customer_Number: 'C-3001' }]);
    const r = await call(emu, 'POST', '/crm/v8/Contacts/upsert', {
      token,
      json: { data: [{ Last_Name: 'Only', Email: 'other@x.example', Customer_Number: 'C-3001' }], duplicate_check_fields: ['Email'] },
    });
    expect(r.body.data[0]).toMatchObject({ code: 'DUPLICATE_DATA', details: { api_name: 'Customer_Number' } });
  });
});
