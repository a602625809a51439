import type { EmulatorContext } from '../emulator.js';
import { MODULES, type DataType, type ModuleDef } from '../metadata.js';
import type { ZRecord, ZUser } from '../seed.js';

/**
 * What COQL can reach from a module: its fields (from metadata.ts) plus `id`, and through lookups
 * the fields of the looked-up module. User lookups (Owner, Created_By, Modified_By) lead to the
 * users "module", whose `role` and `profile` lead further (Zoho documents `Owner.profile.name`,
 * `Owner.role.id` under "Roles and Profiles support" in
 * https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html).
 */

export type CoqlType = DataType | 'id';

export interface CoqlField {
  api_name: string;
  type: CoqlType;
  /** For lookups: the key of the module the field points to (a CRM module api name, or users/roles/profiles). */
  target?: string;
}

const USER_FIELDS: CoqlField[] = [
  { api_name: 'id', type: 'id' },
  { api_name: 'first_name', type: 'text' },
  { api_name: 'last_name', type: 'text' },
  { api_name: 'full_name', type: 'text' },
  { api_name: 'email', type: 'email' },
  { api_name: 'status', type: 'picklist' },
  { api_name: 'role', type: 'lookup', target: 'roles' },
  { api_name: 'profile', type: 'lookup', target: 'profiles' },
];
const NAMED: CoqlField[] = [
  { api_name: 'id', type: 'id' },
  { api_name: 'name', type: 'text' },
];

/**
 * `modules` are the org's definitions as the querying user sees them (an emulator instance's own,
 * less the fields the user's profile hides); the template org when not given.
 */
export function fieldsOf(moduleKey: string, modules: ModuleDef[] = MODULES): CoqlField[] | undefined {
  if (moduleKey === 'users') return USER_FIELDS;
  if (moduleKey === 'roles' || moduleKey === 'profiles') return NAMED;
  const mod = modules.find((m) => m.api_name === moduleKey);
  if (!mod) return undefined;
  return [
    { api_name: 'id', type: 'id' },
    ...mod.fields.map((f): CoqlField => {
      // A user lookup joins to users like an owner does (UNVERIFIED for COQL).
      if (f.data_type === 'ownerlookup' || f.data_type === 'userlookup') return { api_name: f.api_name, type: 'ownerlookup', target: 'users' };
      // A formula compares as its return type.
      if (f.formula) return { api_name: f.api_name, type: f.formula.return_type };
      if (f.data_type === 'lookup') return { api_name: f.api_name, type: 'lookup', target: f.lookupModule! };
      return { api_name: f.api_name, type: f.data_type };
    }),
  ];
}

/** A resolved path: the field at each step; every step but the last is a lookup. */
export interface ResolvedPath {
  steps: CoqlField[];
  last: CoqlField;
  /** The lookup prefixes the path joins through (`Account_Name`, `Account_Name.Parent_Account`). */
  joins: string[];
}

/** Resolves `Account_Name.Parent_Account.Account_Name` from a base module; undefined when any step is unknown. Names match exactly (UNVERIFIED: Zoho may ignore case). */
export function resolvePath(baseModule: string, path: string[], modules: ModuleDef[] = MODULES): ResolvedPath | undefined {
  const steps: CoqlField[] = [];
  const joins: string[] = [];
  let moduleKey = baseModule;
  for (let i = 0; i < path.length; i++) {
    const field = fieldsOf(moduleKey, modules)?.find((f) => f.api_name === path[i]);
    if (!field) return undefined;
    steps.push(field);
    if (i < path.length - 1) {
      if (!field.target) return undefined;
      joins.push(path.slice(0, i + 1).join('.'));
      moduleKey = field.target;
    }
  }
  return { steps, last: steps[steps.length - 1]!, joins };
}

type Row = Record<string, unknown>;

/** Follows one lookup value (`{name,id}`) to the record it points to. */
function follow(ctx: EmulatorContext, target: string, ref: unknown): Row | undefined {
  if (!ref || typeof ref !== 'object') return undefined;
  const id = (ref as { id?: unknown }).id;
  if (target === 'users') return ctx.data.users.find((u) => u.id === id) as unknown as Row | undefined;
  // Roles and profiles are embedded in the user as `{name,id}`: the reference is the record.
  if (target === 'roles' || target === 'profiles') return ref as Row;
  return ctx.records(target).get(String(id)) as ZRecord | undefined;
}

/**
 * A lookup as COQL returns it: "From V7, the display name is available for Lookup and User Lookup
 * fields when you specify them in the SELECT column … for the Users module, only the last_name is
 * shown" → `{"name":"Boyle","id":"…"}` (Get-Records-through-COQL-Query.html, "Sample query to fetch
 * lookup fields"). UNVERIFIED: that a lookup at the end of a dotted path (`Account_Name.Parent_Account`)
 * carries the name too; older samples show `{"id"}` only there.
 */
function display(ctx: EmulatorContext, field: CoqlField, ref: unknown): unknown {
  if (!ref || typeof ref !== 'object') return null;
  const { id, name } = ref as { id?: unknown; name?: unknown };
  if (field.target === 'users') {
    const user = ctx.data.users.find((u) => u.id === id) as ZUser | undefined;
    return { name: user?.last_name ?? name ?? null, id };
  }
  return { name: name ?? null, id };
}

/** The raw stored value at the end of a path (a lookup stays `{name,id}`), or null when a lookup on the way is empty. */
export function rawValue(ctx: EmulatorContext, record: Row, resolved: ResolvedPath): unknown {
  let row: Row | undefined = record;
  for (let i = 0; i < resolved.steps.length - 1; i++) {
    const step = resolved.steps[i]!;
    row = follow(ctx, step.target!, row[step.api_name]);
    if (!row) return null;
  }
  return row[resolved.last.api_name] ?? null;
}

/** The value as the COQL response shows it. */
export function outputValue(ctx: EmulatorContext, record: Row, resolved: ResolvedPath): unknown {
  const raw = rawValue(ctx, record, resolved);
  if (resolved.last.target) return display(ctx, resolved.last, raw);
  return raw;
}

export function isNumeric(type: CoqlType): boolean {
  return type === 'integer' || type === 'bigint' || type === 'double' || type === 'currency' || type === 'decimal' || type === 'percent' || type === 'id';
}

export function isLookup(type: CoqlType): boolean {
  return type === 'lookup' || type === 'ownerlookup';
}
