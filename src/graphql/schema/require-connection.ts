import { GatewayError } from '../../errors.js';
import type { Connection } from '../../tokens/connection.js';
import type { GraphQLContext } from '../context.js';

/** The caller's connection, or the error that tells the product what the user must do. */
export async function requireConnection(ctx: GraphQLContext): Promise<Connection> {
  const c = await ctx.services.connections.getCached(ctx.caller.tenantId, ctx.caller.connectionName);
  if (!c) throw new GatewayError('ZOHO_NOT_CONNECTED', 'No Zoho CRM account is connected for this tenant; call startZohoConnect', { connection: ctx.caller.connectionName });
  if (c.status === 'RECONNECT_REQUIRED')
    throw new GatewayError('ZOHO_RECONNECT_REQUIRED', 'Zoho no longer accepts this connection; connect again with startZohoConnect', { connection: ctx.caller.connectionName });
  return c;
}
