/**
 * Attacks on the store by someone who can write to Redis but does not hold TOKEN_ENCRYPTION_KEY
 * (a leaked Redis password, a shared Redis, a compromised sidecar). They cannot read the sealed
 * tokens, but today's records are plain JSON around them, so they can move and relabel them:
 * - copy tenant A's connection under tenant B's key (B then works on A's CRM),
 * - and also rewrite its cleartext tenantId to B's,
 * - point A's accounts server or API domain at their own host (the next refresh sends A's refresh
 *   token and our client secret there; the next CRM call, A's access token),
 * - swap the sealed access and refresh tokens,
 * - point A's event webhook at their host (A's CRM events, signed as genuine, go there),
 * - relabel A's watch channel as B's (Zoho's notifications of A's CRM become B's events).
 * Each must be refused before any Zoho call or outgoing request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { watchNotifier } from '../../src/emulator/routes/watch.js';
import type { Connection } from '../../src/tokens/connection.js';
import { errorOf } from '../helpers/errors.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

const HOUR_MS = 3600_000;
const ORG = 'query Org { organization { id } }';

/** An HTTP server on loopback that records every request it gets and answers 200 `{}`. */
async function startTrap(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Waits (bounded) until `done()` is true; the assertions that follow say what must have happened. */
async function until(done: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('sealed records moved or rewritten in Redis by someone without the key', () => {
  let h: Harness;
  let trap: Awaited<ReturnType<typeof startTrap>>;
  let acme: Connection;
  let original: string;
  const zohoCalls = () => h.us.count() + h.eu.count();
  const redis = () => h.app.store.redis!.client();
  const rawGet = async (key: string) => (await (await redis()).get(h.app.store.keyFor(key)))!;
  const rawSet = async (key: string, text: string) => (await redis()).set(h.app.store.keyFor(key), text, { KEEPTTL: true });
  /** Rewrites fields of the stored value at `key` in place (Keyv's `{"value": …}` wrapper kept). */
  const rewrite = async (key: string, change: (value: Record<string, unknown>) => Record<string, unknown>, to = key) => {
    const wrapped = JSON.parse(await rawGet(key)) as { value: Record<string, unknown> };
    await rawSet(to, JSON.stringify({ ...wrapped, value: change(wrapped.value) }));
  };

  beforeAll(async () => {
    // The traps are local servers: the SSRF guard lets loopback through, so only the sealing stands between.
    h = await startHarness({ emulator: { now: () => h?.clock.now ?? Date.now() }, env: { EVENT_WEBHOOK_ALLOW_PRIVATE: 'true' } });
    await h.connect('acme');
    trap = await startTrap();
    acme = (await h.app.services.connections.get('acme', 'default'))!;
    original = await rawGet('conn:acme:default');
  });
  afterAll(async () => {
    await trap.close();
    await h.close();
  });
  beforeEach(() => {
    h.us.resetCalls();
    h.eu.resetCalls();
    trap.requests.length = 0;
  });
  afterEach(async () => {
    await rawSet('conn:acme:default', original);
    await (await redis()).del(h.app.store.keyFor('conn:beta:default'));
    // Nothing secret about acme's connection reaches the log, whatever was refused.
    for (const secret of [acme.accessToken, acme.refreshToken]) expect(h.logs.text).not.toContain(secret);
  });

  it("tenant A's record copied under tenant B's key: B is refused, no Zoho call", async () => {
    await rawSet('conn:beta:default', original);
    const beta = await h.client('beta');
    const err = await errorOf(beta.request(ORG));
    expect(err.code).toBe('STORE_TAMPERED');
    // Nor does B learn whose CRM it was.
    const status = await errorOf(beta.request('query { connection { email orgName } }'));
    expect(status.code).toBe('STORE_TAMPERED');
    expect(JSON.stringify(status)).not.toContain(acme.email);
    expect(zohoCalls()).toBe(0);
    // Logged for the operator: which key, and why.
    const line = h.logs.text.split('\n').find((l) => l.includes('stored Zoho connection refused') && l.includes('conn:beta:default'));
    expect(line).toContain('IDENTITY_MISMATCH');
  });

  it('…with its tenantId also rewritten to B: the sealed tokens still refuse to open under B', async () => {
    await rewrite('conn:acme:default', (v) => ({ ...v, tenantId: 'beta' }), 'conn:beta:default');
    const err = await errorOf((await h.client('beta')).request(ORG));
    expect(err.code).toBe('STORE_TAMPERED');
    expect(zohoCalls()).toBe(0);
    // A's own connection is untouched and still works.
    expect((await (await h.client('acme')).request<{ organization: { id: string } }>(ORG)).organization.id).toBeTruthy();
  });

  it('accounts server rewritten to a trap and the access token expired: the trap receives nothing', async () => {
    await rewrite('conn:acme:default', (v) => ({ ...v, accountsServer: trap.url }));
    h.us.expireAccessTokens();
    h.clock.now += HOUR_MS;
    const client = await h.client('acme');
    expect((await errorOf(client.request(ORG))).code).toBe('STORE_TAMPERED');
    // Disconnecting would revoke at the accounts server: the tampered record is deleted instead, with nothing sent.
    expect(await client.request('mutation { disconnectZoho }')).toEqual({ disconnectZoho: true });
    expect(await rawGet('conn:acme:default')).toBeNull();
    expect(trap.requests).toEqual([]);
    expect(zohoCalls()).toBe(0);
  });

  it('API domain rewritten to a trap: the access token is never sent there', async () => {
    await rewrite('conn:acme:default', (v) => ({ ...v, apiDomain: trap.url }));
    expect((await errorOf((await h.client('acme')).request(ORG))).code).toBe('STORE_TAMPERED');
    expect(trap.requests).toEqual([]);
    expect(zohoCalls()).toBe(0);
  });

  it('sealed access and refresh tokens swapped between fields: refused, no Zoho call', async () => {
    await rewrite('conn:acme:default', (v) => ({ ...v, accessToken: v.refreshToken, refreshToken: v.accessToken }));
    expect((await errorOf((await h.client('acme')).request(ORG))).code).toBe('STORE_TAMPERED');
    expect(zohoCalls()).toBe(0);
  });

  describe('event records', () => {
    it("A's event webhook URL rewritten to a trap: A's events are not delivered there", async () => {
      const client = await h.client('acme');
      const good = await startTrap();
      try {
        await client.request('mutation($url: String!) { setEventWebhook(url: $url) { url } }', { url: `${good.url}/hook` });
        await client.request('mutation { watchRecords(modules: ["Leads"]) { id } }');
        await rewrite('events:webhook:acme', (v) => ({ ...v, url: `${trap.url}/hook` }));
        expect((await errorOf(client.request('query { eventWebhook { url } }'))).code).toBe('STORE_TAMPERED');

        await client.request('mutation { createRecords(module: "Leads", records: [{ Last_Name: "Trap" }]) { id } }');
        await watchNotifier(h.us.ctx).idle();
        // Either the trap gets the event (the hole) or the gateway logs the refusal (the fix).
        await until(() => trap.requests.length > 0 || h.logs.text.includes('stored event webhook refused'));
        expect(trap.requests).toEqual([]);
        expect(good.requests).toEqual([]);
        expect(h.logs.text).toContain('stored event webhook refused');
      } finally {
        await client.request('mutation { removeEventWebhook }').catch(() => undefined);
        await good.close();
      }
    });

    it("A's watch channel relabelled as B's: Zoho's notifications of A's CRM never become B's events", async () => {
      await h.connect('beta');
      const beta = await h.client('beta');
      const betaHook = await startTrap();
      try {
        await beta.request('mutation($url: String!) { setEventWebhook(url: $url) { url } }', { url: `${betaHook.url}/hook` });
        const acmeClient = await h.client('acme');
        const { watchRecords } = await acmeClient.request<{ watchRecords: { id: string } }>('mutation { watchRecords(modules: ["Contacts"]) { id } }');
        await rewrite(`watch:channel:${watchRecords.id}`, (v) => ({ ...v, tenantId: 'beta' }));

        const notifier = watchNotifier(h.us.ctx);
        const before = notifier.deliveries.length;
        await acmeClient.request('mutation { createRecords(module: "Contacts", records: [{ Last_Name: "Relabelled" }]) { id } }');
        await notifier.idle();
        const delivered = notifier.deliveries.slice(before).filter((d) => d.channelId === watchRecords.id);
        expect(delivered.length).toBeGreaterThan(0);
        // The gateway refused the notification as it refuses an unknown channel (404), not with a 500.
        for (const d of delivered) expect(d.status).toBe(404);
        expect(betaHook.requests).toEqual([]);
        // B's listing does not show it either.
        expect((await beta.request<{ watches: unknown[] }>('query { watches { id } }')).watches).toEqual([]);
      } finally {
        await beta.request('mutation { removeEventWebhook }').catch(() => undefined);
        await betaHook.close();
      }
    });
  });
});
