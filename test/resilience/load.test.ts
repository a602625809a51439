import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLClient } from 'graphql-request';
import { startHarness, type Harness } from '../helpers/gateway.js';

/**
 * Two gateway instances on one Redis under concurrent load from many tenants, with every access
 * token expiring once in the middle of the run. Bounded in count (20 tenants × 50 requests), not
 * in time; throughput and memory are the bench's business.
 */

const TENANTS = 20;
const PER_TENANT = 50;
const WORKERS_PER_TENANT = 2;
const HOUR_MS = 3600_000;

const ORG = '{ organization { id name } }';
const RECORD = 'query($id: ID!) { record(module: "Deals", id: $id) { id name: field(name: "Deal_Name") amount: field(name: "Amount") } }';
const RECORDS = '{ records(module: "Leads", first: 10) { nodes { id name: field(name: "Last_Name") } } }';

describe('load: two instances, 20 tenants, tokens expiring mid-run', () => {
  let h: Harness;
  const tenants = Array.from({ length: TENANTS }, (_, i) => `load${i}`);
  // Each tenant's clients, one per instance; requests alternate between them, as behind a balancer.
  let clients: GraphQLClient[][];

  beforeAll(async () => {
    h = await startHarness({ instances: 2, env: { LOG_LEVEL: 'warn' } });
    for (const t of tenants) await h.connect(t);
    clients = await Promise.all(tenants.map((t) => Promise.all(h.apps.map((app) => h.client(t, undefined, app)))));
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it('answers every request correctly and refreshes once per connection per expiry', async () => {
    const org = h.us.ctx.data.org;
    const deals = [...h.us.ctx.records('Deals').values()];
    const leads = h.us.ctx.records('Leads');
    const grantsBefore = h.us.refreshGrants();
    const total = TENANTS * PER_TENANT;
    let done = 0;
    let expired = false;
    const wrong: string[] = [];

    const one = async (client: GraphQLClient, n: number): Promise<void> => {
      switch (n % 3) {
        case 0: {
          const r = await client.request<{ organization: { id: string; name: string } }>(ORG);
          if (r.organization.id !== org.id || r.organization.name !== org.company_name) wrong.push(`organization ${JSON.stringify(r)}`);
          break;
        }
        case 1: {
          const deal = deals[n % deals.length]!;
          const r = await client.request<{ record: { id: string; name: unknown; amount: unknown } }>(RECORD, { id: deal.id });
          if (r.record.id !== deal.id || r.record.name !== deal.Deal_Name || r.record.amount !== (deal.Amount ?? null)) wrong.push(`record ${deal.id}: ${JSON.stringify(r)}`);
          break;
        }
        default: {
          const r = await client.request<{ records: { nodes: { id: string; name: unknown }[] } }>(RECORDS);
          if (r.records.nodes.length !== 10) wrong.push(`records: ${r.records.nodes.length} nodes`);
          for (const node of r.records.nodes) if (leads.get(node.id)?.Last_Name !== node.name) wrong.push(`lead ${node.id}: ${JSON.stringify(node)}`);
        }
      }
      // Half-way through, every token expires at Zoho and on the gateways' clock, while
      // requests are in flight on both instances.
      if (++done === total / 2 && !expired) {
        expired = true;
        h.us.expireAccessTokens();
        h.clock.now += HOUR_MS;
      }
    };

    const perWorker = PER_TENANT / WORKERS_PER_TENANT;
    await Promise.all(
      tenants.flatMap((_, t) =>
        Array.from({ length: WORKERS_PER_TENANT }, async (_w, w) => {
          for (let i = 0; i < perWorker; i++) {
            const n = w * perWorker + i;
            await one(clients[t]![n % 2]!, n + t);
          }
        }),
      ),
    );

    expect(done).toBe(total);
    expect(wrong).toEqual([]);
    expect(h.us.refreshGrants() - grantsBefore).toBe(TENANTS);
  });
});
