import { findField, MODULES, type ModuleDef } from '../metadata.js';
import { CoqlError } from './errors.js';

/**
 * `include_meta: ["fields"]` asks for the metadata of the SELECT columns beside the data
 * (OAS executeCOQLQuery request example GetLeadsWithFieldMetadata and response SuccessResponseWithFieldsMeta;
 * https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html "Sample query to retrieve field metadata").
 * The OAS schema allows exactly one item, "fields"; the error shapes are the OAS InvalidData* examples.
 */
export function checkIncludeMeta(value: unknown): boolean {
  if (value === undefined) return false;
  if (!Array.isArray(value)) {
    throw new CoqlError('INVALID_DATA', 'invalid data', { expected_data_type: 'jsonarray', api_name: 'include_meta', json_path: '$.include_meta' });
  }
  value.forEach((item, i) => {
    const json_path = `$.include_meta[${i}]`;
    if (typeof item !== 'string') throw new CoqlError('INVALID_DATA', 'invalid data', { expected_data_type: 'text', api_name: 'include_meta', json_path, supported_values: ['fields'] });
    if (item !== 'fields') throw new CoqlError('INVALID_DATA', 'invalid data', { api_name: 'include_meta', json_path, supported_values: ['fields'] });
  });
  return value.length > 0;
}

/**
 * The `fields` object: one entry per plain SELECT column of the base module, keyed by api_name.
 * Zoho's entries carry dozens of attributes; we give the ones metadata.ts models (a subset of
 * GET /settings/fields). UNVERIFIED: what Zoho gives for dotted (joined) columns; we leave them out.
 */
export function fieldsMeta(module: string, columns: string[], modules: ModuleDef[] = MODULES): Record<string, unknown> {
  const mod = modules.find((m) => m.api_name === module);
  const out: Record<string, unknown> = {};
  if (!mod) return out;
  for (const name of columns) {
    const f = findField(mod, name);
    if (!f) continue;
    out[name] = {
      api_name: f.api_name,
      field_label: f.field_label,
      display_label: f.field_label,
      data_type: f.data_type,
      custom_field: f.custom ?? false,
      read_only: f.readOnly ?? false,
      system_mandatory: f.mandatory ?? false,
      length: f.length ?? null,
      ...(f.lookupModule ? { lookup: { module: { api_name: f.lookupModule } } } : { lookup: {} }),
    };
  }
  return out;
}
