import type { ZohoFetch } from '../zoho/client.js';

/**
 * Module and field metadata of a connection's org (`GET /crm/v8/settings/modules`,
 * `GET /crm/v8/settings/fields?module=`), cached per connection for a short time: the gateway
 * needs it to validate api names, to know where a lookup points and what `data` holds, and Zoho
 * changes it rarely. One fetch at a time per key (concurrent requests share it).
 */

export interface ModuleMeta {
  apiName: string;
  moduleName: string;
  singularLabel: string;
  pluralLabel: string;
  apiSupported: boolean;
}

export interface FieldMeta {
  apiName: string;
  label: string;
  dataType: string;
  jsonType: string | null;
  /** For `lookup` fields: the module the lookup points to. */
  lookupModule: string | null;
  readOnly: boolean;
  mandatory: boolean;
  custom: boolean;
  length: number | null;
  picklistValues: string[];
  /** For `subform` fields: the subform's own module, whose fields make up one row. */
  subformModule: string | null;
  /** For `formula` fields: the type of the result (`double`, `currency`, `text`, `boolean`, `date`, …). */
  formulaReturnType: string | null;
  /**
   * Zoho's per-profile permission (`profiles[].permission_type`: read_write, read_only, hidden).
   * /settings/fields lists fields hidden from the caller's profile too ("The fields whose
   * permission is set as Don't Show will also be fetched", field-meta.html), so this is how a
   * client tells them apart.
   */
  profiles: { id: string; name: string; permission: string }[];
}

/** How a connection's metadata is keyed (per-request Metadata, the typed schema registry). */
export const metadataKey = (tenantId: string, connectionName: string) => `${tenantId}:${connectionName}`;

/** How long metadata is trusted (ms): short, so a field added in Zoho shows up within minutes. */
export const METADATA_TTL_MS = 5 * 60_000;

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

export class MetadataService {
  private readonly cache = new Map<string, Entry<unknown>>();

  constructor(private readonly options: { ttlMs?: number; now?: () => number; maxEntries?: number } = {}) {}

  /** API-supported modules of the connection identified by `connectionKey`. */
  modules(connectionKey: string, fetch: ZohoFetch): Promise<ModuleMeta[]> {
    return this.cached(`${connectionKey}|modules`, async () => {
      const res = await fetch<{ modules?: RawModule[] }>({ method: 'GET', path: '/settings/modules' });
      return (res.body?.modules ?? []).map(toModule).filter((m) => m.apiSupported);
    });
  }

  /** Fields of one module (validated by the caller against `modules`). */
  fields(connectionKey: string, module: string, fetch: ZohoFetch): Promise<FieldMeta[]> {
    return this.cached(`${connectionKey}|fields|${module}`, async () => {
      const res = await fetch<{ fields?: RawField[] }>({ method: 'GET', path: '/settings/fields', query: { module } });
      return (res.body?.fields ?? []).map(toField);
    });
  }

  /** Forgets a connection's cached metadata, so the next read asks Zoho (a schema refresh needs Zoho's answer of now). */
  invalidate(connectionKey: string): void {
    for (const key of [...this.cache.keys()]) if (key.startsWith(`${connectionKey}|`)) this.cache.delete(key);
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.cache.get(key) as Entry<T> | undefined;
    if (hit && now - hit.at < (this.options.ttlMs ?? METADATA_TTL_MS)) return hit.value;
    const value = load();
    // A failed load is not cached: the next request tries again.
    value.catch(() => this.cache.get(key)?.value === value && this.cache.delete(key));
    this.cache.set(key, { at: now, value });
    const max = this.options.maxEntries ?? 10_000;
    if (this.cache.size > max) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }
}

interface RawModule {
  api_name?: string;
  module_name?: string;
  singular_label?: string;
  plural_label?: string;
  api_supported?: boolean;
}

interface RawField {
  api_name?: string;
  field_label?: string;
  display_label?: string;
  data_type?: string;
  json_type?: string | null;
  read_only?: boolean;
  field_read_only?: boolean;
  system_mandatory?: boolean;
  custom_field?: boolean;
  length?: number | null;
  lookup?: { module?: { api_name?: string } };
  pick_list_values?: { actual_value?: string; display_value?: string }[];
  subform?: { module?: string };
  associated_module?: { api_name?: string };
  formula?: { return_type?: string };
  profiles?: { id?: string; name?: string; permission_type?: string }[];
}

function toModule(m: RawModule): ModuleMeta {
  return {
    apiName: m.api_name ?? '',
    moduleName: m.module_name ?? m.api_name ?? '',
    singularLabel: m.singular_label ?? m.api_name ?? '',
    pluralLabel: m.plural_label ?? m.api_name ?? '',
    apiSupported: m.api_supported !== false,
  };
}

function toField(f: RawField): FieldMeta {
  return {
    apiName: f.api_name ?? '',
    label: f.field_label ?? f.display_label ?? f.api_name ?? '',
    dataType: f.data_type ?? 'text',
    jsonType: f.json_type ?? null,
    lookupModule: f.data_type === 'lookup' ? (f.lookup?.module?.api_name ?? null) : null,
    readOnly: Boolean(f.read_only || f.field_read_only),
    mandatory: Boolean(f.system_mandatory),
    custom: Boolean(f.custom_field),
    length: f.length ?? null,
    picklistValues: (f.pick_list_values ?? []).map((v) => v.actual_value ?? v.display_value ?? '').filter(Boolean),
    // Zoho's SDKs read a subform's module from either key (src/emulator/routes/org.ts gives both).
    subformModule: f.data_type === 'subform' ? (f.subform?.module ?? f.associated_module?.api_name ?? null) : null,
    formulaReturnType: f.data_type === 'formula' ? (f.formula?.return_type ?? null) : null,
    profiles: (f.profiles ?? []).map((p) => ({ id: String(p.id ?? ''), name: p.name ?? '', permission: p.permission_type ?? 'read_write' })),
  };
}
