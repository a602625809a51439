/**
 * Where watch channels live: one store entry per channel, the per-channel verification token
 * sealed (AES-256-GCM) before it leaves the process, plus two indexes (Keyv cannot list keys): a
 * tenant's channels, for `watches`, and every channel, for the renewal job.
 *
 * Keys: `watch:channel:<id>`, `watch:tenant:<tenantId>` (ids), `watch:all` (ids).
 *
 * The sealed token is bound to the channel's store key and to its tenant and connection, so
 * someone who can write to the store but lacks the key cannot hand a channel (and the CRM events
 * Zoho sends to it) to another tenant by rewriting its cleartext `tenantId`: such a record is
 * refused with STORE_TAMPERED.
 */
import { randomBytes } from 'node:crypto';
import { GatewayError, isGatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { DecryptionError, openSecrets, resealSecrets, sealSecrets, type EncryptionKey, type RecordPlace, type Sealed, type SealedRecords, type Store } from '../store/index.js';
import { connectionKey } from '../tokens/connection-repository.js';
import { StoreIndex } from '../store/store-index.js';
import type { RecordOperation } from './types.js';
import { ZOHO_TOKEN_MAX_CHARS } from './zoho-watch.js';

export interface WatchChannel {
  /** Zoho's channel_id: decimal digits of a random positive safe integer (Zoho takes a long). */
  id: string;
  tenantId: string;
  connectionName: string;
  /** Module api names. */
  modules: string[];
  operations: RecordOperation[];
  /** What Zoho echoes in every notification, so we know it came from Zoho. Plain here, sealed at rest. */
  token: string;
  /** When Zoho stops notifying unless renewed (epoch ms, as Zoho granted it). */
  expiresAt: number;
  /** Epoch ms. */
  createdAt: number;
  /** Last successful renewal (epoch ms), or null. */
  renewedAt: number | null;
}

const SECRET_FIELDS = ['token'] as const;
export type StoredChannel = Sealed<WatchChannel, (typeof SECRET_FIELDS)[number]>;

/**
 * How long a channel is kept after Zoho's expiry (ms): it still shows in `watches` (as expired) and
 * renewal re-enables it once its connection works again; after that the store forgets it.
 */
export const KEEP_AFTER_EXPIRY_MS = 30 * 24 * 3600_000;

/** Index of every channel id (also what key rotation walks). */
const ALL_KEY = 'watch:all';
export const channelKey = (id: string) => `watch:channel:${id}`;
const tenantKey = (tenantId: string) => `watch:tenant:${tenantId}`;

/** Channel ids as they reach us in URLs and bodies: digits only, so they are safe in store keys. */
export const CHANNEL_ID = /^[1-9]\d{0,18}$/;

const ID_MIN = 10n ** 15n;
const ID_SPAN = BigInt(Number.MAX_SAFE_INTEGER) - ID_MIN;

/**
 * A fresh channel id: 16 digits (10^15 up to 2^53 − 1, so it survives JSON as a number), about 53
 * bits of randomness (crypto.randomInt stops at 2^48; the modulo bias over 64 bits is negligible).
 */
export function newChannelId(): string {
  return String(ID_MIN + (randomBytes(8).readBigUInt64BE() % ID_SPAN));
}

/** A fresh token: 32 random bytes, 43 base64url characters (Zoho allows 50). */
export function newChannelToken(): string {
  const token = randomBytes(32).toString('base64url');
  if (token.length > ZOHO_TOKEN_MAX_CHARS) throw new Error('channel token too long for Zoho');
  return token;
}

export class ChannelRepository {
  private readonly ids: StoreIndex;
  private readonly keyring: readonly EncryptionKey[];

  /**
   * @param key seals tokens (config.tokenEncryption); `retiredKeys` still open older ones.
   * @param log where refused (tampered) channels are reported.
   */
  constructor(
    private readonly store: Store,
    private readonly key: EncryptionKey,
    private readonly now: () => number = Date.now,
    retiredKeys: readonly EncryptionKey[] = [],
    private readonly log?: Logger,
  ) {
    this.ids = new StoreIndex(store);
    this.keyring = [key, ...retiredKeys];
  }

  /**
   * The channel with its token opened; undefined when unknown (or `id` is no channel id). Throws
   * GatewayError STORE_TAMPERED for a record that does not belong under its key, INTERNAL
   * (`STORED_SECRET_UNREADABLE`) when no configured key opens it or it awaits `keys:rotate`.
   */
  async get(id: string): Promise<WatchChannel | undefined> {
    if (!CHANNEL_ID.test(id)) return undefined;
    const stored = await this.store.get<StoredChannel>(channelKey(id));
    if (!stored) return undefined;
    this.verify(id, stored);
    try {
      return openSecrets(stored, SECRET_FIELDS, this.keyring, placeOf(stored)) as WatchChannel;
    } catch (err) {
      throw this.unreadable(id, stored, err);
    }
  }

  /** The channels' sealed tokens, for the key rotation (ops/key-rotation.ts). */
  sealedRecords(): SealedRecords {
    return {
      kind: 'channels',
      prefix: channelKey(''),
      fields: SECRET_FIELDS,
      indexed: () => this.ids.members(ALL_KEY),
      // Keeps the channel's lifetime rules (Zoho's expiry plus the grace period).
      reseal: async (id, migrateLegacy) => void (await this.reseal(id, migrateLegacy)),
    };
  }

  /**
   * For the key rotation: re-seals the channel's token under the current key, bound to the
   * channel; with `migrateLegacy`, migrating a legacy unbound value when the record names its own
   * id. False when gone.
   */
  async reseal(id: string, migrateLegacy = false): Promise<boolean> {
    if (!CHANNEL_ID.test(id)) throw new Error('not a channel id');
    const stored = await this.store.get<StoredChannel>(channelKey(id));
    if (!stored) return false;
    this.verify(id, stored);
    let resealed: StoredChannel;
    try {
      resealed = resealSecrets(stored, SECRET_FIELDS, this.keyring, this.key, placeOf(stored), migrateLegacy);
    } catch (err) {
      throw this.unreadable(id, stored, err);
    }
    await this.store.set(channelKey(id), resealed, this.ttl(stored));
    return true;
  }

  /**
   * Stores a new channel, refusing an id already taken (true when stored). It is not indexed yet:
   * `index()` it once Zoho has accepted it, so listings and renewal never see a channel Zoho refused.
   */
  async create(channel: WatchChannel): Promise<boolean> {
    connectionKey(channel.tenantId, channel.connectionName); // validates both as key parts
    return this.store.setIfAbsent(channelKey(channel.id), this.seal(channel), this.ttl(channel));
  }

  async index(channel: WatchChannel): Promise<void> {
    await this.ids.add(tenantKey(channel.tenantId), channel.id);
    await this.ids.add(ALL_KEY, channel.id);
  }

  /** Replaces a stored channel (after a renewal). */
  async put(channel: WatchChannel): Promise<void> {
    await this.store.set(channelKey(channel.id), this.seal(channel), this.ttl(channel));
  }

  /** Forgets the channel and its index entries; true if it was stored. */
  async delete(channel: Pick<WatchChannel, 'id' | 'tenantId'>): Promise<boolean> {
    const existed = await this.store.delete(channelKey(channel.id));
    await this.ids.remove(tenantKey(channel.tenantId), channel.id);
    await this.ids.remove(ALL_KEY, channel.id);
    return existed;
  }

  /** A tenant's channels, oldest first; index entries whose channel is gone are pruned. */
  async listByTenant(tenantId: string): Promise<WatchChannel[]> {
    // The index is cleartext too: a channel id added to another tenant's index stays its owner's.
    return (await this.load(tenantKey(tenantId))).filter((c) => c.tenantId === tenantId);
  }

  /** Every channel (for the renewal job). */
  async listAll(): Promise<WatchChannel[]> {
    return this.load(ALL_KEY);
  }

  private async load(indexKey: string): Promise<WatchChannel[]> {
    const ids = await this.ids.members(indexKey);
    // A tampered record (logged by get) is left out, not allowed to fail every listing and
    // renewal. A missing key still fails loudly: it concerns every channel, not one record.
    const found = await Promise.all(
      ids.map((id) =>
        this.get(id).catch((err: unknown) => {
          if (isGatewayError(err, 'STORE_TAMPERED')) return null;
          throw err;
        }),
      ),
    );
    const gone = ids.filter((_, i) => found[i] === undefined);
    // Channels the store forgot (KEEP_AFTER_EXPIRY_MS passed) leave the index too.
    if (gone.length > 0) await this.ids.remove(indexKey, ...gone);
    return found.filter((c): c is WatchChannel => c !== undefined && c !== null).sort((a, b) => a.createdAt - b.createdAt);
  }

  private seal(channel: WatchChannel): StoredChannel {
    return sealSecrets(channel, SECRET_FIELDS, this.key, placeOf(channel));
  }

  /** The record names the id of the key it sits under. */
  private verify(id: string, stored: StoredChannel): void {
    if (stored.id !== id) throw this.tampered(id, stored, 'IDENTITY_MISMATCH');
  }

  private unreadable(id: string, stored: StoredChannel, err: unknown): GatewayError {
    if (!(err instanceof DecryptionError)) throw err;
    if (err.kind === 'authentication' || err.kind === 'malformed') return this.tampered(id, stored, 'SEALED_VALUE_MISMATCH');
    this.log?.error({ channelId: id, err: err.message }, 'watch channel token cannot be opened with the configured keys');
    const fix = err.kind === 'legacy' ? 'migrate it once with `npm run keys:rotate -- --migrate-v1`' : 'configure the missing key (TOKEN_ENCRYPTION_KEYS)';
    return new GatewayError('INTERNAL', `A stored watch channel cannot be decrypted: ${err.message}; an operator must ${fix}`, { reason: 'STORED_SECRET_UNREADABLE' });
  }

  private tampered(id: string, stored: StoredChannel, reason: string): GatewayError {
    this.log?.error(
      { storeKey: channelKey(id), channelId: id, tenantId: String(stored.tenantId).slice(0, 64), reason },
      'stored watch channel refused: it does not belong under its store key (the store was altered)',
    );
    return new GatewayError('STORE_TAMPERED', 'A stored watch channel failed its integrity check and was not used', { reason });
  }

  /** Store lifetime (ms): until Zoho's expiry plus KEEP_AFTER_EXPIRY_MS, at least a minute. */
  private ttl(channel: Pick<WatchChannel, 'expiresAt'>): number {
    return Math.max(60_000, Math.round(channel.expiresAt - this.now() + KEEP_AFTER_EXPIRY_MS));
  }
}

/** A channel's token is bound to its store key and to the tenant and connection it serves. */
function placeOf(channel: Pick<WatchChannel, 'id' | 'tenantId' | 'connectionName'>): RecordPlace {
  return { storeKey: channelKey(channel.id), context: [String(channel.tenantId), String(channel.connectionName)] };
}
