/**
 * The shape of a connection's typed CRM: which modules become GraphQL types, and for each field
 * its GraphQL name and value kind. Built from Zoho's module and field metadata plus the names
 * kept from earlier builds (naming.ts) and the tenant's field mapping; the schema (build.ts),
 * the filter compiler (filter.ts) and the resolvers all read it, never the raw metadata.
 */

/** How a field's value travels in GraphQL. */
export type ValueKind =
  /** text, textarea, email, phone, website, picklist, bigint, autonumber → String */
  | 'string'
  /** integer → Int */
  | 'int'
  /** double, currency, percent, decimal, rollup → Float */
  | 'float'
  | 'boolean'
  /** yyyy-MM-dd */
  | 'date'
  /** Zoho's ISO 8601 with offset; DateTime in GraphQL */
  | 'datetime'
  /** multiselectpicklist → [String!] */
  | 'multiselect'
  /** lookup → the target module's type, plus a raw `…Id: ID` field */
  | 'lookup'
  /** ownerlookup, userlookup → User, plus a raw `…Id: ID` field */
  | 'user'
  /** subform → [<Type>_<Field>Row!] */
  | 'subform'
  /** anything else Zoho may add: passed through as JSON, read-only */
  | 'json';

export interface TypedField {
  /** Zoho's api name, e.g. `Deal_Name`. */
  apiName: string;
  /** The GraphQL field name, e.g. `dealName` (or the verbatim api name after a collision). */
  name: string;
  kind: ValueKind;
  /** Zoho's `data_type` (formula fields keep `formula`; `kind` follows the return type). */
  dataType: string;
  label: string;
  /** Read-only fields (formula, autonumber, system times, read-only for the profile) are absent from inputs. */
  readOnly: boolean;
  /** Zoho's system_mandatory: non-null in the create input. */
  mandatory: boolean;
  picklistValues: readonly string[];
  /** kind 'lookup': the target module's api name. */
  lookupModule: string | null;
  /** kind 'lookup' | 'user': the raw id field's name, e.g. `accountNameId`, `ownerId`. */
  idName: string | null;
  /** kind 'subform': the row fields (from `/settings/fields?module=<subform module>`). */
  subform: { module: string; rowType: string; fields: readonly TypedField[] } | null;
  /** Whether Zoho filters / sorts on it (COQL): false for textarea, subform, json. */
  filterable: boolean;
  sortable: boolean;
  /** A tenant-mapped alias (setFieldMapping) of the field `apiName`: same value, another name. */
  mapped: boolean;
}

export interface TypedModule {
  /** Zoho's module api name, e.g. `Sales_Orders`. */
  apiName: string;
  /** GraphQL type name, e.g. `SalesOrder` (or `<ApiName>_Module` after a clash). */
  typeName: string;
  /** `crm { salesOrders }` */
  listField: string;
  /** `crm { salesOrder(id:) }` */
  oneField: string;
  /** `createSalesOrders` etc. */
  mutations: { create: string; update: string; upsert: string; delete: string };
  label: string;
  fields: readonly TypedField[];
}

export interface OrgShape {
  modules: readonly TypedModule[];
}

/** Helper type names, with the `_` separator a module's PascalCase name cannot produce. */
export const helperName = {
  filter: (type: string) => `${type}_Filter`,
  orderBy: (type: string) => `${type}_OrderBy`,
  connection: (type: string) => `${type}_Connection`,
  createInput: (type: string) => `${type}_CreateInput`,
  updateInput: (type: string) => `${type}_UpdateInput`,
  result: (type: string) => `${type}_Result`,
  /** What `<module>Changes` returns (docs/sync.md). */
  changes: (type: string) => `${type}_Changes`,
  row: (type: string, field: string) => `${type}_${field.charAt(0).toUpperCase()}${field.slice(1)}Row`,
  rowInput: (type: string, field: string) => `${type}_${field.charAt(0).toUpperCase()}${field.slice(1)}RowInput`,
} as const;

/**
 * The shared comparison input of each filterable kind (`String_Comparison`, …). `bigint` is a
 * String in GraphQL (its values pass 2^53) but a number to COQL, so it gets its own comparison
 * (ordered, no `like`); filter.ts picks it by `dataType`. Which operators each one takes:
 * filter.ts `COMPARISONS`.
 */
export const comparisonName: Record<Exclude<ValueKind, 'subform' | 'json'> | 'id' | 'bigint', string> = {
  id: 'ID_Comparison',
  string: 'String_Comparison',
  bigint: 'BigInt_Comparison',
  int: 'Int_Comparison',
  float: 'Float_Comparison',
  boolean: 'Boolean_Comparison',
  date: 'Date_Comparison',
  datetime: 'DateTime_Comparison',
  multiselect: 'MultiSelect_Comparison',
  lookup: 'ID_Comparison',
  user: 'ID_Comparison',
};
