import { GatewayError } from '../errors.js';
import { isZohoApiName } from '../zoho/identifiers.js';
import type { FieldMeta } from './metadata.js';

/**
 * Builds the `criteria` string of Zoho's Search Records API from a structured filter, so that no
 * caller value can change the criteria's shape: every value is escaped, every field name is an
 * api name checked against the module's metadata, every operator comes from a closed list.
 *
 * Zoho's grammar (https://www.zoho.com/crm/developer/docs/api/v8/search-records.html, parameter
 * `criteria`; the emulator's reading of it is src/emulator/criteria.ts):
 *  - a condition is `(field_api_name:operator:value)`, combinations `((A)and(B))`, `((A)or(B))`;
 *  - "When you use parentheses or comma in the value for a criteria, you must escape them using a
 *    backslash", and a backslash is escaped with another backslash. We escape every backslash (not
 *    only a trailing one, which is all the page spells out): an unescaped `\` would otherwise
 *    escape the character after it, e.g. `\)` would end the value early in the reader's eyes;
 *  - `:` needs no escape: the value is everything after the second colon (Zoho's own datetime
 *    example sends `Created_Time:between:2024-02-01T18:52:56+00:00,…` unescaped);
 *  - "You can search for a maximum of 10 criteria (with same or different columns)";
 *  - the `in` operator "supports upto 100 values", separated by commas;
 *  - operators by field type: the table in OPERATORS below.
 * The URL encoding the page also asks for is done by the HTTP client (URLSearchParams).
 */

/** "You can search for a maximum of 10 criteria" (search-records.html). */
export const MAX_SEARCH_CRITERIA = 10;
/** "The "in" operator supports upto 100 values." (search-records.html). */
export const MAX_IN_VALUES = 100;

/**
 * The v8 operator list: "equals, starts_with, in, not_equal, greater_equal, greater_than,
 * less_equal, less_than and between" (search-records.html). `not_in` is not among them.
 */
export const OPERATOR_NAMES = ['equals', 'not_equal', 'starts_with', 'in', 'greater_than', 'greater_equal', 'less_than', 'less_equal', 'between'] as const;
export type CriteriaOperator = (typeof OPERATOR_NAMES)[number];

/** One node of the filter: a condition, or an `and` / `or` of nodes (GraphQL `CriteriaInput`). */
export interface CriteriaNode {
  field?: string | null;
  operator?: CriteriaOperator | null;
  // `{}` is any value but null/undefined (what the JSON scalar gives an input field).
  value?: {} | null;
  values?: readonly unknown[] | null;
  and?: readonly CriteriaNode[] | null;
  or?: readonly CriteriaNode[] | null;
}

/** What the builder needs to know of a field. */
export type CriteriaField = Pick<FieldMeta, 'apiName' | 'dataType'>;

const TEXTUAL: readonly CriteriaOperator[] = ['equals', 'not_equal', 'starts_with', 'in'];
const ORDERED: readonly CriteriaOperator[] = ['equals', 'not_equal', 'greater_equal', 'greater_than', 'less_equal', 'less_than', 'between', 'in'];
const CHOICE: readonly CriteriaOperator[] = ['equals', 'not_equal', 'in'];

/**
 * Operators per Zoho data type, from the note of search-records.html ("Date, DateTime: equals,
 * not_equal, greater_equal, greater_than, less_equal, less_than, between, in. Integer, Currency,
 * Decimal: … Boolean: equals, not_equal. textarea: equals, not_equal, starts_with.
 * Lookup(user/owner): equals, not_equal, in. Picklist, Autonumber: equals, not_equal, in. Text,
 * Email, Phone, Website: equals, not_equal, starts_with, in. multiselectpicklist: equals,
 * not_equal, in, starts_with. bigint, percent: …ordered…, in."). The emulator enforces the same
 * table for the types it models (src/emulator/criteria.ts OPERATORS). `formula` fields take the
 * operators of their return type, which field metadata does not give us here: Zoho judges them.
 * Types missing from the page's list of supported data types cannot be searched.
 */
const OPERATORS: Record<string, readonly CriteriaOperator[] | 'any'> = {
  text: TEXTUAL,
  email: TEXTUAL,
  phone: TEXTUAL,
  website: TEXTUAL,
  textarea: ['equals', 'not_equal', 'starts_with'],
  picklist: CHOICE,
  autonumber: CHOICE,
  multiselectpicklist: ['equals', 'not_equal', 'in', 'starts_with'],
  lookup: CHOICE,
  ownerlookup: CHOICE,
  userlookup: CHOICE,
  boolean: ['equals', 'not_equal'],
  integer: ORDERED,
  bigint: ORDERED,
  currency: ORDERED,
  double: ORDERED,
  decimal: ORDERED,
  percent: ORDERED,
  date: ORDERED,
  datetime: ORDERED,
  formula: 'any',
};

/** Record ids are searchable by `id` although field metadata does not list it (a bigint). */
const ID_FIELD: CriteriaField = { apiName: 'id', dataType: 'bigint' };
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** "the criteria for searching for the DateTime fields are in the ISO8601 format" (search-records.html). */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/;

/** Escapes one value: `\` first (so the escapes added next stay single), then `(`, `)`, `,`. */
export function escapeCriteriaValue(value: string): string {
  return value.replace(/[\\(),]/g, (c) => `\\${c}`);
}

function bad(path: string, message: string, extra: Record<string, unknown> = {}): GatewayError {
  return new GatewayError('BAD_USER_INPUT', `${path}: ${message}`, { argument: path, ...extra });
}

/** Counts the conditions of a filter (Zoho's "criteria"), checking the node shapes on the way. */
export function countCriteria(node: CriteriaNode, path = 'where'): number {
  const kind = nodeKind(node, path);
  if (kind === 'leaf') return 1;
  const items = node[kind]!;
  if (items.length === 0) throw bad(path, `${kind} needs at least one item`);
  return items.reduce((n, item, i) => n + countCriteria(item, `${path}.${kind}[${i}]`), 0);
}

function nodeKind(node: CriteriaNode, path: string): 'leaf' | 'and' | 'or' {
  const leaf = node.field != null || node.operator != null || node.value != null || node.values != null;
  const kinds = [leaf && 'field/operator/value', node.and != null && 'and', node.or != null && 'or'].filter(Boolean);
  if (kinds.length !== 1) {
    throw bad(path, kinds.length === 0 ? 'give a condition (field, operator, value or values), and, or or' : `give exactly one of a condition, and, or (got ${kinds.join(' + ')})`);
  }
  return node.and != null ? 'and' : node.or != null ? 'or' : 'leaf';
}

/**
 * The criteria string for `where`, checked against the module's fields (`fieldOf` answers a field
 * by api name). Conditions are joined pairwise, `(((A)and(B))and(C))`, the bracketing Zoho asks
 * for in COQL ("(A and (B and C)) or ((A and B) and C)", COQL-Limitations.html) and that reads
 * unambiguously under the search grammar too. Throws BAD_USER_INPUT naming the node's path.
 */
export function buildCriteria(where: CriteriaNode, fieldOf: (apiName: string) => CriteriaField | undefined, path = 'where'): { criteria: string; count: number } {
  const count = checkCriteriaShape(where, path);
  return { criteria: build(where, fieldOf, path), count };
}

/**
 * The node shapes and the 10-criteria cap, which need no metadata: resolvers call this before
 * anything reaches Zoho. Returns the number of conditions.
 */
export function checkCriteriaShape(where: CriteriaNode, path = 'where'): number {
  const count = countCriteria(where, path);
  if (count > MAX_SEARCH_CRITERIA) {
    throw bad(path, `Zoho's search takes at most ${MAX_SEARCH_CRITERIA} criteria; this filter has ${count} (use coql for more)`, { maximum: MAX_SEARCH_CRITERIA, count });
  }
  return count;
}

function build(node: CriteriaNode, fieldOf: (apiName: string) => CriteriaField | undefined, path: string): string {
  const kind = nodeKind(node, path);
  if (kind === 'leaf') return condition(node, fieldOf, path);
  const parts = node[kind]!.map((item, i) => build(item, fieldOf, `${path}.${kind}[${i}]`));
  return parts.reduce((acc, part) => `(${acc}${kind}${part})`);
}

function condition(node: CriteriaNode, fieldOf: (apiName: string) => CriteriaField | undefined, path: string): string {
  const { field: name, operator } = node;
  if (typeof name !== 'string' || !isZohoApiName(name)) throw bad(path, 'field must be a Zoho field api name');
  if (!operator || !(OPERATOR_NAMES as readonly string[]).includes(operator)) throw bad(path, `operator must be one of ${OPERATOR_NAMES.join(', ')}`);
  const field = name === 'id' ? ID_FIELD : fieldOf(name);
  if (!field) throw bad(path, `unknown field ${name}`, { field: name });
  const allowed = OPERATORS[field.dataType];
  if (!allowed) throw bad(path, `${name} is a ${field.dataType} field, which Zoho's search cannot filter on`, { field: name });
  if (allowed !== 'any' && !allowed.includes(operator)) {
    throw bad(path, `${operator} does not apply to ${name} (${field.dataType}); use ${allowed.join(', ')}`, { field: name, operator });
  }

  let raw: unknown[];
  if (operator === 'in' || operator === 'between') {
    if (node.value != null || !node.values) throw bad(path, `${operator} takes values, not value`);
    raw = [...node.values];
    if (operator === 'between' && raw.length !== 2) throw bad(path, 'between takes exactly two values (low, high)');
    if (operator === 'in' && (raw.length < 1 || raw.length > MAX_IN_VALUES)) throw bad(path, `in takes 1–${MAX_IN_VALUES} values (Zoho's limit)`);
  } else {
    if (node.values != null || node.value == null) throw bad(path, `${operator} takes value, not values`);
    raw = [node.value];
  }
  const key = operator === 'in' || operator === 'between' ? 'values' : 'value';
  const text = raw.map((v, i) => escapeCriteriaValue(formatValue(v, field, key === 'values' ? `${path}.values[${i}]` : `${path}.value`)));
  return `(${name}:${operator}:${text.join(',')})`;
}

/** The value as Zoho reads it for the field's type, or BAD_USER_INPUT before any call. */
function formatValue(v: unknown, field: CriteriaField, path: string): string {
  const t = field.dataType;
  const want = (what: string) => bad(path, `${field.apiName} (${t}) needs ${what}`, { field: field.apiName });
  if (v === null || v === undefined) throw want('a value, not null');
  switch (t) {
    case 'integer':
    case 'bigint':
      // Record ids (bigint) pass JavaScript's safe integers: send them as strings of digits.
      if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
      if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) return v;
      throw want('an integer (a string of digits for large ones)');
    case 'currency':
    case 'double':
    case 'decimal':
    case 'percent':
      if (typeof v === 'number' && Number.isFinite(v) && !/e/i.test(String(v))) return String(v);
      if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return v;
      throw want('a number');
    case 'boolean':
      if (typeof v === 'boolean') return String(v);
      if (v === 'true' || v === 'false') return v;
      throw want('true or false');
    case 'date':
      if (typeof v === 'string' && DATE.test(v)) return v;
      throw want('a date, yyyy-MM-dd');
    case 'datetime':
      if (typeof v === 'string' && DATETIME.test(v) && !Number.isNaN(Date.parse(v))) return v;
      throw want('an ISO 8601 date-time with offset, yyyy-MM-ddTHH:mm:ss±HH:mm');
    default:
      if (typeof v === 'number' && Number.isFinite(v)) return String(v);
      if (typeof v === 'boolean' && t === 'formula') return String(v);
      if (typeof v !== 'string') throw want('a string');
      // Zoho's `equals` means "contains" on text, so an empty value would match every record;
      // emptiness is a COQL question (`is null`), not a search one.
      if (v === '') throw want('a non-empty string (for empty fields use coql with is null)');
      return v;
  }
}
