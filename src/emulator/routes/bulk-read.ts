import { crmAuth, type EmulatorContext } from '../emulator.js';
import { zohoError } from '../errors.js';
import type { FieldDef, ModuleDef } from '../metadata.js';
import type { AccessToken } from '../accounts.js';
import { actingUser, moduleOf, userRef, viewOf } from '../record-helpers.js';
import type { EmulatorRequest, EmulatorResponse, Router } from '../router.js';
import type { RequiredScope } from '../scopes.js';
import type { ZRecord } from '../seed.js';
import { zipOneFile } from '../zip.js';
import { moduleMeta } from './org.js';

/**
 * Zoho's Bulk Read API (bulk export), v8:
 *  - D/bulk-read/overview.html: create a job, poll it (or get a callback), download a ZIP holding a CSV;
 *  - D/bulk-read/create-job.html and OAS v8.0/bulk_read.json `POST /crm/bulk/v8/read`
 *    `{"callback":{"url","method":"post"}?, "query":{"module":{"api_name"}, "fields"?, "criteria"?, "page"?}}`
 *    → 201 `{"data":[{"status":"success","code":"ADDED_SUCCESSFULLY","message":"Added successfully.",
 *    "details":{"id","operation":"read","state":"ADDED","created_by","created_time"}}],"info":{}}`;
 *  - D/bulk-read/job-details.html and OAS `Job_Detail`: `GET /crm/bulk/v8/read/{job_id}` → `{"data":[{id,
 *    operation, state (ADDED | IN PROGRESS | COMPLETED | FAILURE), query, created_by, created_time,
 *    file_type, result: {page, per_page, count, download_url, more_records, next_page_token}}]}`;
 *    unknown id → 404 RESOURCE_NOT_FOUND (OAS getBulkReadJobDetails response-404);
 *  - D/bulk-read/download-result.html: `GET /crm/bulk/v8/read/{job_id}/result` → the ZIP
 *    (OAS content type `application/x-download`); the CSV has an `id` column first, then the
 *    requested fields (all fields when `fields` is empty), date-times in ISO 8601;
 *  - paging: OAS `Query.page` "The default value is 1 and means that the first 200,000 records
 *    matching your query will get exported. If you want to fetch the records from the range
 *    200,001 to 400,000, then mention the value as '2'" — a new job per page, `more_records`
 *    saying whether another page exists (per_page 200,000; Kaizen #12 "200,000 records per bulk
 *    read API call").
 * Scope: D v2 create-job.html names `ZohoCRM.bulk.read` (and) `ZohoCRM.modules.{module}.READ`;
 * later versions print "(or)". UNVERIFIED which holds for v8: the emulator requires both, the
 * stricter reading, so the gateway must ask for `ZohoCRM.bulk.READ` at consent.
 */

/** Zoho's records per result page (OAS Query.page; Kaizen #12). */
export const BULK_PER_PAGE = 200_000;

export interface BulkReadOptions {
  /** Records per result page (Zoho: 200,000). Tests of `more_records` set it small. */
  perPage?: number;
  /**
   * Status polls after which a job is COMPLETED (or FAILURE): the polls before see ADDED, then
   * IN PROGRESS (default 2). Zoho runs jobs on its own schedule; a test decides with this.
   */
  pollsToComplete?: number;
  /** Or: milliseconds after creation, on the emulator's clock, when a job completes. */
  completeAfterMs?: number;
  /**
   * How long a completed job's result can be downloaded (ms; default one day). UNVERIFIED: the
   * v8 pages read say nothing of it; Zoho Creator's bulk API documents "available for download for
   * a day (24 hours)" (creator/help/api/v2/bulk-api/limitations.html) and we assume the same.
   */
  resultTtlMs?: number;
}

type State = 'ADDED' | 'IN PROGRESS' | 'COMPLETED' | 'FAILURE';

interface Condition {
  field: string;
  comparator: string;
  value: unknown;
}
type Criteria = { op: 'and' | 'or'; items: Criteria[] } | Condition;

export interface BulkJob {
  id: string;
  module: string;
  fields: string[];
  criteria: Criteria | undefined;
  rawQuery: Record<string, unknown>;
  page: number;
  state: State;
  polls: number;
  createdAt: number;
  createdBy: { id: string; name: string };
  callback: string | undefined;
  /** Set when the job is made to fail (tests). */
  fail: boolean;
  /** Ids of the page's records, fixed when the job completes (Zoho exports a snapshot). */
  ids?: string[];
  total?: number;
  completedAt?: number;
}

/**
 * Comparators: OAS v8.0/bulk_read.json `Criteria.comparator`. Which apply to which data type is
 * not listed there. UNVERIFIED: we allow the ordering ones on numbers and dates only and the text ones
 * (contains, starts_with, ends_with) on text-like fields only.
 */
const COMPARATORS = new Set([
  'equal',
  'not_equal',
  'in',
  'not_in',
  'less_than',
  'less_equal',
  'greater_than',
  'greater_equal',
  'between',
  'not_between',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
]);
const ORDERING = new Set(['less_than', 'less_equal', 'greater_than', 'greater_equal', 'between', 'not_between']);
const TEXTUAL = new Set(['contains', 'not_contains', 'starts_with', 'ends_with']);
const NUMERIC = new Set(['integer', 'bigint', 'currency', 'double', 'decimal', 'percent', 'formula', 'autonumber']);
const TEMPORAL = new Set(['date', 'datetime']);
/** D/bulk-read/create-job.html (Kaizen #195's samples): up to 25 conditions in a criteria group. UNVERIFIED for v8. */
const MAX_CONDITIONS = 25;

/** The emulator's bulk read jobs and the test hooks on them. */
export class BulkReads {
  readonly jobs = new Map<string, BulkJob>();
  readonly perPage: number;
  private failNextCount = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly ctx: EmulatorContext,
    readonly options: BulkReadOptions = {},
  ) {
    this.perPage = options.perPage ?? BULK_PER_PAGE;
  }

  /** Test hook: the next `n` jobs created end in FAILURE instead of COMPLETED. */
  failNext(n = 1): void {
    this.failNextCount += n;
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  create(job: Omit<BulkJob, 'fail' | 'state' | 'polls'>): BulkJob {
    const full: BulkJob = { ...job, state: 'ADDED', polls: 0, fail: this.failNextCount > 0 };
    if (this.failNextCount > 0) this.failNextCount--;
    this.jobs.set(full.id, full);
    if (this.options.completeAfterMs !== undefined) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.advance(full);
      }, this.options.completeAfterMs);
      t.unref();
      this.timers.add(t);
    }
    return full;
  }

  /** Moves a job on: one more poll, and the clock. */
  advance(job: BulkJob, poll = false): void {
    if (job.state === 'COMPLETED' || job.state === 'FAILURE') return;
    if (poll) job.polls++;
    const byPolls = job.polls >= (this.options.pollsToComplete ?? 2) && this.options.completeAfterMs === undefined;
    const byClock = this.options.completeAfterMs !== undefined && this.ctx.now() - job.createdAt >= this.options.completeAfterMs;
    if (byPolls || byClock) this.finish(job);
    else if (job.polls > 0) job.state = 'IN PROGRESS';
  }

  private finish(job: BulkJob): void {
    job.completedAt = this.ctx.now();
    if (job.fail) {
      job.state = 'FAILURE';
    } else {
      const module = moduleOf(this.ctx, job.module)!;
      // UNVERIFIED: the order of rows in Zoho's CSV; id ascending is stable across pages.
      const all = [...this.ctx.records(job.module).values()].filter((r) => !job.criteria || matches(r, job.criteria, module));
      all.sort((a, b) => (a.id.padStart(20, '0') < b.id.padStart(20, '0') ? -1 : 1));
      const start = (job.page - 1) * this.perPage;
      job.ids = all.slice(start, start + this.perPage).map((r) => r.id);
      job.total = all.length;
      job.state = 'COMPLETED';
    }
    if (job.callback) void this.notify(job);
  }

  /**
   * POSTs the job's details to its callback URL "on successful completion / failure of the job"
   * (D/bulk-read/create-job.html, callback). UNVERIFIED: the body's shape; we send what Kaizen #12
   * shows (`job_id`, `operation`, `state`, `query`, `result`).
   */
  private async notify(job: BulkJob): Promise<void> {
    const details = this.details(job);
    const body = { job_id: job.id, operation: 'read', state: job.state, query: details.query, ...(details.result ? { result: details.result } : {}) };
    await fetch(job.callback!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => undefined);
  }

  details(job: BulkJob): Record<string, unknown> & { query: unknown; result?: unknown } {
    const module = moduleOf(this.ctx, job.module);
    const out: Record<string, unknown> & { query: unknown; result?: unknown } = {
      id: job.id,
      operation: 'read',
      state: job.state,
      query: { ...job.rawQuery, module: { api_name: job.module, ...(module ? { id: moduleMeta(this.ctx, module, this.ctx.modules.indexOf(module)).id } : {}) }, page: job.page },
      created_by: job.createdBy,
      created_time: new Date(job.createdAt).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      file_type: 'csv',
    };
    if (job.state === 'COMPLETED') {
      const more = job.total! > job.page * this.perPage;
      out.result = {
        page: job.page,
        per_page: this.perPage,
        count: job.ids!.length,
        download_url: `/crm/bulk/v8/read/${job.id}/result`,
        more_records: more,
        // OAS Result lists `next_page_token`; v7's job-details sample carries one. UNVERIFIED how
        // a client uses it in v8 (the documented way on is `page`); we hand out the next page number.
        ...(more ? { next_page_token: String(job.page + 1) } : {}),
      };
    }
    return out;
  }

  expired(job: BulkJob): boolean {
    return job.completedAt !== undefined && this.ctx.now() - job.completedAt >= (this.options.resultTtlMs ?? 24 * 3600_000);
  }
}

const bulkScope: RequiredScope = { service: 'ZohoCRM', group: 'bulk', op: 'READ' };

export function registerBulkReadRoutes(router: Router, ctx: EmulatorContext, bulk: BulkReads): void {
  const moduleRead = (module: string | undefined): RequiredScope[] => [bulkScope, ...(module ? [{ service: 'ZohoCRM', group: 'modules', sub: module, op: 'READ' } as RequiredScope] : [])];
  const jobModule = (req: EmulatorRequest) => bulk.jobs.get(req.params.job_id ?? '')?.module;
  router.add(
    'POST',
    '/crm/bulk/v8/read',
    crmAuth(
      ctx,
      (req) => moduleRead(bodyModule(req.body)),
      (req, t) => createJob(ctx, bulk, req, t),
    ),
  );
  router.add(
    'GET',
    '/crm/bulk/v8/read/:job_id',
    crmAuth(
      ctx,
      (req) => moduleRead(jobModule(req)),
      (req) => jobDetails(bulk, req),
    ),
  );
  router.add(
    'GET',
    '/crm/bulk/v8/read/:job_id/result',
    crmAuth(
      ctx,
      (req) => moduleRead(jobModule(req)),
      (req) => download(ctx, bulk, req),
    ),
  );
}

function bodyModule(body: string): string | undefined {
  try {
    const name = (JSON.parse(body) as { query?: { module?: { api_name?: unknown } } }).query?.module?.api_name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Zoho's 404 for a job id it does not know (OAS getBulkReadJobDetails response-404). UNVERIFIED: `resource`'s value. */
function notFound(): EmulatorResponse {
  return zohoError(404, 'RESOURCE_NOT_FOUND', 'The requested resource is not found', { resource: 'job_id' });
}

function createJob(ctx: EmulatorContext, bulk: BulkReads, req: EmulatorRequest, token: AccessToken): EmulatorResponse {
  if (!req.body.trim()) return zohoError(400, 'REQUEST_BODY_IS_EMPTY', 'request body is empty');
  let body: { callback?: { url?: unknown; method?: unknown }; query?: Record<string, unknown>; file_type?: unknown };
  try {
    body = JSON.parse(req.body) as typeof body;
  } catch {
    return zohoError(400, 'REQUEST_BODY_NOT_READABLE', 'the request body is not valid JSON');
  }
  const query = body.query;
  const apiName = (query?.module as { api_name?: unknown } | undefined)?.api_name;
  if (!query || typeof apiName !== 'string') return zohoError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'module', json_path: '$.query.module' });
  const module = moduleOf(ctx, apiName);
  // OAS Bulk_Read_API_Exception lists MODULE_NOT_AVAILABLE. UNVERIFIED: which code an unknown module gets.
  if (!module) return zohoError(400, 'MODULE_NOT_AVAILABLE', 'the module is not available for bulk read', { api_name: apiName });
  if (body.callback !== undefined) {
    const url = typeof body.callback.url === 'string' ? body.callback.url : '';
    if (!/^https?:\/\//.test(url)) return zohoError(400, 'INVALID_CALLBACK_URL', 'the callback url is invalid', { param_name: 'url' });
    if (body.callback.method !== 'post') return zohoError(400, 'INVALID_CALLBACK_METHOD', 'the callback method is invalid', { param_name: 'method', supported_values: ['post'] });
  }
  if (body.file_type !== undefined && body.file_type !== 'csv') return zohoError(400, 'NOT_SUPPORTED_FEATURE', 'only csv export is emulated', { param_name: 'file_type' });
  const page = query.page ?? 1;
  if (typeof page !== 'number' || !Number.isInteger(page) || page < 1) return zohoError(400, 'PAGE_NOT_SUPPORTED', 'the page is invalid', { param_name: 'page' });

  // The module as the token's user sees it: fields their profile hides are left out of the file,
  // as the record routes leave them out of their answers. UNVERIFIED: whether Zoho refuses a
  // hidden field named in `fields` instead.
  const view = viewOf(ctx, apiName, token) ?? module;
  const visible = (name: string) => view.fields.some((f) => f.api_name === name);
  let fields: string[];
  if (query.fields === undefined || (Array.isArray(query.fields) && query.fields.length === 0)) {
    // "If the fields attribute … is left empty, all the fields available in CRM are listed" (download-result.html).
    fields = view.fields.filter(exportable).map((f) => f.api_name);
  } else if (Array.isArray(query.fields) && query.fields.every((f) => typeof f === 'string')) {
    fields = [...new Set(query.fields as string[])].filter((f) => f !== 'id');
    const bad = fields.find((f) => !module.fields.some((d) => d.api_name === f && exportable(d)));
    if (bad) return zohoError(400, 'FIELD_NOT_SUPPORTED', 'the field is not supported for bulk read', { api_name: bad });
    fields = fields.filter(visible);
  } else return zohoError(400, 'INVALID_DATA', 'invalid data', { api_name: 'fields' });

  let criteria: Criteria | undefined;
  if (query.criteria !== undefined) {
    const parsed = parseCriteria(query.criteria, module, { count: 0 });
    if ('error' in parsed) return parsed.error;
    criteria = parsed.criteria;
  }
  const user = actingUser(ctx, token);
  const job = bulk.create({
    id: ctx.nextId(),
    module: module.api_name,
    fields,
    criteria,
    rawQuery: { ...(query.fields !== undefined ? { fields: query.fields } : {}), ...(query.criteria !== undefined ? { criteria: query.criteria } : {}) },
    page,
    createdAt: ctx.now(),
    createdBy: userRef(user),
    callback: body.callback ? String(body.callback.url) : undefined,
  });
  return {
    status: 201,
    body: {
      data: [
        {
          status: 'success',
          code: 'ADDED_SUCCESSFULLY',
          message: 'Added successfully.',
          details: { id: job.id, operation: 'read', state: job.state, created_by: job.createdBy, created_time: bulk.details(job).created_time },
        },
      ],
      info: {},
    },
  };
}

/** UNVERIFIED: subforms, multi-module lookups and file fields are left out of bulk exports. */
function exportable(f: FieldDef): boolean {
  return f.data_type !== 'subform';
}

function parseCriteria(raw: unknown, module: ModuleDef, seen: { count: number }): { criteria: Criteria } | { error: EmulatorResponse } {
  const invalid = (reason: string, details: Record<string, unknown> = {}) => ({ error: zohoError(400, 'INVALID_CRITERIA', reason, details) });
  if (!raw || typeof raw !== 'object') return invalid('criteria must be an object');
  const c = raw as { group_operator?: unknown; group?: unknown; field?: { api_name?: unknown }; comparator?: unknown; value?: unknown };
  if (c.group !== undefined) {
    const op = typeof c.group_operator === 'string' ? c.group_operator.toLowerCase() : '';
    if (op !== 'and' && op !== 'or') return { error: zohoError(400, 'GROUP_OPERATOR_NOT_SUPPORTED', 'the group operator is not supported', { group_operator: c.group_operator ?? null }) };
    if (!Array.isArray(c.group) || c.group.length === 0) return invalid('group must be a non-empty array');
    const items: Criteria[] = [];
    for (const g of c.group) {
      const p = parseCriteria(g, module, seen);
      if ('error' in p) return p;
      items.push(p.criteria);
    }
    return { criteria: { op, items } };
  }
  if (++seen.count > MAX_CONDITIONS) return { error: zohoError(400, 'CRITERIA_LIMIT_EXCEEDED', `at most ${MAX_CONDITIONS} criteria are allowed`, { limit: MAX_CONDITIONS }) };
  const name = c.field?.api_name;
  const field = typeof name === 'string' ? (name === 'id' ? ({ api_name: 'id', data_type: 'bigint' } as FieldDef) : module.fields.find((f) => f.api_name === name)) : undefined;
  if (!field) return { error: zohoError(400, 'FIELD_IN_CRITERIA_NOT_SUPPORTED', 'the field in the criteria is not supported', { api_name: name ?? null }) };
  const comparator = typeof c.comparator === 'string' ? c.comparator : '';
  const typed = NUMERIC.has(field.data_type) || TEMPORAL.has(field.data_type);
  if (!COMPARATORS.has(comparator) || (ORDERING.has(comparator) && !typed) || (TEXTUAL.has(comparator) && typed)) {
    return { error: zohoError(400, 'FIELD_COMPARATOR_IN_CRITERIA_NOT_SUPPORTED', 'the comparator is not supported for the field', { api_name: field.api_name, comparator }) };
  }
  const multi = comparator === 'in' || comparator === 'not_in' || comparator === 'between' || comparator === 'not_between';
  if (multi !== Array.isArray(c.value) || (comparator.endsWith('between') && (c.value as unknown[]).length !== 2)) {
    return { error: zohoError(400, 'COMPARATOR_AND_VALUE_IN_CRITERIA_NOT_COMPATIBLE', 'the value does not fit the comparator', { api_name: field.api_name, comparator }) };
  }
  return { criteria: { field: field.api_name, comparator, value: c.value } };
}

/** A record's value as the CSV and the criteria see it (lookups by id). */
function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(String).join(';'); // UNVERIFIED: multi-select values joined with ';'
  if (typeof v === 'object') return String((v as { id?: unknown }).id ?? ''); // lookups export the record id (Kaizen #12: use `Lookup.Field` for other columns)
  return String(v);
}

function matches(r: ZRecord, c: Criteria, module: ModuleDef): boolean {
  if ('op' in c) return c.op === 'and' ? c.items.every((i) => matches(r, i, module)) : c.items.some((i) => matches(r, i, module));
  const type = c.field === 'id' ? 'bigint' : module.fields.find((f) => f.api_name === c.field)!.data_type;
  const raw = r[c.field];
  const key = (v: unknown): number | string => {
    const s = cell(v);
    if (NUMERIC.has(type)) return s === '' ? NaN : Number(s);
    if (TEMPORAL.has(type)) return s === '' ? NaN : Date.parse(s);
    return s.toLowerCase();
  };
  const x = key(raw);
  const values = (Array.isArray(c.value) ? c.value : [c.value]).map(key);
  const y = values[0]!;
  const s = String(x);
  switch (c.comparator) {
    case 'equal':
      return x === y;
    case 'not_equal':
      return x !== y;
    case 'in':
      return values.includes(x);
    case 'not_in':
      return !values.includes(x);
    case 'less_than':
      return x < y;
    case 'less_equal':
      return x <= y;
    case 'greater_than':
      return x > y;
    case 'greater_equal':
      return x >= y;
    case 'between':
      return x >= y && x <= values[1]!;
    case 'not_between':
      return !(x >= y && x <= values[1]!);
    case 'contains':
      return s.includes(String(y));
    case 'not_contains':
      return !s.includes(String(y));
    case 'starts_with':
      return s.startsWith(String(y));
    case 'ends_with':
      return s.endsWith(String(y));
    default:
      return false;
  }
}

function jobDetails(bulk: BulkReads, req: EmulatorRequest): EmulatorResponse {
  const job = bulk.jobs.get(req.params.job_id!);
  // UNVERIFIED: that Zoho forgets a job whose result expired (404) rather than keep its details.
  if (!job || bulk.expired(job)) return notFound();
  bulk.advance(job, true);
  return { status: 200, body: { data: [bulk.details(job)] } };
}

/** RFC 4180 quoting: fields with a comma, quote or line break are quoted, quotes doubled. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function download(ctx: EmulatorContext, bulk: BulkReads, req: EmulatorRequest): EmulatorResponse {
  const job = bulk.jobs.get(req.params.job_id!);
  if (!job || bulk.expired(job)) return notFound();
  // OAS downloadBulkReadResult answers 400 with the RESOURCE_NOT_FOUND shape. UNVERIFIED: that
  // this is what a job not completed (or failed) gets.
  if (job.state !== 'COMPLETED') return zohoError(400, 'RESOURCE_NOT_FOUND', 'the result of the job is not available', { resource: 'result' });
  const columns = ['id', ...job.fields];
  const records = ctx.records(job.module);
  const ids = job.ids!;
  async function* csv(): AsyncGenerator<Buffer> {
    yield Buffer.from(columns.map(csvField).join(',') + '\r\n');
    let batch: string[] = [];
    for (const id of ids) {
      const r = records.get(id);
      // A record deleted after the job completed is left out. UNVERIFIED: Zoho writes the file
      // once, at completion, so it would still hold the row; the emulator keeps no copy of it.
      if (!r) continue;
      batch.push(columns.map((c) => csvField(cell(r[c]))).join(','));
      if (batch.length === 500) {
        yield Buffer.from(batch.join('\r\n') + '\r\n');
        batch = [];
      }
    }
    if (batch.length) yield Buffer.from(batch.join('\r\n') + '\r\n');
  }
  return {
    status: 200,
    headers: { 'content-type': 'application/x-download', 'content-disposition': `attachment; filename="${job.id}.zip"` },
    // UNVERIFIED: the CSV's name inside the ZIP; we use `<job id>.csv`.
    stream: zipOneFile(`${job.id}.csv`, csv(), new Date(job.completedAt!)),
  };
}
