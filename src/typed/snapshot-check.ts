import type { FieldMapping } from './derive.js';
import { MAPPED_NAME, RESERVED_FIELD_NAMES, RESERVED_TYPE_NAMES, type ReservedNames } from './naming.js';
import { isZohoApiName } from '../zoho/identifiers.js';

/**
 * The stored snapshot and mapping are plain JSON in the store, not sealed like tokens: whoever can
 * write the store can edit them. Module api names become Zoho URL paths (`/${module}`) and COQL
 * `from`, field api names COQL text, names the schema's. So a stored snapshot is held to what
 * naming.ts accepts from Zoho before anything is built from it; one that is not is read again from
 * Zoho (and overwritten), as if it were absent.
 */

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const MODULE_NAME_KINDS = ['type', 'list', 'one', 'create', 'update', 'upsert', 'delete'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isGraphQLName = (v: unknown): v is string => typeof v === 'string' && v.length <= 250 && GRAPHQL_NAME.test(v) && !v.startsWith('__');
const optionalApiName = (v: unknown) => v === null || v === undefined || isZohoApiName(v);

function fieldProblem(f: unknown): string | null {
  if (!isObject(f)) return 'a field is not an object';
  if (!isZohoApiName(f.apiName)) return 'a field api name is not an api name';
  if (typeof f.dataType !== 'string' || typeof f.label !== 'string') return `${f.apiName}: dataType/label`;
  if (!optionalApiName(f.lookupModule) || !optionalApiName(f.subformModule)) return `${f.apiName}: lookup or subform module`;
  if (f.formulaReturnType !== null && f.formulaReturnType !== undefined && typeof f.formulaReturnType !== 'string') return `${f.apiName}: formulaReturnType`;
  if (!Array.isArray(f.picklistValues) || f.picklistValues.length > SNAPSHOT_LIMITS.picklistValues || !f.picklistValues.every((p) => typeof p === 'string')) return `${f.apiName}: picklistValues`;
  return null;
}

function fieldNamesProblem(names: unknown): string | null {
  if (!isObject(names)) return 'field names are not an object';
  const given = new Set<string>();
  for (const [api, name] of Object.entries(names)) {
    // Two fields of one name would be one GraphQL field answering for both.
    if (!isZohoApiName(api) || !isGraphQLName(name) || RESERVED_FIELD_NAMES.has(name) || given.has(name)) return 'a field name';
    given.add(name);
  }
  return null;
}

/**
 * Bounds on a stored snapshot, far above any org's (UNVERIFIED against Zoho's published edition
 * limits, which name a few hundred custom fields per module): the bench's largest org, 60 modules ×
 * 250 fields, builds 27 MB of schema; a store writer's 60,000-field module took seconds of event
 * loop and was kept whatever SCHEMA_CACHE_MB says. A snapshot past them is read again from Zoho,
 * whose answer is built as it is.
 */
export const SNAPSHOT_LIMITS = { modules: 1_000, fieldsPerModule: 2_000, fields: 50_000, picklistValues: 5_000 } as const;

/** Why a stored snapshot's metadata and names cannot be built from, or null when they can. */
export function snapshotProblem(metadata: unknown, names: unknown, reserved?: ReservedNames): string | null {
  if (!isObject(metadata) || !Array.isArray(metadata.modules) || !isObject(metadata.subforms)) return 'metadata';
  if (metadata.modules.length > SNAPSHOT_LIMITS.modules) return 'too many modules';
  let total = 0;
  for (const list of [...metadata.modules.map((m: unknown) => (isObject(m) ? m.fields : null)), ...Object.values(metadata.subforms)]) {
    if (!Array.isArray(list)) return 'fields are not a list';
    if (list.length > SNAPSHOT_LIMITS.fieldsPerModule) return 'too many fields in a module';
    total += list.length;
  }
  if (total > SNAPSHOT_LIMITS.fields) return 'too many fields';
  for (const m of metadata.modules as unknown[]) {
    if (!isObject(m) || !isZohoApiName(m.apiName) || typeof m.label !== 'string' || !Array.isArray(m.fields)) return 'a module';
    for (const f of m.fields) {
      const p = fieldProblem(f);
      if (p) return `${m.apiName}: ${p}`;
    }
  }
  for (const [s, fields] of Object.entries(metadata.subforms)) {
    if (!isZohoApiName(s) || !Array.isArray(fields)) return 'a subform';
    for (const f of fields) {
      const p = fieldProblem(f);
      if (p) return `${s}: ${p}`;
    }
  }
  if (!isObject(names) || !isObject(names.modules)) return 'names';
  // Types, crm fields and mutations each a namespace: a name given twice makes graphql-js refuse the schema.
  const given = { type: new Set<string>([...RESERVED_TYPE_NAMES, ...(reserved?.types ?? [])]), crm: new Set<string>(), mutation: new Set<string>(reserved?.mutations ?? []) };
  for (const [api, n] of Object.entries(names.modules)) {
    if (!isZohoApiName(api) || !isObject(n) || !MODULE_NAME_KINDS.every((k) => isGraphQLName(n[k]))) return 'module names';
    for (const k of MODULE_NAME_KINDS) {
      const space = given[k === 'type' ? 'type' : k === 'list' || k === 'one' ? 'crm' : 'mutation'];
      if (space.has(n[k] as string)) return `${api}: a module name given twice`;
      space.add(n[k] as string);
    }
    const p = fieldNamesProblem(n.fields);
    if (p) return `${api}: ${p}`;
  }
  if (names.subforms !== undefined) {
    if (!isObject(names.subforms)) return 'subform names';
    for (const [s, n] of Object.entries(names.subforms)) {
      if (!isZohoApiName(s)) return 'a subform name';
      const p = fieldNamesProblem(n);
      if (p) return `${s}: ${p}`;
    }
  }
  return null;
}

/** A stored mapping entry the gateway can use: setFieldMapping's rules on the name, an api name as the field. */
export const usableMapping = (m: unknown): m is { name: string; field: string } =>
  isObject(m) && typeof m.name === 'string' && MAPPED_NAME.test(m.name) && !RESERVED_FIELD_NAMES.has(m.name) && isZohoApiName(m.field);

/**
 * Mapped names one module may have. Each is a field of the type, its filter, its order-by and both
 * inputs, in a schema built on the event loop and kept whatever SCHEMA_CACHE_MB says (the newest
 * schema stays): uncapped, one setFieldMapping of a 1 MB body made a schema of 100,000+ fields.
 * A product maps the handful of meanings its orgs name differently; 100 leaves room.
 */
export const MAX_MAPPINGS_PER_MODULE = 100;

/** A stored mapping with what setFieldMapping would not have stored left out. */
export function usableMappings(stored: unknown): FieldMapping {
  const out: FieldMapping = {};
  if (!isObject(stored)) return out;
  for (const [module, list] of Object.entries(stored)) if (isZohoApiName(module) && Array.isArray(list)) out[module] = list.filter(usableMapping).slice(0, MAX_MAPPINGS_PER_MODULE);
  return out;
}
