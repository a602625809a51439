import { builder } from '../builder.js';
import { requireConnection } from './require-connection.js';

/**
 * Managing the caller's typed CRM schema (src/typed/): refresh it from Zoho now, and give fields a
 * tenant's own names. Both act on the caller's connection only and need `zoho:connect`, the scope
 * of whoever manages the tenant's Zoho connection.
 */

interface RefreshView {
  hash: string;
  changed: boolean;
}

const SchemaRefresh = builder.objectRef<RefreshView>('SchemaRefresh').implement({
  description: 'The caller’s typed schema after a refresh.',
  fields: (t) => ({
    hash: t.exposeString('hash', { description: 'The schema’s shape hash, also sent as the X-Schema-Hash response header.' }),
    changed: t.exposeBoolean('changed', { description: 'Whether Zoho’s metadata (or the mapping) gave a different schema than before.' }),
  }),
});

/**
 * The refresh of each operation: aliases of `refreshSchema` in one operation share it. Its
 * metadata calls (one per module) go through the schema registry, outside the request's
 * ZOHO_CALL_BUDGET, so 30 aliases must not mean 30 full metadata reads.
 */
const refreshes = new WeakMap<object, Promise<RefreshView>>();

builder.mutationField('refreshSchema', (t) =>
  t.field({
    type: SchemaRefresh,
    authScopes: { scope: 'zoho:connect' },
    description:
      'Reads the connection’s module and field metadata from Zoho now (one call per module) and rebuilds its typed schema when the shape changed; the previous schema answers until the new one is ready. The gateway also refreshes on its own every SCHEMA_TTL and when Zoho reports a field the schema has as unknown.',
    resolve: async (_r, _a, ctx) => {
      let refresh = refreshes.get(ctx);
      if (!refresh) {
        refresh = requireConnection(ctx).then(() => ctx.services.typed.refresh(ctx.caller.tenantId, ctx.caller.connectionName));
        refreshes.set(ctx, refresh);
      }
      return refresh;
    },
  }),
);

const FieldMappingInput = builder.inputType('FieldMappingInput', {
  description: 'One mapped name: `{ name: "budget", field: "Budget_USD" }` makes `budget` a field of the module’s type, with the value of Budget_USD.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The name in the typed schema: lowerCamelCase, not a field the type already has.' }),
    field: t.string({ required: true, description: 'The Zoho field api name it stands for.' }),
  }),
});

const MappedField = builder.objectRef<{ name: string; field: string }>('MappedField').implement({
  fields: (t) => ({ name: t.exposeString('name'), field: t.exposeString('field') }),
});

builder.mutationField('setFieldMapping', (t) =>
  t.field({
    type: [MappedField],
    authScopes: { scope: 'zoho:connect' },
    description:
      'Replaces the caller’s mapped names for one module (an empty list removes them). Mapped names are typed fields of this connection’s schema, in reads, filters, ordering and writes, so one document serves tenants whose orgs name the same thing differently. An unknown field or a name that clashes is refused with BAD_USER_INPUT naming it.',
    args: {
      module: t.arg.string({ required: true, description: 'Module api name, e.g. Deals.' }),
      mappings: t.arg({ type: [FieldMappingInput], required: true }),
    },
    resolve: async (_r, args, ctx) => {
      await requireConnection(ctx);
      await ctx.services.typed.setMapping(ctx.caller.tenantId, ctx.caller.connectionName, args.module, args.mappings);
      return (await ctx.services.typed.mapping(ctx.caller.tenantId, ctx.caller.connectionName))[args.module] ?? [];
    },
  }),
);

builder.queryField('fieldMapping', (t) =>
  t.field({
    type: [MappedField],
    authScopes: { scope: 'records:read' },
    description: 'The caller’s mapped names for one module (setFieldMapping).',
    args: { module: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => (await ctx.services.typed.mapping(ctx.caller.tenantId, ctx.caller.connectionName))[args.module] ?? [],
  }),
);
