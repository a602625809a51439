import type { EmulatorContext } from '../emulator.js';
import type { ZRecord } from '../seed.js';
import type { Comparable, Plan, PlanColumn, PlanCondition, PlanOrder } from './plan.js';
import { isLookup, isNumeric, outputValue, rawValue, type CoqlType, type ResolvedPath } from './schema.js';

/** The rows of one page and whether more match beyond it. */
export interface CoqlResult {
  data: Record<string, unknown>[];
  moreRecords: boolean;
}

/**
 * Runs a plan over the emulator's records.
 * "By default, the system sorts the records in ascending order based on the record ID, if you do not
 * include order by in the query." (https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html)
 */
export function evaluate(ctx: EmulatorContext, plan: Plan, within?: (r: ZRecord) => boolean): CoqlResult {
  const records = [...ctx.records(plan.module).values()].filter((r) => !within || within(r)).sort((a, b) => compareIds(a.id, b.id));
  const matching = records.filter((r) => matches(ctx, r, plan.where));
  const rows = plan.grouped ? groupRows(ctx, plan, matching) : plainRows(ctx, plan, matching);
  const { offset, limit } = plan.page;
  return { data: rows.slice(offset, offset + limit), moreRecords: rows.length > offset + limit };
}

function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A stored value in the form literals were normalised to in validate.ts. */
function comparable(type: CoqlType, raw: unknown): Comparable | null {
  if (raw === null || raw === undefined || raw === '') return null;
  if (isLookup(type)) return typeof raw === 'object' ? String((raw as { id?: unknown }).id) : String(raw);
  if (type === 'id') return BigInt(String(raw));
  if (isNumeric(type)) return Number(raw);
  if (type === 'datetime') return Date.parse(String(raw));
  if (type === 'boolean') return Boolean(raw);
  if (type === 'date') return String(raw);
  return String(raw).toLowerCase();
}

function matches(ctx: EmulatorContext, record: ZRecord, c: PlanCondition): boolean {
  if (c.kind !== 'criterion') {
    return c.kind === 'and' ? matches(ctx, record, c.left) && matches(ctx, record, c.right) : matches(ctx, record, c.left) || matches(ctx, record, c.right);
  }
  const raw = rawValue(ctx, record, c.path);
  if (c.path.last.type === 'multiselectpicklist') return matchesMulti(raw, c);
  const value = comparable(c.path.last.type, raw);
  if (c.op === 'is null') return value === null;
  if (c.op === 'is not null') return value !== null;
  // UNVERIFIED: Zoho, like SQL, leaves empty values out of !=, not in, not like and not between.
  if (value === null) return false;
  const [a, b] = c.values;
  switch (c.op) {
    case '=':
      return value === a;
    case '!=':
      return value !== a;
    case '>':
      return value > a!;
    case '>=':
      return value >= a!;
    case '<':
      return value < a!;
    case '<=':
      return value <= a!;
    case 'in':
      return c.values.includes(value);
    case 'not in':
      return !c.values.includes(value);
    case 'between':
      return value >= a! && value <= b!;
    case 'not between':
      return value < a! || value > b!;
    case 'like':
      return c.pattern!.test(String(raw));
    case 'not like':
      return !c.pattern!.test(String(raw));
  }
}

/** A multi-select matches `=`/`in` when one chosen value does; empty means null. */
function matchesMulti(raw: unknown, c: Extract<PlanCondition, { kind: 'criterion' }>): boolean {
  const chosen = (Array.isArray(raw) ? raw : []).map((v) => String(v).toLowerCase());
  if (c.op === 'is null') return chosen.length === 0;
  if (c.op === 'is not null') return chosen.length > 0;
  if (chosen.length === 0) return false;
  const any = c.values.some((v) => chosen.includes(String(v)));
  return c.op === '=' || c.op === 'in' ? any : !any;
}

/**
 * Sort order for ORDER BY. UNVERIFIED: where Zoho puts empty values (we put them first in ascending
 * order, as MySQL does) and that lookups sort by their display name.
 */
function sortKey(type: CoqlType, raw: unknown): Comparable | null {
  if (isLookup(type) && raw && typeof raw === 'object') {
    const name = (raw as { name?: unknown }).name;
    return name === null || name === undefined ? null : String(name).toLowerCase();
  }
  return comparable(type, raw);
}

function compareKeys(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as Comparable) < (b as Comparable) ? -1 : 1;
}

function project(ctx: EmulatorContext, columns: PlanColumn[], record: ZRecord): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const c of columns) row[c.key] = outputValue(ctx, record, c.path);
  // Every sample response carries the record's `id` even when it was not selected
  // (https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html).
  if (!('id' in row)) row.id = record.id;
  return row;
}

function plainRows(ctx: EmulatorContext, plan: Plan, records: ZRecord[]): Record<string, unknown>[] {
  const byKey = new Map(plan.columns.map((c) => [c.key, c.path]));
  const keyPath = (o: PlanOrder): ResolvedPath => o.path ?? byKey.get(o.columnKey!)!;
  const sorted =
    plan.orderBy.length === 0
      ? records
      : [...records].sort((x, y) => {
          for (const o of plan.orderBy) {
            const p = keyPath(o);
            const cmp = compareKeys(sortKey(p.last.type, rawValue(ctx, x, p)), sortKey(p.last.type, rawValue(ctx, y, p)));
            if (cmp !== 0) return o.direction === 'asc' ? cmp : -cmp;
          }
          return compareIds(x.id, y.id);
        });
  return sorted.map((r) => project(ctx, plan.columns, r));
}

/**
 * Aggregates (SUM, MAX, MIN, AVG, COUNT) with GROUP BY, as in the samples of
 * https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html ("Aggregate Function"):
 * each row holds the grouped columns and `FN(field)` keys, and no `id`. Groups keep the order of their
 * first record (by id) unless ORDER BY says otherwise (UNVERIFIED: Zoho's own group order is unspecified).
 * COUNT counts non-empty values, as the sample's null Lead_Source group shows.
 */
function groupRows(ctx: EmulatorContext, plan: Plan, records: ZRecord[]): Record<string, unknown>[] {
  const groups = new Map<string, ZRecord[]>();
  for (const r of records) {
    const key = JSON.stringify(plan.groupBy.map((p) => String(comparable(p.last.type, rawValue(ctx, r, p)))));
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const out = [...groups.values()].map((members) => {
    const row: Record<string, unknown> = {};
    for (const c of plan.columns) row[c.key] = c.fn ? aggregate(ctx, c, members) : outputValue(ctx, members[0]!, c.path);
    return { row, first: members[0]! };
  });
  if (plan.orderBy.length > 0) {
    out.sort((x, y) => {
      for (const o of plan.orderBy) {
        const cmp = o.columnKey
          ? compareKeys(x.row[o.columnKey], y.row[o.columnKey])
          : compareKeys(sortKey(o.path!.last.type, rawValue(ctx, x.first, o.path!)), sortKey(o.path!.last.type, rawValue(ctx, y.first, o.path!)));
        if (cmp !== 0) return o.direction === 'asc' ? cmp : -cmp;
      }
      return 0;
    });
  }
  return out.map((g) => g.row);
}

function aggregate(ctx: EmulatorContext, c: PlanColumn, members: ZRecord[]): unknown {
  const raws = members.map((m) => rawValue(ctx, m, c.path)).filter((v) => v !== null && v !== undefined && v !== '');
  if (c.fn === 'COUNT') return raws.length;
  if (raws.length === 0) return null;
  if (c.path.last.type === 'date' || c.path.last.type === 'datetime') {
    const sorted = [...raws].sort((a, b) => compareKeys(comparable(c.path.last.type, a), comparable(c.path.last.type, b)));
    return c.fn === 'MIN' ? sorted[0] : sorted[sorted.length - 1];
  }
  const nums = raws.map(Number);
  const sum = nums.reduce((s, n) => s + n, 0);
  switch (c.fn) {
    case 'SUM':
      return sum;
    case 'AVG':
      return sum / nums.length;
    case 'MIN':
      return Math.min(...nums);
    default:
      return Math.max(...nums);
  }
}
