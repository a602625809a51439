import { errors } from 'jose';

/**
 * A caller-facing reason for a jose verification failure. jose's own messages are precise but
 * some quote claim values; these are fixed phrases, so nothing from the token reaches a response
 * or a log line.
 */
export function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'exp':
        return error.reason === 'missing' ? 'token has no exp claim' : 'token exp claim is not a valid time';
      case 'nbf':
        return error.reason === 'check_failed' ? 'token is not yet valid (nbf)' : 'token nbf claim is not a valid time';
      case 'iat':
        return 'token iat claim is not a valid time';
      case 'iss':
        return error.reason === 'missing' ? 'token has no iss claim' : 'token issuer is not accepted';
      case 'aud':
        return error.reason === 'missing' ? 'token has no aud claim' : 'token audience is not accepted';
      default:
        return 'token claims are invalid';
    }
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'invalid signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token algorithm is not accepted';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no signing key matches the token';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'more than one signing key matches the token';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'bearer token is not a well-formed JWT';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'the signing keys could not be loaded';
  // Anything else is ours or the network's (a JWKS fetch that failed), not the token's.
  return 'the token could not be verified';
}
