/**
 * Best-effort messages to every gateway instance sharing a store: "connection X changed, drop
 * your copy", "a Zoho slot of org Y came free". Over Redis pub/sub when the store is Redis; in
 * this process otherwise (a memory store exists in one process only; SQLite is a single-instance
 * setup, see ratelimit/tenant-limiter.ts).
 *
 * Pub/sub loses what is published while a subscriber is disconnected. Listeners that keep copies
 * must therefore treat `onGap` as "anything may have changed" (drop everything), and never rely
 * on a message for safety alone: a bound on how long a copy lives stays the backstop.
 *
 * Messages carry ids only, never secrets: anyone who can publish on the Redis can make instances
 * re-read the store, nothing more.
 */
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { Store } from './store.js';

export interface Broadcast {
  /** Sends `message` to the listeners of `channel` on every instance, this one included. */
  publish(channel: string, message: string): Promise<void>;
  /** Calls `listener` for each message on `channel`; returns the unsubscribe function. */
  subscribe(channel: string, listener: (message: string) => void): () => void;
  /**
   * Calls `listener` whenever messages may have been lost (the subscriber connection dropped and
   * came back): copies kept up to date by messages must be dropped. Returns the unsubscribe function.
   */
  onGap(listener: () => void): () => void;
  /** Resolves once the subscriptions made so far are in force (Redis acknowledged them). */
  ready(): Promise<void>;
  /**
   * Whether messages published now would reach this instance (false while the subscriber is
   * disconnected): copies must not be kept while it is false, as their invalidation could be lost.
   */
  readonly hearing: boolean;
  close(): Promise<void>;
}

export interface BroadcastOptions {
  store: Store;
  /** The store's Redis URL (required when the store is Redis: the subscriber needs its own connection). */
  redisUrl?: string;
  log: Logger;
}

export function createBroadcast(options: BroadcastOptions): Broadcast {
  const { store } = options;
  if (store.redis) {
    if (!options.redisUrl) throw new TypeError('a Redis store needs redisUrl for its broadcast subscriber');
    return overRedis(store, options.redisUrl, options.log);
  }
  return inProcess();
}

function inProcess(): Broadcast {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(channel, message) {
      // Asynchronous like Redis delivery, so a publisher never runs listeners inside its own call.
      queueMicrotask(() => emitter.emit(`m:${channel}`, message));
    },
    subscribe(channel, listener) {
      emitter.on(`m:${channel}`, listener);
      return () => emitter.off(`m:${channel}`, listener);
    },
    onGap: () => () => undefined,
    ready: async () => undefined,
    hearing: true,
    close: async () => undefined,
  };
}

function overRedis(store: Store, url: string, log: Logger): Broadcast {
  // Channels live under the store's prefix, so test namespaces and deployments sharing a Redis never hear each other.
  const full = (channel: string) => `${store.prefix}bc:${channel}`;
  const listeners = new EventEmitter();
  listeners.setMaxListeners(0);
  const subscriber = new Redis(url, { connectionName: 'zgw-broadcast', maxRetriesPerRequest: null, lazyConnect: false });
  // Only the message: an ioredis error never needs the URL (which may carry a password).
  subscriber.on('error', (err: Error) => log.warn({ err: err.message }, 'broadcast redis client error'));
  subscriber.on('message', (channel: string, message: string) => listeners.emit(`m:${channel}`, message));
  let connectedOnce = false;
  let live = false;
  // ioredis resubscribes by itself after a reconnect; what was published in between is lost.
  // A gap is signalled when the connection drops (copies stop being trustworthy now, not after a
  // long outage) and again when it is back (anything kept during the reconnect is suspect too).
  subscriber.on('ready', () => {
    const again = connectedOnce;
    connectedOnce = true;
    // ioredis sends its SUBSCRIBEs again on 'ready' without waiting for them: a PING answered on
    // this connection comes after their replies, so from then on a message cannot be missed.
    subscriber.ping().then(
      () => {
        live = true;
        if (again) listeners.emit('gap');
      },
      () => undefined,
    );
  });
  subscriber.on('close', () => {
    if (!live) return;
    live = false;
    listeners.emit('gap');
  });
  const counts = new Map<string, number>();
  let pending: Promise<unknown> = Promise.resolve();
  let closed = false;
  return {
    async publish(channel, message) {
      const client = await store.redis!.client();
      await client.publish(full(channel), message);
    },
    subscribe(channel, listener) {
      const name = full(channel);
      listeners.on(`m:${name}`, listener);
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      if (n === 1) {
        pending = subscriber.subscribe(name).catch((err: Error) => log.warn({ err: err.message }, 'broadcast subscribe failed'));
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        listeners.off(`m:${name}`, listener);
        const left = (counts.get(name) ?? 1) - 1;
        if (left > 0) return void counts.set(name, left);
        counts.delete(name);
        if (!closed) subscriber.unsubscribe(name).catch(() => undefined);
      };
    },
    onGap(listener) {
      listeners.on('gap', listener);
      return () => listeners.off('gap', listener);
    },
    async ready() {
      await pending;
    },
    get hearing() {
      return live && !closed;
    },
    async close() {
      if (closed) return;
      closed = true;
      // QUIT is queued until a connection exists (maxRetriesPerRequest: null), so with Redis away
      // it would wait for Redis forever, and with it the app's shutdown: just drop the socket.
      if (subscriber.status !== 'ready') return void subscriber.disconnect();
      await subscriber.quit().then(
        () => undefined,
        () => subscriber.disconnect(),
      );
    },
  };
}
