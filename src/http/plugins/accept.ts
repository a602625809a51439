import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../../errors.js';

/**
 * The media types Yoga's result processors can answer with (graphql-yoga's
 * use-result-processor.ts: SSE, multipart, then the regular JSON ones).
 */
const SERVED = ['text/event-stream', 'multipart/mixed', 'application/graphql-response+json', 'application/json'];

/**
 * Yoga picks the result processor from `Accept` only after the operation ran, so a mutation
 * with an `Accept` nothing can serve (`text/csv`) used to be executed and then answered 406 with
 * no body: a client retrying with a corrected header wrote twice. This refuses such a request
 * before it is parsed. The error is never shown (the client accepts no format the gateway
 * writes): Yoga still answers 406 with its `accept` header, and the access log says NOT_ACCEPTABLE.
 *
 * The header is read as Yoga reads it (result-processor/accept.ts: whitespace dropped, lower
 * case, only utf-8 charsets, `*` wildcards), so this refuses exactly what Yoga would answer 406
 * for every kind of result.
 */
export function useAcceptCheck(): Plugin {
  return {
    onRequestParse({ request }) {
      const accept = request.headers.get('accept');
      if (accept === null || servable(accept)) return;
      throw new GatewayError('NOT_ACCEPTABLE', `Accept names no media type the gateway answers with (${SERVED.join(', ')})`);
    },
  };
}

function servable(accept: string): boolean {
  for (const entry of accept.replace(/\s/g, '').toLowerCase().split(',')) {
    const [type = '', ...params] = entry.split(';');
    const charset = params.find((p) => p.includes('charset=')) ?? 'charset=utf-8';
    if (charset !== 'charset=utf-8') continue;
    const [pre, suf] = type.split('/');
    if (SERVED.some((s) => (pre === '*' || s.startsWith(`${pre}/`)) && (suf === '*' || s.endsWith(`/${suf}`)))) return true;
  }
  return false;
}
