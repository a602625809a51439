/**
 * What the gateway shows about itself: introspection, field suggestions and GraphiQL in
 * production (NODE_ENV=production turns them off), and masked unexpected errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codeOf, gql, send } from './http.js';

const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';

describe('production exposure (NODE_ENV=production)', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness({ env: { NODE_ENV: 'production' } });
    token = await h.token('acme');
  });
  afterAll(() => h?.close());

  it('refuses introspection (__schema and __type) but keeps __typename', async () => {
    const res = await gql(h.app.url, token, INTROSPECTION);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors![0]!.message).toMatch(/introspection/i);
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    const type = await gql(h.app.url, token, '{ __type(name: "Query") { fields { name } } }');
    expect(type.body.data ?? null).toBeNull();
    expect(JSON.stringify(type.body)).not.toContain('organization');
    const typename = await gql(h.app.url, token, '{ __typename dataCentres { key } }');
    expect(typename.body.errors).toBeUndefined();
  });

  it('gives no field, argument or enum suggestions', async () => {
    for (const query of [
      '{ organisation { id } }',
      '{ records(modul: "Leads") { nodes { id } } }',
      '{ records(module: "Leads", sortOrder: DES) { nodes { id } } }',
      '{ users(type: ACTIVE) { count } }',
    ]) {
      const res = await gql(h.app.url, token, query);
      expect(res.body.errors?.length).toBeGreaterThan(0);
      expect(res.text).not.toMatch(/Did you mean/);
      expect(res.text).not.toMatch(/organization|"module"|DESC|ACTIVE_USERS/);
    }
    // Nor for a variable value refused at execution.
    const res = await gql(h.app.url, token, 'query($o: SortOrder) { records(module: "Leads", sortOrder: $o) { nodes { id } } }', { o: 'DES' });
    expect(res.body.errors?.length).toBeGreaterThan(0);
    expect(res.text).not.toMatch(/Did you mean|DESC/);
  });

  it('serves no GraphiQL', async () => {
    const res = await send(`${h.app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(res.text).not.toMatch(/graphiql/i);
  });
});

describe('development exposure (the default outside production)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('answers introspection and suggests fields', async () => {
    const token = await h.token('acme');
    const res = await gql(h.app.url, token, INTROSPECTION);
    expect(res.body.errors).toBeUndefined();
    expect(res.text).toContain('"Query"');
    expect((await gql(h.app.url, token, '{ organisation { id } }')).body.errors![0]!.message).toMatch(/Did you mean "organization"/);
  });
});

describe('masked unexpected errors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { NODE_ENV: 'production' } });
    await h.connect('acme');
    // Warm the metadata cache, so the fault below hits the records call.
    await (await h.client('acme')).request('{ fields(module: "Deals") { apiName } }');
  });
  afterAll(() => h?.close());

  it('answers a bug with INTERNAL, a generic message and the request id; the details go to the log only', async () => {
    const token = await h.token('acme');
    // Zoho answers 200 with a malformed body: the gateway trips over it (a TypeError, not a GatewayError).
    h.us.faults.add({ match: 'GET /crm/v8/:module', response: { status: 200, body: { data: 'not-a-list', info: { more_records: false } } } });
    const res = await gql(h.app.url, token, '{ records(module: "Deals", first: 1) { nodes { id } } }', undefined, { 'x-request-id': 'req-masked-0001' });
    // Execution had started (data: null): 200, as GraphQL over HTTP answers field errors.
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    const err = res.body.errors![0]!;
    expect(err.message).toBe('Unexpected error.');
    expect(err.extensions).toEqual({ code: 'INTERNAL', requestId: 'req-masked-0001' });
    expect(err.path).toEqual(['records']);
    expect(res.headers.get('x-request-id')).toBe('req-masked-0001');
    // No stack, no original message, no token or secret.
    expect(res.text).not.toMatch(/TypeError|is not a function|at .*\.ts:|stack|not-a-list/);
    for (const secret of [token, ...h.minted, 'test-jwt-secret']) expect(res.text).not.toContain(secret);
    // The log has the details, under the same request id.
    const line = h.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === 'req-masked-0001' && String(l.msg).startsWith('unexpected error'));
    expect(line).toBeDefined();
    expect(JSON.stringify(line!.err)).toMatch(/TypeError/);
  });

  it('masks an unexpected error inside a subscription event, stamps it with the request id and logs it under that id', async () => {
    const abort = new AbortController();
    const res = await fetch(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: `Bearer ${await h.token('acme')}`, 'x-request-id': 'req-masked-sub-0001' },
      body: JSON.stringify({ query: 'subscription { recordEvents { id occurredAt } }' }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    const nextEvent = (async () => {
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        text += Buffer.from(r.value).toString('utf8');
        const data = /event: next\ndata: (.*)\n/.exec(text);
        if (data) return JSON.parse(data[1]!) as { errors?: { message: string; extensions?: Record<string, unknown> }[] };
      }
      throw new Error('stream ended');
    })();
    for (let i = 0; h.app.services.events.listeners('acme') === 0; i++) {
      if (i > 500) throw new Error('never subscribed');
      await new Promise((r) => setTimeout(r, 10));
    }
    // A bug's worth of event: a time that is no time (the DateTime scalar, graphql-scalars', refuses to serialize it).
    await h.app.services.events.dispatch({
      id: 'evt-1',
      tenantId: 'acme',
      connectionName: 'default',
      module: 'Leads',
      operation: 'CREATE',
      ids: ['1'],
      affectedFields: {},
      occurredAt: 'garbage' as unknown as number,
      channelId: 'c',
    });
    const payload = await nextEvent;
    abort.abort();
    const err = payload.errors![0]!;
    expect(err.message).toBe('Unexpected error.');
    expect(err.extensions).toEqual({ code: 'INTERNAL', requestId: 'req-masked-sub-0001' });
    expect(text).not.toMatch(/DateTime cannot represent|garbage/);
    const line = h.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.requestId === 'req-masked-sub-0001' && String(l.msg).startsWith('unexpected error'));
    expect(line).toBeDefined();
    expect(JSON.stringify(line!.err)).toMatch(/DateTime cannot represent an invalid date-time-string garbage/);
  });

  it('passes GatewayErrors through unchanged', async () => {
    const res = await gql(h.app.url, await h.token('acme'), '{ records(module: "Deals", first: 500) { nodes { id } } }');
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(res.body.errors![0]!.message).toMatch(/first must be 1–200/);
  });
});
