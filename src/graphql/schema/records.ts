import { requireScope } from '../../auth/scopes.js';
import { listRecords, MAX_PER_PAGE } from '../../records/list.js';
import type { FieldMeta, ModuleMeta } from '../../records/metadata.js';
import { recordNeeds, type RecordNeeds } from '../../records/selection.js';
import { assertApiName, assertRecordId } from '../../records/validate.js';
import type { RecordPageView, RecordView } from '../../records/view.js';
import { GatewayError } from '../../errors.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { embeddedUser, type ZohoUserRecord } from '../loaders.js';
import { User } from './users.js';

export const SortOrder = builder.enumType('SortOrder', { values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const });

/**
 * The fields to ask Zoho for: the explicit `fields` argument (validated), plus whatever the
 * selection reads; for `data`, every field of the module.
 */
export async function wantedFields(ctx: GraphQLContext, module: string, explicit: readonly string[] | null | undefined, needs: RecordNeeds): Promise<string[]> {
  if (explicit && explicit.length === 0) throw new GatewayError('BAD_USER_INPUT', 'fields must name at least one field when given', { argument: 'fields' });
  const names = new Set([...(explicit ?? []), ...needs.fields]);
  await ctx.metadata.checkFields(module, [...names]);
  if (needs.all) {
    for (const f of await ctx.metadata.fields(module)) names.add(f.apiName);
  }
  return [...names];
}

// Zoho embeds the owner's id, name and email in every record: enough for those fields, and the
// users loader fills in the rest (role, profile, status) only when a query asks for it.
const owner = (view: RecordView): ZohoUserRecord | null => embeddedUser(view.data.Owner);

export const RecordRef = builder.objectRef<RecordView>('Record');

RecordRef.implement({
  description: 'A CRM record. Read fields with `field(name:)` or all of them with `data`; follow lookups with `lookup(field:)`.',
  fields: (t) => ({
    id: t.id({ resolve: (r) => r.data.id }),
    module: t.exposeString('module'),
    data: t.field({ type: 'JSON', description: 'The record as Zoho returns it (every field of the module when selected).', resolve: (r) => r.data }),
    field: t.field({
      type: 'JSON',
      nullable: true,
      description: 'One field’s value by api name, as Zoho returns it (lookups are {name, id}).',
      args: { name: t.arg.string({ required: true }) },
      resolve: (r, args) => (r.data[args.name] as unknown) ?? null,
    }),
    createdTime: t.field({ type: 'DateTime', nullable: true, resolve: (r) => (typeof r.data.Created_Time === 'string' ? r.data.Created_Time : null) }),
    modifiedTime: t.field({ type: 'DateTime', nullable: true, resolve: (r) => (typeof r.data.Modified_Time === 'string' ? r.data.Modified_Time : null) }),
    owner: t.field({ type: User, nullable: true, description: 'The record owner; role, profile and status are batched through the users loader.', resolve: owner }),
    lookup: t.field({
      type: RecordRef,
      nullable: true,
      description: 'Follows a lookup field to the record it points to (module from field metadata), batched: 100 ids per Zoho call.',
      args: { field: t.arg.string({ required: true }), fields: t.arg.stringList({ description: 'Fields to read of the looked-up record (default: what the selection reads).' }) },
      resolve: async (r, args, ctx, info) => {
        const target = await ctx.metadata.lookupTarget(r.module, args.field);
        requireScope(ctx.caller, 'records:read', target);
        const ref = r.data[args.field] as { id?: string } | null | undefined;
        if (!ref?.id) return null;
        const fields = await wantedFields(ctx, target, args.fields, recordNeeds(info));
        return ctx.loaders.records.load(target, fields, ref.id);
      },
    }),
  }),
});

const PageInfo = builder.objectRef<{ hasNextPage: boolean; endCursor: string | null; count: number }>('PageInfo').implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    endCursor: t.exposeString('endCursor', { nullable: true, description: 'Pass as `after` for the next page.' }),
    count: t.exposeInt('count', { description: 'Records in this page.' }),
  }),
});

export const RecordPage = builder.objectRef<RecordPageView>('RecordPage').implement({
  fields: (t) => ({
    nodes: t.field({ type: [RecordRef], resolve: (p) => p.nodes }),
    pageInfo: t.field({ type: PageInfo, resolve: (p) => ({ hasNextPage: p.hasNextPage, endCursor: p.endCursor, count: p.nodes.length }) }),
  }),
});

builder.queryField('records', (t) =>
  t.field({
    type: RecordPage,
    authScopes: (_p, args) => ({ scope: `records:read:${args.module}` }),
    description: `Lists a module’s records. One cursor pages through up to 100,000 records (Zoho’s page mode for the first 2,000, page tokens beyond). Asks Zoho only for the fields the query reads; more than 50 are fetched in groups of 50 and merged.`,
    args: {
      module: t.arg.string({ required: true, description: 'Module api name, e.g. Deals (see modules).' }),
      fields: t.arg.stringList({ description: 'Field api names to fetch in addition to what the selection reads.' }),
      first: t.arg.int({ description: `Records per page, 1–${MAX_PER_PAGE} (default ${MAX_PER_PAGE}).` }),
      after: t.arg.string({ description: 'The previous page’s endCursor.' }),
      sortBy: t.arg.string({ description: 'id, Created_Time or Modified_Time.' }),
      sortOrder: t.arg({ type: SortOrder }),
      cvid: t.arg.id({ description: 'A custom view id (see customViews): the view’s records in its order. Not with sortBy (Zoho refuses the pair); sortOrder may reverse it.' }),
    },
    resolve: async (_r, args, ctx, info) => {
      assertApiName(args.module, 'module');
      const fields = await wantedFields(ctx, args.module, args.fields, recordNeeds(info, ['nodes']));
      const page = await listRecords(ctx.zoho, {
        module: args.module,
        fields,
        first: args.first ?? MAX_PER_PAGE,
        after: args.after ?? null,
        sortBy: args.sortBy ?? null,
        sortOrder: args.sortOrder ?? null,
        cvid: args.cvid === null || args.cvid === undefined ? null : String(args.cvid),
      });
      ctx.loaders.records.prime(page.nodes, fields);
      return page;
    },
  }),
);

builder.queryField('record', (t) =>
  t.field({
    type: RecordRef,
    nullable: true,
    authScopes: (_p, args) => ({ scope: `records:read:${args.module}` }),
    description: 'One record by id (null when it does not exist). Batched with every other record read of the operation: 100 ids per Zoho call.',
    args: { module: t.arg.string({ required: true }), id: t.arg.id({ required: true }), fields: t.arg.stringList() },
    resolve: async (_r, args, ctx, info) => {
      assertApiName(args.module, 'module');
      assertRecordId(String(args.id));
      const fields = await wantedFields(ctx, args.module, args.fields, recordNeeds(info));
      return ctx.loaders.records.load(args.module, fields, String(args.id));
    },
  }),
);

const ModuleRef = builder.objectRef<ModuleMeta>('Module').implement({
  description: 'A CRM module the API supports.',
  fields: (t) => ({
    apiName: t.exposeString('apiName'),
    moduleName: t.exposeString('moduleName'),
    singularLabel: t.exposeString('singularLabel'),
    pluralLabel: t.exposeString('pluralLabel'),
  }),
});

const FieldRef = builder.objectRef<FieldMeta>('Field').implement({
  description: 'A field of a module, from Zoho’s field metadata.',
  fields: (t) => ({
    apiName: t.exposeString('apiName'),
    label: t.exposeString('label'),
    dataType: t.exposeString('dataType', { description: 'Zoho’s data type: text, email, picklist, lookup, ownerlookup, currency, date, datetime, …' }),
    lookupModule: t.exposeString('lookupModule', { nullable: true, description: 'For lookups: the module it points to (follow it with Record.lookup).' }),
    readOnly: t.exposeBoolean('readOnly'),
    mandatory: t.exposeBoolean('mandatory'),
    custom: t.exposeBoolean('custom'),
    length: t.exposeInt('length', { nullable: true }),
    picklistValues: t.exposeStringList('picklistValues'),
  }),
});

builder.queryField('modules', (t) =>
  t.field({
    type: [ModuleRef],
    authScopes: { scope: 'records:read' },
    description: 'Modules of the connected org (cached per connection for 5 minutes).',
    resolve: async (_r, _a, ctx) => {
      return ctx.metadata.modules();
    },
  }),
);

builder.queryField('fields', (t) =>
  t.field({
    type: [FieldRef],
    authScopes: (_p, args) => ({ scope: `records:read:${args.module}` }),
    description: 'Fields of a module (cached per connection for 5 minutes).',
    args: { module: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      return ctx.metadata.fields(args.module);
    },
  }),
);
