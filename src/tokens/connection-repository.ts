/**
 * Where connections live: one store entry per (tenant, connection name), with both Zoho tokens
 * sealed (AES-256-GCM) before they leave the process, so a Redis dump or a copy of the SQLite file
 * holds nothing usable. Everything else (expiry, status, back-off) stays readable, so operators
 * can inspect a connection without the key.
 */
import { GatewayError } from '../errors.js';
import { openSecrets, sealSecrets, type EncryptionKey, type Sealed, type Store } from '../store/index.js';
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

export class ConnectionRepository {
  private readonly keyring: readonly EncryptionKey[];

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
  }

  /** The connection, tokens opened; undefined when none. Throws DecryptionError if the key does not fit. */
  async get(tenantId: string, connectionName: string): Promise<Connection | undefined> {
    const stored = await this.store.get<StoredConnection>(connectionKey(tenantId, connectionName));
    if (stored === undefined) return undefined;
    return openSecrets(stored, SECRET_FIELDS, this.keyring) as Connection;
  }

  /** Creates or replaces the connection under its tenantId and connectionName. */
  async put(connection: Connection): Promise<void> {
    const key = connectionKey(connection.tenantId, connection.connectionName);
    await this.store.set(key, sealSecrets(connection, SECRET_FIELDS, this.key));
  }

  /** Removes the connection; true if there was one. */
  async delete(tenantId: string, connectionName: string): Promise<boolean> {
    return this.store.delete(connectionKey(tenantId, connectionName));
  }
}
