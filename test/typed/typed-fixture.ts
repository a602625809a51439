import type { TypedField, TypedModule, ValueKind } from '../../src/typed/shape.js';

/**
 * TypedField / TypedModule made by hand for tests of the typed schema's parts, until the naming
 * module builds them from metadata. Deals' fields as src/emulator/metadata.ts has them.
 */
export function field(name: string, apiName: string, kind: ValueKind, dataType: string, extra: Partial<TypedField> = {}): TypedField {
  const unfilterable = kind === 'subform' || kind === 'json' || dataType === 'textarea';
  return {
    apiName,
    name,
    kind,
    dataType,
    label: apiName.replaceAll('_', ' '),
    readOnly: false,
    mandatory: false,
    picklistValues: [],
    lookupModule: null,
    idName: null,
    subform: null,
    filterable: !unfilterable,
    sortable: !unfilterable && kind !== 'multiselect',
    mapped: false,
    ...extra,
  };
}

export function typedModule(apiName: string, typeName: string, fields: TypedField[]): TypedModule {
  const plural = `${typeName.charAt(0).toLowerCase()}${typeName.slice(1)}s`;
  return {
    apiName,
    typeName,
    listField: plural,
    oneField: plural.slice(0, -1),
    mutations: { create: `create${typeName}s`, update: `update${typeName}s`, upsert: `upsert${typeName}s`, delete: `delete${typeName}s` },
    label: apiName,
    fields,
  };
}

/** The emulator's Deals, as the typed shape would describe them. */
export function dealsModule(): TypedModule {
  return typedModule('Deals', 'Deal', [
    field('dealName', 'Deal_Name', 'string', 'text', { mandatory: true }),
    field('stage', 'Stage', 'string', 'picklist'),
    field('amount', 'Amount', 'float', 'currency'),
    field('closingDate', 'Closing_Date', 'date', 'date'),
    field('isStrategic', 'Is_Strategic', 'boolean', 'boolean'),
    field('regions', 'Regions', 'multiselect', 'multiselectpicklist'),
    field('leadScore', 'Lead_Score', 'int', 'integer'),
    field('accountName', 'Account_Name', 'lookup', 'lookup', { lookupModule: 'Accounts', idName: 'accountNameId' }),
    field('owner', 'Owner', 'user', 'ownerlookup', { idName: 'ownerId' }),
    field('createdTime', 'Created_Time', 'datetime', 'datetime', { readOnly: true }),
    field('budgetUsd', 'Budget_USD', 'float', 'currency'),
    field('dealCode', 'Deal_Code', 'string', 'autonumber', { readOnly: true }),
    field('description', 'Description', 'string', 'textarea'),
    field('lineItems', 'Line_Items', 'subform', 'subform'),
    // A tenant's alias (setFieldMapping) of Budget_USD.
    field('budget', 'Budget_USD', 'float', 'currency', { mapped: true }),
  ]);
}
