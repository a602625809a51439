/**
 * Verifies callers' bearer JWTs against whichever key sources are configured (JWT_SECRET,
 * JWT_PUBLIC_KEY, JWT_JWKS_URL) and turns the claims into a Caller.
 */
import { VerifiedTokenCache } from './verified-cache.js';
import { createRemoteJWKSet, decodeProtectedHeader, errors, importSPKI, jwtVerify } from 'jose';
import type { CryptoKey, JWTVerifyOptions, JWTVerifyResult } from 'jose';
import type { Config } from '../config/index.js';
import { GatewayError } from '../errors.js';
import { algorithmsForPublicKey, ASYMMETRIC_ALGORITHMS, isKnownAlgorithm, SECRET_ALGORITHMS, type Algorithm } from './algorithms.js';
import { bearerToken } from './bearer.js';
import type { Caller } from './caller.js';
import { callerFromClaims } from './claims.js';
import { describeJoseError } from './jose-errors.js';

export interface JwtVerifierOptions {
  /** Leeway for `exp`, `nbf` and `iat`, in seconds, for clocks that disagree a little. Default 5. */
  clockToleranceSec?: number;
  /** The current time in epoch milliseconds. Default `Date.now`; tests move it. */
  now?: () => number;
  /**
   * JWKS only: after a fetch, how long (ms) an unknown `kid` must wait before it may trigger
   * another fetch. Default 30 000 (jose's default), so a flood of made-up kids cannot turn into
   * a flood of requests to the identity provider. Tests set it to 0 to watch rotation at once.
   */
  jwksCooldownMs?: number;
  /** JWKS only: how long (ms) one fetch of the key set may take. Default 5000. */
  jwksTimeoutMs?: number;
}

export interface JwtVerifier {
  /**
   * The Caller named by an `Authorization` header's bearer JWT. Rejects with GatewayError
   * UNAUTHENTICATED and a reason (never the token) when the header, signature or claims are wrong.
   */
  verify(authorizationHeader: string | null): Promise<Caller>;
}

/** One configured way to check a signature, and the algorithms it may be asked to check. */
interface KeySource {
  readonly algorithms: readonly Algorithm[];
  verify(token: string, alg: Algorithm, options: JWTVerifyOptions): Promise<JWTVerifyResult>;
}

function secretSource(secret: string): KeySource {
  const key = new TextEncoder().encode(secret);
  const algorithms = SECRET_ALGORITHMS;
  return { algorithms, verify: (token, _alg, options) => jwtVerify(token, key, { ...options, algorithms: [...algorithms] }) };
}

function publicKeySource(pem: string): KeySource {
  const algorithms = algorithmsForPublicKey(pem);
  // WebCrypto binds an imported key to one algorithm, so an RSA key is imported once per RS/PS
  // variant, lazily, and kept.
  const imported = new Map<Algorithm, Promise<CryptoKey>>();
  const keyFor = (alg: Algorithm): Promise<CryptoKey> => {
    let key = imported.get(alg);
    if (key === undefined) {
      key = importSPKI(pem, alg);
      imported.set(alg, key);
    }
    return key;
  };
  return {
    algorithms,
    verify: async (token, alg, options) => jwtVerify(token, await keyFor(alg), { ...options, algorithms: [...algorithms] }),
  };
}

function jwksSource(url: string, opts: JwtVerifierOptions): KeySource {
  // jose caches the set (10 min) and refetches when a token names a kid it has not seen, which is
  // how a rotated signing key is picked up without a restart.
  const keySet = createRemoteJWKSet(new URL(url), {
    cooldownDuration: opts.jwksCooldownMs ?? 30_000,
    timeoutDuration: opts.jwksTimeoutMs ?? 5_000,
  });
  const algorithms = ASYMMETRIC_ALGORITHMS;
  return { algorithms, verify: (token, _alg, options) => jwtVerify(token, keySet, { ...options, algorithms: [...algorithms] }) };
}

/** Failures that mean "not this key": the next configured source may still verify the token. */
function tryNextSource(error: unknown): boolean {
  return error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey;
}

function unauthenticated(message: string, cause?: unknown): GatewayError {
  return new GatewayError('UNAUTHENTICATED', message, {}, { cause });
}

/**
 * A verifier for the configured key sources. Throws an Error at once when none is configured or
 * JWT_PUBLIC_KEY has a key type the gateway cannot use (configuration mistakes, found at start-up).
 */
export function createJwtVerifier(jwt: Config['jwt'], opts: JwtVerifierOptions = {}): JwtVerifier {
  // Order matters only when two sources accept the same algorithm (a PEM key and a JWKS): the
  // pinned PEM key is tried first, the JWKS after it.
  const sources: KeySource[] = [];
  if (jwt.secret !== undefined) sources.push(secretSource(jwt.secret));
  if (jwt.publicKey !== undefined) sources.push(publicKeySource(jwt.publicKey));
  if (jwt.jwksUrl !== undefined) sources.push(jwksSource(jwt.jwksUrl, opts));
  if (sources.length === 0) throw new Error('no JWT key source configured (JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL)');

  const clockTolerance = opts.clockToleranceSec ?? 5;
  const now = opts.now ?? Date.now;

  async function verifyToken(token: string): Promise<JWTVerifyResult> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated('bearer token is not a well-formed JWT');
    }
    if (alg === undefined) throw unauthenticated('token header has no alg');
    if (alg === 'none') throw unauthenticated('unsigned tokens (alg "none") are not accepted');
    // Only names from our own list are echoed: the header is the token's sender's text.
    if (!isKnownAlgorithm(alg)) throw unauthenticated('token algorithm is not supported');

    const candidates = sources.filter((source) => source.algorithms.includes(alg));
    if (candidates.length === 0) throw unauthenticated(`token algorithm ${alg} is not accepted by this gateway`);

    const options: JWTVerifyOptions = {
      clockTolerance,
      currentDate: new Date(now()),
      // A token that never expires is a credential that can never be taken back.
      requiredClaims: ['exp'],
      ...(jwt.issuer !== undefined ? { issuer: jwt.issuer } : {}),
      ...(jwt.audience !== undefined ? { audience: jwt.audience } : {}),
    };

    let signatureFailed: unknown;
    let lastError: unknown;
    for (const source of candidates) {
      try {
        return await source.verify(token, alg, options);
      } catch (error) {
        if (!tryNextSource(error)) throw unauthenticated(describeJoseError(error), error);
        if (error instanceof errors.JWSSignatureVerificationFailed) signatureFailed = error;
        lastError = error;
      }
    }
    // A signature that failed against a key is the more useful story than a JWKS without the kid.
    const reported = signatureFailed ?? lastError;
    throw unauthenticated(describeJoseError(reported), reported);
  }

  const cache = new VerifiedTokenCache(now);
  return {
    async verify(authorizationHeader) {
      const token = bearerToken(authorizationHeader);
      const cached = cache.get(token);
      if (cached) return cached;
      const { payload } = await verifyToken(token);
      const caller = callerFromClaims(payload);
      // Expiry is checked against the exact `exp` (no clock tolerance) once cached.
      cache.set(token, caller, payload.exp!, payload.nbf);
      return caller;
    },
  };
}
