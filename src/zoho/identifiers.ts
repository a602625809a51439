/**
 * Zoho's names and ids as the gateway checks them before they go into a URL, a COQL query or a
 * store key.
 *
 * Api names of modules and fields (`Deals`, `Custom_Module1`, `Locked__s`): "can contain only
 * alphabets, numbers and underscore" and "should start with an alphabet"
 * (https://www.zoho.com/crm/help/api-names.html). The same page says a generated name has no two
 * underscores in a row and no trailing one, but Zoho's own system names break that rule
 * (`Locking_Information__s`, `Locked_Reason__s`:
 * https://www.zoho.com/crm/developer/docs/api/v3/get-record-locking-info.html), so it is not
 * enforced: a valid name must never be refused.
 *
 * The length bound is ours: Zoho allows 50 characters for a custom module's name
 * (D/create-custom-module-api.html); 100 leaves room for what we have not seen, and bounds what
 * goes into a URL, a COQL query or an error message.
 */
export const ZOHO_API_NAME = /^[A-Za-z][A-Za-z0-9_]{0,99}$/;

/** True for a Zoho api name (see ZOHO_API_NAME). */
export function isZohoApiName(value: unknown): boolean {
  return typeof value === 'string' && ZOHO_API_NAME.test(value);
}

/**
 * Zoho ids of records, users and custom views: digits, as JSON strings (`"4150868000000225013"`).
 * 19 digits is the most a signed 64-bit long holds, which is what Zoho's docs type them as
 * ("id long", D/get-records.html).
 */
export const ZOHO_ID = /^\d{1,19}$/;

/** True for a Zoho id (see ZOHO_ID). */
export function isZohoId(value: unknown): boolean {
  return typeof value === 'string' && ZOHO_ID.test(value);
}
