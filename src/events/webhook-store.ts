/**
 * Each tenant's event webhook (where its events are POSTed, and the secret they are signed with),
 * one per tenant, in the store. The secret is sealed like Zoho tokens are, so a copy of the store
 * cannot forge deliveries.
 */
import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, type EncryptionKey, type SealedString } from '../store/crypto.js';
import type { Store } from '../store/index.js';
import { StoreIndex } from './store-index.js';

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
export const WEBHOOK_INDEX_KEY = 'index:event-webhooks';

/** The store key of a tenant's webhook. */
export function webhookKey(tenantId: string): string {
  return `events:webhook:${tenantId}`;
}

export class EventWebhookRepository {
  private readonly keyring: readonly EncryptionKey[];
  private readonly index: StoreIndex;

  /** @param key seals secrets (config.tokenEncryption); `retiredKeys` still open older ones. */
  constructor(
    private readonly store: Store,
    private readonly key: EncryptionKey,
    private readonly now: () => number = Date.now,
    retiredKeys: readonly EncryptionKey[] = [],
  ) {
    this.keyring = [key, ...retiredKeys];
    this.index = new StoreIndex(store);
  }

  private keyOf(tenantId: string): string {
    return webhookKey(tenantId);
  }

  async get(tenantId: string): Promise<EventWebhook | undefined> {
    const stored = await this.store.get<StoredWebhook>(this.keyOf(tenantId));
    return stored && { url: stored.url, secret: decrypt(stored.secret, this.keyring), createdAt: stored.createdAt };
  }

  /** Tenants with a webhook (for key rotation). */
  indexedTenants(): Promise<string[]> {
    return this.index.members(WEBHOOK_INDEX_KEY);
  }

  /** Sets (or replaces, with a new secret) the tenant's webhook. */
  async set(tenantId: string, url: string): Promise<EventWebhook> {
    const hook: EventWebhook = { url, secret: newWebhookSecret(), createdAt: this.now() };
    const stored: StoredWebhook = { url, secret: encrypt(hook.secret, this.key), createdAt: hook.createdAt };
    await this.store.set(this.keyOf(tenantId), stored);
    await this.index.add(WEBHOOK_INDEX_KEY, tenantId);
    return hook;
  }

  /** True if the tenant had a webhook. */
  async remove(tenantId: string): Promise<boolean> {
    const existed = await this.store.delete(this.keyOf(tenantId));
    await this.index.remove(WEBHOOK_INDEX_KEY, tenantId);
    return existed;
  }
}
