import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { ClientError } from 'graphql-request';
import {
  LeadFieldsMergedDocument,
  DealsWithOwnerAndAccountDocument,
  type DealsWithOwnerAndAccountQuery,
  ModulesAndFieldsDocument,
  OneRecordDocument,
  OwnerDetailsDocument,
  RecordDataDocument,
  RecordIdsDocument,
} from '../gql/graphql.js';
import { errorOf } from '../helpers/errors.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

describe('records through GraphQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { deals: 5000 } } });
    await h.connect('acme');
    // Warm the metadata cache (modules, Deals and Accounts fields), as a running gateway has it:
    // metadata costs one call per module per 5 minutes, the figures below are per query.
    const client = await h.client('acme');
    await client.request(ModulesAndFieldsDocument, { module: 'Deals' });
    await client.request(ModulesAndFieldsDocument, { module: 'Accounts' });
  });
  afterAll(() => h.close());

  it('reads 200 Deals with owner email and account name in 3 Zoho calls (the lower bound)', async () => {
    const client = await h.client('acme');
    h.us.resetCalls();
    const res = await client.rawRequest<DealsWithOwnerAndAccountQuery>(print(DealsWithOwnerAndAccountDocument), { first: 200 });
    const nodes = res.data.records.nodes;
    expect(nodes).toHaveLength(200);
    const deals = h.us.ctx.records('Deals');
    const accounts = h.us.ctx.records('Accounts');
    for (const n of nodes) {
      const deal = deals.get(n.id)!;
      expect(n.name).toBe(deal.Deal_Name);
      expect(n.owner?.email).toBe((deal.Owner as { email: string }).email);
      const accountId = (deal.Account_Name as { id: string }).id;
      expect(n.account).toEqual({ id: accountId, name: accounts.get(accountId)!.Account_Name });
    }
    const distinctAccounts = new Set(nodes.map((n) => n.account!.id)).size;
    // One list call, then ceil(distinct accounts / 100) lookup calls; owners' emails come embedded.
    const lowerBound = 1 + Math.ceil(distinctAccounts / 100);
    expect(h.us.count()).toBe(lowerBound);
    expect(h.us.count()).toBe(3);
    expect(res.extensions).toMatchObject({ zoho: { calls: 3 } });
    const lookups = h.us.calls.filter((c) => c.query.includes('ids='));
    expect(lookups.map((c) => new URLSearchParams(c.query).get('ids')!.split(',').length).sort()).toEqual([100, distinctAccounts - 100].sort());
  });

  it('pages through 5,000 records with one cursor across Zoho’s page and page-token modes', async () => {
    const client = await h.client('acme');
    h.us.resetCalls();
    const seen = new Set<string>();
    let after: string | null | undefined;
    let pages = 0;
    for (;;) {
      const page = await client.request(RecordIdsDocument, { module: 'Deals', first: 200, after });
      pages++;
      for (const n of page.records.nodes) seen.add(n.id);
      if (!page.records.pageInfo.hasNextPage) break;
      after = page.records.pageInfo.endCursor;
    }
    expect(seen.size).toBe(5000);
    expect(pages).toBe(25);
    expect(h.us.count('GET /crm/v8/:module')).toBe(25);
    // The first 2,000 records by page number, the rest by Zoho's page tokens.
    const params = h.us.calls.map((c) => new URLSearchParams(c.query));
    expect(params.filter((p) => p.has('page')).length).toBe(10);
    expect(params.filter((p) => p.has('page_token')).length).toBe(15);
  });

  it('answers Zoho’s 204 with an empty page, not an error', async () => {
    const eu = await startHarness({ emulator: { seed: { leads: 0 } } });
    try {
      await eu.connect('empty');
      const page = await (await eu.client('empty')).request(RecordIdsDocument, { module: 'Leads' });
      expect(page.records).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null, count: 0 } });
    } finally {
      await eu.close();
    }
  });

  it('reads 61 fields in two upstream groups (50 + 11) merged by id', async () => {
    const client = await h.client('acme');
    const custom = Array.from({ length: 60 }, (_, i) => `Custom_Text_${String(i + 1).padStart(2, '0')}`);
    h.us.resetCalls();
    const res = await client.request(LeadFieldsMergedDocument, { fields: custom });
    const lists = h.us.calls.filter((c) => c.route === 'GET /crm/v8/:module');
    expect(lists).toHaveLength(2);
    expect(lists.map((c) => new URLSearchParams(c.query).get('fields')!.split(',').length).sort()).toEqual([11, 50]);
    const leads = h.us.ctx.records('Leads');
    expect(res.records.nodes).toHaveLength(5);
    for (const n of res.records.nodes) {
      const lead = leads.get(n.id)!;
      expect([n.first, n.last, n.lastName]).toEqual([lead.Custom_Text_01, lead.Custom_Text_60, lead.Last_Name]);
    }
  });

  it('asks for every field of the module when `data` is selected (here 79 Leads fields: 2 calls)', async () => {
    const client = await h.client('acme');
    h.us.resetCalls();
    const res = await client.request(RecordDataDocument, { module: 'Leads', first: 2 });
    expect(h.us.count('GET /crm/v8/:module')).toBe(2);
    const lead = h.us.ctx.records('Leads').get(res.records.nodes[0]!.id)!;
    expect(res.records.nodes[0]!.data).toEqual(lead);
    expect(res.records.nodes[0]!.createdTime).toBe(new Date(String(lead.Created_Time)).toISOString());
  });

  it('batches record reads: many `record` fields become one ids call', async () => {
    const client = await h.client('acme');
    const ids = [...h.us.ctx.records('Contacts').keys()].slice(0, 3);
    h.us.resetCalls();
    const query = `query { ${ids.map((id, i) => `r${i}: record(module: "Contacts", id: "${id}") { id name: field(name: "Last_Name") }`).join(' ')} missing: record(module: "Contacts", id: "1") { id name: field(name: "Last_Name") } }`;
    const res = await client.request<Record<string, { id: string; name: string } | null>>(query);
    expect(ids.map((_id, i) => res[`r${i}`]!.id)).toEqual(ids);
    expect(res.missing).toBeNull();
    expect(h.us.count('GET /crm/v8/:module')).toBe(1);
    const one = await client.request(OneRecordDocument, { module: 'Contacts', id: ids[0]!, fields: ['Email'] });
    expect((one.record!.data as { Email: string }).Email).toBe(h.us.ctx.records('Contacts').get(ids[0]!)!.Email);
  });

  it('loads owners’ role through the users loader: one call for all owners', async () => {
    const client = await h.client('acme');
    h.us.resetCalls();
    const res = await client.request(OwnerDetailsDocument);
    expect(res.records.nodes.every((n) => n.owner?.role?.name)).toBe(true);
    expect(h.us.count('GET /crm/v8/users')).toBe(1);
  });

  it('discovers modules and fields, with lookup targets', async () => {
    const res = await (await h.client('acme')).request(ModulesAndFieldsDocument, { module: 'Deals' });
    expect(res.modules.map((m) => m.apiName)).toEqual(['Leads', 'Accounts', 'Contacts', 'Deals', 'Field_Visits']);
    expect(res.fields.find((f) => f.apiName === 'Account_Name')).toEqual({ apiName: 'Account_Name', dataType: 'lookup', lookupModule: 'Accounts', mandatory: false });
  });

  it('validates module, fields, sort and paging before calling Zoho', async () => {
    const client = await h.client('acme');
    h.us.resetCalls();
    expect((await errorOf(client.request(RecordIdsDocument, { module: 'Dealz' }))).code).toBe('ZOHO_INVALID_MODULE');
    expect((await errorOf(client.request(RecordIdsDocument, { module: 'deals' }))).message).toContain('did you mean "Deals"');
    expect((await errorOf(client.request(RecordIdsDocument, { module: 'Deals; drop' }))).code).toBe('BAD_USER_INPUT');
    const unknown = await errorOf(client.request(RecordDataDocument, { module: 'Deals', fields: ['Deal_Name', 'Nope'] }));
    expect(unknown).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { fields: ['Nope'] } });
    expect((await errorOf(client.request(RecordIdsDocument, { module: 'Deals', first: 201 }))).code).toBe('BAD_USER_INPUT');
    expect((await errorOf(client.request(RecordIdsDocument, { module: 'Deals', sortBy: 'Amount' }))).code).toBe('BAD_USER_INPUT');
    expect((await errorOf(client.request(RecordIdsDocument, { module: 'Deals', after: 'garbage' }))).code).toBe('BAD_USER_INPUT');
    expect((await errorOf(client.request(OneRecordDocument, { module: 'Deals', id: 'abc' }))).code).toBe('BAD_USER_INPUT');
    expect(h.us.count()).toBe(0);
  });

  it('keeps sort order stable across pages', async () => {
    const client = await h.client('acme');
    const p1 = await client.request(RecordIdsDocument, { module: 'Deals', first: 3, sortBy: 'Created_Time', sortOrder: 'ASC' });
    const p2 = await client.request(RecordIdsDocument, { module: 'Deals', first: 3, sortBy: 'Created_Time', sortOrder: 'ASC', after: p1.records.pageInfo.endCursor });
    const all = [...h.us.ctx.records('Deals').values()].sort((a, b) => String(a.Created_Time).localeCompare(String(b.Created_Time)) || a.id.localeCompare(b.id));
    expect([...p1.records.nodes, ...p2.records.nodes].map((n) => n.id)).toEqual(all.slice(0, 6).map((r) => r.id));
    expect((await errorOf(client.request(RecordIdsDocument, { module: 'Deals', first: 3, after: p1.records.pageInfo.endCursor }))).code).toBe('BAD_USER_INPUT');
  });

  it('refuses another module to a scope narrowed to one (FORBIDDEN naming the scope), also through a lookup', async () => {
    const leadsOnly = await h.client('acme', 'records:read:Leads');
    expect((await leadsOnly.request(RecordIdsDocument, { module: 'Leads', first: 1 })).records.nodes).toHaveLength(1);
    const denied = await errorOf(leadsOnly.request(RecordIdsDocument, { module: 'Deals', first: 1 }));
    expect(denied).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'records:read:Deals' } });
    const dealsOnly = await h.client('acme', 'records:read:Deals');
    const viaLookup = await dealsOnly.rawRequest(print(DealsWithOwnerAndAccountDocument), { first: 1 }).catch((e: ClientError) => e.response);
    expect(viaLookup.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'records:read:Accounts' });
  });
});
