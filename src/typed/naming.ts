/**
 * GraphQL names for a connection's modules and fields (the rules are part of the public contract:
 * docs/typed-crm.md). Names are stable: a name given once is kept by later builds (the name map
 * lives in the store, registry.ts), so when Zoho adds a field whose name collides with an
 * existing one, only the newcomer takes its verbatim api name.
 */
import { isZohoApiName } from '../zoho/identifiers.js';

/** A map from api names to the GraphQL names given to them, per module. */
export interface NameMap {
  modules: Record<string, ModuleNames>;
  /**
   * Subform module api name → its row fields' names (api name → GraphQL name), kept like a
   * module's so a row field keeps its name when Zoho adds a colliding one. Absent in snapshots
   * stored before it existed: derive.ts then names the rows afresh.
   */
  subforms?: Record<string, Record<string, string>>;
}

export interface ModuleNames {
  type: string;
  list: string;
  one: string;
  create: string;
  update: string;
  upsert: string;
  delete: string;
  /** Field api name → GraphQL field name. */
  fields: Record<string, string>;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
// Only Zoho api names (zoho/identifiers.ts) are named: after a clash one is used verbatim (or inside
// `<ApiName>_Module`), so it must itself be a GraphQL name not starting with `_` (`__…` is kept for
// introspection, and `_` + `_Module` would make one). Any other would make the whole schema
// invalid, so such a module or field is left out.
/** Suffix of a module name after a clash: a module's PascalCase name has no underscore, so none can produce it. */
export const MODULE_SUFFIX = '_Module';
/** Field names a module type (or its filter input) keeps for itself. */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set(['id', 'and', 'or']);
/** GraphQL's own type names and the typed namespace's; the gateway's types are added per build. */
export const RESERVED_TYPE_NAMES: ReadonlySet<string> = new Set(['String', 'Int', 'Float', 'Boolean', 'ID', 'Crm', 'Date', 'DateTime', 'JSON']);

function words(apiName: string): string[] {
  return apiName.split('_').filter(Boolean);
}

/** `USD` → `Usd`, `Deal` → `Deal`, `deal` → `Deal`; digits stay. */
function capitalise(word: string, acronymAsWord: boolean): string {
  const w = acronymAsWord && word.length > 1 && word === word.toUpperCase() ? word.charAt(0) + word.slice(1).toLowerCase() : word;
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/**
 * camelCase of an api name: `Deal_Name` → `dealName`, `Custom_Note_01` → `customNote01`,
 * `Budget_USD` → `budgetUsd`, `LeadScore` → `leadScore`. A word in capitals reads as a word
 * (`USD` → `Usd`), so the result is the same whether or not it is camelCased twice.
 */
export function camelCase(apiName: string): string {
  const parts = words(apiName);
  if (parts.length === 0) return apiName;
  const [first, ...rest] = parts;
  const head = first!.length > 1 && first === first!.toUpperCase() ? first!.toLowerCase() : first!.charAt(0).toLowerCase() + first!.slice(1);
  return head + rest.map((w) => capitalise(w, true)).join('');
}

/**
 * The English singular of the last word, by suffix: `ies` → `y` (Activities), `sses`, `xes`,
 * `zes`, `ches`, `shes` → drop `es` (Addresses, Boxes, Branches), words ending in `ss`, `us`, `is`
 * stay, any other final `s` is dropped (Deals, Cases, Sales_Orders). No dictionary: the rule is
 * documented so that a name can be predicted, not always right (Statuses → Statuse).
 */
export function singular(word: string): string {
  if (/ies$/i.test(word) && word.length > 3) return word.slice(0, -3) + (word.slice(-3) === 'IES' ? 'Y' : 'y');
  if (/(sses|xes|zes|ches|shes)$/i.test(word)) return word.slice(0, -2);
  if (/(ss|us|is)$/i.test(word)) return word;
  if (/s$/i.test(word) && word.length > 1) return word.slice(0, -1);
  return word;
}

/** `Sales_Orders` → `SalesOrder`, `Field_Visits` → `FieldVisit`, `Deals` → `Deal`. */
export function typeNameOf(moduleApiName: string): string {
  const parts = words(moduleApiName);
  if (parts.length === 0) return moduleApiName;
  parts[parts.length - 1] = singular(parts[parts.length - 1]!);
  return parts.map((w) => capitalise(w, false)).join('');
}

/** `Sales_Orders` → `SalesOrders` (mutation names keep the plural). */
function pluralPascal(moduleApiName: string): string {
  return words(moduleApiName)
    .map((w) => capitalise(w, false))
    .join('');
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function derivedModuleNames(apiName: string): Omit<ModuleNames, 'fields'> {
  const type = typeNameOf(apiName);
  const plural = pluralPascal(apiName);
  const one = lowerFirst(type);
  let list = lowerFirst(plural);
  // Singular and plural coincide (a module named `Status` or `Analysis`): the list takes `List`.
  if (list === one) list = `${list}List`;
  return { type, list, one, create: `create${plural}`, update: `update${plural}`, upsert: `upsert${plural}`, delete: `delete${plural}` };
}

/** The names a module takes when its derived ones clash: built on its api name, which is unique. */
function verbatimModuleNames(apiName: string): Omit<ModuleNames, 'fields'> {
  const base = `${apiName}${MODULE_SUFFIX}`;
  return { type: base, list: `list${base}`, one: `get${base}`, create: `create${base}`, update: `update${base}`, upsert: `upsert${base}`, delete: `delete${base}` };
}

type ModuleNameKind = keyof Omit<ModuleNames, 'fields'>;
const MODULE_NAME_KINDS: readonly ModuleNameKind[] = ['type', 'list', 'one', 'create', 'update', 'upsert', 'delete'];
/** Which namespace each name lives in: types, fields of `Crm`, or mutations. */
const NAMESPACE: Record<ModuleNameKind, 'type' | 'crm' | 'mutation'> = { type: 'type', list: 'crm', one: 'crm', create: 'mutation', update: 'mutation', upsert: 'mutation', delete: 'mutation' };

export interface ReservedNames {
  /** Type names of the gateway's own schema. */
  types: ReadonlySet<string>;
  /** The gateway's own mutation field names. */
  mutations: ReadonlySet<string>;
}

export interface NamingInput {
  modules: readonly { apiName: string; fields: readonly NamedField[] }[];
  /** Subform module api name → its row fields. */
  subforms?: Readonly<Record<string, readonly NamedField[]>>;
  previous?: NameMap | undefined;
  reserved: ReservedNames;
  /**
   * The tenant's mapped names per module api name (setFieldMapping). A field Zoho adds later
   * whose camelCase name is a mapped one takes its verbatim api name, so a mapped name keeps
   * meaning the field it was mapped to (documents written against it do not change meaning).
   */
  mapped?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Names every module and field. Rules, in order:
 * 1. Names kept from `previous` stay, as long as the module or field still exists.
 * 2. New modules get derived names (`Deals` → type `Deal`, `crm { deals deal }`, `createDeals`…).
 *    A derived name equal to a gateway name, a GraphQL built-in or another module's name (kept or
 *    derived) makes every module that wants it take names built on its api name instead:
 *    `Records_Module`, `createRecords_Module`, `crm { listRecords_Module getRecords_Module }`.
 * 3. New fields get camelCase names. When several fields want the same name, or it is reserved
 *    (`id`, `and`, `or`) or kept by an older field, every newcomer wanting it keeps its verbatim
 *    api name (`Lead_Score`, `LeadScore`), so the outcome never depends on Zoho's field order.
 */
export function assignNames(input: NamingInput): NameMap {
  const previous = input.previous?.modules ?? {};
  const taken = { type: new Set([...RESERVED_TYPE_NAMES, ...input.reserved.types]), crm: new Set<string>(), mutation: new Set(input.reserved.mutations) };
  const out: Record<string, ModuleNames> = {};
  const fresh: string[] = [];
  const sortedModules = input.modules.filter((m) => isZohoApiName(m.apiName)).sort((a, b) => (a.apiName < b.apiName ? -1 : a.apiName > b.apiName ? 1 : 0));

  for (const m of sortedModules) {
    const kept = previous[m.apiName];
    if (kept && MODULE_NAME_KINDS.every((k) => GRAPHQL_NAME.test(kept[k]) && !taken[NAMESPACE[k]].has(kept[k]))) {
      for (const k of MODULE_NAME_KINDS) taken[NAMESPACE[k]].add(kept[k]);
      out[m.apiName] = { ...kept, fields: {} };
    } else fresh.push(m.apiName);
  }
  // Count who wants each derived name, so a clash sends every claimant to its verbatim names.
  const wanted = new Map<string, number>();
  const derived = new Map(fresh.map((api) => [api, derivedModuleNames(api)]));
  for (const names of derived.values()) for (const k of MODULE_NAME_KINDS) wanted.set(`${NAMESPACE[k]}:${names[k]}`, (wanted.get(`${NAMESPACE[k]}:${names[k]}`) ?? 0) + 1);
  for (const api of fresh) {
    const d = derived.get(api)!;
    const clash = MODULE_NAME_KINDS.some((k) => !GRAPHQL_NAME.test(d[k]) || taken[NAMESPACE[k]].has(d[k]) || wanted.get(`${NAMESPACE[k]}:${d[k]}`)! > 1);
    const names = clash ? verbatimModuleNames(api) : d;
    for (const k of MODULE_NAME_KINDS) {
      // Built on a unique api name, a verbatim name can only meet itself; a second guard keeps
      // the schema valid even so.
      let n = names[k];
      for (let i = 2; taken[NAMESPACE[k]].has(n); i++) n = `${names[k]}_${i}`;
      names[k] = n;
      taken[NAMESPACE[k]].add(n);
    }
    out[api] = { ...names, fields: {} };
  }

  for (const m of sortedModules) out[m.apiName]!.fields = assignFieldNames(m.fields, previous[m.apiName]?.fields, input.mapped?.[m.apiName]);
  if (!input.subforms) return { modules: out };
  const subforms: Record<string, Record<string, string>> = {};
  for (const s of Object.keys(input.subforms).sort()) subforms[s] = assignFieldNames(input.subforms[s]!, input.previous?.subforms?.[s]);
  return { modules: out, subforms };
}

/** A field as naming sees it: its api name, and its Zoho data type when known (for raw-id companions). */
export interface NamedField {
  apiName: string;
  dataType?: string;
}

/** Zoho data types whose GraphQL field gets a raw-id companion (`accountNameId`, `ownerId`; derive.ts). */
const WITH_ID_COMPANION: ReadonlySet<string> = new Set(['lookup', 'ownerlookup', 'userlookup']);

/** Field names of one module (rule 3 of assignNames). */
export function assignFieldNames(fields: readonly NamedField[], previous: Record<string, string> | undefined, mapped: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const taken = new Set(RESERVED_FIELD_NAMES);
  // Mapped names (and the raw-id name a mapped lookup gets) are off limits to new fields only: a
  // kept name cannot equal one, setFieldMapping refuses names the type already has.
  const offLimits = new Set(mapped.flatMap((n) => [n, `${n}Id`]));
  const fresh: string[] = [];
  const apiNames = [...new Set(fields.map((f) => f.apiName))].filter((a) => a !== 'id' && isZohoApiName(a)).sort();
  for (const api of apiNames) {
    const kept = previous?.[api];
    if (kept && GRAPHQL_NAME.test(kept) && !kept.startsWith('__') && !taken.has(kept)) {
      out[api] = kept;
      taken.add(kept);
    } else fresh.push(api);
  }
  // A kept lookup's raw-id companion is a name clients use too: a newcomer camelCasing to it
  // (`Account_Name_Id` → `accountNameId`) takes its api name rather than push the companion to
  // `accountName_Id`.
  const dataTypes = new Map(fields.map((f) => [f.apiName, f.dataType]));
  for (const [api, name] of Object.entries(out)) if (WITH_ID_COMPANION.has(dataTypes.get(api) ?? '')) taken.add(`${name}Id`);
  // A Set and one camelCase per field: orgs with hundreds of fields per module made the list scan quadratic.
  const apiNameSet = new Set(apiNames);
  const camel = new Map(fresh.map((api) => [api, camelCase(api)]));
  const wanted = new Map<string, number>();
  for (const c of camel.values()) wanted.set(c, (wanted.get(c) ?? 0) + 1);
  const verbatim: string[] = [];
  for (const api of fresh) {
    const c = camel.get(api)!;
    if (GRAPHQL_NAME.test(c) && !c.startsWith('__') && !taken.has(c) && !offLimits.has(c) && wanted.get(c) === 1 && !apiNameSet.has(c)) {
      out[api] = c;
      taken.add(c);
    } else verbatim.push(api);
  }
  for (const api of verbatim) {
    let n = api;
    for (let i = 2; taken.has(n) || offLimits.has(n); i++) n = `${api}_${i}`;
    out[api] = n;
    taken.add(n);
  }
  return out;
}

/** The raw-id companion of a lookup or user field: `accountName` → `accountNameId`, or `accountName_Id` when that is a field. */
export function idFieldName(name: string, taken: ReadonlySet<string>): string | null {
  for (const n of [`${name}Id`, `${name}_Id`]) if (!taken.has(n) && !RESERVED_FIELD_NAMES.has(n)) return n;
  return null;
}

/** A tenant's mapped name: a GraphQL name in lowerCamelCase, not reserved. */
export const MAPPED_NAME = /^[a-z][A-Za-z0-9]{0,62}$/;
