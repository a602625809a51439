/**
 * createStore: picks the backend from STORE_URL and wraps it in the Store interface, adding our
 * key prefix, value checks and TTL rules in one place for all backends.
 */
import type { Backend } from './backends/backend.js';
import { memoryBackend } from './backends/memory.js';
import { redisBackend } from './backends/redis.js';
import { sqliteBackend } from './backends/sqlite.js';
import { KEY_PREFIX, StoreError, StoreUnavailableError, type Store } from './store.js';
import { parseStoreUrl } from './store-url.js';

export interface CreateStoreOptions {
  /**
   * Separates one user of the store from another (e.g. `tokens`, `oauth-state`) and, in tests,
   * one run from another. Letters, digits, `_` and `-`. Keys become `zgw:v1:<namespace>:<key>`.
   */
  readonly namespace?: string;
  /** Redis only: connection timeout in milliseconds (default 5000). */
  readonly connectTimeoutMs?: number;
}

/** Refuses values JSON would silently change, naming where the offending value sits. */
function assertStorable(value: unknown, path = '$'): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot store ${value} at ${path}: JSON has no such number`);
      return;
    case 'object': {
      if (value === null) return;
      if (value instanceof Date) {
        throw new TypeError(`cannot store a Date at ${path}: store times as epoch milliseconds (numbers)`);
      }
      if (Array.isArray(value)) {
        for (const [index, item] of value.entries()) assertStorable(item, `${path}[${index}]`);
        return;
      }
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`cannot store a ${value.constructor?.name ?? 'non-plain object'} at ${path}: use plain objects`);
      }
      for (const [key, inner] of Object.entries(value)) {
        // JSON drops undefined properties; that matches reading back an absent optional field.
        if (inner !== undefined) assertStorable(inner, `${path}.${key}`);
      }
      return;
    }
    default:
      throw new TypeError(`cannot store a ${typeof value} at ${path}`);
  }
}

function assertTtl(ttlMs: number): void {
  // Keyv reads a TTL of 0 as "no expiry"; refuse it rather than keep a value forever by accident.
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive integer number of milliseconds (got ${ttlMs})`);
  }
}

function assertKey(key: string): void {
  if (typeof key !== 'string' || key === '') throw new TypeError('store keys must be non-empty strings');
}

function backendFor(url: string, options: CreateStoreOptions): Backend {
  const location = parseStoreUrl(url);
  switch (location.kind) {
    case 'redis':
      return redisBackend(location.url, { connectTimeoutMs: options.connectTimeoutMs });
    case 'sqlite':
      return sqliteBackend(location.path);
    case 'memory':
      return memoryBackend();
  }
}

/**
 * A store at `url` (`redis://…`, `rediss://…`, `sqlite://path`, `memory://`). Connects lazily:
 * creating a store never fails because the backend is down; call ping() to check readiness.
 */
export function createStore(url: string, options: CreateStoreOptions = {}): Store {
  const { namespace } = options;
  if (namespace !== undefined && !/^[A-Za-z0-9_-]+$/.test(namespace)) {
    throw new TypeError('store namespace may contain only letters, digits, "_" and "-"');
  }
  const prefix = namespace === undefined ? KEY_PREFIX : `${KEY_PREFIX}${namespace}:`;
  const backend = backendFor(url, options);
  const { keyv } = backend;
  let closed = false;

  const keyFor = (key: string): string => {
    assertKey(key);
    return prefix + key;
  };
  // Any failure of the backend itself (not of our own checks) becomes StoreUnavailableError.
  const backendOp = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op();
    } catch (err) {
      throw err instanceof StoreUnavailableError ? err : new StoreUnavailableError(err);
    }
  };
  const open = async (): Promise<void> => {
    if (closed) throw new StoreError('store is closed');
    await backendOp(async () => backend.ready?.());
  };

  const store: Store = {
    kind: backend.kind,
    prefix,
    keyFor,
    redis: backend.redis,

    async get<T>(key: string): Promise<T | undefined> {
      await open();
      const value: unknown = await backendOp(() => keyv.get(keyFor(key)));
      return value === undefined ? undefined : (value as T);
    },

    async set(key, value, ttlMs) {
      await open();
      const fullKey = keyFor(key);
      if (value === undefined) throw new TypeError('cannot store undefined; use delete()');
      assertStorable(value);
      if (ttlMs !== undefined) assertTtl(ttlMs);
      const written = await backendOp(() => keyv.set(fullKey, value, ttlMs));
      if (!written) throw new StoreError(`store refused to write ${fullKey}`);
    },

    async delete(key) {
      await open();
      const fullKey = keyFor(key);
      return backendOp(() => (backend.delete ? backend.delete(fullKey) : keyv.delete(fullKey)));
    },

    async has(key) {
      // Not keyv.has(): the SQLite adapter answers it from row existence, ignoring expiry.
      return (await store.get(key)) !== undefined;
    },

    async setIfAbsent(key, value, ttlMs) {
      await open();
      const fullKey = keyFor(key);
      if (value === undefined) throw new TypeError('cannot store undefined');
      assertStorable(value);
      assertTtl(ttlMs);
      // The same envelope Keyv writes in set(), so get() reads it back like any other value.
      const serialized = await keyv.serializeData({ value, expires: Date.now() + ttlMs });
      if (typeof serialized !== 'string') throw new StoreError('unexpected non-string Keyv serialisation');
      return backendOp(() => backend.setIfAbsent(fullKey, serialized, ttlMs));
    },

    async ping() {
      if (closed) return false;
      return backend.ping();
    },

    async close() {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
  return store;
}
