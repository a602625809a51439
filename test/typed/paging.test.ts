import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { connectTyped, typedClient, type TypedClient } from './typed-client.js';

/**
 * Typed lists over more than Zoho's 2,000-record page-number window, their Zoho call counts when
 * following lookups and owners, and the bad input they refuse before calling Zoho.
 */

const DEALS = 2300;

interface Page {
  crm: { deals: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null; count: number } } };
}

describe('typed lists: cursors, call counts, bad input', () => {
  let h: Harness;
  let c: TypedClient;
  const query = `query($first: Int, $where: Deal_Filter, $orderBy: [Deal_OrderBy!], $after: String) {
    crm { deals(first: $first, where: $where, orderBy: $orderBy, after: $after) { nodes { id } pageInfo { hasNextPage endCursor count } } } }`;

  async function walk(vars: Record<string, unknown>): Promise<{ ids: string[]; pages: number; cursors: string[] }> {
    const ids: string[] = [];
    const cursors: string[] = [];
    let after: string | null = null;
    for (let pages = 1; pages < 100; pages++) {
      const res: Page = await c.data(query, { first: 200, ...vars, after });
      ids.push(...res.crm.deals.nodes.map((n) => n.id));
      expect(res.crm.deals.pageInfo.count).toBe(res.crm.deals.nodes.length);
      if (!res.crm.deals.pageInfo.hasNextPage) return { ids, pages, cursors };
      after = res.crm.deals.pageInfo.endCursor;
      cursors.push(after!);
    }
    throw new Error('cursor never ended');
  }

  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { deals: DEALS } } });
    await connectTyped(h, 'acme');
    c = await typedClient(h, 'acme');
  });
  afterAll(() => h?.close());

  it('walks every Deal exactly once past 2,000 without where/orderBy (list API: page numbers, then page tokens)', async () => {
    h.us.resetCalls();
    const { ids, pages } = await walk({});
    expect(ids).toHaveLength(DEALS);
    expect(new Set(ids)).toEqual(new Set(h.us.ctx.records('Deals').keys()));
    expect(pages).toBe(Math.ceil(DEALS / 200));
    const lists = h.us.calls.filter((x) => x.route === 'GET /crm/v8/:module').map((x) => new URLSearchParams(x.query));
    expect(lists).toHaveLength(pages);
    expect(lists.filter((p) => p.has('page')).length).toBe(10);
    expect(lists.filter((p) => p.has('page_token')).length).toBe(pages - 10);
    expect(h.us.count('POST /crm/v8/coql')).toBe(0);
  });

  it('walks every matching Deal exactly once past 2,000 with a where (COQL offsets), in the order asked', async () => {
    h.us.resetCalls();
    const stored = [...h.us.ctx.records('Deals').values()];
    const { ids, pages } = await walk({ where: { amount: { gte: 0 } }, orderBy: [{ amount: 'ASC' }] });
    expect(ids).toHaveLength(DEALS);
    expect(new Set(ids).size).toBe(DEALS);
    const want = stored.sort((x, y) => (x.Amount as number) - (y.Amount as number) || (BigInt(x.id) < BigInt(y.id) ? -1 : 1)).map((d) => d.id);
    expect(ids).toEqual(want);
    expect(h.us.count('POST /crm/v8/coql')).toBe(pages);
    expect(h.us.count('GET /crm/v8/:module')).toBe(0);
  });

  it('refuses a cursor made for another where, another module or the unfiltered list (BAD_USER_INPUT, no Zoho call)', async () => {
    const filtered = await c.data<Page>(query, { first: 5, where: { stage: { eq: 'Closed Won' } } });
    const plain = await c.data<Page>(query, { first: 5 });
    const fromFiltered = filtered.crm.deals.pageInfo.endCursor!;
    const fromPlain = plain.crm.deals.pageInfo.endCursor!;
    // The same where keeps working with its cursor.
    expect((await c.run(query, { first: 5, where: { stage: { eq: 'Closed Won' } }, after: fromFiltered })).errors).toBeUndefined();
    const attempts: [string, Record<string, unknown>][] = [
      ['another where', { first: 5, where: { stage: { eq: 'Closed Lost' } }, after: fromFiltered }],
      ['an orderBy added', { first: 5, where: { stage: { eq: 'Closed Won' } }, orderBy: [{ amount: 'DESC' }], after: fromFiltered }],
      ['a where cursor on the unfiltered list', { first: 5, after: fromFiltered }],
      ['a list cursor with a where', { first: 5, where: { stage: { eq: 'Closed Won' } }, after: fromPlain }],
    ];
    for (const [what, vars] of attempts) {
      h.us.resetCalls();
      const res = await c.run(query, vars);
      expect(res.errors?.[0]?.extensions, what).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
      expect(res.extensions.zoho?.calls, what).toBe(0);
      expect(h.us.count(), what).toBe(0);
    }
    h.us.resetCalls();
    const visits = await c.run('query($after: String) { crm { fieldVisits(where: { followUp: { eq: true } }, after: $after) { nodes { id } } } }', { after: fromFiltered });
    expect(visits.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(h.us.count()).toBe(0);
  });

  it('refuses first 0 or 201, a garbage after and an invalid id with BAD_USER_INPUT and no Zoho call', async () => {
    const cases: [string, string, Record<string, unknown>][] = [
      ['first: 0', query, { first: 0 }],
      ['first: 201', query, { first: 201 }],
      ['first: 201 with a where', query, { first: 201, where: { amount: { gt: 1 } } }],
      ['first: -1', query, { first: -1 }],
      ['garbage after', query, { after: 'not-a-cursor' }],
      ['garbage after with a where', query, { where: { amount: { gt: 1 } }, after: 'bm90IGEgY3Vyc29y' }],
      ['invalid id', 'query($id: ID!) { crm { deal(id: $id) { id } } }', { id: 'abc' }],
      ['id with quote', 'query($id: ID!) { crm { deal(id: $id) { id } } }', { id: "1' or '1'='1" }],
      ['id of 20 digits', 'query($id: ID!) { crm { fieldVisit(id: $id) { id } } }', { id: '12345678901234567890' }],
      ['invalid id in a filter', query, { where: { accountNameId: { eq: 'abc' } } }],
      ['a day that does not exist', query, { where: { goLiveDate: { eq: '2026-02-30' } } }],
      ['a DateTime that is not one', query, { where: { createdTime: { gt: 'yesterday' } } }],
      ['startsWith with COQL’s wildcard', query, { where: { dealName: { startsWith: '%' } } }],
      ['a backslash', query, { where: { dealName: { eq: 'a\\' } } }],
      ['an empty in', query, { where: { stage: { in: [] } } }],
      ['101 values in one in', query, { where: { Lead_Score: { in: Array.from({ length: 101 }, (_, i) => i) } } }],
      ['an empty or', query, { where: { or: [] } }],
      ['two keys in one orderBy entry', query, { orderBy: [{ amount: 'DESC', stage: 'ASC' }] }],
      [
        'ten orderBy fields',
        query,
        { orderBy: ['amount', 'stage', 'dealName', 'closingDate', 'goLiveDate', 'budgetUsd', 'winChance', 'Lead_Score', 'LeadScore', 'probability'].map((f) => ({ [f]: 'ASC' })) },
      ],
    ];
    for (const [what, q, vars] of cases) {
      h.us.resetCalls();
      const res = await c.run(q, vars);
      expect(res.errors?.[0]?.extensions?.code, what).toBe('BAD_USER_INPUT');
      expect(res.extensions.zoho?.calls ?? 0, what).toBe(0);
      expect(h.us.count(), what).toBe(0);
    }
  });

  it('ends a walk on a full last page without an extra empty page, in both paths', async () => {
    const visits = h.us.ctx.records('Field_Visits');
    const followUps = [...visits.values()].filter((v) => v.Follow_Up === true).length;
    const q = `query($first: Int!, $after: String, $where: FieldVisit_Filter) { crm { fieldVisits(first: $first, after: $after, where: $where) { nodes { id } pageInfo { hasNextPage endCursor } } } }`;
    for (const [where, total, size] of [
      [null, visits.size, visits.size / 2],
      [{ followUp: { eq: true } }, followUps, followUps],
    ] as const) {
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const res: { crm: { fieldVisits: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } } = await c.data(q, { first: size, after, where });
        pages++;
        seen.push(...res.crm.fieldVisits.nodes.map((n) => n.id));
        if (!res.crm.fieldVisits.pageInfo.hasNextPage) break;
        after = res.crm.fieldVisits.pageInfo.endCursor;
      }
      expect(seen.length, JSON.stringify(where)).toBe(total);
      expect(new Set(seen).size).toBe(total);
      expect(pages, JSON.stringify(where)).toBe(total / size);
    }
  });

  it('answers an empty page for a where that matches nothing, and 50 records when first is not given', async () => {
    h.us.resetCalls();
    const none = await c.data<Page>(query, { first: null, where: { amount: { lt: -1 } } });
    expect(none.crm.deals).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null, count: 0 } });
    const dflt = await c.data<Page>('{ crm { deals { nodes { id } pageInfo { hasNextPage endCursor count } } } }');
    expect(dflt.crm.deals.nodes).toHaveLength(50);
    expect(dflt.crm.deals.pageInfo.hasNextPage).toBe(true);
  });

  describe('Zoho calls when following lookups and owners', () => {
    const typed = `query($where: Deal_Filter) { crm { deals(first: 200, where: $where) { nodes { id owner { email } accountName { accountName } } } } }`;
    const generic = `{ records(module: "Deals", first: 200) { nodes { id owner { email } account: lookup(field: "Account_Name") { field(name: "Account_Name") } } } }`;

    beforeAll(async () => {
      // Warm the gateway's metadata cache (the generic API reads Deals' fields to follow a lookup),
      // as a running gateway has it: the figures below are per query.
      await c.data(generic);
      await c.data(typed);
    });

    it('200 Deals with owner email and account name: the list path costs what the generic API costs, the lower bound', async () => {
      const stored = h.us.ctx.records('Deals');
      const accounts = h.us.ctx.records('Accounts');
      h.us.resetCalls();
      const t = await c.run<{ crm: { deals: { nodes: { id: string; owner: { email: string }; accountName: { accountName: string } | null }[] } } }>(typed);
      const typedCalls = h.us.count();
      h.us.resetCalls();
      const g = await c.run<{ records: { nodes: { id: string; owner: { email: string }; account: { field: string } | null }[] } }>(generic);
      const genericCalls = h.us.count();

      const nodes = t.data!.crm.deals.nodes;
      expect(nodes).toHaveLength(200);
      for (const n of nodes) {
        const d = stored.get(n.id)!;
        expect(n.owner.email).toBe((d.Owner as { email: string }).email);
        expect(n.accountName?.accountName ?? null).toBe(d.Account_Name ? accounts.get((d.Account_Name as { id: string }).id)!.Account_Name : null);
      }
      expect(g.data!.records.nodes.map((n) => [n.id, n.owner.email, n.account?.field ?? null])).toEqual(nodes.map((n) => [n.id, n.owner.email, n.accountName?.accountName ?? null]));

      const distinctAccounts = new Set(nodes.map((n) => (stored.get(n.id)!.Account_Name as { id: string } | null)?.id).filter(Boolean)).size;
      expect(distinctAccounts).toBeGreaterThan(100);
      const lowerBound = 1 + Math.ceil(distinctAccounts / 100);
      expect(typedCalls).toBe(lowerBound);
      expect(t.extensions.zoho?.calls).toBe(lowerBound);
      expect(genericCalls).toBe(lowerBound);
      expect(g.extensions.zoho?.calls).toBe(lowerBound);
    });

    it('the COQL path (with a where): one query, accounts by 100, owners’ emails by 100 (COQL rows carry no email)', async () => {
      const stored = h.us.ctx.records('Deals');
      const users = new Map(h.us.ctx.data.users.map((u) => [u.id, u]));
      h.us.resetCalls();
      const t = await c.run<{ crm: { deals: { nodes: { id: string; owner: { email: string }; accountName: { accountName: string } | null }[] } } }>(typed, { where: { amount: { gt: 1000 } } });
      expect(t.errors).toBeUndefined();
      const nodes = t.data!.crm.deals.nodes;
      expect(nodes).toHaveLength(200);
      for (const n of nodes) expect(n.owner.email).toBe(users.get((stored.get(n.id)!.Owner as { id: string }).id)!.email);
      const distinctAccounts = new Set(nodes.map((n) => (stored.get(n.id)!.Account_Name as { id: string } | null)?.id).filter(Boolean)).size;
      const distinctOwners = new Set(nodes.map((n) => (stored.get(n.id)!.Owner as { id: string }).id)).size;
      const lowerBound = 1 + Math.ceil(distinctAccounts / 100) + Math.ceil(distinctOwners / 100);
      expect(h.us.count('POST /crm/v8/coql')).toBe(1);
      expect(h.us.count()).toBe(lowerBound);
      expect(t.extensions.zoho?.calls).toBe(lowerBound);
    });
  });
});
