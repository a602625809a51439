/**
 * Reads what the backends physically hold, bypassing the Store, to prove sealed secrets never
 * reach Redis or the SQLite file in the clear. Each test first proves its raw read would have
 * seen a plaintext value, so a passing "not found" cannot come from reading the wrong place.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createClient } from '@keyv/redis';
import { afterAll, describe, expect, it } from 'vitest';
import { keyIdOf } from '../../src/config/keys.js';
import { createStore, openSecrets, sealSecrets, type EncryptionKey, type Sealed } from '../../src/store/index.js';
import { redisFixture, REDIS_URL, requireReachable, sqliteFixture, uniqueNamespace } from './backends.js';

const rawKey = randomBytes(32);
const key: EncryptionKey = { key: rawKey, keyId: keyIdOf(rawKey) };

interface TokenRecord {
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

function tokenRecord(): TokenRecord {
  return {
    accessToken: `1000.access-${randomUUID()}`,
    refreshToken: `1000.refresh-${randomUUID()}`,
    expiresAt: Date.now() + 3_600_000,
  };
}

describe('secrets at rest', () => {
  const sqlite = sqliteFixture();
  const redisNamespace = uniqueNamespace('raw');
  afterAll(async () => {
    await sqlite.cleanup('');
    await redisFixture().cleanup(redisNamespace);
  });

  it('Redis holds only ciphertext for sealed fields', async () => {
    const store = createStore(REDIS_URL, { namespace: redisNamespace });
    const raw = createClient({ url: REDIS_URL });
    try {
      await requireReachable(store, REDIS_URL);
      await raw.connect();
      const record = tokenRecord();
      const canary = `plaintext-canary-${randomUUID()}`;
      await store.set('tokens', sealSecrets(record, ['accessToken', 'refreshToken'], key, { storeKey: 'tokens' }));
      await store.set('canary', { note: canary });

      const storedCanary = await raw.get(store.keyFor('canary'));
      expect(storedCanary).toContain(canary);

      const stored = await raw.get(store.keyFor('tokens'));
      expect(stored).toBeTypeOf('string');
      expect(stored).not.toContain(record.accessToken);
      expect(stored).not.toContain(record.refreshToken);
      expect(stored).toContain(`v2.${key.keyId}.`);

      const back = await store.get<Sealed<TokenRecord, 'accessToken' | 'refreshToken'>>('tokens');
      expect(openSecrets(back!, ['accessToken', 'refreshToken'], key, { storeKey: 'tokens' })).toEqual(record);
    } finally {
      raw.destroy();
      await store.close();
    }
  });

  it('the SQLite file holds only ciphertext for sealed fields', async () => {
    const store = createStore(sqlite.url, { namespace: uniqueNamespace('raw') });
    const record = tokenRecord();
    const canary = `plaintext-canary-${randomUUID()}`;
    try {
      await requireReachable(store, sqlite.url);
      await store.set('tokens', sealSecrets(record, ['accessToken', 'refreshToken'], key, { storeKey: 'tokens' }));
      await store.set('canary', { note: canary });
    } finally {
      // Closing flushes and releases the file, so its bytes are final.
      await store.close();
    }
    const bytes = readFileSync(sqlite.path);
    expect(bytes.includes(canary)).toBe(true);
    expect(bytes.includes(record.accessToken)).toBe(false);
    expect(bytes.includes(record.refreshToken)).toBe(false);
    expect(bytes.includes(`v2.${key.keyId}.`)).toBe(true);
  });
});
