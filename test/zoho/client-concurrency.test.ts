import { beforeEach, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/sandbox/emulator.js';
import { DEFAULT_MAX_CONCURRENT } from '../../src/zoho/client.js';
import { KeyedLimiter } from '../../src/zoho/concurrency.js';
import { sharedEmulator, clientFor, CONNECTION, TENANT } from './client-helpers.js';

const ORG = 'GET /crm/v8/org';

/**
 * Counts calls in flight at the emulator without touching it: a fault whose predicate never
 * matches sees every request start; the emulator records a call just before it answers, and the
 * client only starts a queued call after an answer, so in flight = started − recorded.
 */
function probeInFlight(emu: ZohoEmulator, route: string): { peak(): number; started(): number } {
  let started = 0;
  let peak = 0;
  emu.faults.add({
    times: Infinity,
    match: (req) => {
      if (req.route === route) {
        started++;
        peak = Math.max(peak, started - emu.count(route));
      }
      return false;
    },
  });
  return { peak: () => peak, started: () => started };
}

describe('ZohoClient concurrency cap', () => {
  const emulator = sharedEmulator();
  let emu: ZohoEmulator;
  beforeEach(() => {
    emu = emulator();
  });

  it('keeps at most 2 calls in flight at Zoho with a cap of 2; the rest queue and all succeed', async () => {
    const rig = clientFor(emu, { maxConcurrent: 2 });
    const probe = probeInFlight(emu, ORG);
    emu.faults.latency(100, { match: ORG });
    const started = Date.now();
    const pending = Array.from({ length: 6 }, () => rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' }));
    await new Promise((r) => setTimeout(r, 30));
    expect(rig.client.load(TENANT, CONNECTION)).toEqual({ active: 2, queued: 4 });
    const results = await Promise.all(pending);

    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(probe.started()).toBe(6);
    expect(probe.peak()).toBe(2);
    // Three waves of ~100 ms (loose).
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(rig.client.load(TENANT, CONNECTION)).toEqual({ active: 0, queued: 0 });
  });

  it('the probe sees all 6 at once when the cap allows it (control)', async () => {
    const rig = clientFor(emu, { maxConcurrent: 10 });
    const probe = probeInFlight(emu, ORG);
    emu.faults.latency(100, { match: ORG });
    await Promise.all(Array.from({ length: 6 }, () => rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' })));
    expect(probe.peak()).toBe(6);
  });

  it('defaults to Zoho Free edition limit of 5 per connection, and other connections do not queue behind it', async () => {
    expect(DEFAULT_MAX_CONCURRENT).toBe(5);
    const rig = clientFor(emu);
    const probe = probeInFlight(emu, ORG);
    emu.faults.latency(100, { match: ORG }).latency(100, { match: 'GET /crm/v8/users' });
    const acme = Array.from({ length: 8 }, () => rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' }));
    const other = rig.client.call('globex', CONNECTION, { method: 'GET', path: '/users' });
    await new Promise((r) => setTimeout(r, 30));
    expect(rig.client.load(TENANT, CONNECTION)).toEqual({ active: 5, queued: 3 });
    expect(rig.client.load('globex', CONNECTION)).toEqual({ active: 1, queued: 0 });
    await Promise.all([...acme, other]);
    expect(probe.peak()).toBe(5);
  });
});

describe('KeyedLimiter', () => {
  it('starts waiters in arrival order', async () => {
    const limiter = new KeyedLimiter(1);
    const order: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = limiter.run('k', () => gate);
    const rest = [1, 2, 3, 4].map((n) => limiter.run('k', async () => void order.push(n)));
    expect(limiter.queued('k')).toBe(4);
    release();
    await Promise.all([first, ...rest]);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(limiter.active('k')).toBe(0);
  });

  it('frees the slot when the work throws', async () => {
    const limiter = new KeyedLimiter(1);
    await expect(limiter.run('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('k', async () => 'ok')).resolves.toBe('ok');
  });

  it('refuses a limit below 1', () => {
    expect(() => new KeyedLimiter(0)).toThrow(RangeError);
  });
});
