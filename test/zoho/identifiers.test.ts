/**
 * One pattern for Zoho's api names, one for ids (src/zoho/identifiers.ts), checked against what Zoho documents:
 * a letter first, then letters, digits and underscores (https://www.zoho.com/crm/help/api-names.html),
 * with Zoho's own double-underscore system names accepted.
 */
import { describe, expect, it } from 'vitest';
import { isZohoApiName, isZohoId } from '../../src/zoho/identifiers.js';

describe('Zoho api names', () => {
  it('accepts standard, custom and system names', () => {
    // Standard modules and fields, a custom module's default name, and the record-locking system
    // names of Zoho's record-locking API (api/v3/get-record-locking-info.html).
    for (const name of ['Leads', 'Deals', 'Deal_Name', 'Custom_Module1', 'Locking_Information__s', 'Locked_Reason__s', 'Record_Locking_Rule_Id__s', 'a', 'A'.repeat(100)]) {
      expect(isZohoApiName(name), name).toBe(true);
    }
  });

  it('refuses a leading digit or underscore, other characters, and overlong names', () => {
    for (const name of ['1Leads', '2', '_Leads', '__typename', 'Deal Name', 'Deals/1', 'Deals?x', 'Déals', 'Leads\n', '', 'A'.repeat(101)]) {
      expect(isZohoApiName(name), JSON.stringify(name)).toBe(false);
    }
    for (const value of [undefined, null, 42, ['Leads'], { Leads: 1 }]) expect(isZohoApiName(value)).toBe(false);
  });
});

describe('Zoho ids', () => {
  it('are 1 to 19 digits, as strings', () => {
    for (const id of ['1', '4150868000000225013', '9'.repeat(19)]) expect(isZohoId(id), id).toBe(true);
    for (const id of ['', '9'.repeat(20), '-1', '12a', ' 12', '1.5', 4150868000000225, null]) expect(isZohoId(id), String(id)).toBe(false);
  });
});
