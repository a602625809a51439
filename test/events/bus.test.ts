import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createEventBus, type EventBus } from '../../src/events/bus.js';
import type { RecordEvent } from '../../src/events/types.js';
import { createLogger } from '../../src/log.js';
import { REDIS_URL } from '../helpers/gateway.js';

const log = createLogger({ level: 'silent' });

function event(tenantId: string, connectionName = 'default'): RecordEvent {
  return { id: randomUUID(), tenantId, connectionName, module: 'Leads', operation: 'CREATE', ids: ['1'], affectedFields: {}, occurredAt: 0, channelId: 'c' };
}

/** Collects what a subscription yields until `stop()`. */
function collect(bus: EventBus, tenantId: string, connectionName = 'default') {
  const iterator = bus.subscribe(tenantId, connectionName)[Symbol.asyncIterator]();
  const got: RecordEvent[] = [];
  const done = (async () => {
    for (;;) {
      const r = await iterator.next();
      if (r.done) return;
      got.push(r.value);
    }
  })();
  return {
    got,
    stop: async () => {
      await iterator.return?.();
      await done;
    },
  };
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(5);
  }
}

for (const kind of ['memory', 'redis'] as const) {
  describe(`event bus (${kind})`, () => {
    const config = loadConfig({ STORE_URL: kind === 'memory' ? 'memory://' : REDIS_URL, TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), JWT_SECRET: 'x'.repeat(32), LOG_LEVEL: 'silent' });

    it('delivers a tenant’s events of one connection to its subscribers only, and forwards each dispatch once', async () => {
      const forwarded: string[] = [];
      const bus = createEventBus({ config, log, namespace: `t${randomBytes(4).toString('hex')}`, forwarding: { forward: (e) => forwarded.push(e.id), close: async () => {} } });
      const acme = collect(bus, 'acme');
      const acmeOther = collect(bus, 'acme', 'other');
      const globex = collect(bus, 'globex');
      await until(() => bus.listeners('acme') === 2 && bus.listeners('globex') === 1);

      const e1 = event('acme');
      const e2 = event('globex');
      const e3 = event('acme', 'other');
      for (const e of [e1, e2, e3]) await bus.dispatch(e);
      await until(() => acme.got.length === 1 && globex.got.length === 1 && acmeOther.got.length === 1);
      await sleep(50);
      expect(acme.got.map((e) => e.id)).toEqual([e1.id]);
      expect(globex.got.map((e) => e.id)).toEqual([e2.id]);
      expect(acmeOther.got.map((e) => e.id)).toEqual([e3.id]);
      expect(forwarded).toEqual([e1.id, e2.id, e3.id]);

      await acme.stop();
      await acmeOther.stop();
      await globex.stop();
      expect(bus.listeners('acme')).toBe(0);
      expect(bus.listeners('globex')).toBe(0);
      await bus.close();
      await expect(bus.dispatch(event('acme'))).rejects.toThrow(/closed/);
    });

    it('ends every subscription on endSubscriptions (a graceful stop need not wait for SSE streams)', async () => {
      const bus = createEventBus({ config, log, namespace: `e${randomBytes(4).toString('hex')}` });
      const iterator = bus.subscribe('acme', 'default')[Symbol.asyncIterator]();
      const first = iterator.next();
      await until(() => bus.listeners('acme') === 1);
      bus.endSubscriptions();
      expect((await first).done).toBe(true);
      await until(() => bus.listeners('acme') === 0);
      expect((await bus.subscribe('acme', 'default')[Symbol.asyncIterator]().next()).done).toBe(true);
      await bus.close();
    });

    it('keeps namespaces apart (test runs sharing one Redis)', async () => {
      const a = createEventBus({ config, log, namespace: `a${randomBytes(4).toString('hex')}` });
      const b = createEventBus({ config, log, namespace: `b${randomBytes(4).toString('hex')}` });
      const sub = collect(b, 'acme');
      await until(() => b.listeners('acme') === 1);
      await a.dispatch(event('acme'));
      const own = event('acme');
      await b.dispatch(own);
      await until(() => sub.got.length === 1);
      await sleep(50);
      expect(sub.got.map((e) => e.id)).toEqual([own.id]);
      await sub.stop();
      await Promise.all([a.close(), b.close()]);
    });
  });
}
