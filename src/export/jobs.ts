import { randomBytes } from 'node:crypto';
import type { Store } from '../store/index.js';

/**
 * Export jobs in the store, keyed by tenant, connection and export id: any instance on the same
 * store answers for any job, a restart loses none, and an id is found only under the tenant and
 * connection that started it (another tenant's lookup reads a different key and finds nothing).
 */

export type ExportState = 'QUEUED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'EXPIRED';

export interface ExportJob {
  id: string;
  tenantId: string;
  connectionName: string;
  module: string;
  /** Field api names asked for, in column order after `id`. */
  fields: string[];
  /** Column api name → data type (from the module's field metadata at the start). */
  types: Record<string, string>;
  /** Zoho's criteria JSON for the job (absent: every record). */
  criteria?: unknown;
  /** Zoho's bulk read job of the first page. */
  zohoJobId: string;
  /** Zoho's jobs of the later pages (page number → job id), kept for the next download. */
  pages?: Record<string, string>;
  /** Records in each page Zoho completed (page number → count); `progress` is their sum. */
  pageCounts?: Record<string, number>;
  state: ExportState;
  /** Records Zoho has exported so far (the pages completed). */
  progress: number;
  /** Total records, known once Zoho says no more pages remain (`more_records: false`). */
  recordCount: number | null;
  /** Zoho's `more_records` for the first page. */
  moreRecords: boolean;
  /** Zoho's records per page (`per_page`), as the first page reported it. */
  perPage: number | null;
  /** Epoch ms. */
  createdAt: number;
  completedAt: number | null;
  /** Epoch ms after which Zoho no longer serves the first page's result. */
  expiresAt: number | null;
  error: string | null;
}

/** Export ids: `exp_` and 16 random bytes, base64url. */
export const EXPORT_ID = /^exp_[A-Za-z0-9_-]{22}$/;

export function newExportId(): string {
  return `exp_${randomBytes(16).toString('base64url')}`;
}

/** How long a job's record stays in the store after its start (ms): past any result's life. */
export const JOB_RECORD_TTL_MS = 7 * 24 * 3600_000;

export class ExportJobs {
  constructor(private readonly store: Store) {}

  private key(tenantId: string, connectionName: string, id: string): string {
    return `export:${JSON.stringify([tenantId, connectionName, id])}`;
  }

  async get(tenantId: string, connectionName: string, id: string): Promise<ExportJob | undefined> {
    if (!EXPORT_ID.test(id)) return undefined;
    const job = await this.store.get<ExportJob>(this.key(tenantId, connectionName, id));
    // Belt and braces: the key already names tenant and connection.
    return job && job.tenantId === tenantId && job.connectionName === connectionName ? job : undefined;
  }

  async put(job: ExportJob, now: number): Promise<void> {
    const ttl = Math.max(60_000, job.createdAt + JOB_RECORD_TTL_MS - now);
    await this.store.set(this.key(job.tenantId, job.connectionName, job.id), job, ttl);
  }
}
