import { hasScope } from '../../auth/scopes.js';
import { GatewayError } from '../../errors.js';
import { bulkCriteria } from '../../export/criteria.js';
import type { ExportJob } from '../../export/jobs.js';
import { columnType } from '../../export/values.js';
import type { CriteriaNode } from '../../records/criteria.js';
import { assertApiName } from '../../records/validate.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { requireConnection } from './require-connection.js';
import { CriteriaInput } from './search.js';

/**
 * Bulk exports (../../export/): start one, poll it, then download `downloadPath` (a plain route,
 * ../../http/routes/export-download.ts) as NDJSON. Scope: `records:read` for the module, like any
 * read (a module-narrowed `records:read:Leads` covers a Leads export).
 */

const BulkExportStateEnum = builder.enumType('BulkExportState', {
  values: {
    QUEUED: { description: 'Zoho accepted the job and has not started it (Zoho: ADDED).' },
    RUNNING: { description: 'Zoho is exporting (Zoho: IN PROGRESS).' },
    COMPLETED: { description: 'The first page is ready: download `downloadPath`. Later pages are exported while you download.' },
    FAILED: { description: 'Zoho reported the job failed (FAILURE), or lost it; `error` says which. Start a new export.' },
    EXPIRED: { description: 'Zoho no longer keeps the result (one day after completion). Start a new export.' },
  } as const,
});

const BulkExportRef = builder.objectRef<ExportJob>('BulkExport').implement({
  description: 'A bulk export of one module through Zoho’s Bulk Read API. See docs/export.md.',
  fields: (t) => ({
    id: t.exposeID('id'),
    module: t.exposeString('module'),
    fields: t.exposeStringList('fields', { description: 'Columns after `id`, in order.' }),
    state: t.field({ type: BulkExportStateEnum, resolve: (j) => j.state }),
    progress: t.exposeInt('progress', { description: 'Records Zoho has exported so far (pages of up to 200,000 completed).' }),
    recordCount: t.exposeInt('recordCount', { nullable: true, description: 'Total records, once Zoho says no further page remains; null before.' }),
    createdAt: t.field({ type: 'DateTime', resolve: (j) => j.createdAt }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When Zoho stops serving the first page’s result (one day after completion; UNVERIFIED for CRM v8).',
      resolve: (j) => j.expiresAt,
    }),
    downloadPath: t.string({
      nullable: true,
      description: 'GET it with the same bearer token for the records as NDJSON, once COMPLETED.',
      resolve: (j) => (j.state === 'COMPLETED' ? `/exports/${j.id}.ndjson` : null),
    }),
    error: t.exposeString('error', { nullable: true }),
  }),
});

builder.mutationField('startBulkExport', (t) =>
  t.field({
    type: BulkExportRef,
    authScopes: (_p, args) => ({ scope: `records:read:${args.module}` }),
    description: [
      'Starts a bulk export of a module’s records with Zoho’s Bulk Read API (POST /crm/bulk/v8/read); poll `bulkExport(id)` until COMPLETED, then download `downloadPath`.',
      '`fields`: api names (default every field but subforms); `where`: the same filter as searchRecords (except that EQUALS on text is exact here);',
      '`since`: only records modified at or after this instant. Needs the connection’s consent to include ZohoCRM.bulk.READ.',
    ].join(' '),
    args: {
      module: t.arg.string({ required: true, description: 'Module api name, e.g. Leads.' }),
      fields: t.arg.stringList({ description: 'Field api names (id always comes first).' }),
      where: t.arg({ type: CriteriaInput }),
      since: t.arg({ type: 'DateTime' }),
    },
    resolve: async (_r, args, ctx) => {
      assertApiName(args.module, 'module');
      await requireConnection(ctx);
      const all = await ctx.metadata.fields(args.module);
      const chosen = args.fields
        ? await ctx.metadata.checkFields(
            args.module,
            args.fields.filter((f) => f !== 'id'),
          )
        : all.filter((f) => f.dataType !== 'subform');
      const subform = chosen.find((f) => f.dataType === 'subform');
      if (subform) throw new GatewayError('BAD_USER_INPUT', `${subform.apiName} is a subform, which Zoho's bulk read does not export`, { argument: 'fields', field: subform.apiName });
      if (args.since != null && !all.some((f) => f.apiName === 'Modified_Time'))
        throw new GatewayError('BAD_USER_INPUT', `${args.module} has no Modified_Time field to filter on`, { argument: 'since' });
      const byName = new Map(all.map((f) => [f.apiName, f]));
      const criteria = bulkCriteria(args.where as CriteriaNode | null | undefined, args.since, (name) => byName.get(name));
      const fields = [...new Set(chosen.map((f) => f.apiName))];
      const types = Object.fromEntries(chosen.map((f) => [f.apiName, columnType(f)]));
      return ctx.services.exports.start(ctx.caller.tenantId, ctx.caller.connectionName, { module: args.module, fields, types, ...(criteria ? { criteria } : {}) }, (call) => ctx.zoho(call));
    },
  }),
);

builder.queryField('bulkExport', (t) =>
  t.field({
    type: BulkExportRef,
    nullable: true,
    authScopes: { authenticated: true },
    description:
      'A bulk export of the caller’s connection, asking Zoho for news while it runs; null when there is no such export (or it is another tenant’s or connection’s). Needs records:read for its module.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx: GraphQLContext) => {
      const id = String(args.id);
      const job = await ctx.services.exports.status(
        ctx.caller.tenantId,
        ctx.caller.connectionName,
        id,
        (call) => ctx.zoho(call),
        (j) => {
          if (!hasScope(ctx.caller, 'records:read', j.module))
            throw new GatewayError('FORBIDDEN', `this operation needs the scope "records:read:${j.module}" (or "records:read", which covers every module)`, { scope: `records:read:${j.module}` });
        },
      );
      return job ?? null;
    },
  }),
);
