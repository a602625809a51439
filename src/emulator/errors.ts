import type { EmulatorResponse } from './router.js';

/**
 * Zoho CRM's error envelope: `{"code","details","message","status":"error"}`.
 * Source: https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html and the examples
 * beside each operation in github.com/zoho/crm-oas (v8.0).
 */
export function zohoError(status: number, code: string, message: string, details: Record<string, unknown> = {}, headers?: Record<string, string>): EmulatorResponse {
  return { status, body: { code, details, message, status: 'error' }, ...(headers ? { headers } : {}) };
}

/** A per-record entry as Zoho returns it in `data[]` of write responses. */
export interface RecordOutcome {
  code: string;
  details: Record<string, unknown>;
  message: string;
  status: 'success' | 'error';
}

export function recordError(code: string, message: string, details: Record<string, unknown> = {}): RecordOutcome {
  return { code, details, message, status: 'error' };
}

export function recordSuccess(message: string, details: Record<string, unknown>): RecordOutcome {
  return { code: 'SUCCESS', details, message, status: 'success' };
}

/**
 * The HTTP status of a bulk write: 201 (insert) / 200 (others) when every record succeeded, 207
 * when some did, 400 when none did.
 * Source: https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html ("207 MULTI-STATUS").
 */
export function bulkStatus(outcomes: RecordOutcome[], allOk: number): number {
  const ok = outcomes.filter((o) => o.status === 'success').length;
  if (ok === outcomes.length) return allOk;
  if (ok === 0) return 400;
  return 207;
}
