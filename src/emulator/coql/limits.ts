import type { Condition, SelectQuery } from './ast.js';
import { CoqlError, limitExceeded } from './errors.js';

/**
 * Zoho's documented COQL limits for API v8, each checked before any name is looked up
 * (UNVERIFIED: the order in which Zoho checks them).
 */
export const COQL_LIMITS = {
  /**
   * "You can now retrieve up to 500 fields in a single query. Previously, the limit was 50."
   * (Kaizen #183 — COQL enhancements in API version 7,
   * https://help.zoho.com/portal/en/community/topic/kaizen-183-coql-apis-enhancements-in-zoho-crm-api-version-7).
   * Note: ../shared/zoho-api.md and the pre-v7 pages say 50; v8 inherits v7's limit.
   */
  selectColumns: 500,
  /** "You can include a maximum of 25 criteria in the WHERE clause." (https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html) */
  criteria: 25,
  /** "in (up to 100 values) / not in (up to 100 values)" (v7/v8 COQL-Limitations.html; Kaizen #183 doubled it from 50). */
  inValues: 100,
  /** "Each API call can retrieve a maximum of 2,000 records." (v8 COQL-Limitations.html) */
  maxLimit: 2000,
  /** "The default value for LIMIT is 200 and OFFSET is 0." (COQL-Overview.html) */
  defaultLimit: 200,
  /**
   * "You can fetch up to 1,00,000 records using pagination with LIMIT and OFFSET." (v8 COQL-Limitations.html)
   * UNVERIFIED: that the ceiling applies to offset + limit (we refuse any page reaching past record 100,000).
   */
  maxRecords: 100_000,
  /** "A maximum of 10 fields can be given in the ORDER BY clause." (v8 COQL-Limitations.html) */
  orderBy: 10,
  /** "A maximum of four fields can be given in the GROUP BY clause." (v8 COQL-Limitations.html) */
  groupBy: 4,
  /** "A maximum of five aggregate fields can be given in a query." (v8 COQL-Limitations.html) */
  aggregates: 5,
  /** "A maximum of five base JOINs can be applied in a single query." (v8 COQL-Limitations.html) */
  baseJoins: 5,
  /** "A maximum of 15 SELECT clause JOINs can be applied in a single query." (v8 COQL-Limitations.html) */
  selectJoins: 15,
  /**
   * "You can use a maximum of two relations(joins) in a select query … If you use more than two
   * relations in a select query, system validates only the last two relations." (v8 COQL-Limitations.html,
   * text carried over from older versions). We read it as: one dotted path crosses at most two lookups,
   * as in `Account_Name.Parent_Account.Account_Name` (COQL-Joins.html). UNVERIFIED: that a deeper path
   * is refused with LIMIT_EXCEEDED rather than silently cut.
   */
  pathDepth: 2,
} as const;

export function countCriteria(c: Condition): number {
  return c.kind === 'criterion' ? 1 : countCriteria(c.left) + countCriteria(c.right);
}

function eachCriterion(c: Condition, fn: (c: Extract<Condition, { kind: 'criterion' }>) => void): void {
  if (c.kind === 'criterion') fn(c);
  else {
    eachCriterion(c.left, fn);
    eachCriterion(c.right, fn);
  }
}

export interface Page {
  limit: number;
  offset: number;
}

/** Checks the count limits and the LIMIT/OFFSET values; returns the page to serve. */
export function checkLimits(q: SelectQuery): Page {
  if (q.columns.length > COQL_LIMITS.selectColumns) {
    throw limitExceeded('select', COQL_LIMITS.selectColumns, `a maximum of ${COQL_LIMITS.selectColumns} columns can be given in the select clause`);
  }
  if (q.columns.filter((c) => c.kind === 'aggregate').length > COQL_LIMITS.aggregates) {
    throw limitExceeded('select', COQL_LIMITS.aggregates, `a maximum of ${COQL_LIMITS.aggregates} aggregate fields can be given in a query`);
  }
  if (countCriteria(q.where) > COQL_LIMITS.criteria) {
    throw limitExceeded('where', COQL_LIMITS.criteria, `a maximum of ${COQL_LIMITS.criteria} criteria can be given in the where clause`);
  }
  eachCriterion(q.where, (c) => {
    if ((c.op === 'in' || c.op === 'not in') && c.values.length > COQL_LIMITS.inValues) {
      throw limitExceeded('where', COQL_LIMITS.inValues, `a maximum of ${COQL_LIMITS.inValues} values can be given for the ${c.op} operator`);
    }
  });
  if (q.orderBy.length > COQL_LIMITS.orderBy) throw limitExceeded('order by', COQL_LIMITS.orderBy, `a maximum of ${COQL_LIMITS.orderBy} fields can be given in the order by clause`);
  if (q.groupBy.length > COQL_LIMITS.groupBy) throw limitExceeded('group by', COQL_LIMITS.groupBy, `a maximum of ${COQL_LIMITS.groupBy} fields can be given in the group by clause`);

  let limit: number = COQL_LIMITS.defaultLimit;
  if (q.limit) {
    // OAS example InvalidQueryInvalidLimit: `{"limit":"s"}` "limit given seems to be invalid".
    if (q.limit.kind !== 'number' || !/^-?\d+$/.test(q.limit.text)) throw new CoqlError('INVALID_QUERY', 'limit given seems to be invalid', { limit: q.limit.text });
    limit = Number(q.limit.text);
    // OAS example InvalidDataLimitZero: INVALID_DATA `{}` "limit should be greater than 0".
    if (limit <= 0) throw new CoqlError('INVALID_DATA', 'limit should be greater than 0', {});
    if (limit > COQL_LIMITS.maxLimit) throw limitExceeded('limit', COQL_LIMITS.maxLimit, `a maximum of ${COQL_LIMITS.maxLimit} records can be fetched in one call`);
  }
  let offset = 0;
  if (q.offset) {
    // The OAS schema lists `offset` ("the invalid offset value used in the query") among INVALID_QUERY
    // details. UNVERIFIED: the message, modelled on the limit one.
    if (q.offset.kind !== 'number' || !/^\d+$/.test(q.offset.text)) throw new CoqlError('INVALID_QUERY', 'offset given seems to be invalid', { offset: q.offset.text });
    offset = Number(q.offset.text);
  }
  if (offset + limit > COQL_LIMITS.maxRecords) {
    throw limitExceeded('offset', COQL_LIMITS.maxRecords, `a maximum of ${COQL_LIMITS.maxRecords} records can be fetched through limit and offset`);
  }
  return { limit, offset };
}
