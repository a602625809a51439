import { zohoError } from './errors.js';
import type { EmulatorRequest, EmulatorResponse } from './router.js';

/**
 * The `If-Modified-Since` request header of Zoho's GET APIs: "records modified after" an ISO 8601
 * date-time, e.g. `2019-07-25T15:26:49+05:30` (https://www.zoho.com/crm/developer/docs/api/v8/get-records.html;
 * crm-oas v8.0 getDeletedRecords operation.md: header, string/date-time, ISO 8601; Zoho's v1→v2
 * comparison https://www.zoho.com/crm/help/api-diff/getDeletedRecordIds.html shows the `+05:30` form).
 * Zoho's timestamps have one-second precision, so "after" compares whole seconds.
 * When nothing was modified after it, Zoho answers 304 Not Modified ("The requested resource has
 * not been modified after the time mentioned in the If-Modified-Since header in a GET API",
 * https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html); without the header an empty
 * list stays 204.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Epoch second of an ISO 8601 date-time with `Z` or a `±hh:mm` offset; undefined when it is not one. */
export function epochSecond(text: string): number | undefined {
  if (!ISO.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/** The header as an epoch second, `null` when absent, or the error answer when malformed. */
export function modifiedSince(req: EmulatorRequest): number | null | EmulatorResponse {
  const raw = req.headers['if-modified-since'];
  if (raw === undefined) return null;
  const text = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
  const s = epochSecond(text);
  // UNVERIFIED: Zoho's answer to a malformed header (modelled on the INVALID_DATA of a bad parameter).
  if (s === undefined) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'If-Modified-Since' });
  return s;
}

/** True when a record timestamp (Zoho's string) lies in a later second than `since`. */
export function modifiedAfter(value: unknown, since: number): boolean {
  const s = typeof value === 'string' ? epochSecond(value) : undefined;
  return s !== undefined && s > since;
}

export const NOT_MODIFIED: EmulatorResponse = { status: 304 };

/**
 * Test hook: sets records' Modified_Time directly (epoch ms, stored at Zoho's one-second
 * precision), so a test can lay out thousands of changes over chosen seconds without thousands of
 * writes. `at(i)` gives the time of the i-th id.
 */
export function setModifiedTime(ctx: { records(module: string): Map<string, Record<string, unknown>> }, module: string, ids: readonly string[], at: (i: number) => number): void {
  const store = ctx.records(module);
  ids.forEach((id, i) => {
    const rec = store.get(id);
    if (!rec) throw new Error(`no ${module} record ${id}`);
    rec.Modified_Time = new Date(Math.floor(at(i) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  });
}
