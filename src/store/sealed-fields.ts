/**
 * Sealing selected string fields of a record (e.g. a token record's accessToken and refreshToken)
 * while leaving the rest readable, so expiry times and ids stay usable without the key. Every
 * sealed field is bound to the record's store key and its own field name (see crypto.ts).
 */
import { decrypt, decryptLegacyV1, DecryptionError, encrypt, isSealed, sealedFormat, type EncryptionKey, type SealedPlace, type SealedString } from './crypto.js';

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

/** Where a record lives: each of its sealed fields is bound to this plus the field's own name. */
export type RecordPlace = Omit<SealedPlace, 'field'>;

/** A copy of `record` with each field named in `fields` sealed under `key`, bound to `at` and the field. */
export function sealSecrets<T extends object, K extends StringFields<T>>(record: T, fields: readonly K[], key: EncryptionKey, at: RecordPlace): Sealed<T, K> {
  const copy = { ...record } as Record<string, unknown>;
  for (const field of fields) {
    const value = copy[field];
    if (typeof value === 'string') copy[field] = encrypt(value, key, { ...at, field });
  }
  return copy as Sealed<T, K>;
}

/**
 * A copy of `record` with each field named in `fields` opened, as stored at `at`. A named field
 * holding a string that is not sealed is an error rather than passed through: plaintext where a
 * sealed value belongs means the stored data was not written by us. So is a legacy `v1` value.
 */
export function openSecrets<S extends object, K extends keyof S & string>(record: S, fields: readonly K[], keys: EncryptionKey | readonly EncryptionKey[], at: RecordPlace): Opened<S, K> {
  const copy = { ...record } as Record<string, unknown>;
  for (const field of fields) {
    const value = copy[field];
    if (value === undefined || value === null) continue;
    if (!isSealed(value)) throw new DecryptionError(`field "${field}" is not a sealed value`, 'malformed');
    copy[field] = decrypt(value, keys, { ...at, field });
  }
  return copy as Opened<S, K>;
}

/**
 * For the key rotation: a copy of a stored record with every named field re-sealed under `key`
 * and bound to `at`. Current values must open at `at`. Legacy `v1` values (unbound) are opened
 * only with `migrateLegacy` (the one-time upgrade step; the caller must first have checked the
 * record belongs at `at` by other means), else refused like the gateway refuses them: a routine
 * rotation must not bind a value planted from an old dump to wherever it was planted.
 */
export function resealSecrets<S extends object, K extends keyof S & string>(
  record: S,
  fields: readonly K[],
  keys: readonly EncryptionKey[],
  key: EncryptionKey,
  at: RecordPlace,
  migrateLegacy = false,
): S {
  const copy = { ...record } as Record<string, unknown>;
  for (const field of fields) {
    const value = copy[field];
    if (value === undefined || value === null) continue;
    const format = sealedFormat(value);
    if (format === undefined) throw new DecryptionError(`field "${field}" is not a sealed value`, 'malformed');
    const place = { ...at, field };
    copy[field] = encrypt(openForReseal(value as string, format.version, keys, place, migrateLegacy), key, place);
  }
  return copy as S;
}

/**
 * One kind of record with sealed fields, as its repository declares it, so the key rotation
 * (ops/key-rotation.ts) can find and re-seal its values without knowing its keys or rules.
 */
export interface SealedRecords {
  /** Its name in reports and logs (`connections`, `channels`, `webhooks`). */
  kind: string;
  /** Store-key prefix of the records (on Redis, a SCAN under it finds records an index missed). */
  prefix: string;
  /** The sealed fields of a stored record. */
  fields: readonly string[];
  /** Ids (store keys without `prefix`) from the kind's own index. */
  indexed(): Promise<string[]>;
  /** Re-seals record `id` under the current key, reading it again first; `migrateLegacy` also migrates `v1` values. */
  reseal(id: string, migrateLegacy: boolean): Promise<void>;
}

/** A stored sealed value opened for re-sealing: bound values at `place`, `v1` ones only when migrating. */
export function openForReseal(value: string, version: 'v1' | 'v2', keys: readonly EncryptionKey[], place: SealedPlace, migrateLegacy: boolean): string {
  if (version === 'v2') return decrypt(value, keys, place);
  if (!migrateLegacy) throw new DecryptionError('value is sealed in the unbound v1 format; migrate it once with `npm run keys:rotate -- --migrate-v1`', 'legacy');
  return decryptLegacyV1(value, keys);
}
