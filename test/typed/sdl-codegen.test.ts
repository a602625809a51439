import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ZRecord } from '../../src/records/fields.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codes, connectTyped, gql, ok } from './typed-harness.js';

/**
 * The SDL endpoint (GET /graphql/schema.graphql) and the codegen story: one document, written
 * against standard fields plus a mapped name, validated once by graphql-codegen against one
 * tenant's SDL and run unchanged against tenants whose orgs keep the value in different fields
 * on different data centres.
 */

const SDL_PATH = '/graphql/schema.graphql';
const DOCUMENT = 'query Budgets { crm { deals(first: 5, where: { budget: { gte: 1 } }, orderBy: [{ id: ASC }]) { nodes { id dealName budget } } } }';

async function sdl(url: string, token?: string): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(`${url}${SDL_PATH}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

/** graphql-codegen, as a product would run it (client preset), without writing files. */
async function codegen(schema: string | Record<string, { headers: Record<string, string> }>, documents: string, dir: string): Promise<string> {
  const docPath = join(dir, `doc-${Math.random().toString(36).slice(2)}.graphql`);
  writeFileSync(docPath, documents);
  // Typed by hand: generate() is typed `any` (its watch mode never resolves).
  const out: { filename: string; content: string }[] = await generate(
    {
      cwd: dir,
      silent: true,
      schema: [schema],
      documents: [docPath],
      generates: { [join(dir, 'gql/')]: { preset: 'client', presetConfig: { fragmentMasking: false }, config: { enumsAsTypes: true, scalars: { JSON: 'unknown' } } } },
    },
    false,
  );
  return out.map((f) => f.content).join('\n');
}

describe('SDL endpoint and codegen across tenants', () => {
  let h: Harness;
  let dir: string;
  let a: string;
  let b: string;

  beforeAll(async () => {
    // The first request of a connection waits for its build at most this long (an upper bound,
    // not a delay): generous, so a loaded machine still answers on the typed schema.
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '10000' } });
    dir = mkdtempSync(join(tmpdir(), 'typed-codegen-'));
    // Tenant B's org (EU) keeps the budget in its own currency field and has no Budget_USD.
    h.eu.metadata.addField('Deals', { api_name: 'Deal_Budget', field_label: 'Deal Budget', data_type: 'currency', custom: true }, { value: (_r, i) => 5_000 + i });
    h.eu.metadata.removeField('Deals', 'Budget_USD');
    a = await connectTyped(h, 'tenant-a', 'us');
    b = await connectTyped(h, 'tenant-b', 'eu');
    await ok(h, a, 'mutation { setFieldMapping(module: "Deals", mappings: [{ name: "budget", field: "Budget_USD" }]) { name } }');
    await ok(h, b, 'mutation { setFieldMapping(module: "Deals", mappings: [{ name: "budget", field: "Deal_Budget" }]) { name } }');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  it('serves the caller’s own SDL with the X-Schema-Hash a /graphql answer carries', async () => {
    const sa = await sdl(h.app.url, a);
    const sb = await sdl(h.app.url, b);
    expect(sa.status).toBe(200);
    expect(sa.headers.get('content-type')).toContain('text/plain');
    const graphqlA = await gql(h, a, '{ crm { deals(first: 1) { nodes { id } } } }');
    expect(sa.headers.get('x-schema-hash')).toBe(graphqlA.headers.get('x-schema-hash'));
    expect(sb.headers.get('x-schema-hash')).toBe((await gql(h, b, '{ __typename }')).headers.get('x-schema-hash'));
    expect(sa.headers.get('x-schema-hash')).not.toBe(sb.headers.get('x-schema-hash'));
    // Each tenant's SDL has its own fields, and the mapped name in both.
    expect(sa.text).toMatch(/\n {2}budgetUsd: Float\n/);
    expect(sb.text).not.toContain('budgetUsd');
    expect(sb.text).toMatch(/\n {2}dealBudget: Float\n/);
    for (const text of [sa.text, sb.text]) expect(text).toMatch(/type Deal \{[^}]*\n {2}budget: Float\n/);
  });

  it('codegen validates the shared document against tenant A’s SDL fetched with A’s bearer token, and B’s SDL accepts it too', async () => {
    const fromUrl = await codegen({ [`${h.app.url}${SDL_PATH}`]: { headers: { Authorization: `Bearer ${a}` } } }, DOCUMENT, dir);
    expect(fromUrl).toContain('BudgetsQuery');
    expect(fromUrl).toMatch(/budget\?: number \| null/);

    const sdlB = join(dir, 'tenant-b.graphql');
    writeFileSync(sdlB, (await sdl(h.app.url, b)).text);
    expect(await codegen(sdlB, DOCUMENT, dir)).toMatch(/budget\?: number \| null/);
  });

  it('codegen refuses a document that uses a field only one tenant has', async () => {
    const sdlB = join(dir, 'tenant-b-2.graphql');
    writeFileSync(sdlB, (await sdl(h.app.url, b)).text);
    await expect(codegen(sdlB, 'query OnlyA { crm { deals(first: 1) { nodes { id budgetUsd } } } }', dir)).rejects.toThrow(/budgetUsd/);
  });

  it('the same document returns each tenant’s own field values', async () => {
    type Answer = { crm: { deals: { nodes: { id: string; dealName: string; budget: number }[] } } };
    const check = (answer: Answer, stored: Map<string, ZRecord>, field: string) => {
      const expected = [...stored.values()]
        .filter((r) => typeof r[field] === 'number' && (r[field] as number) >= 1)
        .sort((x, y) => (x.id < y.id ? -1 : 1))
        .slice(0, 5);
      expect(answer.crm.deals.nodes).toEqual(expected.map((r) => ({ id: r.id, dealName: r.Deal_Name, budget: r[field] })));
    };
    const fromA = await ok<Answer>(h, a, DOCUMENT);
    const fromB = await ok<Answer>(h, b, DOCUMENT);
    check(fromA, h.us.ctx.records('Deals'), 'Budget_USD');
    check(fromB, h.eu.ctx.records('Deals'), 'Deal_Budget');
    expect(fromB.crm.deals.nodes.every((n) => n.budget >= 5_000 && n.budget < 6_000)).toBe(true);
  });

  it('reconnecting to another org (US → EU) gives the next request that org’s schema, not the stored one', async () => {
    const e = await connectTyped(h, 'tenant-e', 'us');
    expect((await sdl(h.app.url, e)).text).toContain('budgetUsd');
    await h.connect('tenant-e', { dc: 'eu' });
    const after = await gql<{ crm: { deals: { nodes: { dealBudget: number }[] } } }>(h, e, '{ crm { deals(first: 1) { nodes { dealBudget } } } }');
    expect(after.errors).toBeUndefined();
    expect(after.data!.crm.deals.nodes[0]!.dealBudget).toBeGreaterThanOrEqual(5_000);
    expect((await sdl(h.app.url, e)).text).not.toContain('budgetUsd');
  });

  it('without a bearer token: 401', async () => {
    const res = await sdl(h.app.url);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('Bearer');
    expect(JSON.parse(res.text).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const forged = await sdl(h.app.url, 'not.a.jwt');
    expect(forged.status).toBe(401);
  });

  it('right after connecting, the first request gets the typed schema (a build that failed before the connect does not hold it back)', async () => {
    await h.connect('tenant-d', { dc: 'eu' });
    const d = await h.token('tenant-d');
    const first = await gql<{ crm: { deals: { nodes: { id: string }[] } } }>(h, d, '{ crm { deals(first: 1) { nodes { id } } } }');
    expect(first.errors).toBeUndefined();
    expect(first.data!.crm.deals.nodes).toHaveLength(1);
    const s = await sdl(h.app.url, d);
    expect(s.status).toBe(200);
    expect(s.headers.get('x-schema-hash')).toBe(first.headers.get('x-schema-hash'));
  });
});

describe('SDL endpoint while the first build waits (SCHEMA_BUILD_WAIT_MS=300)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SCHEMA_BUILD_WAIT_MS: '300' } });
  });
  afterAll(() => h.close());

  it('while a connection’s first build waits on Zoho: 503 SCHEMA_NOT_READY with Retry-After, then its SDL once built', async () => {
    await h.connect('tenant-c', { dc: 'us' });
    const c = await h.token('tenant-c');
    const gate = h.us.faults.hold('GET /crm/v8/settings/fields', { times: 1 });
    try {
      const held = await sdl(h.app.url, c);
      expect(held.status).toBe(503);
      expect(held.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(JSON.parse(held.text).errors[0].extensions.code).toBe('SCHEMA_NOT_READY');
      // The generic schema answers GraphQL meanwhile (no typed schema hash).
      const meanwhile = await gql(h, c, '{ __typename }');
      expect(meanwhile.headers.get('x-schema-hash')).toBeNull();
    } finally {
      gate.release();
    }
    // The build the first request started finishes once Zoho answers (polled, bounded).
    let ready = { status: 0, text: '', headers: new Headers() };
    await vi.waitFor(
      async () => {
        ready = await sdl(h.app.url, c);
        expect(ready.status).toBe(200);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(ready.text).toContain('type Deal {');
    expect(codes(await gql(h, c, '{ crm { deals(first: 1) { nodes { id } } } }'))).toEqual([]);
  });
});

describe('SDL endpoint with INTROSPECTION=false', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { INTROSPECTION: 'false' } });
  });
  afterAll(() => h.close());

  it('is not published: 404, with or without a token', async () => {
    const token = await connectTyped(h, 'acme');
    const withToken = await sdl(h.app.url, token);
    expect(withToken.status).toBe(404);
    expect(withToken.text).not.toContain('type Deal');
    expect((await sdl(h.app.url)).status).toBe(404);
    // The typed schema still serves queries.
    expect((await gql(h, token, '{ crm { deals(first: 1) { nodes { id } } } }')).headers.get('x-schema-hash')).toBeTruthy();
  });
});
