import { requireScope } from '../auth/scopes.js';
import { GatewayError } from '../errors.js';
import { recordChanges, type ChangesView } from '../records/sync.js';
import { syncKey } from '../records/sync-token.js';
import type { GraphQLContext } from './context.js';
import { requireConnection } from './schema/require-connection.js';

/** Arguments of recordChanges and of the typed `<module>Changes` fields. */
export interface ChangesArgs {
  since?: number | null;
  syncToken?: string | null;
  first?: number | null;
}

export const DEFAULT_CHANGES_FIRST = 200;

/**
 * One recordChanges answer for the caller's connection: the scope check (records:read, module
 * narrowing applies), the Modified_Time check, the sync keys and the token's binding to tenant,
 * connection and org. Shared by the generic query and the typed fields; `fields` are the api names
 * the selection reads (Modified_Time is added: the sync's watermarks are made of it).
 */
export async function runRecordChanges(ctx: GraphQLContext, module: string, fields: readonly string[], args: ChangesArgs): Promise<ChangesView> {
  requireScope(ctx.caller, 'records:read', module);
  const connection = await requireConnection(ctx);
  const meta = await ctx.metadata.fields(module);
  if (!meta.some((f) => f.apiName === 'Modified_Time')) {
    // Zoho's If-Modified-Since and sort_by=Modified_Time need the field; without it there is no change feed.
    throw new GatewayError('BAD_USER_INPUT', `${module} has no Modified_Time field, so Zoho cannot list its changes: read it in full with records (or a bulk export) instead`, {
      argument: 'module',
      module,
    });
  }
  const key = ctx.services.config.tokenEncryption;
  return recordChanges(
    {
      fetch: ctx.zoho,
      keys: [syncKey(key.key), ...key.retiredKeys.map((k) => syncKey(k.key))],
      binding: { tenant: ctx.caller.tenantId, connection: ctx.caller.connectionName, org: `${connection.dc}:${connection.zohoOrgId ?? ''}` },
    },
    {
      module,
      fields: [...new Set([...fields.filter((f) => f !== 'id'), 'Modified_Time'])],
      first: args.first ?? DEFAULT_CHANGES_FIRST,
      since: args.since ?? null,
      syncToken: args.syncToken ?? null,
    },
  );
}
