/**
 * Each tenant's event webhook (where its events are POSTed, and the secret they are signed with),
 * one per tenant, in the store. The secret is sealed like Zoho tokens are, so a copy of the store
 * cannot forge deliveries. It is bound to the tenant's store key and to the URL: someone who can
 * write to the store but lacks the key can neither move a webhook to another tenant nor point it
 * at their own host (that tenant's CRM events, signed as genuine, would go there); such a record is
 * refused with STORE_TAMPERED and nothing is delivered.
 */
import { randomBytes } from 'node:crypto';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { decrypt, DecryptionError, encrypt, openForReseal, sealedFormat, type EncryptionKey, type SealedPlace, type SealedRecords, type SealedString, type Store } from '../store/index.js';
import { StoreIndex } from '../store/store-index.js';

export interface EventWebhook {
  url: string;
  /** The signing secret, in plain text (only ever shown to the caller once, on creation). */
  secret: string;
  /** Epoch ms. */
  createdAt: number;
}

interface StoredWebhook {
  url: string;
  secret: SealedString;
  createdAt: number;
}

/** Random bytes in a signing secret: 256 bits, HMAC-SHA256's key strength. */
const SECRET_BYTES = 32;

/** A fresh signing secret. The prefix lets secret scanners recognise a leaked one. */
export function newWebhookSecret(): string {
  return `zgwhs_${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

/** The store key listing every tenant with a webhook, so a key rotation can find their secrets. */
const WEBHOOK_INDEX_KEY = 'index:event-webhooks';

/** The store key of a tenant's webhook. */
export function webhookKey(tenantId: string): string {
  return `events:webhook:${tenantId}`;
}

export class EventWebhookRepository {
  private readonly keyring: readonly EncryptionKey[];
  private readonly index: StoreIndex;

  /**
   * @param key seals secrets (config.tokenEncryption); `retiredKeys` still open older ones.
   * @param log where refused (tampered) webhooks are reported.
   */
  constructor(
    private readonly store: Store,
    private readonly key: EncryptionKey,
    private readonly now: () => number = Date.now,
    retiredKeys: readonly EncryptionKey[] = [],
    private readonly log?: Logger,
  ) {
    this.keyring = [key, ...retiredKeys];
    this.index = new StoreIndex(store);
  }

  private keyOf(tenantId: string): string {
    return webhookKey(tenantId);
  }

  /**
   * The tenant's webhook, secret opened; undefined when none. Throws GatewayError STORE_TAMPERED
   * when the record was moved or its URL rewritten, INTERNAL (`STORED_SECRET_UNREADABLE`) when no
   * configured key opens it or it awaits `npm run keys:rotate`.
   */
  async get(tenantId: string): Promise<EventWebhook | undefined> {
    const at = this.keyOf(tenantId);
    const stored = await this.store.get<StoredWebhook>(at);
    if (!stored) return undefined;
    try {
      return { url: stored.url, secret: decrypt(stored.secret, this.keyring, placeOf(at, stored.url)), createdAt: stored.createdAt };
    } catch (err) {
      throw this.unreadable(tenantId, err);
    }
  }

  /**
   * For the key rotation: re-seals the secret under the current key, bound to the record,
   * migrating a legacy unbound value only with `migrateLegacy`. False when there is none, or when
   * the webhook was replaced meanwhile (the replacement is sealed current).
   */
  async reseal(tenantId: string, migrateLegacy = false): Promise<boolean> {
    const at = this.keyOf(tenantId);
    const stored = await this.store.get<StoredWebhook>(at);
    if (!stored) return false;
    let secret: string;
    try {
      const format = sealedFormat(stored.secret);
      if (!format) throw new DecryptionError('the webhook secret is not a sealed value', 'malformed');
      secret = openForReseal(stored.secret, format.version, this.keyring, placeOf(at, stored.url), migrateLegacy);
    } catch (err) {
      throw this.unreadable(tenantId, err);
    }
    const again = await this.store.get<StoredWebhook>(at);
    if (again?.secret !== stored.secret) return false;
    await this.store.set(at, { ...stored, secret: encrypt(secret, this.key, placeOf(at, stored.url)) });
    return true;
  }

  /** Tenants with a webhook (for key rotation). */
  indexedTenants(): Promise<string[]> {
    return this.index.members(WEBHOOK_INDEX_KEY);
  }

  /** The webhooks' sealed signing secrets, for the key rotation (ops/key-rotation.ts). */
  sealedRecords(): SealedRecords {
    return {
      kind: 'webhooks',
      prefix: webhookKey(''),
      fields: ['secret'],
      indexed: () => this.indexedTenants(),
      // Skips the write if the tenant replaced its webhook meanwhile (that one is current).
      reseal: async (tenantId, migrateLegacy) => void (await this.reseal(tenantId, migrateLegacy)),
    };
  }

  /** Sets (or replaces, with a new secret) the tenant's webhook. */
  async set(tenantId: string, url: string): Promise<EventWebhook> {
    const hook: EventWebhook = { url, secret: newWebhookSecret(), createdAt: this.now() };
    const stored: StoredWebhook = { url, secret: encrypt(hook.secret, this.key, placeOf(this.keyOf(tenantId), url)), createdAt: hook.createdAt };
    await this.store.set(this.keyOf(tenantId), stored);
    await this.index.add(WEBHOOK_INDEX_KEY, tenantId);
    return hook;
  }

  private unreadable(tenantId: string, err: unknown): GatewayError {
    if (!(err instanceof DecryptionError)) throw err;
    if (err.kind === 'authentication' || err.kind === 'malformed') {
      this.log?.error({ storeKey: this.keyOf(tenantId), tenantId, reason: 'SEALED_VALUE_MISMATCH' }, 'stored event webhook refused: moved or its URL rewritten (the store was altered)');
      return new GatewayError('STORE_TAMPERED', "The tenant's stored event webhook failed its integrity check and was not used; set it again", { reason: 'SEALED_VALUE_MISMATCH' });
    }
    const fix = err.kind === 'legacy' ? 'migrate it once with `npm run keys:rotate -- --migrate-v1`' : 'configure the missing key (TOKEN_ENCRYPTION_KEYS)';
    return new GatewayError('INTERNAL', `The stored event webhook cannot be decrypted: ${err.message}; an operator must ${fix}`, { reason: 'STORED_SECRET_UNREADABLE' });
  }

  /** True if the tenant had a webhook. */
  async remove(tenantId: string): Promise<boolean> {
    const existed = await this.store.delete(this.keyOf(tenantId));
    await this.index.remove(WEBHOOK_INDEX_KEY, tenantId);
    return existed;
  }
}

/** The secret is bound to the tenant's store key and to the URL it signs deliveries for. */
function placeOf(storeKey: string, url: string): SealedPlace {
  return { storeKey, field: 'secret', context: [String(url)] };
}
