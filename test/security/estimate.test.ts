/** The static Zoho call estimate behind ZOHO_CALL_BUDGET (src/records/estimate.ts). */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { estimateZohoCalls } from '../../src/records/estimate.js';

const calls = (query: string, variables?: Record<string, unknown>, operationName?: string) => estimateZohoCalls({ document: parse(query), variables, operationName }).calls;

describe('estimateZohoCalls', () => {
  it('costs nothing for fields that make no Zoho call (metadata assumed cached)', () => {
    expect(calls('{ me { id } connection { dc } dataCentres { key } modules { apiName } fields(module: "Leads") { apiName } __typename }')).toBe(0);
  });

  it('costs 1 for organization, users and coql, and for an unknown root field', () => {
    expect(calls('{ organization { id } users { count } coql(query: "x") { count } }')).toBe(3);
    expect(calls('{ somethingNew }')).toBe(1);
  });

  it('prices a records page by 50-field groups, lookups and owner details per 100 records', () => {
    expect(calls('{ records(module: "Deals") { nodes { id } } }')).toBe(1);
    const fields = Array.from({ length: 51 }, (_, i) => `f${i}: field(name: "F${i}")`).join(' ');
    expect(calls(`{ records(module: "Deals") { nodes { ${fields} } } }`)).toBe(2);
    // 200 records: each lookup field 2 batches, owner's role 2 batches; aliases of one lookup count once.
    expect(
      calls(
        '{ records(module: "Deals", first: 200) { nodes { a: lookup(field: "Account_Name") { id } b: lookup(field: "Account_Name") { id } c: lookup(field: "Contact_Name") { id } owner { role { name } } } } }',
      ),
    ).toBe(1 + 2 + 2 + 2);
    expect(calls('query($n: Int) { records(module: "Deals", first: $n) { nodes { a: lookup(field: "Account_Name") { id } } } }', { n: 50 })).toBe(2);
    // `data` assumes 100 fields: 2 groups, for the page and for the lookup.
    expect(calls('{ records(module: "Deals", first: 100) { nodes { data account: lookup(field: "Account_Name") { data } } } }')).toBe(2 + 2);
    // Aliases of one lookup reading other fields are other loaders: each counts.
    expect(calls('{ records(module: "Deals", first: 200) { nodes { a: lookup(field: "Account_Name") { field(name: "Phone") } b: lookup(field: "Account_Name") { field(name: "Website") } } } }')).toBe(
      1 + 2 + 2,
    );
    // Nested lookups, through fragments.
    expect(calls('{ records(module: "Contacts", first: 150) { nodes { ...C } } } fragment C on Record { lookup(field: "Account_Name") { lookup(field: "Parent_Account") { id } } }')).toBe(1 + 2 + 2);
  });

  it('batches record and user root fields 100 ids per call', () => {
    expect(calls('{ a: record(module: "Leads", id: "1") { id } b: record(module: "Leads", id: "2") { id } c: record(module: "Deals", id: "3") { id } }')).toBe(2);
    expect(calls('{ a: user(id: "1") { id } b: user(id: "2") { id } }')).toBe(1);
  });

  it('prices writes by ceil(n/100) records or ids, from literals or variables', () => {
    expect(calls('mutation { createRecords(module: "Leads", records: [{ a: 1 }]) { id } }')).toBe(1);
    expect(calls('mutation($r: [JSON!]!) { upsertRecords(module: "Leads", records: $r) { id } }', { r: Array.from({ length: 250 }, () => ({})) })).toBe(3);
    expect(calls('mutation($ids: [ID!]!) { deleteRecords(module: "Leads", ids: $ids) { id } }', { ids: Array.from({ length: 100 }, (_, i) => String(i)) })).toBe(1);
    expect(calls('mutation { startZohoConnect { authorizeUrl } disconnectZoho }')).toBe(1);
    // A variable left out takes its definition's default value.
    const defaults = Array.from({ length: 201 }, (_, i) => `{ Last_Name: "L${i}" }`).join(' ');
    expect(calls(`mutation($r: [JSON!]! = [${defaults}]) { createRecords(module: "Leads", records: $r) { id } }`)).toBe(3);
    // Completing may revoke the previous (or a refused ticket's) refresh token at Zoho.
    expect(calls('mutation { completeZohoConnect(ticket: "t") { email } }')).toBe(1);
  });

  it('picks the named operation and leaves subscriptions to the per-event guard', () => {
    const doc = 'query A { organization { id } } query B { users { count } coql(query: "x") { count } }';
    expect(calls(doc, {}, 'B')).toBe(2);
    expect(calls('subscription { recordEvents { records { id } } }')).toBe(0);
  });
});
