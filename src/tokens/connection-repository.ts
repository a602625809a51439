/**
 * Where connections live: one store entry per (tenant, connection name), with both Zoho tokens
 * sealed (AES-256-GCM) before they leave the process, so a Redis dump or a copy of the SQLite file
 * holds nothing usable. Everything else (expiry, status, back-off) stays readable, so operators
 * can inspect a connection without the key.
 *
 * Someone who can write to the store but lacks the key must not be able to redirect a tenant's
 * tokens, so every read checks the record belongs where it was found before anything uses it:
 * - its tenantId/connectionName equal those of its store key;
 * - its sealed tokens open only under this store key, in their own field, for this `dc`, Zoho
 *   user and org (the sealing's additional data), so tokens copied from tenant A under tenant B's
 *   key, or an access token swapped with the refresh token, fail;
 * - its accounts server and API domain are its data centre's in the table in force, so a record
 *   rewritten to point at another host never sends the refresh token (and our client secret) there.
 * A record failing any check is refused with STORE_TAMPERED and logged; no Zoho call follows.
 */
import { GatewayError } from '../errors.js';
import { StoreIndex } from '../store/store-index.js';
import { StoreLock } from '../store/lock.js';
import type { Logger } from '../log.js';
import { DecryptionError, openSecrets, resealSecrets, sealSecrets, type EncryptionKey, type RecordPlace, type Sealed, type SealedRecords, type Store } from '../store/index.js';
import type { DataCentre, DataCentreTable } from '../zoho/datacenters.js';
import type { Broadcast } from '../store/broadcast.js';
import type { Connection } from './connection.js';
import { ConnectionCache, type ConnectionCacheStats } from './connection-cache.js';

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

/** The store key of a connection's refresh lease: who holds it may rewrite the connection's tokens. */
export function refreshLockKey(tenantId: string, connectionName: string): string {
  // connectionKey validates both parts; the lease key reuses them.
  return `lock:refresh:${connectionKey(tenantId, connectionName).slice('conn:'.length)}`;
}

/** How long a connection's refresh lease is held for a re-seal (ms): a read and a write. */
const RESEAL_LEASE_MS = 10_000;
/** How long a re-seal waits for a refresh in progress (ms) before it fails. */
const RESEAL_WAIT_MS = 15_000;

/**
 * The store key listing every connection's key (Keyv cannot list keys by prefix), so a key
 * rotation can find them on SQLite too. Maintained on put and delete, and on first read, which
 * picks up connections stored before the index existed; on Redis the rotation also SCANs.
 */
export const CONNECTION_INDEX_KEY = 'index:connections';

/** Why a stored connection was refused as tampered (`details.reason` of STORE_TAMPERED). */
export type TamperReason = 'IDENTITY_MISMATCH' | 'SEALED_VALUE_MISMATCH' | 'UNKNOWN_DATA_CENTRE' | 'SERVER_MISMATCH';

export interface ConnectionRepositoryOptions {
  store: Store;
  /** Seals new writes (config.tokenEncryption). */
  key: EncryptionKey;
  /**
   * Still open values sealed before a key rotation; values are re-sealed with `key` on their next
   * write (every refresh writes).
   */
  retiredKeys?: readonly EncryptionKey[];
  /**
   * The data-centre table in force (the app's, with demo or ZOHO_DATA_CENTERS overrides): the only
   * source of a connection's accounts server and API domain.
   */
  dataCentres: DataCentreTable;
  /** Where refusals of tampered records are reported (never with a secret). */
  log?: Logger;
  /**
   * Keeps opened connections in process for getCached (see connection-cache.ts). `ttlMs`:
   * CONNECTION_CACHE_TTL; 0 or absent disables it. `broadcast` reaches the other instances on the
   * store. Never on SQLite: other processes sharing the file hear no messages.
   */
  cache?: { ttlMs: number; broadcast?: Broadcast; clock?: () => number };
}

export class ConnectionRepository {
  private readonly store: Store;
  private readonly key: EncryptionKey;
  private readonly keyring: readonly EncryptionKey[];
  private readonly dataCentres: DataCentreTable;
  private readonly log: Logger | undefined;
  private readonly index: StoreIndex;
  /** Keys this process knows are in the index: each costs the index one locked write, once. */
  private readonly indexed = new Set<string>();
  private readonly cache: ConnectionCache;

  constructor(options: ConnectionRepositoryOptions) {
    this.store = options.store;
    this.key = options.key;
    this.keyring = [options.key, ...(options.retiredKeys ?? [])];
    this.dataCentres = options.dataCentres;
    this.log = options.log;
    this.index = new StoreIndex(options.store);
    const ttlMs = options.store.kind === 'sqlite' ? 0 : (options.cache?.ttlMs ?? 0);
    this.cache = new ConnectionCache({ ttlMs, broadcast: options.cache?.broadcast, clock: options.cache?.clock, log: options.log });
  }

  /** The in-process cache's counters (hits, misses, messages heard, gaps). */
  get cacheStats(): Readonly<ConnectionCacheStats> {
    return this.cache.stats;
  }

  /** How many connections this process holds a copy of now. */
  get cachedCount(): number {
    return this.cache.size;
  }

  /**
   * Like `get`, but may answer from this process's copy, which can lag a write made on another
   * instance by the time its message takes (at worst CONNECTION_CACHE_TTL). For readers on the
   * hot path whose mistakes cost a failed call at most (a stale token is rejected by Zoho and
   * forceRefresh reads the store). Whoever decides from a connection whether to refresh, revoke or
   * replace it uses `get`.
   */
  async getCached(tenantId: string, connectionName: string): Promise<Connection | undefined> {
    const key = connectionKey(tenantId, connectionName);
    if (!this.cache.enabled) return this.get(tenantId, connectionName);
    return this.cache.get(key, () => this.get(tenantId, connectionName));
  }

  /**
   * The connection, tokens opened, servers taken from the DC table; undefined when none.
   * Throws GatewayError STORE_TAMPERED when the record does not belong under this key (see the
   * file header), and INTERNAL with `reason: STORED_SECRET_UNREADABLE` when no configured key
   * opens the tokens (a retired key left out of TOKEN_ENCRYPTION_KEYS, or a legacy value not yet
   * migrated by `npm run keys:rotate`) — never "not connected": the data is there, the key is not.
   * Always reads the store; what it finds becomes this process's copy for getCached.
   */
  async get(tenantId: string, connectionName: string): Promise<Connection | undefined> {
    const key = connectionKey(tenantId, connectionName);
    const epoch = this.cache.begin();
    const connection = await this.read(key, tenantId, connectionName);
    this.cache.keep(key, epoch, connection);
    return connection;
  }

  private async read(key: string, tenantId: string, connectionName: string): Promise<Connection | undefined> {
    const stored = await this.store.get<StoredConnection>(key);
    if (stored === undefined) return undefined;
    const dc = this.verify(key, stored, tenantId, connectionName);
    let opened: Connection;
    try {
      opened = openSecrets(stored, SECRET_FIELDS, this.keyring, placeOf(key, stored)) as Connection;
    } catch (err) {
      throw this.unreadable(key, tenantId, connectionName, err);
    }
    await this.indexOnce(key);
    return { ...opened, accountsServer: dc.accountsUrl, apiDomain: dc.apiDomain };
  }

  /** Creates or replaces the connection under its tenantId and connectionName. */
  async put(connection: Connection): Promise<void> {
    const key = connectionKey(connection.tenantId, connection.connectionName);
    try {
      await this.store.set(key, sealSecrets(connection, SECRET_FIELDS, this.key, placeOf(key, connection)));
    } finally {
      await this.cache.changed(key);
    }
    await this.indexOnce(key);
  }

  /**
   * For the key rotation: re-seals the stored connection's tokens under the current key, bound
   * to the record, migrating legacy unbound (`v1`) values — but only a record that passes every
   * check but the binding itself (its own tenant and connection match its key, its servers are its
   * DC's), and only with `migrateLegacy`. False when there is no such connection. Throws like `get`.
   */
  async reseal(tenantId: string, connectionName: string, migrateLegacy = false): Promise<boolean> {
    const key = connectionKey(tenantId, connectionName);
    const stored = await this.store.get<StoredConnection>(key);
    if (stored === undefined) return false;
    this.verify(key, stored, tenantId, connectionName);
    let resealed: StoredConnection;
    try {
      resealed = resealSecrets(stored, SECRET_FIELDS, this.keyring, this.key, placeOf(key, stored), migrateLegacy);
    } catch (err) {
      throw this.unreadable(key, tenantId, connectionName, err);
    }
    try {
      await this.store.set(key, resealed);
    } finally {
      // The tokens are the same, but every write of a connection announces itself.
      await this.cache.changed(key);
    }
    await this.indexOnce(key);
    return true;
  }

  /** Removes the connection; true if there was one. */
  async delete(tenantId: string, connectionName: string): Promise<boolean> {
    const key = connectionKey(tenantId, connectionName);
    let existed: boolean;
    try {
      existed = await this.store.delete(key);
    } finally {
      await this.cache.changed(key);
    }
    this.indexed.delete(key);
    await this.index.remove(CONNECTION_INDEX_KEY, key);
    return existed;
  }

  /** Store keys of every indexed connection (`conn:<tenantId>:<connectionName>`), for key rotation. */
  indexedKeys(): Promise<string[]> {
    return this.index.members(CONNECTION_INDEX_KEY);
  }

  /** The connections' sealed tokens, for the key rotation (ops/key-rotation.ts). */
  sealedRecords(): SealedRecords {
    const lock = new StoreLock(this.store);
    return {
      kind: 'connections',
      prefix: 'conn:',
      fields: SECRET_FIELDS,
      indexed: async () => (await this.indexedKeys()).map((k) => k.slice('conn:'.length)),
      reseal: async (id, migrateLegacy) => {
        // The ids come from the key (`<tenantId>:<connectionName>`, neither may hold a colon), never
        // from the record, whose cleartext is what a tamperer would have changed.
        const [tenantId, connectionName, ...rest] = id.split(':');
        if (tenantId === undefined || connectionName === undefined || rest.length > 0) throw new Error('not a connection key');
        // Under the refresh lease, reading again: a refresh may have written a newer token meanwhile.
        await lock.withLease(refreshLockKey(tenantId, connectionName), { ttlMs: RESEAL_LEASE_MS, waitMs: RESEAL_WAIT_MS }, () => this.reseal(tenantId, connectionName, migrateLegacy));
      },
    };
  }

  /** The cleartext checks: the record names its own key, and its DC and servers are the table's. */
  private verify(key: string, stored: StoredConnection, tenantId: string, connectionName: string): DataCentre {
    if (stored.tenantId !== tenantId || stored.connectionName !== connectionName) {
      throw this.tampered(key, tenantId, connectionName, 'IDENTITY_MISMATCH');
    }
    const dc = typeof stored.dc === 'string' && Object.hasOwn(this.dataCentres, stored.dc) ? this.dataCentres[stored.dc] : undefined;
    if (dc === undefined) throw this.tampered(key, tenantId, connectionName, 'UNKNOWN_DATA_CENTRE', { dc: String(stored.dc).slice(0, 40) });
    if (!sameOrigin(stored.accountsServer, dc.accountsUrl) || !sameOrigin(stored.apiDomain, dc.apiDomain)) {
      throw this.tampered(key, tenantId, connectionName, 'SERVER_MISMATCH', { dc: dc.key });
    }
    return dc;
  }

  private unreadable(key: string, tenantId: string, connectionName: string, err: unknown): GatewayError {
    if (!(err instanceof DecryptionError)) throw err;
    if (err.kind === 'authentication' || err.kind === 'malformed') return this.tampered(key, tenantId, connectionName, 'SEALED_VALUE_MISMATCH');
    const fix = err.kind === 'legacy' ? 'An operator must migrate it once with `npm run keys:rotate -- --migrate-v1`' : 'An operator must configure the missing key (TOKEN_ENCRYPTION_KEYS)';
    // DecryptionError messages name at most a public key id, never key or token material.
    return new GatewayError('INTERNAL', `The stored Zoho connection cannot be decrypted with the gateway's configured keys: ${err.message}. ${fix}`, {
      reason: 'STORED_SECRET_UNREADABLE',
    });
  }

  private tampered(key: string, tenantId: string, connectionName: string, reason: TamperReason, facts: Record<string, unknown> = {}): GatewayError {
    // Only ids and public facts: the record itself may hold attacker-chosen text, and sealed tokens.
    this.log?.error({ storeKey: key, tenantId, connectionName, reason, ...facts }, 'stored Zoho connection refused: it does not belong under its store key (the store was altered)');
    return new GatewayError('STORE_TAMPERED', 'The stored Zoho connection failed its integrity check and was not used; an operator must inspect the store', { reason });
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

/**
 * The tokens are bound to the store key (tenant, connection), to the record's DC (so a DC rewritten
 * together with matching servers still fails) and to the Zoho user and org they were issued for
 * (so the identity a product shows for the connection cannot be relabelled).
 */
function placeOf(storeKey: string, connection: Pick<Connection, 'dc' | 'zohoUserId' | 'zohoOrgId'>): RecordPlace {
  return { storeKey, context: [String(connection.dc), String(connection.zohoUserId), String(connection.zohoOrgId)] };
}

function sameOrigin(a: unknown, b: string): boolean {
  if (typeof a !== 'string') return false;
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
