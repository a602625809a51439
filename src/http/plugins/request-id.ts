import { randomUUID } from 'node:crypto';

const ids = new WeakMap<Request, string>();
const SAFE = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Gives every request an id: the caller's `x-request-id` when it looks like one (so a product's
 * own tracing carries through), else a fresh UUID. It is echoed in the response header.
 */
export function requestIdOf(request: Request): string {
  let id = ids.get(request);
  if (!id) {
    const given = request.headers.get('x-request-id');
    id = given && SAFE.test(given) ? given : randomUUID();
    ids.set(request, id);
  }
  return id;
}

export function echoRequestId(request: Request, response: Response): void {
  response.headers.set('x-request-id', requestIdOf(request));
}
