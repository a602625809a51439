import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/config/keys.js';
import { decryptLegacyV1 } from '../../src/store/crypto.js';
import { legacyV1 } from '../tokens/helpers.js';
import { decrypt, DecryptionError, encrypt, isSealed, openSecrets, resealSecrets, sealedFormat, sealSecrets, type EncryptionKey, type SealedPlace } from '../../src/store/index.js';

function makeKey(): EncryptionKey {
  const key = randomBytes(32);
  return { key, keyId: keyIdOf(key) };
}

/** Replaces the `index`-th dot-separated part of a sealed value with a one-character change. */
function flipPart(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const part = parts[index]!;
  const bytes = Buffer.from(part, 'base64url');
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

const AT: SealedPlace = { storeKey: 'conn:acme:default', field: 'refreshToken' };

describe('encrypt/decrypt', () => {
  const key = makeKey();

  it('round-trips, including unicode and the empty string', () => {
    for (const text of ['1000.abc.def', 'ünïcødé ✓', '']) {
      expect(decrypt(encrypt(text, key, AT), key, AT)).toBe(text);
    }
  });

  it('writes v2.<kid>.<iv>.<ct>.<tag> with a fresh 12-byte IV each time', () => {
    const a = encrypt('same', key, AT);
    const b = encrypt('same', key, AT);
    expect(a).not.toBe(b);
    const [version, kid, iv, , tag] = a.split('.');
    expect(version).toBe('v2');
    expect(kid).toBe(key.keyId);
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(isSealed(a)).toBe(true);
    expect(sealedFormat(a)).toEqual({ version: 'v2', keyId: key.keyId });
    expect(isSealed('plain')).toBe(false);
    // The place is not written into the value: nothing about the tenant shows in it.
    expect(a).not.toContain('acme');
  });

  it('opens only at the store key and field it was sealed for', () => {
    const sealed = encrypt('refresh-token-value', key, AT);
    const elsewhere: SealedPlace[] = [
      { storeKey: 'conn:beta:default', field: 'refreshToken' }, // another tenant's record
      { storeKey: 'conn:acme:other', field: 'refreshToken' }, // another connection of the tenant
      { storeKey: 'conn:acme:default', field: 'accessToken' }, // another field of the same record
      { ...AT, context: ['eu'] }, // other cleartext facts than it was sealed with
    ];
    for (const place of elsewhere) {
      expect(() => decrypt(sealed, key, place), JSON.stringify(place)).toThrow(/failed authentication/);
    }
    const withContext = encrypt('x', key, { ...AT, context: ['us'] });
    expect(decrypt(withContext, key, { ...AT, context: ['us'] })).toBe('x');
    expect(() => decrypt(withContext, key, { ...AT, context: ['eu'] })).toThrow(/failed authentication/);
    expect(() => decrypt(withContext, key, AT)).toThrow(/failed authentication/);
  });

  it('keeps the parts of the place apart (no ambiguity from separators)', () => {
    const sealed = encrypt('x', key, { storeKey: 'a|b', field: 'c' });
    expect(() => decrypt(sealed, key, { storeKey: 'a', field: 'b|c' })).toThrow(/failed authentication/);
    const ctx = encrypt('x', key, { storeKey: 'k', field: 'f', context: ['a', 'b'] });
    expect(() => decrypt(ctx, key, { storeKey: 'k', field: 'f', context: ['a,b'] })).toThrow(/failed authentication/);
  });

  it('cannot seal or open without naming a place', () => {
    for (const place of [undefined, {}, { storeKey: '', field: 'f' }, { storeKey: 'k', field: '' }]) {
      expect(() => encrypt('x', key, place as unknown as SealedPlace)).toThrow(TypeError);
    }
    const sealed = encrypt('x', key, AT);
    expect(() => decrypt(sealed, key, undefined as unknown as SealedPlace)).toThrow(TypeError);
  });

  it('detects tampering with the IV, ciphertext or tag', () => {
    const sealed = encrypt('refresh-token-value', key, AT);
    for (const index of [2, 3, 4]) {
      expect(() => decrypt(flipPart(sealed, index), key, AT)).toThrow(DecryptionError);
      expect(() => decrypt(flipPart(sealed, index), key, AT)).toThrow(/failed authentication/);
    }
  });

  it('detects a value relabelled with another key id', () => {
    const other = makeKey();
    const sealed = encrypt('secret', key, AT);
    const relabelled = sealed.replace(`.${key.keyId}.`, `.${other.keyId}.`);
    // The attacker's label now points at `other`, but the key id is authenticated data.
    expect(() => decrypt(relabelled, [key, { key: key.key, keyId: other.keyId }], AT)).toThrow(/failed authentication/);
  });

  it('fails with a wrong key, naming the missing key id', () => {
    const sealed = encrypt('secret', key, AT);
    expect(() => decrypt(sealed, makeKey(), AT)).toThrow(/not among the configured keys/);
    // Same id but different bytes (a misconfigured keyring) fails authentication instead.
    expect(() => decrypt(sealed, { key: randomBytes(32), keyId: key.keyId }, AT)).toThrow(/failed authentication/);
  });

  it('picks the right key from a keyring (rotation)', () => {
    const old = makeKey();
    const sealedWithOld = encrypt('old secret', old, AT);
    expect(decrypt(sealedWithOld, [key, old], AT)).toBe('old secret');
  });

  it('refuses a legacy v1 value on the normal path, naming the migration', () => {
    const legacy = legacyV1('old refresh token', key);
    expect(isSealed(legacy)).toBe(true);
    expect(sealedFormat(legacy)).toEqual({ version: 'v1', keyId: key.keyId });
    let caught: unknown;
    try {
      decrypt(legacy, key, AT);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DecryptionError);
    expect((caught as DecryptionError).kind).toBe('legacy');
    expect((caught as DecryptionError).message).toContain('npm run keys:rotate');
    // Only the migration opens it, and it still authenticates the v1 header.
    expect(decryptLegacyV1(legacy, key)).toBe('old refresh token');
    expect(() => decryptLegacyV1(flipPart(legacy, 3), key)).toThrow(/failed authentication/);
    expect(() => decryptLegacyV1(encrypt('x', key, AT), key)).toThrow(/not a legacy/);
  });

  it('rejects malformed input clearly', () => {
    expect(() => decrypt('not-sealed', key, AT)).toThrow(/not a sealed value/);
    expect(() => decrypt('v3.a.b.c.d', key, AT)).toThrow(/not a sealed value/);
    const parts = encrypt('x', key, AT).split('.');
    parts[2] = Buffer.alloc(8).toString('base64url');
    expect(() => decrypt(parts.join('.'), key, AT)).toThrow(/malformed/);
  });

  it('refuses keys of the wrong size', () => {
    expect(() => encrypt('x', { key: randomBytes(16), keyId: 'short' }, AT)).toThrow(/32 bytes/);
  });
});

describe('sealSecrets/openSecrets', () => {
  const key = makeKey();
  const at = { storeKey: 'conn:acme:default' };
  interface TokenRecord {
    accessToken: string;
    refreshToken?: string;
    expiresAt: number;
    apiDomain: string;
  }
  const record: TokenRecord = {
    accessToken: '1000.access',
    refreshToken: '1000.refresh',
    expiresAt: 1_767_225_600_000,
    apiDomain: 'https://www.zohoapis.eu',
  };

  it('seals only the named fields and opens them again', () => {
    const sealed = sealSecrets(record, ['accessToken', 'refreshToken'], key, at);
    expect(isSealed(sealed.accessToken)).toBe(true);
    expect(isSealed(sealed.refreshToken)).toBe(true);
    expect(sealed.expiresAt).toBe(record.expiresAt);
    expect(sealed.apiDomain).toBe(record.apiDomain);
    expect(record.accessToken).toBe('1000.access'); // input untouched
    const opened: TokenRecord = openSecrets(sealed, ['accessToken', 'refreshToken'], key, at);
    expect(opened).toEqual(record);
  });

  it('binds each field to its own name: swapping two sealed fields fails', () => {
    const sealed = sealSecrets(record, ['accessToken', 'refreshToken'], key, at);
    const swapped = { ...sealed, accessToken: sealed.refreshToken!, refreshToken: sealed.accessToken };
    expect(() => openSecrets(swapped, ['accessToken', 'refreshToken'], key, at)).toThrow(/failed authentication/);
  });

  it('binds the record to its store key: the same record under another key fails', () => {
    const sealed = sealSecrets(record, ['accessToken', 'refreshToken'], key, at);
    expect(() => openSecrets(sealed, ['accessToken', 'refreshToken'], key, { storeKey: 'conn:beta:default' })).toThrow(/failed authentication/);
  });

  it('leaves absent optional fields absent', () => {
    const sealed = sealSecrets({ accessToken: 'a', expiresAt: 1 } as TokenRecord, ['accessToken', 'refreshToken'], key, at);
    expect('refreshToken' in sealed).toBe(false);
    expect(openSecrets(sealed, ['accessToken', 'refreshToken'], key, at)).toEqual({ accessToken: 'a', expiresAt: 1 });
  });

  it('refuses plaintext where a sealed value belongs', () => {
    expect(() => openSecrets({ accessToken: 'plain' }, ['accessToken'], key, at)).toThrow(/not a sealed value/);
  });
});

describe('resealSecrets (key rotation and v1 migration)', () => {
  const old = makeKey();
  const current = makeKey();
  const at = { storeKey: 'conn:acme:default', context: ['eu'] };

  it('migrates legacy v1 values into bound v2 values under the current key, only when asked', () => {
    const stored = { accessToken: legacyV1('1000.access', old), refreshToken: legacyV1('1000.refresh', old), expiresAt: 5 };
    // A routine rotation refuses them, like the gateway does.
    expect(() => resealSecrets(stored, ['accessToken', 'refreshToken'], [current, old], current, at)).toThrow(/--migrate-v1/);
    const resealed = resealSecrets(stored, ['accessToken', 'refreshToken'], [current, old], current, at, true);
    expect(sealedFormat(resealed.accessToken)).toEqual({ version: 'v2', keyId: current.keyId });
    expect(sealedFormat(resealed.refreshToken)).toEqual({ version: 'v2', keyId: current.keyId });
    expect(resealed.expiresAt).toBe(5);
    expect(openSecrets(resealed, ['accessToken', 'refreshToken'], current, at)).toEqual({ accessToken: '1000.access', refreshToken: '1000.refresh', expiresAt: 5 });
    // Bound now: the migrated value does not open elsewhere.
    expect(() => openSecrets(resealed, ['refreshToken'], current, { storeKey: 'conn:beta:default', context: ['eu'] })).toThrow(/failed authentication/);
  });

  it('re-seals bound values under the new key, and refuses one that was moved', () => {
    const stored = sealSecrets({ accessToken: 'a', refreshToken: 'r' }, ['accessToken', 'refreshToken'], old, at);
    const resealed = resealSecrets(stored, ['accessToken', 'refreshToken'], [current, old], current, at);
    expect(openSecrets(resealed, ['accessToken', 'refreshToken'], current, at)).toEqual({ accessToken: 'a', refreshToken: 'r' });
    // A v2 value is only re-sealed where it opens: rotation cannot launder a moved value.
    expect(() => resealSecrets(stored, ['accessToken'], [current, old], current, { storeKey: 'conn:beta:default', context: ['eu'] })).toThrow(/failed authentication/);
  });

  it('fails on a value no configured key opens', () => {
    const stored = { accessToken: legacyV1('a', makeKey()) };
    expect(() => resealSecrets(stored, ['accessToken'], [current, old], current, at, true)).toThrow(/not among the configured keys/);
  });
});
