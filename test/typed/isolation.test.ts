import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { fieldsOf, post, typedClient, type TypedClient } from './typed-client.js';

/**
 * Two tenants on two data centres with orgs of the same shape: one schema object serves both,
 * each reads only its own CRM, and a field added to one org reaches only that tenant's schema.
 * Scopes narrow what a tenant's token reads in the typed API as in the generic one.
 */

interface DealsPage {
  crm: { deals: { nodes: { id: string; dealName: string; owner: { email: string } }[] } };
}

const REFRESH = 'mutation { refreshSchema { hash changed } }';
const DEALS = '{ crm { deals(first: 20) { nodes { id dealName owner { email } } } } }';

describe('typed schemas of two tenants', () => {
  let h: Harness;
  let us: TypedClient;
  let eu: TypedClient;
  let usConn: string;
  let euConn: string;
  let usHash: string;
  let euHash: string;

  beforeAll(async () => {
    h = await startHarness();
    usConn = (await h.connect('acme', { dc: 'us' })).connection!.name;
    euConn = (await h.connect('globex', { dc: 'eu' })).connection!.name;
    us = await typedClient(h, 'acme');
    eu = await typedClient(h, 'globex');
    usHash = (await us.data<{ refreshSchema: { hash: string } }>(REFRESH)).refreshSchema.hash;
    euHash = (await eu.data<{ refreshSchema: { hash: string } }>(REFRESH)).refreshSchema.hash;
  });
  afterAll(() => h?.close());

  it('gives both the same schema hash and one shared schema object, built once', async () => {
    expect(euHash).toBe(usHash);
    const a = await us.run(DEALS);
    const b = await eu.run(DEALS);
    expect([a.hash, b.hash]).toEqual([usHash, usHash]);
    expect(h.app.typed.stats().builds).toBe(1);
    const typed = h.app.typed;
    expect((await typed.forConnection('acme', usConn)).schema).toBe((await typed.forConnection('globex', euConn)).schema);
  });

  it('reads each tenant’s own CRM through the shared schema', async () => {
    const a = (await us.run<DealsPage>(DEALS)).data!.crm.deals.nodes;
    const b = (await eu.run<DealsPage>(DEALS)).data!.crm.deals.nodes;
    const usDeals = h.us.ctx.records('Deals');
    const euDeals = h.eu.ctx.records('Deals');
    expect(a).toHaveLength(20);
    expect(b).toHaveLength(20);
    for (const n of a) expect([n.dealName, n.owner.email]).toEqual([usDeals.get(n.id)!.Deal_Name, (usDeals.get(n.id)!.Owner as { email: string }).email]);
    for (const n of b) expect([n.dealName, n.owner.email]).toEqual([euDeals.get(n.id)!.Deal_Name, (euDeals.get(n.id)!.Owner as { email: string }).email]);
    // Ids and owners differ per data centre: neither page holds a record of the other org.
    expect(a.filter((n) => euDeals.has(n.id))).toEqual([]);
    expect(b.filter((n) => usDeals.has(n.id))).toEqual([]);
    expect(new Set(a.map((n) => n.owner.email.split('@')[1]))).not.toEqual(new Set(b.map((n) => n.owner.email.split('@')[1])));
  });

  it('keeps the tenants apart when their queries run at the same time on the shared schema', async () => {
    const q = '{ crm { deals(first: 30, where: { amount: { gt: 0 } }) { nodes { id owner { email fullName } accountName { id accountName } } } } }';
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? eu : us).data<{ crm: { deals: { nodes: { id: string; owner: { email: string }; accountName: { id: string } | null }[] } } }>(q)),
    );
    runs.forEach((r, i) => {
      const own = i % 2 ? h.eu : h.us;
      const deals = own.ctx.records('Deals');
      const accounts = own.ctx.records('Accounts');
      expect(r.crm.deals.nodes).toHaveLength(30);
      for (const n of r.crm.deals.nodes) {
        expect(deals.has(n.id)).toBe(true);
        expect(n.owner.email).toBe((deals.get(n.id)!.Owner as { email: string }).email);
        if (n.accountName) expect(accounts.has(n.accountName.id)).toBe(true);
      }
    });
  });

  it('answers null when a tenant asks by id for another tenant’s record, and calls only its own Zoho', async () => {
    const euDeal = [...h.eu.ctx.records('Deals').keys()][3]!;
    const euVisit = [...h.eu.ctx.records('Field_Visits').keys()][3]!;
    const usDeal = [...h.us.ctx.records('Deals').keys()][3]!;
    h.us.resetCalls();
    h.eu.resetCalls();
    const q = 'query($d: ID!, $v: ID!, $own: ID!) { crm { deal(id: $d) { id dealName } fieldVisit(id: $v) { id } own: deal(id: $own) { id } } }';
    const res = await us.data<{ crm: { deal: unknown; fieldVisit: unknown; own: { id: string } } }>(q, { d: euDeal, v: euVisit, own: usDeal });
    expect(res.crm.deal).toBeNull();
    expect(res.crm.fieldVisit).toBeNull();
    expect(res.crm.own).toEqual({ id: usDeal });
    expect(h.eu.count()).toBe(0);
    expect(h.us.count()).toBeGreaterThan(0);
  });

  it('shows a field added to the EU org only in the EU tenant’s schema after its refresh', async () => {
    h.eu.metadata.addField('Deals', { api_name: 'Churn_Risk', field_label: 'Churn Risk', data_type: 'integer', custom: true }, { value: (_r, i) => i % 7 });
    // Until a refresh, the EU tenant keeps its schema.
    expect(await fieldsOf(eu, 'Deal')).not.toContain('churnRisk');

    const refreshed = (await eu.data<{ refreshSchema: { hash: string; changed: boolean } }>(REFRESH)).refreshSchema;
    expect(refreshed.changed).toBe(true);
    expect(refreshed.hash).not.toBe(usHash);
    expect(await fieldsOf(eu, 'Deal')).toContain('churnRisk');
    expect(await fieldsOf(eu, 'Deal_Filter')).toContain('churnRisk');
    const rows = (await eu.data<{ crm: { deals: { nodes: { id: string; churnRisk: number | null }[] } } }>('{ crm { deals(first: 30, where: { churnRisk: { gte: 3 } }) { nodes { id churnRisk } } } }'))
      .crm.deals.nodes;
    const euDeals = h.eu.ctx.records('Deals');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.churnRisk).toBe(euDeals.get(r.id)!.Churn_Risk);
    expect(rows.every((r) => r.churnRisk! >= 3)).toBe(true);

    // The US tenant: same schema as before, also after its own refresh.
    const again = (await us.data<{ refreshSchema: { hash: string; changed: boolean } }>(REFRESH)).refreshSchema;
    expect(again).toEqual({ hash: usHash, changed: false });
    expect(await fieldsOf(us, 'Deal')).not.toContain('churnRisk');
    const usRun = await us.run('{ crm { deals(first: 1) { nodes { churnRisk } } } }');
    expect(usRun.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(usRun.hash).toBe(usHash);
    expect((await eu.run(DEALS)).hash).toBe(refreshed.hash);
    expect(h.app.typed.stats().builds).toBe(2);
  });
});

describe('scopes of the typed API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.connect('acme');
    await (await typedClient(h, 'acme')).data(REFRESH);
  });
  afterAll(() => h?.close());

  it('a token with records:read:Deals reads deals but not Field_Visits nor the Accounts a lookup points to', async () => {
    const c = await typedClient(h, 'acme', 'records:read:Deals');
    const ok = await c.run<{ crm: { deals: { nodes: { id: string; accountNameId: string | null }[] } } }>('{ crm { deals(first: 3) { nodes { id accountNameId } } } }');
    expect(ok.errors).toBeUndefined();
    expect(ok.hash).not.toBeNull();
    expect(ok.data!.crm.deals.nodes).toHaveLength(3);
    // A where runs on COQL inside the gateway: the records scope is all it needs (not `coql`).
    const filtered = await c.run<{ crm: { deals: { nodes: { id: string; lineItems: unknown[] | null }[] } } }>(
      '{ crm { deals(first: 3, where: { amount: { gt: 0 } }, orderBy: [{ amount: DESC }]) { nodes { id lineItems { productName } owner { email } } } } }',
    );
    expect(filtered.errors).toBeUndefined();
    expect(filtered.data!.crm.deals.nodes).toHaveLength(3);

    h.us.resetCalls();
    const visits = await c.run('{ crm { fieldVisits(first: 3) { nodes { id } } } }');
    expect(visits.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'records:read:Field_Visits' });
    expect(visits.data).toBeNull();
    const oneVisit = await c.run('{ crm { fieldVisit(id: "1") { id } } }');
    expect(oneVisit.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'records:read:Field_Visits' });
    expect(h.us.count()).toBe(0);

    const lookup = await c.run<{ crm: { deals: { nodes: { id: string; accountName: unknown }[] } } }>('{ crm { deals(first: 3) { nodes { id accountName { accountName } } } } }');
    expect(lookup.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'records:read:Accounts' });
    expect(lookup.errors?.[0]?.path?.slice(-1)).toEqual(['accountName']);
    // No Accounts read was made for a caller who may not see them.
    expect(h.us.count('GET /crm/v8/:module')).toBe(1);
    expect(h.us.calls.every((x) => x.path.endsWith('/Deals'))).toBe(true);
  });

  it('types by the connected user’s profile: a Standard user’s connection reads the field the Administrator’s cannot see', async () => {
    const standard = h.us.ctx.data.users.find((u) => u.profile.name === 'Standard' && u.status === 'active')!;
    await h.connect('initech', { dc: 'us', consentEmail: standard.email });
    h.us.setConsent({ zuid: h.us.ctx.data.users[0]!.zuid });
    const std = await typedClient(h, 'initech');
    const admin = await typedClient(h, 'acme');
    const stdHash = (await std.data<{ refreshSchema: { hash: string } }>(REFRESH)).refreshSchema.hash;
    expect(await fieldsOf(std, 'Deal')).toContain('internalMargin');
    expect(await fieldsOf(std, 'Deal_UpdateInput')).toEqual(expect.arrayContaining(['internalMargin', 'approvedDiscount']));
    const adminRun = await admin.run('{ crm { deals(first: 1) { nodes { id } } } }');
    expect(adminRun.hash).not.toBe(stdHash);
    expect(await fieldsOf(admin, 'Deal')).not.toContain('internalMargin');
    const rows = (
      await std.data<{ crm: { deals: { nodes: { id: string; internalMargin: number }[] } } }>('{ crm { deals(first: 50, where: { internalMargin: { gt: 1000 } }) { nodes { id internalMargin } } } }')
    ).crm.deals.nodes;
    const deals = h.us.ctx.records('Deals');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.internalMargin).toBe(deals.get(r.id)!.Internal_Margin);
  });

  it('answers 401 without a JWT, and with a token of another secret', async () => {
    const url = `${h.app.url}/graphql`;
    const none = await post(url, null, '{ crm { deals { nodes { id } } } }');
    expect(none.status).toBe(401);
    expect(none.data).toBeNull();
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await post(url, 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJ0ZW5hbnQiOiJhY21lIn0.c2lnbmF0dXJl', '{ crm { deals { nodes { id } } } }');
    expect(forged.status).toBe(401);
    expect(forged.hash).toBeNull();
  });
});
