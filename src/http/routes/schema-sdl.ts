import type { JwtVerifier } from '../../auth/jwt.js';
import type { TypedSchemas } from '../../typed/registry.js';
import type { Route } from '../plugins/routes.js';
import { bearerCaller, errorAnswer } from './answers.js';

export const SCHEMA_SDL_PATH = '/graphql/schema.graphql';

/**
 * `GET /graphql/schema.graphql`: the SDL of the caller's schema (its connection's typed CRM plus
 * the gateway's own types) for codegen, with `X-Schema-Hash`. Any valid JWT of the tenant; the
 * same exposure rule as introspection (INTROSPECTION), since it shows the same thing. While the
 * connection's first build runs it answers 503 with Retry-After rather than the generic SDL,
 * which would give codegen the wrong types without a word.
 */
export function schemaSdlRoute(verifier: JwtVerifier, typed: TypedSchemas, introspection: boolean): Route {
  return {
    method: 'GET',
    path: SCHEMA_SDL_PATH,
    async handle(request) {
      if (!introspection) return errorAnswer(404, 'NOT_FOUND', 'the schema is not published here (INTROSPECTION is off)');
      const caller = await bearerCaller(verifier, request);
      if (caller instanceof Response) return caller;
      const choice = await typed.forConnection(caller.tenantId, caller.connectionName);
      if (!choice.hash) return errorAnswer(503, 'SCHEMA_NOT_READY', 'the connection’s typed schema is not built yet (is a Zoho account connected?); try again shortly', { 'retry-after': '2' });
      return new Response(typed.printed(choice.schema), { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-schema-hash': choice.hash, 'cache-control': 'private, no-store' } });
    },
  };
}
