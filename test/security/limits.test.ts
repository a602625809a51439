/**
 * Hostile operations: deep, wide, alias-, directive- and token-heavy documents (graphql-armor,
 * src/http/plugins/query-limits.ts) and operations that would need more Zoho calls than
 * ZOHO_CALL_BUDGET (src/http/plugins/zoho-budget.ts). Each is refused with its code before any
 * Zoho call. Hostile search values (criteria injection) are covered in
 * test/integration/search-coql.test.ts ("matches hostile values literally…").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codeOf, gql, type Answer } from './http.js';

const crmCalls = (h: Harness) => h.us.count((c) => c.path.startsWith('/crm/')) + h.eu.count((c) => c.path.startsWith('/crm/'));

describe('query shape limits (defaults: depth 12, aliases 30, directives 50, tokens 5000, cost 5000)', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness();
    await h.connect('acme');
    // The typed schema's first build reads metadata from Zoho: let it finish before counting.
    await h.app.typed.refresh('acme', 'default');
    token = await h.token('acme');
  });
  afterAll(() => h?.close());

  async function refused(query: string, limit: string, maximum: number): Promise<Answer> {
    const before = crmCalls(h);
    const res = await gql(h.app.url, token, query);
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit, maximum });
    expect(crmCalls(h)).toBe(before);
    return res;
  }

  it('refuses a query deeper than 12 (lookups of lookups …)', async () => {
    const lookups = (n: number): string => (n === 0 ? 'id' : `id lookup(field: "Parent_Account") { ${lookups(n - 1)} }`);
    const res = await refused(`{ records(module: "Accounts", first: 1) { nodes { ${lookups(11)} } } }`, 'maxDepth', 12);
    expect(res.body.errors![0]!.message).toMatch(/depth limit of 12/);
    // Hiding the depth in fragments does not help.
    const frag = `fragment L on Record { id lookup(field: "Parent_Account") { id lookup(field: "Parent_Account") { ${lookups(9)} } } }`;
    await refused(`{ records(module: "Accounts", first: 1) { nodes { ...L } } } ${frag}`, 'maxDepth', 12);
  });

  it('refuses more than 30 aliases (one field asked many times)', async () => {
    const many = Array.from({ length: 31 }, (_, i) => `a${i}: dataCentres { key }`).join(' ');
    await refused(`{ ${many} }`, 'maxAliases', 30);
  });

  it('refuses more than 50 directives', async () => {
    const many = Array.from({ length: 51 }, () => '@include(if: true)').join(' ');
    await refused(`{ dataCentres { key ${many} } }`, 'maxDirectives', 50);
  });

  it('refuses a document of more than 5000 tokens while parsing', async () => {
    const names = Array.from({ length: 5_000 }, (_, i) => `"F${i}"`).join(' ');
    await refused(`{ records(module: "Leads", fields: [${names}]) { nodes { id } } }`, 'maxTokens', 5_000);
  });

  it('refuses a wide and deep selection over the cost limit (within the depth limit)', async () => {
    const F = 'id module createdTime modifiedTime data owner { id email fullName status role { id name } profile { id name } }';
    const nest = (n: number): string => (n === 0 ? F : `${F} lookup(field: "Parent_Account") { ${nest(n - 1)} }`);
    const one = (alias: string) => `${alias}: records(module: "Accounts", first: 1) { nodes { ${nest(7)} } }`;
    // One of these costs ~3,250 (depth 12): allowed. Two cost ~6,500.
    const res = await refused(`{ ${one('a')} ${one('b')} }`, 'maxCost', 5_000);
    expect(res.body.errors![0]!.message).toMatch(/Cost limit of 5000 exceeded/);
  });

  it('prices the shape, not the page size: a 200-record page with lookups is cheap (the Zoho call budget prices the records)', async () => {
    const res = await gql(
      h.app.url,
      token,
      '{ records(module: "Deals", first: 200) { pageInfo { endCursor } nodes { id name: field(name: "Deal_Name") owner { email } account: lookup(field: "Account_Name") { name: field(name: "Account_Name") } } } }',
    );
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });

  it('refuses before looking at the bearer token (no JWT needed to be turned away)', async () => {
    const many = Array.from({ length: 31 }, (_, i) => `a${i}: dataCentres { key }`).join(' ');
    const res = await gql(h.app.url, undefined, `{ ${many} }`);
    expect(res.status).toBe(400);
    expect(codeOf(res)).toBe('QUERY_TOO_COMPLEX');
  });

  it('answers a query at the limits', async () => {
    const thirty = Array.from({ length: 30 }, (_, i) => `a${i}: dataCentres { key }`).join(' ');
    const res = await gql(h.app.url, token, `{ ${thirty} }`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });
});

describe('Zoho call budget (ZOHO_CALL_BUDGET, default 50)', () => {
  let h: Harness;
  let token: string;
  // One page of 200 Deals with every field, the owner's role and the account (every field): an
  // estimated 2 (data: 2 groups) + 2 × 2 (account lookup, 2 batches × 2 groups) + 2 (owner details) = 8 calls.
  const page = (alias: string) => `${alias}: records(module: "Deals", first: 200) { nodes { data owner { role { name } } account: lookup(field: "Account_Name") { data } } }`;
  beforeAll(async () => {
    h = await startHarness();
    await h.connect('acme');
    // The typed schema's first build reads metadata from Zoho: let it finish before counting.
    await h.app.typed.refresh('acme', 'default');
    token = await h.token('acme');
    // Warm the metadata cache (Deals, Accounts): the estimate assumes it cached.
    await gql(h.app.url, token, '{ d: fields(module: "Deals") { apiName } a: fields(module: "Accounts") { apiName } m: modules { apiName } }');
    await gql(h.app.url, token, `{ ${page('warm')} }`);
  });
  afterAll(() => h?.close());

  it('refuses an operation estimated over the budget before any Zoho call, naming the budget', async () => {
    const before = crmCalls(h);
    const query = `{ ${Array.from({ length: 7 }, (_, i) => page(`p${i}`)).join(' ')} }`;
    const res = await gql(h.app.url, token, query);
    expect(res.status).toBe(400);
    expect(res.body.data ?? null).toBeNull();
    const err = res.body.errors![0]!;
    expect(err.extensions).toMatchObject({ code: 'ZOHO_CALL_BUDGET_EXCEEDED', budget: 50, estimate: 56, phase: 'estimate' });
    expect(err.message).toMatch(/ZOHO_CALL_BUDGET/);
    expect(err.message).toMatch(/50/);
    expect(crmCalls(h)).toBe(before);
  });

  it('refuses a write of more records than the budget allows (ceil(n/100) calls) before any call', async () => {
    const before = crmCalls(h);
    const records = Array.from({ length: 5_001 }, (_, i) => ({ Last_Name: `L${i}` }));
    const res = await gql(h.app.url, token, 'mutation($r: [JSON!]!) { createRecords(module: "Leads", records: $r) { id } }', { r: records });
    expect(codeOf(res)).toBe('ZOHO_CALL_BUDGET_EXCEEDED');
    expect(res.body.errors![0]!.extensions).toMatchObject({ estimate: 51 });
    expect(crmCalls(h)).toBe(before);
  });

  it('answers an operation within the budget, with no more calls than estimated', async () => {
    const before = crmCalls(h);
    const res = await gql(h.app.url, token, `{ ${page('one')} }`);
    expect(res.body.errors).toBeUndefined();
    const made = (res.body.extensions as { zoho: { calls: number } }).zoho.calls;
    expect(made).toBeGreaterThan(0);
    expect(made).toBeLessThanOrEqual(8);
    expect(crmCalls(h) - before).toBe(made);
  });
});

describe('Zoho call budget, runtime guard (ZOHO_CALL_BUDGET=2)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ZOHO_CALL_BUDGET: '2' } });
    await h.connect('acme');
    await h.app.typed.refresh('acme', 'default');
  });
  afterAll(() => h?.close());

  it('stops at the budget when the estimate misses (here: a cold metadata cache), never exceeding it', async () => {
    // Estimated 2 (1 list + 1 lookup batch), but the cold cache adds metadata calls: the guard
    // refuses the call beyond the second. (The typed schema's build warmed the shared cache.)
    h.app.services.metadata.invalidate('acme:default');
    const before = crmCalls(h);
    const res = await gql(h.app.url, await h.token('acme'), '{ records(module: "Deals", first: 5) { nodes { id account: lookup(field: "Account_Name") { id } } } }');
    expect(codeOf(res)).toBe('ZOHO_CALL_BUDGET_EXCEEDED');
    expect(res.body.errors![0]!.extensions).toMatchObject({ budget: 2, phase: 'runtime' });
    expect(crmCalls(h) - before).toBeLessThanOrEqual(2);
    expect((res.body.extensions as { zoho: { calls: number } }).zoho.calls).toBeLessThanOrEqual(2);
  });
});
