import type { YogaServerOptions } from 'graphql-yoga';

type CorsFactory = Extract<NonNullable<YogaServerOptions<Record<string, unknown>, Record<string, unknown>>['cors']>, (...args: never[]) => unknown>;

/**
 * Yoga's `cors` option from the allow-list CORS_ORIGINS (default: PUBLIC_URL's origin). A request
 * whose `Origin` is on the list gets `Access-Control-Allow-Origin: <that origin>` and
 * `Access-Control-Allow-Credentials: true`, and its preflight is answered with the methods and
 * headers /graphql uses; any other origin (and a request with no Origin: servers, curl) gets no
 * CORS header at all, so a browser keeps the answer from a foreign page. Yoga's own list handling
 * is not used because it echoes the single allowed origin to every caller.
 *
 * With `varyOnOrigin` (http/yoga.ts calls it on every answer), every answer to a request carrying
 * an Origin says `Vary: Origin`, so a cache never serves one origin's answer (with or without
 * CORS headers) to another.
 */
export function corsFromAllowList(origins: readonly string[]): CorsFactory {
  const allowed = new Set(origins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false;
    return {
      origin,
      credentials: true,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type', 'accept', 'x-request-id'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    };
  };
}

export function varyOnOrigin(request: Request, response: Response): void {
  if (!request.headers.get('origin')) return;
  const vary = response.headers.get('vary');
  if (!vary?.split(',').some((v) => v.trim().toLowerCase() === 'origin')) response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
}
