import { beforeEach, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { DEFAULT_MAX_CONCURRENT } from '../../src/zoho/client.js';
import { KeyedLimiter } from '../../src/zoho/concurrency.js';
import { sharedEmulator, clientFor, rejection, CONNECTION, TENANT } from './client-helpers.js';

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

describe('ZohoClient per-tenant cap and queue timeout', () => {
  const emulator = sharedEmulator();
  let emu: ZohoEmulator;
  beforeEach(() => {
    emu = emulator();
  });

  it('keeps one tenant at its cap across all its connections, while another tenant still gets through', async () => {
    // 3 connections × 3 calls, each connection allowed 3, the tenant 4 in all.
    const rig = clientFor(emu, { maxConcurrent: 3, maxConcurrentPerTenant: 4 });
    const probe = probeInFlight(emu, ORG);
    emu.faults.latency(100, { match: ORG }).latency(100, { match: 'GET /crm/v8/users' });
    const acme = ['a', 'b', 'c'].flatMap((cid) => Array.from({ length: 3 }, () => rig.client.call(TENANT, cid, { method: 'GET', path: '/org' })));
    const other = rig.client.call('globex', CONNECTION, { method: 'GET', path: '/users' });
    await new Promise((r) => setTimeout(r, 30));
    expect(rig.client.tenantLoad(TENANT)).toEqual({ active: 4, queued: 5 });
    expect(rig.client.tenantLoad('globex')).toEqual({ active: 1, queued: 0 });
    const results = await Promise.all([...acme, other]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(probe.started()).toBe(9);
    expect(probe.peak()).toBe(4);
    expect(rig.client.tenantLoad(TENANT)).toEqual({ active: 0, queued: 0 });
  });

  it('defaults the tenant cap to twice the connection cap', async () => {
    const rig = clientFor(emu, { maxConcurrent: 2 });
    const probe = probeInFlight(emu, ORG);
    emu.faults.latency(100, { match: ORG });
    await Promise.all(['a', 'b', 'c', 'd'].flatMap((cid) => [1, 2].map(() => rig.client.call(TENANT, cid, { method: 'GET', path: '/org' }))));
    expect(probe.peak()).toBe(4);
  });

  it('a call that waits in line longer than the queue timeout fails with ZOHO_RATE_LIMITED and is never sent', async () => {
    const rig = clientFor(emu, { maxConcurrent: 1, maxConcurrentPerTenant: 1, queueTimeoutMs: 50 });
    emu.faults.latency(400, { match: ORG });
    const first = rig.client.call(TENANT, 'a', { method: 'GET', path: '/org' });
    // Same connection: waits for the connection slot. Other connection: waits for the tenant slot.
    const sameConnection = rejection(rig.client.call(TENANT, 'a', { method: 'GET', path: '/org' }));
    const otherConnection = rejection(rig.client.call(TENANT, 'b', { method: 'GET', path: '/org' }));
    for (const err of [await sameConnection, await otherConnection]) {
      expect(err.extensions).toMatchObject({ code: 'ZOHO_RATE_LIMITED', retryAfterSec: 5 });
    }
    expect((await otherConnection).extensions.queue).toBe('tenant');
    expect((await sameConnection).extensions.queue).toBe('org');
    expect((await first).status).toBe(200);
    expect(emu.count(ORG)).toBe(1);
    // The timed-out waiters left the line: nothing is held or queued afterwards.
    expect(rig.client.tenantLoad(TENANT)).toEqual({ active: 0, queued: 0 });
    expect(rig.client.load(TENANT, 'a')).toEqual({ active: 0, queued: 0 });
  });
});

describe('KeyedLimiter queue timeout', () => {
  it('rejects a waiter after its timeout and lets the next one in when a slot frees', async () => {
    const limiter = new KeyedLimiter(1);
    const release = await limiter.acquire('k');
    const late = limiter.acquire('k', 20).then(
      () => 'granted',
      (err: Error) => err.name,
    );
    expect(await late).toBe('QueueTimeout');
    expect(limiter.queued('k')).toBe(0);
    const next = limiter.acquire('k', 1_000);
    release();
    release(); // a second release is a no-op, not a second slot
    const releaseNext = await next;
    expect(limiter.active('k')).toBe(1);
    releaseNext();
    expect(limiter.active('k')).toBe(0);
  });
});
