import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/config/keys.js';
import {
  decrypt,
  DecryptionError,
  encrypt,
  isSealed,
  openSecrets,
  sealSecrets,
  type EncryptionKey,
} from '../../src/store/index.js';

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

describe('encrypt/decrypt', () => {
  const key = makeKey();

  it('round-trips, including unicode and the empty string', () => {
    for (const text of ['1000.abc.def', 'ünïcødé ✓', '']) {
      expect(decrypt(encrypt(text, key), key)).toBe(text);
    }
  });

  it('writes v1.<kid>.<iv>.<ct>.<tag> with a fresh 12-byte IV each time', () => {
    const a = encrypt('same', key);
    const b = encrypt('same', key);
    expect(a).not.toBe(b);
    const [version, kid, iv, , tag] = a.split('.');
    expect(version).toBe('v1');
    expect(kid).toBe(key.keyId);
    expect(Buffer.from(iv!, 'base64url')).toHaveLength(12);
    expect(Buffer.from(tag!, 'base64url')).toHaveLength(16);
    expect(isSealed(a)).toBe(true);
    expect(isSealed('plain')).toBe(false);
  });

  it('detects tampering with the IV, ciphertext or tag', () => {
    const sealed = encrypt('refresh-token-value', key);
    for (const index of [2, 3, 4]) {
      expect(() => decrypt(flipPart(sealed, index), key)).toThrow(DecryptionError);
      expect(() => decrypt(flipPart(sealed, index), key)).toThrow(/failed authentication/);
    }
  });

  it('detects a value relabelled with another key id', () => {
    const other = makeKey();
    const sealed = encrypt('secret', key);
    const relabelled = sealed.replace(`.${key.keyId}.`, `.${other.keyId}.`);
    // The attacker's label now points at `other`, but the header is authenticated data.
    expect(() => decrypt(relabelled, [key, { key: key.key, keyId: other.keyId }])).toThrow(/failed authentication/);
  });

  it('fails with a wrong key, naming the missing key id', () => {
    const sealed = encrypt('secret', key);
    expect(() => decrypt(sealed, makeKey())).toThrow(/not among the configured keys/);
    // Same id but different bytes (a misconfigured keyring) fails authentication instead.
    expect(() => decrypt(sealed, { key: randomBytes(32), keyId: key.keyId })).toThrow(/failed authentication/);
  });

  it('picks the right key from a keyring (rotation)', () => {
    const old = makeKey();
    const sealedWithOld = encrypt('old secret', old);
    expect(decrypt(sealedWithOld, [key, old])).toBe('old secret');
  });

  it('rejects malformed input clearly', () => {
    expect(() => decrypt('not-sealed', key)).toThrow(/not a sealed value/);
    expect(() => decrypt('v2.a.b.c.d', key)).toThrow(/not a sealed value/);
    const parts = encrypt('x', key).split('.');
    parts[2] = Buffer.alloc(8).toString('base64url');
    expect(() => decrypt(parts.join('.'), key)).toThrow(/malformed/);
  });

  it('refuses keys of the wrong size', () => {
    expect(() => encrypt('x', { key: randomBytes(16), keyId: 'short' })).toThrow(/32 bytes/);
  });
});

describe('sealSecrets/openSecrets', () => {
  const key = makeKey();
  interface TokenRecord {
    accessToken: string;
    refreshToken?: string;
    expiresAt: number;
    apiDomain: string;
  }

  it('seals only the named fields and opens them again', () => {
    const record: TokenRecord = {
      accessToken: '1000.access',
      refreshToken: '1000.refresh',
      expiresAt: 1_767_225_600_000,
      apiDomain: 'https://www.zohoapis.eu',
    };
    const sealed = sealSecrets(record, ['accessToken', 'refreshToken'], key);
    expect(isSealed(sealed.accessToken)).toBe(true);
    expect(isSealed(sealed.refreshToken)).toBe(true);
    expect(sealed.expiresAt).toBe(record.expiresAt);
    expect(sealed.apiDomain).toBe(record.apiDomain);
    expect(record.accessToken).toBe('1000.access'); // input untouched
    const opened: TokenRecord = openSecrets(sealed, ['accessToken', 'refreshToken'], key);
    expect(opened).toEqual(record);
  });

  it('leaves absent optional fields absent', () => {
    const sealed = sealSecrets({ accessToken: 'a', expiresAt: 1 } as TokenRecord, ['accessToken', 'refreshToken'], key);
    expect('refreshToken' in sealed).toBe(false);
    expect(openSecrets(sealed, ['accessToken', 'refreshToken'], key)).toEqual({ accessToken: 'a', expiresAt: 1 });
  });

  it('refuses plaintext where a sealed value belongs', () => {
    expect(() => openSecrets({ accessToken: 'plain' }, ['accessToken'], key)).toThrow(/not a sealed value/);
  });
});
