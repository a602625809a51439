/**
 * The one way the gateway reads a request body: `/graphql` (plugins/body-limit.ts) and every plain
 * route (plugins/routes.ts). A body is read chunk by chunk and dropped the moment it grows past
 * its limit, so a chunked body of any size costs at most the limit in memory.
 */

/**
 * The body's bytes (empty when there is none), or undefined as soon as it grows past `max` bytes:
 * the stream is then cancelled and the rest is never read. The caller answers 413 with
 * `connection: close`, as the client may still be sending.
 */
export async function readAtMost(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** True when the request declares a `Content-Length` over `max` bytes (refused before reading). */
export function declaresMoreThan(request: Request, max: number): boolean {
  return Number(request.headers.get('content-length') ?? 0) > max;
}
