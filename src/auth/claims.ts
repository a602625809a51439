import type { JWTPayload } from 'jose';
import { GatewayError } from '../errors.js';
import type { Caller } from './caller.js';
import { isIdentifier } from './identifier.js';

/** The connection a caller uses when its token carries no `cid`. */
export const DEFAULT_CONNECTION_NAME = 'default';

function unauthenticated(message: string): GatewayError {
  return new GatewayError('UNAUTHENTICATED', message);
}

/**
 * The Caller described by a verified JWT's claims: `sub`, `tid`, optional `scope` (space-separated)
 * and optional `cid`. Throws GatewayError UNAUTHENTICATED naming the claim that is missing or
 * malformed. Claim values are not echoed: they came from whoever made the token.
 */
export function callerFromClaims(payload: JWTPayload): Caller {
  const { sub, tid, scope, cid } = payload as JWTPayload & Record<'tid' | 'scope' | 'cid', unknown>;
  if (sub === undefined) throw unauthenticated('token has no sub claim');
  if (typeof sub !== 'string' || sub.trim() === '') throw unauthenticated('token sub claim must be a non-empty string');
  if (tid === undefined) throw unauthenticated('token has no tid claim');
  if (!isIdentifier(tid)) {
    throw unauthenticated('token tid claim must be 1-64 characters of letters, digits, ".", "_" or "-"');
  }
  if (cid !== undefined && !isIdentifier(cid)) {
    throw unauthenticated('token cid claim must be 1-64 characters of letters, digits, ".", "_" or "-"');
  }
  if (scope !== undefined && typeof scope !== 'string') {
    throw unauthenticated('token scope claim must be a space-separated string');
  }
  return {
    subject: sub,
    tenantId: tid,
    connectionName: cid ?? DEFAULT_CONNECTION_NAME,
    scopes: new Set((scope ?? '').split(/\s+/).filter((s) => s !== '')),
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
  };
}
