/**
 * ConnectionRepository.getCached on real stores: the backstop when messages are lost, a gap in
 * the messages, messages an attacker publishes, tenant separation, SQLite (never cached) and a
 * read that races a write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createBroadcast, type Broadcast } from '../../src/store/broadcast.js';
import { createStore, type EncryptionKey, type Store } from '../../src/store/index.js';
import { CONNECTION_CHANNEL } from '../../src/tokens/connection-cache.js';
import type { Connection } from '../../src/tokens/connection.js';
import { ConnectionRepository } from '../../src/tokens/connection-repository.js';
import { dataCentreTable } from '../../src/zoho/datacenters.js';
import { RedisServer } from '../resilience/redis-server.js';
import { dropNamespace, openRedisStore, REDIS_URL, sampleConnection, testKey, uniqueNamespace } from './helpers.js';

const TABLE = dataCentreTable();
const log = createLogger({ level: 'silent' });
const TTL = 30_000;

/** An active connection of `tenantId` whose access token is `accessToken`. */
const sample = (tenantId: string, accessToken: string): Connection => sampleConnection({ tenantId, accessToken, refreshToken: `1000.refresh-${tenantId}` });

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function redisStore(namespace: string): Promise<Store> {
  const store = await openRedisStore(namespace);
  cleanup.push(async () => {
    await dropNamespace(store);
    await store.close();
  });
  return store;
}

function broadcastOn(store: Store, url = REDIS_URL): Broadcast {
  const bc = createBroadcast({ store, redisUrl: url, log });
  cleanup.push(() => bc.close());
  return bc;
}

const repo = (store: Store, key: EncryptionKey, cache?: ConstructorParameters<typeof ConnectionRepository>[0]['cache']) =>
  new ConnectionRepository({ store, key, dataCentres: TABLE, log, ...(cache ? { cache } : {}) });

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never: ${what}`);
}

describe('ConnectionRepository.getCached', () => {
  it('backstop: with every message lost, a copy is used for at most CONNECTION_CACHE_TTL', async () => {
    const ns = uniqueNamespace('conncache');
    const key = testKey();
    const clock = { t: 0 };
    const writer = repo(await redisStore(ns), key); // an instance whose messages never arrive
    const reader = repo(await redisStore(ns), key, { ttlMs: TTL, clock: () => clock.t });
    await writer.put(sample('acme', '1000.old'));
    expect((await reader.getCached('acme', 'default'))?.accessToken).toBe('1000.old');
    await writer.delete('acme', 'default');

    clock.t = TTL - 1;
    expect((await reader.getCached('acme', 'default'))?.accessToken).toBe('1000.old');
    clock.t = TTL;
    expect(await reader.getCached('acme', 'default')).toBeUndefined();
    // `get` never answers from the copy.
    await writer.put(sample('acme', '1000.new'));
    expect((await reader.get('acme', 'default'))?.accessToken).toBe('1000.new');
  });

  it('a message names a connection by tenant and name: only that copy goes, and another tenant never gets it', async () => {
    const ns = uniqueNamespace('conncache');
    const key = testKey();
    const storeB = await redisStore(ns);
    const bcB = broadcastOn(storeB);
    const b = repo(storeB, key, { ttlMs: TTL, broadcast: bcB });
    const storeA = await redisStore(ns);
    const a = repo(storeA, key, { ttlMs: TTL, broadcast: broadcastOn(storeA) });
    await until(() => bcB.hearing, 'B hears');
    await a.put(sample('acme', '1000.acme'));
    await a.put(sample('globex', '1000.globex'));
    // The two writes' own messages reach B after it has heard them, not after it kept its copies
    // (a slow machine delivered them late and dropped the copies this test then counts).
    await until(() => b.cacheStats.messages >= 2, 'B hears both writes');
    expect((await b.getCached('acme', 'default'))?.accessToken).toBe('1000.acme');
    expect((await b.getCached('globex', 'default'))?.accessToken).toBe('1000.globex');
    expect(await b.getCached('initech', 'default')).toBeUndefined();
    expect(b.cachedCount).toBe(2);
    const heard = b.cacheStats.messages;

    await a.put(sample('acme', '1000.acme-2'));
    await until(() => b.cacheStats.messages > heard, 'B hears the change');
    expect(b.cachedCount).toBe(1); // globex's copy stays
    expect((await b.getCached('acme', 'default'))?.accessToken).toBe('1000.acme-2');
    expect((await b.getCached('globex', 'default'))?.accessToken).toBe('1000.globex');
  });

  it('attack: messages published by whoever can write to the Redis only make instances re-read the store', async () => {
    const ns = uniqueNamespace('conncache');
    const key = testKey();
    const store = await redisStore(ns);
    const b = repo(store, key, { ttlMs: TTL, broadcast: broadcastOn(store) });
    const intruder = broadcastOn(await redisStore(ns));
    const stored = sample('acme', '1000.acme');
    await b.put(stored);
    await b.getCached('acme', 'default');
    const heard = b.cacheStats.messages;
    const forged = ['acme:default', 'globex:default', '', 'acme', ':::', JSON.stringify({ ...stored, accessToken: '1000.forged' }), `acme:default\n1000.forged`];
    for (const m of forged) await intruder.publish(CONNECTION_CHANNEL, m);
    await until(() => b.cacheStats.messages >= heard + forged.length, 'B hears every forged message');
    const misses = b.cacheStats.misses;
    expect(await b.getCached('acme', 'default')).toEqual(stored); // the store's value, re-read once
    expect(b.cacheStats.misses).toBe(misses + 1);
    expect(await b.getCached('acme', 'default')).toEqual(stored);
    expect(b.cacheStats.misses).toBe(misses + 1);
  });

  it('a read that began before a write is handed out but not kept', async () => {
    const ns = uniqueNamespace('conncache');
    const key = testKey();
    const real = await redisStore(ns);
    let hold: Promise<void> | undefined;
    let answered!: () => void;
    const gotAnswer = new Promise<void>((resolve) => (answered = resolve));
    // The real store, with a connection read's answer held back until the test lets it go.
    const held: Store = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'get') {
          return async (k: string) => {
            const value = await target.get(k);
            if (hold) {
              answered();
              await hold;
            }
            return value;
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const r = repo(held, key, { ttlMs: TTL });
    await r.put(sample('acme', '1000.old'));
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const reading = r.getCached('acme', 'default');
    await gotAnswer; // Redis answered with the old record
    hold = undefined;
    await r.put(sample('acme', '1000.new'));
    release();
    expect((await reading)?.accessToken).toBe('1000.old');
    expect((await r.getCached('acme', 'default'))?.accessToken).toBe('1000.new');
  });

  it('SQLite: never cached, so another process sharing the file is seen at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zgw-conncache-'));
    const url = `sqlite://${join(dir, 'gw.sqlite')}`;
    const key = testKey();
    const [s1, s2] = [createStore(url), createStore(url)];
    cleanup.push(async () => {
      await s1.close();
      await s2.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const writer = repo(s1, key);
    const reader = repo(s2, key, { ttlMs: TTL, broadcast: createBroadcast({ store: s2, log }) });
    await writer.put(sample('acme', '1000.old'));
    expect((await reader.getCached('acme', 'default'))?.accessToken).toBe('1000.old');
    await writer.put(sample('acme', '1000.new'));
    expect((await reader.getCached('acme', 'default'))?.accessToken).toBe('1000.new');
    expect(reader.cachedCount).toBe(0);
  });

  /** A repository with the cache on, over a Redis server of this test's own (which it may kill). */
  async function onPrivateRedis() {
    const server = await RedisServer.start();
    cleanup.push(() => server.close());
    const store = createStore(server.url, { namespace: uniqueNamespace('conncache') });
    cleanup.push(() => store.close());
    const bc = createBroadcast({ store, redisUrl: server.url, log });
    cleanup.push(() => bc.close());
    const r = repo(store, testKey(), { ttlMs: TTL, broadcast: bc });
    await bc.ready();
    return { server, store, bc, r };
  }

  it('the moment the subscriber loses Redis, copies are dropped and none are kept until it hears again', async () => {
    const { store, bc, r } = await onPrivateRedis();
    await r.put(sample('acme', '1000.acme'));
    await r.getCached('acme', 'default');
    expect(r.cachedCount).toBe(1);

    // Only the subscriber's connection dies; the store's command connection stays up, so a read
    // during the gap succeeds, and must not be kept: a change announced now would be lost.
    const gapsWhileDeaf: boolean[] = [];
    bc.onGap(() => {
      gapsWhileDeaf.push(!bc.hearing);
      // A read now (the command connection still works) must not become a copy.
      if (!bc.hearing)
        void r.getCached('acme', 'default').then(
          () => gapsWhileDeaf.push(r.cachedCount === 0),
          () => undefined,
        );
    });
    const admin = await store.redis!.client();
    await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    await until(() => bc.hearing && r.cacheStats.gaps >= 2, 'the subscriber notices, then is back');
    // The first gap came when the connection dropped, not only once it was back.
    expect(gapsWhileDeaf.slice(0, 2)).toEqual([true, true]);
    await r.getCached('acme', 'default');
    expect(r.cachedCount).toBe(1);
  });

  it('a gap in the messages (the subscriber reconnected) drops every copy', async () => {
    const { server, store, r } = await onPrivateRedis();
    await r.put(sample('acme', '1000.acme'));
    await r.put(sample('globex', '1000.globex'));
    await r.getCached('acme', 'default');
    await r.getCached('globex', 'default');
    expect(r.cachedCount).toBe(2);

    await server.kill();
    await server.restart();
    await until(() => r.cacheStats.gaps > 0, 'the subscriber reconnects');
    expect(r.cachedCount).toBe(0);
    // The store's own client reconnects on its own schedule.
    for (let i = 0; i < 100 && !(await store.ping()); i++) await new Promise((res) => setTimeout(res, 50));
    expect((await r.getCached('acme', 'default'))?.accessToken).toBe('1000.acme'); // read again (AOF kept it)
  });
});
