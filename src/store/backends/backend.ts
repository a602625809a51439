/**
 * What the Store wrapper needs from each backend beyond Keyv's own verbs.
 */
import type { Keyv } from 'keyv';
import type { StoreKind } from '../store-url.js';
import type { RedisAccess } from '../store.js';

export interface Backend {
  readonly kind: StoreKind;
  /**
   * A Keyv over the backend with no key prefixing of its own (the Store adds `zgw:v1:…`) and
   * `throwOnErrors` on, so a failing backend rejects instead of reading as "not found".
   */
  readonly keyv: Keyv;
  /**
   * Writes `serialized` (a Keyv envelope `{"value":…,"expires":…}`) at `fullKey` unless an
   * unexpired value is there; true if written. `ttlMs`: milliseconds, positive.
   */
  setIfAbsent(fullKey: string, serialized: string, ttlMs: number): Promise<boolean>;
  /**
   * Removes `fullKey`; true if a row was there, and of concurrent calls only one sees true. Absent
   * where Keyv's own delete already is that (Redis DEL, the in-process Map).
   */
  delete?(fullKey: string): Promise<boolean>;
  /** True when the backend answers now; never rejects. */
  ping(): Promise<boolean>;
  /**
   * Resolves once the backend can take a command (Redis: connected and ready), rejects when it
   * cannot within its connect timeout. Absent for backends that are always ready.
   */
  ready?(): Promise<void>;
  close(): Promise<void>;
  readonly redis: RedisAccess | undefined;
}

/**
 * Keyv options shared by all backends. `namespace: undefined` with `useKeyPrefix: false` turns off
 * Keyv's and the adapters' own prefixes (`keyv:` and `namespace::`), so the stored key is exactly
 * the Store's key and the raw Redis/SQLite commands we issue can address the same rows.
 */
export const KEYV_OPTIONS = { namespace: undefined, useKeyPrefix: false, throwOnErrors: true } as const;

/** Whether a Keyv envelope as stored has passed its `expires` time (epoch ms), as Keyv judges it. */
export function envelopeExpired(serialized: unknown, now: number = Date.now()): boolean {
  if (typeof serialized !== 'string') return false;
  try {
    const envelope = JSON.parse(serialized) as { expires?: unknown };
    return typeof envelope.expires === 'number' && now > envelope.expires;
  } catch {
    return false;
  }
}
