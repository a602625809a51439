import type { FieldMeta } from '../../src/records/metadata.js';
import type { OrgMetadata } from '../../src/typed/derive.js';

/**
 * A synthetic Zoho org for the schema build bench: `modules` modules of `fields` fields each,
 * with a mix of data types close to what real orgs show in /settings/fields (mostly text and
 * picklists, some numbers and dates, a few lookups between the modules, an owner, formulas, and
 * a subform on a few modules). Deterministic: the same sizes always give the same metadata, so
 * runs compare.
 */

/** Field data types in the proportions the generator cycles through (per 20 fields). */
const MIX: readonly string[] = [
  'text',
  'picklist',
  'text',
  'integer',
  'currency',
  'date',
  'text',
  'datetime',
  'boolean',
  'picklist',
  'multiselectpicklist',
  'lookup',
  'text',
  'double',
  'email',
  'textarea',
  'formula',
  'phone',
  'picklist',
  'percent',
];

const NOUNS = [
  'Deal',
  'Account',
  'Contact',
  'Lead',
  'Quote',
  'Invoice',
  'Vendor',
  'Product',
  'Campaign',
  'Case',
  'Solution',
  'Project',
  'Asset',
  'Contract',
  'Visit',
  'Shipment',
  'Order',
  'Ticket',
  'Partner',
  'Event',
];

function meta(apiName: string, dataType: string, extra: Partial<FieldMeta> = {}): FieldMeta {
  return {
    apiName,
    label: apiName.replaceAll('_', ' '),
    dataType,
    jsonType: null,
    lookupModule: null,
    readOnly: false,
    mandatory: false,
    custom: true,
    length: dataType === 'text' ? 255 : null,
    picklistValues: [],
    subformModule: null,
    formulaReturnType: null,
    profiles: [],
    ...extra,
  };
}

export function moduleApiName(i: number): string {
  const noun = NOUNS[i % NOUNS.length]!;
  return i < NOUNS.length ? `${noun}s` : `${noun}_Group_${Math.floor(i / NOUNS.length)}s`;
}

export function syntheticOrg(modules: number, fields: number): OrgMetadata {
  const names = Array.from({ length: modules }, (_, i) => moduleApiName(i));
  const subforms: OrgMetadata['subforms'] = {};
  const out: OrgMetadata['modules'] = [];
  for (let i = 0; i < modules; i++) {
    const api = names[i]!;
    const singular = api.replace(/s$/, '');
    const list: FieldMeta[] = [
      meta(`${singular}_Name`, 'text', { mandatory: true, custom: false }),
      meta('Owner', 'ownerlookup', { custom: false }),
      meta('Created_Time', 'datetime', { readOnly: true, custom: false }),
      meta('Modified_Time', 'datetime', { readOnly: true, custom: false }),
    ];
    // A subform on every fifth module, with a dozen row fields of its own.
    if (i % 5 === 0) {
      const sub = `${singular}_Items`;
      subforms[sub] = Array.from({ length: 12 }, (_, k) => {
        const t = ['text', 'integer', 'currency', 'picklist', 'date', 'lookup'][k % 6]!;
        return meta(`Item_${t}_${k + 1}`, t, t === 'lookup' ? { lookupModule: names[(i + 1) % modules]! } : t === 'picklist' ? { picklistValues: ['One', 'Two', 'Three'] } : {});
      });
      list.push(meta(sub, 'subform', { subformModule: sub }));
    }
    for (let k = list.length; k < fields; k++) {
      const t = MIX[k % MIX.length]!;
      const name = `Custom_${t === 'multiselectpicklist' ? 'Multi' : t.charAt(0).toUpperCase() + t.slice(1)}_${k}`;
      let extra: Partial<FieldMeta> = {};
      if (t === 'picklist' || t === 'multiselectpicklist') extra = { picklistValues: Array.from({ length: 4 + (k % 9) }, (_, v) => `Option ${v + 1} of ${name}`) };
      else if (t === 'lookup') extra = { lookupModule: names[(i + k) % modules]! };
      else if (t === 'formula') extra = { formulaReturnType: ['currency', 'text', 'date', 'boolean'][k % 4]!, readOnly: true };
      list.push(meta(name, t, extra));
    }
    out.push({ apiName: api, label: api.replaceAll('_', ' '), fields: list });
  }
  return { modules: out, subforms };
}
