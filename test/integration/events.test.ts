import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, NetworkError } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import type { RecordEvent, RecordOperation } from '../../src/events/types.js';
import { verifySignature } from '../../src/events/webhook-signature.js';
import { mintDevToken } from '../../src/auth/mint.js';
import {
  CreateRecordsDocument,
  DeleteRecordsDocument,
  EventDeliveriesDocument,
  EventWebhookDocument,
  RemoveEventWebhookDocument,
  SetEventWebhookDocument,
  UnwatchRecordsDocument,
  UpdateRecordsDocument,
  WatchRecordsDocument,
} from '../gql/graphql.js';
import { errorOf } from '../helpers/errors.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { JWT_SECRET } from '../helpers/gateway.js';

interface GraphQLPayload {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * A subscription as a frontend opens it: graphql-sse's client in its "distinct connections" mode
 * (one POST per subscription, answered as an event stream; what Yoga serves), with the bearer
 * token in a header and no retries, so a stream the gateway ends stays ended.
 */
class SseSubscription {
  private readonly queue: GraphQLPayload[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  /** Why the stream ended, when the client reported an error rather than completion. */
  private failure: unknown;
  private unsubscribe: () => void = () => {};

  static async open(app: App, token: string, query: string, variables: Record<string, unknown> = {}): Promise<SseSubscription> {
    const sub = new SseSubscription();
    // Resolved once the gateway answered (the stream is open, or it refused): as a frontend
    // would show "live" only then, the test dispatches events only then.
    let answered!: () => void;
    const open = new Promise<void>((resolve) => (answered = resolve));
    // Refused before streaming (401, 403), graphql-sse reports only a NetworkError ("Server
    // responded with 403") and aborts the response. The gateway's GraphQL answer is in that body
    // (Yoga writes it as one `next` event, or as JSON): a frontend that shows the error code reads
    // it in its fetchFn, as here.
    let refusal: GraphQLPayload | undefined;
    const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const res = await fetch(input, init);
      if (res.ok) return res;
      const text = await res.text();
      refusal = JSON.parse(/^data: ?(.*)$/m.exec(text)?.[1] ?? text) as GraphQLPayload;
      return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
    };
    const client = createClient({ url: `${app.url}/graphql`, headers: { authorization: `Bearer ${token}` }, retryAttempts: 0, fetchFn, on: { connected: () => answered() } });
    const wake = () => {
      answered();
      sub.waiter?.();
    };
    sub.unsubscribe = client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (payload) => {
          sub.queue.push(payload as GraphQLPayload);
          wake();
        },
        error: (err) => {
          if (err instanceof NetworkError && refusal) sub.queue.push(refusal);
          sub.failure = err;
          sub.ended = true;
          wake();
        },
        complete: () => {
          sub.ended = true;
          wake();
        },
      },
    );
    await open;
    return sub;
  }

  /** The next `next` payload; throws after `timeoutMs` or when the stream ended. */
  async next(timeoutMs = 5_000): Promise<GraphQLPayload> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const payload = this.queue.shift();
      if (payload) return payload;
      if (this.ended) throw new Error(`stream ended${this.failure ? `: ${this.failure instanceof Error ? this.failure.message : JSON.stringify(this.failure)}` : ''}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no event in time');
      await Promise.race([new Promise<void>((r) => (this.waiter = r)), sleep(left)]);
      this.waiter = undefined;
    }
  }

  /** True when no `next` event arrives within `ms`. */
  async quietFor(ms: number): Promise<boolean> {
    try {
      await this.next(ms);
      return false;
    } catch {
      return true;
    }
  }

  close(): void {
    this.unsubscribe();
  }
}

const SUBSCRIPTION = `subscription($module: String, $operations: [RecordOperation!]) {
  recordEvents(module: $module, operations: $operations) {
    id module operation ids affectedFields occurredAt
    records { id lastName: field(name: "Last_Name") }
  }
}`;
const LIGHT_SUBSCRIPTION = `subscription($module: String) { recordEvents(module: $module) { id module operation ids } }`;

function recordEvent(tenantId: string, module: string, operation: RecordOperation, ids: string[], affectedFields: Record<string, string[]> = {}): RecordEvent {
  return { id: randomUUID(), tenantId, connectionName: 'default', module, operation, ids, affectedFields, occurredAt: Date.parse('2026-02-01T10:00:00Z'), channelId: 'test-channel' };
}

/** Waits until `app` has `n` live subscriptions to `tenant`'s events (Redis confirmed the channel). */
async function listening(app: App, tenant: string, n = 1): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (app.services.events.listeners(tenant) < n) {
    if (Date.now() > deadline) throw new Error(`no subscriber for ${tenant}`);
    await sleep(10);
  }
}

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on loopback answering each POST with `answer(n)` (n counts from 1). */
async function receiver(answer: (n: number) => number | Promise<number> = () => 200): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      void Promise.resolve(answer(received.length)).then((status) => res.writeHead(status).end());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe('record events over SSE and webhooks (two instances, real Redis)', () => {
  let h: Harness;
  let leadIds: string[];
  beforeAll(async () => {
    // The receivers below listen on loopback: the test-only escape hatch lets webhooks reach them.
    h = await startHarness({ instances: 2, env: { EVENT_WEBHOOK_ALLOW_PRIVATE: 'true' } });
    await h.connect('acme');
    leadIds = [...h.us.ctx.records('Leads').keys()].slice(0, 3);
  });
  afterAll(() => h.close());

  it('delivers created, updated and deleted records’ events with records resolved on demand (null for deletes)', async () => {
    const sub = await SseSubscription.open(h.app, await h.token('acme'), SUBSCRIPTION, { module: 'Leads' });
    await listening(h.app, 'acme');
    const [a, b] = leadIds as [string, string];
    const leads = h.us.ctx.records('Leads');

    const created = recordEvent('acme', 'Leads', 'CREATE', [a]);
    await h.app.services.events.dispatch(created);
    const c = (await sub.next()).data!.recordEvents as Record<string, unknown>;
    expect(c).toEqual({
      id: created.id,
      module: 'Leads',
      operation: 'CREATE',
      ids: [a],
      affectedFields: {},
      occurredAt: '2026-02-01T10:00:00.000Z',
      records: [{ id: a, lastName: leads.get(a)!.Last_Name }],
    });

    // Zoho changes the record between two events: the second event reads it fresh, not from the
    // first event's loader cache.
    leads.get(a)!.Last_Name = 'Renamed';
    const updated = recordEvent('acme', 'Leads', 'UPDATE', [a, b], { [a]: ['Last_Name'], [b]: ['Email'] });
    await h.app.services.events.dispatch(updated);
    const u = (await sub.next()).data!.recordEvents as Record<string, unknown>;
    expect(u).toMatchObject({ id: updated.id, operation: 'UPDATE', ids: [a, b], affectedFields: { [a]: ['Last_Name'], [b]: ['Email'] } });
    expect(u.records).toEqual([
      { id: a, lastName: 'Renamed' },
      { id: b, lastName: leads.get(b)!.Last_Name },
    ]);

    h.us.resetCalls();
    const deleted = recordEvent('acme', 'Leads', 'DELETE', [a, b]);
    await h.app.services.events.dispatch(deleted);
    const d = (await sub.next()).data!.recordEvents as Record<string, unknown>;
    expect(d).toMatchObject({ id: deleted.id, operation: 'DELETE', ids: [a, b], records: [null, null] });
    expect(h.us.calls.filter((call) => call.path.includes('/Leads'))).toEqual([]);
    sub.close();
  });

  it('filters by operation', async () => {
    const sub = await SseSubscription.open(h.app, await h.token('acme'), LIGHT_SUBSCRIPTION.replace('recordEvents(module: $module)', 'recordEvents(module: $module, operations: [DELETE])'), {
      module: 'Leads',
    });
    await listening(h.app, 'acme');
    await h.app.services.events.dispatch(recordEvent('acme', 'Leads', 'CREATE', ['1']));
    const del = recordEvent('acme', 'Leads', 'DELETE', ['2']);
    await h.app.services.events.dispatch(del);
    expect((await sub.next()).data!.recordEvents).toMatchObject({ id: del.id, operation: 'DELETE' });
    sub.close();
  });

  it('carries an event dispatched on instance A to a subscriber on instance B', async () => {
    const [a, b] = h.apps as [App, App];
    const sub = await SseSubscription.open(b, await h.token('acme'), LIGHT_SUBSCRIPTION);
    await listening(b, 'acme');
    const e = recordEvent('acme', 'Deals', 'UPDATE', ['42']);
    await a.services.events.dispatch(e);
    expect((await sub.next()).data!.recordEvents).toEqual({ id: e.id, module: 'Deals', operation: 'UPDATE', ids: ['42'] });
    sub.close();
  });

  it('never shows a tenant another tenant’s events, nor another connection’s', async () => {
    const acme = await SseSubscription.open(h.apps[1]!, await h.token('acme'), LIGHT_SUBSCRIPTION);
    const globex = await SseSubscription.open(h.apps[1]!, await h.token('globex'), LIGHT_SUBSCRIPTION);
    await listening(h.apps[1]!, 'acme');
    await listening(h.apps[1]!, 'globex');
    const forGlobex = recordEvent('globex', 'Leads', 'CREATE', ['7']);
    await h.app.services.events.dispatch(forGlobex);
    await h.app.services.events.dispatch({ ...recordEvent('acme', 'Leads', 'CREATE', ['8']), connectionName: 'other' });
    const forAcme = recordEvent('acme', 'Leads', 'CREATE', ['9']);
    await h.app.services.events.dispatch(forAcme);
    expect((await globex.next()).data!.recordEvents).toMatchObject({ id: forGlobex.id });
    // acme's first event is its own (the globex one and the other connection's never arrive).
    expect((await acme.next()).data!.recordEvents).toMatchObject({ id: forAcme.id });
    expect(await globex.quietFor(300)).toBe(true);
    acme.close();
    globex.close();
  });

  it('gives a records:read:Leads caller Leads events only, and refuses module "Deals" with FORBIDDEN', async () => {
    const token = await h.token('acme', 'records:read:Leads');
    const sub = await SseSubscription.open(h.app, token, LIGHT_SUBSCRIPTION);
    await listening(h.app, 'acme');
    await h.app.services.events.dispatch(recordEvent('acme', 'Deals', 'CREATE', ['1']));
    await h.app.services.events.dispatch(recordEvent('acme', 'Contacts', 'CREATE', ['2']));
    const leads = recordEvent('acme', 'Leads', 'CREATE', ['3']);
    await h.app.services.events.dispatch(leads);
    expect((await sub.next()).data!.recordEvents).toMatchObject({ id: leads.id, module: 'Leads' });
    sub.close();

    const refused = await SseSubscription.open(h.app, token, LIGHT_SUBSCRIPTION, { module: 'Deals' });
    const answer = await refused.next();
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'records:read:Deals' });
    refused.close();

    const none = await SseSubscription.open(h.app, await h.token('acme', 'org:read'), LIGHT_SUBSCRIPTION);
    expect((await none.next()).errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'records:read' });
    none.close();
  });

  it('refuses a subscription without a token', async () => {
    const res = await fetch(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
      body: JSON.stringify({ query: LIGHT_SUBSCRIPTION }),
    });
    expect(res.status).toBe(401);
    await res.body?.cancel();
  });

  it('ends a subscription when the token that opened it expires', async () => {
    const shortLived = await mintDevToken({ secret: JWT_SECRET, tenant: 'acme', subject: 'acme-user', scope: 'records:read', expiresInSec: 2 });
    const sub = await SseSubscription.open(h.apps[0]!, shortLived, LIGHT_SUBSCRIPTION, {});
    const started = Date.now();
    await expect(sub.next(8_000)).rejects.toThrow('stream ended');
    // Open until the token's `exp` (1–2 s away), then closed by the gateway, not by a timeout.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(Date.now() - started).toBeLessThan(7_000);
    sub.close();
  });

  it('end to end: a record created, updated and deleted through the gateway reaches a subscriber on the other instance and the webhook once', async () => {
    const hook = await receiver();
    const client = await h.client('acme');
    const { setEventWebhook } = await client.request(SetEventWebhookDocument, { url: hook.url });
    const { watchRecords } = await client.request(WatchRecordsDocument, { modules: ['Leads'] });
    const sub = await SseSubscription.open(h.apps[1]!, await h.token('acme'), SUBSCRIPTION, { module: 'Leads' });
    await listening(h.apps[1]!, 'acme');

    const { createRecords } = await client.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'Burns' }] });
    const id = createRecords[0]!.id!;
    const created = (await sub.next(10_000)).data!.recordEvents as Record<string, unknown>;
    expect(created).toMatchObject({ module: 'Leads', operation: 'CREATE', ids: [id], records: [{ id, lastName: 'Burns' }] });

    await client.request(UpdateRecordsDocument, { module: 'Leads', records: [{ id, Last_Name: 'Burns-Lee' }] });
    const updated = (await sub.next(10_000)).data!.recordEvents as Record<string, unknown>;
    expect(updated).toMatchObject({ operation: 'UPDATE', ids: [id], affectedFields: { [id]: expect.arrayContaining(['Last_Name']) }, records: [{ id, lastName: 'Burns-Lee' }] });

    await client.request(DeleteRecordsDocument, { module: 'Leads', ids: [id] });
    expect((await sub.next(10_000)).data!.recordEvents).toMatchObject({ operation: 'DELETE', ids: [id], records: [null] });

    const posts = await until(() => (hook.received.length >= 3 ? hook.received : undefined));
    await sleep(300);
    expect(posts).toHaveLength(3);
    expect(posts.map((p) => (JSON.parse(p.body) as { operation: string }).operation)).toEqual(['CREATE', 'UPDATE', 'DELETE']);
    for (const p of posts) expect(verifySignature(setEventWebhook.secret!, p.headers['x-zgw-timestamp'] as string, p.body, p.headers['x-zgw-signature'] as string)).toBe(true);

    sub.close();
    await client.request(UnwatchRecordsDocument, { id: watchRecords.id });
    await client.request(RemoveEventWebhookDocument);
    await hook.close();
  });

  describe('webhook forwarding', () => {
    it('refuses unsafe URLs and needs zoho:connect', async () => {
      const client = await h.client('fwd-refuse');
      // Refused even with EVENT_WEBHOOK_ALLOW_PRIVATE (test/security/webhook-ssrf.test.ts covers the default).
      for (const url of [
        'ftp://example.com/hook',
        'https://user:pw@example.com/hook',
        'http://example.com/hook',
        'https://169.254.169.254/latest',
        'https://[fe80::1]/x',
        'https://198.18.0.1/x',
        'http://localhost./hook',
        'not a url',
      ]) {
        expect((await errorOf(client.request(SetEventWebhookDocument, { url }))).code, url).toBe('BAD_USER_INPUT');
      }
      const reader = await h.client('fwd-refuse', 'records:read');
      expect(await errorOf(reader.request(SetEventWebhookDocument, { url: 'https://example.com/hook' }))).toMatchObject({ code: 'FORBIDDEN' });
      expect(await errorOf(reader.request(EventDeliveriesDocument, {}))).toMatchObject({ code: 'FORBIDDEN' });
    });

    it('POSTs each event once, signed; a tampered body fails verification; the secret is shown once', async () => {
      const hook = await receiver();
      const client = await h.client('fwd-sign');
      const { setEventWebhook } = await client.request(SetEventWebhookDocument, { url: hook.url });
      expect(setEventWebhook.url).toBe(hook.url);
      const secret = setEventWebhook.secret!;
      expect(secret).toMatch(/^zgwhs_[A-Za-z0-9_-]{43}$/);
      expect((await client.request(EventWebhookDocument)).eventWebhook).toMatchObject({ url: hook.url, secret: null });

      const e = recordEvent('fwd-sign', 'Leads', 'UPDATE', ['5'], { '5': ['Email'] });
      await h.app.services.events.dispatch(e);
      const got = await until(() => hook.received[0]);
      const timestamp = got.headers['x-zgw-timestamp'] as string;
      const signature = got.headers['x-zgw-signature'] as string;
      expect(got.headers['x-zgw-event-id']).toBe(e.id);
      expect(got.headers['content-type']).toBe('application/json');
      expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(JSON.parse(got.body)).toEqual({
        id: e.id,
        tenantId: 'fwd-sign',
        connectionName: 'default',
        module: 'Leads',
        operation: 'UPDATE',
        ids: ['5'],
        affectedFields: { '5': ['Email'] },
        occurredAt: '2026-02-01T10:00:00.000Z',
      });
      expect(verifySignature(secret, timestamp, got.body, signature)).toBe(true);
      expect(verifySignature(secret, timestamp, got.body.replace('UPDATE', 'DELETE'), signature)).toBe(false);
      expect(verifySignature(secret, Number(timestamp) + 1, got.body, signature)).toBe(false);
      expect(verifySignature('zgwhs_wrong', timestamp, got.body, signature)).toBe(false);

      const log = await until(async () => {
        const { eventDeliveries } = await client.request(EventDeliveriesDocument, {});
        return eventDeliveries[0]?.status === 'DELIVERED' ? eventDeliveries : undefined;
      });
      expect(log).toEqual([expect.objectContaining({ eventId: e.id, url: hook.url, status: 'DELIVERED', attempts: 1, lastStatusCode: 200, lastError: null })]);
      // No secret anywhere in the logs.
      expect(h.logs.text).not.toContain(secret);

      expect((await client.request(RemoveEventWebhookDocument)).removeEventWebhook).toBe(true);
      expect((await client.request(RemoveEventWebhookDocument)).removeEventWebhook).toBe(false);
      await h.app.services.events.dispatch(recordEvent('fwd-sign', 'Leads', 'CREATE', ['6']));
      await sleep(200);
      expect(hook.received).toHaveLength(1);
      await hook.close();
    });

    it('retries after a 500 and logs DELIVERED with 2 attempts', async () => {
      const hook = await receiver((n) => (n === 1 ? 500 : 200));
      const client = await h.client('fwd-retry');
      await client.request(SetEventWebhookDocument, { url: hook.url });
      const e = recordEvent('fwd-retry', 'Deals', 'CREATE', ['1']);
      await h.app.services.events.dispatch(e);
      await until(() => hook.received[1]);
      expect(hook.received.map((r) => r.headers['x-zgw-event-id'])).toEqual([e.id, e.id]);
      const delivery = await until(async () => {
        const [d] = (await client.request(EventDeliveriesDocument, { first: 5 })).eventDeliveries;
        return d?.status === 'DELIVERED' ? d : undefined;
      });
      expect(delivery).toMatchObject({ eventId: e.id, status: 'DELIVERED', attempts: 2, lastStatusCode: 200, lastError: null });
      await hook.close();
    });

    it('logs the failed attempt while waiting to retry', async () => {
      const hook = await receiver(() => 503);
      const client = await h.client('fwd-pending');
      await client.request(SetEventWebhookDocument, { url: hook.url });
      await h.app.services.events.dispatch(recordEvent('fwd-pending', 'Deals', 'CREATE', ['1']));
      const pending = await until(async () => {
        const [d] = (await client.request(EventDeliveriesDocument, {})).eventDeliveries;
        return d?.attempts === 1 ? d : undefined;
      });
      expect(pending).toMatchObject({ status: 'PENDING', lastStatusCode: 503, lastError: 'http_503' });
      await hook.close();
    });

    it('does not make dispatch wait for a slow receiver', async () => {
      const hook = await receiver(() => sleep(1_500).then(() => 200));
      const client = await h.client('fwd-slow');
      await client.request(SetEventWebhookDocument, { url: hook.url });
      const started = Date.now();
      await h.app.services.events.dispatch(recordEvent('fwd-slow', 'Leads', 'CREATE', ['1']));
      expect(Date.now() - started).toBeLessThan(300);
      await until(async () => {
        const [d] = (await client.request(EventDeliveriesDocument, {})).eventDeliveries;
        return d?.status === 'DELIVERED' ? d : undefined;
      });
      await hook.close();
    });

    it('forwards once with two instances, while subscribers on both get the event', async () => {
      const hook = await receiver();
      const client = await h.client('fwd-once');
      await client.request(SetEventWebhookDocument, { url: hook.url });
      const subs = await Promise.all(h.apps.map(async (app) => SseSubscription.open(app, await h.token('fwd-once'), LIGHT_SUBSCRIPTION)));
      for (const app of h.apps) await listening(app, 'fwd-once');
      const e = recordEvent('fwd-once', 'Leads', 'CREATE', ['1']);
      await h.apps[1]!.services.events.dispatch(e);
      for (const sub of subs) expect((await sub.next()).data!.recordEvents).toMatchObject({ id: e.id });
      await until(() => hook.received[0]);
      await sleep(500);
      expect(hook.received).toHaveLength(1);
      for (const sub of subs) sub.close();
      await hook.close();
    });
  });
});
