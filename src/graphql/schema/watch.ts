import { hasScope, requireScope } from '../../auth/scopes.js';
import type { WatchChannel } from '../../events/channels.js';
import { ALL_OPERATIONS } from '../../events/zoho-watch.js';
import { GatewayError } from '../../errors.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { RecordOperationEnum } from './record-operation.js';
import { requireConnection } from './require-connection.js';

/**
 * Watching CRM modules for changes through Zoho's notification channels (../../events/).
 *
 * Scopes: `records:read` for every module watched or unwatched (a module-narrowed
 * `records:read:Leads` covers Leads), and nothing more. Events reveal only ids and field names of
 * records the caller may already read, and a channel's token and URL are never shown; requiring
 * `zoho:connect` too would make products hand event consumers the power to replace or revoke the
 * tenant's Zoho credentials.
 */

const owner = (ctx: GraphQLContext) => ({ tenantId: ctx.caller.tenantId, connectionName: ctx.caller.connectionName });

const WatchRef = builder.objectRef<WatchChannel>('Watch').implement({
  description: 'A Zoho notification channel watching modules of the caller’s connection. The gateway renews it before it expires.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Zoho’s channel id; pass it to unwatchRecords.' }),
    modules: t.exposeStringList('modules'),
    operations: t.field({ type: [RecordOperationEnum], resolve: (c) => c.operations }),
    expiresAt: t.field({ type: 'DateTime', description: 'When Zoho stops notifying unless renewed (renewed automatically a day ahead; Zoho allows at most a week).', resolve: (c) => c.expiresAt }),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.createdAt }),
  }),
});

builder.mutationField('watchRecords', (t) =>
  t.field({
    type: WatchRef,
    authScopes: { authenticated: true },
    description:
      'Asks Zoho to notify the gateway of changes to the modules’ records (POST /crm/v8/actions/watch); the events reach `recordEvents` subscribers and the tenant’s webhook. Needs records:read for every module. The channel lives a week and is renewed automatically while the connection works.',
    args: {
      modules: t.arg.stringList({ required: true, description: 'Module api names, e.g. ["Leads", "Deals"].' }),
      operations: t.arg({ type: [RecordOperationEnum], description: 'Which changes (default: all three).' }),
    },
    resolve: async (_r, args, ctx) => {
      const modules = [...new Set(args.modules)];
      if (modules.length === 0) throw new GatewayError('BAD_USER_INPUT', 'modules must name at least one module', { argument: 'modules' });
      const operations = args.operations && args.operations.length > 0 ? ALL_OPERATIONS.filter((op) => args.operations!.includes(op)) : [...ALL_OPERATIONS];
      // Scopes first (FORBIDDEN before anything else), then the modules against the org's metadata.
      for (const m of modules) requireScope(ctx.caller, 'records:read', m);
      await requireConnection(ctx);
      for (const m of modules) await ctx.metadata.module(m);
      return ctx.services.watch.watch(owner(ctx), modules, operations, ctx.zoho.bind(ctx));
    },
  }),
);

builder.mutationField('unwatchRecords', (t) =>
  t.field({
    type: 'Boolean',
    authScopes: { authenticated: true },
    description:
      'Stops a channel (DELETE /crm/v8/actions/watch?channel_ids=…) and forgets it. False when no channel of the caller’s connection has this id. Needs records:read for each of its modules.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const id = String(args.id);
      const mine = (await ctx.services.watch.list(owner(ctx))).find((c) => c.id === id);
      if (!mine) return false;
      for (const m of mine.modules) requireScope(ctx.caller, 'records:read', m);
      return ctx.services.watch.unwatch(owner(ctx), id, ctx.zoho.bind(ctx));
    },
  }),
);

builder.queryField('watches', (t) =>
  t.field({
    type: [WatchRef],
    authScopes: { authenticated: true },
    description: 'The caller’s connection’s watch channels, oldest first, with their expiry (lapsed ones stay listed for 30 days so a failed renewal is visible). No Zoho call.',
    resolve: async (_r, _a, ctx) => {
      const all = await ctx.services.watch.list(owner(ctx));
      // Only channels whose every module the caller may read.
      return all.filter((c) => c.modules.every((m) => hasScope(ctx.caller, 'records:read', m)));
    },
  }),
);
