/**
 * AES-256-GCM sealing of secret strings (Zoho access and refresh tokens) before they reach the
 * store, so a copy of the Redis dump or the SQLite file reveals nothing usable.
 *
 * Sealed format: `v1.<kid>.<iv>.<ciphertext>.<tag>`, the last three base64url.
 * - `v1` names this format, so it can change later without guessing.
 * - `kid` is the key's public id (config.tokenEncryption.keyId), so after a key rotation `decrypt`
 *   can pick the right key from a keyring while old values are re-sealed lazily.
 * - `iv` is 12 random bytes, fresh per value: GCM must never reuse an IV under one key, and at
 *   2^-96 per pair a random IV is safe far beyond the number of tokens we will ever seal.
 * - `tag` is GCM's 16-byte authentication tag. `v1.<kid>` is bound in as additional
 *   authenticated data, so a value cannot be relabelled to another key id either.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A key that can seal values: config.tokenEncryption has this shape. */
export interface EncryptionKey {
  /** 32 bytes. */
  readonly key: Uint8Array;
  /** Public key id written into every sealed value; must not contain `.`. */
  readonly keyId: string;
}

/** A string produced by `encrypt`. Branded so sealed and plain text are not mixed up by accident. */
export type SealedString = string & { readonly __sealed: true };

/** Decryption failed: malformed input, unknown key id, or a failed authentication check. */
export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
}

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
/** GCM IV length in bytes (the size GCM is designed for). */
const IV_BYTES = 12;
/** GCM authentication tag length in bytes (the full tag). */
const TAG_BYTES = 16;
/** AES-256 key length in bytes. */
const KEY_BYTES = 32;

function checkKey(key: EncryptionKey): void {
  if (key.key.length !== KEY_BYTES) throw new TypeError(`encryption key must be ${KEY_BYTES} bytes`);
  if (key.keyId === '' || key.keyId.includes('.')) {
    throw new TypeError('encryption key id must be non-empty and contain no "."');
  }
}

/** Seals `plaintext` under `key`; each call uses a fresh random IV, so equal inputs differ. */
export function encrypt(plaintext: string, key: EncryptionKey): SealedString {
  checkKey(key);
  const header = `${VERSION}.${key.keyId}`;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(header, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [header, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join(
    '.',
  ) as SealedString;
}

/** True if `value` has the sealed format (it says nothing about whether it will decrypt). */
export function isSealed(value: unknown): value is SealedString {
  return typeof value === 'string' && /^v1\.[^.]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(value);
}

/**
 * Opens a value sealed by `encrypt`. `keys` is the current key or a keyring (current and retired
 * keys); the value's key id picks which one. Throws DecryptionError on any failure.
 */
export function decrypt(sealed: string, keys: EncryptionKey | readonly EncryptionKey[]): string {
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) {
    throw new DecryptionError('not a sealed value (expected v1.<kid>.<iv>.<ciphertext>.<tag>)');
  }
  const [version, keyId, ivText, ciphertextText, tagText] = parts as [string, string, string, string, string];
  const keyring = Array.isArray(keys) ? (keys as readonly EncryptionKey[]) : [keys as EncryptionKey];
  const key = keyring.find((candidate) => candidate.keyId === keyId);
  if (key === undefined) {
    throw new DecryptionError(`value was sealed with key id "${keyId}", which is not among the configured keys`);
  }
  checkKey(key);
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new DecryptionError('sealed value is malformed (wrong IV or tag length)');
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${version}.${keyId}`, 'utf8'));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]);
    return plaintext.toString('utf8');
  } catch {
    // Node says only "Unsupported state or unable to authenticate data"; say what it means.
    throw new DecryptionError('sealed value failed authentication: it was altered, or sealed with a different key');
  }
}
