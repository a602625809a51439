import type { Plugin } from 'graphql-yoga';

/** A plain HTTP route served beside `/graphql` (OAuth callback, webhooks, …). */
export interface Route {
  method: 'GET' | 'POST';
  /** Exact path, e.g. `/oauth/zoho/callback`; with `prefix`, the start of the path, e.g. `/webhooks/zoho/`. */
  path: string;
  /** Match every path that starts with `path` (ids in the path: `/webhooks/zoho/<channelId>`). */
  prefix?: boolean;
  handle(request: Request, url: URL): Promise<Response> | Response;
}

/**
 * Serves non-GraphQL routes from inside Yoga, so one fetch handler (and `yoga.fetch` in tests)
 * covers the whole gateway.
 */
export function useRoutes(routes: readonly Route[]): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      const route = routes.find((r) => r.method === request.method && (r.prefix ? url.pathname.startsWith(r.path) : r.path === url.pathname));
      if (route) endResponse(await route.handle(request, url));
    },
  };
}
