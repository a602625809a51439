import type { FieldMeta } from '../records/metadata.js';
import { assignFieldNames, idFieldName, type NameMap } from './naming.js';
import { helperName, type OrgShape, type TypedField, type TypedModule, type ValueKind } from './shape.js';

/**
 * From a connection's metadata (a snapshot of Zoho's answers) and its name map to the typed shape.
 * Pure: the same snapshot, names and mapping always give the same shape, which is what lets orgs
 * of one shape share a schema (schema-cache.ts hashes these inputs).
 */

/** What the typed schema is built from: the modules the connection can read, their fields, and subform row fields. */
export interface OrgMetadata {
  modules: { apiName: string; label: string; fields: FieldMeta[] }[];
  /** Subform module api name → its row fields. */
  subforms: Record<string, FieldMeta[]>;
}

/** A tenant's own names for fields: module api name → [{ name: 'budget', field: 'Budget_USD' }]. */
export type FieldMapping = Record<string, { name: string; field: string }[]>;

const STRING_TYPES = new Set(['text', 'textarea', 'email', 'phone', 'website', 'picklist', 'bigint', 'autonumber']);
const FLOAT_TYPES = new Set(['double', 'currency', 'percent', 'decimal', 'rollup_summary']);
/** Zoho fills these itself: readable, never written. */
const ALWAYS_READ_ONLY = new Set(['formula', 'autonumber', 'rollup_summary']);

/** The GraphQL kind of a Zoho data type (formula fields by their return type). */
export function kindOf(dataType: string, formulaReturnType: string | null = null): ValueKind {
  if (dataType === 'formula') return formulaReturnType && formulaReturnType !== 'formula' ? kindOf(formulaReturnType === 'text' ? 'text' : formulaReturnType) : 'string';
  if (STRING_TYPES.has(dataType)) return 'string';
  if (FLOAT_TYPES.has(dataType)) return 'float';
  switch (dataType) {
    case 'integer':
      return 'int';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    case 'multiselectpicklist':
      return 'multiselect';
    case 'lookup':
      return 'lookup';
    case 'ownerlookup':
    case 'userlookup':
      return 'user';
    case 'subform':
      return 'subform';
    default:
      return 'json';
  }
}

function typedField(meta: FieldMeta, name: string, idName: string | null, subform: TypedField['subform'], lookupTargets: ReadonlySet<string>): TypedField {
  const kind = kindOf(meta.dataType, meta.formulaReturnType);
  const readOnly = meta.readOnly || ALWAYS_READ_ONLY.has(meta.dataType) || kind === 'json';
  const noCompare = kind === 'subform' || kind === 'json' || meta.dataType === 'textarea';
  return {
    apiName: meta.apiName,
    name,
    kind,
    dataType: meta.dataType,
    label: meta.label,
    readOnly,
    mandatory: meta.mandatory && !readOnly,
    picklistValues: meta.picklistValues,
    // A lookup to a module the schema has no type for keeps only its raw id.
    lookupModule: kind === 'lookup' && meta.lookupModule && lookupTargets.has(meta.lookupModule) ? meta.lookupModule : null,
    idName,
    subform,
    filterable: !noCompare,
    sortable: !noCompare && kind !== 'multiselect' && kind !== 'lookup' && kind !== 'user',
    mapped: false,
  };
}

/** Fields of one module or subform, named by `names` (api name → GraphQL name). */
function typedFields(
  metas: readonly FieldMeta[],
  names: Record<string, string>,
  typeName: string,
  meta: OrgMetadata,
  lookupTargets: ReadonlySet<string>,
  depth: number,
  rowTypes: Set<string>,
  subformNames: NameMap['subforms'],
): TypedField[] {
  const out: TypedField[] = [];
  const taken = new Set(Object.values(names));
  for (const f of metas) {
    const name = names[f.apiName];
    if (!name) continue;
    const kind = kindOf(f.dataType, f.formulaReturnType);
    let idName: string | null = null;
    if (kind === 'lookup' || kind === 'user') {
      idName = idFieldName(name, taken);
      if (idName) taken.add(idName);
    }
    let subform: TypedField['subform'] = null;
    if (kind === 'subform') {
      // A subform's rows come from its own module's fields; a subform inside a row is not a Zoho thing.
      const rows = f.subformModule ? meta.subforms[f.subformModule] : undefined;
      if (!rows || depth > 0) continue;
      // Row fields follow the field rule within their own type, with the names kept for them
      // (a snapshot from before subform names were kept names them afresh).
      const named = subformNames?.[f.subformModule!] ?? assignFieldNames(rows, undefined);
      // `lineItems` (kept) and a newcomer `LineItems` give one row type name; build.ts makes one
      // type per name, so the second subform would silently get the first one's row fields.
      let rowType = helperName.row(typeName, name);
      for (let i = 2; rowTypes.has(rowType); i++) rowType = `${helperName.row(typeName, name)}_${i}`;
      rowTypes.add(rowType);
      subform = { module: f.subformModule!, rowType, fields: typedFields(rows, named, rowType, meta, lookupTargets, depth + 1, rowTypes, subformNames) };
    }
    out.push(typedField(f, name, idName, subform, lookupTargets));
  }
  return out;
}

/** Adds a tenant's mapped names as aliases of their fields; names already checked by setFieldMapping, stale ones skipped. */
function mappedFields(fields: TypedField[], mapping: FieldMapping[string] | undefined): TypedField[] {
  if (!mapping?.length) return fields;
  const taken = new Set(fields.flatMap((f) => (f.idName ? [f.name, f.idName] : [f.name])));
  const extra: TypedField[] = [];
  for (const m of mapping) {
    const target = fields.find((f) => f.apiName === m.field && !f.mapped);
    if (!target || taken.has(m.name)) continue;
    taken.add(m.name);
    let idName: string | null = null;
    if (target.idName) {
      idName = idFieldName(m.name, taken);
      if (idName) taken.add(idName);
    }
    extra.push({ ...target, name: m.name, idName, mapped: true, label: `${target.label} (mapped name of ${target.apiName})` });
  }
  return [...fields, ...extra];
}

export function deriveShape(meta: OrgMetadata, names: NameMap, mapping: FieldMapping = {}): OrgShape {
  const lookupTargets = new Set(meta.modules.filter((m) => names.modules[m.apiName]).map((m) => m.apiName));
  const modules: TypedModule[] = [];
  const rowTypes = new Set<string>();
  for (const m of meta.modules) {
    const n = names.modules[m.apiName];
    if (!n) continue;
    const fields = typedFields(m.fields, n.fields, n.type, meta, lookupTargets, 0, rowTypes, names.subforms);
    modules.push({
      apiName: m.apiName,
      typeName: n.type,
      listField: n.list,
      oneField: n.one,
      mutations: { create: n.create, update: n.update, upsert: n.upsert, delete: n.delete },
      label: m.label,
      fields: mappedFields(fields, mapping[m.apiName]),
    });
  }
  return { modules };
}
