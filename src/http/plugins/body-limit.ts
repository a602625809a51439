import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../../errors.js';

/**
 * MAX_BODY_BYTES (default 1,000,000): the largest request body. Yoga has no limit of its own and
 * would buffer any body to parse it. Refused with HTTP 413 and PAYLOAD_TOO_LARGE:
 *
 * - on every route, a declared `Content-Length` over the limit, before anything reads the body;
 * - on /graphql, a body without a length (chunked) is read only up to the limit and dropped there.
 *
 * Both before the JWT is checked. The plain routes read their own bodies; with no length given
 * they rely on their own handling (Zoho's webhook sends small JSON with a length).
 */
export function useBodyLimit(maxBytes: number): Plugin {
  const tooLarge = () => {
    const err = new GatewayError('PAYLOAD_TOO_LARGE', `Request body larger than ${maxBytes} bytes (MAX_BODY_BYTES)`, { maximum: maxBytes });
    // The rest of the body stays unread: close the connection, or the client (still sending)
    // and the next request on this keep-alive socket would wait for each other.
    (err.extensions.http as { headers?: Record<string, string> }).headers = { connection: 'close' };
    return err;
  };
  const declaredTooLarge = (request: Request) => Number(request.headers.get('content-length') ?? 0) > maxBytes;
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (!declaredTooLarge(request)) return;
      const err = tooLarge();
      endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [{ message: err.message, extensions: { code: err.code, ...err.details } }] }), {
          status: 413,
          headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' },
        }),
      );
    },
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!requestParser || request.method !== 'POST' || !request.body) return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        const body = await readAtMost(req, maxBytes);
        if (body === undefined) throw tooLarge();
        return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body }));
      });
    },
  };
}

/** The body's bytes, or undefined as soon as it grows past `max` (the rest is never read). */
async function readAtMost(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const reader = request.body!.getReader();
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
