import { GatewayError } from '../errors.js';
import { decodeCursor, encodeCursor, fieldsKey, type ListCursor } from './cursor.js';
import { fieldGroups, mergeGroups, type ZRecord } from './fields.js';
import type { ZohoFetch } from '../zoho/client.js';
import { isZohoId } from '../zoho/identifiers.js';
import type { RecordPageView } from './view.js';

/** Zoho's caps for list calls (https://www.zoho.com/crm/developer/docs/api/v8/get-records.html). */
export const MAX_PER_PAGE = 200;
export const DISCRETE_PAGING_LIMIT = 2_000;
export const TOKEN_PAGING_LIMIT = 100_000;
export const SORTABLE = ['id', 'Created_Time', 'Modified_Time'] as const;

export interface ListInput {
  module: string;
  /** Every field the caller reads (validated). */
  fields: Iterable<string>;
  first: number;
  after?: string | null;
  sortBy?: string | null;
  sortOrder?: 'asc' | 'desc' | null;
  cvid?: string | null;
}

interface ZohoListBody {
  data?: ZRecord[];
  info?: { more_records?: boolean; next_page_token?: string | null; count?: number };
}

/**
 * One page of records: one Zoho call per field group (one call unless more than 50 fields), in
 * page mode while the page lies within the first 2,000 records, in page-token mode beyond.
 */
export async function listRecords(fetch: ZohoFetch, input: ListInput): Promise<RecordPageView> {
  const { module, first } = input;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PER_PAGE) throw new GatewayError('BAD_USER_INPUT', `first must be 1–${MAX_PER_PAGE}`, { argument: 'first' });
  if (input.sortBy && !(SORTABLE as readonly string[]).includes(input.sortBy)) {
    throw new GatewayError('BAD_USER_INPUT', `sortBy must be one of ${SORTABLE.join(', ')} (Zoho sorts lists by these only)`, { argument: 'sortBy' });
  }
  if (input.cvid && !isZohoId(input.cvid)) throw new GatewayError('BAD_USER_INPUT', 'cvid must be a custom view id (digits)', { argument: 'cvid' });
  // Zoho refuses `cvid` beside `sort_by` ("you cannot use this param with the sort_by param",
  // get-records.html, cvid; UNVERIFIED for v8, whose page we could not read on it): a view lists in
  // its own order, which sortOrder may turn around. Refused here, before any call.
  if (input.cvid && input.sortBy) {
    throw new GatewayError('BAD_USER_INPUT', 'sortBy cannot be combined with cvid: a custom view lists in its own order (Zoho refuses the pair); give sortOrder alone to reverse it', {
      argument: 'sortBy',
      reason: 'cvid_with_sort_by',
    });
  }
  const groups = fieldGroups(input.fields);
  const key = fieldsKey(groups);
  const cursor = input.after ? decodeCursor(input.after, module) : undefined;
  if (cursor && (cursor.s !== (input.sortBy ?? null) || cursor.o !== (input.sortOrder ?? null) || cursor.c !== (input.cvid ?? null))) {
    throw new GatewayError('BAD_USER_INPUT', 'sortBy, sortOrder and cvid must stay the same while paging with after', { argument: 'after' });
  }
  const offset = cursor?.off ?? 0;
  if (offset >= TOKEN_PAGING_LIMIT) throw new GatewayError('BAD_USER_INPUT', `Zoho lists at most ${TOKEN_PAGING_LIMIT} records; narrow the query (searchRecords or coql)`, { argument: 'after' });

  const base: Record<string, string | number | undefined> = {
    per_page: first,
    sort_by: input.sortBy ?? undefined,
    sort_order: input.sortOrder ?? undefined,
    cvid: input.cvid ?? undefined,
  };
  const tokensUsable = cursor !== undefined && cursor.n === first && cursor.f === key && cursor.t.length === groups.length && cursor.t.every(Boolean);
  const pageUsable = offset % first === 0 && offset + first <= DISCRETE_PAGING_LIMIT;
  let mode: { page: number } | { tokens: string[] };
  if (!cursor) mode = { page: 1 };
  else if (pageUsable) mode = { page: offset / first + 1 };
  else if (tokensUsable) mode = { tokens: cursor.t as string[] };
  else {
    throw new GatewayError(
      'BAD_USER_INPUT',
      `beyond the first ${DISCRETE_PAGING_LIMIT} records Zoho pages with tokens bound to the previous call: keep first (${cursor.n}) and the selected fields the same while paging`,
      { argument: 'after' },
    );
  }

  const answers = await Promise.all(
    groups.map((g, i) =>
      fetch<ZohoListBody>({
        method: 'GET',
        path: `/${module}`,
        query: { ...base, fields: g.join(','), ...('page' in mode ? { page: mode.page } : { page_token: mode.tokens[i] }) },
      }),
    ),
  );
  // Zoho answers 204 with no body when there is nothing (more) to list: an empty page.
  const data = mergeGroups(answers.map((a) => a.body?.data ?? []));
  const info = answers[0]?.body?.info;
  const hasNextPage = Boolean(info?.more_records) && data.length > 0 && offset + data.length < TOKEN_PAGING_LIMIT;
  const next: ListCursor = {
    v: 1,
    m: module,
    s: input.sortBy ?? null,
    o: input.sortOrder ?? null,
    c: input.cvid ?? null,
    off: offset + data.length,
    n: first,
    f: key,
    t: answers.map((a) => a.body?.info?.next_page_token ?? null),
  };
  return { nodes: data.map((d) => ({ module, data: d })), hasNextPage, endCursor: data.length ? encodeCursor(next) : (input.after ?? null) };
}
