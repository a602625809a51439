import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError, isGatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { StoreLock } from '../store/lock.js';
import type { Readable } from 'node:stream';
import type { ZohoClient, ZohoFetch, ZohoResult } from '../zoho/client.js';
import { csvRows } from './csv.js';
import { ExportJobs, exportJobKey, newExportId, type ExportJob } from './jobs.js';
import { firstZipEntry } from './unzip.js';
import { typedValue } from './values.js';

/**
 * Bulk exports over Zoho's Bulk Read API (https://www.zoho.com/crm/developer/docs/api/v8/bulk-read/overview.html):
 * `start` creates Zoho's job (`POST /crm/bulk/v8/read`), `status` polls it
 * (`GET /crm/bulk/v8/read/{job_id}`), and `ndjson` reads the result ZIP
 * (`GET /crm/bulk/v8/read/{job_id}/result`) as a stream, record by record, then each later page:
 * Zoho exports 200,000 records per job and a job with `query.page: 2` reads the next 200,000
 * (crm-oas v8.0 bulk_read `Query.page`), so page n+1's job is created when page n starts
 * streaming and awaited when page n is read through. Later pages' job ids are kept with the
 * export, so the next download of it reuses them while Zoho has them. Nothing holds more than one CSV record and one ZIP chunk at a time.
 */

/** One CRM call for the export's connection (GraphQL: `ctx.zoho`, counted per operation). */

interface ZohoJobDetails {
  data?: { id?: string; state?: string; query?: { module?: { api_name?: string }; page?: number }; result?: { page?: number; count?: number; per_page?: number; more_records?: boolean } }[];
}

interface ZohoCreated {
  data?: { status?: string; code?: string; details?: { id?: string; state?: string } }[];
}

/**
 * How long a completed job's result can be downloaded, counted from when the gateway saw it
 * complete (ms). UNVERIFIED for CRM v8 (Zoho Creator's bulk API documents one day).
 */
export const RESULT_LIFETIME_MS = 24 * 3600_000;

/** Waits between polls of a later page's job (ms): doubling from the first to the last (about 70 polls in PAGE_WAIT_MS). */
const POLL_FIRST_MS = 250;
const POLL_MAX_MS = 30_000;
/** Longest the gateway waits for one later page's job before giving up (ms). */
const PAGE_WAIT_MS = 30 * 60_000;

/**
 * Zoho calls one download may make per page (the first page's status and result included): a
 * job creation or a check of the kept one, its polls and the result, with room for one more
 * creation when Zoho dropped a kept job. A download past it fails (the response is cut off) with
 * ZOHO_CALL_BUDGET_EXCEEDED: whatever Zoho does, one download cannot spend credits without end.
 */
export const DOWNLOAD_CALLS_PER_PAGE = 90;

/** How long the lease on creating one later page's job lasts (ms): the others of that page wait for it meanwhile. */
const PAGE_LEASE_MS = 30_000;

/** NDJSON lines sent per write: fewer, larger writes without holding many records. */
const LINES_PER_CHUNK = 64;

export interface ExportServiceOptions {
  store: Store;
  /** Master keys the export records are signed under (TOKEN_ENCRYPTION_KEY first, then retired keys, which still verify). */
  keys: readonly Uint8Array[];
  zoho: ZohoClient;
  log: Logger;
  now?: () => number;
  /** Waits between polls (tests may shorten it); rejects when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface StartArgs {
  module: string;
  fields: string[];
  types: Record<string, string>;
  criteria?: unknown;
}

/** Zoho's HTTP status behind a mapped Zoho error, if any. */
function zohoStatus(err: unknown): number | undefined {
  return isGatewayError(err) ? (err.details.zoho as { status?: number } | undefined)?.status : undefined;
}

export class ExportService {
  private readonly jobs: ExportJobs;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly lock: StoreLock;

  constructor(private readonly options: ExportServiceOptions) {
    this.jobs = new ExportJobs(options.store, options.keys.map(exportJobKey), options.log);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms, signal) => sleep(ms, undefined, signal ? { signal } : {}));
    this.lock = new StoreLock(options.store);
  }

  /** Creates Zoho's job for the first page and records the export. */
  async start(tenantId: string, connectionName: string, args: StartArgs, send: ZohoFetch): Promise<ExportJob> {
    const zohoJobId = await this.createZohoJob(args, 1, send);
    const now = this.now();
    const job: ExportJob = {
      id: newExportId(),
      tenantId,
      connectionName,
      module: args.module,
      fields: args.fields,
      types: args.types,
      ...(args.criteria !== undefined ? { criteria: args.criteria } : {}),
      zohoJobId,
      state: 'QUEUED',
      progress: 0,
      recordCount: null,
      moreRecords: false,
      perPage: null,
      createdAt: now,
      completedAt: null,
      expiresAt: null,
      error: null,
    };
    await this.jobs.put(job, now);
    return job;
  }

  /** The export as it stands, asking Zoho when it is still running; undefined when this tenant and connection have no such export. */
  async status(tenantId: string, connectionName: string, id: string, send: ZohoFetch, check?: (job: ExportJob) => void): Promise<ExportJob | undefined> {
    const job = await this.jobs.get(tenantId, connectionName, id);
    if (!job) return undefined;
    check?.(job);
    return this.refresh(job, send);
  }

  private async refresh(job: ExportJob, send: ZohoFetch): Promise<ExportJob> {
    if (job.state === 'COMPLETED') {
      // Past the expected lifetime, Zoho decides: a job it no longer knows has expired.
      if (job.expiresAt === null || this.now() < job.expiresAt) return job;
      return (await this.details(job.zohoJobId, send)) ? job : this.save({ ...job, state: 'EXPIRED' });
    }
    if (job.state !== 'QUEUED' && job.state !== 'RUNNING') return job;
    const details = await this.details(job.zohoJobId, send);
    if (!details) return this.save({ ...job, state: 'FAILED', error: 'Zoho no longer knows the bulk read job' });
    this.checkJob(job, details, 1);
    const next = { ...job };
    switch (details.state) {
      case 'ADDED':
      case 'QUEUED':
        next.state = 'QUEUED';
        break;
      case 'IN PROGRESS':
        next.state = 'RUNNING';
        break;
      case 'COMPLETED': {
        const r = details.result ?? {};
        const count = r.count ?? 0;
        const now = this.now();
        Object.assign(next, {
          state: 'COMPLETED',
          progress: count,
          pageCounts: { 1: count },
          moreRecords: Boolean(r.more_records),
          perPage: r.per_page ?? null,
          recordCount: r.more_records ? null : count,
          completedAt: now,
          expiresAt: now + RESULT_LIFETIME_MS,
        });
        break;
      }
      case 'FAILURE':
        next.state = 'FAILED';
        next.error = 'Zoho reported the bulk read job as failed (state FAILURE); start a new export';
        break;
      default:
        return job;
    }
    return next.state === job.state ? job : this.save(next);
  }

  private async save(job: ExportJob): Promise<ExportJob> {
    await this.jobs.put(job, this.now());
    return job;
  }

  /** Zoho's job details, or undefined when Zoho answers 404 (unknown or purged job). */
  private async details(zohoJobId: string, send: ZohoFetch): Promise<NonNullable<ZohoJobDetails['data']>[number] | undefined> {
    try {
      const res = await send<ZohoJobDetails>({ method: 'GET', api: 'bulk', path: `/read/${encodeURIComponent(zohoJobId)}` });
      return res.body?.data?.[0];
    } catch (err) {
      if (zohoStatus(err) === 404) return undefined;
      throw err;
    }
  }

  private async createZohoJob(args: Pick<StartArgs, 'module' | 'fields' | 'criteria'>, page: number, send: ZohoFetch): Promise<string> {
    const query = { module: { api_name: args.module }, fields: args.fields, ...(args.criteria !== undefined ? { criteria: args.criteria } : {}), page };
    const res = await send<ZohoCreated>({ method: 'POST', api: 'bulk', path: '/read', body: { query } });
    const id = res.body?.data?.[0]?.details?.id;
    if (!id) throw new GatewayError('ZOHO_ERROR', 'Zoho accepted the bulk read job without giving its id', { zoho: { status: res.status } });
    return id;
  }

  /**
   * The export's records as NDJSON, for a completed export of this tenant and connection. Opens
   * the first page before returning, so a caller can still answer with an HTTP error (an expired
   * result, a Zoho failure) before any byte of the body is sent. Errors after that end the stream.
   */
  async open(
    tenantId: string,
    connectionName: string,
    id: string,
    allowed: (job: ExportJob) => boolean,
    signal?: AbortSignal,
  ): Promise<{ job: ExportJob; body: AsyncGenerator<Buffer> } | { job: ExportJob | undefined; refused: 'not_found' | 'forbidden' | 'not_ready' | 'failed' | 'expired' }> {
    // The download's own Zoho call budget (DOWNLOAD_CALLS_PER_PAGE a page), and no call once the client left.
    const budget = { calls: 0, limit: DOWNLOAD_CALLS_PER_PAGE };
    const spend = () => {
      signal?.throwIfAborted();
      if (++budget.calls > budget.limit)
        throw new GatewayError('ZOHO_CALL_BUDGET_EXCEEDED', `the download made the ${budget.limit} Zoho calls its pages allow (${DOWNLOAD_CALLS_PER_PAGE} a page)`, { budget: budget.limit });
    };
    const send: ZohoFetch = (call) => {
      spend();
      return this.options.zoho.call(tenantId, connectionName, call);
    };
    const stream = (zohoJobId: string) => {
      spend();
      return this.options.zoho.stream(tenantId, connectionName, { method: 'GET', api: 'bulk', path: `/read/${encodeURIComponent(zohoJobId)}/result` });
    };
    const stored = await this.jobs.get(tenantId, connectionName, id);
    if (!stored) return { job: undefined, refused: 'not_found' };
    if (!allowed(stored)) return { job: stored, refused: 'forbidden' };
    let job = await this.refresh(stored, send);
    if (job.state === 'FAILED') return { job, refused: 'failed' };
    if (job.state === 'EXPIRED') return { job, refused: 'expired' };
    if (job.state !== 'COMPLETED') return { job, refused: 'not_ready' };
    let first: AsyncIterable<Uint8Array>;
    try {
      first = (await stream(job.zohoJobId)).body!;
    } catch (err) {
      if (zohoStatus(err) === 404) {
        job = await this.save({ ...job, state: 'EXPIRED' });
        return { job, refused: 'expired' };
      }
      throw err;
    }
    return { job, body: this.records(job, first, { send, stream, signal, nextPage: () => (budget.limit += DOWNLOAD_CALLS_PER_PAGE) }) };
  }

  private async *records(
    job: ExportJob,
    first: AsyncIterable<Uint8Array>,
    io: { send: ZohoFetch; stream: (zohoJobId: string) => Promise<ZohoResult<Readable>>; signal: AbortSignal | undefined; nextPage: () => void },
  ): AsyncGenerator<Buffer> {
    const { send, stream, signal } = io;
    let source = first;
    let page = 1;
    let more = job.moreRecords;
    let delivered = 0;
    for (;;) {
      // The next page's job starts while this page streams: Zoho exports it meanwhile.
      if (more) io.nextPage();
      const next = more ? this.jobForPage(job, page + 1, send) : undefined;
      next?.catch(() => undefined); // awaited below; a failure surfaces there, not as unhandled
      delivered += yield* this.page(source, job);
      if (!next) break;
      page++;
      let zohoJobId = await next;
      let done = await this.awaitPage(job, zohoJobId, page, send, signal);
      let opened;
      try {
        opened = await stream(zohoJobId);
      } catch (err) {
        // A job kept from an earlier download whose result Zoho has dropped since: once more, anew.
        if (zohoStatus(err) !== 404) throw err;
        zohoJobId = await this.jobForPage(job, page, send, zohoJobId);
        done = await this.awaitPage(job, zohoJobId, page, send, signal);
        opened = await stream(zohoJobId);
      }
      source = opened.body!;
      more = Boolean(done.more_records);
      const count = done.count ?? 0;
      job = await this.update(job, (j) => {
        const pageCounts: Record<string, number> = { ...j.pageCounts, [page]: count };
        const progress = Object.values(pageCounts).reduce((a, b) => a + b, 0);
        return { ...j, pageCounts, progress, recordCount: more ? j.recordCount : progress };
      });
    }
    this.options.log.info({ tenantId: job.tenantId, exportId: job.id, module: job.module, pages: page, records: delivered }, 'export streamed');
  }

  /**
   * Page n's Zoho job: the one an earlier download created while Zoho still has it (and it did not
   * fail), else a new one, recorded for the next download. Decided under a lease per page, so
   * downloads running at once share one job rather than each creating its own. `dropped`: a job
   * whose result Zoho no longer has (never reused; another download may have replaced it already).
   */
  private async jobForPage(job: ExportJob, page: number, send: ZohoFetch, dropped?: string): Promise<string> {
    const key = `export-page:${JSON.stringify([job.tenantId, job.connectionName, job.id, page])}`;
    return this.lock.withLease(key, { ttlMs: PAGE_LEASE_MS, waitMs: PAGE_LEASE_MS }, async () => {
      const known = (await this.jobs.get(job.tenantId, job.connectionName, job.id))?.pages?.[page];
      if (known && known !== dropped) {
        const d = await this.details(known, send);
        if (d && d.state !== 'FAILURE') return known;
      }
      const id = await this.createZohoJob(job, page, send);
      await this.update(job, (j) => ({ ...j, pages: { ...j.pages, [page]: id } }));
      return id;
    });
  }

  /** Applies `change` to the stored job (another instance may have written it since `job` was read). */
  private async update(job: ExportJob, change: (j: ExportJob) => ExportJob): Promise<ExportJob> {
    const latest = (await this.jobs.get(job.tenantId, job.connectionName, job.id)) ?? job;
    return this.save(change(latest));
  }

  /** One result page's rows as NDJSON chunks; returns how many records it held. */
  private async *page(source: AsyncIterable<Uint8Array>, job: ExportJob): AsyncGenerator<Buffer, number> {
    const types = job.types;
    let header: string[] | undefined;
    let lines: string[] = [];
    let count = 0;
    for await (const row of csvRows(firstZipEntry(source))) {
      if (!header) {
        // Exactly the export's columns (`id` first; UNVERIFIED that Zoho keeps the asked order of
        // the rest, so any order): a result of another job never reaches the client.
        const want = new Set(job.fields);
        if (row[0] !== 'id' || row.length !== job.fields.length + 1 || new Set(row.slice(1)).size !== row.length - 1 || !row.slice(1).every((c) => want.has(c))) {
          throw new GatewayError('ZOHO_ERROR', 'the bulk read result does not hold the export’s columns');
        }
        header = row;
        continue;
      }
      if (row.length === 1 && row[0] === '') continue; // a blank line
      const record: Record<string, unknown> = {};
      for (let i = 0; i < header.length; i++) {
        const name = header[i]!;
        const cell = row[i] ?? '';
        record[name] = name === 'id' ? cell : typedValue(cell, types[name]);
      }
      lines.push(JSON.stringify(record));
      count++;
      if (lines.length >= LINES_PER_CHUNK) {
        yield Buffer.from(lines.join('\n') + '\n');
        lines = [];
      }
    }
    if (lines.length) yield Buffer.from(lines.join('\n') + '\n');
    return count;
  }

  /**
   * Zoho's job is the export's: its module and page as Zoho reports them (a second line behind
   * the record's signature; a field Zoho leaves out is not held against it).
   */
  private checkJob(job: ExportJob, details: NonNullable<ZohoJobDetails['data']>[number], page: number): void {
    const module = details.query?.module?.api_name;
    const zohoPage = details.query?.page;
    if ((module !== undefined && module !== job.module) || (zohoPage !== undefined && zohoPage !== page)) {
      this.options.log.error({ tenantId: job.tenantId, exportId: job.id, page }, 'export record names a Zoho job of another module or page');
      throw new GatewayError('STORE_TAMPERED', 'this export’s Zoho job reads another module or page than the export; start a new export', { reason: 'EXPORT_JOB_MISMATCH' });
    }
  }

  /** Polls a later page's job until Zoho completes it; its `result`. */
  private async awaitPage(job: ExportJob, zohoJobId: string, page: number, send: ZohoFetch, signal?: AbortSignal): Promise<{ count?: number; more_records?: boolean }> {
    const started = this.now();
    let wait = POLL_FIRST_MS;
    for (;;) {
      const d = await this.details(zohoJobId, send);
      if (!d) throw new GatewayError('ZOHO_ERROR', `Zoho lost the bulk read job of page ${page}`);
      this.checkJob(job, d, page);
      if (d.state === 'COMPLETED') return d.result ?? {};
      if (d.state === 'FAILURE') throw new GatewayError('ZOHO_ERROR', `Zoho's bulk read job of page ${page} failed`);
      if (this.now() - started > PAGE_WAIT_MS) throw new GatewayError('ZOHO_UNAVAILABLE', `Zoho's bulk read job of page ${page} did not complete within ${PAGE_WAIT_MS / 60_000} minutes`);
      await this.sleep(wait, signal);
      wait = Math.min(POLL_MAX_MS, wait * 2);
    }
  }
}
