/**
 * The OAuth `state` of the connect flow: a compact JWS (HS256) that binds the callback to the
 * tenant, connection and data centre that started it, plus a random nonce whose store entry
 * makes each state usable once. The signature stops forgery, `exp` bounds its life, and deleting
 * the nonce on use stops replay (the delete is atomic on every backend, so of two racing
 * callbacks exactly one wins).
 *
 * The nonce's store entry also holds what must never travel through the browser or Zoho: the
 * `sub` of the user who started (the later confirm step must come from the same user) and the
 * PKCE code verifier (RFC 7636) the code exchange needs.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { GatewayError } from '../errors.js';
import type { Store } from '../store/index.js';
import { isIdentifier } from './identifier.js';

/** What a state carries through Zoho's consent screen and back. */
export interface OAuthStateData {
  tenantId: string;
  connectionName: string;
  /** Data-centre key the login started in (`us`, `eu`, `us-sandbox`, …). */
  dc: string;
  /** Where to send the browser afterwards; already checked against ALLOWED_RETURN_URLS. */
  returnTo?: string;
  /** `sub` of the caller who started: kept in the store entry, not in the URL. */
  subject: string;
  /** The PKCE code verifier (43-128 characters of RFC 7636's alphabet): kept in the store entry only. */
  codeVerifier: string;
}

/**
 * Counts a tenant's pending (issued, not yet used) states, so one tenant cannot fill the store
 * with them. `reserve` is false when the tenant already has its maximum.
 */
export interface PendingLimiter {
  reserve(tenantId: string, id: string, ttlMs: number): Promise<boolean>;
  release(tenantId: string, id: string): Promise<void>;
}

export interface OAuthStateServiceOptions {
  store: Store;
  /** HMAC key for the JWS, at least 32 bytes. Not JWT_SECRET: callers' tokens and states must not be interchangeable. */
  secret: Uint8Array;
  /** How long a state stays usable, in milliseconds. Default 600 000 (10 minutes). */
  ttlMs?: number;
  /** The current time in epoch milliseconds. Default `Date.now`. */
  now?: () => number;
  /** Caps pending states per tenant (MAX_PENDING_CONNECTS_PER_TENANT); none when absent. */
  pending?: PendingLimiter;
}

export interface OAuthStateService {
  /**
   * A new signed, single-use state for `input`, recorded in the store. Rejects with GatewayError
   * RATE_LIMITED when the tenant already has its maximum of pending states.
   */
  issue(input: OAuthStateData): Promise<string>;
  /**
   * The data `state` was issued for, and the state used up. Rejects with StateError `invalid`
   * (forged, tampered or malformed), `expired`, or `replayed` (already consumed, or unknown to
   * the store); rejects with the store's own error if the store fails.
   */
  consume(state: string): Promise<OAuthStateData>;
}

export type StateErrorReason = 'invalid' | 'expired' | 'replayed';

/**
 * Why a state was refused. Not a GatewayError: the OAuth callback is a browser redirect, not a
 * GraphQL response, and turns `reason` into `?zoho=error&reason=<reason>`.
 */
export class StateError extends Error {
  override readonly name = 'StateError';
  readonly reason: StateErrorReason;

  constructor(reason: StateErrorReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.reason = reason;
  }
}

/** Longest state issued, in characters: it travels in URLs, through Zoho and back. */
export const MAX_STATE_CHARS = 600;
/** Store key prefix of a state's nonce. */
export const STATE_KEY_PREFIX = 'oauth-state:';

const MIN_SECRET_BYTES = 32;
const NONCE_BYTES = 16;
// RFC 7636 §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~].
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
// Data-centre keys are short names from the table; anything else was never issued by us.
const DC_KEY = /^[A-Za-z0-9._-]{1,32}$/;
// The store entry outlives the JWS by this much (ms), so `exp` alone decides "expired" and a
// missing entry can only mean "already used", whatever small drift there is between our clock and
// the store's.
const STORE_GRACE_MS = 60_000;

/** The JWS payload. Short claim names keep the state short. */
interface StateClaims {
  n: string;
  t: string;
  c: string;
  d: string;
  r?: string;
  exp: number;
}

function claimsOf(payload: Record<string, unknown>): StateClaims | undefined {
  const { n, t, c, d, r, exp } = payload;
  const valid =
    typeof n === 'string' &&
    /^[A-Za-z0-9_-]{22}$/.test(n) &&
    isIdentifier(t) &&
    isIdentifier(c) &&
    typeof d === 'string' &&
    DC_KEY.test(d) &&
    (r === undefined || typeof r === 'string') &&
    typeof exp === 'number';
  return valid ? { n, t, c, d, exp, ...(r !== undefined ? { r } : {}) } : undefined;
}

/** The nonce's store entry. */
interface StateEntry {
  /** Issued at, epoch ms. */
  at: number;
  /** `sub` of the caller who started. */
  s: string;
  /** PKCE code verifier. */
  v: string;
  /** HMAC of (nonce, sub, verifier) under the state secret: a store writer cannot swap in another user. */
  m: string;
}

function isEntry(value: unknown): value is StateEntry {
  const e = value as Partial<StateEntry> | undefined;
  return typeof e === 'object' && e !== null && typeof e.at === 'number' && typeof e.s === 'string' && typeof e.v === 'string' && typeof e.m === 'string';
}

function entryMac(secret: Uint8Array, nonce: string, subject: string, verifier: string): string {
  return createHmac('sha256', secret)
    .update(JSON.stringify(['zgw:oauth-state-entry:v1', nonce, subject, verifier]))
    .digest('base64url');
}

function badInput(message: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message);
}

export function createOAuthStateService(options: OAuthStateServiceOptions): OAuthStateService {
  const { store, secret } = options;
  const ttlMs = options.ttlMs ?? 600_000;
  const now = options.now ?? Date.now;
  if (secret.byteLength < MIN_SECRET_BYTES) throw new RangeError(`the OAuth state secret must be at least ${MIN_SECRET_BYTES} bytes`);
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1000) throw new RangeError('ttlMs must be a whole number of milliseconds, at least 1000');

  return {
    async issue(input) {
      if (!isIdentifier(input.tenantId)) throw badInput('tenantId must be 1-64 characters of letters, digits, ".", "_" or "-"');
      if (!isIdentifier(input.connectionName)) throw badInput('connectionName must be 1-64 characters of letters, digits, ".", "_" or "-"');
      if (!DC_KEY.test(input.dc)) throw badInput('dc must be a data-centre key');
      if (typeof input.subject !== 'string' || input.subject.length === 0) throw badInput('the caller has no subject (sub)');
      if (!CODE_VERIFIER.test(input.codeVerifier)) throw new TypeError("codeVerifier must be 43-128 characters of RFC 7636's alphabet");

      const nonce = randomBytes(NONCE_BYTES).toString('base64url');
      const issuedAt = now();
      const claims: Omit<StateClaims, 'exp'> = {
        n: nonce,
        t: input.tenantId,
        c: input.connectionName,
        d: input.dc,
        ...(input.returnTo !== undefined ? { r: input.returnTo } : {}),
      };
      const state = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(Math.floor((issuedAt + ttlMs) / 1000))
        .sign(secret);
      // Checked on the result, not per field: only the whole state has to fit in a URL.
      if (state.length > MAX_STATE_CHARS) {
        throw badInput(`returnTo is too long to carry through the OAuth flow (the state must stay under ${MAX_STATE_CHARS} characters)`);
      }
      if (options.pending && !(await options.pending.reserve(input.tenantId, nonce, ttlMs + STORE_GRACE_MS))) {
        throw new GatewayError('RATE_LIMITED', 'Too many Zoho connects are pending for this tenant; finish or abandon one (they expire after 10 minutes)', {
          reason: 'too_many_pending_connects',
          retryAfterSec: Math.ceil(ttlMs / 1000),
        });
      }
      const entry: StateEntry = { at: issuedAt, s: input.subject, v: input.codeVerifier, m: entryMac(secret, nonce, input.subject, input.codeVerifier) };
      await store.set(`${STATE_KEY_PREFIX}${nonce}`, entry, ttlMs + STORE_GRACE_MS);
      return state;
    },

    async consume(state) {
      if (typeof state !== 'string' || state.length === 0 || state.length > MAX_STATE_CHARS) {
        throw new StateError('invalid', 'the OAuth state is missing or malformed');
      }
      let payload: Record<string, unknown>;
      try {
        ({ payload } = await jwtVerify(state, secret, {
          algorithms: ['HS256'],
          currentDate: new Date(now()),
          requiredClaims: ['exp'],
          // No leeway: the gateway checks its own clock against its own stamp.
          clockTolerance: 0,
        }));
      } catch (error) {
        if (error instanceof errors.JWTExpired) throw new StateError('expired', 'the OAuth state has expired', { cause: error });
        throw new StateError('invalid', 'the OAuth state is not one this gateway issued', { cause: error });
      }
      const claims = claimsOf(payload);
      if (claims === undefined) throw new StateError('invalid', 'the OAuth state is not one this gateway issued');
      const key = `${STATE_KEY_PREFIX}${claims.n}`;
      const entry = await store.get<unknown>(key);
      // Of two racing callbacks both may read the entry; only the one whose delete wins goes on.
      if (entry === undefined || !(await store.delete(key))) {
        throw new StateError('replayed', 'the OAuth state has already been used');
      }
      await options.pending?.release(claims.t, claims.n).catch(() => undefined);
      // An entry of another shape was written before states carried a subject and verifier.
      if (!isEntry(entry)) throw new StateError('invalid', 'the OAuth state was issued by an older version; start again');
      const mac = Buffer.from(entryMac(secret, claims.n, entry.s, entry.v));
      const given = Buffer.from(entry.m);
      if (mac.length !== given.length || !timingSafeEqual(mac, given)) throw new StateError('invalid', "the OAuth state's stored entry failed its integrity check");
      return {
        tenantId: claims.t,
        connectionName: claims.c,
        dc: claims.d,
        ...(claims.r !== undefined ? { returnTo: claims.r } : {}),
        subject: entry.s,
        codeVerifier: entry.v,
      };
    },
  };
}
