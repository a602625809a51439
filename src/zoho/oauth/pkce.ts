/**
 * PKCE (RFC 7636) for the consent flow. Zoho Accounts documents `code_challenge`,
 * `code_challenge_method` (S256 or plain) on /oauth/v2/auth and `code_verifier` on the token call:
 * https://www.zoho.com/accounts/protocol/oauth/mobile-and-desktop-apps/get-authorization-code.html
 * and .../mobile-and-desktop-apps/get-access-token.html. A code stolen on its way back (a leaked
 * redirect, a log, a proxy) is then useless without the verifier, which never leaves the gateway.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface PkcePair {
  /** 43 characters of base64url (32 random bytes): RFC 7636 §4.1. */
  verifier: string;
  /** BASE64URL(SHA-256(verifier)): RFC 7636 §4.2, method S256. */
  challenge: string;
}

/** The S256 challenge of a verifier. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256Challenge(verifier) };
}
