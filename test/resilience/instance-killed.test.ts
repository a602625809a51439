import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLClient } from 'graphql-request';
import { mintDevToken } from '../../src/auth/mint.js';
import { startEmulator, type ZohoEmulator } from '../../src/emulator/emulator.js';
import type { EmulatorRequest } from '../../src/emulator/router.js';
import { JWT_SECRET, startGatewayProcess, type Proc } from '../bench/processes.js';
import { COMPLETE_CONNECT, REDIS_URL, ticketOf } from '../helpers/gateway.js';

/**
 * Two gateway processes on the shared Redis in front of one emulated Zoho, and one of them
 * SIGKILLed while it holds the connection's refresh lease and waits for Zoho's answer. The
 * gateways are real processes (run from source) so that the kill is a real one: no shutdown
 * hook releases the lease.
 */

// The token lives 128 s, so it falls inside the gateway's 120 s refresh window 8 s after connecting.
const TOKEN_TTL_S = 128;
const SKEW_MS = 120_000;
// The token manager's defaults: a dead owner's lease blocks others this long, and a caller waits
// at most LOCK_WAIT_MS for another instance's refresh before using the still-valid token.
const LOCK_TTL_MS = 15_000;
const LOCK_WAIT_MS = 10_000;

const ORG = '{ organization { id name } }';
const isRefresh = (req: EmulatorRequest) => req.route === 'POST /oauth/v2/token' && new URLSearchParams(req.body).get('grant_type') === 'refresh_token';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

describe('an instance killed in the middle of a token refresh', () => {
  let emu: ZohoEmulator;
  let a: Proc;
  let b: Proc;
  // A tenant of this run only: the gateways use the shared Redis without a namespace.
  const tenant = `killed-${randomBytes(4).toString('hex')}`;
  let token: string;

  beforeAll(async () => {
    emu = await startEmulator({ dc: 'us', accessTokenTtlSeconds: TOKEN_TTL_S });
    // Same secrets on both instances, as replicas behind a load balancer have.
    const env = { TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex') };
    [a, b] = await Promise.all([startGatewayProcess(emu.url, REDIS_URL, { fromSource: true, env }), startGatewayProcess(emu.url, REDIS_URL, { fromSource: true, env })]);
    token = await mintDevToken({ secret: JWT_SECRET, tenant, subject: 'ops', scope: 'zoho:connect org:read' });
  }, 60_000);
  afterAll(async () => {
    await a?.kill?.();
    // The shared Redis keeps no trace of this run's tenant.
    if (b)
      await client(b)
        .request('mutation { disconnectZoho }')
        .catch(() => undefined);
    await b?.stop();
    await emu?.close();
  });

  const client = (p: Proc) => new GraphQLClient(`${p.url}/graphql`, { headers: { authorization: `Bearer ${token}` } });

  it('lets the other instance serve the connection, and refreshes at most twice', async () => {
    // Connect through A, the way a browser would (consent at the emulator, callback at A).
    const { startZohoConnect } = await client(a).request<{ startZohoConnect: { authorizeUrl: string } }>('mutation { startZohoConnect(dc: "us") { authorizeUrl } }');
    const consent = await fetch(startZohoConnect.authorizeUrl, { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    const done = await fetch(new URL(callback.pathname + callback.search, a.url), { redirect: 'manual' });
    const ticket = ticketOf({ location: undefined, body: await done.text() });
    expect(ticket).toBeDefined();
    // The confirm step on the other instance: the ticket lives in the shared store.
    await client(b).request(COMPLETE_CONNECT, { ticket });

    const orgId = emu.ctx.data.org.id;
    for (const p of [a, b]) expect((await client(p).request<{ organization: { id: string } }>(ORG)).organization.id).toBe(orgId);
    expect(emu.refreshGrants()).toBe(0);

    // Wait until the token is due for refresh (inside the last 120 s of its life).
    const { connection } = await client(b).request<{ connection: { expiresAt: string } }>('{ connection { expiresAt } }');
    await sleep(Date.parse(connection.expiresAt) - SKEW_MS - Date.now() + 500);

    // Zoho takes 4 s to answer refreshes; note when A's refresh reaches it.
    let refreshArrived!: () => void;
    const arrived = new Promise<void>((r) => (refreshArrived = r));
    emu.faults.add({ match: (req) => isRefresh(req) && (refreshArrived(), true), delayMs: 4_000, times: 1 });
    const onA = client(a)
      .request(ORG)
      .then(
        () => 'answered',
        () => 'failed',
      );
    await arrived;
    const leaseTakenAt = Date.now();
    await a.kill!();
    expect(await onA).toBe('failed'); // A died with the request; nothing answered it

    // B finds A's lease, waits for A's refresh (which never lands), then serves the token that
    // is still valid for ~2 minutes, well within the lease's lifetime.
    const started = Date.now();
    const served = await client(b).request<{ organization: { id: string } }>(ORG);
    expect(served.organization.id).toBe(orgId);
    expect(Date.now() - started).toBeLessThan(LOCK_WAIT_MS + 2_000);

    // Once the dead owner's lease has expired, B refreshes itself, and the new token works.
    await sleep(leaseTakenAt + LOCK_TTL_MS + 500 - Date.now());
    const results = await Promise.all(Array.from({ length: 20 }, () => client(b).request<{ organization: { id: string } }>(ORG)));
    expect(results.every((r) => r.organization.id === orgId)).toBe(true);
    const after = await client(b).request<{ connection: { expiresAt: string; status: string } }>('{ connection { status expiresAt } }');
    expect(after.connection.status).toBe('ACTIVE');
    expect(Date.parse(after.connection.expiresAt)).toBeGreaterThan(Date.parse(connection.expiresAt));

    // A's refresh, minted at Zoho but lost with A, plus B's own: never a storm.
    expect(emu.refreshGrants()).toBeGreaterThanOrEqual(1);
    expect(emu.refreshGrants()).toBeLessThanOrEqual(2);
    expect(emu.count((c) => c.status === 401)).toBe(0); // no call ever went out with a dead token
  });
});
