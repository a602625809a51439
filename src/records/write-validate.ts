import { GatewayError } from '../errors.js';
import { isZohoApiName, isZohoId } from '../zoho/identifiers.js';
import type { Metadata } from './validate.js';

/**
 * Checks a write's input before any write call, so a typo costs no API credits and never leaves
 * a batch half written. Errors are BAD_USER_INPUT naming the argument, the index and the field.
 * Values are not checked: Zoho does that per record (INVALID_DATA, MANDATORY_NOT_FOUND, …) and
 * the caller gets its outcome at that index.
 */

/**
 * Zoho's `$`-prefixed system keys, which are not fields and so are not in field metadata, e.g.
 * `$append_values` (multi-select picklists, crm-oas v8.0 RecordsInputSchema) and `$se_module`
 * (the module of a Tasks/Events/Calls `What_Id`). They are passed to Zoho unchecked; Zoho
 * answers an unknown one per record.
 */
const SYSTEM_KEY = /^\$[a-z][a-z0-9_]{0,63}$/;

export type WriteMode = 'create' | 'update' | 'upsert';

function bad(message: string, details: Record<string, unknown>): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message, details);
}

/** Refuses more than `max` items before anything else is looked at. */
export function assertWithinBound(count: number, max: number, argument: string): void {
  if (count > max) throw bad(`${argument} holds ${count} entries; at most ${max} are accepted per mutation (split the work into several mutations)`, { argument, max, count });
}

/** Each entry must be a JSON object (not null, an array or a scalar). */
export function asRecordObjects(values: readonly unknown[], argument = 'records'): Record<string, unknown>[] {
  return values.map((v, index) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(`${argument}[${index}] must be a JSON object of field api names to values`, { argument, index });
    return v as Record<string, unknown>;
  });
}

/** A Zoho record id given as a string of digits (numbers lose digits past 2^53). */
export function assertWriteId(value: unknown, argument: string, index: number): void {
  if (typeof value !== 'string' || !isZohoId(value)) {
    throw bad(`${argument}[${index}]${argument === 'records' ? '.id' : ''} must be a Zoho record id: a string of up to 19 digits`, { argument, index, field: 'id' });
  }
}

/**
 * Checks every key of every record against the module's field metadata (which also checks the
 * module). `id`: refused on create (Zoho makes the id), required on update, optional on upsert.
 * `$`-keys pass (SYSTEM_KEY). Read-only fields are left to Zoho, which answers per record.
 */
export async function checkRecordKeys(metadata: Metadata, module: string, records: readonly Record<string, unknown>[], mode: WriteMode): Promise<void> {
  const known = new Set((await metadata.fields(module)).map((f) => f.apiName));
  records.forEach((rec, index) => {
    if (mode === 'update' && !('id' in rec)) throw bad(`records[${index}] has no id: updateRecords needs each record’s id`, { argument: 'records', index, field: 'id' });
    for (const key of Object.keys(rec)) {
      if (key === 'id') {
        if (mode === 'create')
          throw bad(`records[${index}].id: createRecords makes new records (Zoho assigns the id); use updateRecords or upsertRecords`, { argument: 'records', index, field: 'id' });
        assertWriteId(rec.id, 'records', index);
        continue;
      }
      if (SYSTEM_KEY.test(key)) continue;
      if (!isZohoApiName(key)) throw bad(`records[${index}]: "${key.slice(0, 60)}" is not a Zoho field api name`, { argument: 'records', index, field: key.slice(0, 100) });
      if (!known.has(key)) throw bad(`records[${index}].${key}: ${module} has no such field (see fields(module: "${module}"))`, { argument: 'records', index, field: key, module });
    }
  });
}

/** Every id a Zoho record id. */
export function checkIds(ids: readonly unknown[], argument = 'ids'): string[] {
  for (const [index, id] of ids.entries()) assertWriteId(id, argument, index);
  return ids as string[];
}

/** Upsert's duplicate check fields: at least one when given, each a field of the module. */
export async function checkDuplicateFields(metadata: Metadata, module: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) throw bad('duplicateCheckFields must name at least one field when given (omit it for Zoho’s default)', { argument: 'duplicateCheckFields' });
  const known = new Set((await metadata.fields(module)).map((f) => f.apiName));
  names.forEach((name, index) => {
    if (!isZohoApiName(name) || !known.has(name)) {
      throw bad(`duplicateCheckFields[${index}]: ${module} has no field "${name.slice(0, 60)}" (see fields(module: "${module}"))`, {
        argument: 'duplicateCheckFields',
        index,
        field: name.slice(0, 100),
        module,
      });
    }
  });
}
