import type { EmulatorContext } from './emulator.js';
import { recordError, type RecordOutcome } from './errors.js';
import type { FieldDef, ModuleDef } from './metadata.js';
import { displayName, moduleOf, ownerRef } from './record-helpers.js';
import type { ZRecord } from './seed.js';

/**
 * Checks the values of one record in a write (insert / update / upsert) against the module's field
 * metadata and turns them into what the store keeps (lookups become `{name, id}`).
 * Per-record error shapes follow crm-oas v8.0/record/mds/createRecords.md:
 *  - MANDATORY_NOT_FOUND `{api_name, json_path}` "required field not found"
 *    (examples response-400-mandatorynotfound*.md);
 *  - INVALID_DATA `{expected_data_type, api_name, json_path}` "invalid data"
 *    (response-400-invaliddatatype.md), `{maximum_length, api_name, json_path}` for too long a
 *    value (response-400-invaliddatalength.md), `{api_name, json_path, supported_values}` for a value
 *    outside a fixed list (upsertRecords response-400-invalidsupportedvalue.md).
 * UNVERIFIED (marked where used): unknown field names, read-only fields, the order Zoho checks in.
 *
 * Multi-select picklists are written as a JSON array of values and subforms as a JSON array of row
 * objects; an empty array clears a subform ("If there are no JSON objects given within the subform
 * attribute, that subform will be deleted", https://www.zoho.com/crm/developer/docs/api/v8/insert-subforms.html).
 * On update a row with an `id` updates that row, a row without one is added, and rows left out are
 * removed (https://www.zoho.com/crm/developer/docs/api/v8/update-subforms.html).
 */

/** "Each record's subform can have a maximum of 100 subform records" (v8 subforms.html). */
export const MAX_SUBFORM_ROWS = 100;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)?$/;

type Coerced = { value: unknown } | { error: RecordOutcome };

const empty = (v: unknown) => v === undefined || v === null || v === '';

export function checkRecordValues(
  ctx: EmulatorContext,
  module: ModuleDef,
  input: unknown,
  index: number,
  mode: 'insert' | 'update',
  existing?: ZRecord,
): { values: Record<string, unknown> } | { error: RecordOutcome } {
  const path = `$.data[${index}]`;
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    // UNVERIFIED: Zoho's answer to a non-object entry in data[].
    return { error: recordError('INVALID_DATA', 'invalid data', { json_path: path }) };
  }
  const rec = input as Record<string, unknown>;
  // Mandatory fields first: on insert they must be present; an update must not blank them.
  for (const f of module.fields) {
    if (!f.mandatory || f.readOnly) continue;
    const missing = mode === 'insert' ? empty(rec[f.api_name]) : f.api_name in rec && empty(rec[f.api_name]);
    if (missing) return { error: recordError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: f.api_name, json_path: `${path}.${f.api_name}` }) };
  }
  const values: Record<string, unknown> = {};
  for (const [key, val] of Object.entries(rec)) {
    // `id` is the caller's business; `$`-keys, Layout and trigger-like extras are not fields.
    if (key === 'id' || key.startsWith('$') || key === 'Layout') continue;
    const field = module.fields.find((f) => f.api_name === key);
    const jsonPath = `${path}.${key}`;
    if (!field) {
      // UNVERIFIED: Zoho may ignore unknown keys; we refuse them so a client's typo shows up.
      // Message as in crm-oas createRecords response-207-mixedresults.md.
      return { error: recordError('INVALID_DATA', 'the field api name given seems to be invalid', { api_name: key, json_path: jsonPath }) };
    }
    if (field.readOnly) {
      // UNVERIFIED: NOT_ALLOWED is the OAS code for "value not allowed" (NotAllowedDataValueError).
      return { error: recordError('NOT_ALLOWED', 'the field is read only', { api_name: key, json_path: jsonPath }) };
    }
    const c = field.data_type === 'subform' ? subform(ctx, field, val, jsonPath, existing) : coerce(ctx, field, val, jsonPath);
    if ('error' in c) return c;
    values[key] = c.value;
  }
  return { values };
}

/**
 * A subform value: an array of row objects, each checked against the subform module's fields.
 * Rows come back with an `id` (kept when it names a row of this record, else new); `Parent_Id` is
 * filled in by the caller once the record's id is known. UNVERIFIED: the error for an unknown row id
 * and for more than 100 rows (modelled on the write envelope's LIMIT_EXCEEDED).
 */
function subform(ctx: EmulatorContext, field: FieldDef, val: unknown, jsonPath: string, existing?: ZRecord): Coerced {
  if (val === null) return { value: [] };
  const sub = field.subformModule ? ctx.metadata.subform(field.subformModule) : undefined;
  if (!Array.isArray(val) || !sub) return typeError(field, jsonPath);
  if (val.length > MAX_SUBFORM_ROWS) {
    return { error: recordError('LIMIT_EXCEEDED', 'count of records in your request exceeds the limit', { maximum_length: MAX_SUBFORM_ROWS, api_name: field.api_name, json_path: jsonPath }) };
  }
  const current = new Map<string, Record<string, unknown>>();
  for (const row of Array.isArray(existing?.[field.api_name]) ? (existing![field.api_name] as Record<string, unknown>[]) : []) current.set(String(row.id), row);
  const rows: Record<string, unknown>[] = [];
  for (const [i, raw] of val.entries()) {
    const rowPath = `${jsonPath}[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return typeError(field, rowPath);
    const input = raw as Record<string, unknown>;
    let base: Record<string, unknown> | undefined;
    if (input.id !== undefined) {
      base = current.get(String(input.id));
      if (!base) return { error: recordError('INVALID_DATA', 'the id given seems to be invalid', { api_name: field.api_name, json_path: `${rowPath}.id` }) };
    }
    const { id: _id, ...rest } = input;
    const checked = checkRecordValues(ctx, sub, rest, 0, base ? 'update' : 'insert');
    if ('error' in checked) {
      // Point the error at the row, not at `$.data[0]` of a record of its own.
      const details = { ...(checked.error.details as Record<string, unknown>) };
      if (typeof details.json_path === 'string') details.json_path = details.json_path.replace(/^\$\.data\[0\]/, rowPath);
      return { error: { ...checked.error, details } as RecordOutcome };
    }
    const row: Record<string, unknown> = {};
    for (const f of sub.fields) row[f.api_name] = base?.[f.api_name] ?? null;
    Object.assign(row, checked.values, { id: base ? base.id : ctx.nextId() });
    rows.push(row);
  }
  return { value: rows };
}

function typeError(field: FieldDef, jsonPath: string): { error: RecordOutcome } {
  return { error: recordError('INVALID_DATA', 'invalid data', { expected_data_type: field.data_type, api_name: field.api_name, json_path: jsonPath }) };
}

function coerce(ctx: EmulatorContext, field: FieldDef, val: unknown, jsonPath: string): Coerced {
  if (val === null) return { value: null };
  switch (field.data_type) {
    case 'text':
    case 'textarea':
    case 'phone':
    case 'website':
    case 'email': {
      if (typeof val !== 'string') return typeError(field, jsonPath);
      if (field.data_type === 'email' && val !== '' && !EMAIL.test(val)) return typeError(field, jsonPath);
      if (field.length !== undefined && val.length > field.length) {
        return { error: recordError('INVALID_DATA', 'invalid data', { maximum_length: field.length, api_name: field.api_name, json_path: jsonPath }) };
      }
      return { value: val };
    }
    case 'integer':
    case 'bigint':
      // UNVERIFIED: whether Zoho coerces numeric strings; we accept JSON numbers only.
      return typeof val === 'number' && Number.isInteger(val) ? { value: val } : typeError(field, jsonPath);
    case 'currency':
    case 'double':
    case 'decimal':
    case 'percent':
      return typeof val === 'number' && Number.isFinite(val) ? { value: val } : typeError(field, jsonPath);
    case 'boolean':
      return typeof val === 'boolean' ? { value: val } : typeError(field, jsonPath);
    case 'date':
      return typeof val === 'string' && DATE.test(val) && !Number.isNaN(Date.parse(val)) ? { value: val } : typeError(field, jsonPath);
    case 'datetime':
      return typeof val === 'string' && DATETIME.test(val) && !Number.isNaN(Date.parse(val)) ? { value: val } : typeError(field, jsonPath);
    case 'picklist':
      if (typeof val !== 'string') return typeError(field, jsonPath);
      // UNVERIFIED: whether Zoho accepts values outside the picklist (unrestricted picklists).
      if (field.picklist && !field.picklist.includes(val)) {
        return { error: recordError('INVALID_DATA', 'invalid data', { api_name: field.api_name, json_path: jsonPath, supported_values: field.picklist }) };
      }
      return { value: val };
    case 'multiselectpicklist': {
      if (!Array.isArray(val) || !val.every((v) => typeof v === 'string')) return typeError(field, jsonPath);
      // UNVERIFIED, as for picklists: values outside the list are refused; duplicates are dropped.
      const bad = field.picklist ? val.find((v) => !field.picklist!.includes(v)) : undefined;
      if (bad !== undefined) {
        return { error: recordError('INVALID_DATA', 'invalid data', { api_name: field.api_name, json_path: jsonPath, supported_values: field.picklist }) };
      }
      return { value: [...new Set(val as string[])] };
    }
    case 'autonumber':
    case 'formula':
    case 'subform':
      // Autonumbers and formulas are read-only (refused above); subforms are checked by subform().
      return typeError(field, jsonPath);
    case 'lookup':
      return lookup(ctx, field, val, jsonPath);
    case 'ownerlookup':
      return owner(ctx, field, val, jsonPath);
    case 'userlookup': {
      const c = owner(ctx, field, val, jsonPath);
      if ('error' in c) return c;
      const { name, id } = c.value as { name: string; id: string };
      return { value: { name, id } };
    }
  }
}

function refId(val: unknown): string | undefined {
  if (!val || typeof val !== 'object' || Array.isArray(val)) return undefined;
  const id = (val as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** A lookup is written as `{"id": "..."}` and must point to an existing record of its module. */
function lookup(ctx: EmulatorContext, field: FieldDef, val: unknown, jsonPath: string): Coerced {
  const id = refId(val);
  if (id === undefined) return typeError(field, jsonPath);
  const target = field.lookupModule ? moduleOf(ctx, field.lookupModule) : undefined;
  const rec = field.lookupModule ? ctx.records(field.lookupModule).get(id) : undefined;
  if (!target || !rec) {
    // UNVERIFIED: message and details for a lookup id that matches no record.
    return { error: recordError('INVALID_DATA', 'the id given seems to be invalid', { api_name: field.api_name, json_path: `${jsonPath}.id` }) };
  }
  return { value: { name: displayName(target, rec), id } };
}

/** Owner is `{"id": user id}` and must be an active user of the org. */
function owner(ctx: EmulatorContext, field: FieldDef, val: unknown, jsonPath: string): Coerced {
  const id = refId(val);
  if (id === undefined) return typeError(field, jsonPath);
  const user = ctx.data.users.find((u) => u.id === id && u.status === 'active');
  // UNVERIFIED: message and details for an unknown or inactive owner.
  if (!user) return { error: recordError('INVALID_DATA', 'the id given seems to be invalid', { api_name: field.api_name, json_path: `${jsonPath}.id` }) };
  return { value: ownerRef(user) };
}
