/**
 * Decoding and generating the gateway's own secret keys. Kept apart from the env schema so the
 * rules for what counts as a valid key live in one place.
 */
import { createHash, randomBytes } from 'node:crypto';

/** AES-256 needs exactly this many key bytes. */
export const ENCRYPTION_KEY_BYTES = 32;

/** Minimum JWT_SECRET length in characters; HS256 wants at least 256 bits of key. */
export const MIN_JWT_SECRET_CHARS = 32;

const HEX_64 = /^[0-9a-fA-F]{64}$/;
// 32 bytes are 43 base64 characters plus one `=` of padding; accept both alphabets.
const BASE64_32_BYTES = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * TOKEN_ENCRYPTION_KEY as bytes: 64 hex characters, or base64/base64url of 32 bytes.
 * Hex is tried first because 64 hex characters are also valid base64 (of 48 bytes).
 * Returns undefined when the text is neither.
 */
export function decodeEncryptionKey(text: string): Buffer | undefined {
  if (HEX_64.test(text)) return Buffer.from(text, 'hex');
  if (!BASE64_32_BYTES.test(text)) return undefined;
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === ENCRYPTION_KEY_BYTES ? bytes : undefined;
}

/**
 * A short public name for a key, stored beside each ciphertext so a later key rotation knows which
 * key sealed a value. It is a truncated SHA-256 of the key under a fixed label: 8 hex characters
 * say which key it was without saying anything useful about the key itself.
 */
export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update('zgw-key-id\0').update(key).digest('hex').slice(0, 8);
}

/** A fresh random AES-256 key (32 bytes), for demo mode. */
export function randomEncryptionKey(): Buffer {
  return randomBytes(ENCRYPTION_KEY_BYTES);
}

/** A fresh random HS256 secret (48 random bytes as 64 base64url characters), for demo mode. */
export function randomJwtSecret(): string {
  return randomBytes(48).toString('base64url');
}
