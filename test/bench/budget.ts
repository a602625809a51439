/**
 * What the shared org budget costs per call: calls through ZohoClient against an in-process
 * emulator, with the budget in Redis (shared) and in process only (local), at ~0 ms Zoho latency
 * (pure overhead: calls/s) and at 40 ms with the org's 5 slots saturated (how much of the budget
 * the waiting lines actually use). `npx tsx test/bench/budget.ts [instances]`. Short runs: a loaded
 * machine's figures are indicative only.
 */
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/log.js';
import { createBroadcast } from '../../src/store/broadcast.js';
import { createStore } from '../../src/store/index.js';
import { RedisLeaseSets } from '../../src/store/lease-set.js';
import type { Connection } from '../../src/tokens/connection.js';
import { ZohoClient } from '../../src/zoho/client.js';
import { mintToken, startTestEmulator } from '../helpers/emulator.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = createLogger({ level: 'silent' });

async function run(mode: 'shared' | 'local', opts: { instances: number; calls: number; latencyMs: number; limit: number; concurrency: number }) {
  const { emu } = await startTestEmulator();
  if (opts.latencyMs) emu.faults.latency(opts.latencyMs, { match: /^[A-Z]+ \/crm\// });
  const token = mintToken(emu);
  const connection = { tenantId: 't', connectionName: 'default', dc: 'us', zohoOrgId: `bench-${randomBytes(4).toString('hex')}`, apiDomain: emu.url, accessToken: token } as Connection;
  const tokens = { getAccessToken: async () => connection, forceRefresh: async () => connection };
  const namespace = `bench${randomBytes(4).toString('hex')}`;
  const parts = await Promise.all(
    Array.from({ length: opts.instances }, async () => {
      const store = createStore(REDIS_URL, { namespace });
      const broadcast = createBroadcast({ store, redisUrl: REDIS_URL, log });
      const client = new ZohoClient({
        tokens,
        log,
        maxConcurrent: opts.limit,
        maxConcurrentPerTenant: 1000,
        ...(mode === 'shared' ? { shared: { slots: new RedisLeaseSets(store, 'conc:org:'), messages: broadcast } } : {}),
      });
      await broadcast.ready();
      return { store, broadcast, client };
    }),
  );
  // Warm up connections (keep-alive sockets, Redis, script cache).
  await Promise.all(parts.map((p) => p.client.call('t', 'default', { method: 'GET', path: '/org' })));
  emu.resetCalls();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async (_, w) => {
      while (next < opts.calls) {
        next++;
        await parts[w % parts.length]!.client.call('t', 'default', { method: 'GET', path: '/org' });
      }
    }),
  );
  const ms = performance.now() - started;
  const peak = emu.concurrency.peak;
  for (const p of parts) {
    await p.client.close();
    await p.broadcast.close();
    await p.store.close();
  }
  await emu.close();
  return { ms, perSec: Math.round((opts.calls / ms) * 1000), peak };
}

const instances = Number(process.argv[2] ?? 1);
console.log(`instances: ${instances} (loaded machine: indicative figures)`);
for (const mode of ['local', 'shared', 'local', 'shared'] as const) {
  const fast = await run(mode, { instances, calls: 2000, latencyMs: 0, limit: 5, concurrency: 5 });
  const slow = await run(mode, { instances, calls: 200, latencyMs: 40, limit: 5, concurrency: 50 });
  const ideal = (200 / 5) * 40;
  console.log(
    `${mode.padEnd(6)} 0 ms Zoho: ${fast.perSec} calls/s (${(fast.ms / 2000).toFixed(3)} ms/call, 5 in flight) | 40 ms Zoho, 50 callers, 5 slots: ${Math.round(slow.ms)} ms for 200 calls (ideal ${ideal}; budget use ${Math.round((ideal / slow.ms) * 100)}%), peak ${slow.peak}`,
  );
}
