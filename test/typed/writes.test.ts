import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallRecord } from '../../src/emulator/emulator.js';
import type { ZRecord } from '../../src/records/fields.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codes, connectTyped, gql, ok, typeFields } from './typed-harness.js';

/**
 * Typed writes (createDeals, updateDeals, upsertDeals, deleteDeals and a custom module's) against
 * the real gateway and the emulator: what the inputs accept, one result per input in input order,
 * what Zoho stored, how many Zoho calls a write costs, and the scopes each one needs.
 */

interface Result<R = Record<string, unknown>> {
  index: number;
  status: string;
  code: string;
  message: string;
  id: string | null;
  details?: Record<string, unknown> | null;
  action?: string | null;
  record: R | null;
}

const isWrite = (module: string) => (c: CallRecord) => c.path === `/crm/v8/${module}` && c.method !== 'GET';
const upsertCalls = (c: CallRecord) => c.path === '/crm/v8/Deals/upsert';
/** Read-backs: `GET /Deals?ids=…` (the records loader). */
const readBack = (module: string) => (c: CallRecord) => c.method === 'GET' && c.path === `/crm/v8/${module}` && c.query.includes('ids=');
const metadataCalls = (c: CallRecord) => c.path.startsWith('/crm/v8/settings/');

describe('typed writes', () => {
  let h: Harness;
  let token: string;
  let deals: Map<string, ZRecord>;
  let accountId: string;
  let userId: string;

  beforeAll(async () => {
    h = await startHarness();
    token = await connectTyped(h, 'acme');
    deals = h.us.ctx.records('Deals');
    accountId = [...h.us.ctx.records('Accounts').keys()][0]!;
    userId = h.us.ctx.data.users.filter((u) => u.status === 'active')[1]!.id;
  });
  afterAll(() => h.close());
  beforeEach(() => h.us.resetCalls());

  it('create inputs: non-null exactly where Zoho marks a field mandatory; update inputs all optional; read-only fields absent; lookups and owner by raw id', async () => {
    const create = await typeFields(h, token, 'Deal_CreateInput');
    const update = await typeFields(h, token, 'Deal_UpdateInput');
    const zohoDeals = h.us.metadata.modules.find((m) => m.api_name === 'Deals')!;
    const mandatory = zohoDeals.fields
      .filter((f) => f.mandatory && !f.readOnly)
      .map((f) => f.api_name)
      .sort();
    expect(mandatory).toEqual(['Deal_Name', 'Stage']);
    expect(
      Object.entries(create)
        .filter(([, t]) => t.endsWith('!'))
        .map(([n]) => n)
        .sort(),
    ).toEqual(['dealName', 'stage']);
    expect(create).toMatchObject({
      dealName: 'String!',
      stage: 'String!',
      amount: 'Float',
      closingDate: 'Date',
      regions: '[String!]',
      accountNameId: 'ID',
      ownerId: 'ID',
      lineItems: '[Deal_LineItemsRowInput!]',
    });
    expect(Object.entries(update).filter(([, t]) => t.endsWith('!'))).toEqual([['id', 'ID!']]);
    expect(update).toMatchObject({ dealName: 'String', stage: 'String' });
    // formula, autonumber, read-only for the connection's profile, hidden from it, system times and users.
    for (const absent of ['weightedAmount', 'dealCode', 'approvedDiscount', 'internalMargin', 'createdTime', 'modifiedTime', 'createdBy', 'createdById', 'accountName', 'owner']) {
      expect(create).not.toHaveProperty(absent);
      expect(update).not.toHaveProperty(absent);
    }
    // Read-only fields stay readable on the type; the hidden one does not exist for this profile.
    const deal = await typeFields(h, token, 'Deal');
    expect(deal).toMatchObject({ weightedAmount: 'Float', dealCode: 'String', approvedDiscount: 'Float', accountName: 'Account', accountNameId: 'ID', owner: 'User', ownerId: 'ID' });
    expect(deal).not.toHaveProperty('internalMargin');
    const visit = await typeFields(h, token, 'FieldVisit_CreateInput');
    expect(visit).toMatchObject({ name: 'String!', visitDate: 'DateTime', accountId: 'ID', visitedById: 'ID', ownerId: 'ID' });
  });

  it('createDeals: one result per input in input order, partial success, every field kind stored as Zoho takes it, records read back in one batched call', async () => {
    const before = deals.size;
    const stale = vi.spyOn(h.app.typed, 'markStale');
    const input = [
      {
        dealName: 'Typed A',
        stage: 'Qualification',
        amount: 1200.5,
        closingDate: '2026-03-31',
        accountNameId: accountId,
        ownerId: userId,
        regions: ['EMEA', 'APAC'],
        isStrategic: true,
        Lead_Score: 7,
        lineItems: [{ productName: 'Seats', quantity: 3, unitPrice: 10 }],
      },
      // Zoho refuses this one (Deal_Name is at most 120 characters): the others are written.
      { dealName: 'x'.repeat(121), stage: 'Qualification' },
      { dealName: 'Typed C', stage: 'Negotiation/Review' },
    ];
    const d = await ok<{
      createDeals: Result<{
        id: string;
        dealName: string;
        amount: number;
        closingDate: string;
        regions: string[];
        isStrategic: boolean;
        accountNameId: string;
        ownerId: string;
        owner: { id: string };
        lineItems: { id: string; productName: string; quantity: number }[];
      }>[];
    }>(
      h,
      token,
      `mutation($input: [Deal_CreateInput!]!) { createDeals(input: $input) { index status code message id details
         record { id dealName amount closingDate regions isStrategic accountNameId ownerId owner { id } lineItems { id productName quantity } } } }`,
      { input },
    );
    const r = d.createDeals;
    expect(r.map((x) => [x.index, x.status, x.code])).toEqual([
      [0, 'success', 'SUCCESS'],
      [1, 'error', 'INVALID_DATA'],
      [2, 'success', 'SUCCESS'],
    ]);
    expect(r[1]).toMatchObject({ id: null, record: null, details: { api_name: 'Deal_Name' } });
    expect(deals.size).toBe(before + 2);

    const stored = deals.get(r[0]!.id!)!;
    expect(stored).toMatchObject({ Deal_Name: 'Typed A', Stage: 'Qualification', Amount: 1200.5, Closing_Date: '2026-03-31', Regions: ['EMEA', 'APAC'], Is_Strategic: true, Lead_Score: 7 });
    expect((stored.Account_Name as { id: string }).id).toBe(accountId);
    expect((stored.Owner as { id: string }).id).toBe(userId);
    expect(stored.Line_Items).toMatchObject([{ Product_Name: 'Seats', Quantity: 3, Unit_Price: 10 }]);
    expect(deals.get(r[2]!.id!)).toMatchObject({ Deal_Name: 'Typed C', Stage: 'Negotiation/Review' });

    const rows = stored.Line_Items as { id: string }[];
    expect(r[0]!.record).toEqual({
      id: r[0]!.id,
      dealName: 'Typed A',
      amount: 1200.5,
      closingDate: '2026-03-31',
      regions: ['EMEA', 'APAC'],
      isStrategic: true,
      accountNameId: accountId,
      ownerId: userId,
      owner: { id: userId },
      lineItems: [{ id: rows[0]!.id, productName: 'Seats', quantity: 3 }],
    });
    expect(r[2]!.record).toMatchObject({ id: r[2]!.id, dealName: 'Typed C' });
    // One insert call; both successes read back in one call; a refused value is not a stale schema.
    expect(h.us.count(isWrite('Deals'))).toBe(1);
    expect(h.us.count(readBack('Deals'))).toBe(1);
    expect(stale).not.toHaveBeenCalled();
    stale.mockRestore();
    expect(h.us.count(metadataCalls)).toBe(0);
  });

  it('Zoho refusing a field as unknown (hidden from the profile since the build) starts a schema refresh', async () => {
    h.us.metadata.setFieldPermission('Deals', 'Budget_USD', 'Administrator', 'hidden');
    const stale = vi.spyOn(h.app.typed, 'markStale');
    try {
      const d = await ok<{ createDeals: Result[] }>(h, token, 'mutation { createDeals(input: [{ dealName: "Hidden", stage: "Qualification", budgetUsd: 5 }]) { status code details } }');
      expect(d.createDeals[0]).toMatchObject({ status: 'error', code: 'INVALID_DATA', details: { api_name: 'Budget_USD' } });
      expect(stale).toHaveBeenCalledTimes(1);
    } finally {
      stale.mockRestore();
      h.us.metadata.setFieldPermission('Deals', 'Budget_USD', 'Administrator', 'read_write');
      await ok(h, token, 'mutation { refreshSchema { hash } }');
    }
  });

  it('a write without `record` selected reads nothing back', async () => {
    const d = await ok<{ createDeals: Result[] }>(h, token, 'mutation { createDeals(input: [{ dealName: "No read", stage: "Qualification" }]) { index status id } }');
    expect(d.createDeals).toEqual([{ index: 0, status: 'success', id: expect.any(String) }]);
    expect(h.us.count(isWrite('Deals'))).toBe(1);
    expect(h.us.count((c) => c.method === 'GET')).toBe(0);
  });

  it('250 inputs: exactly 3 sequential Zoho insert calls of 100, 100 and 50, then 3 read-back calls, results in input order', async () => {
    const before = deals.size;
    const input = Array.from({ length: 250 }, (_, i) => ({ dealName: `Bulk ${String(i).padStart(3, '0')}`, stage: 'Qualification', amount: i }));
    const d = await ok<{ createDeals: Result<{ dealName: string; amount: number }>[] }>(
      h,
      token,
      'mutation($input: [Deal_CreateInput!]!) { createDeals(input: $input) { index status id record { dealName amount } } }',
      { input },
    );
    expect(d.createDeals).toHaveLength(250);
    d.createDeals.forEach((r, i) => {
      expect(r).toMatchObject({ index: i, status: 'success', record: { dealName: input[i]!.dealName, amount: i } });
      expect(deals.get(r.id!)?.Deal_Name).toBe(input[i]!.dealName);
    });
    expect(deals.size).toBe(before + 250);
    const sequence = h.us.calls.filter((c) => isWrite('Deals')(c) || readBack('Deals')(c)).map((c) => `${c.method} ${c.query.includes('ids=') ? 'read' : 'write'}`);
    expect(sequence).toEqual(['POST write', 'POST write', 'POST write', 'GET read', 'GET read', 'GET read']);
    // 100 ids per read-back call.
    const idCounts = h.us.calls.filter(readBack('Deals')).map((c) => new URLSearchParams(c.query).get('ids')!.split(',').length);
    expect(idCounts.sort((a, b) => b - a)).toEqual([100, 100, 50]);
  });

  it('updateDeals, upsertDeals and deleteDeals of 150 go in Zoho calls of 100 and 50 too, one result per input in input order', async () => {
    const n = 150;
    const created = await ok<{ createDeals: Result[] }>(h, token, 'mutation($input: [Deal_CreateInput!]!) { createDeals(input: $input) { status id } }', {
      input: Array.from({ length: n }, (_, i) => ({ dealName: `Chunk ${String(i).padStart(3, '0')}`, stage: 'Qualification' })),
    });
    const ids = created.createDeals.map((r) => r.id!);
    expect(new Set(ids).size).toBe(n);

    h.us.resetCalls();
    const updated = await ok<{ updateDeals: Result[] }>(h, token, 'mutation($input: [Deal_UpdateInput!]!) { updateDeals(input: $input) { index status id } }', {
      input: ids.map((id, i) => ({ id, amount: 1000 + i })),
    });
    expect(updated.updateDeals.map((r) => [r.index, r.status, r.id])).toEqual(ids.map((id, i) => [i, 'success', id]));
    for (const [i, id] of ids.entries()) expect(deals.get(id)!.Amount).toBe(1000 + i);
    expect(h.us.calls.filter(isWrite('Deals')).map((c) => c.method)).toEqual(['PUT', 'PUT']);

    h.us.resetCalls();
    const upserted = await ok<{ upsertDeals: Result[] }>(
      h,
      token,
      'mutation($input: [Deal_CreateInput!]!) { upsertDeals(input: $input, duplicateCheckFields: ["dealName"]) { index status action id } }',
      { input: ids.map((_, i) => ({ dealName: `Chunk ${String(i).padStart(3, '0')}`, stage: 'Negotiation/Review' })) },
    );
    expect(upserted.upsertDeals.map((r) => [r.index, r.status, r.action, r.id])).toEqual(ids.map((id, i) => [i, 'success', 'update', id]));
    expect(ids.every((id) => deals.get(id)!.Stage === 'Negotiation/Review')).toBe(true);
    expect(h.us.count(upsertCalls)).toBe(2);

    h.us.resetCalls();
    const deleted = await ok<{ deleteDeals: Result[] }>(h, token, 'mutation($ids: [ID!]!) { deleteDeals(ids: $ids) { index status id } }', { ids });
    expect(deleted.deleteDeals.map((r) => [r.index, r.status, r.id])).toEqual(ids.map((id, i) => [i, 'success', id]));
    expect(ids.some((id) => deals.has(id))).toBe(false);
    const perCall = h.us.calls.filter(isWrite('Deals')).map((c) => [c.method, new URLSearchParams(c.query).get('ids')!.split(',').length]);
    expect(perCall).toEqual([
      ['DELETE', 100],
      ['DELETE', 50],
    ]);
  });

  it('updateDeals: all fields optional, only the given ones change, an unknown id is that index’s error', async () => {
    const [a, b] = [...deals.values()].filter((r) => typeof r.Deal_Name === 'string' && r.Deal_Name.startsWith('Bulk')).slice(0, 2);
    const stageOfA = a!.Stage;
    const d = await ok<{ updateDeals: Result<{ amount: number; stage: string; regions: string[] }>[] }>(
      h,
      token,
      'mutation($input: [Deal_UpdateInput!]!) { updateDeals(input: $input) { index status code id record { amount stage regions } } }',
      {
        input: [
          { id: a!.id, amount: 99.5, regions: ['AMER'] },
          { id: '9999999999999999999', amount: 1 },
          { id: b!.id, stage: 'Closed Won', closingDate: null },
        ],
      },
    );
    expect(d.updateDeals.map((r) => [r.index, r.status, r.code])).toEqual([
      [0, 'success', 'SUCCESS'],
      [1, 'error', 'INVALID_DATA'],
      [2, 'success', 'SUCCESS'],
    ]);
    expect(d.updateDeals[0]!.record).toEqual({ amount: 99.5, stage: stageOfA, regions: ['AMER'] });
    expect(deals.get(a!.id)).toMatchObject({ Amount: 99.5, Regions: ['AMER'], Stage: stageOfA, Deal_Name: a!.Deal_Name });
    expect(deals.get(b!.id)).toMatchObject({ Stage: 'Closed Won', Closing_Date: null });
  });

  it('subform rows: a row with an id is kept (and updated), one without is added, rows left out are removed', async () => {
    const created = await ok<{ createDeals: Result<{ lineItems: { id: string; productName: string }[] }>[] }>(
      h,
      token,
      'mutation { createDeals(input: [{ dealName: "Rows", stage: "Qualification", lineItems: [{ productName: "Keep", quantity: 1 }, { productName: "Drop", quantity: 2 }] }]) { id record { lineItems { id productName } } } }',
    );
    const id = created.createDeals[0]!.id!;
    const [keep, drop] = created.createDeals[0]!.record!.lineItems;
    expect([keep!.productName, drop!.productName]).toEqual(['Keep', 'Drop']);
    const d = await ok<{ updateDeals: Result<{ lineItems: { id: string; productName: string; quantity: number }[] }>[] }>(
      h,
      token,
      'mutation($input: [Deal_UpdateInput!]!) { updateDeals(input: $input) { status record { lineItems { id productName quantity } } } }',
      {
        input: [
          {
            id,
            lineItems: [
              { id: keep!.id, quantity: 5 },
              { productName: 'New', quantity: 9 },
            ],
          },
        ],
      },
    );
    const rows = d.updateDeals[0]!.record!.lineItems;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ id: keep!.id, productName: 'Keep', quantity: 5 });
    expect(rows[1]).toMatchObject({ productName: 'New', quantity: 9 });
    expect(rows.map((r) => r.id)).not.toContain(drop!.id);
    expect((deals.get(id)!.Line_Items as { id: string; Product_Name: string }[]).map((r) => r.Product_Name)).toEqual(['Keep', 'New']);
  });

  it('upsertDeals: duplicateCheckFields take the typed field name (budgetUsd → Budget_USD)', async () => {
    const seeded = await ok<{ createDeals: Result[] }>(h, token, 'mutation { createDeals(input: [{ dealName: "Upsert me", stage: "Qualification", budgetUsd: 777001 }]) { id } }');
    const existing = seeded.createDeals[0]!.id!;
    h.us.resetCalls();
    // Deals' default duplicate check field is Deal_Name: with it, the first input would insert.
    const d = await ok<{ upsertDeals: Result<{ dealName: string; budgetUsd: number }>[] }>(
      h,
      token,
      `mutation($input: [Deal_CreateInput!]!) { upsertDeals(input: $input, duplicateCheckFields: ["budgetUsd"]) { index status action id record { dealName budgetUsd } } }`,
      {
        input: [
          { dealName: 'Upserted', stage: 'Qualification', budgetUsd: 777001 },
          { dealName: 'Upsert new', stage: 'Qualification', budgetUsd: 777002 },
        ],
      },
    );
    expect(d.upsertDeals).toEqual([
      { index: 0, status: 'success', action: 'update', id: existing, record: { dealName: 'Upserted', budgetUsd: 777001 } },
      { index: 1, status: 'success', action: 'insert', id: expect.any(String), record: { dealName: 'Upsert new', budgetUsd: 777002 } },
    ]);
    expect(deals.get(existing)!.Deal_Name).toBe('Upserted');
    expect(h.us.count(upsertCalls)).toBe(1);

    const bad = await gql(h, token, 'mutation { upsertDeals(input: [{ dealName: "x", stage: "Qualification" }], duplicateCheckFields: ["noSuchField"]) { status } }');
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.message).toContain('noSuchField');
    expect(h.us.count(upsertCalls)).toBe(1);
  });

  it('deleteDeals: one result per id, an unknown id INVALID_DATA, the others deleted', async () => {
    const ids = [...deals.values()]
      .filter((r) => typeof r.Deal_Name === 'string' && r.Deal_Name.startsWith('Bulk'))
      .slice(0, 2)
      .map((r) => r.id);
    const unknown = '9999999999999999998';
    const d = await ok<{ deleteDeals: Result[] }>(h, token, 'mutation($ids: [ID!]!) { deleteDeals(ids: $ids) { index status code id record { id } } }', { ids: [ids[0], unknown, ids[1]] });
    expect(d.deleteDeals.map((r) => [r.index, r.status, r.code, r.record])).toEqual([
      [0, 'success', 'SUCCESS', null],
      [1, 'error', 'INVALID_DATA', null],
      [2, 'success', 'SUCCESS', null],
    ]);
    expect(d.deleteDeals[0]!.id).toBe(ids[0]);
    expect(deals.has(ids[0]!)).toBe(false);
    expect(deals.has(ids[1]!)).toBe(false);
    expect(h.us.count(isWrite('Deals'))).toBe(1);
  });

  it('a custom module’s typed create: DateTime, user lookup and lookup by raw id', async () => {
    const d = await ok<{ createFieldVisits: Result<{ name: string; visitDate: string; accountId: string; visitedById: string; durationHours: number }>[] }>(
      h,
      token,
      `mutation { createFieldVisits(input: [{ name: "Typed visit", visitDate: "2026-02-03T10:15:00Z", accountId: "${accountId}", visitedById: "${userId}", durationHours: 1.5 }]) {
         status id record { name visitDate accountId visitedById durationHours } } }`,
    );
    const r = d.createFieldVisits[0]!;
    expect(r.status).toBe('success');
    const stored = h.us.ctx.records('Field_Visits').get(r.id!)!;
    expect(stored).toMatchObject({ Name: 'Typed visit', Duration_Hours: 1.5, Account: { id: accountId }, Visited_By: { id: userId } });
    expect(Date.parse(stored.Visit_Date as string)).toBe(Date.parse('2026-02-03T10:15:00Z'));
    expect(r.record).toMatchObject({ name: 'Typed visit', accountId, visitedById: userId, durationHours: 1.5 });
    expect(Date.parse(r.record!.visitDate)).toBe(Date.parse('2026-02-03T10:15:00Z'));
  });

  it('a bad value for a typed input is refused by GraphQL before any Zoho call', async () => {
    const a = await gql(h, token, 'mutation { createDeals(input: [{ dealName: "Bad date", stage: "Qualification", closingDate: "31/03/2026" }]) { status } }');
    expect(a.errors?.length).toBeGreaterThan(0);
    const b = await gql(h, token, 'mutation { createDeals(input: [{ stage: "Qualification" }]) { status } }');
    expect(b.errors![0]!.message).toContain('dealName');
    const c = await gql(h, token, 'mutation { createDeals(input: [{ dealName: "RO", stage: "Qualification", weightedAmount: 1 }]) { status } }');
    expect(c.errors![0]!.message).toContain('weightedAmount');
    expect(h.us.count(isWrite('Deals'))).toBe(0);
  });

  describe('scopes', () => {
    it('records:write:Deals allows createDeals, not createFieldVisits (FORBIDDEN, nothing written)', async () => {
      const t = await h.token('acme', 'records:read records:write:Deals');
      const good = await gql<{ createDeals: Result[] }>(h, t, 'mutation { createDeals(input: [{ dealName: "Scoped", stage: "Qualification" }]) { status } }');
      expect(good.errors).toBeUndefined();
      expect(good.data!.createDeals[0]!.status).toBe('success');
      const visits = h.us.ctx.records('Field_Visits').size;
      const bad = await gql(h, t, 'mutation { createFieldVisits(input: [{ name: "No" }]) { status } }');
      expect(codes(bad)).toEqual(['FORBIDDEN']);
      expect(bad.errors![0]!.extensions).toMatchObject({ scope: 'records:write:Field_Visits' });
      expect(h.us.ctx.records('Field_Visits').size).toBe(visits);
      expect(h.us.count(isWrite('Field_Visits'))).toBe(0);
    });

    it('deleteDeals needs records:delete (records:write is not enough)', async () => {
      const id = [...deals.values()].find((r) => r.Deal_Name === 'Scoped')!.id;
      const writer = await h.token('acme', 'records:read records:write');
      const refused = await gql(h, writer, 'mutation($ids: [ID!]!) { deleteDeals(ids: $ids) { status } }', { ids: [id] });
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.errors![0]!.extensions).toMatchObject({ scope: 'records:delete:Deals' });
      expect(deals.has(id)).toBe(true);
      const deleter = await h.token('acme', 'records:delete:Deals');
      const done = await gql<{ deleteDeals: Result[] }>(h, deleter, 'mutation($ids: [ID!]!) { deleteDeals(ids: $ids) { status } }', { ids: [id] });
      expect(done.data!.deleteDeals).toEqual([{ status: 'success' }]);
      expect(deals.has(id)).toBe(false);
    });

    it('reading a written record back needs records:read for the module: a write-only token gets the result, not the record', async () => {
      const target = [...deals.values()].find((r) => typeof r.Deal_Name === 'string' && r.Deal_Name.startsWith('Bulk'))!;
      const t = await h.token('acme', 'records:write:Deals');
      h.us.resetCalls();
      // An empty update would otherwise read any record it names.
      const a = await gql<{ updateDeals: Result<{ amount: number }>[] }>(h, t, 'mutation($id: ID!) { updateDeals(input: [{ id: $id }]) { status record { amount } } }', { id: target.id });
      expect(a.data?.updateDeals).toEqual([{ status: 'success', record: null }]);
      expect(codes(a)).toEqual(['FORBIDDEN']);
      expect(a.errors![0]!.extensions).toMatchObject({ scope: 'records:read:Deals' });
      expect(h.us.count(readBack('Deals'))).toBe(0);
    });
  });
});
