import { GatewayError } from '../errors.js';

/**
 * Longest token accepted, in characters. Real JWTs are well under 2 KB; the cap keeps a hostile
 * header from costing base64 and JSON work before the signature is even looked at.
 */
export const MAX_TOKEN_CHARS = 8192;

// Three base64url segments; the signature may be empty so that an unsigned (`alg: none`) token
// reaches the check that names it instead of failing here as "malformed".
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The JWT from an `Authorization: Bearer <jwt>` header (scheme case-insensitive, RFC 7235).
 * Throws GatewayError UNAUTHENTICATED saying what is wrong, never echoing the header.
 */
export function bearerToken(authorizationHeader: string | null | undefined): string {
  const header = authorizationHeader?.trim() ?? '';
  if (header === '') throw new GatewayError('UNAUTHENTICATED', 'missing bearer token');
  const match = /^([A-Za-z]+)(?:\s+(.*))?$/s.exec(header);
  if (match === null || match[1]?.toLowerCase() !== 'bearer') {
    throw new GatewayError('UNAUTHENTICATED', 'the Authorization header must use the Bearer scheme');
  }
  const token = match[2]?.trim() ?? '';
  if (token === '') throw new GatewayError('UNAUTHENTICATED', 'missing bearer token');
  if (token.length > MAX_TOKEN_CHARS) throw new GatewayError('UNAUTHENTICATED', 'bearer token is too long');
  if (!COMPACT_JWS.test(token)) throw new GatewayError('UNAUTHENTICATED', 'bearer token is not a well-formed JWT');
  return token;
}
