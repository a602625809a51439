import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError, type GraphQLClient } from 'graphql-request';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { RedisServer } from './redis-server.js';

const TENANTS = ['north', 'south', 'east'];
const ORG = '{ organization { id name } }';

interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
  httpStatus?: number;
}

async function attempt(client: GraphQLClient): Promise<Outcome> {
  try {
    await client.request(ORG);
    return { ok: true };
  } catch (err) {
    if (err instanceof ClientError) {
      const e = err.response.errors?.[0];
      return { ok: false, code: String(e?.extensions?.code), message: e?.message ?? '', httpStatus: err.response.status };
    }
    return { ok: false, message: String(err) };
  }
}

async function readyz(h: Harness): Promise<number> {
  return (await fetch(`${h.app.url}/readyz`)).status;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Redis stops under load, then comes back', { timeout: 90_000 }, () => {
  let redis: RedisServer;
  let h: Harness;
  let clients: GraphQLClient[];

  beforeAll(async () => {
    redis = await RedisServer.start();
    h = await startHarness({ env: { STORE_URL: redis.url, LOG_LEVEL: 'warn' } });
    for (const t of TENANTS) await h.connect(t);
    clients = await Promise.all(TENANTS.map((t) => h.client(t)));
  });
  afterAll(async () => {
    await h?.close();
    await redis?.close();
  });

  it('fails requests with a clear error while Redis is down, and recovers without a restart', async () => {
    // Load from every tenant, one request at a time each, until told to stop.
    const outcomes: Outcome[][] = [[], [], []];
    let phase = 0;
    let stop = false;
    const loops = clients.map(async (client) => {
      while (!stop) {
        const o = await attempt(client);
        outcomes[phase]!.push(o);
      }
    });

    await until('requests before the outage', async () => outcomes[0]!.length >= 30);
    expect(outcomes[0]!.every((o) => o.ok)).toBe(true);
    expect(await readyz(h)).toBe(200);

    await redis.kill();
    phase = 1;
    await until('readiness to turn 503', async () => (await readyz(h)) === 503);
    // A request fails only once the store's connection wait runs out (seconds, not at once).
    await until('requests failing during the outage', async () => outcomes[1]!.filter((o) => !o.ok).length >= TENANTS.length, 45_000);
    // Alive, only not ready: an orchestrator takes the instance out of rotation, not restarts it.
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    phase = 2;

    await redis.restart();
    await until('readiness to return to 200', async () => (await readyz(h)) === 200);
    stop = true;
    await Promise.all(loops);
    // Every failure names the cause with a stable code (no masked "Unexpected error"), and
    // the message gives away nothing of the store's keys.
    const failures = outcomes[1]!.filter((o) => !o.ok);
    expect(new Set(failures.map((f) => f.code))).toEqual(new Set(['STORE_UNAVAILABLE']));
    expect(failures.every((f) => !/zgw|redis/i.test(f.message ?? ''))).toBe(true);

    // Recovery: every tenant's queries work again, against the data Redis kept.
    const after = await Promise.all(clients.map((c) => c.request<{ organization: { id: string } }>(ORG)));
    expect(after.map((r) => r.organization.id)).toEqual(TENANTS.map(() => h.us.ctx.data.org.id));
  });
});
