/**
 * Key rotation: re-seals every stored secret (Zoho tokens of connections, watch-channel tokens,
 * event-webhook signing secrets) under the current TOKEN_ENCRYPTION_KEY, so a retired key can be
 * dropped from TOKEN_ENCRYPTION_KEYS afterwards. The procedure:
 *
 *   1. deploy with the new TOKEN_ENCRYPTION_KEY and the old one in TOKEN_ENCRYPTION_KEYS
 *      (everything still opens; new writes use the new key);
 *   2. run `npm run keys:rotate` with that same configuration;
 *   3. once it reports 0 failed, deploy without the old key.
 *
 * Finding the secrets: each repository declares its sealed records (SealedRecords in
 * store/sealed-fields.ts: key prefix, sealed fields, its index, how to re-seal one), so this module
 * knows no key or rule of theirs. Keyv cannot list keys, so each kind keeps an index in the
 * store. On Redis the rotation also SCANs each kind's key prefix, which reaches values written
 * before the indexes existed. On SQLite the
 * index alone is used; connections written before it are indexed on their first read (and every
 * token refresh re-seals with the current key anyway). A memory store lives in one process only.
 *
 * Upgrade migration: values sealed before secrets were bound to their record (format `v1`) are
 * re-sealed bound (`v2`), but only for a record whose own ids match its store key (a connection's
 * tenant and connection name, a channel's id) and, for a connection, whose servers are its data
 * centre's, and only when asked (`migrateLegacy`, the CLI's `--migrate-v1`). The gateway itself
 * refuses `v1` values (STORED_SECRET_UNREADABLE), so run that once after upgrading, before serving
 * traffic.
 *
 * Idempotent: a value whose sealed fields all carry the current format and key id is left alone
 * (counted as already current), so running it twice, or alongside live gateways, is safe. A
 * connection is re-sealed holding its refresh lease (tokens/connection-repository.ts), so a
 * refresh cannot be overwritten with the older token.
 * Nothing secret is ever logged or returned: counts, store keys and public key ids only.
 */
import { ChannelRepository } from '../events/channels.js';
import { EventWebhookRepository } from '../events/webhook-store.js';
import { describeError } from '../errors.js';
import type { Logger } from '../log.js';
import { sealedFormat, type EncryptionKey, type SealedRecords, type Store } from '../store/index.js';
import { ConnectionRepository } from '../tokens/connection-repository.js';
import type { DataCentreTable } from '../zoho/datacenters.js';

export interface RotationCounts {
  /** Re-sealed under the current key now. */
  reEncrypted: number;
  /** Already sealed under the current key: nothing to do. */
  alreadyCurrent: number;
  /** Could not be re-sealed (unknown key, unreadable, store failure, or busy): see the log. */
  failed: number;
}

export interface RotationReport {
  connections: RotationCounts;
  channels: RotationCounts;
  webhooks: RotationCounts;
}

export interface RotateOptions {
  store: Store;
  /** The current key (config.tokenEncryption): everything ends up sealed with it. */
  key: EncryptionKey;
  /** Retired keys that may still open older values (config.tokenEncryption.retiredKeys). */
  retiredKeys: readonly EncryptionKey[];
  /** The data-centre table the gateway runs with (config.zoho.dataCentres): connections are checked against it. */
  dataCentres: DataCentreTable;
  log: Logger;
  now?: () => number;
  /**
   * Also migrate values sealed before secrets were bound to their record (`v1`): the one-time
   * upgrade step (`--migrate-v1`). Off, they count as failed, so a routine rotation never binds a
   * value planted from an old dump to wherever it was planted.
   */
  migrateLegacy?: boolean;
}

/** Re-seals every kind of sealed record the gateway keeps: connections, watch channels, event webhooks. */
export async function rotateSecrets(options: RotateOptions): Promise<RotationReport> {
  const { store, key, retiredKeys, log } = options;
  const now = options.now ?? Date.now;
  const kinds = {
    connections: new ConnectionRepository({ store, key, retiredKeys, dataCentres: options.dataCentres, log }).sealedRecords(),
    channels: new ChannelRepository(store, key, now, retiredKeys, log).sealedRecords(),
    webhooks: new EventWebhookRepository(store, key, now, retiredKeys, log).sealedRecords(),
  };
  const report = {} as RotationReport;
  for (const [name, kind] of Object.entries(kinds) as [keyof RotationReport, SealedRecords][]) {
    report[name] = await resealKind(store, kind, key, options.migrateLegacy ?? false, log);
  }
  return report;
}

/** Re-seals one kind's records not yet sealed (bound, `v2`) under `key`. */
async function resealKind(store: Store, kind: SealedRecords, key: EncryptionKey, migrateLegacy: boolean, log: Logger): Promise<RotationCounts> {
  const counts: RotationCounts = { reEncrypted: 0, alreadyCurrent: 0, failed: 0 };
  for (const id of await idsOf(store, kind)) {
    const storeKey = kind.prefix + id;
    try {
      const stored = await store.get<Record<string, unknown>>(storeKey);
      if (stored === undefined) continue; // gone since it was listed
      if (sealedWith(stored, kind.fields).every((kid) => kid === `v2:${key.keyId}`)) {
        counts.alreadyCurrent++;
        continue;
      }
      await kind.reseal(id, migrateLegacy);
      counts.reEncrypted++;
    } catch (err) {
      counts.failed++;
      const stored = await store.get<Record<string, unknown>>(storeKey).catch(() => undefined);
      log.warn({ kind: kind.kind, key: storeKey, err: describeError(err), sealedWith: stored && sealedWith(stored, kind.fields) }, 'could not re-encrypt a stored secret');
    }
  }
  log.info({ kind: kind.kind, ...counts, keyId: key.keyId }, 'key rotation done for kind');
  return counts;
}

/** Ids from the kind's index, plus (Redis) every key under its prefix; each once. */
async function idsOf(store: Store, kind: SealedRecords): Promise<string[]> {
  const ids = new Set(await kind.indexed());
  if (store.redis) {
    const client = await store.redis.client();
    const full = store.keyFor(kind.prefix);
    for await (const keys of client.scanIterator({ MATCH: `${escapeGlob(full)}*`, COUNT: 500 })) {
      for (const k of keys) ids.add(k.slice(full.length));
    }
  }
  return [...ids].sort();
}

/** `<format>:<key id>` of the record's sealed fields (absent ones skipped); `plaintext` for a field not sealed. */
function sealedWith(stored: Record<string, unknown>, fields: readonly string[]): string[] {
  const ids: string[] = [];
  for (const f of fields) {
    const v = stored[f];
    if (v === undefined || v === null) continue;
    const format = sealedFormat(v);
    ids.push(format ? `${format.version}:${format.keyId}` : 'plaintext');
  }
  return ids;
}

/** Redis glob characters in a key prefix match literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
