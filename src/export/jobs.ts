import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
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
  /**
   * HMAC-SHA256 (base64url) of the fields that decide what a download reads and who may read it
   * (signedPart), under a key of its own derived from TOKEN_ENCRYPTION_KEY: a store writer
   * without that key cannot point an export at another module, job or tenant.
   */
  sig?: string;
}

/** HKDF info of the export-record key: never the encryption key itself, nor another purpose's key. */
const INFO = 'zgw:export-job:v1';

/** An export-record signing key from one master key (TOKEN_ENCRYPTION_KEY or a retired one). */
export function exportJobKey(master: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', master, new Uint8Array(0), INFO, 32));
}

/** What the signature covers: identity, what is read (module, columns, criteria) and Zoho's jobs. */
function signedPart(job: ExportJob): string {
  return JSON.stringify([INFO, job.tenantId, job.connectionName, job.id, job.module, job.fields, job.types, job.criteria ?? null, job.zohoJobId, job.pages ?? {}]);
}

function macOf(key: Buffer, job: ExportJob): Buffer {
  return createHmac('sha256', key).update(signedPart(job)).digest();
}

/** Export ids: `exp_` and 16 random bytes, base64url. */
export const EXPORT_ID = /^exp_[A-Za-z0-9_-]{22}$/;

export function newExportId(): string {
  return `exp_${randomBytes(16).toString('base64url')}`;
}

/** How long a job's record stays in the store after its start (ms): past any result's life. */
export const JOB_RECORD_TTL_MS = 7 * 24 * 3600_000;

export class ExportJobs {
  /** `keys`: export-record keys (exportJobKey), the current one first, then retired ones that still verify. */
  constructor(
    private readonly store: Store,
    private readonly keys: readonly Buffer[],
    private readonly log: Logger,
  ) {
    if (keys.length === 0) throw new RangeError('export records need a signing key');
  }

  private key(tenantId: string, connectionName: string, id: string): string {
    return `export:${JSON.stringify([tenantId, connectionName, id])}`;
  }

  async get(tenantId: string, connectionName: string, id: string): Promise<ExportJob | undefined> {
    if (!EXPORT_ID.test(id)) return undefined;
    const job = await this.store.get<ExportJob>(this.key(tenantId, connectionName, id));
    if (!job) return undefined;
    // The key names tenant and connection; the signature covers them and what the export reads.
    const sig = typeof job.sig === 'string' ? Buffer.from(job.sig, 'base64url') : Buffer.alloc(0);
    const valid =
      job.tenantId === tenantId &&
      job.connectionName === connectionName &&
      job.id === id &&
      this.keys.some((k) => {
        const want = macOf(k, job);
        return sig.length === want.length && timingSafeEqual(sig, want);
      });
    if (!valid) {
      this.log.error({ tenantId, exportId: id }, 'export record fails its signature: changed in the store by someone without the key');
      throw new GatewayError('STORE_TAMPERED', 'this export’s stored record was changed outside the gateway; start a new export (an operator should look at the store)', {
        reason: 'EXPORT_SIGNATURE',
      });
    }
    return job;
  }

  /** Stores `job`, signed anew (the caller's `sig`, if any, is ignored). */
  async put(job: ExportJob, now: number): Promise<ExportJob> {
    const ttl = Math.max(60_000, job.createdAt + JOB_RECORD_TTL_MS - now);
    const signed = { ...job, sig: macOf(this.keys[0]!, job).toString('base64url') };
    await this.store.set(this.key(job.tenantId, job.connectionName, job.id), signed, ttl);
    return signed;
  }
}
