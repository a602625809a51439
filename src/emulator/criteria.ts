import type { DataType, FieldDef, ModuleDef } from './metadata.js';
import type { ZRecord } from './seed.js';

/**
 * The `criteria` language of Zoho's Search Records API:
 *   `((Last_Name:equals:Burns\,B)and(First_Name:starts_with:M))`
 * Source: https://www.zoho.com/crm/developer/docs/api/v8/search-records.html and
 * github.com/zoho/crm-oas v8.0/module_search/mds/searchRecords.md (parameter `criteria`).
 *
 * Documented facts this file relies on:
 *  - a condition is `(field_api_name:operator:value)`; conditions combine with `and` / `or`, each
 *    combination wrapped in its own brackets;
 *  - `(`, `)`, `,` and `\` inside a value are escaped with a backslash;
 *  - at most 10 criteria per request (parameter text; the OAS error enum for
 *    CRITERIA_LIMIT_EXCEEDED says "exceed the limit 15" — the two disagree, we enforce 10);
 *  - operators: equals, not_equal, starts_with, in, greater_than, greater_equal, less_than,
 *    less_equal, between, with the per-type table in OPERATORS below;
 *  - `equals` on non-picklist text behaves like "contains"; `in` takes at most 100 values.
 * `not_in` is NOT in the v8 operator list, so it is refused as an invalid operator.
 */

export const MAX_CRITERIA = 10;
export const MAX_IN_VALUES = 100;

export type Operator = 'equals' | 'not_equal' | 'starts_with' | 'in' | 'greater_than' | 'greater_equal' | 'less_than' | 'less_equal' | 'between';

export interface Condition {
  kind: 'cond';
  field: string;
  operator: string;
  /** Unescaped values: one for most operators, several for `in`, two for `between`. */
  values: string[];
}

export interface Group {
  kind: 'group';
  op: 'and' | 'or';
  items: CriteriaNode[];
}

export type CriteriaNode = Condition | Group;

/** A failure, in the shape of Zoho's error envelope (status 400). */
export interface CriteriaError {
  code: 'INVALID_QUERY' | 'CRITERIA_LIMIT_EXCEEDED';
  message: string;
  details: Record<string, unknown>;
}

const TEXTUAL: Operator[] = ['equals', 'not_equal', 'starts_with', 'in'];
const ORDERED: Operator[] = ['equals', 'not_equal', 'greater_equal', 'greater_than', 'less_equal', 'less_than', 'between', 'in'];

/** Operators by data type, as the v8 search page lists them. */
const OPERATORS: Record<DataType, Operator[]> = {
  text: TEXTUAL,
  email: TEXTUAL,
  phone: TEXTUAL,
  website: TEXTUAL,
  textarea: ['equals', 'not_equal', 'starts_with'],
  picklist: ['equals', 'not_equal', 'in'],
  lookup: ['equals', 'not_equal', 'in'],
  ownerlookup: ['equals', 'not_equal', 'in'],
  boolean: ['equals', 'not_equal'],
  integer: ORDERED,
  bigint: ORDERED,
  currency: ORDERED,
  double: ORDERED,
  date: ORDERED,
  datetime: ORDERED,
  decimal: ORDERED,
  percent: ORDERED,
  // UNVERIFIED (not in the v8 table): a multi-select matches when any chosen value matches, like
  // a picklist; autonumber as text; a subform as a whole is not searchable.
  multiselectpicklist: ['equals', 'not_equal', 'in'],
  autonumber: TEXTUAL,
  subform: [],
  // UNVERIFIED: formula fields searched by their (numeric) result; user lookups like owners.
  formula: ORDERED,
  userlookup: ['equals', 'not_equal', 'in'],
};

/** UNVERIFIED: Zoho's exact `reason` texts; the codes and detail keys follow the OAS schemas. */
const invalidQuery = (details: Record<string, unknown> = {}): CriteriaError => ({ code: 'INVALID_QUERY', message: 'Invalid query formed', details });

class Parser {
  private i = 0;
  count = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  parseRoot(): CriteriaNode {
    this.ws();
    const node = this.node();
    this.ws();
    if (this.i !== this.s.length) throw invalidQuery();
    return node;
  }

  /** `(` then either a nested `(` (a group) or a condition body. */
  private node(): CriteriaNode {
    if (this.s[this.i] !== '(') throw invalidQuery();
    this.i++;
    this.ws();
    if (this.s[this.i] === '(') return this.group();
    return this.condition();
  }

  private group(): CriteriaNode {
    const items: CriteriaNode[] = [this.node()];
    let op: 'and' | 'or' | undefined;
    for (;;) {
      this.ws();
      if (this.s[this.i] === ')') {
        this.i++;
        break;
      }
      const m = /^(and|or)/i.exec(this.s.slice(this.i));
      if (!m) throw invalidQuery();
      const next = m[1]!.toLowerCase() as 'and' | 'or';
      // UNVERIFIED: how Zoho reads `(A)and(B)or(C)` without brackets; we refuse the ambiguity.
      if (op && op !== next) throw invalidQuery();
      op = next;
      this.i += m[1]!.length;
      this.ws();
      items.push(this.node());
    }
    // `((A))` — a redundant pair of brackets around one condition — stays a single node.
    if (items.length === 1) return items[0]!;
    return { kind: 'group', op: op!, items };
  }

  /** Reads `field:operator:value)` honouring backslash escapes in the value. */
  private condition(): Condition {
    const start = this.i;
    let raw = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) throw invalidQuery();
      if (c === '\\') {
        const n = this.s[this.i + 1];
        if (n === undefined) throw invalidQuery();
        raw += c + n;
        this.i += 2;
        continue;
      }
      if (c === ')') break;
      // An unescaped `(` inside a value: the documented rule is to escape it.
      if (c === '(') throw invalidQuery();
      raw += c;
      this.i++;
    }
    this.i++; // the closing `)`
    if (this.i - start <= 1) throw invalidQuery();
    const first = raw.indexOf(':');
    const second = first < 0 ? -1 : raw.indexOf(':', first + 1);
    if (first <= 0 || second < 0) throw invalidQuery();
    const field = raw.slice(0, first).trim();
    const operator = raw.slice(first + 1, second).trim();
    const rawValue = raw.slice(second + 1);
    this.count++;
    return { kind: 'cond', field, operator, values: splitValues(rawValue) };
  }
}

/** Splits a raw value on unescaped commas, then unescapes `\(`, `\)`, `\,`, `\\`. */
function splitValues(raw: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      cur += raw[i + 1];
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** Parses and checks criteria against a module's fields. Returns the tree or Zoho's error. */
export function parseCriteria(input: string, module: ModuleDef): { node: CriteriaNode } | { error: CriteriaError } {
  const parser = new Parser(input);
  let node: CriteriaNode;
  try {
    node = parser.parseRoot();
  } catch (e) {
    if (isCriteriaError(e)) return { error: e };
    throw e;
  }
  if (parser.count > MAX_CRITERIA) {
    // Code from the OAS CriteriaLimitExceededErrorResponse; UNVERIFIED: the message's number
    // (the OAS text says 15, the parameter text says 10 — we print the limit we enforce).
    return { error: { code: 'CRITERIA_LIMIT_EXCEEDED', message: `no of criterium that can be given exceed the limit ${MAX_CRITERIA}`, details: {} } };
  }
  const err = check(node, module);
  return err ? { error: err } : { node };
}

function isCriteriaError(e: unknown): e is CriteriaError {
  return typeof e === 'object' && e !== null && 'code' in e && 'details' in e;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)$/;

function check(node: CriteriaNode, module: ModuleDef): CriteriaError | undefined {
  if (node.kind === 'group') {
    for (const item of node.items) {
      const e = check(item, module);
      if (e) return e;
    }
    return undefined;
  }
  const field = node.field === 'id' ? ID_FIELD : module.fields.find((f) => f.api_name === node.field);
  // Detail shapes from the OAS InvalidQueryErrorResponse (GeneralQueryErrorDetails,
  // InvalidOperatorErrorDetails, DataTypeMismatchErrorDetails). UNVERIFIED: reason texts.
  if (!field) return invalidQuery({ api_name: node.field, reason: 'the api name given seems to be invalid' });
  const allowed = OPERATORS[field.data_type];
  if (!allowed.includes(node.operator as Operator)) {
    return invalidQuery({ api_name: node.field, operator: node.operator, reason: 'invalid operator found' });
  }
  const op = node.operator as Operator;
  if (op === 'in' && node.values.length > MAX_IN_VALUES) {
    return { code: 'INVALID_QUERY', message: 'Only 100 values are allowed in "IN" criteria', details: { api_name: node.field, param_name: node.field } };
  }
  // UNVERIFIED: an unescaped comma in a single-valued operator; the docs require escaping it.
  if (op === 'between' ? node.values.length !== 2 : op !== 'in' && node.values.length !== 1) return invalidQuery({ api_name: node.field, reason: 'invalid value count' });
  for (const v of node.values) {
    if (!valueFits(field.data_type, v)) {
      return invalidQuery({ api_name: node.field, expected_data_type: field.data_type, reason: 'invalid data type' });
    }
  }
  return undefined;
}

/** `id` is searchable although it is not in our field list (the v4 docs list the `id` type). */
const ID_FIELD: FieldDef = { api_name: 'id', field_label: 'Record Id', data_type: 'bigint' };

function valueFits(type: DataType, v: string): boolean {
  switch (type) {
    case 'integer':
    case 'bigint':
      return /^-?\d+$/.test(v);
    case 'currency':
    case 'double':
    case 'decimal':
    case 'percent':
    case 'formula':
      return v.trim() !== '' && Number.isFinite(Number(v));
    case 'date':
      return DATE.test(v);
    case 'datetime':
      return DATETIME.test(v) && !Number.isNaN(Date.parse(v));
    case 'boolean':
      return v === 'true' || v === 'false';
    default:
      return true;
  }
}

/** True when the record satisfies the (already checked) criteria. */
export function matchCriteria(record: ZRecord, node: CriteriaNode, module: ModuleDef): boolean {
  if (node.kind === 'group') {
    return node.op === 'and' ? node.items.every((n) => matchCriteria(record, n, module)) : node.items.some((n) => matchCriteria(record, n, module));
  }
  const field = node.field === 'id' ? ID_FIELD : module.fields.find((f) => f.api_name === node.field)!;
  return matchCondition(record[node.field], field, node.operator as Operator, node.values);
}

function matchCondition(value: unknown, field: FieldDef, op: Operator, values: string[]): boolean {
  if (value === null || value === undefined || value === '') return op === 'not_equal';
  const t = field.data_type;
  if (t === 'lookup' || t === 'ownerlookup' || t === 'userlookup') {
    // UNVERIFIED: lookups are compared by record id (what the docs' examples use) or by name.
    const ref = value as { id?: unknown; name?: unknown };
    const hit = (v: string) => String(ref.id) === v || String(ref.name ?? '').toLowerCase() === v.toLowerCase();
    return op === 'not_equal' ? !hit(values[0]!) : values.some(hit);
  }
  if (t === 'boolean') return (String(value) === values[0]) === (op === 'equals');
  if (t === 'multiselectpicklist') {
    const chosen = (Array.isArray(value) ? value : []).map((v) => String(v).toLowerCase());
    const hit = (v: string) => chosen.includes(v.toLowerCase());
    return op === 'not_equal' ? !hit(values[0]!) : values.some(hit);
  }
  const cmp = comparer(t);
  if (cmp) {
    const x = cmp(value);
    const ys = values.map(cmp);
    const y = ys[0]!;
    switch (op) {
      case 'equals':
        return x === y;
      case 'not_equal':
        return x !== y;
      case 'in':
        return ys.includes(x);
      case 'greater_than':
        return x > y;
      case 'greater_equal':
        return x >= y;
      case 'less_than':
        return x < y;
      case 'less_equal':
        return x <= y;
      case 'between':
        return x >= y && x <= ys[1]!;
      default:
        return false;
    }
  }
  // Textual types. UNVERIFIED: case-insensitivity (Zoho's search index is case-insensitive in
  // practice); `equals` as "contains" is documented for non-picklist fields.
  const s = String(value).toLowerCase();
  const vs = values.map((v) => v.toLowerCase());
  switch (op) {
    case 'equals':
      if (t === 'picklist') return s === vs[0];
      return SINGLE_LINE.has(t) ? foldSeparators(s).includes(foldSeparators(vs[0]!)) : s.includes(vs[0]!);
    case 'not_equal':
      return s !== vs[0];
    case 'starts_with':
      return s.startsWith(vs[0]!);
    case 'in':
      return vs.includes(s);
    default:
      return false;
  }
}

/**
 * "When a single-line field value contains characters such as `{ } [ ] ^ : - / ! ? * _ @` or
 * spaces, the Search API may return records with similar-looking values, even when the characters
 * are not an exact match": `equals:sales-team@zoho.com` may also find `sales_team@zoho.com`
 * (crm-oas v8.0/module_search/mds/searchRecords.md, `criteria`). The emulator makes that certain
 * for `equals`: both sides are compared with every run of those characters folded to one space.
 * UNVERIFIED: that Zoho folds runs ("a--b" finds "a b"); whether other operators (starts_with, in)
 * do the same (we keep them exact); which field types count as single-line (we take text, email,
 * phone and website; textarea is multi-line).
 */
const SEPARATOR_RUN = /[{}[\]^:\-/!?*_@\s]+/g;
const SINGLE_LINE: ReadonlySet<DataType> = new Set(['text', 'email', 'phone', 'website']);

function foldSeparators(s: string): string {
  return s.replace(SEPARATOR_RUN, ' ');
}

/** Maps a value to a comparable number (or date string) for ordered types. */
function comparer(t: DataType): ((v: unknown) => number | string) | undefined {
  switch (t) {
    case 'integer':
    case 'currency':
    case 'double':
    case 'decimal':
    case 'percent':
    case 'formula':
      return (v) => Number(v);
    case 'bigint':
      // Record ids are 19 digits: pad so string order is numeric order (non-negative only).
      return (v) => String(v).padStart(20, '0');
    case 'date':
      return (v) => String(v).slice(0, 10);
    case 'datetime':
      return (v) => Date.parse(String(v));
    default:
      return undefined;
  }
}
