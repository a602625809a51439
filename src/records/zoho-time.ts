/**
 * Zoho's date-times: ISO 8601 to the second with an offset, in the org's time zone or UTC
 * (`2026-01-02T08:34:05+05:30`, `2026-01-02T03:04:05Z`, `…+00:00`; crm-oas getRecords
 * response-200-leads.md, getDeletedRecords response-200-deletedrecords.md). Both offset forms
 * broke connectors that compared the strings; here they become epoch seconds before any comparison.
 */

const ZOHO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** Epoch second of a Zoho date-time (either offset form); undefined when it is not one. */
export function zohoEpochSecond(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ZOHO_DATETIME.test(value)) return undefined;
  // `+0530` (no colon) is ISO 8601 too, but Date.parse wants the colon.
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** An epoch second as the `If-Modified-Since` value Zoho documents: `2026-01-02T03:04:05+00:00`. */
export function zohoHeaderTime(epochSecond: number): string {
  return new Date(epochSecond * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
