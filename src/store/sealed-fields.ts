/**
 * Sealing selected string fields of a record (e.g. a token record's accessToken and refreshToken)
 * while leaving the rest readable, so expiry times and ids stay usable without the key.
 */
import { decrypt, DecryptionError, encrypt, isSealed, type EncryptionKey, type SealedString } from './crypto.js';

/** Keys of T whose values are strings (optionally absent). */
export type StringFields<T> = {
  [P in keyof T]-?: T[P] extends string | undefined | null ? P : never;
}[keyof T] &
  string;

/** T with the fields K sealed (absent/null fields stay absent/null). */
export type Sealed<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: SealedString | Exclude<T[P], string>;
};

/** A sealed record with the fields K opened back to plain strings. */
export type Opened<S, K extends keyof S> = Omit<S, K> & {
  [P in K]: string | Exclude<S[P], SealedString>;
};

/** A copy of `record` with each field named in `fields` sealed under `key`. */
export function sealSecrets<T extends object, K extends StringFields<T>>(
  record: T,
  fields: readonly K[],
  key: EncryptionKey,
): Sealed<T, K> {
  const copy = { ...record } as Record<string, unknown>;
  for (const field of fields) {
    const value = copy[field];
    if (typeof value === 'string') copy[field] = encrypt(value, key);
  }
  return copy as Sealed<T, K>;
}

/**
 * A copy of `record` with each field named in `fields` opened. A named field holding a string
 * that is not sealed is an error rather than passed through: plaintext where a sealed value
 * belongs means the stored data was not written by us.
 */
export function openSecrets<S extends object, K extends keyof S & string>(
  record: S,
  fields: readonly K[],
  keys: EncryptionKey | readonly EncryptionKey[],
): Opened<S, K> {
  const copy = { ...record } as Record<string, unknown>;
  for (const field of fields) {
    const value = copy[field];
    if (value === undefined || value === null) continue;
    if (!isSealed(value)) throw new DecryptionError(`field "${field}" is not a sealed value`);
    copy[field] = decrypt(value, keys);
  }
  return copy as Opened<S, K>;
}
