/**
 * The HTTP fast lane (src/http/fast-lane.ts) answers a JSON POST /graphql with a declared length
 * without @whatwg-node's Node adapter. It must answer exactly as the adapter does, for every kind
 * of request, good and hostile: each request below is sent twice over a real socket, once with a
 * Content-Length (fast lane) and once chunked (the adapter), and the two answers compared.
 *
 * An earlier draft of the lane that skipped Yoga's onRequestParse hooks served introspection with
 * INTROSPECTION=false (the disable-introspection plugin marks requests there): the introspection
 * and CSRF rows are the attack tests for that class of mistake.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFastLane } from '../../src/http/fast-lane.js';
import { createLogger } from '../../src/log.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { LogCapture } from '../helpers/app.js';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One POST over a fresh socket: with a Content-Length, or chunked (no length: the adapter's lane). */
function post(base: string, path: string, headers: Record<string, string>, body: string, chunked: boolean): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(body);
    const req = httpRequest(`${base}${path}`, { method: 'POST', agent: false, headers: chunked ? headers : { ...headers, 'content-length': String(bytes.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (chunked) req.write(bytes);
    req.end(chunked ? undefined : bytes);
  });
}

/** What a client can tell apart in an answer (not the date, the framing or the keep-alive). */
const COMPARED = [
  'content-type',
  'x-request-id',
  'x-schema-hash',
  'vary',
  'retry-after',
  'allow',
  'accept',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
];
const visible = (r: Raw) => ({ status: r.status, headers: Object.fromEntries(COMPARED.map((h) => [h, r.headers[h]])), text: r.text });

const accessLines = (h: Harness) => h.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'graphql operation');

describe('the HTTP fast lane answers as the adapter does', () => {
  let h: Harness;
  let token: string;
  let readOnly: string;
  let dealId: string;
  let n = 0;
  beforeAll(async () => {
    h = await startHarness({ env: { LOG_LEVEL: 'info', INTROSPECTION: 'false' } });
    await h.connect('acme');
    await h.app.typed.refresh('acme', 'default');
    token = await h.token('acme');
    readOnly = await h.token('acme', 'records:read');
    const list = await post(
      h.app.url,
      '/graphql',
      { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      JSON.stringify({ query: '{ records(module: "Deals", first: 1) { nodes { id } } }' }),
      false,
    );
    dealId = (JSON.parse(list.text) as { data: { records: { nodes: { id: string }[] } } }).data.records.nodes[0]!.id;
  });
  afterAll(() => h?.close());

  /** Sends one request on both lanes (the same request id, so the echoed header must match) and returns both answers. */
  async function both(headers: Record<string, string>, body: string, path = '/graphql') {
    const id = `fast-lane-${++n}-0123456789`;
    const before = { ...h.app.gateway.lanes };
    const fast = await post(h.app.url, path, { ...headers, 'x-request-id': id }, body, false);
    const adapter = await post(h.app.url, path, { ...headers, 'x-request-id': id }, body, true);
    return { fast, adapter, lanes: { fast: h.app.gateway.lanes.fast - before.fast, adapter: h.app.gateway.lanes.adapter - before.adapter } };
  }

  const json = (t: string | undefined, extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}), ...extra });
  const op = (query: string, more: Record<string, unknown> = {}) => JSON.stringify({ query, ...more });

  const cases: { name: string; headers: () => Record<string, string>; body: () => string; status: number; lane: 'fast' | 'replayed' }[] = [
    { name: 'a generic read', headers: () => json(token), body: () => op('query R($id: ID!) { record(module: "Deals", id: $id) { id } }', { variables: { id: dealId } }), status: 200, lane: 'fast' },
    {
      name: 'a typed read (x-schema-hash)',
      headers: () => json(token),
      body: () => op('query($id: ID!) { crm { deal(id: $id) { id dealName } } }', { variables: { id: dealId } }),
      status: 200,
      lane: 'fast',
    },
    { name: 'a record Zoho does not have', headers: () => json(token), body: () => op('{ record(module: "Deals", id: "999999999999999999") { id } }'), status: 200, lane: 'fast' },
    { name: 'an unknown field (validation)', headers: () => json(token), body: () => op('{ recrd { id } }'), status: 200, lane: 'fast' },
    { name: 'a syntax error', headers: () => json(token), body: () => op('{ record(module: '), status: 200, lane: 'fast' },
    {
      name: 'a variable of the wrong type',
      headers: () => json(token),
      body: () => op('query($id: ID!) { record(module: "Deals", id: $id) { id } }', { variables: { id: { not: 'an id' } } }),
      status: 400,
      lane: 'fast',
    },
    { name: 'introspection while INTROSPECTION=false', headers: () => json(token), body: () => op('{ __schema { types { name } } }'), status: 200, lane: 'fast' },
    { name: 'a typed type by name while INTROSPECTION=false', headers: () => json(token), body: () => op('{ __type(name: "Deal") { fields { name } } }'), status: 200, lane: 'fast' },
    { name: 'a typo (no "Did you mean")', headers: () => json(token), body: () => op('{ crm { deals { nodes { dealNam } } } }'), status: 200, lane: 'fast' },
    { name: 'a mutation without its scope', headers: () => json(readOnly), body: () => op('mutation { deleteRecords(module: "Deals", ids: ["1"]) { status } }'), status: 403, lane: 'fast' },
    { name: 'no bearer', headers: () => json(undefined), body: () => op('{ organization { id } }'), status: 401, lane: 'fast' },
    { name: 'a forged bearer', headers: () => json('eyJhbGciOiJIUzI1NiJ9.eyJ0aWQiOiJhY21lIn0.Zm9yZ2Vk'), body: () => op('{ organization { id } }'), status: 401, lane: 'fast' },
    { name: 'a typed field without a bearer', headers: () => json(undefined), body: () => op('{ crm { deals { nodes { id } } } }'), status: 401, lane: 'fast' },
    { name: 'application/graphql-response+json', headers: () => json(token, { accept: 'application/graphql-response+json' }), body: () => op('{ recrd }'), status: 400, lane: 'fast' },
    { name: 'an Accept the gateway cannot serve', headers: () => json(token, { accept: 'text/csv' }), body: () => op('{ organization { id } }'), status: 406, lane: 'replayed' },
    { name: 'an allowed Origin (CORS)', headers: () => json(token, { origin: new URL(h.publicUrl).origin }), body: () => op('{ organization { id } }'), status: 200, lane: 'fast' },
    { name: 'a foreign Origin', headers: () => json(token, { origin: 'https://evil.example' }), body: () => op('{ organization { id } }'), status: 200, lane: 'fast' },
    {
      name: 'Application/JSON (no Yoga parser reads it)',
      headers: () => json(token, { 'content-type': 'Application/JSON' }),
      body: () => op('{ organization { id } }'),
      status: 415,
      lane: 'replayed',
    },
    {
      name: 'application/json ; charset=utf-8 (a space before the parameter)',
      headers: () => json(token, { 'content-type': 'application/json ; charset=utf-8' }),
      body: () => op('{ organization { id } }'),
      status: 415,
      lane: 'replayed',
    },
    { name: 'application/json;charset=UTF-8', headers: () => json(token, { 'content-type': 'application/json;charset=UTF-8' }), body: () => op('{ organization { id } }'), status: 200, lane: 'fast' },
    {
      name: 'a form post (CSRF)',
      headers: () => ({ 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` }),
      body: () => 'query=%7B%20organization%20%7B%20id%20%7D%20%7D',
      status: 415,
      lane: 'replayed',
    },
    { name: 'a text/plain post (CSRF)', headers: () => ({ 'content-type': 'text/plain', authorization: `Bearer ${token}` }), body: () => op('{ organization { id } }'), status: 415, lane: 'replayed' },
    { name: 'JSON with a trailing comma', headers: () => json(token), body: () => '{"query": "{ organization { id } }",}', status: 400, lane: 'replayed' },
    { name: 'a JSON array (batch)', headers: () => json(token), body: () => `[${op('{ organization { id } }')}]`, status: 400, lane: 'replayed' },
    { name: 'an unexpected parameter', headers: () => json(token), body: () => op('{ organization { id } }', { documentId: 'x' }), status: 400, lane: 'replayed' },
    { name: 'a query that is not a string', headers: () => json(token), body: () => JSON.stringify({ query: { kind: 'Document' } }), status: 400, lane: 'replayed' },
    { name: 'variables that are not an object', headers: () => json(token), body: () => op('{ organization { id } }', { variables: '{"a":1}' }), status: 400, lane: 'replayed' },
    { name: 'no query', headers: () => json(token), body: () => JSON.stringify({ variables: {} }), status: 200, lane: 'replayed' },
  ];

  for (const c of cases) {
    it(`${c.name}: the same status, headers and body on both lanes`, async () => {
      const { fast, adapter, lanes } = await both(c.headers(), c.body());
      expect(visible(fast)).toEqual(visible(adapter));
      expect(fast.status).toBe(c.status);
      // Taken by the fast lane, or handed to Yoga's own lane before anything ran.
      expect(lanes).toEqual(c.lane === 'fast' ? { fast: 1, adapter: 1 } : { fast: 0, adapter: 2 });
    });
  }

  it('runs each operation once and logs it once, on both lanes (a replayed request included)', async () => {
    const deals = () => h.us.count((c) => c.method === 'POST' && c.path.endsWith('/Deals'));
    const lines = accessLines(h).length;
    const before = deals();
    const create = op('mutation { createRecords(module: "Deals", records: [{ Deal_Name: "Fast lane", Stage: "Qualification" }]) { status } }');
    const { fast, adapter } = await both(json(token), create);
    expect(JSON.parse(fast.text).data.createRecords).toHaveLength(1);
    expect(JSON.parse(adapter.text).data.createRecords).toHaveLength(1);
    expect(deals() - before).toBe(2);
    const csrf = await both({ 'content-type': 'text/plain', authorization: `Bearer ${token}` }, create);
    expect(csrf.fast.status).toBe(415);
    expect(deals() - before).toBe(2);
    expect(accessLines(h).length - lines).toBe(4);
  });

  it('leaves to the adapter what it does not take: chunked, oversized, streamed, GET, other paths', async () => {
    const before = { ...h.app.gateway.lanes };
    const body = op('{ organization { id } }');
    expect((await post(h.app.url, '/graphql', json(token), body, true)).status).toBe(200);
    expect((await post(h.app.url, '/graphql?x=1', json(token), body, false)).status).toBe(200);
    const sse = await post(h.app.url, '/graphql', json(token, { accept: 'text/event-stream' }), body, false);
    expect(sse.headers['content-type']).toMatch(/text\/event-stream/);
    const huge = await post(h.app.url, '/graphql', json(token), op(`{ organization { id } } # ${'x'.repeat(h.app.services.config.security.maxBodyBytes)}`), false);
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.text).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    const get = await fetch(`${h.app.url}/graphql?query=${encodeURIComponent('{ organization { id } }')}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    expect(get.status).toBe(200);
    expect(h.app.gateway.lanes.fast - before.fast).toBe(0);
    expect(h.app.gateway.lanes.adapter - before.adapter).toBe(5);
  });

  it('counts the lanes on /metrics', async () => {
    const metrics = await fetch(`${h.app.metricsUrl ?? h.app.url}/metrics`).then((r) => r.text());
    const fast = Number(/^zgw_http_fast_lane_requests_total (\d+)/m.exec(metrics)?.[1]);
    expect(fast).toBeGreaterThan(10);
    expect(metrics).toMatch(/^zgw_http_adapter_requests_total \d+/m);
  });
});

describe('when the fast lane stays off', () => {
  /** Serves `yoga` through withFastLane on a free port and sends it one eligible request. */
  async function serveOne(yoga: unknown) {
    const logs = new LogCapture();
    const { listener, lanes } = withFastLane(yoga as never, { maxBodyBytes: 10_000, log: createLogger({ level: 'warn', destination: logs }) });
    const server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const answer = await post(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, '/graphql', { 'content-type': 'application/json' }, JSON.stringify({ query: '{ hello }' }), false);
      return { answer, lanes, logs };
    } finally {
      server.close();
    }
  }
  const schema = createSchema({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } });

  it('with a plugin that brings instrumentation (the lane would not call it), every request takes the adapter', async () => {
    const seen: string[] = [];
    const instrumented: Plugin = { instrumentation: { request: (_payload, wrapped) => (seen.push('request'), wrapped()) } };
    const { answer, lanes, logs } = await serveOne(createYoga({ schema, plugins: [instrumented], logging: false }));
    expect(answer.text).toBe('{"data":{"hello":"world"}}');
    expect(seen).toEqual(['request']);
    expect(lanes).toEqual({ fast: 0, adapter: 1 });
    expect(logs.text).toMatch(/HTTP fast lane off/);
  });

  it('with a Yoga whose plugin list is not where the lane reads it, every request takes the adapter', async () => {
    const yoga = createYoga({ schema, logging: false });
    const hidden = new Proxy(yoga, { get: (t, p) => (p === 'plugins' ? undefined : Reflect.get(t, p)) });
    const { answer, lanes, logs } = await serveOne(hidden);
    expect(answer.text).toBe('{"data":{"hello":"world"}}');
    expect(lanes).toEqual({ fast: 0, adapter: 1 });
    expect(logs.text).toMatch(/plugin list is not where it was/);
  });

  it('with a plugin wrapping the request parser (Yoga’s own body-size pipe here), requests are replayed on the adapter', async () => {
    const { answer, lanes } = await serveOne(createYoga({ schema, logging: false }));
    expect(answer.text).toBe('{"data":{"hello":"world"}}');
    expect(lanes).toEqual({ fast: 0, adapter: 1 });
  });

  it('and otherwise takes a plain Yoga too', async () => {
    const { answer, lanes } = await serveOne(createYoga({ schema, logging: false, maxRequestBodySize: false }));
    expect(answer.text).toBe('{"data":{"hello":"world"}}');
    expect(lanes).toEqual({ fast: 1, adapter: 0 });
  });
});
