import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoqlDocument, ModulesAndFieldsDocument, SearchDataDocument, SearchIdsDocument, SearchLeadsDocument, type CriteriaInput } from '../gql/graphql.js';
import { errorOf } from '../helpers/errors.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import type { ZRecord } from '../../src/emulator/seed.js';

/**
 * searchRecords and coql over HTTP: client → gateway → emulated Zoho (us). Sources:
 * https://www.zoho.com/crm/developer/docs/api/v8/search-records.html,
 * https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html,
 * https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html.
 */

const SEARCH = 'GET /crm/v8/:module/search';
const COQL = 'POST /crm/v8/coql';

const HOSTILE = 'a),(Last_Name:equals:x';
const TRICKY = 'back\\slash (x), y';

describe('searchRecords and coql through the gateway', () => {
  let h: Harness;
  const added: Record<string, ZRecord> = {};
  /** The criteria strings the emulator received, decoded. */
  const sentCriteria = () => h.us.calls.filter((c) => c.route === SEARCH).map((c) => new URLSearchParams(c.query).get('criteria'));

  beforeAll(async () => {
    h = await startHarness();
    await h.connect('acme');
    const leads = h.us.ctx.records('Leads');
    const template = [...leads.values()][0]!;
    const add = (key: string, values: Record<string, unknown>) => {
      const id = `41508689${String(Object.keys(added).length + 1).padStart(11, '0')}`;
      added[key] = { ...template, id, Company: 'Zqcorp', City: 'Quito', Email: `${key}@zq.example`, Phone: `+1 777 0${Object.keys(added).length}00`, ...values };
      leads.set(id, added[key]);
    };
    add('hostile', { Last_Name: `O'Brien ${HOSTILE}` });
    add('tricky', { Last_Name: TRICKY });
    add('unicode', { Last_Name: 'Zoë 東京 😀' });
    add('x', { Last_Name: 'x' });
    // Warm the metadata cache, as a running gateway has it (one call per module per 5 minutes).
    const client = await h.client('acme');
    for (const module of ['Leads', 'Contacts', 'Deals']) await client.request(ModulesAndFieldsDocument, { module });
  });
  afterAll(() => h.close());

  describe('searchRecords', () => {
    it('sends a nested and/or filter as Zoho’s pairwise criteria string, in one call, with the right records', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      const where: CriteriaInput = {
        and: [
          { field: 'City', operator: 'EQUALS', value: 'Lisbon' },
          {
            or: [
              { field: 'Industry', operator: 'EQUALS', value: 'ASP' },
              { field: 'No_of_Employees', operator: 'GREATER_THAN', value: 400 },
            ],
          },
        ],
      };
      const res = await client.request(SearchLeadsDocument, { module: 'Leads', where });
      expect(sentCriteria()).toEqual(['((City:equals:Lisbon)and((Industry:equals:ASP)or(No_of_Employees:greater_than:400)))']);
      expect(h.us.count()).toBe(1);
      const fields = new URLSearchParams(h.us.calls[0]!.query).get('fields');
      expect(fields).toBe('City,Last_Name');
      const expected = [...h.us.ctx.records('Leads').values()].filter((r) => String(r.City).toLowerCase().includes('lisbon') && (r.Industry === 'ASP' || Number(r.No_of_Employees) > 400));
      expect(expected.length).toBeGreaterThan(0);
      expect(res.searchRecords.nodes.map((n) => n.id).sort()).toEqual(expected.map((r) => r.id).sort());
      expect(res.searchRecords.nodes.every((n) => n.city === 'Lisbon')).toBe(true);
      expect(res.searchRecords.pageInfo).toEqual({ hasNextPage: false, endCursor: null, count: expected.length });
    });

    it('matches hostile values literally: a value holding "),(" cannot add a second condition', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      const res = await client.request(SearchLeadsDocument, { module: 'Leads', where: { field: 'Last_Name', operator: 'EQUALS', value: HOSTILE } });
      expect(sentCriteria()).toEqual(['(Last_Name:equals:a\\)\\,\\(Last_Name:equals:x)']);
      // Only the Lead holding the text; not the Lead named "x" an injected condition would find.
      expect(res.searchRecords.nodes.map((n) => n.id)).toEqual([added.hostile!.id]);
    });

    it('matches backslashes, brackets, commas and unicode literally', async () => {
      const client = await h.client('acme');
      for (const key of ['tricky', 'unicode'] as const) {
        const value = added[key]!.Last_Name as string;
        const res = await client.request(SearchLeadsDocument, { module: 'Leads', where: { field: 'Last_Name', operator: 'IN', values: [value, 'no such name'] } });
        expect(res.searchRecords.nodes.map((n) => n.lastName)).toEqual([value]);
      }
      h.us.resetCalls();
      await client.request(SearchLeadsDocument, { module: 'Leads', where: { field: 'Last_Name', operator: 'STARTS_WITH', value: TRICKY } });
      expect(sentCriteria()).toEqual(['(Last_Name:starts_with:back\\\\slash \\(x\\)\\, y)']);
    });

    it('refuses 11 criteria before calling Zoho', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      const where: CriteriaInput = { or: Array.from({ length: 11 }, (_, i) => ({ field: 'City', operator: 'EQUALS' as const, value: `c${i}` })) };
      const e = await errorOf(client.request(SearchIdsDocument, { module: 'Leads', where }));
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.message).toMatch(/at most 10 criteria; this filter has 11/);
      expect(h.us.count()).toBe(0);
    });

    it('refuses a bad node naming its path, an operator the field type does not take, and an unknown field', async () => {
      const client = await h.client('acme');
      const badNode = await errorOf(
        client.request(SearchIdsDocument, {
          module: 'Leads',
          where: {
            and: [
              { field: 'City', operator: 'EQUALS', value: 'x' },
              { field: 'City', operator: 'EQUALS', value: 'y', or: [] },
            ],
          },
        }),
      );
      expect(badNode).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'where.and[1]' } });
      const op = await errorOf(client.request(SearchIdsDocument, { module: 'Leads', where: { field: 'No_of_Employees', operator: 'STARTS_WITH', value: '1' } }));
      expect(op).toMatchObject({ code: 'BAD_USER_INPUT', message: /starts_with does not apply to No_of_Employees \(integer\)/ });
      const unknown = await errorOf(client.request(SearchIdsDocument, { module: 'Leads', where: { field: 'Nope', operator: 'EQUALS', value: 'x' } }));
      expect(unknown).toMatchObject({ code: 'BAD_USER_INPUT', message: /unknown field Nope/ });
    });

    it('searches by email, phone and word', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      const byEmail = await client.request(SearchLeadsDocument, { module: 'Leads', email: 'hostile@zq.example' });
      expect(byEmail.searchRecords.nodes.map((n) => n.id)).toEqual([added.hostile!.id]);
      const phone = added.tricky!.Phone as string;
      const byPhone = await client.request(SearchLeadsDocument, { module: 'Leads', phone });
      expect(byPhone.searchRecords.nodes.map((n) => n.id)).toEqual([added.tricky!.id]);
      const byWord = await client.request(SearchLeadsDocument, { module: 'Leads', word: 'Zqcorp' });
      expect(byWord.searchRecords.nodes.map((n) => n.id).sort()).toEqual(
        Object.values(added)
          .map((r) => r.id)
          .sort(),
      );
      expect(h.us.calls.map((c) => [...new URLSearchParams(c.query).keys()].find((k) => ['email', 'phone', 'word', 'criteria'].includes(k)))).toEqual(['email', 'phone', 'word']);
    });

    it('answers Zoho’s 204 with an empty page', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      const res = await client.request(SearchLeadsDocument, { module: 'Leads', where: { field: 'City', operator: 'EQUALS', value: 'Atlantis' } });
      expect(h.us.calls.map((c) => c.status)).toEqual([204]);
      expect(res.searchRecords).toEqual({ nodes: [], pageInfo: { hasNextPage: false, endCursor: null, count: 0 } });
    });

    it('passes a raw criteria string through; Zoho’s refusal comes back as BAD_USER_INPUT with its code', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      const res = await client.request(SearchLeadsDocument, { module: 'Leads', criteria: '((City:starts_with:Qui)and(Company:equals:Zqcorp))' });
      expect(sentCriteria()).toEqual(['((City:starts_with:Qui)and(Company:equals:Zqcorp))']);
      expect(res.searchRecords.nodes).toHaveLength(Object.keys(added).length);
      const e = await errorOf(client.request(SearchLeadsDocument, { module: 'Leads', criteria: '(City:between:a)' }));
      expect(e).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { zoho: { code: 'INVALID_QUERY' } } });
    });

    it('wants exactly one of where, criteria, email, phone, word', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      expect(await errorOf(client.request(SearchIdsDocument, { module: 'Leads' }))).toMatchObject({ code: 'BAD_USER_INPUT', message: /exactly one of/ });
      const two = await errorOf(client.request(SearchLeadsDocument, { module: 'Leads', criteria: '(City:equals:Quito)', email: 'a@b.c' }));
      expect(two).toMatchObject({ code: 'BAD_USER_INPUT', message: /exactly one of/ });
      expect(h.us.count()).toBe(0);
    });

    it('pages by page number within Zoho’s 2,000-result reach, and refuses beyond it before calling', async () => {
      const client = await h.client('acme');
      const where: CriteriaInput = { field: 'Industry', operator: 'IN', values: ['ASP', 'ERP'] };
      const total = [...h.us.ctx.records('Leads').values()].filter((r) => r.Industry === 'ASP' || r.Industry === 'ERP').length;
      expect(total).toBeGreaterThan(100);
      const first = await client.request(SearchIdsDocument, { module: 'Leads', where, perPage: 100 });
      expect(first.searchRecords.pageInfo).toEqual({ hasNextPage: true, endCursor: '2', count: 100 });
      const second = await client.request(SearchIdsDocument, { module: 'Leads', where, perPage: 100, page: Number(first.searchRecords.pageInfo.endCursor) });
      expect(second.searchRecords.pageInfo).toEqual({ hasNextPage: false, endCursor: null, count: total - 100 });
      expect(new Set([...first.searchRecords.nodes, ...second.searchRecords.nodes].map((n) => n.id)).size).toBe(total);

      h.us.resetCalls();
      const beyond = await errorOf(client.request(SearchIdsDocument, { module: 'Leads', where, perPage: 200, page: 11 }));
      expect(beyond).toMatchObject({ code: 'BAD_USER_INPUT', message: /first 2000 results/ });
      const perPage = await errorOf(client.request(SearchIdsDocument, { module: 'Leads', where, perPage: 201 }));
      expect(perPage).toMatchObject({ code: 'BAD_USER_INPUT', extensions: { argument: 'perPage' } });
      expect(h.us.count()).toBe(0);
    });

    it('fetches more than 50 fields in groups of 50, merged by id', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      const res = await client.request(SearchDataDocument, { module: 'Leads', where: { field: 'Company', operator: 'EQUALS', value: 'Zqcorp' } });
      const calls = h.us.calls.filter((c) => c.route === SEARCH);
      expect(calls.map((c) => new URLSearchParams(c.query).get('fields')!.split(',').length)).toEqual([50, expect.any(Number)]);
      expect(res.searchRecords.nodes).toHaveLength(Object.keys(added).length);
      const data = res.searchRecords.nodes.find((n) => n.id === added.hostile!.id)!.data as Record<string, unknown>;
      expect(data).toMatchObject({ Last_Name: added.hostile!.Last_Name, Custom_Text_60: added.hostile!.Custom_Text_60 ?? null, Company: 'Zqcorp' });
    });
  });

  describe('coql', () => {
    it('runs a query with a lookup column in one call', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      const res = await client.request(CoqlDocument, { query: 'select Last_Name, Account_Name.Account_Name from Contacts where Last_Name is not null limit 5' });
      expect(h.us.count(COQL)).toBe(1);
      expect(h.us.count()).toBe(1);
      expect(res.coql.count).toBe(5);
      expect(res.coql.moreRecords).toBe(true);
      const contacts = h.us.ctx.records('Contacts');
      const accounts = h.us.ctx.records('Accounts');
      for (const row of res.coql.rows as Record<string, unknown>[]) {
        const contact = contacts.get(row.id as string)!;
        expect(row.Last_Name).toBe(contact.Last_Name);
        const account = contact.Account_Name as { id: string } | null;
        expect(row['Account_Name.Account_Name']).toBe(account ? accounts.get(account.id)!.Account_Name : null);
      }
    });

    it('answers Zoho’s 204 with no rows', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      const res = await client.request(CoqlDocument, { query: "select id from Leads where City = 'Atlantis'" });
      expect(h.us.calls.map((c) => c.status)).toEqual([204]);
      expect(res.coql).toEqual({ rows: [], count: 0, moreRecords: false });
    });

    const cols = (n: number) => Array.from({ length: n }, (_, i) => `Custom_Text_${String((i % 60) + 1).padStart(2, '0')}`).join(', ');
    const pairwise = (n: number) => Array.from({ length: n }, (_, i) => `City = 'c${i}'`).reduce((a, c) => `(${a} or ${c})`);
    const refusals: [string, string, RegExp][] = [
      ['no WHERE', 'select Last_Name from Leads limit 10', /WHERE clause/],
      ['LIMIT over 2,000', 'select Last_Name from Leads where id is not null limit 2001', /LIMIT 2001 is more than 2000/],
      ['OFFSET + LIMIT over 100,000', 'select Last_Name from Leads where id is not null limit 200 offset 99801', /at most 100000 records/],
      ['OFFSET alone over 100,000 (default LIMIT 200)', 'select Last_Name from Leads where id is not null offset 100000', /at most 100000 records/],
      ['501 select columns', `select ${cols(501)} from Leads where id is not null`, /501 columns; at most 500/],
      ['101 values in IN', `select id from Leads where City in (${Array.from({ length: 101 }, (_, i) => `'c${i}'`).join(', ')})`, /101 values; at most 100/],
      ['26 criteria', `select id from Leads where ${pairwise(26)}`, /26 criteria; at most 25/],
    ];
    for (const [what, query, message] of refusals) {
      it(`refuses ${what} with 0 Zoho calls`, async () => {
        const client = await h.client('acme');
        h.us.resetCalls();
        const e = await errorOf(client.request(CoqlDocument, { query }));
        expect(e).toMatchObject({ code: 'BAD_USER_INPUT', message });
        expect(h.us.count()).toBe(0);
      });
    }

    it('passes the limits’ edges to Zoho (25 criteria, 100 IN values, LIMIT 2000)', async () => {
      const client = await h.client('acme');
      h.us.resetCalls();
      await client.request(CoqlDocument, { query: `select id from Leads where ${pairwise(25)} limit 2000` });
      await client.request(CoqlDocument, { query: `select id from Leads where City in (${Array.from({ length: 100 }, (_, i) => `'c${i}'`).join(', ')})` });
      expect(h.us.count(COQL)).toBe(2);
    });

    it('returns Zoho’s syntax error as BAD_USER_INPUT with Zoho’s code and message', async () => {
      const client = await h.client('acme');
      // More than two criteria need brackets, pairwise (COQL-Limitations.html): Zoho refuses this one.
      const e = await errorOf(client.request(CoqlDocument, { query: "select id from Leads where City = 'a' and Company = 'b' and Last_Name = 'c'" }));
      expect(e.code).toBe('BAD_USER_INPUT');
      expect(e.extensions.zoho).toMatchObject({ code: 'SYNTAX_ERROR', message: 'unexpected token' });
      expect(e.message).toBe('unexpected token');
    });

    it('returns INVALID_MODULE as ZOHO_INVALID_MODULE with Zoho’s code', async () => {
      const client = await h.client('acme');
      const e = await errorOf(client.request(CoqlDocument, { query: 'select id from Nopes where id is not null' }));
      expect(e).toMatchObject({ code: 'ZOHO_INVALID_MODULE', extensions: { zoho: { code: 'INVALID_MODULE' } } });
    });
  });

  describe('scopes', () => {
    it('a caller narrowed to records:read:Leads searches Leads but not Deals, and runs coql on Leads but not Deals', async () => {
      const client = await h.client('acme', 'records:read:Leads coql');
      h.us.resetCalls();
      const deals = await errorOf(client.request(SearchIdsDocument, { module: 'Deals', criteria: '(Amount:greater_than:0)' }));
      expect(deals).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'records:read:Deals' } });
      const coqlDeals = await errorOf(client.request(CoqlDocument, { query: 'select Deal_Name from Deals where Amount > 0' }));
      expect(coqlDeals).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'records:read:Deals' } });
      // A subquery reads its module too.
      const sub = await errorOf(client.request(CoqlDocument, { query: 'select id from Leads where Last_Name in (select Deal_Name from Deals where Amount > 0)' }));
      expect(sub).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'records:read:Deals' } });
      expect(h.us.count()).toBe(0);
      const leads = await client.request(CoqlDocument, { query: "select Last_Name from Leads where Company = 'Zqcorp'" });
      expect(leads.coql.count).toBe(Object.keys(added).length);
      const search = await client.request(SearchIdsDocument, { module: 'Leads', criteria: '(Company:equals:Zqcorp)' });
      expect(search.searchRecords.pageInfo.count).toBe(Object.keys(added).length);
    });

    it('a caller narrowed to Contacts cannot read Accounts through a lookup join', async () => {
      const client = await h.client('acme', 'records:read:Contacts coql');
      const e = await errorOf(client.request(CoqlDocument, { query: 'select Last_Name, Account_Name.Annual_Revenue from Contacts where Last_Name is not null' }));
      expect(e).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'records:read:Accounts' } });
      const ok = await client.request(CoqlDocument, { query: 'select Last_Name, Account_Name from Contacts where Last_Name is not null limit 3' });
      expect(ok.coql.count).toBe(3);
    });

    it('attack: a path inside a subquery is resolved against the subquery’s module, not the outer one', async () => {
      const client = await h.client('acme', 'records:read:Contacts records:read:Deals coql');
      h.us.resetCalls();
      // Deals.Contact_Name → Contacts → Account_Name → Accounts; read against Contacts it looked like nothing.
      const query = 'select Last_Name from Contacts where id in (select Contact_Name from Deals where Contact_Name.Account_Name.Annual_Revenue > 0)';
      const e = await errorOf(client.request(CoqlDocument, { query }));
      expect(e).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'records:read:Accounts' } });
      expect(h.us.count(COQL)).toBe(0);
    });

    it('attack: syntax the gateway cannot read (a `!Module.field` path) is refused, not passed on', async () => {
      const client = await h.client('acme', 'records:read:Contacts coql');
      h.us.resetCalls();
      for (const query of ['select Last_Name, !Deals.Amount from Contacts where Last_Name is not null', 'select Last_Name from Contacts where !Deals.Amount > 0']) {
        const e = await errorOf(client.request(CoqlDocument, { query }));
        expect(e).toMatchObject({ code: 'FORBIDDEN', extensions: { reason: 'coql-unreadable' } });
      }
      expect(h.us.count(COQL)).toBe(0);
    });

    it('attack: an owner path (Owner.email) needs users:read, even with every records scope', async () => {
      const client = await h.client('acme', 'records:read coql');
      h.us.resetCalls();
      for (const query of ["select Last_Name, Owner.email from Leads where Company = 'Zqcorp'", "select Last_Name from Leads where Owner.email like '%@%'"]) {
        const e = await errorOf(client.request(CoqlDocument, { query }));
        expect(e).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'users:read' } });
      }
      expect(h.us.count(COQL)).toBe(0);
      const withUsers = await h.client('acme', 'records:read users:read coql');
      const ok = await withUsers.request(CoqlDocument, { query: "select Last_Name, Owner.email from Leads where Company = 'Zqcorp'" });
      expect(ok.coql.count).toBe(Object.keys(added).length);
      expect((ok.coql.rows as Record<string, unknown>[]).every((r) => typeof r['Owner.email'] === 'string')).toBe(true);
    });

    it('coql needs the coql scope', async () => {
      const client = await h.client('acme', 'records:read');
      h.us.resetCalls();
      const e = await errorOf(client.request(CoqlDocument, { query: 'select id from Leads where id is not null' }));
      expect(e).toMatchObject({ code: 'FORBIDDEN', extensions: { scope: 'coql' } });
      expect(h.us.count()).toBe(0);
    });
  });
});
