/**
 * Which JWS algorithms each kind of key may verify. Allow-listing per key is what stops
 * algorithm confusion: a token cannot pick an algorithm its key was never meant for (HS256 with
 * an RSA public key as the HMAC secret, or `none`).
 */
import { createPublicKey } from 'node:crypto';

/** HMAC algorithms, verified with JWT_SECRET only. */
export const SECRET_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;

/** Every asymmetric algorithm the gateway accepts; a JWKS key may use any of them. */
export const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;

export type SecretAlgorithm = (typeof SECRET_ALGORITHMS)[number];
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];
export type Algorithm = SecretAlgorithm | AsymmetricAlgorithm;

const KNOWN: ReadonlySet<string> = new Set<string>([...SECRET_ALGORITHMS, ...ASYMMETRIC_ALGORITHMS]);

/** True for an algorithm name this gateway knows (and so may safely print in a message). */
export function isKnownAlgorithm(alg: unknown): alg is Algorithm {
  return typeof alg === 'string' && KNOWN.has(alg);
}

// An EC key is bound to one curve, and each curve to exactly one ES algorithm (RFC 7518 §3.4).
const EC_CURVE_ALGORITHM: Readonly<Record<string, AsymmetricAlgorithm>> = {
  prime256v1: 'ES256',
  'P-256': 'ES256',
  secp384r1: 'ES384',
  'P-384': 'ES384',
  secp521r1: 'ES512',
  'P-521': 'ES512',
};

/**
 * The algorithms a PEM (SPKI) public key can verify, from its key type: RSA → RS256-512 and
 * PS256-512, EC → the one ES algorithm of its curve, Ed25519 → EdDSA (and its newer name
 * Ed25519). Throws an Error (a configuration problem, not a caller's) for any other key type,
 * including RSA-PSS-only SPKI keys, which WebCrypto cannot import.
 */
export function algorithmsForPublicKey(pem: string): readonly AsymmetricAlgorithm[] {
  const key = createPublicKey(pem);
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      const alg = curve === undefined ? undefined : EC_CURVE_ALGORITHM[curve];
      if (alg === undefined) throw new Error(`JWT_PUBLIC_KEY uses an unsupported EC curve (${curve ?? 'unknown'})`);
      return [alg];
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      throw new Error(`JWT_PUBLIC_KEY has an unsupported key type (${key.asymmetricKeyType ?? 'unknown'})`);
  }
}
