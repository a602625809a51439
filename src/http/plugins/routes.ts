import type { Plugin } from 'graphql-yoga';
import { declaresMoreThan, readAtMost } from '../read-body.js';

/** A plain HTTP route served beside `/graphql` (OAuth callback, webhooks, …). */
export interface Route {
  method: 'GET' | 'POST';
  /** Exact path, e.g. `/oauth/zoho/callback`; with `prefix`, the start of the path, e.g. `/webhooks/zoho/`. */
  path: string;
  /** Match every path that starts with `path` (ids in the path: `/webhooks/zoho/<channelId>`). */
  prefix?: boolean;
  /**
   * Largest body the route accepts, in bytes (default 0: none). The runner reads the body up to
   * this and answers 413 past it, so a route never buffers more than it declared.
   */
  maxBodyBytes?: number;
  /**
   * Answers the request. `body` is the request body, already read (`request.body` is consumed:
   * use `body`, never `request.text()`). `server` is the server adapter's context (`req`, `res` of
   * node:http when served by a node server; absent through `yoga.fetch`).
   */
  handle(request: Request, url: URL, body: Uint8Array, server?: { res?: { destroy(err?: Error): void } }): Promise<Response> | Response;
}

/** 413 for a plain route, in the same shape `/graphql` answers it. */
function tooLarge(max: number): Response {
  const body = { errors: [{ message: `Request body larger than ${max} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE', maximum: max } }] };
  // The rest of the body is never read: close the connection, or the client (still sending) and
  // the next request on this keep-alive socket would wait for each other.
  return new Response(JSON.stringify(body), { status: 413, headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' } });
}

/**
 * Serves non-GraphQL routes from inside Yoga, so one fetch handler (and `yoga.fetch` in tests)
 * covers the whole gateway. Every route's body goes through the same capped reader as `/graphql`
 * (../read-body.ts) before its handler runs.
 */
export function useRoutes(routes: readonly Route[]): Plugin {
  return {
    // Not async: a request for no route (every GraphQL request) passes without a promise to wait for.
    onRequest({ request, url, endResponse, serverContext }) {
      const route = routes.find((r) => r.method === request.method && (r.prefix ? url.pathname.startsWith(r.path) : r.path === url.pathname));
      if (!route) return;
      const max = route.maxBodyBytes ?? 0;
      if (declaresMoreThan(request, max)) return endResponse(tooLarge(max));
      return (async () => {
        const body = await readAtMost(request, max);
        endResponse(body === undefined ? tooLarge(max) : await route.handle(request, url, body, serverContext as { res?: { destroy(err?: Error): void } }));
      })();
    },
  };
}
