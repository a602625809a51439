import type { Logger } from '../log.js';
import type { ZohoCall } from '../zoho/client.js';
import type { ZohoFetch } from '../zoho/client.js';
import type { Metadata } from './validate.js';
import { chunkResults, partialFailure, type RecordResult } from './write-outcomes.js';
import { asRecordObjects, assertWithinBound, checkDuplicateFields, checkIds, checkRecordKeys, type WriteMode } from './write-validate.js';

/**
 * Record writes: insert, update, upsert and delete of any number of records up to
 * MAX_RECORDS_PER_MUTATION, in calls of at most 100 (Zoho's cap per call), one result per input
 * record in input order.
 *
 * Calls go one after another, never in parallel, so Zoho sees the records in input order (an
 * upsert of two records with the same email inserts the first and updates with the second, as in
 * one call) and a failure stops the rest. Endpoints:
 * POST /{module} https://www.zoho.com/crm/developer/docs/api/v8/insert-records.html,
 * PUT /{module} https://www.zoho.com/crm/developer/docs/api/v8/update-records.html,
 * POST /{module}/upsert https://www.zoho.com/crm/developer/docs/api/v8/upsert-records.html,
 * DELETE /{module}?ids= https://www.zoho.com/crm/developer/docs/api/v8/delete-records.html.
 */

/**
 * The default of MAX_RECORDS_PER_MUTATION: the most records (or ids) one mutation accepts. 1,000
 * means at most 10 sequential Zoho calls and, for inserts, updates and upserts, about 10 API
 * credits (1 per 10 records, ../zoho/credits.ts). A larger input is refused with BAD_USER_INPUT
 * before any call. Bulk loads belong in Zoho's Bulk Write API.
 */
export const DEFAULT_MAX_RECORDS_PER_MUTATION = 1_000;

/** Zoho's cap per write call ("LIMIT_EXCEEDED" beyond). */
export const MAX_RECORDS_PER_CALL = 100;

/**
 * Zoho's `trigger` values for writes. Absent, Zoho runs the workflow rules, approvals and
 * blueprints whose criteria the records match; `[]` runs none; a list runs only those named
 * (Zoho's Kaizen #33, https://help.zoho.com/portal/en/community/topic/kaizen-33-triggering-workflow-rules-approvals-and-blueprints-via-zoho-crm-api).
 */
export type WriteTrigger = 'workflow' | 'approval' | 'blueprint';

export interface WriteDeps {
  zoho: ZohoFetch;
  metadata: Metadata;
  log: Logger;
  /** The configured MAX_RECORDS_PER_MUTATION. */
  maxRecords: number;
}

export interface WriteInput {
  module: string;
  records: readonly unknown[];
  /** null/undefined: no `trigger` key (Zoho's default); `[]`: none. */
  trigger?: readonly WriteTrigger[] | null;
}

export interface UpsertInput extends WriteInput {
  /** null/undefined: Zoho's system duplicate check fields, then the module's unique fields. */
  duplicateCheckFields?: readonly string[] | null;
}

export function createRecords(deps: WriteDeps, input: WriteInput): Promise<RecordResult[]> {
  return writeRecords(deps, input, 'create', {}, (module) => ({ method: 'POST', path: `/${module}` }));
}

export function updateRecords(deps: WriteDeps, input: WriteInput): Promise<RecordResult[]> {
  return writeRecords(deps, input, 'update', {}, (module) => ({ method: 'PUT', path: `/${module}` }));
}

export async function upsertRecords(deps: WriteDeps, input: UpsertInput): Promise<RecordResult[]> {
  const dup = input.duplicateCheckFields;
  return writeRecords(
    deps,
    input,
    'upsert',
    dup ? { duplicate_check_fields: [...dup] } : {},
    (module) => ({ method: 'POST', path: `/${module}/upsert` }),
    async () => {
      if (dup) await checkDuplicateFields(deps.metadata, input.module, dup);
    },
  );
}

/** Deletes by id; an unknown id comes back as that index's INVALID_DATA, the others are deleted. */
export async function deleteRecords(deps: WriteDeps, input: { module: string; ids: readonly unknown[] }): Promise<RecordResult[]> {
  assertWithinBound(input.ids.length, deps.maxRecords, 'ids');
  const ids = checkIds(input.ids);
  if (ids.length === 0) return [];
  await deps.metadata.module(input.module);
  return inChunks(deps, ids, (chunk) => ({ method: 'DELETE', path: `/${input.module}`, query: { ids: chunk.join(',') } }));
}

async function writeRecords(
  deps: WriteDeps,
  input: WriteInput,
  mode: WriteMode,
  extra: Record<string, unknown>,
  endpoint: (module: string) => Pick<ZohoCall, 'method' | 'path'>,
  moreChecks?: () => Promise<void>,
): Promise<RecordResult[]> {
  assertWithinBound(input.records.length, deps.maxRecords, 'records');
  const records = asRecordObjects(input.records);
  if (records.length === 0) return [];
  await checkRecordKeys(deps.metadata, input.module, records, mode);
  await moreChecks?.();
  const trigger = input.trigger ? { trigger: [...new Set(input.trigger)] } : {};
  return inChunks(deps, records, (chunk) => ({ ...endpoint(input.module), body: { data: chunk, ...extra, ...trigger } }));
}

/**
 * Sends `items` in calls of MAX_RECORDS_PER_CALL, one after another. A call that fails as a whole
 * throws partialFailure: the results so far plus where it stopped.
 */
async function inChunks<T>(deps: WriteDeps, items: readonly T[], toCall: (chunk: T[]) => ZohoCall): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  for (let from = 0; from < items.length; from += MAX_RECORDS_PER_CALL) {
    const chunk = items.slice(from, from + MAX_RECORDS_PER_CALL);
    const call = toCall(chunk);
    try {
      results.push(...chunkResults(from, chunk.length, await deps.zoho<unknown>(call), `${call.method} ${call.path}`));
    } catch (err) {
      deps.log.warn(
        { path: call.path, method: call.method, failedFromIndex: from, done: results.length, err: err instanceof Error ? { name: err.name, message: err.message } : String(err) },
        'record write stopped',
      );
      throw partialFailure(err, results, from, chunk.length, items.length);
    }
  }
  return results;
}
