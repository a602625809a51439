import { describe, expect, it } from 'vitest';
import { GraphQLObjectType } from 'graphql';
import { schema as genericSchema } from '../../src/graphql/schema/index.js';
import type { FieldMeta } from '../../src/records/metadata.js';
import { buildTypedSchema } from '../../src/typed/build.js';
import { deriveShape, type OrgMetadata } from '../../src/typed/derive.js';
import { assignFieldNames, assignNames, camelCase, idFieldName, singular, typeNameOf, type NameMap, type ReservedNames } from '../../src/typed/naming.js';
import { createTypedResolvers } from '../../src/typed/resolve.js';

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
/** What the gateway's generic schema reserves (the parts these rules meet): its `Record` type and record mutations. */
const RESERVED: ReservedNames = {
  types: new Set(['Query', 'Mutation', 'Record', 'User', 'Connection']),
  mutations: new Set(['createRecords', 'updateRecords', 'upsertRecords', 'deleteRecords', 'refreshSchema']),
};

const mod = (apiName: string, fields: string[] = []) => ({ apiName, fields: fields.map((f) => ({ apiName: f })) });
const names = (modules: ReturnType<typeof mod>[], previous?: NameMap) => assignNames({ modules, previous, reserved: RESERVED });

describe('singular and type names', () => {
  it.each([
    ['Deals', 'Deal'],
    ['Leads', 'Lead'],
    ['Sales_Orders', 'SalesOrder'],
    ['Activities', 'Activity'],
    ['Addresses', 'Address'],
    ['Cases', 'Case'],
    ['Field_Visits', 'FieldVisit'],
    ['Status', 'Status'],
    ['Price_Books', 'PriceBook'],
    ['Invoices', 'Invoice'],
    ['Analysis', 'Analysis'],
    ['Boxes', 'Box'],
    ['Branches', 'Branch'],
  ])('%s → %s', (api, type) => {
    expect(typeNameOf(api)).toBe(type);
  });

  // Every branch of the documented rule (docs/typed-crm.md, "The singular rule"), including the
  // mechanical outcomes a dictionary would get right and the rule on purpose does not.
  it.each([
    ['Categories', 'Category'],
    ['CATEGORIES', 'CATEGORY'],
    ['Quizzes', 'Quizz'],
    ['Wishes', 'Wish'],
    ['Glass', 'Glass'],
    ['Bus', 'Bus'],
    ['Thesis', 'Thesis'],
    ['Statuses', 'Statuse'],
    ['Ties', 'Ty'],
    ['S', 'S'],
    ['Data', 'Data'],
  ])('singular(%s) = %s', (word, one) => {
    expect(singular(word)).toBe(one);
  });

  it('only the last word is made singular', () => {
    expect(singular('Orders')).toBe('Order');
    expect(typeNameOf('Leads_Sources')).toBe('LeadsSource');
  });
});

describe('camelCase', () => {
  it.each([
    ['Deal_Name', 'dealName'],
    ['Closing_Date', 'closingDate'],
    ['Custom_Note_01', 'customNote01'],
    ['Budget_USD', 'budgetUsd'],
    ['LeadScore', 'leadScore'],
    ['SKU', 'sku'],
    ['Stage', 'stage'],
  ])('%s → %s', (api, name) => {
    expect(camelCase(api)).toBe(name);
  });

  it('camelCasing twice changes nothing', () => {
    for (const api of ['Deal_Name', 'Budget_USD', 'Custom_Note_01', 'LeadScore']) expect(camelCase(camelCase(api))).toBe(camelCase(api));
  });
});

describe('module names', () => {
  it('Deals: type Deal, crm { deals deal }, createDeals …', () => {
    expect(names([mod('Deals')]).modules.Deals).toEqual({
      type: 'Deal',
      list: 'deals',
      one: 'deal',
      create: 'createDeals',
      update: 'updateDeals',
      upsert: 'upsertDeals',
      delete: 'deleteDeals',
      fields: {},
    });
    expect(names([mod('Sales_Orders')]).modules.Sales_Orders).toMatchObject({ type: 'SalesOrder', list: 'salesOrders', one: 'salesOrder', create: 'createSalesOrders' });
  });

  it('the list field gets `List` when singular and plural coincide', () => {
    expect(names([mod('Status')]).modules.Status).toMatchObject({ type: 'Status', list: 'statusList', one: 'status', create: 'createStatus' });
  });

  it('a module named `Records` meets the gateway’s `Record` type and `createRecords`: it takes `Records_Module` names', () => {
    const n = names([mod('Records'), mod('Deals')]).modules;
    expect(n.Records).toMatchObject({ type: 'Records_Module', list: 'listRecords_Module', one: 'getRecords_Module', create: 'createRecords_Module', delete: 'deleteRecords_Module' });
    expect(n.Deals!.type).toBe('Deal');
  });

  it('a module whose mutation alone meets a gateway mutation takes its `_Module` names', () => {
    const reserved: ReservedNames = { types: new Set(), mutations: new Set(['createDeals']) };
    expect(assignNames({ modules: [mod('Deals')], reserved }).modules.Deals!.type).toBe('Deals_Module');
  });

  it('two modules whose singulars coincide both take `<ApiName>_Module` names, in either order', () => {
    const a = names([mod('Cases'), mod('Case')]).modules;
    const b = names([mod('Case'), mod('Cases')]).modules;
    expect(a).toEqual(b);
    expect(a.Cases!.type).toBe('Cases_Module');
    expect(a.Case!.type).toBe('Case_Module');
  });

  it('a GraphQL built-in type name is never taken', () => {
    expect(names([mod('Strings')]).modules.Strings!.type).toBe('Strings_Module');
  });

  it('a module added later whose singular meets a kept module’s: only the newcomer takes `_Module` names', () => {
    const before = names([mod('Cases')]);
    const after = names([mod('Cases'), mod('Case')], before).modules;
    expect(after.Cases!.type).toBe('Case');
    expect(after.Case!.type).toBe('Case_Module');
  });
});

describe('field names', () => {
  it('camelCase names, `id` left to the gateway', () => {
    expect(assignFieldNames([{ apiName: 'id' }, { apiName: 'Deal_Name' }, { apiName: 'Closing_Date' }], undefined)).toEqual({ Deal_Name: 'dealName', Closing_Date: 'closingDate' });
  });

  it('Lead_Score and LeadScore both keep their api names, whatever the order', () => {
    const a = assignFieldNames([{ apiName: 'Lead_Score' }, { apiName: 'LeadScore' }, { apiName: 'Stage' }], undefined);
    const b = assignFieldNames([{ apiName: 'Stage' }, { apiName: 'LeadScore' }, { apiName: 'Lead_Score' }], undefined);
    expect(a).toEqual({ Lead_Score: 'Lead_Score', LeadScore: 'LeadScore', Stage: 'stage' });
    expect(b).toEqual(a);
  });

  it('a colliding newcomer added later takes its api name; the older field keeps `leadScore`', () => {
    const before = assignFieldNames([{ apiName: 'Lead_Score' }], undefined);
    expect(before.Lead_Score).toBe('leadScore');
    const after = assignFieldNames([{ apiName: 'LeadScore' }, { apiName: 'Lead_Score' }], before);
    expect(after).toEqual({ Lead_Score: 'leadScore', LeadScore: 'LeadScore' });
  });

  it('the same through assignNames with the previous name map', () => {
    const before = names([mod('Deals', ['Deal_Name'])]);
    const after = names([mod('Deals', ['DealName', 'Deal_Name'])], before);
    expect(after.modules.Deals!.fields).toEqual({ Deal_Name: 'dealName', DealName: 'DealName' });
  });

  it('a field camelCasing to `id`, `and` or `or` keeps its api name', () => {
    expect(assignFieldNames([{ apiName: 'ID' }, { apiName: 'AND' }, { apiName: 'Or' }, { apiName: 'Stage' }], undefined)).toEqual({ ID: 'ID', AND: 'AND', Or: 'Or', Stage: 'stage' });
  });

  it('a camelCase name that is another field’s api name goes to neither', () => {
    expect(assignFieldNames([{ apiName: 'Deal_Name' }, { apiName: 'dealName' }], undefined)).toEqual({ Deal_Name: 'Deal_Name', dealName: 'dealName' });
  });

  it('a field named verbatim after a collision keeps that name when the other claimant goes', () => {
    const before = assignFieldNames([{ apiName: 'Lead_Score' }, { apiName: 'LeadScore' }], undefined);
    expect(assignFieldNames([{ apiName: 'Lead_Score' }], before)).toEqual({ Lead_Score: 'Lead_Score' });
  });

  it('raw id companions: `ownerId`, or `owner_Id` when `ownerId` is a field', () => {
    expect(idFieldName('owner', new Set(['owner']))).toBe('ownerId');
    expect(idFieldName('owner', new Set(['owner', 'ownerId']))).toBe('owner_Id');
  });
});

describe('stability and validity', () => {
  const org = [
    mod('Deals', ['Deal_Name', 'Lead_Score', 'LeadScore', 'Budget_USD', 'ID', 'Owner', 'Closing_Date']),
    mod('Records', ['Name']),
    mod('Status', ['Name']),
    mod('Cases', ['Subject']),
    mod('Case', ['Subject']),
    mod('Sales_Orders', ['Subject', 'Grand_Total']),
    mod('Field_Visits', ['Visit_Date']),
  ];

  it('the same input gives the same names, with or without the previous map', () => {
    const first = names(org);
    expect(names(org)).toEqual(first);
    expect(names(org, first)).toEqual(first);
    expect(names([...org].reverse(), first)).toEqual(first);
  });

  it('every name is a GraphQL name, not `__`-prefixed, and unique in its namespace', () => {
    const n = names(org);
    const types = new Set<string>();
    const crm = new Set<string>();
    const mutations = new Set<string>();
    for (const m of Object.values(n.modules)) {
      for (const x of [m.type, m.list, m.one, m.create, m.update, m.upsert, m.delete, ...Object.values(m.fields)]) {
        expect(x).toMatch(GRAPHQL_NAME);
        expect(x.startsWith('__')).toBe(false);
      }
      expect(types.has(m.type)).toBe(false);
      types.add(m.type);
      for (const c of [m.list, m.one]) {
        expect(crm.has(c)).toBe(false);
        crm.add(c);
      }
      for (const c of [m.create, m.update, m.upsert, m.delete]) {
        expect(mutations.has(c) || RESERVED.mutations.has(c)).toBe(false);
        mutations.add(c);
      }
      expect(new Set(Object.values(m.fields)).size).toBe(Object.values(m.fields).length);
      expect(Object.values(m.fields)).not.toContain('id');
    }
  });

  // Before: `__Secret` + `__secret` (both camelCasing to `secret`) were named verbatim, and `3D_Prints`
  // took `3D_Prints_Module`: names graphql-js refuses, so the connection's whole schema failed to build.
  it('an api name that is not a GraphQL name, or starts with `_`, gets no name (the schema stays valid)', () => {
    const f = assignFieldNames([{ apiName: 'Deal-Name' }, { apiName: '__Secret' }, { apiName: '__secret' }, { apiName: 'Stage' }], undefined);
    expect(f).toEqual({ Stage: 'stage' });
    expect(Object.keys(names([mod('3D_Prints'), mod('__Hidden'), mod('_'), mod('Deals')]).modules)).toEqual(['Deals']);
  });
});

describe('names in the built schema', () => {
  const meta = (apiName: string, dataType: string, extra: Partial<FieldMeta> = {}): FieldMeta => ({
    apiName,
    label: apiName,
    dataType,
    jsonType: null,
    lookupModule: null,
    readOnly: false,
    mandatory: false,
    custom: true,
    length: null,
    picklistValues: [],
    subformModule: null,
    formulaReturnType: null,
    profiles: [],
    ...extra,
  });

  it('a kept lookup keeps its raw id field when Zoho adds a field camelCasing to it', () => {
    const reserved: ReservedNames = { types: new Set(), mutations: new Set() };
    const metadata: OrgMetadata = {
      modules: [
        { apiName: 'Deals', label: 'Deals', fields: [meta('Deal_Name', 'text'), meta('Account_Name', 'lookup', { lookupModule: 'Accounts' })] },
        { apiName: 'Accounts', label: 'Accounts', fields: [meta('Account_Name', 'text')] },
      ],
      subforms: {},
    };
    const before = assignNames({ modules: metadata.modules, reserved });
    const idBefore = deriveShape(metadata, before)
      .modules.find((m) => m.apiName === 'Deals')!
      .fields.find((f) => f.apiName === 'Account_Name')!.idName;
    expect(idBefore).toBe('accountNameId');
    metadata.modules[0]!.fields.push(meta('Account_Name_Id', 'text'));
    const after = assignNames({ modules: metadata.modules, previous: before, reserved });
    const deals = deriveShape(metadata, after).modules.find((m) => m.apiName === 'Deals')!;
    expect(deals.fields.find((f) => f.apiName === 'Account_Name')).toMatchObject({ name: 'accountName', idName: 'accountNameId' });
    expect(deals.fields.find((f) => f.apiName === 'Account_Name_Id')!.name).toBe('Account_Name_Id');
  });

  // Before: a kept `lineItems` (Line_Items) and a newcomer subform `LineItems` both made
  // `Deal_LineItemsRow`; the build made one type per name, so LineItems' rows showed Line_Items' fields.
  it('a kept subform and a colliding newcomer get row types of their own', () => {
    const metadata: OrgMetadata = {
      modules: [{ apiName: 'Deals', label: 'Deals', fields: [meta('Deal_Name', 'text'), meta('Line_Items', 'subform', { subformModule: 'Line_Items' })] }],
      subforms: { Line_Items: [meta('Product_Name', 'text')], Line_Items_2: [meta('Visit_Note', 'text')] },
    };
    const before = assignNames({
      modules: metadata.modules,
      reserved: { types: new Set(Object.keys(genericSchema.getTypeMap())), mutations: new Set(Object.keys(genericSchema.getMutationType()!.getFields())) },
    });
    metadata.modules[0]!.fields.push(meta('LineItems', 'subform', { subformModule: 'Line_Items_2' }));
    const names = assignNames({
      modules: metadata.modules,
      previous: before,
      reserved: { types: new Set(Object.keys(genericSchema.getTypeMap())), mutations: new Set(Object.keys(genericSchema.getMutationType()!.getFields())) },
    });
    expect(names.modules.Deals!.fields).toMatchObject({ Line_Items: 'lineItems', LineItems: 'LineItems' });
    const shape = deriveShape(metadata, names);
    const schema = buildTypedSchema(genericSchema, shape, createTypedResolvers(shape, { staleShape: () => {} }));
    const deal = schema.getType('Deal') as GraphQLObjectType;
    const rowOf = (field: string) => {
      let t = deal.getFields()[field]!.type;
      while ('ofType' in t) t = t.ofType;
      return t as GraphQLObjectType;
    };
    expect(rowOf('lineItems').name).not.toBe(rowOf('LineItems').name);
    expect(Object.keys(rowOf('lineItems').getFields())).toContain('productName');
    expect(Object.keys(rowOf('LineItems').getFields())).toContain('visitNote');
    expect(Object.keys(rowOf('LineItems').getFields())).not.toContain('productName');
  });
});
