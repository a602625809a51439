import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { GatewayError } from '../errors.js';

/**
 * The syncToken of recordChanges: the sync's position (watermarks and Zoho's page state), signed
 * with HMAC-SHA256 under a key of its own, derived with HKDF from TOKEN_ENCRYPTION_KEY (info
 * `zgw:sync-token:v1`): never the encryption key itself, nor the key that signs OAuth state.
 * Retired encryption keys (TOKEN_ENCRYPTION_KEYS) still verify, so a key rotation does not force
 * every backend to resync from scratch. The token is bound to tenant, connection, Zoho org,
 * module and field set: the signature proves the gateway wrote it, the binding that it was
 * written for this caller and this query.
 */

/** Who and what a token was issued for. */
export interface SyncBinding {
  tenant: string;
  connection: string;
  /** The connection's Zoho org (dc:orgId): a reconnect to another org starts over. */
  org: string;
  module: string;
  /** Hash of the sorted field api names (fieldsKey). */
  fields: string;
}

const INFO = 'zgw:sync-token:v1';
const derived = new WeakMap<Uint8Array, Buffer>();

/** The sync-token key of one master key (cached per key object). */
export function syncKey(master: Uint8Array): Buffer {
  let k = derived.get(master);
  if (!k) {
    k = Buffer.from(hkdfSync('sha256', master, new Uint8Array(0), INFO, 32));
    derived.set(master, k);
  }
  return k;
}

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(`${INFO}.${payload}`).digest();

export function signSyncToken<S extends object>(key: Buffer, binding: SyncBinding, state: S): string {
  const payload = Buffer.from(JSON.stringify({ b: binding, s: state })).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

const refused = (message: string) => new GatewayError('BAD_USER_INPUT', message, { argument: 'syncToken' });

/**
 * The state of a token this gateway signed for `binding`. A token that fails the signature
 * ("forged or damaged") and one signed for another tenant, connection, module or field set are
 * both BAD_USER_INPUT, with messages that say which, and nothing of the other tenant.
 */
export function readSyncToken<S>(keys: readonly Buffer[], binding: SyncBinding, token: string): S {
  const dot = token.indexOf('.');
  const payload = dot > 0 ? token.slice(0, dot) : '';
  const sig = dot > 0 ? Buffer.from(token.slice(dot + 1), 'base64url') : Buffer.alloc(0);
  const valid =
    payload !== '' &&
    keys.some((k) => {
      const want = mac(k, payload);
      return sig.length === want.length && timingSafeEqual(sig, want);
    });
  if (!valid) throw refused('syncToken is not a token this gateway issued (bad signature): start over with since, or with no token');
  let parsed: { b?: Partial<SyncBinding>; s?: S };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw refused('syncToken is not a token this gateway issued');
  }
  const b = parsed.b ?? {};
  if (b.tenant !== binding.tenant || b.connection !== binding.connection || b.org !== binding.org) {
    throw refused('syncToken was issued to another tenant or connection: each sync keeps its own token');
  }
  if (b.module !== binding.module) throw refused(`syncToken belongs to a sync of another module, not ${binding.module}`);
  if (b.fields !== binding.fields) throw refused('syncToken was issued for another set of fields: keep the selection and fields the same for one sync, or start over with since');
  if (!parsed.s) throw refused('syncToken is not a token this gateway issued');
  return parsed.s;
}
