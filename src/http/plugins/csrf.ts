import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../../errors.js';

/**
 * CSRF: a browser lets any site send a "simple" cross-origin request — a form POST
 * (`application/x-www-form-urlencoded`, `multipart/form-data`, `text/plain`) or a GET — without
 * asking the server first (no CORS preflight). Yoga would parse such bodies as GraphQL, so a page
 * on another site could run an operation with whatever the browser attaches to it.
 *
 * So a POST to /graphql must say `Content-Type: application/json` (or Yoga's
 * `application/graphql+json`), which a browser only sends cross-site after a preflight that CORS
 * (./cors.ts) answers for allowed origins only. Anything else is refused with HTTP 415 and
 * CSRF_REFUSED before the body is read or the JWT checked. GET stays for queries: Yoga itself
 * refuses a mutation over GET with 405. The plain routes (OAuth callback, Zoho's webhook) are not
 * GraphQL requests and never reach this hook.
 */
const JSON_TYPES = ['application/json', 'application/graphql+json'];

export function useCsrfPrevention(): Plugin {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!JSON_TYPES.includes(type)) {
        throw new GatewayError('CSRF_REFUSED', 'POST /graphql needs Content-Type: application/json (form and plain-text bodies are refused against cross-site request forgery)', {
          contentType: type || null,
        });
      }
    },
  };
}
