/**
 * The key-value store every stateful part of the gateway (tokens, OAuth state, locks) goes
 * through: one interface over Redis, SQLite and an in-process Map.
 */
import type { createClient } from '@keyv/redis';
import { GatewayError } from '../errors.js';
import type { StoreKind } from './store-url.js';

/** Every key we write starts with this, so our data is recognisable (and migratable) in a shared Redis. */
export const KEY_PREFIX = 'zgw:v1:';

/** The node-redis client behind a Redis store. */
export type RedisClient = ReturnType<typeof createClient>;

/** Direct Redis access, for operations Keyv has no verb for (a lock's compare-and-delete, say). */
export interface RedisAccess {
  /** The connected node-redis client. Use `store.keyFor()` to build keys. */
  client(): Promise<RedisClient>;
}

export interface Store {
  readonly kind: StoreKind;
  /** The prefix of every backend key of this store: `zgw:v1:` plus `<namespace>:` if one was given. */
  readonly prefix: string;
  /** The key as it is stored in the backend (prefix + key). */
  keyFor(key: string): string;

  /**
   * The value at `key`, or undefined when absent or expired. Values come back as JSON gives them:
   * store times as epoch milliseconds (numbers), never Dates. Rejects if the backend fails.
   */
  get<T>(key: string): Promise<T | undefined>;
  /**
   * Stores a JSON-compatible value (plain objects, arrays, strings, finite numbers, booleans,
   * null); a Date, Map, Buffer, function or bigint is refused with a TypeError rather than
   * silently changed. `ttlMs`: lifetime in milliseconds (positive integer); omit to keep forever.
   */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  /**
   * Removes `key`; true if something was there. Of concurrent deletes of one key exactly one gets
   * true, on every backend: single-use values (OAuth states, connect tickets) rely on it.
   */
  delete(key: string): Promise<boolean>;
  /** True if `key` holds an unexpired value. */
  has(key: string): Promise<boolean>;
  /**
   * Stores `value` only if `key` holds no unexpired value, atomically: of many concurrent calls
   * exactly one gets true. Redis: `SET NX PX` (atomic across processes). SQLite: one
   * conditional upsert statement (atomic across processes sharing the file). Memory: a check
   * and write with no await between them (atomic within the process, the only place it exists).
   * `ttlMs`: lifetime in milliseconds (positive integer), required so a crashed owner cannot hold
   * a key forever.
   */
  setIfAbsent(key: string, value: unknown, ttlMs: number): Promise<boolean>;

  /** Readiness: true when the backend answers a round trip now (for Redis, a real PING). Never rejects. */
  ping(): Promise<boolean>;
  /** Releases connections and file handles. Idempotent; later calls on the store reject. */
  close(): Promise<void>;

  /** Present for Redis stores only. */
  readonly redis: RedisAccess | undefined;
}

/** A backend operation failed in a way the backend did not explain with its own error. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/**
 * The backend failed an operation (Redis down, connection lost mid-command, store closed). It is
 * a GatewayError, so a caller sees `STORE_UNAVAILABLE` and a message that names no key, rather
 * than a masked internal error; the backend's own error stays in `cause` for the logs.
 */
export class StoreUnavailableError extends GatewayError {
  constructor(cause: unknown) {
    // Not passed as GraphQL's originalError: Yoga masks a GraphQLError whose originalError is not
    // one, and the point is that the caller sees this code. `cause` keeps it for the logs.
    super('STORE_UNAVAILABLE', "The gateway's store is unavailable; try again shortly", { retryAfterSec: 1 });
    this.name = 'StoreUnavailableError';
    this.cause = cause;
  }
}
