/**
 * The Zoho call estimate (src/records/estimate.ts) of typed operations, priced by the
 * `zohoCost` extensions src/typed/build.ts puts on a connection's schema: exact figures for each
 * rule, on a schema built from a hand-made shape.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema as base } from '../../src/graphql/schema/index.js';
import { estimateZohoCalls } from '../../src/records/estimate.js';
import { buildTypedSchema } from '../../src/typed/build.js';
import { createTypedResolvers } from '../../src/typed/resolve.js';
import type { OrgShape, TypedModule } from '../../src/typed/shape.js';
import { field, typedModule } from './typed-fixture.js';

const lineItems = typedModule('Line_Items', 'LineItem', [
  field('productName', 'Product_Name', 'string', 'text'),
  field('parentId', 'Parent_Id', 'lookup', 'lookup', { lookupModule: 'Deals', idName: 'parentIdId' }),
  field('approver', 'Approver', 'user', 'userlookup', { idName: 'approverId' }),
]);

const accounts = typedModule('Accounts', 'Account', [
  field('accountName', 'Account_Name', 'string', 'text'),
  field('phone', 'Phone', 'string', 'phone'),
  field('parentAccount', 'Parent_Account', 'lookup', 'lookup', { lookupModule: 'Accounts', idName: 'parentAccountId' }),
  field('owner', 'Owner', 'user', 'ownerlookup', { idName: 'ownerId' }),
]);

const deals = typedModule('Deals', 'Deal', [
  field('dealName', 'Deal_Name', 'string', 'text', { mandatory: true }),
  field('amount', 'Amount', 'float', 'currency'),
  field('budget', 'Amount', 'float', 'currency', { mapped: true }),
  field('accountName', 'Account_Name', 'lookup', 'lookup', { lookupModule: 'Accounts', idName: 'accountNameId' }),
  field('contactName', 'Contact_Name', 'lookup', 'lookup', { lookupModule: 'Accounts', idName: 'contactNameId' }),
  field('owner', 'Owner', 'user', 'ownerlookup', { idName: 'ownerId' }),
  field('createdBy', 'Created_By', 'user', 'ownerlookup', { idName: 'createdById', readOnly: true }),
  field('lineItems', 'Line_Items', 'subform', 'subform', { subform: { module: 'Line_Items', rowType: 'Deal_LineItemsRow', fields: lineItems.fields } }),
]);

/** 120 text fields: 3 groups of 50. */
const wide = typedModule(
  'Wide',
  'Wide',
  Array.from({ length: 120 }, (_, i) => field(`f${i}`, `F_${i}`, 'string', 'text')),
);

/** A custom module whose api name clashes with the gateway's own `createRecords` (naming.ts: `_Module`). */
const records: TypedModule = {
  ...typedModule('Records', 'Records_Module', [field('name', 'Name', 'string', 'text')]),
  listField: 'records',
  oneField: 'record',
  mutations: { create: 'createRecords_Module', update: 'updateRecords_Module', upsert: 'upsertRecords_Module', delete: 'deleteRecords_Module' },
};

const shape: OrgShape = { modules: [accounts, deals, wide, records] };
const schema = buildTypedSchema(base, shape, createTypedResolvers(shape, { staleShape: () => undefined }));
const calls = (query: string, variables?: Record<string, unknown>) => estimateZohoCalls({ document: parse(query), variables, schema }).calls;
const many = <T>(n: number, row: T): T[] => Array.from({ length: n }, () => row);

describe('estimateZohoCalls on a typed schema', () => {
  it('prices a list page by its 50-field groups (list API), first defaulting to 50', () => {
    expect(calls('{ crm { deals { nodes { id dealName } pageInfo { endCursor } } } }')).toBe(1);
    expect(calls('{ crm { deals { pageInfo { hasNextPage } } } }')).toBe(1);
    const fields = Array.from({ length: 120 }, (_, i) => `f${i}`).join(' ');
    expect(calls(`{ crm { wides(first: 200) { nodes { ${fields} } } } }`)).toBe(3);
    // A mapped alias and the raw id read the field they stand for: no extra group, no call.
    expect(calls('{ crm { deals(first: 200) { nodes { amount budget accountNameId ownerId } } } }')).toBe(1);
    // Without the schema, `crm` is an unknown root field: 1, whatever it selects (the gap).
    expect(estimateZohoCalls({ document: parse('{ crm { deals(first: 200) { nodes { accountName { phone } } } } }') }).calls).toBe(1);
  });

  it('prices lookups per distinct selection and per 100 records, nested ones over the same records', () => {
    // 200 records: 2 batches per lookup read.
    expect(calls('{ crm { deals(first: 200) { nodes { accountName { accountName } contactName { phone } } } } }')).toBe(1 + 2 + 2);
    // Only the id of the looked-up record: in hand, no call.
    expect(calls('{ crm { deals(first: 200) { nodes { accountName { id } } } } }')).toBe(1);
    // Aliases reading the same fields share a loader; other fields make another one.
    expect(calls('{ crm { deals(first: 200) { nodes { a: accountName { accountName } b: accountName { accountName } c: accountName { phone } } } } }')).toBe(1 + 2 + 2);
    expect(calls('{ crm { deals(first: 150) { nodes { accountName { parentAccount { parentAccount { accountName } } } } } } }')).toBe(1 + 2 + 2 + 2);
    // Through fragments, inline and named.
    expect(calls('{ crm { deals(first: 150) { nodes { ...D } } } } fragment D on Deal { ... on Deal { accountName { ...A } } } fragment A on Account { phone }')).toBe(1 + 2);
  });

  it('prices users: status/role/profile through the users loader; names embedded except in COQL rows', () => {
    expect(calls('{ crm { deals(first: 200) { nodes { owner { id fullName email } } } } }')).toBe(1);
    expect(calls('{ crm { deals(first: 200) { nodes { owner { role { name } } o2: owner { status } createdBy { profile { name } } } } } }')).toBe(1 + 2 + 2);
    expect(calls('{ crm { deals(first: 200, where: { amount: { gt: 1 } }) { nodes { owner { fullName } createdBy { id } } } } }')).toBe(1 + 2);
  });

  it('prices the COQL path: 1 call, subform fields by id, and what rows select below them', () => {
    expect(calls('{ crm { deals(first: 200, orderBy: [{ amount: DESC }]) { nodes { dealName amount } } } }')).toBe(1);
    expect(calls('{ crm { deals(first: 200, orderBy: []) { nodes { dealName amount } } } }')).toBe(1);
    expect(calls('{ crm { deals(first: 200, where: { amount: { gt: 1 } }) { nodes { lineItems { productName } } } } }')).toBe(1 + 2);
    expect(calls('query($w: Deal_Filter = { amount: { gt: 1 } }) { crm { deals(first: 200, where: $w) { nodes { lineItems { productName } } } } }')).toBe(1 + 2);
    // An explicit null filter is the list API.
    expect(calls('query($w: Deal_Filter = { amount: { gt: 1 } }) { crm { deals(first: 200, where: $w) { nodes { lineItems { productName } } } } }', { w: null })).toBe(1);
    // Rows' lookups and users: up to 100 rows per record (10 records → 1,000 rows → 10 batches each).
    expect(calls('{ crm { deals(first: 10) { nodes { lineItems { parentId { dealName } approver { fullName } } } } } }')).toBe(1 + 10 + 10);
  });

  it('batches one-record reads 100 ids per call per (module, fields), across aliases of crm', () => {
    expect(calls('{ crm { a: deal(id: "1") { dealName } b: deal(id: "2") { dealName } } c: crm { deal(id: "3") { dealName } } }')).toBe(1);
    expect(calls('{ crm { a: deal(id: "1") { dealName } b: deal(id: "2") { amount } } }')).toBe(2);
    const aliases = Array.from({ length: 101 }, (_, i) => `a${i}: deal(id: "${i + 1}") { id }`).join(' ');
    expect(calls(`{ crm { ${aliases} } }`)).toBe(2);
    expect(calls('{ crm { deal(id: "1") { accountName { phone } owner { role { name } } } } }')).toBe(1 + 1 + 1);
  });

  it('prices aliased lists each, and names each in byField', () => {
    const query = '{ crm { a: deals(first: 200) { nodes { id } } b: deals(first: 200) { nodes { accountName { phone } } } } x: crm { deals { nodes { id } } y: deal(id: "1") { id } } }';
    const estimate = estimateZohoCalls({ document: parse(query), schema });
    expect(estimate).toEqual({ calls: 6, byField: { 'crm.a': 1, 'crm.b': 3, 'x.deals': 1, 'x.y': 1 } });
  });

  it('prices typed writes by ceil(n/100), plus the read-back of `record`', () => {
    expect(calls('mutation($i: [Deal_CreateInput!]!) { createDeals(input: $i) { id } }', { i: many(1_000, { dealName: 'x' }) })).toBe(10);
    expect(calls('mutation($i: [Deal_UpdateInput!]!) { updateDeals(input: $i) { id } }', { i: many(101, { id: '1' }) })).toBe(2);
    expect(calls('mutation { upsertDeals(input: [{ dealName: "a" }, { dealName: "b" }]) { id } }')).toBe(1);
    // A single object where a list is expected is a list of one.
    expect(calls('mutation { createDeals(input: { dealName: "a" }) { id } }')).toBe(1);
    expect(calls('mutation($ids: [ID!]!) { deleteDeals(ids: $ids) { id } }', { ids: many(250, '1') })).toBe(3);
    // Read-back: 150 records → 2 batches, even for the id alone; its lookups below it.
    expect(calls('mutation($i: [Deal_CreateInput!]!) { createDeals(input: $i) { record { id } } }', { i: many(150, { dealName: 'x' }) })).toBe(2 + 2);
    expect(calls('mutation($i: [Deal_CreateInput!]!) { createDeals(input: $i) { record { dealName accountName { phone } } } }', { i: many(150, { dealName: 'x' }) })).toBe(2 + 2 + 2);
    // From a variable's default value.
    expect(calls('mutation($i: [Deal_CreateInput!]! = [{ dealName: "a" }, { dealName: "b" }]) { createDeals(input: $i) { id } }')).toBe(1);
    expect(calls('mutation($i: [Deal_CreateInput!]) { a: createDeals(input: $i) { id } b: deleteDeals(ids: ["1"]) { id } }', { i: many(300, { dealName: 'x' }) })).toBe(3 + 1);
  });

  it('prices a custom module by its extensions, not by a name that reads like the generic API', () => {
    expect(calls('mutation($i: [Records_Module_CreateInput!]!) { createRecords_Module(input: $i) { id } }', { i: many(250, { name: 'x' }) })).toBe(3);
    expect(calls('{ crm { records(first: 200) { nodes { name } } } }')).toBe(1);
    // The gateway's own fields keep their prices on a typed schema.
    expect(calls('{ dataCentres { key } organization { id } records(module: "Deals", first: 200) { nodes { id } } }')).toBe(0 + 1 + 1);
  });

  it('without the schema, a typed mutation is an unknown root field (1 call)', () => {
    // Typed mutation names are unknown to the name table: 1 each (the runtime guard then counts).
    expect(estimateZohoCalls({ document: parse('mutation { createDeals(input: []) { id } }') }).calls).toBe(1);
  });
});
