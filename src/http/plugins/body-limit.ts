import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../../errors.js';
import { declaresMoreThan, readAtMost } from '../read-body.js';

/**
 * MAX_BODY_BYTES (default 1,000,000): the largest request body. Yoga has no limit of its own and
 * would buffer any body to parse it. Refused with HTTP 413 and PAYLOAD_TOO_LARGE:
 *
 * - on every route, a declared `Content-Length` over the limit, before anything reads the body;
 * - on /graphql, a body without a length (chunked) is read only up to the limit and dropped there
 *   (a body with a length is left to Yoga's parser: node:http stops at the declared length).
 *
 * Both before the JWT is checked. The plain routes (webhooks, OAuth callback) read their bodies
 * through the same reader, each with its own limit (plugins/routes.ts).
 */
const DECIMAL = /^\d+$/;

export function useBodyLimit(maxBytes: number): Plugin {
  const tooLarge = () => {
    const err = new GatewayError('PAYLOAD_TOO_LARGE', `Request body larger than ${maxBytes} bytes (MAX_BODY_BYTES)`, { maximum: maxBytes });
    // The rest of the body stays unread: close the connection, or the client (still sending)
    // and the next request on this keep-alive socket would wait for each other.
    (err.extensions.http as { headers?: Record<string, string> }).headers = { connection: 'close' };
    return err;
  };
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (!declaresMoreThan(request, maxBytes)) return;
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
      // A declared length within the limit was let through by onRequest, and node:http delivers
      // no more body than Content-Length declares (a request with a second, conflicting framing
      // is refused by its parser): only a body without a length needs the capped reader.
      if (DECIMAL.test(request.headers.get('content-length') ?? '')) return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        const body = await readAtMost(req, maxBytes);
        if (body === undefined) throw tooLarge();
        return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, body }));
      });
    },
  };
}
