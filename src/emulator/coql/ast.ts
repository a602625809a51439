/** The syntax tree of one COQL SELECT statement, as parsed (names not yet checked against metadata). */

export interface Position {
  line: number;
  column: number;
}

/** A field reference: `Last_Name`, `Account_Name.Parent_Account.Account_Name`, `'External'`. */
export interface FieldRef extends Position {
  /** The path split at dots. */
  path: string[];
  /** The path as one string (`Account_Name.Account_Name`), the key Zoho answers with. */
  text: string;
}

export type AggregateFn = 'SUM' | 'MAX' | 'MIN' | 'AVG' | 'COUNT';

export type Column = { kind: 'field'; field: FieldRef; alias?: string } | { kind: 'aggregate'; fn: AggregateFn; field: FieldRef; alias?: string /** `SUM(Annual_Revenue)` */; text: string };

/** A literal on the right of an operator. `word` is an unquoted value such as `Advertisement`. */
export interface Literal extends Position {
  kind: 'string' | 'number' | 'boolean' | 'word';
  value: string;
  text: string;
}

export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'like' | 'not like' | 'in' | 'not in' | 'between' | 'not between' | 'is null' | 'is not null';

export type Condition = { kind: 'and' | 'or'; left: Condition; right: Condition } | { kind: 'criterion'; field: FieldRef; op: Operator; values: Literal[] };

export interface OrderItem {
  /** A field path or a select-column alias. */
  ref: FieldRef;
  direction: 'asc' | 'desc';
}

export interface SelectQuery {
  columns: Column[];
  module: string;
  /** Where the module name was written (for errors). */
  modulePos: Position;
  where: Condition;
  groupBy: FieldRef[];
  orderBy: OrderItem[];
  /** The LIMIT value token as written, checked later (Zoho reports bad limits as INVALID_QUERY, not as syntax errors). */
  limit?: { text: string; kind: 'number' | 'other' };
  offset?: { text: string; kind: 'number' | 'other' };
  /** Set when FROM named a custom view id (v7+); `module` then holds the id until resolved. */
  customView?: string;
}
