import { Readable } from 'node:stream';
import type { JwtVerifier } from '../../auth/jwt.js';
import { hasScope } from '../../auth/scopes.js';
import { GatewayError } from '../../errors.js';
import type { ExportService } from '../../export/export-service.js';
import { EXPORT_ID } from '../../export/jobs.js';
import type { Logger } from '../../log.js';
import type { Route } from '../plugins/routes.js';

export const EXPORTS_PATH = '/exports/';

function error(status: number, code: string, message: string, headers: Record<string, string> = {}, details: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code, ...details } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/**
 * `GET /exports/<id>.ndjson`: a completed bulk export's records, one JSON object per line, streamed
 * while Zoho's zipped CSV pages are read (../../export/export-service.ts). The caller's bearer JWT
 * must be of the tenant and connection that started the export (any other gets 404, as for an id
 * that never existed) and hold `records:read` for its module. Errors before the first byte are
 * JSON in the `/graphql` error shape; a failure after it (a later page's job failing at Zoho)
 * aborts the response, so a client never takes a cut-off body for a complete one.
 */
export function exportRoute(verifier: JwtVerifier, exports: ExportService, log: Logger): Route {
  return {
    method: 'GET',
    path: EXPORTS_PATH,
    prefix: true,
    async handle(request, url, _body, server) {
      let caller;
      try {
        caller = await verifier.verify(request.headers.get('authorization'));
      } catch (err) {
        const e = err instanceof GatewayError ? err : new GatewayError('UNAUTHENTICATED', 'a valid bearer token is required');
        return error(401, e.code, e.message, { 'www-authenticate': 'Bearer' });
      }
      const m = /^\/exports\/([^/]+)\.ndjson$/.exec(url.pathname);
      const id = m?.[1];
      if (!id || !EXPORT_ID.test(id)) return error(404, 'NOT_FOUND', 'no such export');
      let opened;
      try {
        // Scope first needs the job's module: a lookup under the caller's own tenant and
        // connection, so another tenant learns nothing but 404.
        opened = await exports.open(caller.tenantId, caller.connectionName, id, (job) => hasScope(caller, 'records:read', job.module));
      } catch (err) {
        if (err instanceof GatewayError) {
          const status = err.code === 'ZOHO_RATE_LIMITED' ? 429 : err.code === 'ZOHO_NOT_CONNECTED' || err.code === 'ZOHO_RECONNECT_REQUIRED' ? 409 : 502;
          return error(status, err.code, err.message);
        }
        log.error({ err, exportId: id }, 'export download failed');
        return error(500, 'INTERNAL', 'the export could not be read');
      }
      if ('refused' in opened) {
        const job = opened.job;
        switch (opened.refused) {
          case 'not_found':
            return error(404, 'NOT_FOUND', 'no such export');
          case 'forbidden':
            return error(403, 'FORBIDDEN', `this download needs the scope "records:read:${job!.module}" (or "records:read")`, {}, { scope: `records:read:${job!.module}` });
          case 'not_ready':
            return error(409, 'EXPORT_NOT_READY', `the export is ${job!.state}; poll bulkExport(id) until it is COMPLETED`, { 'retry-after': '5' }, { state: job!.state });
          case 'failed':
            return error(409, 'EXPORT_FAILED', job!.error ?? 'the export failed', {}, { state: 'FAILED' });
          case 'expired':
            return error(410, 'EXPORT_EXPIRED', 'Zoho no longer keeps this export’s result; start a new export', {}, { state: 'EXPIRED' });
        }
      }
      const records = opened.body;
      const socket = server?.res;
      // Past the headers an error can only cut the response off: destroy the socket, so the client
      // sees a broken transfer (no final chunk) rather than a short file that looks complete.
      // Handing the error to the server adapter instead would leave the response hanging open.
      async function* guarded(): AsyncGenerator<Buffer> {
        try {
          yield* records;
        } catch (err) {
          log.warn({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err), exportId: id }, 'export stream aborted');
          if (!socket) throw err;
          socket.destroy();
        }
      }
      return new Response(Readable.toWeb(Readable.from(guarded())) as ReadableStream<Uint8Array>, {
        status: 200,
        headers: { 'content-type': 'application/x-ndjson; charset=utf-8', 'cache-control': 'private, no-store', 'content-disposition': `attachment; filename="${id}.ndjson"` },
      });
    },
  };
}
