/**
 * Where connections live: one store entry per (tenant, connection name), with both Zoho tokens
 * sealed (AES-256-GCM) before they leave the process, so a Redis dump or a copy of the SQLite file
 * holds nothing usable. Everything else (expiry, status, back-off) stays readable, so operators
 * can inspect a connection without the key.
 */
import { GatewayError } from '../errors.js';
import { StoreIndex } from '../events/store-index.js';
import { DecryptionError, openSecrets, sealSecrets, type EncryptionKey, type Sealed, type Store } from '../store/index.js';
import type { Connection } from './connection.js';

/** The fields sealed at rest. */
const SECRET_FIELDS = ['accessToken', 'refreshToken'] as const;
type SecretField = (typeof SECRET_FIELDS)[number];

/** A connection as it sits in the store. */
export type StoredConnection = Sealed<Connection, SecretField>;

/** Tenant ids and connection names: they become parts of store keys, so only this alphabet. */
const KEY_PART = /^[A-Za-z0-9._-]{1,64}$/;

function checkPart(label: 'tenantId' | 'connectionName', value: unknown): string {
  if (typeof value !== 'string' || !KEY_PART.test(value)) {
    // The value is the caller's own input; repeat only its length, in case it holds something private.
    throw new GatewayError('BAD_USER_INPUT', `${label} must be 1-64 characters of A-Z, a-z, 0-9, ".", "_" or "-"`, { field: label });
  }
  return value;
}

/** The store key of a connection (`conn:<tenantId>:<connectionName>`), after checking both parts. */
export function connectionKey(tenantId: string, connectionName: string): string {
  return `conn:${checkPart('tenantId', tenantId)}:${checkPart('connectionName', connectionName)}`;
}

/**
 * The store key listing every connection's key (Keyv cannot list keys by prefix), so a key
 * rotation can find them on SQLite too. Maintained on put and delete, and on first read, which
 * picks up connections stored before the index existed; on Redis the rotation also SCANs.
 */
export const CONNECTION_INDEX_KEY = 'index:connections';

export class ConnectionRepository {
  private readonly keyring: readonly EncryptionKey[];
  private readonly index: StoreIndex;
  /** Keys this process knows are in the index: each costs the index one locked write, once. */
  private readonly indexed = new Set<string>();

  /**
   * @param key seals new writes (config.tokenEncryption).
   * @param retiredKeys still open values sealed before a key rotation; values are re-sealed with
   *   `key` on their next write (every refresh writes).
   */
  constructor(
    private readonly store: Store,
    private readonly key: EncryptionKey,
    retiredKeys: readonly EncryptionKey[] = [],
  ) {
    this.keyring = [key, ...retiredKeys];
    this.index = new StoreIndex(store);
  }

  /**
   * The connection, tokens opened; undefined when none. When no configured key opens the tokens
   * (a retired key left out of TOKEN_ENCRYPTION_KEYS, say) it throws GatewayError INTERNAL with
   * `reason: STORED_SECRET_UNREADABLE`, never "not connected": the data is there, the key is not.
   */
  async get(tenantId: string, connectionName: string): Promise<Connection | undefined> {
    const key = connectionKey(tenantId, connectionName);
    const stored = await this.store.get<StoredConnection>(key);
    if (stored === undefined) return undefined;
    let opened: Connection;
    try {
      opened = openSecrets(stored, SECRET_FIELDS, this.keyring) as Connection;
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
      // DecryptionError messages name at most a public key id, never key or token material.
      throw new GatewayError('INTERNAL', `The stored Zoho connection cannot be decrypted with the gateway's configured keys: ${err.message}. An operator must configure the missing key (TOKEN_ENCRYPTION_KEYS)`, {
        reason: 'STORED_SECRET_UNREADABLE',
      });
    }
    await this.indexOnce(key);
    return opened;
  }

  /** Creates or replaces the connection under its tenantId and connectionName. */
  async put(connection: Connection): Promise<void> {
    const key = connectionKey(connection.tenantId, connection.connectionName);
    await this.store.set(key, sealSecrets(connection, SECRET_FIELDS, this.key));
    await this.indexOnce(key);
  }

  /** Removes the connection; true if there was one. */
  async delete(tenantId: string, connectionName: string): Promise<boolean> {
    const key = connectionKey(tenantId, connectionName);
    const existed = await this.store.delete(key);
    this.indexed.delete(key);
    await this.index.remove(CONNECTION_INDEX_KEY, key);
    return existed;
  }

  /** Store keys of every indexed connection (`conn:<tenantId>:<connectionName>`), for key rotation. */
  indexedKeys(): Promise<string[]> {
    return this.index.members(CONNECTION_INDEX_KEY);
  }

  /**
   * Best effort: a failed index write costs only a rotation's reach (Redis SCANs anyway, and every
   * refresh re-seals with the current key), so it never fails the read or write it follows.
   */
  private async indexOnce(key: string): Promise<void> {
    if (this.indexed.has(key)) return;
    try {
      await this.index.add(CONNECTION_INDEX_KEY, key);
      this.indexed.add(key);
    } catch {
      // Retried on this connection's next read or write.
    }
  }
}
