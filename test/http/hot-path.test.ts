/**
 * What one GraphQL request costs beyond its resolvers (issue 12): one access-log line per
 * operation, scrubbed like every line; the shape-cost walk (plugins/query-limits.ts) and the Zoho
 * call estimate (plugins/zoho-budget.ts) done once per (schema, document), not once per request;
 * and an asynchronous log that loses no line on a graceful stop.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapeCostWalks } from '../../src/http/plugins/query-limits.js';
import { estimateWalks } from '../../src/http/plugins/zoho-budget.js';
import { startEmulatorProcess, startGatewayProcess } from '../bench/processes.js';
import { REDIS_URL, startHarness, type Harness } from '../helpers/gateway.js';
import { codeOf, gql, send } from '../security/http.js';

const accessLines = (h: Harness) => h.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'graphql operation');

describe('the request path', () => {
  let h: Harness;
  let acme: string;
  let globex: string;
  beforeAll(async () => {
    h = await startHarness({ env: { LOG_LEVEL: 'info' } });
    await h.connect('acme');
    await h.connect('globex');
    await h.app.typed.refresh('acme', 'default');
    await h.app.typed.refresh('globex', 'default');
    acme = await h.token('acme');
    globex = await h.token('globex');
  });
  afterAll(() => h?.close());

  it('writes exactly one access-log line per operation, with its request id, whatever the outcome', async () => {
    const before = accessLines(h).length;
    const answers = [
      await gql(h.app.url, acme, '{ organization { id } }'),
      await gql(h.app.url, acme, 'query Named { organization { id } }'),
      await gql(h.app.url, acme, '{ noSuchField }'),
      await gql(h.app.url, undefined, '{ organization { id } }'),
      await gql(h.app.url, acme, '{ records(module: "Deals", first: 1) { nodes { id } } }'),
    ];
    // A validation error is a 200 to a plain JSON client (GraphQL over HTTP).
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 401, 200]);
    // Not a GraphQL operation: no line.
    expect((await send(`${h.app.url}/readyz`, {})).status).toBe(200);
    const lines = accessLines(h).slice(before);
    expect(lines.map((l) => l.requestId).sort()).toEqual(answers.map((a) => a.headers.get('x-request-id')).sort());
    const byId = new Map(lines.map((l) => [l.requestId, l]));
    expect(byId.get(answers[1]!.headers.get('x-request-id'))).toMatchObject({ tenantId: 'acme', operation: 'Named', outcome: 'ok', zoho: { calls: 1 } });
    expect(byId.get(answers[2]!.headers.get('x-request-id'))).toMatchObject({ outcome: 'GRAPHQL_VALIDATION_FAILED' });
    expect(byId.get(answers[3]!.headers.get('x-request-id'))).toMatchObject({ outcome: 'UNAUTHENTICATED' });
    expect(byId.get(answers[3]!.headers.get('x-request-id'))!.tenantId).toBeUndefined();
  });

  it('scrubs what the client wrote into the access line (an operationName quoting a grant code)', async () => {
    const res = await gql(h.app.url, acme, 'query A { organization { id } }', undefined);
    expect(res.status).toBe(200);
    const hostile = await send(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${acme}` },
      body: JSON.stringify({ query: 'query A { organization { id } }', operationName: 'cb?code=GRANT-CODE-SECRET-1&state=STATE-SECRET-2' }),
    });
    expect(hostile.status).toBe(400);
    const line = accessLines(h).find((l) => l.requestId === hostile.headers.get('x-request-id'));
    expect(line).toBeDefined();
    expect(h.logs.text).not.toMatch(/GRANT-CODE-SECRET-1|STATE-SECRET-2/);
    expect(line!.operation).toBe('cb?code=[redacted]&state=[redacted]');
  });

  it('walks an identical document once for the shape cost and the Zoho estimate, for every tenant of one schema shape', async () => {
    const generic = '{ records(module: "Deals", first: 3) { nodes { id name: field(name: "Deal_Name") } } }';
    const typed = '{ crm { deals(first: 3) { nodes { id dealName amount } } } }';
    const cost = shapeCostWalks.count;
    const estimate = estimateWalks.count;
    for (let i = 0; i < 5; i++) {
      for (const token of [acme, globex]) {
        for (const query of [generic, typed]) {
          const res = await gql(h.app.url, token, query);
          expect(res.body.errors).toBeUndefined();
        }
      }
    }
    // Both tenants' connections have one shape, so one typed schema: one walk per document.
    const [a, g] = await Promise.all([h.app.typed.forConnection('acme', 'default'), h.app.typed.forConnection('globex', 'default')]);
    expect(a.hash).toBeTruthy();
    expect(a.schema).toBe(g.schema);
    expect(shapeCostWalks.count - cost).toBe(2);
    expect(estimateWalks.count - estimate).toBe(2);
  });

  it('prices an operation with variables per request (the page size may change)', async () => {
    const query = 'query($n: Int) { records(module: "Deals", first: $n) { nodes { id } } }';
    const estimate = estimateWalks.count;
    for (const n of [1, 2, 3]) expect((await gql(h.app.url, acme, query, { n })).body.errors).toBeUndefined();
    expect(estimateWalks.count - estimate).toBe(3);
  });

  it('refuses a repeated over-limit document every time, with the same answer, walking it once', async () => {
    const F = 'id module createdTime modifiedTime data owner { id email fullName status role { id name } profile { id name } }';
    const nest = (n: number): string => (n === 0 ? F : `${F} lookup(field: "Parent_Account") { ${nest(n - 1)} }`);
    const one = (alias: string) => `${alias}: records(module: "Accounts", first: 1) { nodes { ${nest(7)} } }`;
    const overCost = `{ ${one('a')} ${one('b')} }`;
    // As in test/security/limits.test.ts: about 56 calls against the default budget of 50.
    const page = (alias: string) => `${alias}: records(module: "Deals", first: 200) { nodes { data owner { role { name } } account: lookup(field: "Account_Name") { data } } }`;
    const overBudget = `{ ${Array.from({ length: 7 }, (_, i) => page(`p${i}`)).join(' ')} }`;
    const cost = shapeCostWalks.count;
    const estimate = estimateWalks.count;
    const costAnswers = [await gql(h.app.url, acme, overCost), await gql(h.app.url, acme, overCost)];
    const budgetAnswers = [await gql(h.app.url, acme, overBudget), await gql(h.app.url, acme, overBudget)];
    for (const a of costAnswers) {
      expect(a.status).toBe(400);
      expect(a.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'maxCost', maximum: 5_000 });
    }
    expect(costAnswers[1]!.body.errors![0]!.message).toBe(costAnswers[0]!.body.errors![0]!.message);
    for (const a of budgetAnswers) expect(codeOf(a)).toBe('ZOHO_CALL_BUDGET_EXCEEDED');
    expect(budgetAnswers[1]!.body.errors![0]!.extensions).toEqual(budgetAnswers[0]!.body.errors![0]!.extensions);
    expect(shapeCostWalks.count - cost).toBe(2);
    expect(estimateWalks.count - estimate).toBe(1);
  });
});

describe('the asynchronous log', () => {
  it('writes an access line within a few seconds at low traffic, without a stop', { timeout: 60_000 }, async () => {
    const emulator = await startEmulatorProcess('us', 0);
    const gateway = await startGatewayProcess(emulator.url, REDIS_URL, { fromSource: true, env: { LOG_LEVEL: 'info' } });
    try {
      // One request, far less than the buffer holds: only the periodic flush can write its line.
      const r = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      const id = r.headers.get('x-request-id');
      expect(id).toBeTruthy();
      const logged = () => gateway.output!().includes(`"requestId":"${id}"`);
      const deadline = Date.now() + 5_000;
      while (!logged() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(logged()).toBe(true);
    } finally {
      await gateway.stop();
      await emulator.stop();
    }
  });

  it('has written every access-log line when the gateway exits on SIGTERM', { timeout: 60_000 }, async () => {
    const emulator = await startEmulatorProcess('us', 0);
    const gateway = await startGatewayProcess(emulator.url, REDIS_URL, { fromSource: true, env: { LOG_LEVEL: 'info' } });
    try {
      // Unauthenticated operations: each is answered (401) and logged without a Zoho connection.
      const inFlight = Array.from({ length: 200 }, () =>
        fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then(
          (r) => r.headers.get('x-request-id'),
          () => null,
        ),
      );
      const first = await Promise.race(inFlight);
      expect(first).toBeTruthy();
      // Stop while most are still in flight: the graceful stop answers them, and logs them.
      await gateway.stop();
      const answered = (await Promise.all(inFlight)).filter((id): id is string => id !== null);
      const lines = gateway.output!()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const logged = new Set(lines.filter((l) => l.msg === 'graphql operation').map((l) => l.requestId));
      expect(answered.length).toBeGreaterThan(0);
      for (const id of answered) expect(logged.has(id)).toBe(true);
      expect(lines.at(-1)).toMatchObject({ msg: 'gateway stopped' });
    } finally {
      await gateway.stop();
      await emulator.stop();
    }
  });
});
