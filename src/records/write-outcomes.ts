import { GatewayError } from '../errors.js';
import type { ZohoResult } from '../zoho/client.js';
import { mapZohoError, type ZohoErrorBody } from '../zoho/errors.js';

/**
 * Zoho's per-record outcomes of a write call, turned into one result per input record.
 *
 * Zoho answers insert, update, upsert and delete with `{"data":[{code, details, message, status}]}`,
 * one entry per record in input order, and HTTP 201/200 when all succeed, 207 when some do, 400
 * when none do (https://www.zoho.com/crm/developer/docs/api/v8/insert-records.html,
 * .../update-records.html, .../upsert-records.html, .../delete-records.html,
 * .../status-codes.html). Upserts add `action` (insert|update) and `duplicate_field`.
 */

/** One input record's outcome, as the `RecordResult` GraphQL type shows it. */
export interface RecordResult {
  /** Position of the record (or id) in the mutation's input list. */
  index: number;
  /** The new, updated or deleted record's id (Zoho's `details.id`) when the write succeeded. */
  id: string | null;
  status: 'success' | 'error';
  /** Zoho's code (SUCCESS, MANDATORY_NOT_FOUND, INVALID_DATA, DUPLICATE_DATA, …) or NO_OUTCOME. */
  code: string;
  message: string;
  details: Record<string, unknown> | null;
  /** Upserts only: what Zoho did. */
  action: 'insert' | 'update' | null;
  /** Upserts only: the duplicate check field Zoho matched on (or would have). */
  duplicateField: string | null;
}

/**
 * The code of a record Zoho's answer said nothing about (its `data[]` shorter than the records
 * sent). It is not Zoho's: the gateway says so rather than drop the record silently.
 */
export const NO_OUTCOME = 'NO_OUTCOME';

interface ZohoOutcome {
  code?: unknown;
  details?: unknown;
  message?: unknown;
  status?: unknown;
  action?: unknown;
  duplicate_field?: unknown;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function toResult(index: number, raw: unknown): RecordResult {
  const o = (raw && typeof raw === 'object' ? raw : {}) as ZohoOutcome;
  const status = o.status === 'success' ? 'success' : 'error';
  const details = o.details && typeof o.details === 'object' && !Array.isArray(o.details) ? (o.details as Record<string, unknown>) : null;
  // On errors `details.id` may name another record (DUPLICATE_DATA names the existing duplicate),
  // so `id` is only set for a success.
  const detailId = details?.id;
  const id = status === 'success' && (typeof detailId === 'string' || typeof detailId === 'number') ? String(detailId) : null;
  const action = o.action === 'insert' || o.action === 'update' ? o.action : null;
  return { index, id, status, code: str(o.code) ?? (status === 'success' ? 'SUCCESS' : 'UNKNOWN'), message: str(o.message) ?? '', details, action, duplicateField: str(o.duplicate_field) };
}

function noOutcome(index: number): RecordResult {
  return {
    index,
    id: null,
    status: 'error',
    code: NO_OUTCOME,
    message: 'Zoho’s answer held no outcome for this record: it may or may not have been written; check before repeating it',
    details: null,
    action: null,
    duplicateField: null,
  };
}

/**
 * The results of one call that sent `size` records starting at input index `from`. Zoho's
 * outcomes are matched by position (Zoho keeps input order); records beyond a short `data[]` get
 * a NO_OUTCOME error each. A 400 whose `data[]` does not have one entry per record is Zoho
 * refusing the whole call (e.g. LIMIT_EXCEEDED, or a bad `trigger` or `duplicate_check_fields`,
 * which come back as a single entry): that throws, as any whole-call failure does.
 */
export function chunkResults(from: number, size: number, res: ZohoResult<unknown>, what: string): RecordResult[] {
  const data = (res.body as { data?: unknown } | null)?.data;
  const outcomes = Array.isArray(data) ? data : [];
  if (res.status === 400 && outcomes.length !== size) {
    throw mapZohoError(400, (outcomes[0] ?? res.body) as ZohoErrorBody | null, res.headers, what, { write: true });
  }
  const out: RecordResult[] = [];
  for (let i = 0; i < size; i++) out.push(i < outcomes.length ? toResult(from + i, outcomes[i]) : noOutcome(from + i));
  return out;
}

/**
 * A call failed as a whole (Zoho 5xx, rate limit after retries, unreachable, refused) after
 * `done` results: the error keeps its code and details, and adds `results` (the outcomes of every
 * record before `failedFromIndex`, all of them final), `failedFromIndex` (first record of the
 * failed call, whose `writeOutcome` says whether it may have been written) and `notSentFromIndex`
 * (first record never sent, or null when the failed call was the last).
 */
export function partialFailure(err: unknown, done: readonly RecordResult[], from: number, size: number, total: number): GatewayError {
  const base = err instanceof GatewayError ? err : new GatewayError('INTERNAL', 'the gateway failed while writing records');
  const to = from + size - 1;
  const notSentFromIndex = to + 1 < total ? to + 1 : null;
  const written = from === 0 ? 'no earlier records were sent' : `records 0–${from - 1} were written or refused as extensions.results says`;
  // No `cause`: a GraphQLError wrapping a plain Error is masked by Yoga, and these details matter.
  return new GatewayError(base.code, `${base.message} (records ${from}–${to}; ${written}${notSentFromIndex === null ? '' : `; records from ${notSentFromIndex} were not sent`})`, {
    ...base.details,
    results: done,
    failedFromIndex: from,
    notSentFromIndex,
  });
}
