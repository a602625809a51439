/**
 * The event bus: carries RecordEvents from the instance that received Zoho's notification to the
 * subscribers on every instance, and hands each event to the webhook forwarder exactly once.
 *
 * With a Redis store (config.store.kind === 'redis') events travel over Redis pub/sub on the same
 * Redis, through two ioredis clients of our own (a connection in subscriber mode can do nothing
 * else, and the store's node-redis client must stay free for commands). Otherwise they stay in
 * this process (Yoga's in-memory pub/sub): that is all a memory or SQLite gateway can offer, as
 * such a store is not shared between processes for pub/sub anyway.
 *
 * Each tenant has its own channel, `zgw:v1:<namespace>:events:<tenantId>`: a subscriber only ever
 * subscribes to its own tenant's channel, and events are checked again on arrival, so a tenant
 * never receives another tenant's events even if a channel name were built wrongly.
 */
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, filter, pipe, type PubSubEventTarget } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Config } from '../config/index.js';
import type { Logger } from '../log.js';
import { KEY_PREFIX } from '../store/store.js';
import { relay } from './relay.js';
import type { EventSink, RecordEvent } from './types.js';

/** What a bus hands each dispatched event to, besides the subscribers (the webhook forwarder). */
export interface EventForwarding {
  /** Starts forwarding `event` in the background; must return at once and never throw. */
  forward(event: RecordEvent): void;
}

export interface EventBus extends EventSink {
  /**
   * Publishes `event` to the subscribers of its tenant and connection on every instance, and
   * starts forwarding it to the tenant's webhook from this instance only. Resolves once the
   * event is published (not when the webhook got it); rejects when publishing failed (Redis
   * unreachable), after forwarding was started anyway.
   */
  dispatch(event: RecordEvent): Promise<void>;
  /** The events of one tenant's connection, as they are dispatched on any instance, until `return()`. */
  subscribe(tenantId: string, connectionName: string): AsyncIterable<RecordEvent>;
  /**
   * Subscriptions to `tenantId`'s events on this instance that are live (for Redis: the channel
   * subscription was confirmed by Redis, so a publish from now on reaches them).
   */
  listeners(tenantId: string): number;
  /**
   * Ends every subscription on this instance (their SSE responses complete; clients reconnect to
   * another instance), so a graceful stop need not wait for long-lived streams. Later
   * subscriptions end at once.
   */
  endSubscriptions(): void;
  /** Ends subscriptions, stops forwarding and closes the Redis clients. Idempotent. */
  close(): Promise<void>;
}

export interface EventBusOptions {
  config: Config;
  log: Logger;
  /** The store namespace (tests): channels become `zgw:v1:<namespace>:events:<tenantId>`. */
  namespace?: string;
  /** Who forwards events to tenants' webhooks (none: events only reach subscribers). */
  forwarding?: EventForwarding & { close(): Promise<void> };
}

type Topics = Record<string, [RecordEvent]>;

/** How events travel: in this process, or over Redis. */
interface Transport {
  target: PubSubEventTarget<Topics>;
  publish(topic: string, event: RecordEvent): Promise<void>;
  /** Resolves once a listener just added for `topic` will receive what is published from now on. */
  confirmed(topic: string): Promise<void>;
  close(): Promise<void>;
}

function inProcess(): Transport {
  const target = new EventTarget() as PubSubEventTarget<Topics>;
  return {
    target,
    async publish(topic, event) {
      target.dispatchEvent(new CustomEvent(topic, { detail: event }));
    },
    confirmed: async () => {},
    close: async () => {},
  };
}

function overRedis(url: string, log: Logger): Transport {
  // Commands fail after a bounded wait instead of queueing forever while Redis is away.
  const options = { maxRetriesPerRequest: 3, connectionName: 'zgw-events' };
  const publishClient = new Redis(url, options);
  const subscribeClient = new Redis(url, options);
  for (const [role, client] of [
    ['publish', publishClient],
    ['subscribe', subscribeClient],
  ] as const) {
    // Only the message: an ioredis error never needs the URL (which may carry a password).
    client.on('error', (err: Error) => log.warn({ role, err: err.message }, 'events redis client error'));
  }
  // The event target calls subscribe/unsubscribe without awaiting them: while Redis is away a
  // rejection would go unhandled (and stop the process). It only uses these three methods.
  const guarded = {
    on: (name: string, listener: (channel: string, message: string) => void) => subscribeClient.on(name, listener),
    subscribe: (channel: string) => subscribeClient.subscribe(channel).catch((err: Error) => log.warn({ err: err.message }, 'events redis subscribe failed')),
    unsubscribe: (channel: string) => subscribeClient.unsubscribe(channel).catch((err: Error) => log.warn({ err: err.message }, 'events redis unsubscribe failed')),
  } as unknown as Redis;
  return {
    target: createRedisEventTarget<CustomEvent<RecordEvent>>({ publishClient, subscribeClient: guarded }) as PubSubEventTarget<Topics>,
    async publish(topic, event) {
      // Published here rather than through the event target, whose dispatchEvent drops the
      // publish promise: a failure must reach the caller, not become an unhandled rejection.
      await publishClient.publish(topic, JSON.stringify(event));
    },
    // Redis answers commands of one connection in order, and SUBSCRIBE is idempotent: once this
    // one is acknowledged, the event target's own SUBSCRIBE (sent just before) is in force.
    confirmed: async (topic) => {
      await subscribeClient.subscribe(topic);
    },
    async close() {
      await Promise.all(
        [publishClient, subscribeClient].map((c) =>
          c.quit().then(
            () => undefined,
            () => c.disconnect(),
          ),
        ),
      );
    },
  };
}

/** Wraps `transport.target` to count confirmed listeners per topic (see `EventBus.listeners`). */
function counting(transport: Transport, counts: Map<string, number>): PubSubEventTarget<Topics> {
  const inner = transport.target;
  // A listener is pending until its channel subscription is confirmed, then counted.
  const pending = new Set<unknown>();
  const counted = new Set<unknown>();
  const bump = (topic: string, by: number) => {
    const n = (counts.get(topic) ?? 0) + by;
    if (n > 0) counts.set(topic, n);
    else counts.delete(topic);
  };
  return {
    addEventListener(topic, callback, options) {
      inner.addEventListener(topic, callback, options);
      pending.add(callback);
      transport.confirmed(topic).then(
        () => {
          if (!pending.delete(callback)) return;
          counted.add(callback);
          bump(topic, 1);
        },
        () => pending.delete(callback),
      );
    },
    removeEventListener(topic, callback, options) {
      inner.removeEventListener(topic, callback, options);
      pending.delete(callback);
      if (counted.delete(callback)) bump(topic, -1);
    },
    dispatchEvent: (event) => inner.dispatchEvent(event),
  };
}

export function createEventBus(options: EventBusOptions): EventBus {
  const { config, log } = options;
  const prefix = `${KEY_PREFIX}${options.namespace ? `${options.namespace}:` : ''}events`;
  const transport = config.store.kind === 'redis' ? overRedis(config.store.url, log) : inProcess();
  const counts = new Map<string, number>();
  const pubsub = createPubSub<Topics>({ eventTarget: counting(transport, counts) });
  const topicOf = (tenantId: string) => `${prefix}:${tenantId}`;
  let closing: Promise<void> | undefined;
  // One stop function per live stream, removed when the stream ends: ending every stream must not
  // mean that every stream ever opened stays reachable from one promise that never settles.
  const live = new Set<() => void>();
  let ending = false;
  const endAll = () => {
    ending = true;
    for (const stop of [...live]) stop();
  };

  return {
    async dispatch(event) {
      if (closing) throw new Error('event bus is closed');
      options.forwarding?.forward(event);
      try {
        await transport.publish(topicOf(event.tenantId), event);
      } catch (err) {
        log.error({ eventId: event.id, tenantId: event.tenantId, err: (err as Error).message }, 'event publish failed');
        throw err;
      }
    },
    subscribe(tenantId, connectionName) {
      const events = pipe(
        pubsub.subscribe(topicOf(tenantId)) as AsyncIterable<RecordEvent>,
        filter((e: RecordEvent) => e.tenantId === tenantId && e.connectionName === connectionName),
      );
      return relay(events, (stop) => {
        live.add(stop);
        if (ending) stop();
        return () => live.delete(stop);
      });
    },
    listeners: (tenantId) => counts.get(topicOf(tenantId)) ?? 0,
    endSubscriptions: () => endAll(),
    close() {
      closing ??= (async () => {
        endAll();
        await options.forwarding?.close();
        await transport.close();
      })();
      return closing;
    },
  };
}
