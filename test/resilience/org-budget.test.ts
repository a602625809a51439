import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLClient } from 'graphql-request';
import { startHarness, type Harness } from '../helpers/gateway.js';

/**
 * ZOHO_MAX_CONCURRENCY is one budget per Zoho org for every gateway instance on one Redis: three
 * real instances against an emulated Zoho that, like Zoho, answers a call over the org's
 * concurrency limit with 429 TOO_MANY_REQUESTS.
 */

const LIMIT = 5;
const ORG = '{ organization { id name } }';
const USERS = '{ users { count } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('one Zoho concurrency budget per org across three instances', { timeout: 60_000 }, () => {
  let h: Harness;
  // north and south connected the same Zoho org (us); west another one (eu).
  const tenants = [
    { tenant: 'north', dc: 'us' },
    { tenant: 'south', dc: 'us' },
    { tenant: 'west', dc: 'eu' },
  ] as const;
  // clients[tenant][instance]
  const clients = new Map<string, GraphQLClient[]>();

  beforeAll(async () => {
    h = await startHarness({
      instances: 3,
      env: { LOG_LEVEL: 'warn', ZOHO_MAX_CONCURRENCY: String(LIMIT), RATE_LIMIT_PER_MINUTE: '0' },
      emulator: { maxConcurrency: LIMIT },
    });
    for (const { tenant, dc } of tenants) {
      await h.connect(tenant, { dc });
      clients.set(tenant, await Promise.all(h.apps.map((app) => h.client(tenant, undefined, app))));
    }
    // Each connection's first request also builds its typed schema from Zoho's metadata: done here.
    for (const { tenant } of tenants) await clients.get(tenant)![0]!.request(ORG);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('200 concurrent reads spread over the instances: every answer right, and Zoho never answers 429', async () => {
    for (const emu of [h.us, h.eu]) {
      emu.resetCalls();
      // A Zoho round trip of 40 ms, so that calls overlap.
      emu.faults.latency(40, { match: /^[A-Z]+ \/crm\// });
    }
    const expected = { us: h.us.ctx.data.org, eu: h.eu.ctx.data.org };
    const wrong: string[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async (_, n) => {
        const { tenant, dc } = tenants[n % tenants.length]!;
        const client = clients.get(tenant)![Math.floor(n / tenants.length) % h.apps.length]!;
        try {
          const r = await client.request<{ organization: { id: string; name: string } }>(ORG);
          const org = expected[dc];
          if (r.organization.id !== org.id || r.organization.name !== org.company_name) wrong.push(`${tenant}: ${JSON.stringify(r)}`);
        } catch (err) {
          wrong.push(`${tenant}: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
        }
      }),
    );
    for (const emu of [h.us, h.eu]) emu.faults.clear();

    expect(wrong).toEqual([]);
    expect(h.us.concurrency.rejected).toBe(0);
    expect(h.eu.concurrency.rejected).toBe(0);
    expect(h.us.count((c) => c.status === 429) + h.eu.count((c) => c.status === 429)).toBe(0);
    // The budget is used, not just respected: the us org (134 calls) had all 5 slots busy at once.
    expect(h.us.concurrency.peak).toBe(LIMIT);
    expect(h.us.count('GET /crm/v8/org') + h.eu.count('GET /crm/v8/org')).toBe(200);
  });

  it("one tenant's flood does not starve another tenant's single call on the same org", async () => {
    h.us.resetCalls();
    h.us.faults.latency(30, { match: /^[A-Z]+ \/crm\// });
    const north = clients.get('north')!;
    const FLOOD = 150;
    // The flood goes through every instance; the single call through the first one.
    const flood = Array.from({ length: FLOOD }, (_, n) => north[n % north.length]!.request(ORG));
    // The single call arrives once the flood is queued everywhere and Zoho is busy with it.
    await until('the flood to reach Zoho', () => h.us.count('GET /crm/v8/org') >= 2 * LIMIT);
    const single = clients.get('south')![0]!.request<{ users: { count: number } }>(USERS);
    expect((await single).users.count).toBeGreaterThan(0);
    await Promise.all(flood);
    h.us.faults.clear();

    const order = h.us.calls.filter((c) => c.route === 'GET /crm/v8/org' || c.route === 'GET /crm/v8/users').map((c) => c.route);
    const floodBefore = order.indexOf('GET /crm/v8/users');
    const sentWhenItArrived = 2 * LIMIT;
    // Served after a handful of the flood's calls, not after the flood: within this instance the
    // lines are served round robin; across instances each announced slot is a race, and a lease
    // is handed over within an instance at most twice in a row.
    expect(floodBefore).toBeGreaterThanOrEqual(sentWhenItArrived - LIMIT);
    expect(floodBefore - sentWhenItArrived).toBeLessThanOrEqual(6 * LIMIT);
    expect(FLOOD - floodBefore).toBeGreaterThan(FLOOD / 2);
    expect(h.us.concurrency.rejected).toBe(0);
  });
});
