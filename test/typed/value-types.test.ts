import { describe, expect, it } from 'vitest';
import { GraphQLInputObjectType, GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { schema as genericSchema } from '../../src/graphql/schema/index.js';
import type { FieldMeta } from '../../src/records/metadata.js';
import { buildTypedSchema } from '../../src/typed/build.js';
import { deriveShape, type OrgMetadata } from '../../src/typed/derive.js';
import { assignNames } from '../../src/typed/naming.js';
import { createTypedResolvers } from '../../src/typed/resolve.js';

/**
 * The value-type table, one Zoho `data_type` per field of one module, through naming,
 * derive and build as the registry runs them. The emulator's demo org has no bigint, double or
 * rollup_summary field, and the end-to-end type checks (reads.test.ts) look at Deals only.
 */

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

const ASSETS: OrgMetadata = {
  modules: [
    {
      apiName: 'Assets',
      label: 'Assets',
      fields: [
        meta('Name', 'text', { mandatory: true }),
        meta('Notes', 'textarea'),
        meta('Contact_Email', 'email'),
        meta('Phone', 'phone'),
        meta('Site', 'website'),
        meta('Stage', 'picklist', { picklistValues: ['New', 'In Use', 'Retired'], mandatory: true }),
        meta('Units', 'integer'),
        meta('Serial_Ref', 'bigint'),
        meta('Asset_Code', 'autonumber', { mandatory: true }),
        meta('Weight', 'double'),
        meta('Price', 'currency'),
        meta('Share', 'percent'),
        meta('Ratio', 'decimal'),
        meta('Active', 'boolean'),
        meta('Bought_On', 'date'),
        meta('Checked_At', 'datetime'),
        meta('Tags', 'multiselectpicklist'),
        meta('Vendor', 'lookup', { lookupModule: 'Vendors' }),
        meta('Owner', 'ownerlookup', { mandatory: true }),
        meta('Custodian', 'userlookup'),
        meta('Parts', 'subform', { subformModule: 'Parts' }),
        meta('Book_Value', 'formula', { formulaReturnType: 'double' }),
        meta('Parts_Total', 'rollup_summary'),
        meta('Audit_Note', 'text', { readOnly: true, mandatory: true }),
      ],
    },
    { apiName: 'Vendors', label: 'Vendors', fields: [meta('Vendor_Name', 'text', { mandatory: true })] },
  ],
  subforms: { Parts: [meta('Part_Name', 'text'), meta('Qty', 'integer')] },
};

function build(md: OrgMetadata): GraphQLSchema {
  const names = assignNames({
    modules: md.modules,
    reserved: { types: new Set(Object.keys(genericSchema.getTypeMap())), mutations: new Set(Object.keys(genericSchema.getMutationType()!.getFields())) },
  });
  const shape = deriveShape(md, names);
  return buildTypedSchema(genericSchema, shape, createTypedResolvers(shape, { staleShape: () => {} }));
}

const schema = build(ASSETS);
const fieldsOf = (type: string): Record<string, string> => {
  const t = schema.getType(type) as GraphQLObjectType | GraphQLInputObjectType | undefined;
  if (!t) throw new Error(`no type ${type}`);
  return Object.fromEntries(Object.values(t.getFields()).map((f) => [f.name, String(f.type)]));
};

describe('value types from Zoho data_type', () => {
  it('each data_type gives the issue’s GraphQL type', () => {
    expect(fieldsOf('Asset')).toEqual({
      id: 'ID!',
      name: 'String',
      notes: 'String',
      contactEmail: 'String',
      phone: 'String',
      site: 'String',
      stage: 'String',
      units: 'Int',
      // Beyond 2^53 and not an Int32: a String, never a Float that rounds the digits.
      serialRef: 'String',
      assetCode: 'String',
      weight: 'Float',
      price: 'Float',
      share: 'Float',
      ratio: 'Float',
      active: 'Boolean',
      boughtOn: 'Date',
      checkedAt: 'DateTime',
      tags: '[String!]',
      vendor: 'Vendor',
      vendorId: 'ID',
      owner: 'User',
      ownerId: 'ID',
      custodian: 'User',
      custodianId: 'ID',
      parts: '[Asset_PartsRow!]',
      bookValue: 'Float',
      partsTotal: 'Float',
      auditNote: 'String',
    });
    expect(fieldsOf('Asset_PartsRow')).toMatchObject({ partName: 'String', qty: 'Int' });
  });

  it('a picklist lists its values in the field description (Zoho accepts new ones on write)', () => {
    const d = (schema.getType('Asset') as GraphQLObjectType).getFields().stage!.description ?? '';
    expect(d).toContain('New, In Use, Retired');
    expect((schema.getType('Asset_CreateInput') as GraphQLInputObjectType).getFields().stage!.description).toContain('New, In Use, Retired');
  });

  it('formula, rollup, autonumber and read-only fields are readable but absent from inputs; mandatory is non-null only where Zoho marks it and the field is writable', () => {
    const create = fieldsOf('Asset_CreateInput');
    const update = fieldsOf('Asset_UpdateInput');
    for (const inputs of [create, update]) {
      for (const readOnly of ['bookValue', 'partsTotal', 'assetCode', 'auditNote', 'vendor', 'owner', 'custodian']) expect(inputs).not.toHaveProperty(readOnly);
    }
    expect(create).toMatchObject({ serialRef: 'String', units: 'Int', tags: '[String!]', vendorId: 'ID', custodianId: 'ID', parts: '[Asset_PartsRowInput!]' });
    // Mandatory in Zoho: Name, Stage, Owner (by its raw id); Asset_Code and Audit_Note are
    // mandatory but Zoho fills or locks them, so a client could never satisfy a non-null there.
    expect(
      Object.entries(create)
        .filter(([, t]) => t.endsWith('!'))
        .map(([n]) => n)
        .sort(),
    ).toEqual(['name', 'ownerId', 'stage'].sort());
    expect(
      Object.entries(update)
        .filter(([, t]) => t.endsWith('!'))
        .map(([n]) => n),
    ).toEqual(['id']);
  });

  it('filters and ordering follow the value type: bigint compares as digits, textarea and subform take no filter', () => {
    const filter = fieldsOf('Asset_Filter');
    expect(filter).toMatchObject({
      serialRef: 'BigInt_Comparison',
      units: 'Int_Comparison',
      price: 'Float_Comparison',
      partsTotal: 'Float_Comparison',
      stage: 'String_Comparison',
      contactEmail: 'String_Comparison',
      active: 'Boolean_Comparison',
      boughtOn: 'Date_Comparison',
      checkedAt: 'DateTime_Comparison',
    });
    expect(filter).not.toHaveProperty('notes');
    expect(filter).not.toHaveProperty('parts');
    const order = fieldsOf('Asset_OrderBy');
    expect(order).toMatchObject({ serialRef: 'SortOrder', price: 'SortOrder', boughtOn: 'SortOrder' });
    for (const unsortable of ['tags', 'parts', 'notes', 'vendor', 'owner']) expect(order).not.toHaveProperty(unsortable);
  });
});
