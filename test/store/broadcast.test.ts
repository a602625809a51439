import { afterEach, describe, expect, it } from 'vitest';
import { createBroadcast, type Broadcast } from '../../src/store/broadcast.js';
import { createStore, type Store } from '../../src/store/index.js';
import { createLogger } from '../../src/log.js';
import { REDIS_URL } from '../helpers/gateway.js';
import { uniqueNamespace } from './backends.js';

const log = createLogger({ level: 'silent' });
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of open.splice(0).reverse()) await c.close();
});

function pair(namespace: string): { store: Store; bc: Broadcast } {
  const store = createStore(REDIS_URL, { namespace });
  const bc = createBroadcast({ store, redisUrl: REDIS_URL, log });
  open.push(store, bc);
  return { store, bc };
}

const next = (bc: Broadcast, channel: string) =>
  new Promise<string>((resolve) => {
    const off = bc.subscribe(channel, (m) => {
      off();
      resolve(m);
    });
  });

describe('broadcast over Redis', () => {
  it('reaches the other instance on the same namespace, not one on another namespace', async () => {
    const ns = uniqueNamespace('bc');
    const a = pair(ns);
    const b = pair(ns);
    const stranger = pair(uniqueNamespace('bc-other'));
    const heard: string[] = [];
    stranger.bc.subscribe('conn', (m) => heard.push(m));
    const got = next(b.bc, 'conn');
    await Promise.all([b.bc.ready(), stranger.bc.ready()]);
    await a.bc.publish('conn', 't1/default');
    expect(await got).toBe('t1/default');
    await a.bc.publish('conn', 'again');
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual([]);
  });

  it('in process (memory store): delivers to the publisher’s own listeners, after the publish call returns', async () => {
    const store = createStore('memory://');
    const bc = createBroadcast({ store, log });
    open.push(store, bc);
    const seen: string[] = [];
    bc.subscribe('x', (m) => seen.push(m));
    const sent = bc.publish('x', 'one');
    expect(seen).toEqual([]);
    await sent;
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['one']);
  });
});
