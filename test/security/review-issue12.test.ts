/**
 * Attack tests from the security review of issue 12 (performance): each was seen failing on
 * main before its fix (see /work/notes/review.md).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { createStore } from '../../src/store/index.js';
import { RedisLeaseSets } from '../../src/store/lease-set.js';
import type { Connection } from '../../src/tokens/connection.js';
import { ZohoClient } from '../../src/zoho/client.js';
import { mintToken, startTestEmulator } from '../helpers/emulator.js';
import { REDIS_URL } from '../helpers/gateway.js';
import { createTenantLimiter, type RateDecision } from '../../src/ratelimit/tenant-limiter.js';
import { dropNamespace, openRedisStore, uniqueNamespace } from '../tokens/helpers.js';

const log = createLogger({ level: 'silent' });

describe('org budget: forged leases in Redis', { timeout: 30_000 }, () => {
  let emu: ZohoEmulator;
  beforeAll(async () => {
    ({ emu } = await startTestEmulator({ maxConcurrency: 5 }));
  });
  afterAll(async () => {
    await emu.close();
  });

  it("a Redis writer cannot take an org's slots forever with far-future leases; real leases of the longest TTL stay counted", async () => {
    const namespace = `test_review_lease_${randomBytes(4).toString('hex')}`;
    const store = createStore(REDIS_URL, { namespace });
    const orgId = `org${randomBytes(4).toString('hex')}`;
    const connection = (tenantId: string, connectionName: string) => ({ tenantId, connectionName, dc: 'us', zohoOrgId: orgId, apiDomain: emu.url, accessToken: mintToken(emu) }) as Connection;
    const slots = new RedisLeaseSets(store, 'conc:org:');
    const client = new ZohoClient({
      tokens: { getAccessToken: async (t, c) => connection(t, c), forceRefresh: async (t, c) => connection(t, c) },
      log,
      maxConcurrent: 5,
      queueTimeoutMs: 1_500,
      shared: { slots },
      retry: { maxAttempts: 1 },
    });
    try {
      // The attacker fills the org's lease set with leases that expire in 30 years, and no TTL on the set.
      const redis = await store.redis!.client();
      const key = store.keyFor(`conc:org:us:${orgId}`);
      const far = Date.now() + 30 * 365 * 86_400_000;
      await redis.zAdd(
        key,
        [1, 2, 3, 4, 5].map((i) => ({ score: far, value: `forged:${i}` })),
      );
      await redis.persist(key);

      // A tenant of that org: its call must still go out.
      const res = await client.call('acme', 'default', { method: 'GET', path: '/org' }).then(
        (r) => ({ ok: true as const, status: r.status }),
        (err: unknown) => ({ ok: false as const, code: (err as { code?: string }).code }),
      );
      expect(res).toEqual({ ok: true, status: 200 });

      // The bound is the longest TTL a gateway may be configured with (ZOHO_LEASE_TTL_MS ≤ 600000):
      // leases written by an instance with that TTL are real and still count against the limit.
      const org2 = `${orgId}b`;
      for (let i = 0; i < 5; i++) expect(await slots.tryAcquire(`us:${org2}`, 5, 600_000, `long:${i}`)).toBe(true);
      expect(await slots.tryAcquire(`us:${org2}`, 5, 300, 'short')).toBe(false);
    } finally {
      await client.close();
      await dropNamespace(store).catch(() => undefined);
      await store.close();
    }
  });
});

describe('rate limit: a forged counter in Redis', { timeout: 30_000 }, () => {
  it('a counter given a far-future expiry by a Redis writer locks the tenant out for one window at most', async () => {
    const store = await openRedisStore(uniqueNamespace('review_rl'));
    try {
      const redis = await store.redis!.client();
      const key = store.keyFor('ratelimit:tenant:acme');
      // The attacker sets the tenant's counter far above the limit, to expire in a year.
      await redis.set(key, '1000000', { PX: 365 * 86_400_000 });
      const limiter = createTenantLimiter(store, { limit: 5, waitTimeoutMs: 30_000 });
      const decisions: RateDecision[] = [];
      for (let i = 0; i < 10; i++) decisions.push(await limiter.take('acme'));
      await limiter.close();
      const refused = decisions.filter((d): d is Extract<RateDecision, { allowed: false }> => !d.allowed);
      expect(refused.length).toBeGreaterThan(0);
      // The window the tenant is told to wait for, and the one Redis keeps, are one minute at most.
      for (const d of refused) expect(d.retryAfterSec).toBeLessThanOrEqual(60);
      expect(await redis.pTTL(key)).toBeLessThanOrEqual(60_000);
    } finally {
      await dropNamespace(store).catch(() => undefined);
      await store.close();
    }
  });
});

describe("org budget: a tenant cannot hold an org's slots it does not use", { timeout: 30_000 }, () => {
  let emu: ZohoEmulator;
  beforeAll(async () => {
    ({ emu } = await startTestEmulator());
  });
  afterAll(async () => {
    await emu.close();
  });

  it("calls queued for their own tenant's slots hold none of an org shared with another tenant", async () => {
    // Mallory connected two orgs: Y (her own) and X, which Bob's tenant uses too.
    const orgOf: Record<string, string> = { 'mallory/own': 'orgY', 'mallory/shared': 'orgX', 'bob/default': 'orgX' };
    const connection = (tenantId: string, connectionName: string) =>
      ({ tenantId, connectionName, dc: 'us', zohoOrgId: orgOf[`${tenantId}/${connectionName}`], apiDomain: emu.url, accessToken: mintToken(emu) }) as Connection;
    const client = new ZohoClient({
      tokens: { getAccessToken: async (t, c) => connection(t, c), forceRefresh: async (t, c) => connection(t, c) },
      log,
      maxConcurrent: 5,
      maxConcurrentPerTenant: 2,
      queueTimeoutMs: 1_500,
      retry: { maxAttempts: 1 },
    });
    let finish!: () => void;
    const slow = new Promise<void>((resolve) => (finish = resolve));
    // Mallory's calls to her own org are slow (a heavy query; here held until the test ends).
    emu.faults.add({ match: 'GET /crm/v8/users', times: Infinity, hold: slow });
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (err: unknown) => (err as { code?: string }).code ?? 'error',
      );
    try {
      // Two slow calls take both of Mallory's tenant slots...
      const own = [1, 2].map(() => outcome(client.call('mallory', 'own', { method: 'GET', path: '/users', query: { type: 'AllUsers' } })));
      await new Promise((r) => setTimeout(r, 50));
      // ...so her five calls to org X can only wait for one of them.
      const shared = [1, 2, 3, 4, 5].map(() => outcome(client.call('mallory', 'shared', { method: 'GET', path: '/org' })));
      await new Promise((r) => setTimeout(r, 50));
      // Org X has no call in flight at Zoho: Bob's call must go out at once, not when Mallory's
      // queued calls give up (ZOHO_QUEUE_TIMEOUT_MS later; she can queue more meanwhile).
      const order: string[] = [];
      shared.forEach((p) => void p.then((o) => order.push(`mallory:${o}`)));
      const bob = await outcome(client.call('bob', 'default', { method: 'GET', path: '/org' }));
      order.push(`bob:${bob}`);
      expect(order[0]).toBe('bob:ok');
      finish();
      await Promise.all([...own, ...shared]);
    } finally {
      finish();
      emu.faults.clear();
      await client.close();
    }
  });
});
