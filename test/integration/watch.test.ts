import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import type { EventSink, RecordEvent } from '../../src/events/types.js';
import { createLogger } from '../../src/log.js';
import { watchNotifier } from '../../src/emulator/routes/watch.js';
import { CreateRecordsDocument, DeleteRecordsDocument, UnwatchRecordsDocument, UpdateRecordsDocument, WatchesDocument, WatchRecordsDocument } from '../gql/graphql.js';
import { errorOf } from '../helpers/errors.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import type { App } from '../../src/app.js';

const DAY_MS = 24 * 3600_000;
const WATCH = 'POST /crm/v8/actions/watch';
const RENEW = 'PATCH /crm/v8/actions/watch';
const UNWATCH = 'DELETE /crm/v8/actions/watch';

/** Records every event an app's webhook hands to its sink (the bus, when wired, still gets it). */
function spyOn(app: App, seen: RecordEvent[]): void {
  const services = app.services as { events?: EventSink };
  const inner = services.events;
  if (inner) {
    const dispatch = inner.dispatch.bind(inner);
    inner.dispatch = async (e) => {
      seen.push(e);
      await dispatch(e);
    };
  } else {
    services.events = { dispatch: async (e) => void seen.push(e) };
  }
}

/** Waits until `check` passes (dispatch runs after the webhook answered). */
async function eventually(check: () => void, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

describe('watching Zoho records: channels, notifications, renewal', () => {
  let h: Harness;
  const seen: RecordEvent[] = [];
  const notifier = () => watchNotifier(h.us.ctx);
  const post = (channelId: string, body: unknown, app: App = h.app) =>
    fetch(`${app.url}/webhooks/zoho/${channelId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    // The emulated Zoho shares the gateway's clock, so moving it ages channels on both sides.
    h = await startHarness({ instances: 2, emulator: { now: () => h?.clock.now ?? Date.now() } });
    await h.connect('acme');
    await h.connect('beta');
    for (const app of h.apps) spyOn(app, seen);
  });
  afterAll(() => h.close());
  beforeEach(() => {
    seen.length = 0;
    h.us.resetCalls();
  });

  it('watchRecords enables a Zoho channel pointing at PUBLIC_URL/webhooks/zoho/<id> and stores it with its token sealed', async () => {
    const acme = await h.client('acme');
    const { watchRecords: w } = await acme.request(WatchRecordsDocument, { modules: ['Leads', 'Deals'] });
    expect(w).toMatchObject({ modules: ['Leads', 'Deals'], operations: ['CREATE', 'UPDATE', 'DELETE'] });
    expect(w.id).toMatch(/^\d{16}$/);
    expect(h.us.count(WATCH)).toBe(1);

    const subs = notifier()
      .list()
      .filter((s) => s.channelId === w.id);
    expect(subs.map((s) => s.module).sort()).toEqual(['Deals', 'Leads']);
    for (const s of subs) {
      expect(s.notifyUrl).toBe(`${h.publicUrl}/webhooks/zoho/${w.id}`);
      expect([...s.ops].sort()).toEqual(['create', 'delete', 'edit']);
      // Zoho's token limit is 50 characters; ours carries 32 random bytes.
      expect(s.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    // The expiry Zoho granted: a week less the clock-skew margin, not Zoho's one-hour default.
    expect(Date.parse(w.expiresAt)).toBe(subs[0]!.expiresAt);
    expect(subs[0]!.expiresAt - h.clock.now).toBeGreaterThan(6 * DAY_MS);

    const raw = await (await h.app.store.redis!.client()).get(h.app.store.keyFor(`watch:channel:${w.id}`));
    expect(raw).toBeTruthy();
    expect(raw).not.toContain(subs[0]!.token);
    expect(raw).toMatch(/"token":"v2\./);

    await acme.request(UnwatchRecordsDocument, { id: w.id });
  });

  it('only given operations are watched; unknown modules and missing scopes are refused before any Zoho call', async () => {
    const acme = await h.client('acme');
    const { watchRecords: w } = await acme.request(WatchRecordsDocument, { modules: ['Contacts'], operations: ['DELETE', 'CREATE'] });
    expect(w.operations).toEqual(['CREATE', 'DELETE']);
    expect(
      [
        ...notifier()
          .list()
          .find((s) => s.channelId === w.id)!.ops,
      ].sort(),
    ).toEqual(['create', 'delete']);

    h.us.resetCalls();
    expect((await errorOf(acme.request(WatchRecordsDocument, { modules: ['Leadz'] }))).code).toBe('ZOHO_INVALID_MODULE');
    const narrow = await h.client('acme', 'records:read:Leads');
    const denied = await errorOf(narrow.request(WatchRecordsDocument, { modules: ['Leads', 'Deals'] }));
    expect(denied).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'records:read:Deals' } });
    expect(h.us.count(WATCH)).toBe(0);
    // A module-narrowed scope is enough for that module.
    const { watchRecords: leadsOnly } = await narrow.request(WatchRecordsDocument, { modules: ['Leads'] });
    await acme.request(UnwatchRecordsDocument, { id: leadsOnly.id });
    await acme.request(UnwatchRecordsDocument, { id: w.id });
  });

  it('Zoho notifies the gateway of creates, updates and deletes made through the gateway; each becomes a RecordEvent', async () => {
    const acme = await h.client('acme');
    const { watchRecords: w } = await acme.request(WatchRecordsDocument, { modules: ['Leads'] });

    const { createRecords } = await acme.request(CreateRecordsDocument, { module: 'Leads', records: [{ Last_Name: 'Watched', Company: 'Acme' }] });
    const id = createRecords[0]!.id!;
    await acme.request(UpdateRecordsDocument, { module: 'Leads', records: [{ id, Email: 'watched@example.com', Company: 'Acme 2' }] });
    await acme.request(DeleteRecordsDocument, { module: 'Leads', ids: [id] });
    await notifier().idle();
    await eventually(() => expect(seen).toHaveLength(3));

    const deliveries = notifier().deliveries.filter((d) => d.channelId === w.id);
    expect(deliveries.map((d) => [d.operation, d.status, d.response])).toEqual([
      ['insert', 200, ''],
      ['update', 200, ''],
      ['delete', 200, ''],
    ]);
    const base = { tenantId: 'acme', connectionName: 'default', module: 'Leads', ids: [id], channelId: w.id, occurredAt: h.clock.now };
    expect(seen[0]).toMatchObject({ ...base, operation: 'CREATE', affectedFields: {} });
    expect(seen[1]).toMatchObject({ ...base, operation: 'UPDATE' });
    expect(seen[1]!.affectedFields[id]!.sort()).toEqual(['Company', 'Email']);
    expect(seen[2]).toMatchObject({ ...base, operation: 'DELETE', affectedFields: {} });
    expect(new Set(seen.map((e) => e.id)).size).toBe(3);
    for (const e of seen) expect(e.id).toMatch(/^[0-9a-f-]{36}$/);

    await acme.request(UnwatchRecordsDocument, { id: w.id });
  });

  it('refuses forged, unknown and malformed notifications, logs no body, and dispatches nothing', async () => {
    const acme = await h.client('acme');
    const { watchRecords: w } = await acme.request(WatchRecordsDocument, { modules: ['Leads'], operations: ['CREATE'] });
    const token = notifier()
      .list()
      .find((s) => s.channelId === w.id)!.token!;
    const good = {
      server_time: h.clock.now,
      query_params: {},
      module: 'Leads',
      resource_uri: `${h.us.url}/crm/v8/Leads`,
      ids: ['4150868000001234567'],
      affected_fields: [],
      operation: 'insert',
      channel_id: w.id,
      token,
    };
    const logStart = h.logs.lines.length;

    expect((await post(w.id, { ...good, token: 'forged-token-forged-token-forged-token-abcd' })).status).toBe(401);
    expect((await post(w.id, { ...good, token: token.slice(0, -1) })).status).toBe(401);
    const { token: _omit, ...noToken } = good;
    expect((await post(w.id, noToken)).status).toBe(401);
    expect((await post('9999999999999999', good)).status).toBe(404);
    expect((await post('not-a-channel', good)).status).toBe(404);
    expect((await post(w.id, '{not json')).status).toBe(400);
    expect((await post(w.id, [good])).status).toBe(400);
    expect((await post(w.id, { ...good, channel_id: '1234567890123456' })).status).toBe(400);
    expect((await post(w.id, { ...good, module: 'Deals' })).status).toBe(400);
    expect((await post(w.id, { ...good, ids: 'x' })).status).toBe(400);
    expect((await post(w.id, { ...good, operation: 'merge' })).status).toBe(400);
    expect((await post(w.id, { ...good, server_time: undefined })).status).toBe(400);
    // Authentic, but for an operation the channel does not watch: acknowledged, not dispatched.
    expect((await post(w.id, { ...good, operation: 'delete' })).status).toBe(200);

    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toHaveLength(0);
    const logged = h.logs.lines.slice(logStart).join('\n');
    expect(logged).toContain('zoho notification refused');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain('forged-token');
    expect(logged).not.toContain('4150868000001234567');

    // The real thing, on the other instance: accepted (the channel lives in the shared store).
    const ok = await post(w.id, good, h.apps[1]);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    await eventually(() => expect(seen).toMatchObject([{ tenantId: 'acme', operation: 'CREATE', ids: good.ids, occurredAt: good.server_time }]));

    await acme.request(UnwatchRecordsDocument, { id: w.id });
  });

  it('drops a replayed notification (either instance) and refuses one whose server_time is over 10 minutes old', async () => {
    const acme = await h.client('acme');
    const { watchRecords: w } = await acme.request(WatchRecordsDocument, { modules: ['Leads'] });
    const token = notifier()
      .list()
      .find((s) => s.channelId === w.id)!.token!;
    const note = { server_time: h.clock.now, module: 'Leads', ids: ['4150868000001234568'], affected_fields: [], operation: 'insert', channel_id: w.id, token };

    expect((await post(w.id, note)).status).toBe(200);
    await eventually(() => expect(seen).toHaveLength(1));
    // The same notification again, on this instance and the other: acknowledged, not dispatched.
    expect((await post(w.id, note)).status).toBe(200);
    expect((await post(w.id, note, h.apps[1])).status).toBe(200);
    // Ids in another order and repeated are the same notification.
    expect((await post(w.id, { ...note, ids: [...note.ids, ...note.ids] }, h.apps[1])).status).toBe(200);
    // Stale (10 minutes and a second old), though authentic: refused.
    expect((await post(w.id, { ...note, ids: ['4150868000001234569'], server_time: h.clock.now - 601_000 })).status).toBe(400);
    // A fresh notification after them all: once it is dispatched, the ones before it would have been.
    expect((await post(w.id, { ...note, ids: ['4150868000001234570'] })).status).toBe(200);
    await eventually(() => expect(seen).toHaveLength(2));
    expect(seen.map((e) => e.ids)).toEqual([note.ids, ['4150868000001234570']]);
    expect(h.logs.text).toContain('zoho notification already taken (replay) dropped');
    // The replay window is 24 hours, kept in Redis for every instance.
    const ttl = await (await h.app.store.redis!.client()).pTTL(h.app.store.keyFor(`events:seen:${seen[0]!.id}`));
    expect(ttl).toBeGreaterThan(23.9 * 3_600_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3_600_000);

    await acme.request(UnwatchRecordsDocument, { id: w.id });
  });

  it('zohoRequest never returns a channel token (GET or POST /actions/watch) and cannot move or stop the gateway’s channels', async () => {
    const acme = await h.client('acme');
    const { watchRecords: w } = await acme.request(WatchRecordsDocument, { modules: ['Leads'] });
    const token = notifier()
      .list()
      .find((s) => s.channelId === w.id)!.token!;
    const proxy = 'mutation($method: HttpMethod!, $path: String!, $query: JSON, $body: JSON) { zohoRequest(method: $method, path: $path, query: $query, body: $body) }';
    type Answer = { zohoRequest: { status: number; body: { watch?: Record<string, unknown>[] } } };

    // A channel of the caller's own, through the passthrough: allowed, and its token is not echoed either.
    const own = { watch: [{ channel_id: 777000111, events: ['Deals.create'], notify_url: 'https://hooks.example/own?token=abc', token: 'own-channel-token-0123456789' }] };
    const posted = await acme.request<Answer>(proxy, { method: 'POST', path: '/actions/watch', body: own });
    expect(posted.zohoRequest.status).toBe(201);
    const listed = await acme.request<Answer>(proxy, { method: 'GET', path: '/actions/watch' });
    expect(listed.zohoRequest.body.watch!.map((e) => String(e.channel_id))).toEqual(expect.arrayContaining([w.id, '777000111']));
    for (const answer of [posted, listed]) {
      const text = JSON.stringify(answer);
      expect(text).not.toContain(token);
      expect(text).not.toContain('own-channel-token');
      expect(text).not.toContain('token=abc');
      expect(text).not.toMatch(/"token"/);
    }

    // Moving the gateway's channel elsewhere (its token would follow) or stopping it: refused, nothing sent.
    h.us.resetCalls();
    const steal = { watch: [{ channel_id: Number(w.id), events: ['Leads.all'], notify_url: 'https://evil.example/steal' }] };
    for (const method of ['POST', 'PUT', 'PATCH'] as const) {
      expect((await errorOf(acme.request(proxy, { method, path: '/actions/watch', body: steal }))).code, method).toBe('FORBIDDEN');
    }
    // Whatever case the path is spelled in (Zoho's routing case is not documented).
    expect((await errorOf(acme.request(proxy, { method: 'PATCH', path: '/Actions/Watch', body: steal }))).code).toBe('FORBIDDEN');
    expect((await errorOf(acme.request(proxy, { method: 'DELETE', path: '/actions/watch', query: { channel_ids: `777000111,${w.id}` } }))).code).toBe('FORBIDDEN');
    expect(h.us.calls.filter((c) => c.path.includes('/actions/watch'))).toEqual([]);
    expect(
      notifier()
        .list()
        .find((s) => s.channelId === w.id)!.notifyUrl,
    ).toBe(`${h.publicUrl}/webhooks/zoho/${w.id}`);

    await acme.request(proxy, { method: 'DELETE', path: '/actions/watch', query: { channel_ids: '777000111' } });
    await acme.request(UnwatchRecordsDocument, { id: w.id });
  });

  it('caps watch channels per tenant, parallel calls included; disconnectZoho disables the connection’s channels at Zoho in one call', async () => {
    await h.connect('gamma');
    const gamma = await h.client('gamma');
    h.us.resetCalls();
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => gamma.request(WatchRecordsDocument, { modules: ['Leads'] })));
    const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.watchRecords.id] : []));
    const refused = await Promise.all(results.flatMap((r) => (r.status === 'rejected' ? [errorOf(Promise.reject(r.reason))] : [])));
    expect(made).toHaveLength(10);
    expect(refused.map((e) => [e.code, e.extensions.maximum])).toEqual([
      ['WATCH_LIMIT_REACHED', 10],
      ['WATCH_LIMIT_REACHED', 10],
    ]);
    expect(h.us.count(WATCH)).toBe(10);
    expect(
      notifier()
        .list()
        .filter((s) => made.includes(s.channelId)),
    ).toHaveLength(10);

    h.us.resetCalls();
    expect((await gamma.request<{ disconnectZoho: boolean }>('mutation { disconnectZoho }')).disconnectZoho).toBe(true);
    expect(h.us.count(UNWATCH)).toBe(1);
    expect(
      notifier()
        .list()
        .filter((s) => made.includes(s.channelId)),
    ).toEqual([]);
    expect(await h.app.services.watch.list({ tenantId: 'gamma', connectionName: 'default' })).toEqual([]);
  });

  it('watches lists only the tenant’s channels; another tenant can neither see nor remove them', async () => {
    const acme = await h.client('acme');
    const beta = await h.client('beta');
    const { watchRecords: a } = await acme.request(WatchRecordsDocument, { modules: ['Leads'] });
    const { watchRecords: b } = await beta.request(WatchRecordsDocument, { modules: ['Deals'] });

    expect((await acme.request(WatchesDocument)).watches.map((w) => w.id)).toEqual([a.id]);
    expect((await beta.request(WatchesDocument)).watches).toEqual([b]);

    h.us.resetCalls();
    expect((await beta.request(UnwatchRecordsDocument, { id: a.id })).unwatchRecords).toBe(false);
    expect((await beta.request(UnwatchRecordsDocument, { id: '123' })).unwatchRecords).toBe(false);
    expect(h.us.count(UNWATCH)).toBe(0);
    expect(
      notifier()
        .list()
        .some((s) => s.channelId === a.id),
    ).toBe(true);
    expect(await h.app.services.watch.list({ tenantId: 'acme', connectionName: 'default' })).toHaveLength(1);

    expect((await acme.request(UnwatchRecordsDocument, { id: a.id })).unwatchRecords).toBe(true);
    expect(h.us.count(UNWATCH)).toBe(1);
    expect(
      notifier()
        .list()
        .some((s) => s.channelId === a.id),
    ).toBe(false);
    expect((await acme.request(WatchesDocument)).watches).toEqual([]);
    expect((await acme.request(UnwatchRecordsDocument, { id: a.id })).unwatchRecords).toBe(false);
    // A forgotten channel's notifications are refused.
    expect((await post(a.id, { channel_id: a.id })).status).toBe(404);
    await beta.request(UnwatchRecordsDocument, { id: b.id });
  });

  it('renewal: two instances run a round at once near expiry → one PATCH; the stored expiry moves; a restarted gateway still knows the channel', async () => {
    const acme = await h.client('acme');
    const { watchRecords: w } = await acme.request(WatchRecordsDocument, { modules: ['Leads'] });
    const before = Date.parse(w.expiresAt);

    // Not due yet: nothing to do.
    expect((await h.app.services.renewal.runOnce()).renewed).toBe(0);
    expect(h.us.count(RENEW)).toBe(0);

    h.clock.now = before - 2 * 3600_000;
    const rounds = await Promise.all(h.apps.map((a) => a.services.renewal.runOnce()));
    expect(h.us.count(RENEW)).toBe(1);
    expect(rounds.reduce((n, r) => n + r.renewed, 0)).toBe(1);
    expect(rounds.filter((r) => r.ran).length).toBeGreaterThanOrEqual(1);

    const [stored] = await h.apps[1]!.services.watch.list({ tenantId: 'acme', connectionName: 'default' });
    expect(stored!.expiresAt).toBeGreaterThan(before + 6 * DAY_MS);
    expect(stored!.expiresAt).toBe(
      notifier()
        .list()
        .find((s) => s.channelId === w.id)!.expiresAt,
    );
    expect(Date.parse((await acme.request(WatchesDocument)).watches[0]!.expiresAt)).toBe(stored!.expiresAt);

    // A second round right after finds nothing due.
    await Promise.all(h.apps.map((a) => a.services.renewal.runOnce()));
    expect(h.us.count(RENEW)).toBe(1);

    // A restart: a new instance on the same store knows the channel, its token and its expiry.
    const fresh = await startApp(h.app.services.config, createLogger({ level: 'silent' }), { port: 0, host: '127.0.0.1', namespace: h.namespace, now: () => h.clock.now });
    try {
      const [known] = await fresh.services.watch.list({ tenantId: 'acme', connectionName: 'default' });
      expect(known).toMatchObject({
        id: w.id,
        expiresAt: stored!.expiresAt,
        token: notifier()
          .list()
          .find((s) => s.channelId === w.id)!.token,
      });
      const seenFresh: RecordEvent[] = [];
      spyOn(fresh, seenFresh);
      const token = known!.token;
      const res = await post(w.id, { server_time: h.clock.now, module: 'Leads', ids: ['1'], affected_fields: [], operation: 'insert', channel_id: w.id, token }, fresh);
      expect(res.status).toBe(200);
      await eventually(() => expect(seenFresh).toHaveLength(1));
    } finally {
      await fresh.close();
    }
    await acme.request(UnwatchRecordsDocument, { id: w.id });
  });

  it('renewal skips channels whose connection needs reconnecting, and re-enables a lapsed channel once it works again', async () => {
    const acme = await h.client('acme');
    const { watchRecords: w } = await acme.request(WatchRecordsDocument, { modules: ['Leads'] });
    const conn = (await h.app.services.connections.get('acme', 'default'))!;
    await h.app.services.connections.put({ ...conn, status: 'RECONNECT_REQUIRED' });

    h.clock.now = Date.parse(w.expiresAt) + 3600_000; // lapsed at Zoho too
    const skipped = await h.app.services.renewal.runOnce();
    expect(skipped).toMatchObject({ ran: true, renewed: 0, skipped: 1 });
    expect(h.us.count(RENEW) + h.us.count(WATCH)).toBe(1); // the watch itself
    expect(h.logs.text).toContain('watch channel not renewed: connection not usable');
    expect(
      notifier()
        .list()
        .some((s) => s.channelId === w.id),
    ).toBe(false);

    await h.app.services.connections.put({ ...conn, status: 'ACTIVE' });
    const round = await h.app.services.renewal.runOnce();
    expect(round).toMatchObject({ renewed: 1, failed: 0 });
    expect(h.us.count(RENEW)).toBe(0);
    expect(h.us.count(WATCH)).toBe(2);
    const sub = notifier()
      .list()
      .find((s) => s.channelId === w.id)!;
    expect(sub.expiresAt).toBeGreaterThan(h.clock.now + 6 * DAY_MS);
    expect(sub.notifyUrl).toBe(`${h.publicUrl}/webhooks/zoho/${w.id}`);
    await acme.request(UnwatchRecordsDocument, { id: w.id });
  });
});
