import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { zohoError } from '../../src/emulator/errors.js';
import { GatewayError } from '../../src/errors.js';
import { schema as genericSchema } from '../../src/graphql/schema/index.js';
import { createLogger } from '../../src/log.js';
import { MetadataService } from '../../src/records/metadata.js';
import { createStore, StoreUnavailableError } from '../../src/store/index.js';
import { TypedSchemas } from '../../src/typed/registry.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

/**
 * The typed schema registry (src/typed/registry.ts) through the real gateway, the emulator and
 * Redis: which schema a request runs on, how often Zoho's metadata is read, and what survives an
 * instance, a restart, an eviction or a change in Zoho.
 */

interface Answer {
  status: number;
  /** X-Schema-Hash: the typed schema that answered (null: the generic schema). */
  hash: string | null;
  data: Record<string, unknown> | null | undefined;
  errors: { message: string; extensions?: Record<string, unknown> }[] | undefined;
}

async function post(app: App, token: string | null, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown> | null; errors?: Answer['errors'] };
  return { status: res.status, hash: res.headers.get('x-schema-hash'), data: body.data, errors: body.errors };
}

const fieldCalls = (emu: ZohoEmulator) => emu.count((c) => c.path === '/crm/v8/settings/fields');
const metadataCalls = (emu: ZohoEmulator) => emu.count((c) => c.path.startsWith('/crm/v8/settings/'));
const builds = (app: App) => app.typed.stats().builds;
/** Waits (no timing: a condition) until no load of any connection is running on this instance. */
const settled = (app: App) => vi.waitFor(() => expect(app.typed.stats().loading).toBe(0), { timeout: 20_000 });

const DEALS = '{ crm { deals(first: 2) { nodes { id dealName } } } }';
const GENERIC = '{ me { email } }';
const cannotQuery = (a: Answer, field: string) => a.errors?.some((e) => e.message.includes(`Cannot query field "${field}"`)) ?? false;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('building: once, off the request path', () => {
  it('20 concurrent first requests of a new connection: one build, one read of the metadata, one schema', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    h.us.resetCalls();
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(h!.app, token, DEALS)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((a) => a.hash)).size).toBe(1);
    expect(answers[0]!.hash).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(answers.every((a) => !a.errors)).toBe(true);
    expect(builds(h.app)).toBe(1);
    // One read = each module's (and subform's) fields once.
    const modules = h.us.calls.filter((c) => c.path === '/crm/v8/settings/fields').map((c) => new URLSearchParams(c.query).get('module'));
    expect(modules.length).toBeGreaterThan(3);
    expect(new Set(modules).size).toBe(modules.length);
    expect(h.us.count((c) => c.path === '/crm/v8/settings/modules')).toBe(1);
  });

  it('two connections of one shape share one schema object: one build, one hash', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    await h.connect('globex');
    const a = await post(h.app, await h.token('acme'), DEALS);
    const b = await post(h.app, await h.token('globex'), DEALS);
    expect(a.hash).not.toBeNull();
    expect(b.hash).toBe(a.hash);
    expect(builds(h.app)).toBe(1);
    expect(h.app.typed.stats().schemas).toBe(1);
  });

  it('while the first build waits on Zoho the generic schema answers; after it, the typed one', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '20' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const gate = h.us.faults.hold('GET /crm/v8/settings/fields', { times: 1000 });
    try {
      const generic = await post(h.app, token, GENERIC);
      expect(generic.status).toBe(200);
      expect(generic.errors).toBeUndefined();
      expect(generic.hash).toBeNull();
      expect((generic.data?.me as { email: string }).email).toContain('@');

      const typed = await post(h.app, token, DEALS);
      expect(typed.status).toBeLessThan(500);
      expect(typed.hash).toBeNull();
      expect(cannotQuery(typed, 'crm')).toBe(true);
      expect(builds(h.app)).toBe(0);
    } finally {
      gate.release();
      h.us.faults.clear();
    }
    await vi.waitFor(() => expect(builds(h!.app)).toBe(1), { timeout: 20_000 });
    const after = await post(h.app, token, DEALS);
    expect(after.errors).toBeUndefined();
    expect(after.hash).not.toBeNull();
    expect((after.data?.crm as { deals: { nodes: unknown[] } }).deals.nodes).toHaveLength(2);
  });
});

describe('refreshing when Zoho changes', () => {
  const addBudgetCode = (emu: ZohoEmulator) =>
    emu.metadata.addField('Deals', { api_name: 'Budget_Code', field_label: 'Budget Code', data_type: 'text', custom: true }, { value: (_r, i) => `BC-${i}` });
  const BUDGET_CODE = '{ crm { deals(first: 1) { nodes { budgetCode } } } }';

  it('refreshSchema reads Zoho now: changed, a new hash, and the new field is queryable', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const before = await post(h.app, token, DEALS);
    expect(before.hash).not.toBeNull();
    expect(cannotQuery(await post(h.app, token, BUDGET_CODE), 'budgetCode')).toBe(true);

    addBudgetCode(h.us);
    const refreshed = await post(h.app, token, 'mutation { refreshSchema { hash changed } }');
    expect(refreshed.errors).toBeUndefined();
    const r = refreshed.data?.refreshSchema as { hash: string; changed: boolean };
    expect(r.changed).toBe(true);
    expect(r.hash).not.toBe(before.hash);

    const after = await post(h.app, token, BUDGET_CODE);
    expect(after.errors).toBeUndefined();
    expect(after.hash).toBe(r.hash);
    expect((after.data?.crm as { deals: { nodes: { budgetCode: string }[] } }).deals.nodes[0]!.budgetCode).toMatch(/^BC-\d+$/);

    // Nothing changed since: changed false, same hash.
    const again = (await post(h.app, token, 'mutation { refreshSchema { hash changed } }')).data?.refreshSchema;
    expect(again).toEqual({ hash: r.hash, changed: false });
  });

  it('refreshSchema calls queued behind a running one share one read of Zoho', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    await post(h.app, token, DEALS);
    h.us.resetCalls();
    const gate = h.us.faults.hold('GET /crm/v8/settings/fields', { times: 1000 });
    const typed = h.app.typed;
    const running = typed.refresh('acme', 'default');
    // The emulator logs a call when it answers: the modules are read, the fields are held.
    await vi.waitFor(() => expect(h!.us.count((c) => c.path === '/crm/v8/settings/modules')).toBe(1));
    h.us.metadata.addField('Deals', { api_name: 'Budget_Code', field_label: 'Budget Code', data_type: 'text', custom: true });
    const queued = [typed.refresh('acme', 'default'), typed.refresh('acme', 'default'), typed.refresh('acme', 'default')];
    gate.release();
    h.us.faults.clear();
    const [, ...after] = await Promise.all([running, ...queued]);
    expect(h.us.count((c) => c.path === '/crm/v8/settings/modules')).toBe(2);
    expect(new Set(after.map((r) => r.hash)).size).toBe(1);
    const q = await post(h.app, token, '{ crm { deals(first: 1) { nodes { budgetCode } } } }');
    expect(q.errors).toBeUndefined();
    expect(q.hash).toBe(after[0]!.hash);
  });

  it('refreshSchema needs zoho:connect', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const a = await post(h.app, await h.token('acme', 'records:read'), 'mutation { refreshSchema { hash changed } }');
    expect(a.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('after SCHEMA_TTL the request that notices is answered on the old schema; a later one sees the new field', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000', SCHEMA_TTL: '60' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const first = await post(h.app, token, DEALS);
    addBudgetCode(h.us);
    h.clock.now += 59_000;
    const inside = await post(h.app, token, DEALS);
    expect(inside.hash).toBe(first.hash);
    expect(builds(h.app)).toBe(1);

    h.us.resetCalls();
    h.clock.now += 2_000;
    const noticing = await post(h.app, token, BUDGET_CODE);
    expect(noticing.hash).toBe(first.hash);
    expect(cannotQuery(noticing, 'budgetCode')).toBe(true);
    await vi.waitFor(() => expect(builds(h!.app)).toBe(2), { timeout: 20_000 });
    expect(fieldCalls(h.us)).toBeGreaterThan(0);

    const later = await post(h.app, token, BUDGET_CODE);
    expect(later.errors).toBeUndefined();
    expect(later.hash).not.toBe(first.hash);
  });

  it('a TTL refresh that fails keeps the old schema serving, and is not retried by every request', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000', SCHEMA_TTL: '60' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const first = await post(h.app, token, DEALS);
    h.us.faults.serverError({ match: /\/settings\//, times: Infinity });
    h.clock.now += 61_000;
    h.us.resetCalls();
    expect((await post(h.app, token, DEALS)).hash).toBe(first.hash);
    await settled(h.app);
    const tried = metadataCalls(h.us);
    expect(tried).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const a = await post(h.app, token, DEALS);
      expect(a.errors).toBeUndefined();
      expect(a.hash).toBe(first.hash);
      await settled(h.app);
    }
    expect(metadataCalls(h.us)).toBe(tried);
    // The next SCHEMA_TTL tries again, and Zoho answers this time.
    h.us.faults.clear();
    h.clock.now += 61_000;
    await post(h.app, token, DEALS);
    await settled(h.app);
    expect(metadataCalls(h.us)).toBeGreaterThan(tried);
    expect((await post(h.app, token, DEALS)).hash).toBe(first.hash);
  });

  it('a field Zoho no longer knows: the error starts a refresh and the field leaves the schema', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const PROBABILITY = '{ crm { deals(first: 5, where: { probability: { gte: 0 } }) { nodes { dealName probability } } } }';
    const first = await post(h.app, token, PROBABILITY);
    expect(first.errors).toBeUndefined();

    h.us.metadata.removeField('Deals', 'Probability');
    const failing = await post(h.app, token, PROBABILITY);
    expect(failing.hash).toBe(first.hash);
    expect(failing.status).toBeLessThan(500);
    expect(failing.errors?.[0]?.extensions?.zoho).toMatchObject({ code: 'INVALID_QUERY', details: { column_name: 'Probability' } });
    await vi.waitFor(() => expect(builds(h!.app)).toBe(2), { timeout: 20_000 });

    const after = await post(h.app, token, PROBABILITY);
    expect(after.hash).not.toBe(first.hash);
    expect(cannotQuery(after, 'probability')).toBe(true);
    const deals = await post(h.app, token, DEALS);
    expect(deals.errors).toBeUndefined();
  });

  it('a write of a field Zoho no longer knows (INVALID_DATA naming it) also starts the refresh', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const first = await post(h.app, token, DEALS);
    const id = (first.data?.crm as { deals: { nodes: { id: string }[] } }).deals.nodes[0]!.id;
    h.us.metadata.removeField('Deals', 'Probability');
    const write = await post(h.app, token, 'mutation($id: ID!) { updateDeals(input: [{ id: $id, probability: 40 }]) { status code details } }', { id });
    expect(write.hash).toBe(first.hash);
    expect(write.errors).toBeUndefined();
    expect(write.data?.updateDeals).toEqual([expect.objectContaining({ status: 'error', code: 'INVALID_DATA', details: expect.objectContaining({ api_name: 'Probability' }) })]);
    await settled(h.app);
    expect(builds(h.app)).toBe(2);
    const after = await post(h.app, token, 'mutation($id: ID!) { updateDeals(input: [{ id: $id, probability: 40 }]) { status } }', { id });
    expect(after.hash).not.toBe(first.hash);
    expect(after.errors?.[0]?.message).toMatch(/probability/);
  });

  it('a client repeating a query on such a field starts one refresh, not one per request', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const PROBABILITY = '{ crm { deals(first: 5, where: { probability: { gte: 0 } }) { nodes { dealName } } } }';
    await post(h.app, token, PROBABILITY);
    // Zoho refuses the field while its metadata still lists it (e.g. a change still propagating):
    // every refresh gives the same schema, and the error keeps coming.
    h.us.faults.add({
      match: (req) => req.path === '/crm/v8/coql',
      times: Infinity,
      response: zohoError(400, 'INVALID_QUERY', 'invalid column name', { column_name: 'Probability', clause: 'where' }),
    });
    const modulesCalls = () => h!.us.count((c) => c.path === '/crm/v8/settings/modules');
    h.us.resetCalls();
    for (let i = 0; i < 5; i++) {
      const a = await post(h.app, token, PROBABILITY);
      expect(a.errors?.[0]?.extensions?.zoho).toMatchObject({ code: 'INVALID_QUERY' });
      await settled(h.app);
    }
    expect(modulesCalls()).toBe(1);
    // Later than STALE_REFRESH_INTERVAL_MS: the next one refreshes again.
    h.clock.now += 31_000;
    await post(h.app, token, PROBABILITY);
    await settled(h.app);
    expect(modulesCalls()).toBe(2);
    expect(builds(h.app)).toBe(1);
  });
});

describe('across instances and restarts (one Redis)', () => {
  it('the second instance builds from the stored snapshot: no Zoho metadata call, the same hash', async () => {
    h = await startHarness({ instances: 2, env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const a = await post(h.apps[0]!, token, DEALS);
    expect(a.hash).not.toBeNull();
    h.us.resetCalls();
    const b = await post(h.apps[1]!, token, DEALS);
    expect(b.errors).toBeUndefined();
    expect(b.hash).toBe(a.hash);
    expect(builds(h.apps[1]!)).toBe(1);
    expect(metadataCalls(h.us)).toBe(0);
  });

  it('a field keeps its name when Zoho adds one that collides; the other instance follows from the store after SCHEMA_TTL', async () => {
    h = await startHarness({ instances: 2, env: { SCHEMA_BUILD_WAIT_MS: '30000', SCHEMA_TTL: '60' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const NAMES = '{ crm { deals(first: 1) { nodes { id dealName } } } }';
    const old = await post(h.apps[0]!, token, NAMES);
    await post(h.apps[1]!, token, NAMES);
    const name = (old.data?.crm as { deals: { nodes: { dealName: string }[] } }).deals.nodes[0]!.dealName;

    h.us.metadata.addField('Deals', { api_name: 'DealName', field_label: 'Deal name (2)', data_type: 'text', custom: true }, { value: () => 'the newcomer' });
    h.clock.now += 61_000;
    const refreshed = (await post(h.apps[0]!, token, 'mutation { refreshSchema { hash changed } }')).data?.refreshSchema as { hash: string; changed: boolean };
    expect(refreshed.changed).toBe(true);

    const BOTH = '{ crm { deals(first: 1) { nodes { id dealName DealName } } } }';
    const a = await post(h.apps[0]!, token, BOTH);
    expect(a.errors).toBeUndefined();
    expect(a.data?.crm).toEqual({ deals: { nodes: [{ id: expect.any(String), dealName: name, DealName: 'the newcomer' }] } });

    // The other instance's metadata is past SCHEMA_TTL: the request that notices runs on its old
    // schema; the refresh finds the snapshot the first instance just stored and asks Zoho nothing.
    h.us.resetCalls();
    const noticing = await post(h.apps[1]!, token, BOTH);
    expect(noticing.hash).toBe(old.hash);
    await vi.waitFor(() => expect(builds(h!.apps[1]!)).toBe(2), { timeout: 20_000 });
    const b = await post(h.apps[1]!, token, BOTH);
    expect(b.hash).toBe(refreshed.hash);
    expect(b.data).toEqual(a.data);
    expect(metadataCalls(h.us)).toBe(0);
  });

  it('a subform row field keeps its name when Zoho adds a colliding row field', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const ROWS = '{ crm { deals(first: 20) { nodes { lineItems { productName } } } } }';
    const before = await post(h.app, token, ROWS);
    expect(before.errors).toBeUndefined();
    h.us.metadata.addField('Line_Items', { api_name: 'ProductName', field_label: 'Product name (2)', data_type: 'text', custom: true });
    const r = await post(h.app, token, 'mutation { refreshSchema { changed } }');
    expect(r.data?.refreshSchema).toEqual({ changed: true });
    const after = await post(h.app, token, '{ crm { deals(first: 20) { nodes { lineItems { productName ProductName } } } } }');
    expect(after.errors).toBeUndefined();
    const rows = (d: Answer) => (d.data?.crm as { deals: { nodes: { lineItems: { productName: string }[] | null }[] } }).deals.nodes.flatMap((n) => n.lineItems ?? []);
    expect(rows(after).map((x) => x.productName)).toEqual(rows(before).map((x) => x.productName));
    expect(rows(before).length).toBeGreaterThan(0);
  });

  it('a tenant who reconnects to another org: a fresh instance does not build from the old org’s snapshot', async () => {
    h = await startHarness({ instances: 2, env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    h.eu.metadata.addField('Deals', { api_name: 'Eu_Only', field_label: 'EU only', data_type: 'text', custom: true });
    await h.connect('acme');
    const token = await h.token('acme');
    const us = await post(h.apps[0]!, token, DEALS);
    expect(us.hash).not.toBeNull();
    expect((await post(h.apps[0]!, token, 'mutation { disconnectZoho }')).data).toEqual({ disconnectZoho: true });
    await h.connect('acme', { dc: 'eu' });
    h.eu.resetCalls();
    const eu = await post(h.apps[1]!, token, '{ crm { deals(first: 1) { nodes { euOnly } } } }');
    expect(eu.errors).toBeUndefined();
    expect(eu.hash).not.toBe(us.hash);
    expect(fieldCalls(h.eu)).toBeGreaterThan(0);
  });

  it('a restart whose stored metadata is past SCHEMA_TTL answers typed from the snapshot first, then refreshes in the background', async () => {
    h = await startHarness({ instances: 2, env: { SCHEMA_BUILD_WAIT_MS: '30000', SCHEMA_TTL: '60' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const a = await post(h.apps[0]!, token, DEALS);
    h.clock.now += 3_600_000 - 200_000;
    h.us.resetCalls();
    // Zoho's metadata answers are held: a build that needed them would leave this request generic.
    const gate = h.us.faults.hold(/settings/, { times: 1000 });
    try {
      const b = await post(h.apps[1]!, token, DEALS);
      expect(b.hash).toBe(a.hash);
      expect(b.errors).toBeUndefined();
      // The next request notices the age and starts the refresh, answered on the stored schema meanwhile.
      const c = await post(h.apps[1]!, token, DEALS);
      expect(c.hash).toBe(a.hash);
    } finally {
      gate.release();
      h.us.faults.clear();
    }
    await settled(h.apps[1]!);
    expect(h.us.count((c) => c.path === '/crm/v8/settings/modules')).toBe(1);
  });
});

describe('bounds', () => {
  it('SCHEMA_CACHE_SIZE=1 with two shapes: the evicted one is rebuilt from the stored snapshot, no Zoho call', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000', SCHEMA_CACHE_SIZE: '1' } });
    h.eu.metadata.addField('Deals', { api_name: 'Eu_Only', field_label: 'EU only', data_type: 'text', custom: true });
    await h.connect('acme');
    await h.connect('globex', { dc: 'eu' });
    const acme = await h.token('acme');
    const globex = await h.token('globex');
    const a = await post(h.app, acme, DEALS);
    const g = await post(h.app, globex, '{ crm { deals(first: 1) { nodes { euOnly } } } }');
    expect(g.errors).toBeUndefined();
    expect(g.hash).not.toBe(a.hash);
    expect(h.app.typed.stats()).toMatchObject({ schemas: 1, builds: 2 });

    h.us.resetCalls();
    const again = await post(h.app, acme, DEALS);
    expect(again.hash).toBe(a.hash);
    expect(again.errors).toBeUndefined();
    expect(h.app.typed.stats()).toMatchObject({ schemas: 1, builds: 3 });
    expect(metadataCalls(h.us)).toBe(0);
  });
});

describe('who gets a typed schema', () => {
  it('no JWT or an invalid one: 401 on the generic schema, never a build', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    const forged = `${(await h.token('acme')).slice(0, -4)}AAAA`;
    for (const token of [null, 'not.a.jwt', forged]) {
      const a = await post(h.app, token, GENERIC);
      expect(a.status).toBe(401);
      expect(a.hash).toBeNull();
      expect(a.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      // A typed document is refused for the missing JWT, not as an unknown field of the generic schema.
      const typed = await post(h.app, token, DEALS);
      expect(typed.hash).toBeNull();
      expect(typed.status).toBe(401);
      expect(typed.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(h.app.typed.stats()).toMatchObject({ builds: 0, connections: 0 });
    expect(h.us.calls).toHaveLength(0);
  });

  it('a connection that is not connected: the generic schema answers, no error until a resolver needs Zoho', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    const token = await h.token('nobody');
    const conn = await post(h.app, token, '{ connection { name } dataCentres { key } }');
    expect(conn.status).toBe(200);
    expect(conn.errors).toBeUndefined();
    expect(conn.hash).toBeNull();
    expect(conn.data?.connection).toBeNull();
    const me = await post(h.app, token, GENERIC);
    expect(me.errors?.[0]?.extensions?.code).toBe('ZOHO_NOT_CONNECTED');
    expect(builds(h.app)).toBe(0);
    expect(h.us.calls).toHaveLength(0);
  });

  it('a tenant who connects gets the typed schema on the very next request', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    const token = await h.token('acme');
    expect((await post(h.app, token, '{ connection { name } }')).hash).toBeNull();
    // The connect flow's own requests ran before the connection existed.
    await h.connect('acme');
    const a = await post(h.app, token, DEALS);
    expect(a.errors).toBeUndefined();
    expect(a.hash).not.toBeNull();
  });
});

describe('failures and races', () => {
  it('the store failing while a schema loads: the generic schema answers (no 500), refreshSchema says STORE_UNAVAILABLE, and the typed one comes back', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const store = h.app.store;
    const get = store.get.bind(store);
    // Only the registry's keys fail: the rest of the request (JWT, connection) still works.
    const broken = (async (key: string) => {
      if (key.startsWith('typed:')) throw new StoreUnavailableError(new Error('connection refused'));
      return get(key);
    }) as typeof store.get;
    Object.assign(store, { get: broken });
    try {
      const a = await post(h.app, token, GENERIC);
      expect(a.status).toBe(200);
      expect(a.errors).toBeUndefined();
      expect(a.hash).toBeNull();
      const r = await post(h.app, token, 'mutation { refreshSchema { hash changed } }');
      expect(r.status).toBeLessThan(500);
      expect(r.errors?.[0]?.extensions?.code).toBe('STORE_UNAVAILABLE');
    } finally {
      Object.assign(store, { get });
    }
    h.clock.now += 6_000;
    const b = await post(h.app, token, DEALS);
    expect(b.errors).toBeUndefined();
    expect(b.hash).not.toBeNull();
  });

  it('refreshSchema and setFieldMapping at once: the schema served has both the new field and the mapped name', async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    await post(h.app, token, DEALS);
    const gate = h.us.faults.hold('GET /crm/v8/settings/fields', { times: 1000 });
    h.us.metadata.addField('Deals', { api_name: 'Budget_Code', field_label: 'Budget Code', data_type: 'text', custom: true }, { value: () => 'BC' });
    h.us.resetCalls();
    const refreshing = post(h.app, token, 'mutation { refreshSchema { hash changed } }');
    // The emulator logs a call when it answers: the modules are read, the fields are held.
    await vi.waitFor(() => expect(h!.us.count((c) => c.path === '/crm/v8/settings/modules')).toBe(1));
    const mapping = post(h.app, token, 'mutation { setFieldMapping(module: "Deals", mappings: [{ name: "budget", field: "Budget_USD" }]) { name field } }');
    gate.release();
    h.us.faults.clear();
    const [r, m] = await Promise.all([refreshing, mapping]);
    expect(r.errors).toBeUndefined();
    expect(m.errors).toBeUndefined();
    await settled(h.app);
    const both = await post(h.app, token, '{ crm { deals(first: 1) { nodes { budget budgetUsd budgetCode } } } }');
    expect(both.errors).toBeUndefined();
    const row = (both.data?.crm as { deals: { nodes: { budget: number | null; budgetUsd: number | null; budgetCode: string }[] } }).deals.nodes[0]!;
    expect(row.budget).toBe(row.budgetUsd);
    expect(row.budgetCode).toBe('BC');
  });
});

describe('connection states stay bounded', () => {
  it('at most 100 × SCHEMA_CACHE_SIZE; the least recently used goes first, not the first seen', async () => {
    const calls = new Map<string, number>();
    const typed = new TypedSchemas({
      base: genericSchema,
      store: createStore('memory://'),
      // Zoho is down for everyone: every load fails, and a remembered failure is not retried for 5 s.
      call: async (tenantId) => {
        calls.set(tenantId, (calls.get(tenantId) ?? 0) + 1);
        throw new GatewayError('ZOHO_UNAVAILABLE', 'Zoho CRM could not be reached; try again shortly');
      },
      metadata: new MetadataService(),
      log: createLogger({ level: 'silent' }),
      now: () => 1_000_000,
      settings: { maxSchemas: 1, waitMs: 10_000 },
    });
    expect((await typed.forConnection('hot', 'default')).hash).toBeNull();
    const hotCalls = calls.get('hot')!;
    expect(hotCalls).toBeGreaterThan(0);
    for (let i = 0; i < 250; i++) {
      await typed.forConnection(`t${i}`, 'default');
      await typed.forConnection('hot', 'default');
    }
    expect(typed.stats().connections).toBe(100);
    // 'hot' was used all along: its state (and its failure) is remembered, no new load.
    expect(calls.get('hot')).toBe(hotCalls);
    // 't0' was forgotten: asking again loads again.
    const t0 = calls.get('t0')!;
    await typed.forConnection('t0', 'default');
    expect(calls.get('t0')).toBeGreaterThan(t0);
  });
});
