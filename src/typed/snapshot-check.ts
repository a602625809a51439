import type { FieldMapping } from './derive.js';
import { MAPPED_NAME, RESERVED_FIELD_NAMES } from './naming.js';

/**
 * The stored snapshot and mapping are plain JSON in the store, not sealed like tokens: whoever can
 * write the store can edit them. Module api names become Zoho URL paths (`/${module}`) and COQL
 * `from`, field api names COQL text, names the schema's. So a stored snapshot is held to what
 * naming.ts accepts from Zoho before anything is built from it; one that is not is read again from
 * Zoho (and overwritten), as if it were absent.
 */

/** Zoho's api names: a letter, then letters, digits and `_` (naming.ts usableApiName). */
const API_NAME = /^[A-Za-z][_0-9A-Za-z]*$/;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const MODULE_NAME_KINDS = ['type', 'list', 'one', 'create', 'update', 'upsert', 'delete'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isApiName = (v: unknown): v is string => typeof v === 'string' && v.length <= 200 && API_NAME.test(v);
const isGraphQLName = (v: unknown): v is string => typeof v === 'string' && v.length <= 250 && GRAPHQL_NAME.test(v) && !v.startsWith('__');
const optionalApiName = (v: unknown) => v === null || v === undefined || isApiName(v);

function fieldProblem(f: unknown): string | null {
  if (!isObject(f)) return 'a field is not an object';
  if (!isApiName(f.apiName)) return 'a field api name is not an api name';
  if (typeof f.dataType !== 'string' || typeof f.label !== 'string') return `${f.apiName}: dataType/label`;
  if (!optionalApiName(f.lookupModule) || !optionalApiName(f.subformModule)) return `${f.apiName}: lookup or subform module`;
  if (f.formulaReturnType !== null && f.formulaReturnType !== undefined && typeof f.formulaReturnType !== 'string') return `${f.apiName}: formulaReturnType`;
  if (!Array.isArray(f.picklistValues) || !f.picklistValues.every((p) => typeof p === 'string')) return `${f.apiName}: picklistValues`;
  return null;
}

function fieldNamesProblem(names: unknown): string | null {
  if (!isObject(names)) return 'field names are not an object';
  for (const [api, name] of Object.entries(names)) if (!isApiName(api) || !isGraphQLName(name) || RESERVED_FIELD_NAMES.has(name)) return 'a field name';
  return null;
}

/** Why a stored snapshot's metadata and names cannot be built from, or null when they can. */
export function snapshotProblem(metadata: unknown, names: unknown): string | null {
  if (!isObject(metadata) || !Array.isArray(metadata.modules) || !isObject(metadata.subforms)) return 'metadata';
  for (const m of metadata.modules as unknown[]) {
    if (!isObject(m) || !isApiName(m.apiName) || typeof m.label !== 'string' || !Array.isArray(m.fields)) return 'a module';
    for (const f of m.fields) {
      const p = fieldProblem(f);
      if (p) return `${m.apiName}: ${p}`;
    }
  }
  for (const [s, fields] of Object.entries(metadata.subforms)) {
    if (!isApiName(s) || !Array.isArray(fields)) return 'a subform';
    for (const f of fields) {
      const p = fieldProblem(f);
      if (p) return `${s}: ${p}`;
    }
  }
  if (!isObject(names) || !isObject(names.modules)) return 'names';
  for (const [api, n] of Object.entries(names.modules)) {
    if (!isApiName(api) || !isObject(n) || !MODULE_NAME_KINDS.every((k) => isGraphQLName(n[k]))) return 'module names';
    const p = fieldNamesProblem(n.fields);
    if (p) return `${api}: ${p}`;
  }
  if (names.subforms !== undefined) {
    if (!isObject(names.subforms)) return 'subform names';
    for (const [s, n] of Object.entries(names.subforms)) {
      const p = isApiName(s) ? fieldNamesProblem(n) : 'a subform name';
      if (p) return `${s}: ${p}`;
    }
  }
  return null;
}

/** A stored mapping entry the gateway can use: setFieldMapping's rules on the name, an api name as the field. */
export const usableMapping = (m: unknown): m is { name: string; field: string } =>
  isObject(m) && typeof m.name === 'string' && MAPPED_NAME.test(m.name) && !RESERVED_FIELD_NAMES.has(m.name) && isApiName(m.field);

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
  for (const [module, list] of Object.entries(stored)) if (isApiName(module) && Array.isArray(list)) out[module] = list.filter(usableMapping).slice(0, MAX_MAPPINGS_PER_MODULE);
  return out;
}
