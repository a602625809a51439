import { crmAuth, type EmulatorContext } from '../emulator.js';
import { zohoError } from '../errors.js';
import type { FieldDef, ModuleDef } from '../metadata.js';
import { actingUser } from '../record-helpers.js';
import type { Router } from '../router.js';
import type { ZUser } from '../seed.js';

/** Org, users and metadata: the read-only "who and what" endpoints of CRM v8. */
export function registerOrgRoutes(router: Router, ctx: EmulatorContext): void {
  // GET /crm/v8/org → {"org":[{…}]}; scope ZohoCRM.org.READ.
  // https://www.zoho.com/crm/developer/docs/api/v8/get-org-data.html (sample: crm-oas v8.0
  // org/operations/getOrganization/examples/response-200-orggetresponse.md).
  router.add(
    'GET',
    '/crm/v8/org',
    crmAuth(
      ctx,
      () => ({ service: 'ZohoCRM', group: 'org', op: 'READ' }),
      () => ({ status: 200, body: { org: [{ ...ctx.data.org, max_per_page: 200 }] } }),
    ),
  );

  // GET /crm/v8/users?type=&page=&per_page= → {"users":[…],"info":{per_page,count,page,more_records}};
  // 204 when the filter matches nobody. Scope ZohoCRM.users.READ.
  // https://www.zoho.com/crm/developer/docs/api/v8/get-users.html (crm-oas v8.0 users/operations/getUsers).
  router.add(
    'GET',
    '/crm/v8/users',
    crmAuth(
      ctx,
      () => ({ service: 'ZohoCRM', group: 'users', op: 'READ' }),
      (req, token) => {
        const type = req.query.get('type') ?? 'AllUsers';
        const filter = USER_FILTERS[type];
        if (!filter) {
          // UNVERIFIED message text; the code and details shape follow crm-oas getUsers' INVALID_DATA sample.
          return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'type' });
        }
        const paging = pageParams(req.query);
        if ('error' in paging) return paging.error;
        // `ids`: up to 100 comma-separated user ids (crm-oas v8.0 getUsers operation.md,
        // maxItems=100). UNVERIFIED: the error for more than 100.
        const ids = req.query.get('ids')?.split(',').filter(Boolean);
        if (ids && ids.length > 100) return zohoError(400, 'LIMIT_EXCEEDED', 'the number of ids exceeds the limit', { param_name: 'ids', limit: 100 });
        const matched = ctx.data.users.filter((u) => filter(u, token.zuid) && (!ids || ids.includes(u.id)));
        const start = (paging.page - 1) * paging.perPage;
        const slice = matched.slice(start, start + paging.perPage);
        if (slice.length === 0) return { status: 204 };
        return {
          status: 200,
          body: {
            users: slice.map(publicUser),
            info: { per_page: paging.perPage, count: slice.length, page: paging.page, more_records: start + slice.length < matched.length },
          },
        };
      },
    ),
  );

  // GET /crm/v8/users/{id} → {"users":[{…}]}. An unknown id answers INVALID_DATA with
  // resource_path_index 1 (crm-oas v8.0 users/operations/updateSingleUser invaliduseridresponse; the
  // same envelope for GET is UNVERIFIED).
  router.add(
    'GET',
    '/crm/v8/users/:id',
    crmAuth(
      ctx,
      () => ({ service: 'ZohoCRM', group: 'users', op: 'READ' }),
      (req) => {
        const user = ctx.data.users.find((u) => u.id === req.params.id);
        if (!user) return zohoError(400, 'INVALID_DATA', 'the id given seems to be invalid', { resource_path_index: 1 });
        return { status: 200, body: { users: [publicUser(user)] } };
      },
    ),
  );

  // GET /crm/v8/settings/modules → {"modules":[…]}; scope ZohoCRM.settings.modules.READ.
  // https://www.zoho.com/crm/developer/docs/api/v8/modules-api.html (crm-oas v8.0 modules/operations/getModules).
  router.add(
    'GET',
    '/crm/v8/settings/modules',
    crmAuth(
      ctx,
      () => ({ service: 'ZohoCRM', group: 'settings', sub: 'modules', op: 'READ' }),
      () => ({
        status: 200,
        body: { modules: ctx.modules.map((m, i) => moduleMeta(ctx, m, i)) },
      }),
    ),
  );

  // GET /crm/v8/settings/fields?module=Deals → {"fields":[…]}; scope ZohoCRM.settings.fields.READ.
  // https://www.zoho.com/crm/developer/docs/api/v8/field-meta.html (crm-oas v8.0 fields/operations/getFields).
  router.add(
    'GET',
    '/crm/v8/settings/fields',
    crmAuth(
      ctx,
      () => ({ service: 'ZohoCRM', group: 'settings', sub: 'fields', op: 'READ' }),
      (req, token) => {
        const name = req.query.get('module');
        if (!name) return zohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'module' });
        // A subform's own fields are read the same way (https://www.zoho.com/crm/developer/docs/api/v2/subforms.html).
        const module = ctx.metadata.module(name) ?? ctx.metadata.subform(name);
        // UNVERIFIED: the exact details of an unknown module given as a query parameter.
        if (!module) return zohoError(400, 'INVALID_MODULE', 'the module name given seems to be invalid', { param_name: 'module' });
        // Fields the user's profile cannot see are listed too (org-metadata.ts cites why).
        const profile = actingUser(ctx, token).profile.name;
        return { status: 200, body: { fields: module.fields.map((f, i) => fieldMeta(ctx, module, f, i, profile)) } };
      },
    ),
  );
}

/** Zoho's `type` values for GET /users (crm-oas v8.0 getUsers operation.md). */
const USER_FILTERS: Record<string, (u: ZUser, currentZuid: string) => boolean> = {
  AllUsers: () => true,
  ActiveUsers: (u) => u.status === 'active',
  AllActiveUsers: (u) => u.status === 'active',
  ActiveConfirmedUsers: (u) => u.status === 'active' && u.confirm,
  DeactiveUsers: (u) => u.status === 'disabled',
  ActiveAndDeactive: (u) => u.status === 'active' || u.status === 'disabled',
  ConfirmedUsers: (u) => u.confirm,
  NotConfirmedUsers: (u) => !u.confirm,
  DeletedUsers: (u) => u.status === 'deleted',
  AdminUsers: (u) => u.profile.name === 'Administrator',
  ActiveConfirmedAdmins: (u) => u.profile.name === 'Administrator' && u.status === 'active' && u.confirm,
  CurrentUser: (u, zuid) => u.zuid === zuid,
};

function pageParams(q: URLSearchParams): { page: number; perPage: number } | { error: ReturnType<typeof zohoError> } {
  const page = q.has('page') ? Number(q.get('page')) : 1;
  const perPage = q.has('per_page') ? Number(q.get('per_page')) : 200;
  if (!Number.isInteger(page) || page < 1) return { error: zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'page' }) };
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 200) return { error: zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'per_page' }) };
  return { page, perPage };
}

function publicUser(u: ZUser): Record<string, unknown> {
  return {
    id: u.id,
    zuid: u.zuid,
    first_name: u.first_name,
    last_name: u.last_name,
    full_name: u.full_name,
    email: u.email,
    status: u.status,
    confirm: u.confirm,
    role: u.role,
    profile: u.profile,
    time_zone: u.time_zone,
    locale: u.locale,
    created_time: u.created_time,
    Modified_Time: u.Modified_Time,
    type__s: 'Regular User',
  };
}

export function moduleMeta(ctx: EmulatorContext, m: ModuleDef, index: number): Record<string, unknown> {
  return {
    id: `${ctx.data.org.id}00000000${String(2648 + index * 2).padStart(4, '0')}`,
    api_name: m.api_name,
    module_name: m.module_name,
    singular_label: m.singular_label,
    plural_label: m.plural_label,
    actual_singular_label: m.singular_label,
    actual_plural_label: m.plural_label,
    api_supported: true,
    creatable: true,
    editable: true,
    deletable: true,
    viewable: true,
    lookupable: true,
    generated_type: m.generated_type ?? 'default',
    sequence_number: index + 2,
    status: 'visible',
    parent_module: {},
  };
}

const JSON_TYPE: Record<FieldDef['data_type'], string> = {
  text: 'string',
  textarea: 'string',
  email: 'string',
  phone: 'string',
  website: 'string',
  picklist: 'string',
  // Arrays of values / rows. UNVERIFIED: `jsonarray` (the json_type Zoho uses for list-valued
  // parameters such as COQL's include_meta) for these two.
  multiselectpicklist: 'jsonarray',
  subform: 'jsonarray',
  lookup: 'jsonobject',
  ownerlookup: 'jsonobject',
  currency: 'double',
  double: 'double',
  decimal: 'double',
  percent: 'double',
  integer: 'integer',
  bigint: 'string',
  autonumber: 'string',
  // A formula's json_type follows its return type; ours returns currency.
  formula: 'double',
  userlookup: 'jsonobject',
  boolean: 'boolean',
  date: 'string',
  datetime: 'string',
};

function fieldMeta(ctx: EmulatorContext, module: ModuleDef, f: FieldDef, index: number, profile: string): Record<string, unknown> {
  const mine = ctx.metadata.permission(f, profile);
  const lookupTarget = f.data_type === 'lookup' && f.lookupModule ? ctx.modules.find((m) => m.api_name === f.lookupModule) : undefined;
  return {
    id: `${ctx.data.org.id}0000${String(ctx.modules.indexOf(module) + 1).padStart(2, '0')}${String(index + 1).padStart(6, '0')}`,
    api_name: f.api_name,
    field_label: f.field_label,
    display_label: f.field_label,
    data_type: f.data_type,
    json_type: JSON_TYPE[f.data_type],
    system_mandatory: f.mandatory ?? false,
    // "read_only: Indicates whether the field is read-only for the current user", "field_read_only:
    // … always read-only and cannot be edited under any circumstances" (crm-oas v8.0 getFields).
    // UNVERIFIED: that a field hidden from the user also reads read_only true.
    read_only: (f.readOnly ?? false) || mine !== 'read_write',
    field_read_only: f.readOnly ?? false,
    custom_field: f.custom ?? false,
    length: f.length ?? null,
    // UNVERIFIED: what `visible` ("Indicates if the field is visible", crm-oas) says for a field
    // hidden from the current user's profile. We keep it true, so a client must read `profiles`
    // (documented per profile) rather than lean on an undocumented per-user meaning of `visible`.
    visible: true,
    // Every profile of the org with its permission on this field, shaped as the crm-oas v8.0
    // getFields sample: `[{"permission_type":"read_write","name":"Administrator","id":"…"}]`.
    profiles: ctx.metadata.profiles().map((p) => ({ permission_type: ctx.metadata.permission(f, p.name), name: p.name, id: p.id })),
    // UNVERIFIED: a subform as a whole cannot be sorted, filtered or searched on.
    sortable: f.data_type !== 'subform',
    filterable: f.data_type !== 'subform',
    searchable: f.data_type !== 'subform',
    pick_list_values: (f.picklist ?? []).map((v, i) => ({ display_value: v, actual_value: v, sequence_number: i + 1 })),
    lookup: lookupTarget
      ? { display_label: lookupTarget.singular_label, api_name: f.api_name, module: { api_name: lookupTarget.api_name, id: moduleMeta(ctx, lookupTarget, ctx.modules.indexOf(lookupTarget)).id } }
      : {},
    // UNVERIFIED: where the fields metadata names a subform's module; we give it in both places
    // SDKs read it from (`subform.module`, `associated_module`).
    ...(f.data_type === 'subform' && f.subformModule
      ? { subform: { module: f.subformModule, id: subformModuleId(ctx, f.subformModule) }, associated_module: { api_name: f.subformModule, id: subformModuleId(ctx, f.subformModule) } }
      : {}),
    // Key names of the TypeScript SDK's fields/auto_number class (prefix, suffix, start_number,
    // https://www.zoho.com/crm/developer/docs/typescript-sdk/v2/fields-samples.html); UNVERIFIED values.
    ...(f.formula ? { formula: { return_type: f.formula.return_type, expression: f.formula.expression } } : {}),
    ...(f.data_type === 'autonumber' ? { auto_number: { prefix: 'DL-', suffix: '', start_number: 1 } } : {}),
    // crm-oas v8.0 fields.json: `unique: {casesensitive}` on a field that allows no duplicates.
    // UNVERIFIED: the value; the emulator compares case-insensitively (record-writes.ts).
    ...(f.unique ? { unique: { casesensitive: 'false' } } : {}),
  };
}

function subformModuleId(ctx: EmulatorContext, apiName: string): string {
  return `${ctx.data.org.id}00000009${String(ctx.metadata.subforms.findIndex((m) => m.api_name === apiName) + 1).padStart(3, '0')}`;
}
