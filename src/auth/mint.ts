/**
 * Development tokens: an HS256 JWT the gateway accepts, signed with JWT_SECRET. For local work,
 * tests and the demo; in production callers' tokens come from the product's own identity provider.
 */
import { SignJWT } from 'jose';
import { isIdentifier } from './identifier.js';

export interface MintDevTokenInput {
  /** JWT_SECRET of the gateway that will verify the token (at least 32 characters). */
  secret: string;
  /** `tid`: the tenant. */
  tenant: string;
  /** `sub`: who is calling. */
  subject: string;
  /** `scope`: space-separated, e.g. `org:read records:read:Leads`. Omitted: no scopes. */
  scope?: string;
  /** `cid`: the tenant's connection name. Omitted: the gateway uses `default`. */
  connection?: string;
  /** Lifetime in seconds. Default 43 200 (12 hours). */
  expiresInSec?: number;
  /** `iss`, when the gateway has JWT_ISSUER. */
  issuer?: string;
  /** `aud`, when the gateway has JWT_AUDIENCE. */
  audience?: string;
}

const IDENTIFIER_RULE = '1-64 characters of letters, digits, ".", "_" or "-"';

/** A signed HS256 JWT for `input`. Throws TypeError/RangeError for values the gateway would refuse. */
export async function mintDevToken(input: MintDevTokenInput): Promise<string> {
  const expiresInSec = input.expiresInSec ?? 3600 * 12;
  if (input.secret.length < 32) throw new RangeError('the secret must be at least 32 characters (the gateway refuses shorter JWT_SECRETs)');
  if (!isIdentifier(input.tenant)) throw new TypeError(`tenant must be ${IDENTIFIER_RULE}`);
  if (input.connection !== undefined && !isIdentifier(input.connection)) throw new TypeError(`connection must be ${IDENTIFIER_RULE}`);
  if (input.subject.trim() === '') throw new TypeError('subject must not be empty');
  if (!Number.isSafeInteger(expiresInSec) || expiresInSec <= 0) throw new RangeError('expiresInSec must be a positive whole number of seconds');

  const scope = input.scope
    ?.trim()
    .split(/\s+/)
    .filter((s) => s !== '')
    .join(' ');
  const jwt = new SignJWT({
    tid: input.tenant,
    ...(scope ? { scope } : {}),
    ...(input.connection !== undefined ? { cid: input.connection } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(input.subject)
    .setIssuedAt()
    .setExpirationTime(`${expiresInSec}s`);
  if (input.issuer !== undefined) jwt.setIssuer(input.issuer);
  if (input.audience !== undefined) jwt.setAudience(input.audience);
  return jwt.sign(new TextEncoder().encode(input.secret));
}
