import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { watchNotifier, type WatchNotifier } from '../../src/emulator/routes/watch.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';

/** A webhook receiver on loopback that records every request it gets. */
interface Receiver {
  url: string;
  hits: { method: string; url: string; contentType: string | undefined; body: any }[];
  /** Status the receiver answers with (default 200). */
  status: number;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const hits: Receiver['hits'] = [];
  const rec: Receiver = { url: '', hits, status: 200, close: async () => undefined };
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      hits.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body: text ? JSON.parse(text) : undefined });
      res.writeHead(rec.status, { 'content-type': 'text/plain' });
      res.end(rec.status === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  rec.close = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return rec;
}

const T0 = Date.UTC(2025, 5, 2, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

let clock = T0;
let emu: ZohoEmulator;
let token: string;
let notifier: WatchNotifier;
let rx: Receiver;
const WATCH = '/crm/v8/actions/watch';

beforeEach(async () => {
  clock = T0;
  ({ emu, token } = await startTestEmulator({ now: () => clock }));
  notifier = watchNotifier(emu.ctx);
  rx = await startReceiver();
});

afterEach(async () => {
  await notifier.close();
  await emu.close();
  await rx.close();
});

/** Module id as GET /crm/v8/settings/modules reports it. */
async function moduleId(api: string): Promise<string> {
  const res = await call(emu, 'GET', '/crm/v8/settings/modules', { token });
  return res.body.modules.find((m: { api_name: string }) => m.api_name === api).id;
}

const enable = (watch: unknown[], tok = token) => call(emu, 'POST', WATCH, { token: tok, json: { watch } });

describe('POST /crm/v8/actions/watch (enable)', () => {
  it('subscribes one channel to several modules and answers 201 with one event per module', async () => {
    const res = await enable([{ channel_id: '1000000068001', events: ['Leads.create', 'Deals.all'], notify_url: `${rx.url}/hook`, token: 'TOKEN_1' }]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      watch: [
        {
          code: 'SUCCESS',
          details: {
            events: [
              { channel_expiry: iso(T0 + 3600_000), resource_uri: `${emu.url}/crm/v8/Leads`, resource_id: await moduleId('Leads'), resource_name: 'Leads', channel_id: '1000000068001' },
              { channel_expiry: iso(T0 + 3600_000), resource_uri: `${emu.url}/crm/v8/Deals`, resource_id: await moduleId('Deals'), resource_name: 'Deals', channel_id: '1000000068001' },
            ],
          },
          message: 'Successfully subscribed for actions-watch of the given module',
          status: 'success',
        },
      ],
    });
  });

  it('keeps an expiry within a week, defaults to one hour beyond it, and accepts a numeric channel id', async () => {
    const res = await enable([
      { channel_id: 11, events: ['Leads.edit'], notify_url: rx.url, channel_expiry: iso(T0 + 2 * 86400_000) },
      { channel_id: '12', events: ['Leads.edit'], notify_url: rx.url, channel_expiry: iso(T0 + 8 * 86400_000) },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.watch[0].details.events[0]).toMatchObject({ channel_id: '11', channel_expiry: iso(T0 + 2 * 86400_000) });
    expect(res.body.watch[1].details.events[0]).toMatchObject({ channel_id: '12', channel_expiry: iso(T0 + 3600_000) });
  });

  it('answers 207 with per-channel errors when some channels are invalid', async () => {
    const res = await enable([
      { channel_id: '1', events: ['Leads.create'], notify_url: rx.url },
      { events: ['Leads.create'], notify_url: rx.url },
    ]);
    expect(res.status).toBe(207);
    expect(res.body.watch[0].code).toBe('SUCCESS');
    expect(res.body.watch[1]).toEqual({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'channel_id', json_path: '$.watch[1].channel_id' },
      message: 'required field not found',
      status: 'error',
    });
  });

  it('answers 400 when every channel is invalid', async () => {
    const res = await enable([
      { channel_id: '1', events: ['Widgets.create'], notify_url: rx.url },
      { channel_id: '2', events: ['Leads.create'] },
      { channel_id: '3', events: ['Leads.create'], notify_url: rx.url, token: 'x'.repeat(51) },
      { channel_id: 'abc', events: ['Leads.create'], notify_url: rx.url },
      { channel_id: '5', events: ['Leads.update'], notify_url: rx.url },
      { channel_id: '6', notify_url: rx.url },
      { channel_id: '7', events: ['Leads.create'], notify_url: 'not a url' },
      { channel_id: '8', events: ['Leads.create'], notify_url: rx.url, channel_expiry: 'tomorrow' },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.watch).toEqual([
      { code: 'INVALID_DATA', details: { api_name: 'events' }, message: 'invalid data', status: 'error' },
      { code: 'MANDATORY_NOT_FOUND', details: { api_name: 'notify_url', json_path: '$.watch[1].notify_url' }, message: 'required field not found', status: 'error' },
      { code: 'INVALID_DATA', details: { api_name: 'token', json_path: '$.watch[2].token', maximum_length: 50 }, message: 'invalid data', status: 'error' },
      { code: 'INVALID_DATA', details: { api_name: 'channel_id', json_path: '$.watch[3].channel_id', expected_data_type: 'long' }, message: 'invalid data', status: 'error' },
      { code: 'INVALID_DATA', details: { api_name: 'events' }, message: 'invalid data', status: 'error' },
      { code: 'MANDATORY_NOT_FOUND', details: { api_name: 'events', json_path: '$.watch[5].events' }, message: 'required field not found', status: 'error' },
      { code: 'INVALID_DATA', details: { api_name: 'notify_url', json_path: '$.watch[6].notify_url' }, message: 'invalid data', status: 'error' },
      { code: 'INVALID_DATA', details: { api_name: 'channel_expiry', json_path: '$.watch[7].channel_expiry', expected_data_type: 'datetime' }, message: 'invalid data', status: 'error' },
    ]);
    // Nothing was subscribed.
    expect((await call(emu, 'GET', WATCH, { token })).status).toBe(204);
  });

  it('refuses a body without a watch array and more than 50 channels', async () => {
    const none = await call(emu, 'POST', WATCH, { token, json: {} });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'watch' }, status: 'error' });
    const many = Array.from({ length: 51 }, (_, i) => ({ channel_id: String(i + 1), events: ['Leads.create'], notify_url: rx.url }));
    const tooMany = await enable(many);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.code).toBe('LIMIT_EXCEEDED');
  });
});

describe('GET /crm/v8/actions/watch', () => {
  it('answers 204 with no body when no channel is enabled', async () => {
    const res = await call(emu, 'GET', WATCH, { token });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('lists one entry per channel and module with expanded events, and filters by channel_id and module', async () => {
    await enable([
      { channel_id: '10000', events: ['Contacts.create', 'Deals.all'], notify_url: `${rx.url}/a`, token: 'deals.all.notif', notify_on_related_action: false },
      { channel_id: '20000', events: ['Leads.edit'], notify_url: `${rx.url}/b`, return_affected_field_values: true },
    ]);
    const res = await call(emu, 'GET', WATCH, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      watch: [
        {
          notify_on_related_action: false,
          channel_expiry: iso(T0 + 3600_000),
          return_affected_field_values: false,
          resource_uri: `${emu.url}/crm/v8/Contacts`,
          resource_id: await moduleId('Contacts'),
          notify_url: `${rx.url}/a`,
          resource_name: 'Contacts',
          fields: null,
          notification_condition: null,
          channel_id: '10000',
          events: ['Contacts.create'],
          token: 'deals.all.notif',
        },
        {
          notify_on_related_action: false,
          channel_expiry: iso(T0 + 3600_000),
          return_affected_field_values: false,
          resource_uri: `${emu.url}/crm/v8/Deals`,
          resource_id: await moduleId('Deals'),
          notify_url: `${rx.url}/a`,
          resource_name: 'Deals',
          fields: null,
          notification_condition: null,
          channel_id: '10000',
          events: ['Deals.edit', 'Deals.create', 'Deals.delete'],
          token: 'deals.all.notif',
        },
        {
          notify_on_related_action: true,
          channel_expiry: iso(T0 + 3600_000),
          return_affected_field_values: true,
          resource_uri: `${emu.url}/crm/v8/Leads`,
          resource_id: await moduleId('Leads'),
          notify_url: `${rx.url}/b`,
          resource_name: 'Leads',
          fields: null,
          notification_condition: null,
          channel_id: '20000',
          events: ['Leads.edit'],
          token: null,
        },
      ],
      info: { per_page: 200, count: 3, page: 1, more_records: false },
    });

    const byChannel = await call(emu, 'GET', WATCH, { token, query: { channel_id: '10000' } });
    expect(byChannel.body.watch.map((w: any) => w.resource_name)).toEqual(['Contacts', 'Deals']);
    const byModule = await call(emu, 'GET', WATCH, { token, query: { module: 'Leads' } });
    expect(byModule.body.watch.map((w: any) => w.channel_id)).toEqual(['20000']);
    const paged = await call(emu, 'GET', WATCH, { token, query: { per_page: 2, page: 1 } });
    expect(paged.body.info).toEqual({ per_page: 2, count: 2, page: 1, more_records: true });
    expect((await call(emu, 'GET', WATCH, { token, query: { module: 'Accounts' } })).status).toBe(204);
  });

  it('shows a user only their own channels', async () => {
    await enable([{ channel_id: '1', events: ['Leads.create'], notify_url: rx.url }]);
    const other = mintToken(emu, ['ZohoCRM.notifications.ALL'], emu.ctx.data.users[1]!.zuid);
    expect((await call(emu, 'GET', WATCH, { token: other })).status).toBe(204);
    expect((await call(emu, 'GET', WATCH, { token })).body.watch).toHaveLength(1);
  });
});

describe('PATCH / PUT /crm/v8/actions/watch (renew, update)', () => {
  it('PATCH renews the expiry and replaces the events of the named module', async () => {
    await enable([{ channel_id: '1', events: ['Leads.create', 'Deals.create'], notify_url: rx.url, token: 'tk' }]);
    clock = T0 + 50 * 60_000;
    const res = await call(emu, 'PATCH', WATCH, {
      token,
      json: { watch: [{ channel_id: '1', events: ['Leads.all'], notify_url: rx.url, channel_expiry: iso(clock + 3 * 86400_000) }] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      watch: [
        {
          code: 'SUCCESS',
          details: { events: [{ channel_expiry: iso(clock + 3 * 86400_000), resource_uri: `${emu.url}/crm/v8/Leads`, resource_id: await moduleId('Leads'), resource_name: 'Leads', channel_id: '1' }] },
          message: 'Successfully updated the subscribe details',
          status: 'success',
        },
      ],
    });
    const list = await call(emu, 'GET', WATCH, { token });
    expect(list.body.watch.map((w: any) => [w.resource_name, w.events, w.channel_expiry, w.token])).toEqual([
      ['Leads', ['Leads.edit', 'Leads.create', 'Leads.delete'], iso(clock + 3 * 86400_000), 'tk'],
      ['Deals', ['Deals.create'], iso(clock + 3 * 86400_000), 'tk'],
    ]);
    // Still alive after the original one-hour expiry.
    clock = T0 + 2 * 3600_000;
    const later = await call(emu, 'GET', WATCH, { token: mintToken(emu) });
    expect(later.body.watch).toHaveLength(2);
  });

  it('PATCH with _delete_events removes only the listed events', async () => {
    await enable([{ channel_id: '10000', events: ['Contacts.all', 'Deals.create'], notify_url: rx.url }]);
    const res = await call(emu, 'PATCH', WATCH, { token, json: { watch: [{ channel_id: '10000', events: ['Contacts.delete', 'Deals.create'], _delete_events: true }] } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      watch: [
        {
          code: 'SUCCESS',
          details: {
            events: [
              { resource_uri: `${emu.url}/crm/v8/Contacts`, resource_id: await moduleId('Contacts'), resource_name: 'Contacts', channel_id: '10000' },
              { resource_uri: `${emu.url}/crm/v8/Deals`, resource_id: await moduleId('Deals'), resource_name: 'Deals', channel_id: '10000' },
            ],
          },
          message: 'Successfully removed the subscribe details',
          status: 'success',
        },
      ],
    });
    const list = await call(emu, 'GET', WATCH, { token });
    expect(list.body.watch.map((w: any) => w.events)).toEqual([['Contacts.edit', 'Contacts.create']]);
  });

  it('PATCH and PUT answer NOT_SUBSCRIBED for an unknown channel', async () => {
    const patch = await call(emu, 'PATCH', WATCH, { token, json: { watch: [{ channel_id: '99', events: ['Leads.create'], notify_url: rx.url }] } });
    expect(patch.status).toBe(400);
    expect(patch.body.watch[0]).toMatchObject({ code: 'NOT_SUBSCRIBED', status: 'error' });
    const put = await call(emu, 'PUT', WATCH, { token, json: { watch: [{ channel_id: '99', events: ['Leads.create'], notify_url: rx.url }] } });
    expect(put.status).toBe(400);
    expect(put.body.watch[0]).toMatchObject({ code: 'NOT_SUBSCRIBED', status: 'error' });
  });

  it('PUT replaces every detail of the channel', async () => {
    await enable([{ channel_id: '1', events: ['Leads.create', 'Deals.create'], notify_url: `${rx.url}/old`, token: 'old', return_affected_field_values: true }]);
    const res = await call(emu, 'PUT', WATCH, { token, json: { watch: [{ channel_id: '1', events: ['Contacts.edit'], notify_url: `${rx.url}/new` }] } });
    expect(res.status).toBe(200);
    expect(res.body.watch[0]).toMatchObject({ code: 'SUCCESS', message: 'Successfully subscribed for actions-watch of the given module', status: 'success' });
    const list = await call(emu, 'GET', WATCH, { token });
    expect(list.body.watch).toHaveLength(1);
    expect(list.body.watch[0]).toMatchObject({ resource_name: 'Contacts', events: ['Contacts.edit'], notify_url: `${rx.url}/new`, token: null, return_affected_field_values: false });
  });
});

describe('DELETE /crm/v8/actions/watch (disable)', () => {
  it('un-subscribes every module of the listed channels', async () => {
    await enable([
      { channel_id: '1', events: ['Leads.create', 'Deals.create'], notify_url: rx.url },
      { channel_id: '2', events: ['Contacts.delete'], notify_url: rx.url },
      { channel_id: '3', events: ['Accounts.edit'], notify_url: rx.url },
    ]);
    const res = await call(emu, 'DELETE', WATCH, { token, query: { channel_ids: '1,2' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      watch: [
        {
          code: 'SUCCESS',
          details: { resource_uri: `${emu.url}/crm/v8/Leads`, resource_id: await moduleId('Leads'), channel_id: '1' },
          message: 'Successfully un-subscribed from actions-watch',
          status: 'success',
        },
        {
          code: 'SUCCESS',
          details: { resource_uri: `${emu.url}/crm/v8/Deals`, resource_id: await moduleId('Deals'), channel_id: '1' },
          message: 'Successfully un-subscribed from actions-watch',
          status: 'success',
        },
        {
          code: 'SUCCESS',
          details: { resource_uri: `${emu.url}/crm/v8/Contacts`, resource_id: await moduleId('Contacts'), channel_id: '2' },
          message: 'Successfully un-subscribed from actions-watch',
          status: 'success',
        },
      ],
    });
    const list = await call(emu, 'GET', WATCH, { token });
    expect(list.body.watch.map((w: any) => w.channel_id)).toEqual(['3']);
  });

  it('answers errors for a missing channel_ids and unknown channels', async () => {
    const missing = await call(emu, 'DELETE', WATCH, { token });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'REQUIRED_PARAM_MISSING', details: { param: 'channel_ids' }, status: 'error' });
    await enable([{ channel_id: '1', events: ['Leads.create'], notify_url: rx.url }]);
    const mixed = await call(emu, 'DELETE', WATCH, { token, query: { channel_ids: '1,42' } });
    expect(mixed.status).toBe(207);
    expect(mixed.body.watch.map((w: any) => w.code)).toEqual(['SUCCESS', 'NOT_SUBSCRIBED']);
    const none = await call(emu, 'DELETE', WATCH, { token, query: { channel_ids: '42' } });
    expect(none.status).toBe(400);
  });
});

describe('scopes', () => {
  it('needs ZohoCRM.notifications.{READ,CREATE,UPDATE,DELETE} or ALL', async () => {
    const read = mintToken(emu, ['ZohoCRM.notifications.READ']);
    expect((await call(emu, 'GET', WATCH, { token: read })).status).toBe(204);
    const post = await enable([{ channel_id: '1', events: ['Leads.create'], notify_url: rx.url }], read);
    expect(post.status).toBe(401);
    expect(post.body).toEqual({ code: 'OAUTH_SCOPE_MISMATCH', details: { required_scope: 'ZohoCRM.notifications.CREATE' }, message: 'invalid oauth scope to access this URL', status: 'error' });

    const create = mintToken(emu, ['ZohoCRM.notifications.CREATE']);
    expect((await enable([{ channel_id: '1', events: ['Leads.create'], notify_url: rx.url }], create)).status).toBe(201);
    expect((await call(emu, 'GET', WATCH, { token: create })).body.details).toEqual({ required_scope: 'ZohoCRM.notifications.READ' });
    const patch = await call(emu, 'PATCH', WATCH, { token: create, json: { watch: [{ channel_id: '1', events: ['Leads.edit'], notify_url: rx.url }] } });
    expect(patch.body.details).toEqual({ required_scope: 'ZohoCRM.notifications.UPDATE' });
    const del = await call(emu, 'DELETE', WATCH, { token: create, query: { channel_ids: '1' } });
    expect(del.body.details).toEqual({ required_scope: 'ZohoCRM.notifications.DELETE' });
    const modulesOnly = mintToken(emu, ['ZohoCRM.modules.ALL']);
    expect((await call(emu, 'GET', WATCH, { token: modulesOnly })).status).toBe(401);
    expect((await call(emu, 'GET', WATCH, { token: null })).body.code).toBe('AUTHENTICATION_FAILURE');
  });
});

describe('notifications to notify_url', () => {
  const leadId = () => [...emu.ctx.records('Leads').keys()][0]!;
  const dealId = () => [...emu.ctx.records('Deals').keys()][0]!;

  it('POSTs a Zoho-shaped insert notification with the token and the notify_url query parameters', async () => {
    await enable([{ channel_id: '1000000068001', events: ['Leads.create'], notify_url: `${rx.url}/zoho?key1=val1&key2=val2`, token: 'TOKEN_FOR_VERIFICATION_OF_1000000068001' }]);
    clock = T0 + 5_000;
    emu.ctx.recordsChanged('Leads', 'insert', [leadId()], ['Last_Name']);
    // Asynchronous: nothing has reached the receiver when recordsChanged returns.
    expect(rx.hits).toHaveLength(0);
    expect(notifier.deliveries).toHaveLength(1);
    expect(notifier.deliveries[0]!.done).toBe(false);
    await notifier.idle();
    expect(rx.hits).toHaveLength(1);
    expect(rx.hits[0]!.method).toBe('POST');
    expect(rx.hits[0]!.url).toBe('/zoho?key1=val1&key2=val2');
    expect(rx.hits[0]!.contentType).toBe('application/json');
    expect(rx.hits[0]!.body).toEqual({
      server_time: T0 + 5_000,
      query_params: { key1: 'val1', key2: 'val2' },
      module: 'Leads',
      resource_uri: `${emu.url}/crm/v8/Leads`,
      ids: [leadId()],
      affected_fields: [],
      operation: 'insert',
      channel_id: '1000000068001',
      token: 'TOKEN_FOR_VERIFICATION_OF_1000000068001',
    });
    expect(Object.keys(rx.hits[0]!.body)).toEqual(['server_time', 'query_params', 'module', 'resource_uri', 'ids', 'affected_fields', 'operation', 'channel_id', 'token']);
    const d = notifier.deliveries[0]!;
    expect(d).toMatchObject({ channelId: '1000000068001', module: 'Leads', operation: 'insert', url: `${rx.url}/zoho?key1=val1&key2=val2`, status: 200, response: 'ok', done: true });
    expect(JSON.parse(d.body)).toEqual(rx.hits[0]!.body);
  });

  it('filters by module and operation: one POST per matching channel per change', async () => {
    await enable([
      { channel_id: '1', events: ['Leads.create'], notify_url: `${rx.url}/one`, token: 'one' },
      { channel_id: '2', events: ['Leads.all'], notify_url: `${rx.url}/two`, token: 'two' },
      { channel_id: '3', events: ['Deals.edit'], notify_url: `${rx.url}/three`, token: 'three' },
    ]);
    emu.ctx.recordsChanged('Leads', 'update', [leadId()], ['Email', 'Phone']);
    emu.ctx.recordsChanged('Deals', 'insert', [dealId()]);
    emu.ctx.recordsChanged('Accounts', 'delete', ['123']);
    emu.ctx.recordsChanged('Deals', 'update', [dealId()], ['Stage']);
    await notifier.idle();
    const seen = rx.hits.map((h) => [h.url, h.body.module, h.body.operation, h.body.token]).sort();
    expect(seen).toEqual([
      ['/three', 'Deals', 'update', 'three'],
      ['/two', 'Leads', 'update', 'two'],
    ]);
    const leadUpdate = rx.hits.find((h) => h.url === '/two')!.body;
    expect(leadUpdate.affected_fields).toEqual([{ [leadId()]: ['Email', 'Phone'] }]);
    expect(leadUpdate).not.toHaveProperty('affected_values');
    expect(notifier.deliveries.map((d) => d.channelId)).toEqual(['2', '3']);
  });

  it('adds affected_values when return_affected_field_values is true', async () => {
    const id = leadId();
    const rec = emu.ctx.records('Leads').get(id)!;
    rec.Phone = '+1 555 0199';
    await enable([{ channel_id: '7', events: ['Leads.edit'], notify_url: rx.url, return_affected_field_values: true }]);
    emu.ctx.recordsChanged('Leads', 'update', [id], ['Phone']);
    await notifier.idle();
    expect(rx.hits[0]!.body).toEqual({
      server_time: T0,
      affected_values: [{ record_id: id, values: { Phone: '+1 555 0199' } }],
      query_params: {},
      module: 'Leads',
      resource_uri: `${emu.url}/crm/v8/Leads`,
      ids: [id],
      affected_fields: [{ [id]: ['Phone'] }],
      operation: 'update',
      channel_id: '7',
      token: null,
    });
  });

  it('honours notification_condition field selection on edits', async () => {
    const res = await enable([
      {
        channel_id: '8',
        events: ['Deals.edit'],
        notify_url: rx.url,
        notification_condition: [
          { type: 'field_selection', module: { api_name: 'Deals' }, field_selection: { group_operator: 'or', group: [{ field: { api_name: 'Stage' } }, { field: { api_name: 'Amount' } }] } },
        ],
      },
    ]);
    expect(res.status).toBe(201);
    emu.ctx.recordsChanged('Deals', 'update', [dealId()], ['Description']);
    await notifier.idle();
    expect(rx.hits).toHaveLength(0);
    emu.ctx.recordsChanged('Deals', 'update', [dealId()], ['Stage']);
    await notifier.idle();
    expect(rx.hits).toHaveLength(1);
    const bad = await enable([{ channel_id: '9', events: ['Deals.edit'], notify_url: rx.url, notification_condition: [{ type: 'everything' }] }]);
    expect(bad.status).toBe(400);
    expect(bad.body.watch[0]).toEqual({
      code: 'INVALID_DATA',
      details: { api_name: 'type', json_path: '$.watch[0].notification_condition[0].type', supported_values: ['field_selection'] },
      message: 'invalid data',
      status: 'error',
    });
  });

  it('an expired channel gets nothing and is no longer listed', async () => {
    await enable([
      { channel_id: '1', events: ['Leads.create'], notify_url: `${rx.url}/short`, channel_expiry: iso(T0 + 30 * 60_000) },
      { channel_id: '2', events: ['Leads.create'], notify_url: `${rx.url}/long`, channel_expiry: iso(T0 + 2 * 86400_000) },
    ]);
    clock = T0 + 31 * 60_000;
    emu.ctx.recordsChanged('Leads', 'insert', [leadId()]);
    await notifier.idle();
    expect(rx.hits.map((h) => h.url)).toEqual(['/long']);
    const list = await call(emu, 'GET', WATCH, { token });
    expect(list.body.watch.map((w: any) => w.channel_id)).toEqual(['2']);
  });

  it('a disabled channel gets nothing', async () => {
    await enable([{ channel_id: '1', events: ['Leads.all'], notify_url: rx.url }]);
    await call(emu, 'DELETE', WATCH, { token, query: { channel_ids: '1' } });
    emu.ctx.recordsChanged('Leads', 'delete', [leadId()]);
    await notifier.idle();
    expect(rx.hits).toHaveLength(0);
    expect(notifier.deliveries).toHaveLength(0);
  });

  it('records failed deliveries instead of throwing', async () => {
    const dead = await startReceiver();
    const deadUrl = `${dead.url}/gone`;
    await dead.close();
    rx.status = 500;
    await enable([
      { channel_id: '1', events: ['Leads.delete'], notify_url: deadUrl },
      { channel_id: '2', events: ['Leads.delete'], notify_url: rx.url },
    ]);
    expect(() => emu.ctx.recordsChanged('Leads', 'delete', [leadId()])).not.toThrow();
    await notifier.idle();
    const [refused, failed] = notifier.deliveries;
    expect(refused).toMatchObject({ channelId: '1', url: deadUrl, status: null, done: true });
    expect(refused!.error).toMatch(/ECONNREFUSED|connect/i);
    expect(failed).toMatchObject({ channelId: '2', status: 500, response: 'nope', done: true });
    expect(JSON.parse(failed!.body)).toMatchObject({ operation: 'delete', affected_fields: [], ids: [leadId()] });
  });

  it('times out a notify URL that does not answer', async () => {
    const hang = createServer(() => undefined);
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/slow`;
    notifier.timeoutMs = 200;
    await enable([{ channel_id: '1', events: ['Leads.create'], notify_url: url }]);
    emu.ctx.recordsChanged('Leads', 'insert', [leadId()]);
    await notifier.idle();
    expect(notifier.deliveries[0]).toMatchObject({ status: null, done: true });
    expect(notifier.deliveries[0]!.error).toBeTruthy();
    await new Promise<void>((r) => {
      hang.close(() => r());
      hang.closeAllConnections();
    });
  });
});
