/**
 * Redis backend: @keyv/redis over a node-redis client we create ourselves, so we control how it
 * behaves when Redis is unreachable and can hand the same client to code that needs raw commands.
 */
import { Keyv } from 'keyv';
import KeyvRedis, { createClient } from '@keyv/redis';
import { backoffDelayMs } from '../../backoff.js';
import { KEYV_OPTIONS, type Backend } from './backend.js';
import { StoreError, type RedisClient } from '../store.js';

export interface RedisBackendOptions {
  /** How long to wait for a connection before failing the operation, in milliseconds. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** How long ping() waits for PONG, in milliseconds. Default 2000. */
  readonly pingTimeoutMs?: number;
}

/** Delay before reconnect attempt `retries` (0-based), in milliseconds: steps of 100, 200, 400 … capped at 2000, jittered. */
function reconnectDelay(retries: number): number {
  return backoffDelayMs(retries + 1, { baseDelayMs: 100, maxDelayMs: 2_000 });
}

/** Resolves to `fallback` after `ms` milliseconds unless `work` settles first. */
async function within<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function redisBackend(url: string, options: RedisBackendOptions = {}): Backend {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
  const client: RedisClient = createClient({
    url,
    // While disconnected, fail commands at once instead of queueing them until Redis returns:
    // a request should get an error it can report, not hang behind an outage.
    disableOfflineQueue: true,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: reconnectDelay },
  });
  const adapter = new KeyvRedis(client, {
    // Surface connection and command failures as rejections. Without this a token lookup during
    // an outage reads as "no token", and every request starts a fresh refresh (a refresh storm).
    throwOnConnectError: true,
    throwOnErrors: true,
    connectionTimeout: connectTimeoutMs,
  });
  const keyv = new Keyv(adapter, KEYV_OPTIONS);
  // node-redis emits 'error' on every failed reconnect; the adapter re-emits it and Keyv re-emits
  // that. Callers learn of failures through rejected operations, so the events are dropped here.
  keyv.on('error', () => undefined);

  /**
   * The client, connected and ready. The adapter connects lazily; while the first connection (or
   * a reconnection) is under way the client is open but not ready, and with the offline queue
   * off a command sent then fails with "The client is offline". So wait for 'ready', bounded.
   */
  let wasReady = false;
  client.on('ready', () => {
    wasReady = true;
  });

  async function connected(): Promise<RedisClient> {
    if (client.isReady) return client;
    // Once connected, a client that is not ready is reconnecting after losing Redis: fail at once
    // rather than make every request wait out the connect timeout during an outage (readiness
    // reports it; the client reconnects in the background and operations work again by themselves).
    if (wasReady && client.isOpen) throw new StoreError('Redis is unreachable (reconnecting)');
    await adapter.getClient();
    if (client.isReady) return client;
    await new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        client.off('ready', onReady);
        reject(new StoreError(`Redis did not become ready within ${connectTimeoutMs} ms`));
      }, connectTimeoutMs);
      client.once('ready', onReady);
    });
    return client;
  }

  return {
    kind: 'redis',
    keyv,
    redis: { client: connected },
    async ready() {
      await connected();
    },
    async setIfAbsent(fullKey, serialized, ttlMs) {
      const redis = await connected();
      // SET NX PX: the check, the write and the expiry in one atomic command.
      const reply = await redis.set(fullKey, serialized, {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      return reply === 'OK';
    },
    async ping() {
      const pong = (async () => (await (await connected()).ping()) === 'PONG')().catch(() => false);
      return within(pong, pingTimeoutMs, false);
    },
    async close() {
      // close() lets queued commands finish; a client that is reconnecting has none worth
      // waiting for, and close() on it could wait for a Redis that never comes back.
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}
