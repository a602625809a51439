/**
 * One pattern for Zoho's api names (src/zoho/api-name.ts), checked against what Zoho documents:
 * a letter first, then letters, digits and underscores (https://www.zoho.com/crm/help/api-names.html),
 * with Zoho's own double-underscore system names accepted.
 */
import { describe, expect, it } from 'vitest';
import { isZohoApiName } from '../../src/zoho/api-name.js';

describe('Zoho api names', () => {
  it('accepts standard, custom and system names', () => {
    // Standard modules and fields, a custom module's default name, and the record-locking system
    // names of D/get-record-locking-info.html.
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
