import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * A tiny router for the emulator: enough to match Zoho's path shapes and to name each route
 * (the name is what the per-route call counters count).
 */

export interface EmulatorRequest {
  method: string;
  /** Path without the query string, e.g. `/crm/v8/Deals/123`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Path parameters named in the route pattern (`:module` → `params.module`). */
  params: Record<string, string>;
  /** Raw body as text ('' when there is none). */
  body: string;
  /** The route's name, e.g. `GET /crm/v8/:module`. */
  route: string;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** A JSON-serialisable body; `undefined` sends no body at all (Zoho's 204). */
  body?: unknown;
  /** For redirects and HTML pages: sent as is instead of JSON. */
  raw?: string;
  /** A streamed binary body (the Bulk Read result ZIP), sent as it is produced. */
  stream?: AsyncIterable<Buffer>;
}

export type Handler = (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse>;

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  /** Routes match in the order they are added: add literal paths before parameterised ones. */
  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, pattern, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = route.segments[i]!;
        const part = parts[i]!;
        if (seg.startsWith(':')) params[seg.slice(1)] = decodeURIComponent(part);
        else if (seg !== part) {
          ok = false;
          break;
        }
      }
      if (ok) return { route, params };
    }
    return undefined;
  }

  /** True when some route has this path with another method (for Zoho's 405). */
  hasPath(path: string): boolean {
    return ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].some((m) => this.match(m, path) !== undefined);
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function send(res: ServerResponse, out: EmulatorResponse): void {
  const headers: Record<string, string> = { ...(out.headers ?? {}) };
  if (out.stream !== undefined) {
    res.writeHead(out.status, headers);
    Readable.from(out.stream)
      .on('error', (err) => res.destroy(err))
      .pipe(res);
    return;
  }
  if (out.raw !== undefined) {
    res.writeHead(out.status, headers);
    res.end(out.raw);
    return;
  }
  if (out.body === undefined) {
    res.writeHead(out.status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(out.body);
  headers['content-type'] ??= 'application/json;charset=UTF-8';
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(out.status, headers);
  res.end(text);
}
