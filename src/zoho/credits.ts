/**
 * What one CRM API call costs in Zoho API credits: the per-org budget Zoho meters over a rolling
 * 24 hours (Free 5,000; paid editions 50,000 + a per-licence allowance, capped by edition).
 *
 * Source: https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html — "Each API call made will
 * result in a reduction of 1 credit. However, for some APIs, credit reduction would be different.
 * For example, for a 'Convert Lead API', 5 credits will be reduced" (same wording on the v2 and v4
 * pages: https://www.zoho.com/crm/developer/docs/api/v4/api-limits.html).
 *
 * The rest of the v8 table could not be read in full from here. Rows below marked UNVERIFIED come
 * from a third-party summary of the v8 page
 * (https://raw.githubusercontent.com/api-evangelist/zoho-crm/refs/heads/main/rate-limits/zoho-crm-rate-limits.yml)
 * or from memory of Zoho's page; check them against the page before billing anyone on them.
 * Calls under `/bulk/v8` (bulk read 50, bulk write 500 per job) never pass through `/crm/v8`.
 */

/** The parts of a call its cost depends on (a ZohoCall fits). */
export interface CreditedCall {
  method: string;
  /** Path under `/crm/v8`, e.g. `/Leads`, `/coql`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

/** Credits per call when no row below applies. */
export const DEFAULT_CREDITS = 1;
/** Convert Lead (`POST /Leads/{id}/actions/convert`): 5 credits (api-limits.html, all versions). */
export const CONVERT_LEAD_CREDITS = 5;
/**
 * Insert, update and upsert cost 1 credit per 10 records (at least 1; Zoho takes at most 100 per
 * call, so at most 10). UNVERIFIED: third-party summary of the v8 page.
 */
export const RECORDS_PER_WRITE_CREDIT = 10;
/** Creating a custom module: 500 credits. UNVERIFIED: third-party summary of the v8 page. */
export const CREATE_MODULE_CREDITS = 500;
/**
 * COQL by the query's LIMIT (default 200): up to 200 rows 1 credit, 201–1,000 2 credits,
 * 1,001–2,000 3 credits. UNVERIFIED: from memory of the v8 table, not re-read.
 */
export const COQL_CREDIT_STEPS: ReadonlyArray<{ maxLimit: number; credits: number }> = [
  { maxLimit: 200, credits: 1 },
  { maxLimit: 1000, credits: 2 },
  { maxLimit: Infinity, credits: 3 },
];
/** COQL's LIMIT when a query names none (https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html). */
const COQL_DEFAULT_LIMIT = 200;

/** First path segments that are not modules (so `POST /{root}` is not a record insert). */
const NOT_MODULES = new Set(['coql', 'org', 'users', 'settings', 'actions', 'functions', 'bulk', 'composite', '__notification']);

/**
 * Credits Zoho deducts for `call`. With `response`, the answer is taken into account: a 429 is
 * counted as free, since Zoho refused it at the gate (UNVERIFIED: Zoho does not say whether
 * refused calls are charged; other error answers are charged like successes, also UNVERIFIED).
 */
export function creditsFor(call: CreditedCall, response?: { status: number }): number {
  if (response?.status === 429) return 0;
  const method = call.method.toUpperCase();
  const segments = call.path.split('/').filter(Boolean);
  const [root, second, third, fourth] = segments;

  if (method === 'POST' && root === 'coql' && segments.length === 1) return coqlCredits(call.body);
  if (method === 'POST' && root === 'Leads' && third === 'actions' && fourth === 'convert' && second) return CONVERT_LEAD_CREDITS;
  if (method === 'POST' && root === 'settings' && second === 'modules' && segments.length === 2) return CREATE_MODULE_CREDITS;
  if (root && !NOT_MODULES.has(root) && isRecordWrite(method, segments)) return Math.max(1, Math.ceil(recordCount(call.body) / RECORDS_PER_WRITE_CREDIT));
  return DEFAULT_CREDITS;
}

/** `POST /{module}`, `PUT /{module}`, `PUT /{module}/{id}`, `POST /{module}/upsert`. */
function isRecordWrite(method: string, segments: string[]): boolean {
  if (segments.length === 1) return method === 'POST' || method === 'PUT';
  if (segments.length === 2) return (method === 'POST' && segments[1] === 'upsert') || method === 'PUT';
  return false;
}

function recordCount(body: unknown): number {
  const data = (body as { data?: unknown } | null | undefined)?.data;
  return Array.isArray(data) ? data.length : 1;
}

function coqlCredits(body: unknown): number {
  const query = (body as { select_query?: unknown } | null | undefined)?.select_query;
  const limit = typeof query === 'string' ? coqlLimit(query) : COQL_DEFAULT_LIMIT;
  return COQL_CREDIT_STEPS.find((s) => limit <= s.maxLimit)!.credits;
}

/** The row count a COQL query asks for: `limit n`, `limit offset, n` or `limit n offset m`. */
export function coqlLimit(query: string): number {
  // The last match: LIMIT closes a query, and an earlier "limit 5" may sit inside a string literal.
  const matches = [...query.matchAll(/\blimit\s+(\d+)(?:\s*,\s*(\d+))?/gi)];
  const m = matches.at(-1);
  if (!m) return COQL_DEFAULT_LIMIT;
  return Number(m[2] ?? m[1]);
}
