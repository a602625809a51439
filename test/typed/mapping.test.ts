import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/emulator/emulator.js';
import type { ZRecord } from '../../src/records/fields.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codes, connectTyped, gql, ok, typeFields } from './typed-harness.js';

/**
 * A tenant's own field names (setFieldMapping) and a custom module named like the gateway's own
 * types (`Records`), through the real gateway (two instances on one store) and the emulator.
 */

const SET_MAPPING = 'mutation($m: [FieldMappingInput!]!) { setFieldMapping(module: "Deals", mappings: $m) { name field } }';
const metadataCalls = (c: CallRecord) => c.path.startsWith('/crm/v8/settings/') || c.path === '/crm/v8/users';
const dealWrites = (c: CallRecord) => (c.path === '/crm/v8/Deals' || c.path === '/crm/v8/Deals/upsert') && c.method !== 'GET';

describe('a custom module named Records', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness();
    token = await connectTyped(h, 'acme');
    h.us.metadata.addModule({ api_name: 'Records', singular_label: 'Record', plural_label: 'Records' }, { records: 3 });
    const d = await ok<{ refreshSchema: { changed: boolean } }>(h, token, 'mutation { refreshSchema { hash changed } }');
    expect(d.refreshSchema.changed).toBe(true);
  });
  afterAll(() => h.close());

  it('takes the names built on its api name (naming.ts rule 2): Records_Module, createRecords_Module, listRecords_Module, getRecords_Module', async () => {
    const mutations = await typeFields(h, token, 'Mutation');
    expect(mutations).toMatchObject({
      createRecords_Module: '[Records_Module_Result!]!',
      updateRecords_Module: '[Records_Module_Result!]!',
      upsertRecords_Module: '[Records_Module_Result!]!',
      deleteRecords_Module: '[Records_Module_Result!]!',
      // The gateway's own generic mutation keeps its name and type.
      createRecords: '[RecordResult!]!',
    });
    expect(await typeFields(h, token, 'Crm')).toMatchObject({ listRecords_Module: 'Records_Module_Connection!', getRecords_Module: 'Records_Module', deals: 'Deal_Connection!' });
    // `Record` stays the gateway's generic record type.
    expect(await typeFields(h, token, 'Record')).toHaveProperty('data', 'JSON!');
    expect(await typeFields(h, token, 'Records_Module_CreateInput')).toMatchObject({ name: 'String!' });
  });

  it('reads and creates through the typed names; the generic createRecords still writes any module', async () => {
    const list = await ok<{ crm: { listRecords_Module: { nodes: { id: string; name: string }[] } } }>(h, token, '{ crm { listRecords_Module(first: 10) { nodes { id name } } } }');
    const stored = h.us.ctx.records('Records');
    expect(list.crm.listRecords_Module.nodes.map((n) => n.name).sort()).toEqual([...stored.values()].map((r) => r.Name as string).sort());
    expect(list.crm.listRecords_Module.nodes).toHaveLength(3);

    const typed = await ok<{ createRecords_Module: { status: string; id: string; record: { name: string } }[] }>(
      h,
      token,
      'mutation { createRecords_Module(input: [{ name: "Typed record" }]) { status id record { name } } }',
    );
    expect(typed.createRecords_Module[0]).toMatchObject({ status: 'success', record: { name: 'Typed record' } });
    expect(stored.get(typed.createRecords_Module[0]!.id)?.Name).toBe('Typed record');

    const generic = await ok<{ createRecords: { status: string; id: string }[]; deals: { status: string; id: string }[] }>(
      h,
      token,
      'mutation { createRecords(module: "Records", records: [{ Name: "Generic record" }]) { status id } deals: createRecords(module: "Deals", records: [{ Deal_Name: "Generic deal", Stage: "Qualification" }]) { status id } }',
    );
    expect(stored.get(generic.createRecords[0]!.id)?.Name).toBe('Generic record');
    expect(h.us.ctx.records('Deals').get(generic.deals[0]!.id)?.Deal_Name).toBe('Generic deal');
    const one = await ok<{ crm: { getRecords_Module: { name: string } | null } }>(h, token, 'query($id: ID!) { crm { getRecords_Module(id: $id) { name } } }', { id: generic.createRecords[0]!.id });
    expect(one.crm.getRecords_Module).toEqual({ name: 'Generic record' });
  });
});

describe('field mapping (setFieldMapping)', () => {
  let h: Harness;
  let acme: string;
  let beta: string;
  let deals: Map<string, ZRecord>;
  beforeAll(async () => {
    // SCHEMA_BUILD_WAIT_MS bounds how long a connection's first request on an instance waits for
    // its build (an upper bound, not a delay): generous, so the second instance answers typed.
    h = await startHarness({ instances: 2, env: { SCHEMA_BUILD_WAIT_MS: '10000' } });
    acme = await connectTyped(h, 'acme');
    beta = await connectTyped(h, 'beta');
    deals = h.us.ctx.records('Deals');
  });
  afterAll(() => h.close());

  it('needs zoho:connect (FORBIDDEN without), and nothing is stored', async () => {
    const t = await h.token('acme', 'records:read records:write');
    const a = await gql(h, t, SET_MAPPING, { m: [{ name: 'budget', field: 'Budget_USD' }] });
    expect(codes(a)).toEqual(['FORBIDDEN']);
    const m = await ok<{ fieldMapping: unknown[] }>(h, acme, '{ fieldMapping(module: "Deals") { name field } }');
    expect(m.fieldMapping).toEqual([]);
  });

  it('refuses an unknown field and every clashing name with BAD_USER_INPUT naming it', async () => {
    const unknown = await gql(h, acme, SET_MAPPING, { m: [{ name: 'budget', field: 'No_Such_Field' }] });
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0]!.message).toContain('No_Such_Field');
    expect(unknown.errors![0]!.extensions).toMatchObject({ field: 'No_Such_Field', index: 0 });
    for (const name of ['dealName', 'id', 'budgetUsd', 'accountNameId', 'and', 'Budget', 'budget_usd']) {
      const a = await gql(h, acme, SET_MAPPING, { m: [{ name, field: 'Budget_USD' }] });
      expect(codes(a), name).toEqual(['BAD_USER_INPUT']);
      expect(a.errors![0]!.message, name).toContain(name);
    }
    const twice = await gql(h, acme, SET_MAPPING, {
      m: [
        { name: 'budget', field: 'Budget_USD' },
        { name: 'budget', field: 'Amount' },
      ],
    });
    expect(codes(twice)).toEqual(['BAD_USER_INPUT']);
    const unknownModule = await gql(h, acme, 'mutation { setFieldMapping(module: "Nope", mappings: [{ name: "budget", field: "Budget_USD" }]) { name } }');
    expect(codes(unknownModule)).toEqual(['BAD_USER_INPUT']);
    expect((await ok<{ fieldMapping: unknown[] }>(h, acme, '{ fieldMapping(module: "Deals") { name } }')).fieldMapping).toEqual([]);
  });

  it('a mapped name is a typed field in reads, filters, ordering and writes', async () => {
    const set = await ok<{ setFieldMapping: { name: string; field: string }[] }>(h, acme, SET_MAPPING, { m: [{ name: 'budget', field: 'Budget_USD' }] });
    expect(set.setFieldMapping).toEqual([{ name: 'budget', field: 'Budget_USD' }]);
    expect(await typeFields(h, acme, 'Deal')).toMatchObject({ budget: 'Float', budgetUsd: 'Float' });
    expect(await typeFields(h, acme, 'Deal_CreateInput')).toMatchObject({ budget: 'Float' });

    // Filter and order on the mapped name, compared with what the emulator stores.
    const values = [...deals.values()].map((r) => r.Budget_USD as number).sort((a, b) => a - b);
    const threshold = values[Math.floor(values.length * 0.8)]!;
    const expected = [...deals.values()].filter((r) => (r.Budget_USD as number) >= threshold).sort((a, b) => (b.Budget_USD as number) - (a.Budget_USD as number) || (a.id < b.id ? -1 : 1));
    const d = await ok<{ crm: { deals: { nodes: { id: string; budget: number; budgetUsd: number }[] } } }>(
      h,
      acme,
      'query($min: Float!) { crm { deals(first: 200, where: { budget: { gte: $min } }, orderBy: [{ budget: DESC }]) { nodes { id budget budgetUsd } } } }',
      { min: threshold },
    );
    expect(d.crm.deals.nodes.length).toBeGreaterThan(1);
    expect(d.crm.deals.nodes.map((n) => n.id)).toEqual(expected.map((r) => r.id));
    for (const n of d.crm.deals.nodes) expect(n.budget).toBe(n.budgetUsd);

    h.us.resetCalls();
    const created = await ok<{ createDeals: { status: string; id: string; record: { budget: number; budgetUsd: number } }[] }>(
      h,
      acme,
      'mutation { createDeals(input: [{ dealName: "Mapped", stage: "Qualification", budget: 4242 }]) { status id record { budget budgetUsd } } }',
    );
    expect(created.createDeals[0]).toMatchObject({ status: 'success', record: { budget: 4242, budgetUsd: 4242 } });
    const id = created.createDeals[0]!.id;
    expect(deals.get(id)?.Budget_USD).toBe(4242);
    await ok(h, acme, 'mutation($id: ID!) { updateDeals(input: [{ id: $id, budget: 4343 }]) { status } }', { id });
    expect(deals.get(id)?.Budget_USD).toBe(4343);
    const up = await ok<{ upsertDeals: { action: string; id: string }[] }>(
      h,
      acme,
      'mutation { upsertDeals(input: [{ dealName: "Mapped again", stage: "Qualification", budget: 4343 }], duplicateCheckFields: ["budget"]) { action id } }',
    );
    expect(up.upsertDeals).toEqual([{ action: 'update', id }]);
    expect(deals.get(id)?.Deal_Name).toBe('Mapped again');
    expect(h.us.count(dealWrites)).toBe(3);
  });

  it('a mapped lookup gets its raw-id companion too (company → Account_Name: company, companyId)', async () => {
    const set = await ok<{ setFieldMapping: { name: string; field: string }[] }>(h, acme, SET_MAPPING, {
      m: [
        { name: 'budget', field: 'Budget_USD' },
        { name: 'company', field: 'Account_Name' },
      ],
    });
    expect(set.setFieldMapping.map((m) => m.name)).toEqual(['budget', 'company']);
    expect(await typeFields(h, acme, 'Deal')).toMatchObject({ company: 'Account', companyId: 'ID', budget: 'Float' });
    expect(await typeFields(h, acme, 'Deal_CreateInput')).toMatchObject({ companyId: 'ID' });
    const accountId = [...h.us.ctx.records('Accounts').keys()][1]!;
    const d = await ok<{ createDeals: { id: string; record: { companyId: string; company: { id: string; accountName: string } } }[] }>(
      h,
      acme,
      'mutation($a: ID!) { createDeals(input: [{ dealName: "Mapped lookup", stage: "Qualification", companyId: $a }]) { id record { companyId company { id accountName } } } }',
      { a: accountId },
    );
    const r = d.createDeals[0]!;
    expect((deals.get(r.id)!.Account_Name as { id: string }).id).toBe(accountId);
    expect(r.record).toEqual({ companyId: accountId, company: { id: accountId, accountName: h.us.ctx.records('Accounts').get(accountId)!.Account_Name } });
    const filtered = await ok<{ crm: { deals: { nodes: { id: string }[] } } }>(h, acme, 'query($a: ID!) { crm { deals(first: 50, where: { companyId: { eq: $a } }) { nodes { id } } } }', {
      a: accountId,
    });
    const expected = [...deals.values()]
      .filter((x) => (x.Account_Name as { id?: string } | null)?.id === accountId)
      .map((x) => x.id)
      .sort();
    expect(filtered.crm.deals.nodes.map((n) => n.id).sort()).toEqual(expected);
  });

  it('a field given twice (mapped name and its own) is BAD_USER_INPUT, before any Zoho call', async () => {
    h.us.resetCalls();
    const a = await gql(h, acme, 'mutation { createDeals(input: [{ dealName: "Twice", stage: "Qualification", budget: 1, budgetUsd: 2 }]) { status } }');
    expect(codes(a)).toEqual(['BAD_USER_INPUT']);
    expect(a.errors![0]!.message).toContain('Budget_USD');
    expect(h.us.count(dealWrites)).toBe(0);
  });

  it('is per connection: another tenant of the same org does not see it', async () => {
    const a = await gql(h, beta, '{ crm { deals(first: 1) { nodes { budget } } } }');
    expect(codes(a)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect((await ok<{ fieldMapping: unknown[] }>(h, beta, '{ fieldMapping(module: "Deals") { name } }')).fieldMapping).toEqual([]);
    expect(await typeFields(h, beta, 'Deal')).not.toHaveProperty('budget');
  });

  it('lives in the store: a gateway instance that never served the tenant (as after a restart) has it, without asking Zoho', async () => {
    h.us.resetCalls();
    const other = h.apps[1]!.url;
    const d = await ok<{ crm: { deals: { nodes: { budget: number; budgetUsd: number }[] } } }>(
      h,
      acme,
      '{ crm { deals(first: 3, orderBy: [{ budget: ASC }]) { nodes { budget budgetUsd } } } }',
      {},
      other,
    );
    expect(d.crm.deals.nodes).toHaveLength(3);
    for (const n of d.crm.deals.nodes) expect(n.budget).toBe(n.budgetUsd);
    expect(h.us.count(metadataCalls)).toBe(0);
  });

  it('keeps its meaning when Zoho later adds a field whose own name would be the mapped one', async () => {
    h.us.metadata.addField('Deals', { api_name: 'Budget', field_label: 'Budget', data_type: 'text', custom: true }, { value: () => 'not a number' });
    try {
      await ok(h, acme, 'mutation { refreshSchema { hash } }');
      const fields = await typeFields(h, acme, 'Deal');
      expect(fields).toMatchObject({ budget: 'Float', Budget: 'String' });
      const d = await ok<{ crm: { deals: { nodes: { budget: number; budgetUsd: number }[] } } }>(h, acme, '{ crm { deals(first: 2) { nodes { budget budgetUsd } } } }');
      for (const n of d.crm.deals.nodes) expect(n.budget).toBe(n.budgetUsd);
    } finally {
      h.us.metadata.removeField('Deals', 'Budget');
      await ok(h, acme, 'mutation { refreshSchema { hash } }');
    }
  });

  it('an empty list removes the module’s mapping', async () => {
    const d = await ok<{ setFieldMapping: unknown[] }>(h, acme, SET_MAPPING, { m: [] });
    expect(d.setFieldMapping).toEqual([]);
    const a = await gql(h, acme, '{ crm { deals(first: 1) { nodes { budget } } } }');
    expect(codes(a)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect((await ok<{ fieldMapping: unknown[] }>(h, acme, '{ fieldMapping(module: "Deals") { name } }')).fieldMapping).toEqual([]);
    expect(await typeFields(h, acme, 'Deal_CreateInput')).not.toHaveProperty('budget');
  });
});
