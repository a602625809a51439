/**
 * In-process backend: Keyv's default Map. For demo mode and tests; nothing survives a restart and
 * nothing is shared between processes. Expired entries are dropped when next read, so keys that
 * are written once and never read again (a short-lived OAuth state, say) stay in memory until the
 * process ends — acceptable for a demo, and a reason not to run production on `memory://`.
 */
import { Keyv } from 'keyv';
import { envelopeExpired, KEYV_OPTIONS, type Backend } from './backend.js';

export function memoryBackend(): Backend {
  const map = new Map<string, unknown>();
  const keyv = new Keyv({ store: map, ...KEYV_OPTIONS });
  return {
    kind: 'memory',
    keyv,
    redis: undefined,
    async setIfAbsent(fullKey, serialized) {
      // No await between the check and the write: within one event loop this is atomic. Keyv
      // enforces the envelope's `expires` on read, so the TTL needs no separate handling here.
      const existing = map.get(fullKey);
      if (existing !== undefined && !envelopeExpired(existing)) return false;
      map.set(fullKey, serialized);
      return true;
    },
    async ping() {
      return true;
    },
    async close() {
      map.clear();
    },
  };
}
