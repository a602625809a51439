import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZRecord } from '../../src/emulator/seed.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { connectTyped, fieldsOf, typedClient, type TypedClient } from './typed-client.js';

/**
 * Typed reads against the real gateway and the emulator's demo org: every value kind of Deals and
 * of the custom module Field_Visits, compared with the records the emulator stores.
 */

interface UserRef {
  id: string;
  name: string;
  email?: string;
}

const DEAL_FIELDS = `id dealName stage amount probability closingDate goLiveDate isStrategic regions winChance budgetUsd dealCode
  Lead_Score LeadScore weightedAmount approvedDiscount createdTime modifiedTime accountNameId ownerId
  owner { id fullName email } lineItems { id productName quantity unitPrice }`;

/** What the typed API promises for a stored Deal: each value in its GraphQL type, DateTime as ISO UTC. */
function expectedDeal(d: ZRecord): Record<string, unknown> {
  const owner = d.Owner as UserRef;
  const rows = (d.Line_Items as { id: string; Product_Name: string; Quantity: number; Unit_Price: number }[] | null) ?? [];
  return {
    id: d.id,
    dealName: d.Deal_Name,
    stage: d.Stage,
    amount: d.Amount,
    probability: d.Probability,
    closingDate: d.Closing_Date,
    goLiveDate: d.Go_Live_Date ?? null,
    isStrategic: d.Is_Strategic,
    regions: d.Regions,
    winChance: d.Win_Chance,
    budgetUsd: d.Budget_USD,
    dealCode: d.Deal_Code,
    Lead_Score: d.Lead_Score,
    LeadScore: d.LeadScore,
    weightedAmount: d.Weighted_Amount ?? null,
    approvedDiscount: d.Approved_Discount,
    createdTime: new Date(String(d.Created_Time)).toISOString(),
    modifiedTime: new Date(String(d.Modified_Time)).toISOString(),
    accountNameId: (d.Account_Name as { id: string } | null)?.id ?? null,
    ownerId: owner.id,
    owner: { id: owner.id, fullName: owner.name, email: owner.email },
    lineItems: rows.map((r) => ({ id: r.id, productName: r.Product_Name, quantity: r.Quantity, unitPrice: r.Unit_Price })),
  };
}

const sortById = <T extends Record<string, unknown>>(xs: T[]) => [...xs].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));

describe('typed reads (demo org)', () => {
  let h: Harness;
  let c: TypedClient;
  beforeAll(async () => {
    h = await startHarness();
    await connectTyped(h, 'acme');
    c = await typedClient(h, 'acme');
  });
  afterAll(() => h?.close());

  it('reads every value kind of 200 Deals as the emulator stores them, owners’ emails without a users call', async () => {
    h.us.resetCalls();
    const res = await c.run<{ crm: { deals: { nodes: Record<string, unknown>[] } } }>(`{ crm { deals(first: 200) { nodes { ${DEAL_FIELDS} } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.crm.deals.nodes;
    expect(nodes).toHaveLength(200);
    const stored = h.us.ctx.records('Deals');
    for (const n of nodes) expect(n).toEqual(expectedDeal(stored.get(String(n.id))!));
    // The page holds each kind's interesting cases, so the comparison above covered them.
    expect(nodes.some((n) => (n.lineItems as unknown[]).length > 0)).toBe(true);
    expect(nodes.some((n) => n.goLiveDate === null)).toBe(true);
    expect(nodes.some((n) => (n.regions as unknown[]).length > 1)).toBe(true);
    expect(nodes.some((n) => n.isStrategic === true) && nodes.some((n) => n.isStrategic === false)).toBe(true);
    expect(nodes.some((n) => !Number.isInteger(n.winChance))).toBe(true);
    // Owner id/name/email come embedded in the record: one list call, no users call.
    expect(h.us.count('GET /crm/v8/users')).toBe(0);
    expect(h.us.count()).toBe(1);
    expect(res.extensions.zoho?.calls).toBe(1);
  });

  it('reads every value kind the same through the COQL path (a where) as through the list path', async () => {
    const stored = h.us.ctx.records('Deals');
    const where = { amount: { gte: 0 } };
    h.us.resetCalls();
    const res = await c.run<{ crm: { deals: { nodes: Record<string, unknown>[] } } }>(
      `query($where: Deal_Filter) { crm { deals(first: 200, where: $where, orderBy: [{ amount: DESC }]) { nodes { ${DEAL_FIELDS} } } } }`,
      { where },
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.crm.deals.nodes;
    expect(nodes).toHaveLength(200);
    for (const n of nodes) expect(n).toEqual(expectedDeal(stored.get(String(n.id))!));
    expect(nodes.some((n) => (n.lineItems as unknown[]).length > 0)).toBe(true);
    // COQL selects no subform and names owners by last name only: one query, the rows' subforms
    // by id (100 per call), the owners' names from the users directory (100 per call).
    expect(h.us.count('POST /crm/v8/coql')).toBe(1);
    expect(h.us.count('GET /crm/v8/:module')).toBe(2);
    expect(h.us.count('GET /crm/v8/users')).toBe(1);
    expect(res.extensions.zoho?.calls).toBe(4);
  });

  it('gives a lookup’s raw id without a Zoho call and the looked-up record as its typed target', async () => {
    h.us.resetCalls();
    const ids = await c.run<{ crm: { deals: { nodes: { id: string; accountNameId: string | null; contactNameId: string | null }[] } } }>(
      '{ crm { deals(first: 100) { nodes { id accountNameId contactNameId } } } }',
    );
    expect(ids.extensions.zoho?.calls).toBe(1);
    const stored = h.us.ctx.records('Deals');
    for (const n of ids.data!.crm.deals.nodes) {
      const d = stored.get(n.id)!;
      expect(n.accountNameId).toBe((d.Account_Name as { id: string } | null)?.id ?? null);
      expect(n.contactNameId).toBe((d.Contact_Name as { id: string } | null)?.id ?? null);
    }

    const deal = [...stored.values()].find((d) => d.Account_Name)!;
    const account = h.us.ctx.records('Accounts').get((deal.Account_Name as { id: string }).id)!;
    const one = await c.data<{ crm: { deal: { accountName: { __typename: string; id: string; accountName: string; industry: string | null } } } }>(
      'query($id: ID!) { crm { deal(id: $id) { accountName { __typename id accountName industry } } } }',
      { id: deal.id },
    );
    expect(one.crm.deal.accountName).toEqual({ __typename: 'Account', id: account.id, accountName: account.Account_Name, industry: account.Industry ?? null });
  });

  it('reads one Deal by id with the same values as the list, and null for an id that does not exist', async () => {
    const stored = [...h.us.ctx.records('Deals').values()];
    const withRows = stored.find((d) => (d.Line_Items as unknown[]).length > 1)!;
    let missing = withRows.id;
    for (let n = 1n; h.us.ctx.records('Deals').has(missing); n++) missing = String(BigInt(withRows.id) + 100_000n * n);
    expect(h.us.ctx.records('Deals').has(missing)).toBe(false);
    const res = await c.data<{ crm: { a: Record<string, unknown>; b: null } }>(`query($a: ID!, $b: ID!) { crm { a: deal(id: $a) { ${DEAL_FIELDS} } b: deal(id: $b) { id } } }`, {
      a: withRows.id,
      b: missing,
    });
    expect(res.crm.a).toEqual(expectedDeal(withRows));
    expect(res.crm.b).toBeNull();
  });

  it('batches several one-record reads of an operation into one Zoho call', async () => {
    const ids = [...h.us.ctx.records('Deals').keys()].slice(100, 105);
    h.us.resetCalls();
    const q = `{ crm { ${ids.map((id, i) => `d${i}: deal(id: "${id}") { id dealName }`).join(' ')} } }`;
    const res = await c.run<{ crm: Record<string, { id: string; dealName: string }> }>(q);
    expect(ids.map((_, i) => res.data!.crm[`d${i}`]!.id)).toEqual(ids);
    expect(ids.map((_, i) => res.data!.crm[`d${i}`]!.dealName)).toEqual(ids.map((id) => h.us.ctx.records('Deals').get(id)!.Deal_Name));
    expect(h.us.count()).toBe(1);
    expect(new URLSearchParams(h.us.calls[0]!.query).get('ids')!.split(',').sort()).toEqual([...ids].sort());
  });

  it('types each kind as the metadata says: formula by its return type, autonumber String, multiselect [String!], subform rows', async () => {
    const { __type } = await c.data<{
      __type: { fields: { name: string; type: { kind: string; name: string | null; ofType: { kind: string; name: string | null; ofType: { name: string | null } | null } | null } }[] };
    }>('{ __type(name: "Deal") { fields { name type { kind name ofType { kind name ofType { name } } } } } }');
    const typeOf = (name: string) => {
      const t = __type.fields.find((f) => f.name === name)?.type;
      if (!t) return null;
      if (t.kind === 'LIST') return `[${t.ofType!.ofType?.name ?? t.ofType!.name}${t.ofType!.kind === 'NON_NULL' ? '!' : ''}]`;
      return t.kind === 'NON_NULL' ? `${t.ofType!.name}!` : t.name;
    };
    expect(
      Object.fromEntries(
        [
          'id',
          'dealName',
          'probability',
          'amount',
          'winChance',
          'budgetUsd',
          'isStrategic',
          'goLiveDate',
          'createdTime',
          'regions',
          'dealCode',
          'weightedAmount',
          'accountName',
          'accountNameId',
          'owner',
          'lineItems',
          'Lead_Score',
        ].map((n) => [n, typeOf(n)]),
      ),
    ).toEqual({
      id: 'ID!',
      dealName: 'String',
      probability: 'Int',
      amount: 'Float',
      winChance: 'Float',
      budgetUsd: 'Float',
      isStrategic: 'Boolean',
      goLiveDate: 'Date',
      createdTime: 'DateTime',
      regions: '[String!]',
      dealCode: 'String',
      weightedAmount: 'Float',
      accountName: 'Account',
      accountNameId: 'ID',
      owner: 'User',
      lineItems: '[Deal_LineItemsRow!]',
      Lead_Score: 'Int',
    });
  });

  it('keeps both fields of a camelCase collision under their api names and gives neither `leadScore`', async () => {
    const fields = await fieldsOf(c, 'Deal');
    expect(fields).toEqual(expect.arrayContaining(['Lead_Score', 'LeadScore']));
    expect(fields).not.toContain('leadScore');
    expect(await fieldsOf(c, 'Deal_Filter')).toEqual(expect.arrayContaining(['Lead_Score', 'LeadScore']));
    const res = await c.run('{ crm { deals(first: 1) { nodes { leadScore } } } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toContain('leadScore');
  });

  it('leaves a field hidden from the connection’s profile out of every type and out of every Zoho read', async () => {
    for (const type of ['Deal', 'Deal_Filter', 'Deal_OrderBy', 'Deal_CreateInput', 'Deal_UpdateInput']) {
      const fields = await fieldsOf(c, type);
      expect(fields, type).not.toBeNull();
      expect(
        fields!.filter((f) => /internal_?margin/i.test(f)),
        type,
      ).toEqual([]);
    }
    // The emulator does hold a value for every Deal: the field exists, only this profile cannot see it.
    expect([...h.us.ctx.records('Deals').values()].every((d) => typeof d.Internal_Margin === 'number')).toBe(true);
    const res = await c.run('{ crm { deals(first: 5) { nodes { internalMargin } } } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    h.us.resetCalls();
    await c.data(`{ crm { deals(first: 5) { nodes { ${DEAL_FIELDS} } } filtered: deals(first: 5, where: { amount: { gt: 0 } }) { nodes { ${DEAL_FIELDS} } } } }`);
    expect(h.us.calls.length).toBeGreaterThan(0);
    for (const call of h.us.calls) expect(decodeURIComponent(call.query)).not.toContain('Internal_Margin');
  });

  it('reads a field that is read-only for the profile but keeps it out of the create and update inputs', async () => {
    expect(await fieldsOf(c, 'Deal')).toContain('approvedDiscount');
    const create = (await fieldsOf(c, 'Deal_CreateInput'))!;
    const update = (await fieldsOf(c, 'Deal_UpdateInput'))!;
    for (const inputs of [create, update]) {
      expect(inputs).not.toContain('approvedDiscount');
      // Always read-only: formula and autonumber are readable only.
      expect(inputs).not.toContain('weightedAmount');
      expect(inputs).not.toContain('dealCode');
      // Writable custom fields of the same kinds are there.
      expect(inputs).toEqual(expect.arrayContaining(['budgetUsd', 'winChance', 'regions', 'goLiveDate', 'accountNameId', 'ownerId', 'lineItems']));
    }
    expect(update).toContain('id');
  });

  it('types the custom module Field_Visits as FieldVisit: list, one by id, lookup to Account and a user lookup', async () => {
    const stored = h.us.ctx.records('Field_Visits');
    const users = new Map(h.us.ctx.data.users.map((u) => [u.id, u]));
    const accounts = h.us.ctx.records('Accounts');
    h.us.resetCalls();
    const res = await c.run<{ crm: { fieldVisits: { nodes: Record<string, unknown>[]; pageInfo: { hasNextPage: boolean } } } }>(
      '{ crm { fieldVisits(first: 200) { nodes { __typename id name visitDate outcome durationHours followUp accountId account { accountName } visitedById visitedBy { id fullName email } } pageInfo { hasNextPage } } } }',
    );
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.crm.fieldVisits.nodes;
    expect(nodes).toHaveLength(stored.size);
    expect(res.data!.crm.fieldVisits.pageInfo.hasNextPage).toBe(false);
    for (const n of nodes) {
      const v = stored.get(String(n.id))!;
      const visitor = v.Visited_By as UserRef;
      const account = v.Account as { id: string } | null;
      expect(n).toEqual({
        __typename: 'FieldVisit',
        id: v.id,
        name: v.Name,
        visitDate: new Date(String(v.Visit_Date)).toISOString(),
        outcome: v.Outcome,
        durationHours: v.Duration_Hours,
        followUp: v.Follow_Up,
        accountId: account?.id ?? null,
        account: account ? { accountName: accounts.get(account.id)!.Account_Name } : null,
        visitedById: visitor.id,
        // A user lookup embeds {name, id} only: the email is the user's, from the users loader.
        visitedBy: { id: visitor.id, fullName: visitor.name, email: users.get(visitor.id)!.email },
      });
    }
    const distinctAccounts = new Set(nodes.map((n) => n.accountId).filter(Boolean)).size;
    const distinctVisitors = new Set(nodes.map((n) => n.visitedById)).size;
    expect(res.extensions.zoho?.calls).toBe(1 + Math.ceil(distinctAccounts / 100) + Math.ceil(distinctVisitors / 100));

    // The same through COQL (a where): the user lookup's name is the user's full name there too.
    const viaCoql = await c.data<{ crm: { fieldVisits: { nodes: Record<string, unknown>[] } } }>(
      '{ crm { fieldVisits(first: 200, where: { followUp: { eq: true } }) { nodes { __typename id name visitDate outcome durationHours followUp accountId account { accountName } visitedById visitedBy { id fullName email } } } } }',
    );
    const followUps = nodes.filter((n) => n.followUp === true);
    expect(followUps.length).toBeGreaterThan(0);
    expect(sortById(viaCoql.crm.fieldVisits.nodes)).toEqual(sortById(followUps));

    const one = [...stored.values()][7]!;
    const got = await c.data<{ crm: { fieldVisit: { id: string; name: string; followUp: boolean } } }>('query($id: ID!) { crm { fieldVisit(id: $id) { id name followUp } } }', { id: one.id });
    expect(got.crm.fieldVisit).toEqual({ id: one.id, name: one.Name, followUp: one.Follow_Up });
  });

  it('answers null (no error) for a lookup whose record was deleted, keeping its raw id', async () => {
    const deal = [...h.us.ctx.records('Deals').values()].find((d) => d.Account_Name)!;
    const accountId = (deal.Account_Name as { id: string }).id;
    const accounts = h.us.ctx.records('Accounts');
    const account = accounts.get(accountId)!;
    accounts.delete(accountId);
    try {
      const res = await c.run<{ crm: { deal: { accountNameId: string; accountName: unknown } } }>('query($id: ID!) { crm { deal(id: $id) { accountNameId accountName { accountName } } } }', {
        id: deal.id,
      });
      expect(res.errors).toBeUndefined();
      expect(res.data!.crm.deal).toEqual({ accountNameId: accountId, accountName: null });
    } finally {
      accounts.set(accountId, account);
    }
  });

  it('names a module added to the org after its api name (Sales_Orders → SalesOrder, salesOrders, salesOrder)', async () => {
    h.us.metadata.addModule(
      { api_name: 'Sales_Orders', singular_label: 'Sales Order', plural_label: 'Sales Orders', fields: [{ api_name: 'Order_Total', field_label: 'Order Total', data_type: 'currency', custom: true }] },
      { records: 3 },
    );
    const before = await fieldsOf(c, 'SalesOrder');
    expect(before).toBeNull();
    const { refreshSchema } = await c.data<{ refreshSchema: { changed: boolean } }>('mutation { refreshSchema { hash changed } }');
    expect(refreshSchema.changed).toBe(true);
    expect(await fieldsOf(c, 'SalesOrder')).toEqual(expect.arrayContaining(['id', 'name', 'orderTotal', 'owner']));
    const stored = h.us.ctx.records('Sales_Orders');
    const res = await c.data<{ crm: { salesOrders: { nodes: { id: string; name: string; orderTotal: number }[] }; salesOrder: { name: string } } }>(
      'query($id: ID!) { crm { salesOrders { nodes { id name orderTotal } } salesOrder(id: $id) { name } } }',
      { id: [...stored.keys()][1]! },
    );
    expect(res.crm.salesOrders.nodes.map((n) => n.id).sort()).toEqual([...stored.keys()].sort());
    for (const n of res.crm.salesOrders.nodes) expect([n.name, n.orderTotal]).toEqual([stored.get(n.id)!.Name, stored.get(n.id)!.Order_Total]);
    expect(res.crm.salesOrder.name).toBe([...stored.values()][1]!.Name);
    expect(await fieldsOf(c, 'Deal')).not.toBeNull();
  });
});
