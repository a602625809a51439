import type { AccessToken } from './accounts.js';
import type { EmulatorContext } from './emulator.js';
import { zohoError } from './errors.js';
import type { ModuleDef } from './metadata.js';
import type { EmulatorRequest, EmulatorResponse } from './router.js';
import type { RequiredScope } from './scopes.js';
import type { ZRecord, ZUser } from './seed.js';

/** Helpers shared by the record, search and write handlers. */

/** At most 100 record ids per call (`ids=` on GET and DELETE). */
export const MAX_IDS = 100;

/** `ZohoCRM.modules.{module}.{op}` (https://www.zoho.com/crm/developer/docs/api/v8/scopes.html). */
export const moduleScope =
  (op: RequiredScope['op']) =>
  (req: EmulatorRequest): RequiredScope => ({ service: 'ZohoCRM', group: 'modules', sub: req.params.module, op });

/** The module by api name, from this instance's metadata. */
export function moduleOf(ctx: EmulatorContext, apiName: string): ModuleDef | undefined {
  return ctx.modules.find((m) => m.api_name === apiName);
}

/**
 * The module as the token's user meets it: without the fields their profile cannot see, and with
 * the ones it may only read flagged read-only (org-metadata.ts says why).
 */
export function viewOf(ctx: EmulatorContext, apiName: string, token: AccessToken): ModuleDef | undefined {
  const module = moduleOf(ctx, apiName);
  return module && ctx.metadata.view(module, actingUser(ctx, token).profile.name);
}

/**
 * `{"code":"INVALID_MODULE","details":{"resource_path_index":0},"message":"the module name given
 * seems to be invalid","status":"error"}` with HTTP 400.
 * Source: crm-oas v8.0/record/operations/getRecords/examples/response-400-invaliddata.md (status 400
 * per the operation's response table), https://www.zoho.com/crm/developer/docs/api/v8/get-records.html
 */
export function invalidModule(): EmulatorResponse {
  return zohoError(400, 'INVALID_MODULE', 'the module name given seems to be invalid', { resource_path_index: 0 });
}

/** The CRM user behind an access token (Zoho records who created/modified a record). */
export function actingUser(ctx: EmulatorContext, token: AccessToken): ZUser {
  return ctx.data.users.find((u) => u.zuid === token.zuid) ?? ctx.data.users[0]!;
}

export const userRef = (u: ZUser) => ({ name: u.full_name, id: u.id });
export const ownerRef = (u: ZUser) => ({ name: u.full_name, id: u.id, email: u.email });

/** The field Zoho shows as a record's name in lookups (`{name, id}`). */
export function displayName(module: ModuleDef, record: ZRecord): string {
  if (module.fields.some((f) => f.api_name === 'Full_Name')) return String(record.Full_Name ?? '');
  const primary = module.fields.find((f) => f.mandatory && f.data_type === 'text');
  return String(primary ? (record[primary.api_name] ?? '') : record.id);
}

/**
 * A record as Zoho returns it: `id` first, then the requested fields (null when empty).
 * Without `fields`, every field of the module (Get Record by id and Search allow that).
 */
export function project(module: ModuleDef, record: ZRecord, fields?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: record.id };
  const names = fields ?? module.fields.map((f) => f.api_name);
  for (const name of names) {
    if (name === 'id') continue;
    out[name] = record[name] ?? null;
  }
  return out;
}

/**
 * Parses `fields=a,b,c`: trims, drops duplicates, keeps only the module's api names.
 * UNVERIFIED: Zoho's answer to an unknown field name in `fields`; we leave it out of the
 * response silently (what clients report seeing), rather than failing the request.
 */
export function parseFields(module: ModuleDef, raw: string): { requested: number; fields: string[] } {
  const names = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const known = new Set(module.fields.map((f) => f.api_name));
  return { requested: names.length, fields: names.filter((n) => n === 'id' || known.has(n)) };
}

/** Sort key of a record for `sort_by` (id, Created_Time, Modified_Time or any field). */
export type SortKey = [number | string, string];

export function sortKey(record: ZRecord, sortBy: string): SortKey {
  const id = record.id.padStart(20, '0');
  if (sortBy === 'id') return [id, id];
  const v = record[sortBy];
  if (sortBy === 'Created_Time' || sortBy === 'Modified_Time') return [Date.parse(String(v)) || 0, id];
  if (typeof v === 'number') return [v, id];
  if (v && typeof v === 'object' && 'name' in v) return [String((v as { name: unknown }).name).toLowerCase(), id];
  return [v === null || v === undefined ? '' : String(v).toLowerCase(), id];
}

export function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return 0;
}

/** Records sorted by `sort_by` in `sort_order`, id breaking ties (stable paging). */
export function sortRecords(records: Iterable<ZRecord>, sortBy: string, order: 'asc' | 'desc'): ZRecord[] {
  const keyed = [...records].map((r) => ({ r, k: sortKey(r, sortBy) }));
  keyed.sort((x, y) => (order === 'asc' ? compareKeys(x.k, y.k) : compareKeys(y.k, x.k)));
  return keyed.map((x) => x.r);
}

/** Parses a positive integer query parameter; `undefined` when absent, `null` when invalid. */
export function intParam(raw: string | null, min: number, max: number): number | undefined | null {
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}
