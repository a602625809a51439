import { GatewayError } from '../errors.js';
import { COQL_LIMITS } from '../records/coql-limits.js';
import { comparisonName, type TypedField, type TypedModule } from './shape.js';
import { zohoDateTime } from './values.js';

/**
 * The typed filter compiler: a `<Type>_Filter` / `<Type>_OrderBy` value (already coerced by
 * GraphQL, or raw JSON that skipped validation) to COQL text. Pure: no Zoho call, no state.
 *
 * Sources, cited as below:
 *  GRQ = https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html
 *        ("Field Types and their Comparators", the operator lists quoted in src/emulator/coql/validate.ts)
 *  LIM = https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html
 *  OVW = https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html
 *  K171 = https://help.zoho.com/portal/en/community/topic/kaizen-171-faqs-on-coql-api
 *
 * Everything the caller writes reaches COQL only as a literal this file wrote: numbers in plain
 * decimal, ids as digits, dates in Zoho's formats, strings single-quoted with `''` doubling (K171).
 * Field and module names come from the typed shape (Zoho's metadata), never from the caller.
 */

export type Op = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'notIn' | 'startsWith' | 'isNull';

/** The GraphQL scalar an operator's value is read as (lists of it for in/notIn). */
export type ComparisonValue = 'ID' | 'String' | 'Int' | 'Float' | 'Boolean' | 'Date' | 'DateTime';

export interface Comparison {
  description: string;
  value: ComparisonValue;
  ops: readonly Op[];
}

/**
 * Each operator's input shape and meaning, for the lead's input types: `scalar` is the
 * comparison's `value` type, `list` a non-empty list of it.
 */
export const OPS: Readonly<Record<Op, { input: 'scalar' | 'list' | 'String' | 'Boolean'; description: string }>> = {
  eq: { input: 'scalar', description: 'Equal to (COQL `=`).' },
  ne: { input: 'scalar', description: 'Not equal to (COQL `!=`); records with no value do not match.' },
  gt: { input: 'scalar', description: 'Greater than (COQL `>`).' },
  gte: { input: 'scalar', description: 'Greater than or equal to (COQL `>=`).' },
  lt: { input: 'scalar', description: 'Less than (COQL `<`).' },
  lte: { input: 'scalar', description: 'Less than or equal to (COQL `<=`).' },
  in: { input: 'list', description: `One of these values (COQL \`in\`, 1 to ${COQL_LIMITS.inValues} values).` },
  notIn: { input: 'list', description: `None of these values (COQL \`not in\`, 1 to ${COQL_LIMITS.inValues} values); records with no value do not match.` },
  startsWith: { input: 'String', description: "Starts with this text (COQL `like 'text%'`); the text may not contain `%` or a backslash." },
  isNull: { input: 'Boolean', description: 'true: the field is empty (COQL `is null`); false: it has a value (`is not null`).' },
};

const ORDERED: readonly Op[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'isNull'];

/**
 * The comparison input types and exactly the operators GRQ allows for each field type. GRQ's
 * `between` / `not between` are left out (gte + lte say the same), as is `not like`, which GRQ
 * allows only as `%…%` (contains), a wildcard search this API does not offer.
 */
export const COMPARISONS: Readonly<Record<string, Comparison>> = {
  // GRQ "Lookup: =, !=, in, not in, is null, is not null": lookups and owners compare by record id.
  // The record's own `id` is a number to COQL, but ordering ids means nothing to a caller.
  [comparisonName.id]: {
    description: 'Compares a record id (a lookup, owner or the record itself).',
    value: 'ID',
    ops: ['eq', 'ne', 'in', 'notIn', 'isNull'],
  },
  // GRQ "Text, Picklist: =, !=, like, not like, in, not in, is null, is not null". UNVERIFIED:
  // whether Zoho compares text ignoring case (the emulator does).
  [comparisonName.string]: {
    description: 'Compares text (single-line text, email, phone, URL, picklist, auto-number).',
    value: 'String',
    ops: ['eq', 'ne', 'in', 'notIn', 'startsWith', 'isNull'],
  },
  // GRQ "Date, DateTime, Number: =, !=, >=, >, <=, <, between, not between, in, not in, is null, is not null".
  [comparisonName.bigint]: {
    description: 'Compares a long integer, written as a string of digits (it may exceed 2^53).',
    value: 'String',
    ops: ORDERED,
  },
  [comparisonName.int]: { description: 'Compares a whole number.', value: 'Int', ops: ORDERED },
  [comparisonName.float]: { description: 'Compares a number (decimal, currency, percent).', value: 'Float', ops: ORDERED },
  // GRQ "Boolean: =", written `'true'` / `'false'` as GRQ's sample does.
  [comparisonName.boolean]: { description: 'Compares a checkbox.', value: 'Boolean', ops: ['eq'] },
  [comparisonName.date]: { description: 'Compares a date (yyyy-MM-dd).', value: 'Date', ops: ORDERED },
  [comparisonName.datetime]: {
    description: "Compares an instant. Zoho keeps times to the second: eq, ne, in and notIn refuse fractions of a second; gt/gte/lt/lte round to Zoho's seconds.",
    value: 'DateTime',
    ops: ORDERED,
  },
  // UNVERIFIED: GRQ does not list multi-select picklists; the emulator takes them as picklists
  // without `like`, a value matching when it is among the chosen ones.
  [comparisonName.multiselect]: {
    description: 'Compares a multi-select picklist: eq matches records where the value is among those chosen, in where any of the values is; isNull matches records with none chosen.',
    value: 'String',
    ops: ['eq', 'ne', 'in', 'notIn', 'isNull'],
  },
};

/** The comparison a field gets in `<Type>_Filter`, or null when COQL cannot filter on it. */
export function comparisonFor(field: TypedField): string | null {
  // "You cannot use multi-line fields such as Description … in criteria" (LIM); subforms and
  // unknown types are not criteria either.
  if (!field.filterable || field.dataType === 'textarea') return null;
  switch (field.kind) {
    case 'subform':
    case 'json':
      return null;
    case 'string':
      return field.dataType === 'bigint' ? comparisonName.bigint : comparisonName.string;
    default:
      return comparisonName[field.kind];
  }
}

export interface FilterEntry {
  /** The input field's name: the field's name, or its `idName` for lookups and owners. */
  name: string;
  field: TypedField;
  /** A key of COMPARISONS. */
  comparison: string;
}

/** The filter's per-field entries (the lead adds `id`, `and`, `or`). Mapped aliases filter as their target field. */
export function filterEntries(module: TypedModule): FilterEntry[] {
  const out: FilterEntry[] = [];
  for (const field of module.fields) {
    const comparison = comparisonFor(field);
    if (!comparison) continue;
    const name = field.kind === 'lookup' || field.kind === 'user' ? field.idName : field.name;
    if (name) out.push({ name, field, comparison });
  }
  return out;
}

/**
 * Fields `<Type>_OrderBy` offers: plain values only. UNVERIFIED (no Zoho doc lists what ORDER BY
 * takes): lookups and owners (sorted by id or by name?) and multi-selects (a list) are left out;
 * multi-line text is left out as it is from criteria.
 */
export function orderEntries(module: TypedModule): { name: string; field: TypedField }[] {
  const unsortable = new Set(['subform', 'json', 'multiselect', 'lookup', 'user']);
  return module.fields.filter((f) => f.sortable && !unsortable.has(f.kind) && f.dataType !== 'textarea').map((f) => ({ name: f.name, field: f }));
}

// ---------------------------------------------------------------------------------------------
// Names and literals

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * COQL keywords (src/emulator/coql/parser.ts) and SQL words Zoho is known to reserve: K171 says a
 * reserved word ("External") must be quoted to be a column. Zoho publishes no full list, so names
 * are quoted when they are one of these (UNVERIFIED: that no other api name needs quotes).
 */
const RESERVED = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'like',
  'in',
  'between',
  'is',
  'null',
  'group',
  'order',
  'by',
  'asc',
  'desc',
  'limit',
  'offset',
  'as',
  'true',
  'false',
  'external',
  'table',
  'index',
  'key',
  'values',
  'update',
  'delete',
  'insert',
  'join',
  'on',
  'having',
  'distinct',
  'case',
  'when',
  'then',
  'else',
  'end',
]);

/** A field path as COQL reads it: bare, or quoted when a step is a reserved word. */
function coqlName(path: string): string {
  const steps = path.split('.');
  // Names come from Zoho's metadata; one that is not a plain name is a bug upstream, not user input.
  if (!steps.every((s) => NAME.test(s))) throw new Error(`filter.ts: the field ${JSON.stringify(path)} is not a COQL name`);
  return steps.some((s) => RESERVED.has(s.toLowerCase())) ? `'${path}'` : path;
}

/** FROM takes a bare module name (the emulator's parser and the gateway's reader read no other). */
function moduleName(name: string): string {
  if (!NAME.test(name) || RESERVED.has(name.toLowerCase())) throw new Error(`filter.ts: the module ${JSON.stringify(name)} is not a COQL name`);
  return name;
}

/** Where in the `where` value an error is: the field's filter name and the path to it. */
interface At {
  argument: string;
  field: string;
  path: string;
}

function badInput(at: At, message: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', `${at.argument}${at.path ? `.${at.path}` : ''}: ${message}`, { argument: at.argument, field: at.field, path: at.path });
}

function limitError(
  argument: string,
  message: string,
  limit: string,
  maximum: number,
  source = "Zoho's COQL limit; https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html",
): GatewayError {
  return new GatewayError('BAD_USER_INPUT', `${message} (${source})`, { argument, limit, maximum });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** A number in plain decimal: COQL (and the gateway's reader) have no exponent notation. */
export function plainNumber(n: number): string {
  if (Object.is(n, -0)) return '0';
  const s = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  const digits = int + frac;
  const point = int.length + Number(exp);
  const body = point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return sign + body;
}

/**
 * A string literal. `''` is COQL's escape for a quote (K171). A backslash is refused: how Zoho
 * reads `\'` is undocumented, and if it took it as an escape, a value ending in a backslash would
 * close its string late and the rest of the value would be read as query text.
 */
function stringLiteral(v: unknown, at: At): string {
  if (typeof v !== 'string') throw badInput(at, `expected a string, got ${describe(v)}`);
  if (v.includes('\\')) throw badInput(at, "a backslash cannot be sent to Zoho's COQL (how Zoho reads it is undocumented)");
  return `'${v.replaceAll("'", "''")}'`;
}

function idLiteral(v: unknown, at: At): string {
  const s = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v;
  if (typeof s !== 'string' || !/^\d{1,30}$/.test(s)) throw badInput(at, `expected a record id (digits), got ${describe(v)}`);
  // Quoted as GRQ's lookup samples write ids ('What_Id->Leads.id' in ('4876876000000900134', …)).
  return `'${s}'`;
}

function bigintLiteral(v: unknown, at: At): string {
  const s = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v;
  if (typeof s !== 'string' || !/^-?\d{1,30}$/.test(s)) throw badInput(at, `expected a whole number written as digits, got ${describe(v)}`);
  // Unquoted: GRQ answers INVALID_QUERY for a string value given to a number field.
  return s;
}

function intLiteral(v: unknown, at: At): string {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw badInput(at, `expected a whole number, got ${describe(v)}`);
  return plainNumber(v);
}

function floatLiteral(v: unknown, at: At): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badInput(at, `expected a finite number, got ${describe(v)}`);
  return plainNumber(v);
}

function booleanLiteral(v: unknown, at: At): string {
  if (typeof v !== 'boolean') throw badInput(at, `expected true or false, got ${describe(v)}`);
  return `'${v}'`;
}

/** yyyy-MM-dd, a real calendar day. A JS Date (a Date scalar may parse to one) gives its UTC day. */
function dateLiteral(v: unknown, at: At): string {
  let s = v;
  if (v instanceof Date) s = Number.isNaN(v.getTime()) ? undefined : v.toISOString().slice(0, 10);
  const m = typeof s === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
  if (!m) throw badInput(at, `expected a date as yyyy-MM-dd, got ${describe(v)}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) throw badInput(at, `${s} is not a calendar date`);
  return `'${s}'`;
}

const FIRST_INSTANT = Date.parse('0000-01-01T00:00:00Z');
const END_INSTANT = Date.parse('+010000-01-01T00:00:00Z');

/** The instant in epoch ms (the DateTime scalar's internal form; a JS Date is taken too). */
function instant(v: unknown, at: At): number {
  const ms = v instanceof Date ? v.getTime() : v;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) throw badInput(at, `expected an instant, got ${describe(v)}`);
  // Zoho's format has a four-digit year; Date's range reaches far beyond it.
  if (ms < FIRST_INSTANT || ms >= END_INSTANT) throw badInput(at, 'the instant is outside the years 0000-9999');
  return ms;
}

/**
 * Zoho's datetime, `2025-01-06T09:00:00+00:00` (ISO 8601 with an offset, no fraction: the shape
 * Zoho writes and GRQ's DateTime samples use). Zoho keeps whole seconds, so a fraction is either
 * rounded the way that keeps the comparison's meaning, or refused where no rounding can.
 */
function dateTimeLiteral(v: unknown, at: At, op: Op): string {
  const ms = instant(v, at);
  let sec = ms / 1000;
  if (!Number.isInteger(sec)) {
    // For a time t in whole seconds: t > x ⇔ t > ⌊x⌋, t ≥ x ⇔ t ≥ ⌈x⌉, t < x ⇔ t < ⌈x⌉, t ≤ x ⇔ t ≤ ⌊x⌋.
    if (op === 'gt' || op === 'lte') sec = Math.floor(sec);
    else if (op === 'gte' || op === 'lt') sec = Math.ceil(sec);
    else throw badInput(at, 'Zoho keeps times to the second; an instant with a fraction of a second can never be equal to one');
  }
  if (sec * 1000 >= END_INSTANT) throw badInput(at, 'the instant is outside the years 0000-9999');
  return `'${zohoDateTime(sec * 1000)}'`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return v.length > 40 ? 'a string' : JSON.stringify(v);
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

type Literal = (v: unknown, at: At, op: Op) => string;

const LITERALS: Record<string, Literal> = {
  [comparisonName.id]: idLiteral,
  [comparisonName.string]: stringLiteral,
  [comparisonName.bigint]: bigintLiteral,
  [comparisonName.int]: intLiteral,
  [comparisonName.float]: floatLiteral,
  [comparisonName.boolean]: booleanLiteral,
  [comparisonName.date]: dateLiteral,
  [comparisonName.datetime]: dateTimeLiteral,
  [comparisonName.multiselect]: stringLiteral,
};

const SYMBOL: Partial<Record<Op, string>> = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

// ---------------------------------------------------------------------------------------------
// WHERE

/** How deep `and` / `or` may nest: the gateway's own cap, to keep compiling (and Zoho's parse) cheap. */
export const MAX_FILTER_DEPTH = 10;

/** A condition: one COQL criterion, or two or more joined by one connective. `null` is "always true". */
type Cond = { kind: 'leaf'; text: string } | { kind: 'and' | 'or'; items: Cond[] };

function join(kind: 'and' | 'or', items: (Cond | null)[]): Cond | null {
  if (kind === 'or' && items.some((c) => c === null)) return null;
  const flat = (items.filter((c) => c !== null) as Cond[]).flatMap((c) => (c.kind === kind ? c.items : [c]));
  if (flat.length === 0) return null;
  if (flat.length === 1) return flat[0]!;
  return { kind, items: flat };
}

/**
 * "If WHERE has more than two criteria such as A, B, and C, use them as … ((A and B) and C)"
 * (GRQ, LIM, K171): every bracket holds two operands. A balanced split keeps 25 criteria within
 * five levels of brackets; three come out as the documented ((A and B) and C).
 */
function render(c: Cond): string {
  if (c.kind === 'leaf') return c.text;
  const pair = (items: Cond[]): string => {
    if (items.length === 1) return render(items[0]!);
    const mid = Math.ceil(items.length / 2);
    return `(${pair(items.slice(0, mid))} ${c.kind} ${pair(items.slice(mid))})`;
  };
  return pair(c.items);
}

function countCriteria(c: Cond | null): number {
  if (c === null) return 0;
  return c.kind === 'leaf' ? 1 : c.items.reduce((n, i) => n + countCriteria(i), 0);
}

interface FilterKey {
  column: string;
  comparison: string;
}

const keyCache = new WeakMap<TypedModule, Map<string, FilterKey>>();

function filterKeys(module: TypedModule): Map<string, FilterKey> {
  let keys = keyCache.get(module);
  if (!keys) {
    keys = new Map();
    for (const e of filterEntries(module)) if (!keys.has(e.name)) keys.set(e.name, { column: coqlName(e.field.apiName), comparison: e.comparison });
    // `id`, `and`, `or` are the filter's own: the lead's naming keeps fields off them.
    keys.set('id', { column: 'id', comparison: comparisonName.id });
    keyCache.set(module, keys);
  }
  return keys;
}

class WhereCompiler {
  constructor(private readonly keys: Map<string, FilterKey>) {}

  filter(value: unknown, path: string, depth: number): Cond | null {
    const at: At = { argument: 'where', field: '', path };
    if (!isPlainObject(value)) throw badInput(at, `expected a filter object, got ${describe(value)}`);
    const parts: (Cond | null)[] = [];
    for (const [key, v] of Object.entries(value)) {
      const here = path ? `${path}.${key}` : key;
      if (v === undefined) continue;
      if (key === 'and' || key === 'or') {
        parts.push(this.group(key, v, here, depth + 1));
        continue;
      }
      const target = this.keys.get(key);
      if (!target) throw badInput({ argument: 'where', field: key, path: here }, `unknown filter field ${JSON.stringify(key)}`);
      parts.push(this.comparison(key, target, v, here));
    }
    return join('and', parts);
  }

  private group(kind: 'and' | 'or', v: unknown, path: string, depth: number): Cond | null {
    const at: At = { argument: 'where', field: kind, path };
    if (depth > MAX_FILTER_DEPTH) {
      throw new GatewayError('BAD_USER_INPUT', `where.${path}: and/or nest at most ${MAX_FILTER_DEPTH} levels deep (the gateway's limit)`, {
        argument: 'where',
        limit: 'depth',
        maximum: MAX_FILTER_DEPTH,
        path,
      });
    }
    if (!Array.isArray(v)) throw badInput(at, `${kind} takes a list of filters, got ${describe(v)}`);
    // An empty `or` would be "none of nothing": false to logic, true to some APIs. Refused rather than guessed.
    if (kind === 'or' && v.length === 0) throw badInput(at, 'or needs at least one filter');
    return join(
      kind,
      v.map((item, i) => this.filter(item, `${path}[${i}]`, depth)),
    );
  }

  private comparison(name: string, target: FilterKey, value: unknown, path: string): Cond | null {
    const at: At = { argument: 'where', field: name, path };
    if (!isPlainObject(value)) throw badInput(at, `expected a ${target.comparison} object, got ${describe(value)}`);
    const allowed = COMPARISONS[target.comparison]!.ops;
    const literal = LITERALS[target.comparison]!;
    const parts: Cond[] = [];
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const opAt: At = { ...at, path: `${path}.${key}` };
      if (!(allowed as readonly string[]).includes(key)) {
        throw badInput(opAt, `${target.comparison} has no operator ${JSON.stringify(key)}; it takes ${allowed.join(', ')}`);
      }
      const op = key as Op;
      if (v === null) throw badInput(opAt, op === 'isNull' ? 'isNull takes true or false' : 'null is not a value to compare with; use isNull');
      parts.push({ kind: 'leaf', text: this.criterion(target.column, op, v, literal, opAt) });
    }
    if (parts.length === 0) throw badInput(at, 'a comparison needs at least one operator');
    return join('and', parts);
  }

  private criterion(column: string, op: Op, v: unknown, literal: Literal, at: At): string {
    const symbol = SYMBOL[op];
    if (symbol) return `${column} ${symbol} ${literal(v, at, op)}`;
    if (op === 'isNull') {
      if (typeof v !== 'boolean') throw badInput(at, `isNull takes true or false, got ${describe(v)}`);
      return `${column} is ${v ? '' : 'not '}null`;
    }
    if (op === 'startsWith') {
      if (typeof v !== 'string') throw badInput(at, `expected a string, got ${describe(v)}`);
      // `%` is COQL's wildcard (GRQ) and has no documented escape. UNVERIFIED: whether Zoho also
      // reads `_` as SQL's one-character wildcard; if so a value with `_` matches a little more.
      if (v.includes('%')) throw badInput(at, 'startsWith cannot contain % (the wildcard of COQL like, which has no escape)');
      if (v === '') throw badInput(at, 'startsWith needs at least one character');
      return `${column} like ${stringLiteral(`${v}%`, at)}`;
    }
    // in / notIn
    if (!Array.isArray(v)) throw badInput(at, `${op} takes a list, got ${describe(v)}`);
    if (v.length === 0) throw badInput(at, `${op} needs at least one value (COQL has no empty list)`);
    if (v.length > COQL_LIMITS.inValues) {
      throw new GatewayError(
        'BAD_USER_INPUT',
        `where.${at.path} has ${v.length} values; ${op} takes at most ${COQL_LIMITS.inValues} (Zoho's COQL limit; https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html)`,
        { argument: 'where', limit: 'in', maximum: COQL_LIMITS.inValues, field: at.field, path: at.path },
      );
    }
    const values = new Set<string>();
    v.forEach((x, i) => {
      const itemAt = { ...at, path: `${at.path}[${i}]` };
      if (x === null) throw badInput(itemAt, 'null is not a value to compare with; use isNull');
      values.add(literal(x, itemAt, op));
    });
    return `${column} ${op === 'in' ? 'in' : 'not in'} (${[...values].join(', ')})`;
  }
}

/**
 * The COQL criteria for a `where` value. Keys of one object, and the operators of one comparison,
 * are ANDed; `and` / `or` take lists of filters. No criteria at all gives `id is not null`, as
 * COQL requires a WHERE (GRQ: a query without one is a SYNTAX_ERROR).
 */
export function compileWhere(module: TypedModule, where: unknown): string {
  const cond = where === undefined || where === null ? null : new WhereCompiler(filterKeys(module)).filter(where, '', 0);
  const criteria = countCriteria(cond);
  if (criteria > COQL_LIMITS.criteria) {
    throw new GatewayError(
      'BAD_USER_INPUT',
      `where has ${criteria} criteria; at most ${COQL_LIMITS.criteria} (Zoho's COQL limit; https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html)`,
      { argument: 'where', limit: 'where', maximum: COQL_LIMITS.criteria },
    );
  }
  return cond === null ? 'id is not null' : render(cond);
}

// ---------------------------------------------------------------------------------------------
// ORDER BY

/** "A maximum of 10 fields can be given in the ORDER BY clause." (LIM) */
export const MAX_ORDER_FIELDS = 10;

/**
 * `[{ amount: 'desc' }, { dealName: 'asc' }]` → `Amount desc, dealName asc, id asc`. The record id
 * always ends the list (unless given) so pages of equal values do not shift between calls
 * (OVW: without ORDER BY Zoho sorts by id; with it, ties are not documented). Duplicate fields are
 * refused (LIM: DUPLICATE_DATA), and the list with id holds at most 10 fields (LIM).
 */
export function compileOrderBy(module: TypedModule, orderBy: unknown): string {
  const at = (path: string, field = ''): At => ({ argument: 'orderBy', field, path });
  const items = orderBy === undefined || orderBy === null ? [] : orderBy;
  if (!Array.isArray(items)) throw badInput(at(''), `expected a list of {field: asc|desc}, got ${describe(orderBy)}`);
  const sortable = new Map(orderEntries(module).map((e) => [e.name, coqlName(e.field.apiName)]));
  const seen = new Set<string>();
  const keys: string[] = [];
  items.forEach((item, i) => {
    if (!isPlainObject(item)) throw badInput(at(`[${i}]`), `expected {field: asc|desc}, got ${describe(item)}`);
    const entries = Object.entries(item).filter(([, v]) => v !== undefined);
    if (entries.length !== 1) throw badInput(at(`[${i}]`), `each orderBy element names exactly one field, got ${entries.length}`);
    const [name, direction] = entries[0]!;
    const column = name === 'id' ? 'id' : sortable.get(name);
    if (!column) throw badInput(at(`[${i}].${name}`, name), `${JSON.stringify(name)} is not a field ${module.typeName} can be sorted by`);
    if (direction !== 'asc' && direction !== 'desc') throw badInput(at(`[${i}].${name}`, name), `expected asc or desc, got ${describe(direction)}`);
    if (seen.has(name)) throw badInput(at(`[${i}].${name}`, name), `${name} is already in orderBy (Zoho refuses a field sorted twice)`);
    seen.add(name);
    keys.push(`${column} ${direction}`);
  });
  if (!seen.has('id')) keys.push('id asc');
  if (keys.length > MAX_ORDER_FIELDS) {
    throw limitError(
      'orderBy',
      `orderBy has ${items.length} fields; Zoho sorts by at most ${MAX_ORDER_FIELDS}${seen.has('id') ? '' : `, and the gateway adds id to make pages stable, so at most ${MAX_ORDER_FIELDS - 1} besides id`}`,
      'order by',
      MAX_ORDER_FIELDS,
    );
  }
  return keys.join(', ');
}

// ---------------------------------------------------------------------------------------------
// The whole query

export interface CoqlQueryInput {
  /** Zoho api names (or dotted lookup paths) to select; none selects `id`. */
  fields: readonly string[];
  where?: unknown;
  orderBy?: unknown;
  /** Rows per call, 1–2,000 (default 200, OVW). */
  limit?: number;
  /** Rows to skip (default 0). */
  offset?: number;
}

/**
 * `select … from <Module> where … order by … limit <n> offset <m>`. LIMIT and OFFSET are
 * separate keywords in OVW's clause list; the emulator and the gateway's reader also take
 * `limit <m>, <n>`, but the keyword form cannot be misread as (limit, offset).
 */
export function compileCoql(module: TypedModule, input: CoqlQueryInput): string {
  const columns = [...new Set(input.fields.length ? input.fields : ['id'])].map((f) => coqlName(f));
  if (columns.length > COQL_LIMITS.selectColumns) {
    throw limitError(
      'fields',
      `the query selects ${columns.length} fields; at most ${COQL_LIMITS.selectColumns}`,
      'select',
      COQL_LIMITS.selectColumns,
      "Zoho's COQL limit since v7; https://help.zoho.com/portal/en/community/topic/kaizen-183-coql-apis-enhancements-in-zoho-crm-api-version-7",
    );
  }
  const limit = input.limit ?? COQL_LIMITS.defaultLimit;
  const offset = input.offset ?? 0;
  if (!Number.isSafeInteger(limit) || limit < 1) throw badInput({ argument: 'limit', field: 'limit', path: '' }, `expected a whole number of at least 1, got ${describe(limit)}`);
  if (limit > COQL_LIMITS.maxLimit) throw limitError('limit', `limit ${limit} is more than ${COQL_LIMITS.maxLimit} records per call`, 'limit', COQL_LIMITS.maxLimit);
  if (!Number.isSafeInteger(offset) || offset < 0) throw badInput({ argument: 'offset', field: 'offset', path: '' }, `expected a whole number of at least 0, got ${describe(offset)}`);
  if (offset + limit > COQL_LIMITS.maxRecords) {
    throw limitError('offset', `offset + limit reaches record ${offset + limit}; Zoho pages through at most ${COQL_LIMITS.maxRecords} records`, 'offset', COQL_LIMITS.maxRecords);
  }
  const where = compileWhere(module, input.where);
  const order = compileOrderBy(module, input.orderBy);
  return `select ${columns.join(', ')} from ${moduleName(module.apiName)} where ${where} order by ${order} limit ${limit} offset ${offset}`;
}
