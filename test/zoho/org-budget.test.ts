import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { createBroadcast, type Broadcast } from '../../src/store/broadcast.js';
import { createStore, type Store } from '../../src/store/index.js';
import { RedisLeaseSets } from '../../src/store/lease-set.js';
import type { Connection } from '../../src/tokens/connection.js';
import { ZohoClient, type ZohoClientOptions } from '../../src/zoho/client.js';
import type { BudgetEvent } from '../../src/zoho/org-budget.js';
import { mintToken, startTestEmulator } from '../helpers/emulator.js';
import { REDIS_URL } from '../helpers/gateway.js';
import { RedisServer } from '../resilience/redis-server.js';

/**
 * The org budget under ZohoClient, several clients standing for several instances: each with its
 * own store connection and broadcast on the real Redis, calling the real emulator, which enforces
 * the org's concurrency limit with Zoho's 429. Tokens come from a stub: the budget is under test.
 */

const ORG = 'GET /crm/v8/org';
const log = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Instance {
  client: ZohoClient;
  events: BudgetEvent[];
  close(): Promise<void>;
}

async function instance(emu: ZohoEmulator, redisUrl: string, namespace: string, orgId: string, options: Partial<ZohoClientOptions> = {}): Promise<Instance> {
  const store: Store = createStore(redisUrl, { namespace });
  const broadcast: Broadcast = createBroadcast({ store, redisUrl, log });
  const connection = (tenantId: string, connectionName: string) => ({ tenantId, connectionName, dc: 'us', zohoOrgId: orgId, apiDomain: emu.url, accessToken: mintToken(emu) }) as Connection;
  const events: BudgetEvent[] = [];
  const client = new ZohoClient({
    tokens: { getAccessToken: async (t, c) => connection(t, c), forceRefresh: async (t, c) => connection(t, c) },
    log,
    shared: { slots: new RedisLeaseSets(store, 'conc:org:'), messages: broadcast },
    onBudgetEvent: (e) => events.push(e),
    // No retry of Zoho's 429: a 429 here would be a budget failure, not something to paper over.
    retry: { maxAttempts: 1 },
    ...options,
  });
  await broadcast.ready();
  return {
    client,
    events,
    async close() {
      await client.close();
      await broadcast.close();
      await store.close();
    },
  };
}

const org = (i: Instance, tenant = 'acme', cid = 'default') => i.client.call(tenant, cid, { method: 'GET', path: '/org' });

describe('the org budget shared through Redis', () => {
  let emu: ZohoEmulator;
  const open: Instance[] = [];
  beforeAll(async () => {
    ({ emu } = await startTestEmulator({ maxConcurrency: 2 }));
  });
  afterEach(async () => {
    for (const i of open.splice(0)) await i.close();
    emu.faults.clear();
    emu.resetCalls();
  });
  afterAll(() => emu?.close());
  const start = async (orgId: string, options: Partial<ZohoClientOptions> = {}, namespace = `t${orgId}`) => {
    const i = await instance(emu, REDIS_URL, namespace, orgId, { maxConcurrent: 2, ...options });
    open.push(i);
    return i;
  };

  it('two instances, two tenants of one org: never more than the budget in flight, no 429', async () => {
    const orgId = randomBytes(4).toString('hex');
    const [x, y] = [await start(orgId), await start(orgId)];
    emu.faults.latency(30, { match: ORG });
    const results = await Promise.all([...Array.from({ length: 10 }, () => org(x, 'acme')), ...Array.from({ length: 10 }, () => org(y, 'globex'))]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(emu.concurrency.rejected).toBe(0);
    expect(emu.concurrency.peak).toBe(2);
  });

  it('back-to-back calls reuse the lease of a finished call (parked for a few ms) instead of going to Redis each time, and a parked lease still comes back', async () => {
    const orgId = randomBytes(4).toString('hex');
    const namespace = `park${orgId}`;
    const store = createStore(REDIS_URL, { namespace });
    const broadcast = createBroadcast({ store, redisUrl: REDIS_URL, log });
    const leases = new RedisLeaseSets(store, 'conc:org:');
    let acquires = 0;
    const slots = {
      tryAcquire: (...a: Parameters<RedisLeaseSets['tryAcquire']>) => (acquires++, leases.tryAcquire(...a)),
      renew: (...a: Parameters<RedisLeaseSets['renew']>) => leases.renew(...a),
      release: (...a: Parameters<RedisLeaseSets['release']>) => leases.release(...a),
    };
    const x = await start(orgId, { shared: { slots, messages: broadcast } }, namespace);
    try {
      for (let i = 0; i < 30; i++) expect((await org(x)).status).toBe(200);
      // Each lease serves at most three calls in a row (maxHandovers 2) before it goes back; a
      // pause of the machine longer than the parking only costs a fresh acquire.
      expect(acquires).toBeLessThanOrEqual(20);
      expect(acquires).toBeGreaterThanOrEqual(10);
      // Nothing keeps the slot once the calls stop: the org's set empties by itself.
      await expect.poll(() => leases.count(orgId), { timeout: 2_000, interval: 10 }).toBe(0);
    } finally {
      await broadcast.close();
      await store.close();
    }
  });

  it('control: with a budget per instance (no Redis), two instances overrun the org and Zoho answers 429', async () => {
    const orgId = randomBytes(4).toString('hex');
    const [x, y] = [await start(orgId, { shared: undefined }), await start(orgId, { shared: undefined })];
    emu.faults.latency(30, { match: ORG });
    const settled = await Promise.allSettled([...Array.from({ length: 10 }, () => org(x)), ...Array.from({ length: 10 }, () => org(y))]);
    expect(emu.concurrency.rejected).toBeGreaterThan(0);
    expect(settled.some((s) => s.status === 'rejected')).toBe(true);
  });

  it('a call longer than the lease keeps its slot: the heartbeat renews it', async () => {
    const orgId = randomBytes(4).toString('hex');
    const [x, y] = [await start(orgId, { maxConcurrent: 1, leaseTtlMs: 300 }), await start(orgId, { maxConcurrent: 1, leaseTtlMs: 300 })];
    const held = emu.faults.hold(ORG);
    const long = org(x);
    while (emu.concurrency.inFlight < 1) await sleep(5);
    const waiting = org(y);
    // Five lease lifetimes: without renewal the slot would have gone to y long ago.
    await sleep(1_500);
    expect(emu.count(ORG)).toBe(0);
    expect(emu.concurrency.inFlight).toBe(1);
    held.release();
    expect((await long).status).toBe(200);
    expect((await waiting).status).toBe(200);
    expect(emu.concurrency.rejected).toBe(0);
    expect(x.events).toEqual([]);
  });

  it('the slot of a call that ended goes to a waiter on another instance at once (announced, not polled)', async () => {
    const orgId = randomBytes(4).toString('hex');
    // The fallback retry waits POLL_MS × (0.5 + random()): ~200 s here, far past the test's
    // timeout, so only the announcement of the freed slot can serve the waiter in time.
    const slowPoll = { maxConcurrent: 1, random: () => 1_000 };
    const [x, y] = [await start(orgId, slowPoll), await start(orgId, slowPoll)];
    const held = emu.faults.hold(ORG);
    const first = org(x);
    while (emu.concurrency.inFlight < 1) await sleep(5);
    const second = org(y);
    await sleep(50);
    held.release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  }, 5_000);
});

describe("Zoho's sub-concurrency of 10 for heavy calls, inside a larger org budget", () => {
  let emu: ZohoEmulator;
  const open: Instance[] = [];
  beforeAll(async () => {
    ({ emu } = await startTestEmulator({ maxConcurrency: 20, maxSubConcurrency: 10 }));
  });
  afterAll(async () => {
    for (const i of open.splice(0)) await i.close();
    await emu?.close();
  });

  it('an Enterprise budget of 20 over two instances: 40 COQL queries and 20 reads, never more than 10 queries at once, no 429', async () => {
    const orgId = randomBytes(4).toString('hex');
    for (let n = 0; n < 2; n++) open.push(await instance(emu, REDIS_URL, `t${orgId}`, orgId, { maxConcurrent: 20, maxConcurrentPerTenant: 100 }));
    emu.faults.latency(30, { match: /^[A-Z]+ \/crm\// });
    const coql = { method: 'POST' as const, path: '/coql', body: { select_query: 'select Last_Name from Leads where Last_Name is not null limit 5' } };
    const results = await Promise.all([...Array.from({ length: 40 }, (_, n) => open[n % 2]!.client.call('acme', 'default', coql)), ...Array.from({ length: 20 }, (_, n) => org(open[n % 2]!))]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(emu.subConcurrency.rejected).toBe(0);
    expect(emu.concurrency.rejected).toBe(0);
    expect(emu.subConcurrency.peak).toBe(10);
  });
});

describe('Redis down: the budget falls back to a cap per instance', { timeout: 60_000 }, () => {
  let emu: ZohoEmulator;
  let redis: RedisServer;
  beforeAll(async () => {
    ({ emu } = await startTestEmulator({ maxConcurrency: 2 }));
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await emu?.close();
    await redis?.close();
  });

  it('calls still go through, at most the cap in flight, and the fallback is reported', async () => {
    const i = await instance(emu, redis.url, 'down', 'org1', { maxConcurrent: 2 });
    try {
      emu.faults.latency(20, { match: ORG });
      expect((await Promise.all(Array.from({ length: 6 }, () => org(i)))).every((r) => r.status === 200)).toBe(true);
      expect(i.events).toEqual([]);

      await redis.kill();
      emu.resetCalls();
      const results = await Promise.all(Array.from({ length: 10 }, () => org(i)));
      expect(results.every((r) => r.status === 200)).toBe(true);
      expect(emu.concurrency.peak).toBe(2);
      expect(emu.concurrency.rejected).toBe(0);
      expect(i.events).toContain('fallback');

      // Back to the shared budget once Redis answers again.
      await redis.restart();
      await sleep(1_500);
      i.events.length = 0;
      expect((await Promise.all(Array.from({ length: 6 }, () => org(i)))).every((r) => r.status === 200)).toBe(true);
      expect(i.events).toEqual([]);
    } finally {
      await i.close();
    }
  });
});
