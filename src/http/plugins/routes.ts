import type { Plugin } from 'graphql-yoga';

/** A plain HTTP route served beside `/graphql` (OAuth callback, webhooks, …). */
export interface Route {
  method: 'GET' | 'POST';
  /** Exact path, e.g. `/oauth/zoho/callback`. */
  path: string;
  handle(request: Request, url: URL): Promise<Response> | Response;
}

/**
 * Serves non-GraphQL routes from inside Yoga, so one fetch handler (and `yoga.fetch` in tests)
 * covers the whole gateway.
 */
export function useRoutes(routes: readonly Route[]): Plugin {
  return {
    async onRequest({ request, url, endResponse }) {
      const route = routes.find((r) => r.path === url.pathname && r.method === request.method);
      if (route) endResponse(await route.handle(request, url));
    },
  };
}
