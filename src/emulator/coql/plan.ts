import type { AggregateFn, Operator } from './ast.js';
import type { Page } from './limits.js';
import type { ResolvedPath } from './schema.js';

/** A query checked against the metadata, ready to run. */

export interface PlanColumn {
  /** The key in each response row: the alias, else the path or `FN(path)` as written. */
  key: string;
  /** The column as written, without alias (for duplicate checks and errors). */
  text: string;
  fn?: AggregateFn;
  path: ResolvedPath;
}

/** A value normalised for comparison (see evaluate.ts `comparable`). */
export type Comparable = string | number | bigint | boolean;

export type PlanCondition = { kind: 'and' | 'or'; left: PlanCondition; right: PlanCondition } | { kind: 'criterion'; path: ResolvedPath; op: Operator; values: Comparable[]; pattern?: RegExp };

export interface PlanOrder {
  /** Sort by this output column (an alias, or an aggregate in a grouped query)… */
  columnKey?: string;
  /** …or by this field path. */
  path?: ResolvedPath;
  direction: 'asc' | 'desc';
}

export interface Plan {
  module: string;
  columns: PlanColumn[];
  where: PlanCondition;
  groupBy: ResolvedPath[];
  orderBy: PlanOrder[];
  /** True when the query has aggregates or GROUP BY: rows are groups, not records. */
  grouped: boolean;
  page: Page;
}
