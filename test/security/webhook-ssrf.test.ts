/**
 * Attack: a tenant with zoho:connect points its event webhook at the gateway's own network
 * (SSRF): loopback spelled as IPv4-mapped IPv6, decimal or hex, `localhost.` with a trailing dot,
 * a name that resolves to 127.0.0.1, or a name that resolves to a public address when set and to
 * loopback at delivery (DNS rebinding). A gateway with default settings refuses each when the
 * webhook is set where the URL or DNS tells, and again at delivery, where the delivery log shows
 * only `refused_address`. DNS is a resolver the test controls (AppOverrides.webhookLookup).
 */
import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordEvent } from '../../src/events/types.js';
import type { WebhookLookup } from '../../src/events/webhook-url.js';
import { EventDeliveriesDocument, SetEventWebhookDocument } from '../gql/graphql.js';
import { errorOf } from '../helpers/errors.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

const PUBLIC = '93.184.216.34';

describe('event webhooks cannot reach the gateway’s network (default settings)', () => {
  let h: Harness;
  let trap: Server;
  let port: number;
  let connections = 0;
  const dns: Record<string, string> = { 'loop.example': '127.0.0.1', 'rebind.example': PUBLIC };
  const lookup: WebhookLookup = (hostname, _o, cb) => {
    const address = dns[hostname];
    if (!address) return cb(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
    cb(null, [{ address, family: address.includes(':') ? 6 : 4 } satisfies LookupAddress]);
  };

  beforeAll(async () => {
    // Any TCP connection to the trap counts: an internal service would have been reached.
    trap = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
    port = (trap.address() as AddressInfo).port;
    h = await startHarness({ app: { webhookLookup: lookup } });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise<void>((r) => trap.close(() => r()));
  });

  const event = (tenantId: string): RecordEvent => ({
    id: randomUUID(),
    tenantId,
    connectionName: 'default',
    module: 'Leads',
    operation: 'CREATE',
    ids: ['1'],
    affectedFields: {},
    occurredAt: Date.now(),
    channelId: '1',
  });

  async function firstAttempt(tenant: string) {
    const client = await h.client(tenant);
    for (let i = 0; i < 200; i++) {
      const [d] = (await client.request(EventDeliveriesDocument, {})).eventDeliveries;
      if (d && d.attempts >= 1) return d;
      await sleep(20);
    }
    throw new Error('no delivery attempt');
  }

  it('refuses loopback spellings, trailing dots and names resolving to loopback when the webhook is set', async () => {
    const client = await h.client('ssrf-set');
    for (const url of [
      `http://[::ffff:127.0.0.1]:${port}/`,
      `https://[::ffff:127.0.0.1]:${port}/`,
      `http://localhost.:${port}/`,
      `https://localhost.:${port}/`,
      `https://2130706433:${port}/`,
      `https://0x7f000001:${port}/`,
      `https://0x7f.1:${port}/`,
      `https://127.1:${port}/`,
      `https://[64:ff9b::7f00:1]:${port}/`,
      `https://loop.example:${port}/hook`,
      `http://127.0.0.1:${port}/hook`,
    ]) {
      expect((await errorOf(client.request(SetEventWebhookDocument, { url }))).code, url).toBe('BAD_USER_INPUT');
    }
    expect(await h.app.services.eventWebhooks.webhooks.get('ssrf-set')).toBeUndefined();
    expect(connections).toBe(0);
  });

  it('refuses at delivery a name that resolved to a public address when set and to loopback now (DNS rebinding)', async () => {
    const client = await h.client('ssrf-rebind');
    dns['rebind.example'] = PUBLIC;
    await client.request(SetEventWebhookDocument, { url: `https://rebind.example:${port}/hook` });
    dns['rebind.example'] = '127.0.0.1';
    await h.app.services.events.dispatch(event('ssrf-rebind'));
    const d = await firstAttempt('ssrf-rebind');
    // Final at once: a refused address is not retried.
    expect(d).toMatchObject({ status: 'FAILED', attempts: 1, lastError: 'refused_address', lastStatusCode: null });
    expect(connections).toBe(0);
  });

  it('refuses at delivery a loopback URL stored before these rules (an IP literal in any spelling)', async () => {
    for (const [tenant, url] of [
      ['ssrf-legacy-a', `http://127.0.0.1:${port}/hook`],
      ['ssrf-legacy-b', `http://[::ffff:127.0.0.1]:${port}/hook`],
      ['ssrf-legacy-c', `http://2130706433:${port}/hook`],
      ['ssrf-legacy-d', `http://localhost.:${port}/hook`],
    ] as const) {
      // Written straight into the store, as an older gateway would have accepted it.
      await h.app.services.eventWebhooks.webhooks.set(tenant, url);
      await h.app.services.events.dispatch(event(tenant));
      const d = await firstAttempt(tenant);
      expect(d.lastError, url).toBe('refused_address');
    }
    expect(connections).toBe(0);
  });

  it('shows a coarse reason for a host that cannot be reached, never the connect error (ENOTFOUND, ECONNREFUSED, …)', async () => {
    await h.app.services.eventWebhooks.webhooks.set('ssrf-down', 'https://nowhere.invalid/hook');
    await h.app.services.events.dispatch(event('ssrf-down'));
    const d = await firstAttempt('ssrf-down');
    expect(d.lastError).toBe('connect_failed');
  });
});
