import type { JwtVerifier } from '../../auth/jwt.js';
import { GatewayError } from '../../errors.js';
import type { TypedSchemas } from '../../typed/registry.js';
import type { Route } from '../plugins/routes.js';

export const SCHEMA_SDL_PATH = '/graphql/schema.graphql';

function error(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

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
      if (!introspection) return error(404, 'NOT_FOUND', 'the schema is not published here (INTROSPECTION is off)');
      let caller;
      try {
        caller = await verifier.verify(request.headers.get('authorization'));
      } catch (err) {
        const e = err instanceof GatewayError ? err : new GatewayError('UNAUTHENTICATED', 'a valid bearer token is required');
        return error(401, e.code, e.message, { 'www-authenticate': 'Bearer' });
      }
      const choice = await typed.forConnection(caller.tenantId, caller.connectionName);
      if (!choice.hash) return error(503, 'SCHEMA_NOT_READY', 'the connection’s typed schema is not built yet (is a Zoho account connected?); try again shortly', { 'retry-after': '2' });
      return new Response(typed.printed(choice.schema), { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-schema-hash': choice.hash, 'cache-control': 'private, no-store' } });
    },
  };
}
