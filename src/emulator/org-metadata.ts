import { cloneField, cloneModule, MODULES, SUBFORMS, type DataType, type FieldDef, type FieldPermission, type ModuleDef } from './metadata.js';
import type { ZRecord, ZUser } from './seed.js';
import { toZohoDate, toZohoDateTime } from './seed.js';

/**
 * The module and field definitions of one emulated org (one emulator instance, one data centre).
 * Each instance starts from its own deep copy of the template in metadata.ts, so tests can give two
 * DCs different shapes, add a custom module, or add a field while a gateway runs, and every route
 * (records, search, COQL, metadata, notifications) sees the change on its next call.
 *
 * Field-level security: a field's `permissions` say what each profile may do with it. What the
 * connected user's profile cannot see is left out of what that user reads and may write:
 *  - GET /settings/fields still lists it: "The fields whose permission is set as Don't Show will
 *    also be fetched in the response" (https://www.zoho.com/crm/developer/docs/api/v2.1/field-meta.html,
 *    same note on the vertical-solutions v4 page); each field carries `profiles` with each
 *    profile's `permission_type` (crm-oas v8.0 getFields FieldSchema), and `read_only` "Indicates
 *    whether the field is read-only for the current user" (same schema).
 *  - record reads (GET, list, search, COQL) leave the field out, and writes refuse it as an unknown
 *    field; a read-only field is refused as read-only. UNVERIFIED: Zoho documents "hidden: The field
 *    is not visible to the user" (v7 create-custom-field.html) but no record-API behaviour; this is
 *    our reading of it.
 */

/** What addModule needs; everything but the api name has a default. */
export interface NewModule {
  api_name: string;
  singular_label?: string;
  plural_label?: string;
  module_name?: string;
  /** Fields besides the system ones; a mandatory text `Name` is added first when absent. */
  fields?: FieldDef[];
}

/** The parts of the emulator the metadata API writes records through (bound by the emulator). */
export interface RecordStore {
  records(module: string): Map<string, ZRecord>;
  nextId(): string;
  users(): ZUser[];
  now(): number;
}

export interface Profile {
  name: string;
  id: string;
}

const SYSTEM_FIELDS: FieldDef[] = [
  { api_name: 'Owner', field_label: 'Owner', data_type: 'ownerlookup', lookupModule: 'users' },
  { api_name: 'Created_By', field_label: 'Created By', data_type: 'ownerlookup', readOnly: true },
  { api_name: 'Modified_By', field_label: 'Modified By', data_type: 'ownerlookup', readOnly: true },
  { api_name: 'Created_Time', field_label: 'Created Time', data_type: 'datetime', readOnly: true },
  { api_name: 'Modified_Time', field_label: 'Modified Time', data_type: 'datetime', readOnly: true },
];

/** Zoho's rule for api names: letters, digits and single underscores, starting with a letter (https://www.zoho.com/crm/help/api-names.html). */
const API_NAME = /^[A-Za-z](?:_?[A-Za-z0-9])*$/;

export class OrgMetadata {
  modules: ModuleDef[];
  readonly subforms: ModuleDef[];
  private store: RecordStore | undefined;

  constructor(template: { modules?: ModuleDef[]; subforms?: ModuleDef[] } = {}) {
    this.modules = (template.modules ?? MODULES).map(cloneModule);
    this.subforms = (template.subforms ?? SUBFORMS).map(cloneModule);
  }

  attach(store: RecordStore): void {
    this.store = store;
  }

  module(apiName: string): ModuleDef | undefined {
    return this.modules.find((m) => m.api_name === apiName);
  }

  subform(apiName: string): ModuleDef | undefined {
    return this.subforms.find((m) => m.api_name === apiName);
  }

  /** The org's profiles, as the users carry them (`profile: {name, id}`). */
  profiles(): Profile[] {
    const seen = new Map<string, Profile>();
    for (const u of this.store?.users() ?? []) if (!seen.has(u.profile.id)) seen.set(u.profile.id, { name: u.profile.name, id: u.profile.id });
    return [...seen.values()];
  }

  permission(field: FieldDef, profileName: string): FieldPermission {
    return field.permissions?.[profileName] ?? 'read_write';
  }

  /**
   * The module as a user of `profileName` meets it in the record APIs: hidden fields gone,
   * read-only ones flagged readOnly. Returns the module itself when the profile has no restriction.
   */
  view(module: ModuleDef, profileName: string): ModuleDef {
    if (!module.fields.some((f) => f.permissions?.[profileName])) return module;
    const fields: FieldDef[] = [];
    for (const f of module.fields) {
      const p = this.permission(f, profileName);
      if (p === 'hidden') continue;
      fields.push(p === 'read_only' && !f.readOnly ? { ...f, readOnly: true } : f);
    }
    return { ...module, fields };
  }

  /** Every module as `profileName` meets it (for COQL, whose joins reach other modules). */
  views(profileName: string): ModuleDef[] {
    return this.modules.map((m) => this.view(m, profileName));
  }

  // ---- test-facing API -------------------------------------------------------------------

  /**
   * Adds a field to a module (or a subform module). Existing records get null for it, as Zoho
   * shows a new field empty on old records; `value` fills them instead.
   */
  addField(moduleApiName: string, field: FieldDef, opts: { value?: (record: ZRecord, index: number) => unknown } = {}): FieldDef {
    const module = this.module(moduleApiName) ?? this.subform(moduleApiName);
    if (!module) throw new Error(`no module ${moduleApiName}`);
    if (!API_NAME.test(field.api_name)) throw new Error(`invalid api name ${field.api_name}`);
    if (module.fields.some((f) => f.api_name === field.api_name)) throw new Error(`${moduleApiName}.${field.api_name} exists`);
    const def = cloneField(field);
    module.fields.push(def);
    if (this.store && this.module(moduleApiName)) {
      let i = 0;
      for (const rec of this.store.records(moduleApiName).values()) rec[def.api_name] = opts.value ? opts.value(rec, i++) : null;
    }
    return def;
  }

  /** Removes a field and its values (Zoho deletes a custom field's data with it). */
  removeField(moduleApiName: string, apiName: string): void {
    const module = this.module(moduleApiName) ?? this.subform(moduleApiName);
    const index = module?.fields.findIndex((f) => f.api_name === apiName) ?? -1;
    if (!module || index < 0) throw new Error(`no field ${moduleApiName}.${apiName}`);
    module.fields.splice(index, 1);
    if (this.store && this.module(moduleApiName)) for (const rec of this.store.records(moduleApiName).values()) delete rec[apiName];
  }

  /** Sets one profile's permission on a field (`read_write` lifts a restriction). */
  setFieldPermission(moduleApiName: string, apiName: string, profileName: string, permission: FieldPermission): void {
    const field = (this.module(moduleApiName) ?? this.subform(moduleApiName))?.fields.find((f) => f.api_name === apiName);
    if (!field) throw new Error(`no field ${moduleApiName}.${apiName}`);
    const rest = { ...(field.permissions ?? {}) };
    delete rest[profileName];
    field.permissions = permission === 'read_write' ? rest : { ...rest, [profileName]: permission };
  }

  /**
   * Adds a custom module as an org admin would create it: generated_type `custom`, an internal
   * `CustomModuleN` module_name (as Zoho's getModules lists `CustomModule1`,
   * https://www.zoho.com/nl/crm/help/api/getmodules.html), a mandatory `Name` and the system fields;
   * optionally seeded with `records` records so it can be listed at once.
   */
  addModule(def: NewModule, opts: { records?: number } = {}): ModuleDef {
    if (!API_NAME.test(def.api_name)) throw new Error(`invalid api name ${def.api_name}`);
    if (this.module(def.api_name) || this.subform(def.api_name)) throw new Error(`module ${def.api_name} exists`);
    const singular = def.singular_label ?? def.api_name.replace(/_/g, ' ');
    const own = (def.fields ?? []).map(cloneField);
    const fields: FieldDef[] = [];
    if (!own.some((f) => f.api_name === 'Name')) fields.push({ api_name: 'Name', field_label: `${singular} Name`, data_type: 'text', mandatory: true, length: 120 });
    fields.push(...own);
    for (const s of SYSTEM_FIELDS) if (!fields.some((f) => f.api_name === s.api_name)) fields.push(cloneField(s));
    const customCount = this.modules.filter((m) => m.generated_type === 'custom').length;
    const module: ModuleDef = {
      api_name: def.api_name,
      module_name: def.module_name ?? `CustomModule${customCount + 1}`,
      singular_label: singular,
      plural_label: def.plural_label ?? def.api_name.replace(/_/g, ' '),
      generated_type: 'custom',
      fields,
    };
    this.modules.push(module);
    const store = this.store;
    if (store) {
      const target = store.records(module.api_name);
      for (let i = 0; i < (opts.records ?? 0); i++) {
        const rec = sampleRecord(module, i, store);
        target.set(rec.id, rec);
      }
    }
    return module;
  }
}

/** A deterministic record for a module added by a test: every field gets a value of its type. */
function sampleRecord(module: ModuleDef, i: number, store: RecordStore): ZRecord {
  const users = store.users().filter((u) => u.status === 'active');
  const owner = users[i % users.length]!;
  const ref = (u: ZUser) => ({ name: u.full_name, id: u.id, email: u.email });
  const base = Date.UTC(2025, 0, 6, 9, 0, 0);
  const rec: ZRecord = { id: store.nextId() };
  for (const f of module.fields) rec[f.api_name] = sampleValue(f, i, module);
  rec.Name = `${module.singular_label} ${i + 1}`;
  Object.assign(rec, {
    Owner: ref(owner),
    Created_By: ref(users[0]!),
    Modified_By: ref(owner),
    Created_Time: toZohoDateTime(base + i * 60_000),
    Modified_Time: toZohoDateTime(base + i * 60_000),
  });
  for (const f of module.fields) if (f.formula) rec[f.api_name] = f.formula.compute(rec);
  return rec;
}

function sampleValue(f: FieldDef, i: number, module: ModuleDef): unknown {
  const t: DataType = f.data_type;
  switch (t) {
    case 'text':
    case 'textarea':
      return `${f.field_label} ${i + 1}`;
    case 'email':
      return `${module.api_name.toLowerCase()}${i + 1}@mail.example`;
    case 'phone':
      return `+1 555 ${String(5000 + i).slice(-4)}`;
    case 'website':
      return `https://example.com/${module.api_name.toLowerCase()}/${i + 1}`;
    case 'picklist':
      return f.picklist?.length ? f.picklist[i % f.picklist.length] : null;
    case 'multiselectpicklist':
      return f.picklist?.length ? [f.picklist[i % f.picklist.length]] : [];
    case 'integer':
    case 'bigint':
      return i + 1;
    case 'currency':
    case 'double':
    case 'decimal':
    case 'percent':
      return (i + 1) * 10;
    case 'boolean':
      return i % 2 === 0;
    case 'date':
      return toZohoDate(Date.UTC(2025, 0, 6) + i * 86_400_000);
    case 'datetime':
      return toZohoDateTime(Date.UTC(2025, 0, 6, 9) + i * 3_600_000);
    case 'autonumber':
      return `${module.api_name.slice(0, 2).toUpperCase()}-${String(i + 1).padStart(4, '0')}`;
    case 'subform':
      return [];
    default:
      // lookups, user lookups and formulas: empty here (formulas are computed by sampleRecord).
      return null;
  }
}
