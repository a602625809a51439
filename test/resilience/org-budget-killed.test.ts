import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClient } from 'graphql-request';
import { mintDevToken } from '../../src/auth/mint.js';
import { startEmulator, type ZohoEmulator } from '../../src/emulator/emulator.js';
import { JWT_SECRET, startGatewayProcess, type Proc } from '../bench/processes.js';
import { COMPLETE_CONNECT, REDIS_URL, ticketOf } from '../helpers/gateway.js';

/**
 * Two gateway processes share one org's concurrency budget of 5 through Redis; one is SIGKILLed
 * while its 5 calls hold every slot. Real processes, so that no shutdown hook gives the leases
 * back: only their TTL does.
 */

const LIMIT = 5;
const LEASE_TTL_MS = 3_000;
const ORG_ROUTE = 'GET /crm/v8/org';
const ORG = '{ organization { id name } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function until(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('an instance killed while it holds slots of the org budget', { timeout: 90_000 }, () => {
  let emu: ZohoEmulator;
  let a: Proc;
  let b: Proc;
  const tenant = `budget-${randomBytes(4).toString('hex')}`;
  let token: string;
  const client = (p: Proc) => new GraphQLClient(`${p.url}/graphql`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    emu = await startEmulator({ dc: 'us', maxConcurrency: LIMIT });
    const env = { TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'), ZOHO_MAX_CONCURRENCY: String(LIMIT), ZOHO_LEASE_TTL_MS: String(LEASE_TTL_MS) };
    [a, b] = await Promise.all([startGatewayProcess(emu.url, REDIS_URL, { fromSource: true, env }), startGatewayProcess(emu.url, REDIS_URL, { fromSource: true, env })]);
    token = await mintDevToken({ secret: JWT_SECRET, tenant, subject: 'ops', scope: 'zoho:connect org:read' });
    const { startZohoConnect } = await client(a).request<{ startZohoConnect: { authorizeUrl: string } }>('mutation { startZohoConnect(dc: "us") { authorizeUrl } }');
    const consent = await fetch(startZohoConnect.authorizeUrl, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    const done = await fetch(new URL(callback.pathname + callback.search, a.url), { redirect: 'manual' });
    await client(b).request(COMPLETE_CONNECT, { ticket: ticketOf({ location: undefined, body: await done.text() }) });
    // First requests also build the typed schema (metadata calls): out of the way before the test.
    for (const p of [a, b]) await client(p).request(ORG);
  }, 60_000);
  afterAll(async () => {
    await a?.kill?.();
    if (b)
      await client(b)
        .request('mutation { disconnectZoho }')
        .catch(() => undefined);
    await b?.stop();
    await emu?.close();
  });

  it('shrinks the budget only until the dead leases expire, then the others get all 5 slots at once', async () => {
    const orgId = emu.ctx.data.org.id;
    let started = 0;
    emu.faults.add({ times: Infinity, match: (req) => (req.route === ORG_ROUTE && started++, false) });

    // A's 5 calls take every slot of the org and stay at Zoho until the test says.
    const heldAtA = emu.faults.hold(ORG_ROUTE, { times: LIMIT });
    const onA = Array.from({ length: LIMIT }, () =>
      client(a)
        .request(ORG)
        .then(
          () => 'answered',
          () => 'failed',
        ),
    );
    await until("A's calls at Zoho", () => started === LIMIT, 15_000);
    const killedAt = Date.now();
    await a.kill!();
    expect(await Promise.all(onA)).toEqual(Array(LIMIT).fill('failed'));
    // Zoho finishes A's calls (into closed sockets); from now on Zoho has room for 5 again.
    heldAtA.release();
    await until('Zoho to finish the dead calls', () => emu.concurrency.inFlight === 0, 5_000);
    emu.resetCalls();

    // B's calls: none may start while the dead instance's leases live (renewed until the kill
    // every TTL/3, so they live at least 2/3 of the TTL after it).
    const heldAtB = emu.faults.hold(ORG_ROUTE, { times: LIMIT });
    const onB = Array.from({ length: LIMIT }, () => client(b).request<{ organization: { id: string } }>(ORG));
    await sleep(killedAt + LEASE_TTL_MS / 3 - Date.now());
    expect(started).toBe(LIMIT);

    // Once they expire, B gets the whole budget: 5 calls in flight at Zoho together.
    await until("B's calls at Zoho", () => emu.concurrency.inFlight === LIMIT, LEASE_TTL_MS + 5_000);
    expect(Date.now() - killedAt).toBeLessThan(LEASE_TTL_MS + 2_500);
    expect(started).toBe(2 * LIMIT);
    heldAtB.release();
    for (const r of await Promise.all(onB)) expect(r.organization.id).toBe(orgId);
    expect(emu.concurrency.rejected).toBe(0);
  });
});
