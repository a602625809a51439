import type { JwtVerifier } from '../../auth/jwt.js';
import { hasScope } from '../../auth/scopes.js';
import { GatewayError } from '../../errors.js';
import type { DownloadSlots } from '../../export/download-slots.js';
import type { ExportService } from '../../export/export-service.js';
import { EXPORT_ID } from '../../export/jobs.js';
import type { Logger } from '../../log.js';
import type { TenantLimiter } from '../../ratelimit/tenant-limiter.js';
import type { Route } from '../plugins/routes.js';
import { bearerCaller, errorAnswer } from './answers.js';

export const EXPORTS_PATH = '/exports/';

/** What a client refused for too many downloads in flight is told to wait, in seconds (ours: downloads end when their clients finish). */
const BUSY_RETRY_AFTER_SEC = 10;

/** The node:http response behind a route (absent through `yoga.fetch`). */
interface NodeResponse {
  destroy(err?: Error): void;
  once?(event: 'close', listener: () => void): unknown;
  readonly writableFinished?: boolean;
  readonly socket?: { resetAndDestroy?(): void } | null;
}

export interface ExportRouteOptions {
  /** Downloads in flight per tenant and per instance (EXPORT_MAX_DOWNLOADS_PER_TENANT, EXPORT_MAX_DOWNLOADS). */
  slots: DownloadSlots;
  /** Longest the client may take to accept the next chunk before the download is cut off (ms; EXPORT_STALL_TIMEOUT_MS). */
  stallTimeoutMs: number;
  /** The tenant's request limit (RATE_LIMIT_PER_MINUTE): each download counts as one request. Absent when the limit is off. */
  limiter?: TenantLimiter;
}

/**
 * `GET /exports/<id>.ndjson`: a completed bulk export's records, one JSON object per line, streamed
 * while Zoho's zipped CSV pages are read (../../export/export-service.ts). The caller's bearer JWT
 * must be of the tenant and connection that started the export (any other gets 404, as for an id
 * that never existed) and hold `records:read` for its module. Errors before the first byte are
 * JSON in the `/graphql` error shape; a failure after it (a later page's job failing at Zoho)
 * aborts the response, so a client never takes a cut-off body for a complete one.
 *
 * A download holds an upstream connection of the bulk pool while it lasts, so each counts against
 * the tenant's request limit, a tenant has at most `slots.maxPerTenant` in flight and the instance
 * `slots.maxTotal` (429 beyond, before any Zoho call), and a client that stops reading for
 * `stallTimeoutMs` is cut off. A client that leaves aborts the download's Zoho work at once.
 */
export function exportRoute(verifier: JwtVerifier, exports: ExportService, log: Logger, options: ExportRouteOptions): Route {
  const { slots, stallTimeoutMs, limiter } = options;
  return {
    method: 'GET',
    path: EXPORTS_PATH,
    prefix: true,
    async handle(request, url, _body, server) {
      const caller = await bearerCaller(verifier, request);
      if (caller instanceof Response) return caller;
      const m = /^\/exports\/([^/]+)\.ndjson$/.exec(url.pathname);
      const id = m?.[1];
      if (!id || !EXPORT_ID.test(id)) return errorAnswer(404, 'NOT_FOUND', 'no such export');
      if (limiter) {
        const decision = await limiter.take(caller.tenantId);
        if (!decision.allowed) {
          if (decision.firstRefusal) log.warn({ tenantId: caller.tenantId, limit: limiter.limit }, 'tenant rate limit reached');
          return errorAnswer(
            429,
            'RATE_LIMITED',
            `Too many requests for this tenant: at most ${limiter.limit} per minute; try again in ${decision.retryAfterSec} s`,
            { 'retry-after': String(decision.retryAfterSec) },
            { retryAfterSec: decision.retryAfterSec },
          );
        }
      }
      const tenantId: string = caller.tenantId;
      const acquired = slots.tryAcquire(tenantId);
      if (typeof acquired !== 'function') {
        const slot = acquired;
        const who = slot.refused === 'tenant' ? 'for this tenant' : 'on this gateway instance';
        return errorAnswer(
          429,
          'EXPORT_DOWNLOAD_LIMIT',
          `Too many export downloads in flight ${who} (at most ${slot.limit}); finish one, or try again in ${BUSY_RETRY_AFTER_SEC} s`,
          { 'retry-after': String(BUSY_RETRY_AFTER_SEC) },
          { limit: slot.limit, scope: slot.refused, retryAfterSec: BUSY_RETRY_AFTER_SEC },
        );
      }
      const slot = acquired;
      const socket = server?.res as NodeResponse | undefined;
      // The client gone (the socket closed before the response finished): stop Zoho work for it.
      const gone = new AbortController();
      socket?.once?.('close', () => {
        if (!socket.writableFinished) gone.abort();
        slot();
      });
      let opened;
      try {
        // Scope first needs the job's module: a lookup under the caller's own tenant and
        // connection, so another tenant learns nothing but 404.
        opened = await exports.open(caller.tenantId, caller.connectionName, id, (job) => hasScope(caller, 'records:read', job.module), gone.signal);
      } catch (err) {
        slot();
        if (err instanceof GatewayError) {
          const status = err.code === 'STORE_TAMPERED' ? 500 : err.code === 'ZOHO_RATE_LIMITED' ? 429 : err.code === 'ZOHO_NOT_CONNECTED' || err.code === 'ZOHO_RECONNECT_REQUIRED' ? 409 : 502;
          return errorAnswer(status, err.code, err.message, {}, typeof err.details.reason === 'string' ? { reason: err.details.reason } : {});
        }
        log.error({ err, exportId: id }, 'export download failed');
        return errorAnswer(500, 'INTERNAL', 'the export could not be read');
      }
      if ('refused' in opened) {
        slot();
        const job = opened.job;
        switch (opened.refused) {
          case 'not_found':
            return errorAnswer(404, 'NOT_FOUND', 'no such export');
          case 'forbidden':
            return errorAnswer(403, 'FORBIDDEN', `this download needs the scope "records:read:${job!.module}" (or "records:read")`, {}, { scope: `records:read:${job!.module}` });
          case 'not_ready':
            return errorAnswer(409, 'EXPORT_NOT_READY', `the export is ${job!.state}; poll bulkExport(id) until it is COMPLETED`, { 'retry-after': '5' }, { state: job!.state });
          case 'failed':
            return errorAnswer(409, 'EXPORT_FAILED', job!.error ?? 'the export failed', {}, { state: 'FAILED' });
          case 'expired':
            return errorAnswer(410, 'EXPORT_EXPIRED', 'Zoho no longer keeps this export’s result; start a new export', {}, { state: 'EXPIRED' });
        }
      }
      const records = opened.body;
      // Past the headers an error can only cut the response off: destroy the socket, so the client
      // sees a broken transfer (no final chunk) rather than a short file that looks complete.
      // Handing the error to the server adapter instead would leave the response hanging open.
      async function* guarded(): AsyncGenerator<Buffer> {
        try {
          for await (const chunk of records) {
            // Armed while the chunk waits for the client to take it: a reader that stopped (or
            // crawls) would otherwise hold the Zoho download and its slot for as long as it likes.
            const stall = setTimeout(() => {
              log.warn({ tenantId, exportId: id, stallTimeoutMs }, 'export client stalled; download cut off');
              gone.abort();
              // A reset, not a close: the kernel drops what the client has not read yet, so even a
              // crawling reader learns at once that the transfer broke.
              if (socket?.socket?.resetAndDestroy) socket.socket.resetAndDestroy();
              else socket?.destroy();
            }, stallTimeoutMs);
            try {
              yield chunk;
            } finally {
              clearTimeout(stall);
            }
          }
        } catch (err) {
          log.warn({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err), exportId: id }, 'export stream aborted');
          if (!socket) throw err;
          socket.destroy();
        } finally {
          slot();
        }
      }
      const iterator = guarded();
      // The client gone: the server adapter waits for a 'drain' that never comes and never cancels
      // the body, so end the records here (the Zoho download closes with them).
      socket?.once?.('close', () => {
        if (!socket.writableFinished) void iterator.return(undefined).catch(() => undefined);
      });
      // Pulled one chunk at a time (highWaterMark 0): nothing is read from Zoho ahead of what the
      // client takes, so a stalled client shows as a chunk nobody pulls.
      const body = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            const next = await iterator.next();
            if (next.done) controller.close();
            else controller.enqueue(next.value);
          },
          async cancel() {
            await iterator.return(undefined);
          },
        },
        { highWaterMark: 0 },
      );
      return new Response(body, {
        status: 200,
        headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'private, no-store', 'content-disposition': `attachment; filename="${id}.ndjson"` },
      });
    },
  };
}
