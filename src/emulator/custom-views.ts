import type { ModuleDef } from './metadata.js';
import type { ZRecord, ZUser } from './seed.js';

/**
 * The org's custom views (list views): a module, criteria, a sort. Shapes follow crm-oas
 * v8.0/custom_views.json (`custom_views[]` with id, name, display_value, system_name, category,
 * default, system_defined, locked, access_type, created/modified by and time, criteria,
 * sort_by `{id, api_name}`, sort_order) and its getCustomViews 200 example; criteria are Zoho's
 * `{comparator, field: {api_name}, value}` or `{group_operator, group: [...]}` (the `Criteria`
 * schema there).
 *
 * Every module gets Zoho's "All <plural>" view (system defined, the default); Deals also gets a
 * criteria view and Leads one sorted by a field, so `cvid` on Get Records and in COQL's FROM have
 * something to filter. UNVERIFIED: the comparators' exact semantics (equal/not_equal are exact and
 * case-insensitive on text, contains is a substring match, greater_than/less_than compare numbers)
 * and the system views' `system_name` values.
 */

export type ViewCriteria =
  | { comparator: 'equal' | 'not_equal' | 'contains' | 'starts_with' | 'greater_than' | 'less_than'; field: { api_name: string }; value: unknown }
  | { group_operator: 'AND' | 'OR'; group: ViewCriteria[] };

export interface CustomView {
  id: string;
  module: string;
  name: string;
  systemName: string | null;
  systemDefined: boolean;
  isDefault: boolean;
  criteria: ViewCriteria | null;
  /** A field api name; null: Zoho's default order (id desc in the emulator). */
  sortBy: string | null;
  sortOrder: 'asc' | 'desc';
  createdTime: string;
}

export class CustomViews {
  private readonly views = new Map<string, CustomView>();
  private counter = 0;

  constructor(
    private readonly orgId: string,
    modules: readonly ModuleDef[],
    private readonly createdTime: string,
  ) {
    for (const m of modules) {
      this.add({ module: m.api_name, name: `All ${m.plural_label}`, systemName: 'ALLVIEWS', systemDefined: true, isDefault: true, criteria: null, sortBy: null, sortOrder: 'desc' });
    }
    if (modules.some((m) => m.api_name === 'Deals')) {
      this.add({
        module: 'Deals',
        name: 'Closed Won Deals',
        criteria: { comparator: 'equal', field: { api_name: 'Stage' }, value: 'Closed Won' },
        sortBy: 'Amount',
        sortOrder: 'desc',
      });
    }
    if (modules.some((m) => m.api_name === 'Leads')) {
      this.add({ module: 'Leads', name: 'Leads by Name', criteria: null, sortBy: 'Last_Name', sortOrder: 'asc' });
    }
  }

  /** Adds a view (a test may add its own); its id is 19 digits in the org's id space. */
  add(v: Omit<CustomView, 'id' | 'systemName' | 'systemDefined' | 'isDefault' | 'createdTime'> & Partial<Pick<CustomView, 'systemName' | 'systemDefined' | 'isDefault'>>): CustomView {
    const id = `${this.orgId}000000095${String(++this.counter).padStart(3, '0')}`.slice(0, 19);
    const view: CustomView = { systemName: null, systemDefined: false, isDefault: false, createdTime: this.createdTime, ...v, id };
    this.views.set(id, view);
    return view;
  }

  get(id: string): CustomView | undefined {
    return this.views.get(id);
  }

  list(module: string): CustomView[] {
    return [...this.views.values()].filter((v) => v.module === module);
  }

  /** Whether a record belongs in the view. */
  matches(view: CustomView, record: ZRecord): boolean {
    return view.criteria === null || test(view.criteria, record);
  }

  /** A view as Zoho lists it (crm-oas getCustomViews response-200-successresponse.md). */
  static json(view: CustomView, owner: ZUser, module: ModuleDef, detail: boolean): Record<string, unknown> {
    const by = { name: owner.full_name, id: owner.id };
    return {
      display_value: view.name,
      created_time: view.createdTime,
      access_type: 'public',
      system_name: view.systemName,
      created_by: by,
      default: view.isDefault,
      modified_time: view.createdTime,
      name: view.name,
      system_defined: view.systemDefined,
      modified_by: by,
      id: view.id,
      category: view.systemDefined ? 'public_views' : 'created_by_me',
      last_accessed_time: null,
      locked: false,
      favorite: null,
      // UNVERIFIED: the list carries sort_by/sort_order; criteria and fields only the view by id
      // (the OAS list example shows neither, the schema has both).
      sort_by: view.sortBy ? { api_name: view.sortBy, id: null } : null,
      sort_order: view.sortBy ? view.sortOrder : null,
      ...(detail ? { module: { api_name: module.api_name, id: null }, criteria: view.criteria, fields: module.fields.slice(0, 6).map((f) => ({ api_name: f.api_name, id: null, _pin: false })) } : {}),
    };
  }
}

function test(c: ViewCriteria, r: ZRecord): boolean {
  if ('group' in c) return c.group_operator === 'OR' ? c.group.some((g) => test(g, r)) : c.group.every((g) => test(g, r));
  const raw = r[c.field.api_name];
  const v = raw !== null && typeof raw === 'object' && 'name' in raw ? (raw as { name: unknown }).name : raw;
  const s = v === null || v === undefined ? '' : String(v).toLowerCase();
  const want = String(c.value ?? '').toLowerCase();
  switch (c.comparator) {
    case 'equal':
      return s === want;
    case 'not_equal':
      return s !== want;
    case 'contains':
      return s.includes(want);
    case 'starts_with':
      return s.startsWith(want);
    case 'greater_than':
      return Number(v) > Number(c.value);
    case 'less_than':
      return Number(v) < Number(c.value);
  }
}
