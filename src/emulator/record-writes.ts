import type { EmulatorContext } from './emulator.js';
import { recordError, recordSuccess, zohoError, type RecordOutcome } from './errors.js';
import type { FieldDef, ModuleDef } from './metadata.js';
import type { EmulatorResponse } from './router.js';
import { displayName, ownerRef } from './record-helpers.js';
import { checkRecordValues } from './record-values.js';
import { toZohoDateTime, type ZRecord, type ZUser } from './seed.js';

/**
 * The write side of the Records API: body parsing and the per-record insert / update / upsert.
 * Sources: https://www.zoho.com/crm/developer/docs/api/v8/insert-records.html,
 * .../update-records.html, .../upsert-records.html and crm-oas v8.0/record/mds/createRecords.md,
 * v8.0/record/operations/{updateRecords,upsertRecords}/operation.md with their examples.
 */

export const MAX_WRITE_RECORDS = 100;
/** `trigger` values the OAS enumerates for writes. */
export const TRIGGERS = ['approval', 'workflow', 'blueprint', 'pathfinder', 'orchestration'];

/**
 * System-defined duplicate check fields used by upsert when `duplicate_check_fields` is absent.
 * Source: crm-oas upsertRecords operation.md (`duplicate_check_fields`).
 */
export const SYSTEM_DUPLICATE_FIELDS: Record<string, string> = { Leads: 'Email', Accounts: 'Account_Name', Contacts: 'Email', Deals: 'Deal_Name' };

/**
 * The fields an upsert without `duplicate_check_fields` matches on, in order: the module's system
 * duplicate check field, then its user-defined unique fields ("If not specified, the system-defined
 * duplicate check fields are used first, followed by the user-defined unique fields",
 * D/upsert-records.html; ../shared/zoho-api.md "Writes"). The first field the record carries that
 * matches a stored record decides. UNVERIFIED: the order among several user-defined unique fields
 * (we take metadata order).
 */
export function upsertCheckFields(module: ModuleDef): string[] {
  const sys = SYSTEM_DUPLICATE_FIELDS[module.api_name];
  const own = uniqueFields(module)
    .filter((f) => f.custom === true && f.api_name !== sys)
    .map((f) => f.api_name);
  return sys ? [sys, ...own] : own;
}

export interface WriteBody {
  records: unknown[];
  body: Record<string, unknown>;
}

export function parseWriteBody(raw: string): WriteBody | { error: EmulatorResponse } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = undefined;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    // UNVERIFIED for writes: the message is Zoho's for an unparsable delete request
    // (crm-oas deleteRecords response-400-unabletoparsedatatype.md).
    return { error: zohoError(400, 'INVALID_DATA', 'either the request body or parameters is in wrong format') };
  }
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.data) || b.data.length === 0) {
    // UNVERIFIED: the envelope for a missing `data` array (the OAS marks it required, minItems 1).
    return { error: zohoError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data', json_path: '$.data' }) };
  }
  if (b.data.length > MAX_WRITE_RECORDS) {
    // crm-oas updateRecord response-400-limitexceedederror.md (the whole call refused, HTTP 400).
    return { error: { status: 400, body: { data: [recordError('LIMIT_EXCEEDED', 'count of records in your request exceeds the limit', { maximum_length: MAX_WRITE_RECORDS, api_name: 'data' })] } } };
  }
  if (b.trigger !== undefined) {
    const ok = Array.isArray(b.trigger) && b.trigger.every((t) => typeof t === 'string' && TRIGGERS.includes(t));
    if (!ok) {
      // Shape of crm-oas upsertRecords response-400-invalidsupportedvalue.md. UNVERIFIED for trigger.
      return { error: { status: 400, body: { data: [recordError('INVALID_DATA', 'invalid data', { api_name: 'trigger', json_path: '$.trigger', supported_values: TRIGGERS })] } } };
    }
  }
  return { records: b.data, body: b };
}

/** SUCCESS details as in crm-oas createRecords response-201-success.md. */
function successDetails(rec: ZRecord, approvalState: boolean): Record<string, unknown> {
  return {
    Modified_Time: rec.Modified_Time,
    Modified_By: pickRef(rec.Modified_By),
    Created_Time: rec.Created_Time,
    id: rec.id,
    Created_By: pickRef(rec.Created_By),
    ...(approvalState ? { $approval_state: 'approved' } : {}),
  };
}

const pickRef = (v: unknown) => {
  const r = v as { name: string; id: string };
  return { name: r.name, id: r.id };
};

/** Fields flagged unique (Zoho's "Do not allow duplicate values"). */
function uniqueFields(module: ModuleDef): FieldDef[] {
  return module.fields.filter((f) => f.unique === true);
}

const same = (a: unknown, b: unknown) => (typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b);

/**
 * DUPLICATE_DATA for a unique field, shaped as crm-oas createRecords
 * response-400-duplicatedataerror.md. UNVERIFIED: case-insensitive comparison.
 */
function duplicateOf(ctx: EmulatorContext, module: ModuleDef, values: Record<string, unknown>, selfId: string | undefined, index: number): RecordOutcome | undefined {
  for (const f of uniqueFields(module)) {
    const v = values[f.api_name];
    if (v === undefined || v === null || v === '') continue;
    for (const r of ctx.records(module.api_name).values()) {
      if (r.id === selfId || !same(r[f.api_name], v)) continue;
      const owner = ctx.data.users.find((u) => u.id === (r.Owner as { id?: string } | null)?.id);
      return recordError('DUPLICATE_DATA', 'duplicate data', {
        api_name: f.api_name,
        duplicate_record: { Owner: owner ? { name: owner.full_name, id: owner.id, zuid: owner.zuid } : null, id: r.id },
        json_path: `$.data[${index}].${f.api_name}`,
        id: r.id,
        more_records: false,
      });
    }
  }
  return undefined;
}

/**
 * Leads and Contacts keep the read-only Full_Name in step with First/Last name; formulas are
 * recomputed on every save; subform rows point back to their record (`Parent_Id`, v8 get-subforms.html sample).
 */
function computeDerived(module: ModuleDef, rec: ZRecord): void {
  if (module.fields.some((f) => f.api_name === 'Full_Name')) {
    rec.Full_Name = [rec.First_Name, rec.Last_Name].filter((x) => typeof x === 'string' && x !== '').join(' ');
  }
  for (const f of module.fields) {
    if (f.formula) rec[f.api_name] = f.formula.compute(rec);
    if (f.data_type !== 'subform' || !Array.isArray(rec[f.api_name])) continue;
    for (const row of rec[f.api_name] as Record<string, unknown>[]) row.Parent_Id = { name: displayName(module, rec), id: rec.id };
  }
}

/**
 * The next autonumber of a field: one past the highest number in use. UNVERIFIED: Zoho's
 * counter never reuses a number; ours does after the highest record is deleted.
 */
function nextAutoNumber(ctx: EmulatorContext, module: ModuleDef, field: FieldDef): string {
  let max = 0;
  for (const r of ctx.records(module.api_name).values()) {
    const n = Number(String(r[field.api_name] ?? '').replace(/^\D+/, ''));
    if (Number.isFinite(n) && n > max) max = n;
  }
  return `DL-${String(max + 1).padStart(4, '0')}`;
}

export interface WriteResult {
  outcome: RecordOutcome;
  /** Set when the store changed. */
  changed?: { op: 'insert' | 'update'; id: string; fields: string[] };
}

export function insertRecord(ctx: EmulatorContext, module: ModuleDef, user: ZUser, input: unknown, index: number, approvalState = true): WriteResult {
  // Checked against what the user's profile may write; stored against the whole module.
  const checked = checkRecordValues(ctx, ctx.metadata.view(module, user.profile.name), input, index, 'insert');
  if ('error' in checked) return { outcome: checked.error };
  const dup = duplicateOf(ctx, module, checked.values, undefined, index);
  if (dup) return { outcome: dup };
  const now = toZohoDateTime(ctx.now());
  const rec: ZRecord = { id: ctx.nextId() };
  for (const f of module.fields) rec[f.api_name] = f.data_type === 'autonumber' ? nextAutoNumber(ctx, module, f) : f.data_type === 'subform' || f.data_type === 'multiselectpicklist' ? [] : null;
  Object.assign(rec, checked.values, {
    Owner: checked.values.Owner ?? ownerRef(user),
    Created_By: ownerRef(user),
    Modified_By: ownerRef(user),
    Created_Time: now,
    Modified_Time: now,
  });
  computeDerived(module, rec);
  ctx.records(module.api_name).set(rec.id, rec);
  ctx.searchIndex.written(module.api_name, undefined, rec);
  return { outcome: recordSuccess('record added', successDetails(rec, approvalState)), changed: { op: 'insert', id: rec.id, fields: Object.keys(checked.values) } };
}

export function updateRecord(ctx: EmulatorContext, module: ModuleDef, user: ZUser, id: string, input: unknown, index: number, approvalState = true): WriteResult {
  const existing = ctx.records(module.api_name).get(id);
  if (!existing) {
    // UNVERIFIED: message/details for an update naming an unknown record id.
    return { outcome: recordError('INVALID_DATA', 'the id given seems to be invalid', { api_name: 'id', json_path: `$.data[${index}].id` }) };
  }
  const checked = checkRecordValues(ctx, ctx.metadata.view(module, user.profile.name), input, index, 'update', existing);
  if ('error' in checked) return { outcome: checked.error };
  const dup = duplicateOf(ctx, module, checked.values, id, index);
  if (dup) return { outcome: dup };
  const before = { ...existing };
  Object.assign(existing, checked.values, { Modified_By: ownerRef(user), Modified_Time: toZohoDateTime(ctx.now()) });
  computeDerived(module, existing);
  ctx.searchIndex.written(module.api_name, before, existing);
  return { outcome: recordSuccess('record updated', successDetails(existing, approvalState)), changed: { op: 'update', id, fields: Object.keys(checked.values) } };
}

/**
 * Upsert: update the first record matching a duplicate check field, else insert. Outcome adds
 * `action` and `duplicate_field` (crm-oas upsertRecords response-200-success.md). UNVERIFIED: an
 * `id` in the record is tried first; `duplicate_field` on insert names the first check field the
 * record carries (the OAS samples show a field name for inserts too), else null.
 */
export function upsertRecord(ctx: EmulatorContext, module: ModuleDef, user: ZUser, input: unknown, index: number, checkFields: string[]): WriteResult {
  const rec = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  let match: ZRecord | undefined;
  let dupField: string | null = null;
  const store = ctx.records(module.api_name);
  if (typeof rec.id === 'string' && store.has(rec.id)) match = store.get(rec.id);
  for (const f of checkFields) {
    const v = rec[f];
    if (v === undefined || v === null || v === '') continue;
    dupField ??= f;
    if (match) break;
    match = [...store.values()].find((r) => same(r[f], v));
    if (match) {
      dupField = f;
      break;
    }
  }
  const result = match ? updateRecord(ctx, module, user, match.id, input, index, false) : insertRecord(ctx, module, user, input, index, false);
  if (result.outcome.status !== 'success') return result;
  const { code, details, message, status } = result.outcome;
  return { ...result, outcome: { code, duplicate_field: dupField, action: match ? 'update' : 'insert', details, message, status } as RecordOutcome };
}
