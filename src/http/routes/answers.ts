import type { Caller } from '../../auth/caller.js';
import type { JwtVerifier } from '../../auth/jwt.js';
import { GatewayError } from '../../errors.js';

/**
 * A plain route's error in the shape `/graphql` answers with (`errors[0].extensions.code`), never
 * cached: the routes that use it answer per caller.
 */
export function errorAnswer(status: number, code: string, message: string, headers: Record<string, string> = {}, details: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code, ...details } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/**
 * The verified caller of a plain route that takes the same bearer JWT as `/graphql`, or the 401
 * to answer (with `WWW-Authenticate: Bearer`); an unexpected verifier failure is a plain
 * UNAUTHENTICATED, never its message.
 */
export async function bearerCaller(verifier: JwtVerifier, request: Request): Promise<Caller | Response> {
  try {
    return await verifier.verify(request.headers.get('authorization'));
  } catch (err) {
    const e = err instanceof GatewayError ? err : new GatewayError('UNAUTHENTICATED', 'a valid bearer token is required');
    return errorAnswer(401, e.code, e.message, { 'www-authenticate': 'Bearer' });
  }
}
