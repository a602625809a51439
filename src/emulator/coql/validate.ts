import { MODULES, type ModuleDef } from '../metadata.js';
import type { Column, Condition, FieldRef, Literal, Operator, SelectQuery } from './ast.js';
import { CoqlError, invalidColumn, invalidOperator, limitExceeded } from './errors.js';
import { checkLimits, COQL_LIMITS } from './limits.js';
import type { Comparable, Plan, PlanColumn, PlanCondition, PlanOrder } from './plan.js';
import { isLookup, isNumeric, resolvePath, type CoqlType, type ResolvedPath } from './schema.js';

/**
 * Checks a parsed query against the org's metadata and Zoho's rules, and builds the plan.
 * Sources for each rule are cited inline; https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html
 * is "GRQ" below, the OAS examples are github.com/zoho/crm-oas v8.0/coql.
 */
export function validate(q: SelectQuery, modules: ModuleDef[] = MODULES): Plan {
  const page = checkLimits(q);
  const scope: Scope = { module: q.module, modules };

  // OAS example InvalidModule: INVALID_MODULE `{}` "the given module is not supported in api".
  // UNVERIFIED: whether a module that does not exist at all gets this or INVALID_QUERY `{module}`.
  if (!modules.some((m) => m.api_name === q.module)) throw new CoqlError('INVALID_MODULE', 'the given module is not supported in api', {});

  const columns = q.columns.map((c) => planColumn(scope, c));
  checkDuplicates(q.columns);
  checkAliases(q.columns);

  const baseJoins = new Set<string>();
  const where = planCondition(scope, q.where, baseJoins);
  const groupBy = q.groupBy.map((g) => {
    const p = resolveOrThrow(scope, g, 'group by');
    for (const j of p.joins) baseJoins.add(j);
    return p;
  });
  checkDuplicateRefs(q.groupBy, 'group by');
  checkDuplicateRefs(
    q.orderBy.map((o) => o.ref),
    'order by',
  );
  const grouped = groupBy.length > 0 || columns.some((c) => c.fn);
  const orderBy = q.orderBy.map((o): PlanOrder => {
    // "you can only use alias in the select columns and the order_by clause" (GRQ, Alias support).
    const byColumn = columns.find((c) => c.key === o.ref.text || (grouped && c.fn && c.text === o.ref.text));
    if (byColumn && (byColumn.key !== byColumn.text || byColumn.fn)) return { columnKey: byColumn.key, direction: o.direction };
    const path = resolveOrThrow(scope, o.ref, 'order by');
    for (const j of path.joins) baseJoins.add(j);
    return { path, direction: o.direction };
  });

  // UNVERIFIED: that joins in ORDER BY / GROUP BY count as base JOINs along with WHERE.
  if (baseJoins.size > COQL_LIMITS.baseJoins) throw limitExceeded('where', COQL_LIMITS.baseJoins, `a maximum of ${COQL_LIMITS.baseJoins} base joins can be applied in a query`);
  const selectJoins = new Set(columns.flatMap((c) => c.path.joins));
  if (selectJoins.size > COQL_LIMITS.selectJoins) throw limitExceeded('select', COQL_LIMITS.selectJoins, `a maximum of ${COQL_LIMITS.selectJoins} select column joins can be applied in a query`);

  if (grouped) checkGrouping(columns, q);
  return { module: q.module, columns, where, groupBy, orderBy, grouped, page };
}

/** The base module of a query and the definitions its names resolve against. */
interface Scope {
  module: string;
  modules: ModuleDef[];
}

function resolveOrThrow(scope: Scope, ref: FieldRef, clause: string): ResolvedPath {
  if (ref.path.length - 1 > COQL_LIMITS.pathDepth) {
    throw limitExceeded(clause, COQL_LIMITS.pathDepth, `a maximum of ${COQL_LIMITS.pathDepth} relations can be used in a lookup path`);
  }
  const resolved = resolvePath(scope.module, ref.path, scope.modules);
  if (!resolved) throw invalidColumn(ref.text, clause);
  return resolved;
}

/**
 * "you can use this aggregate function [COUNT] only for number, lookup, and picklist fields" (GRQ, COUNT).
 * SUM and AVG need numbers; MIN and MAX also take dates (UNVERIFIED). UNVERIFIED: the error Zoho
 * gives for a field an aggregate does not take; we reuse the INVALID_DATA shape of OAS
 * InvalidDataUnsupportedFunction.
 */
function aggregateAccepts(fn: string, type: CoqlType): boolean {
  if (fn === 'COUNT') return isNumeric(type) || isLookup(type) || type === 'picklist';
  if (fn === 'SUM' || fn === 'AVG') return isNumeric(type) && type !== 'id';
  return (isNumeric(type) && type !== 'id') || type === 'date' || type === 'datetime';
}

function planColumn(scope: Scope, c: Column): PlanColumn {
  const path = resolveOrThrow(scope, c.field, 'select');
  if (c.kind === 'aggregate') {
    if (!aggregateAccepts(c.fn, path.last.type)) {
      throw new CoqlError('INVALID_DATA', 'invalid data', { reason: 'unsupported field for the aggregate function', column: c.text });
    }
    return { key: c.alias ?? c.text, text: c.text, fn: c.fn, path };
  }
  return { key: c.alias ?? c.field.text, text: c.field.text, path };
}

/** OAS examples DuplicateData ("duplicate select column") and DuplicateDataAggregate ("duplicate aggregate function"). */
function checkDuplicates(columns: Column[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    const key = c.kind === 'aggregate' ? c.text : c.field.text;
    if (seen.has(key)) {
      if (c.kind === 'aggregate') throw new CoqlError('DUPLICATE_DATA', 'duplicate aggregate function', { column_name: c.field.text, aggregate: c.fn });
      throw new CoqlError('DUPLICATE_DATA', 'duplicate select column', { column_name: key });
    }
    seen.add(key);
  }
}

/**
 * "Duplicate fields in the ORDER BY, GROUP BY, and AGGREGATE clauses will result in a DUPLICATE_DATA
 * error" (v8 COQL-Limitations.html). UNVERIFIED: the message and details, modelled on DuplicateData.
 */
function checkDuplicateRefs(refs: FieldRef[], clause: string): void {
  const seen = new Set<string>();
  for (const r of refs) {
    if (seen.has(r.text)) throw new CoqlError('DUPLICATE_DATA', `duplicate ${clause} column`, { column_name: r.text, clause });
    seen.add(r.text);
  }
}

/** OAS examples InvalidAlias, DuplicateAlias and InvalidQueryInvalidAlias. */
function checkAliases(columns: Column[]): void {
  const textOf = (c: Column) => (c.kind === 'aggregate' ? c.text : c.field.text);
  const byAlias = new Map<string, string[]>();
  for (const c of columns) {
    if (c.alias === undefined) continue;
    if (c.alias.trim() === '') throw new CoqlError('INVALID_ALIAS', 'alias name cannot be an empty string', { column_name: textOf(c), alias: c.alias });
    byAlias.set(c.alias, [...(byAlias.get(c.alias) ?? []), textOf(c)]);
  }
  for (const [alias, referred] of byAlias) {
    if (referred.length > 1) throw new CoqlError('DUPLICATE_ALIAS', 'same alias cannot refer more than one column', { referred_columns: referred, alias });
  }
  for (const c of columns) {
    if (c.alias === undefined) continue;
    const clash = columns.find((o) => o !== c && o.alias === undefined && textOf(o) === c.alias);
    if (clash) {
      throw new CoqlError('INVALID_QUERY', 'column name or property name given in select columns without alias name cannot be an alias name for other select columns', {
        column_name: textOf(c),
        alias: c.alias,
      });
    }
  }
}

/**
 * In a grouped query every plain column must be grouped. UNVERIFIED: Zoho's error for a plain
 * column left out of GROUP BY (its samples always group every plain column); we answer INVALID_QUERY.
 */
function checkGrouping(columns: PlanColumn[], q: SelectQuery): void {
  const grouped = new Set(q.groupBy.map((g) => g.text));
  for (const c of columns) {
    if (!c.fn && !grouped.has(c.text)) throw new CoqlError('INVALID_QUERY', 'column not given in group by clause', { column_name: c.text, clause: 'group by' });
  }
}

function planCondition(scope: Scope, c: Condition, joins: Set<string>): PlanCondition {
  if (c.kind !== 'criterion') return { kind: c.kind, left: planCondition(scope, c.left, joins), right: planCondition(scope, c.right, joins) };
  const path = resolveOrThrow(scope, c.field, 'where');
  for (const j of path.joins) joins.add(j);
  const type = path.last.type;
  // "You cannot use multi-line fields such as Description … in criteria." (COQL-Limitations.html);
  // OAS example InvalidQueryUnsupportedCriteria gives the shape.
  // UNVERIFIED: subform fields are refused in criteria the same way (COQL reaches subform rows
  // only through the subform module, which we do not model).
  if (type === 'textarea' || type === 'subform') {
    throw new CoqlError('INVALID_QUERY', 'unsupported column in criteria', { cv_criteria: false, column_name: c.field.text, value: c.values[0]?.value ?? null, operator: c.op });
  }
  if (!operatorsFor(type).includes(c.op)) throw invalidOperator(c.field.text, c.op);
  const values = c.values.map((v) => literalValue(type, c.field.text, c.op, v));
  if (c.op === 'like' || c.op === 'not like') return { kind: 'criterion', path, op: c.op, values, pattern: likePattern(c.field.text, c.op, c.values[0]!) };
  return { kind: 'criterion', path, op: c.op, values };
}

const NULL_OPS: Operator[] = ['is null', 'is not null'];
const ORDERED: Operator[] = ['=', '!=', '>', '>=', '<', '<=', 'between', 'not between', 'in', 'not in', ...NULL_OPS];

/** Comparators per field type, from GRQ "Field Types and their Comparators". */
function operatorsFor(type: CoqlType): Operator[] {
  // "Date, DateTime, Number: =, !=, >=, >, <=, <, between, not between, in, not in, is null, is not null"
  if (isNumeric(type) || type === 'date' || type === 'datetime') return ORDERED;
  // "Lookup: =, !=, in, not in, is null, is not null"
  if (isLookup(type)) return ['=', '!=', 'in', 'not in', ...NULL_OPS];
  // "Boolean: =" (GRQ). UNVERIFIED: whether is null / != are refused for booleans.
  if (type === 'boolean') return ['='];
  // UNVERIFIED: multi-select picklists as picklists without like; a value matches when chosen.
  if (type === 'multiselectpicklist') return ['=', '!=', 'in', 'not in', ...NULL_OPS];
  // "Text, Picklist: =, !=, like, not like, in, not in, is null, is not null"
  return ['=', '!=', 'like', 'not like', 'in', 'not in', ...NULL_OPS];
}

/**
 * A value checked against the field's type. GRQ lists INVALID_QUERY for "the data type of the value …
 * is invalid" (a string for No_of_Employees). UNVERIFIED: the details; we give `{reason, column_name, value}`.
 */
function literalValue(type: CoqlType, column: string, op: Operator, v: Literal): Comparable {
  const bad = () => new CoqlError('INVALID_QUERY', 'Invalid query formed', { reason: 'invalid value for the data type of the column', column_name: column, value: v.value, operator: op });
  if (type === 'id') {
    if (!/^\d+$/.test(v.value)) throw bad();
    return BigInt(v.value);
  }
  if (isNumeric(type)) {
    if (v.kind === 'boolean' || !/^-?\d+(\.\d+)?$/.test(v.value)) throw bad();
    return Number(v.value);
  }
  // Dates as 'yyyy-MM-dd'; date-times in ISO 8601 with an offset, e.g. '2023-05-28T04:25:36-07:00'
  // ("Using the DateTime field, you can filter records based on any timezones", GRQ).
  if (type === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v.value) || Number.isNaN(Date.parse(v.value))) throw bad();
    return v.value;
  }
  if (type === 'datetime') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(v.value) || Number.isNaN(Date.parse(v.value))) throw bad();
    return Date.parse(v.value);
  }
  // GRQ's Boolean sample writes `Email_Opt_Out = 'true'`.
  if (type === 'boolean') {
    const lower = v.value.toLowerCase();
    if (lower !== 'true' && lower !== 'false') throw bad();
    return lower === 'true';
  }
  if (isLookup(type)) return v.value;
  // UNVERIFIED: text comparisons ignore case (as Zoho's search does); we compare lower-cased.
  return v.value.toLowerCase();
}

/**
 * "The % wildcard can be used with the like operator … '%tech' … ends with, 'C%' … starts with,
 * '%tech%' … contains. … for the Not Like operator, it only works if you give '%' at both ends"
 * (GRQ, Text/Picklist). UNVERIFIED: what Zoho answers for `not like 'x%'`; we refuse it as an
 * invalid operator. A pattern without % matches the whole value (UNVERIFIED).
 */
function likePattern(column: string, op: Operator, v: Literal): RegExp {
  const p = v.value;
  if (op === 'not like' && !(p.length >= 2 && p.startsWith('%') && p.endsWith('%'))) throw invalidOperator(column, op);
  const body = p
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}
