import { buildCriteria, type CriteriaField, type CriteriaNode } from '../records/criteria.js';

/**
 * The gateway's filter (`CriteriaInput`, shared with searchRecords) as the Bulk Read API's JSON
 * criteria (crm-oas v8.0 bulk_read.json `Criteria`: `{field: {api_name}, comparator, value}` or
 * `{group_operator: and|or, group: [...]}`; comparators `equal, not_equal, in, not_in, less_than,
 * less_equal, greater_than, greater_equal, between, not_between, contains, not_contains,
 * starts_with, ends_with`). The filter is first checked exactly as for search (field names against
 * the module, operators by data type, value formats, at most 10 conditions), so the same `where`
 * is refused or accepted alike. One difference a caller sees: Search's `equals` on text matches
 * values that contain the value; the bulk `equal` is exact. `since` becomes
 * `Modified_Time greater_equal <since>`.
 */

type BulkCriteria = { group_operator: 'and' | 'or'; group: BulkCriteria[] } | { field: { api_name: string }; comparator: string; value: string | string[] };

/** Zoho's date-time form for criteria values: ISO 8601 with an offset, seconds precision. */
export function zohoDateTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, '+00:00');
}

export function bulkCriteria(where: CriteriaNode | null | undefined, since: number | null | undefined, fieldOf: (apiName: string) => CriteriaField | undefined): BulkCriteria | undefined {
  const parts: BulkCriteria[] = [];
  if (where) {
    buildCriteria(where, fieldOf);
    parts.push(convert(where));
  }
  if (since !== null && since !== undefined) parts.push({ field: { api_name: 'Modified_Time' }, comparator: 'greater_equal', value: zohoDateTime(since) });
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : { group_operator: 'and', group: parts };
}

function convert(node: CriteriaNode): BulkCriteria {
  if (node.and) return { group_operator: 'and', group: node.and.map(convert) };
  if (node.or) return { group_operator: 'or', group: node.or.map(convert) };
  const op = node.operator!;
  const multi = op === 'in' || op === 'between';
  return { field: { api_name: node.field! }, comparator: op === 'equals' ? 'equal' : op, value: multi ? node.values!.map(String) : String(node.value) };
}
