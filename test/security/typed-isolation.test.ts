/**
 * The typed API and tenant isolation, attacked by a tenant with a valid JWT: a schema shared by
 * connections of one shape never serves another connection's data, the connection is the token's
 * (never chosen by the request), another tenant's fields stay out of one's schema, and a write
 * scope does not read records back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_NAME } from '../../src/auth/claims.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codeOf, gql } from './http.js';

interface DealsAnswer {
  crm: { deals: { nodes: { id: string; dealName: string | null }[] } };
}

describe('typed API isolation', () => {
  let h: Harness;
  let acme: string;
  let globex: string;
  beforeAll(async () => {
    h = await startHarness();
    // A field only acme's org (US) has: its schema's shape differs from globex's (EU).
    h.us.metadata.addField('Deals', { api_name: 'Acme_Secret_Margin', field_label: 'Acme Secret Margin', data_type: 'currency', custom: true });
    await h.connect('acme', { dc: 'us' });
    await h.connect('globex', { dc: 'eu' });
    await h.app.typed.refresh('acme', DEFAULT_CONNECTION_NAME);
    await h.app.typed.refresh('globex', DEFAULT_CONNECTION_NAME);
    acme = await h.token('acme');
    globex = await h.token('globex');
  });
  afterAll(() => h?.close());

  it("keeps another org's fields out of a tenant's schema, with no hint of them", async () => {
    const own = await gql(h.app.url, acme, '{ crm { deals(first: 1) { nodes { acmeSecretMargin } } } }');
    expect(own.body.errors).toBeUndefined();
    const other = await gql(h.app.url, globex, '{ crm { deals(first: 1) { nodes { acmeSecretMargin } } } }');
    expect(codeOf(other)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(other.headers.get('x-schema-hash')).not.toBe(own.headers.get('x-schema-hash'));
    const typo = await gql(h.app.url, globex, '{ crm { deals(first: 1) { nodes { acmeSecretMargn } } } }');
    expect(typo.text).not.toMatch(/acmeSecretMargin|Acme_Secret/);
  });

  it('answers each connection from its own org, by list and by id, on one shared schema', async () => {
    // Same shape on both sides once acme's extra field is gone: one schema object.
    h.us.metadata.removeField('Deals', 'Acme_Secret_Margin');
    await h.app.typed.refresh('acme', DEFAULT_CONNECTION_NAME);
    const created = await gql(h.app.url, acme, 'mutation { createDeals(input: [{ dealName: "Acme only 7f3a", stage: "Qualification" }]) { id status } }');
    expect(created.body.errors).toBeUndefined();
    const id = (created.body.data as { createDeals: { id: string }[] }).createDeals[0]!.id;
    const byName = '{ crm { deals(first: 200, where: { dealName: { eq: "Acme only 7f3a" } }) { nodes { id dealName } } } }';
    const a = await gql(h.app.url, acme, byName);
    const g = await gql(h.app.url, globex, byName);
    expect(a.headers.get('x-schema-hash')).toBe(g.headers.get('x-schema-hash'));
    expect((a.body.data as DealsAnswer).crm.deals.nodes.map((n) => n.id)).toEqual([id]);
    expect(g.body.errors).toBeUndefined();
    expect((g.body.data as DealsAnswer).crm.deals.nodes).toEqual([]);
    const one = await gql(h.app.url, globex, `{ crm { deal(id: "${id}") { id dealName } } }`);
    expect(one.body.errors).toBeUndefined();
    expect((one.body.data as { crm: { deal: unknown } }).crm.deal).toBeNull();
    // Both at once, interleaved: every answer from its own org.
    const [a2, g2] = await Promise.all([gql(h.app.url, acme, `{ crm { deal(id: "${id}") { dealName } } }`), gql(h.app.url, globex, `{ crm { deal(id: "${id}") { dealName } } }`)]);
    expect((a2.body.data as { crm: { deal: { dealName: string } } }).crm.deal.dealName).toBe('Acme only 7f3a');
    expect((g2.body.data as { crm: { deal: unknown } }).crm.deal).toBeNull();
  });

  it("gives a token for another connection name the generic schema, never the tenant's default connection's", async () => {
    const other = await h.token('acme', undefined, { connection: 'other' });
    const res = await gql(h.app.url, other, '{ crm { deals(first: 1) { nodes { id } } } }');
    expect(codeOf(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.headers.get('x-schema-hash')).toBeNull();
  });

  it('does not let a write scope read records back through `record`', async () => {
    const list = await gql(h.app.url, acme, '{ crm { deals(first: 1) { nodes { id dealName } } } }');
    const target = (list.body.data as DealsAnswer).crm.deals.nodes[0]!;
    const writer = await h.token('acme', 'records:write');
    const res = await gql(h.app.url, writer, `mutation { updateDeals(input: [{ id: "${target.id}", description: "touched" }]) { id status record { dealName } } }`);
    const data = res.body.data as { updateDeals: { status: string; record: unknown }[] } | null;
    expect(data?.updateDeals[0]?.status).toBe('success');
    expect(data?.updateDeals[0]?.record ?? null).toBeNull();
    expect(res.text).not.toContain(target.dealName ?? '\u0000');
    expect(res.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    // With records:read it reads back.
    const both = await h.token('acme', 'records:write records:read');
    const ok = await gql(h.app.url, both, `mutation { updateDeals(input: [{ id: "${target.id}", description: "touched" }]) { record { dealName } } }`);
    expect((ok.body.data as { updateDeals: { record: { dealName: string } }[] }).updateDeals[0]!.record.dealName).toBe(target.dealName);
  });
});

describe('typed schema cache and a tenant churning its own shape (SCHEMA_CACHE_SIZE=3)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SCHEMA_CACHE_SIZE: '3' } });
    h.us.metadata.addField('Deals', { api_name: 'Acme_Only', field_label: 'Acme Only', data_type: 'text', custom: true });
    await h.connect('acme', { dc: 'us' });
    await h.connect('globex', { dc: 'eu' });
    await h.app.typed.refresh('acme', DEFAULT_CONNECTION_NAME);
    await h.app.typed.refresh('globex', DEFAULT_CONNECTION_NAME);
  });
  afterAll(() => h?.close());

  it("does not push another tenant's schema out by remapping its own fields again and again", async () => {
    const globex = await h.token('globex');
    for (let i = 0; i < 4; i++) {
      const res = await gql(h.app.url, globex, `mutation { setFieldMapping(module: "Deals", mappings: [{ name: "churn${i}", field: "Amount" }]) { name } }`);
      expect(res.body.errors).toBeUndefined();
    }
    // Only globex's current shape and acme's are in use: a replaced shape nobody uses is dropped.
    expect(h.app.typed.stats().schemas).toBe(2);
    const builds = h.app.typed.builds;
    const res = await gql(h.app.url, await h.token('acme'), '{ crm { deals(first: 1) { nodes { acmeOnly } } } }');
    expect(res.body.errors).toBeUndefined();
    expect(h.app.typed.builds).toBe(builds);
  });
});
