/**
 * AES-256-GCM sealing of secret strings (Zoho access and refresh tokens, channel tokens, webhook
 * secrets) before they reach the store, so a copy of the Redis dump or the SQLite file reveals
 * nothing usable — and a value moved to another record or field opens nowhere.
 *
 * Sealed format: `v2.<kid>.<iv>.<ciphertext>.<tag>`, the last three base64url.
 * - `v2` names this format; `v1` values (sealed before values were bound to their place) are
 *   recognised but open only through `decryptLegacyV1`, which the key rotation alone uses.
 * - `kid` is the key's public id (config.tokenEncryption.keyId), so after a key rotation `decrypt`
 *   can pick the right key from a keyring while old values are re-sealed lazily.
 * - `iv` is 12 random bytes, fresh per value: GCM must never reuse an IV under one key, and at
 *   2^-96 per pair a random IV is safe far beyond the number of tokens we will ever seal.
 * - `tag` is GCM's 16-byte authentication tag over the ciphertext and the additional data
 *   `["v2", kid, storeKey, field, ...context]` (JSON, so no part can bleed into the next). The
 *   place is not written into the value: it is where the value is found. Whoever can write to the
 *   store but lacks the key can therefore not relabel the key id, nor move a sealed value to
 *   another record (another tenant), another field (access ↔ refresh token), or keep it while
 *   changing the cleartext facts named in `context` (a channel's tenant, a webhook's URL).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A key that can seal values: config.tokenEncryption has this shape. */
export interface EncryptionKey {
  /** 32 bytes. */
  readonly key: Uint8Array;
  /** Public key id written into every sealed value; must not contain `.`. */
  readonly keyId: string;
}

/** Where a sealed value lives: it opens only when read back from exactly there. */
export interface SealedPlace {
  /** The record's logical store key (e.g. `conn:acme:default`), without the store's prefix or namespace. */
  readonly storeKey: string;
  /** The record field holding the value (e.g. `refreshToken`). */
  readonly field: string;
  /**
   * Cleartext facts of the record the value must stay with, when the store key does not name them
   * (a watch channel's tenant and connection, say). Changing any of them makes the value unreadable.
   */
  readonly context?: readonly string[];
}

/** A string produced by `encrypt`. Branded so sealed and plain text are not mixed up by accident. */
export type SealedString = string & { readonly __sealed: true };

/** Decryption failed: malformed input, unknown key id, or a failed authentication check. */
export class DecryptionError extends Error {
  override readonly name: string = 'DecryptionError';
  /**
   * `unknown-key`: no configured key has the value's key id (an operator must add it).
   * `legacy`: a `v1` value, not bound to its place (migrate with `npm run keys:rotate -- --migrate-v1`).
   * `authentication`: GCM refused it: altered, moved to another record or field, or a different key.
   * `malformed`: not a sealed value at all.
   */
  constructor(
    message: string,
    readonly kind: 'unknown-key' | 'legacy' | 'authentication' | 'malformed',
  ) {
    super(message);
  }
}

const VERSION = 'v2';
const LEGACY_VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
/** GCM IV length in bytes (the size GCM is designed for). */
const IV_BYTES = 12;
/** GCM authentication tag length in bytes (the full tag). */
const TAG_BYTES = 16;
/** AES-256 key length in bytes. */
const KEY_BYTES = 32;
const FORMAT = /^(v1|v2)\.([^.]+)\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

function checkKey(key: EncryptionKey): void {
  if (key.key.length !== KEY_BYTES) throw new TypeError(`encryption key must be ${KEY_BYTES} bytes`);
  if (key.keyId === '' || key.keyId.includes('.')) {
    throw new TypeError('encryption key id must be non-empty and contain no "."');
  }
}

function checkPlace(place: SealedPlace): void {
  // An empty place would bind nothing: refuse it rather than seal an unbound value by mistake.
  if (!place || typeof place.storeKey !== 'string' || place.storeKey === '' || typeof place.field !== 'string' || place.field === '') {
    throw new TypeError('a sealed value must be bound to a store key and a field');
  }
}

function additionalData(keyId: string, place: SealedPlace): Buffer {
  return Buffer.from(JSON.stringify([VERSION, keyId, place.storeKey, place.field, ...(place.context ?? [])]), 'utf8');
}

/** Seals `plaintext` under `key`, bound to `place`; each call uses a fresh random IV, so equal inputs differ. */
export function encrypt(plaintext: string, key: EncryptionKey, place: SealedPlace): SealedString {
  checkKey(key);
  checkPlace(place);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(key.keyId, place));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, key.keyId, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.') as SealedString;
}

/** True if `value` has a sealed format, current or legacy (it says nothing about whether it will open). */
export function isSealed(value: unknown): value is SealedString {
  return typeof value === 'string' && FORMAT.test(value);
}

/** The format version and key id of a sealed value, or undefined when it is not one. */
export function sealedFormat(value: unknown): { version: 'v1' | 'v2'; keyId: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = FORMAT.exec(value);
  return m ? { version: m[1] as 'v1' | 'v2', keyId: m[2]! } : undefined;
}

/**
 * Opens a value sealed by `encrypt` for `place`. `keys` is the current key or a keyring (current
 * and retired keys); the value's key id picks which one. Throws DecryptionError on any failure,
 * including a legacy `v1` value (kind `legacy`): those carry no binding and are never opened here.
 */
export function decrypt(sealed: string, keys: EncryptionKey | readonly EncryptionKey[], place: SealedPlace): string {
  checkPlace(place);
  const parts = split(sealed);
  if (parts.version === LEGACY_VERSION) {
    throw new DecryptionError('value is in the legacy v1 format, not bound to its record; run `npm run keys:rotate` to migrate it', 'legacy');
  }
  return open(parts, keys, additionalData(parts.keyId, place));
}

/**
 * Opens a legacy `v1` value (additional data `v1.<kid>` only). For the key rotation's migration
 * alone: such a value proves nothing about which record it belongs to, so the caller must check
 * that independently before re-sealing it bound.
 */
export function decryptLegacyV1(sealed: string, keys: EncryptionKey | readonly EncryptionKey[]): string {
  const parts = split(sealed);
  if (parts.version !== LEGACY_VERSION) throw new DecryptionError('not a legacy v1 sealed value', 'malformed');
  return open(parts, keys, Buffer.from(`${LEGACY_VERSION}.${parts.keyId}`, 'utf8'));
}

interface Parts {
  version: string;
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function split(sealed: string): Parts {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  if (parts.length !== 5 || (parts[0] !== VERSION && parts[0] !== LEGACY_VERSION)) {
    throw new DecryptionError('not a sealed value (expected v2.<kid>.<iv>.<ciphertext>.<tag>)', 'malformed');
  }
  const [version, keyId, ivText, ciphertextText, tagText] = parts as [string, string, string, string, string];
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new DecryptionError('sealed value is malformed (wrong IV or tag length)', 'malformed');
  }
  return { version, keyId, iv, ciphertext: Buffer.from(ciphertextText, 'base64url'), tag };
}

function open(parts: Parts, keys: EncryptionKey | readonly EncryptionKey[], aad: Buffer): string {
  const keyring = Array.isArray(keys) ? (keys as readonly EncryptionKey[]) : [keys as EncryptionKey];
  const key = keyring.find((candidate) => candidate.keyId === parts.keyId);
  if (key === undefined) {
    throw new DecryptionError(`value was sealed with key id "${parts.keyId}", which is not among the configured keys`, 'unknown-key');
  }
  checkKey(key);
  try {
    const decipher = createDecipheriv(ALGORITHM, key.key, parts.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    // Node says only "Unsupported state or unable to authenticate data"; say what it means.
    throw new DecryptionError('sealed value failed authentication: it was altered, moved to another record or field, or sealed with a different key', 'authentication');
  }
}
