import { GatewayError } from '../../errors.js';
import type { Connection } from '../../tokens/connection.js';
import { builder } from '../builder.js';

const ConnectionStatus = builder.enumType('ConnectionStatus', {
  values: {
    ACTIVE: { value: 'ACTIVE', description: 'Tokens are valid; queries reach Zoho.' },
    RECONNECT_REQUIRED: { value: 'RECONNECT_REQUIRED', description: 'Zoho refused the refresh token for good (revoked, or the user removed the app): connect again.' },
  } as const,
});

export const ConnectionRef = builder.objectRef<Connection>('Connection').implement({
  description: 'The tenant’s link to one Zoho CRM account. Never carries a token.',
  fields: (t) => ({
    name: t.exposeString('connectionName', { description: 'The connection’s name (the JWT’s `cid`, `default` unless you use several).' }),
    status: t.field({ type: ConnectionStatus, resolve: (c) => c.status }),
    dc: t.exposeString('dc', { description: 'Data-centre key (us, eu, ca, …).' }),
    apiDomain: t.exposeString('apiDomain'),
    scopes: t.exposeStringList('scopes', { description: 'Scopes Zoho granted.' }),
    zohoUserId: t.exposeString('zohoUserId', { description: 'The connected user’s ZUID.' }),
    email: t.exposeString('email'),
    orgId: t.exposeString('zohoOrgId'),
    orgName: t.exposeString('orgName'),
    connectedAt: t.field({ type: 'DateTime', resolve: (c) => c.connectedAt }),
    expiresAt: t.field({ type: 'DateTime', description: 'When the current access token expires; the gateway refreshes ahead of it.', resolve: (c) => c.expiresAt }),
  }),
});

const ConnectStart = builder.objectRef<{ authorizeUrl: string; expiresAt: number; dc: string }>('ConnectStart').implement({
  fields: (t) => ({
    authorizeUrl: t.exposeString('authorizeUrl', { description: 'Send the user’s browser here (Zoho’s consent page).' }),
    dc: t.exposeString('dc', { description: 'The data centre whose login page the URL opens.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'The URL’s single-use state expires then (10 minutes).', resolve: (s) => s.expiresAt }),
  }),
});

builder.queryField('connection', (t) =>
  t.field({
    type: ConnectionRef,
    nullable: true,
    authScopes: { $any: { scope: 'org:read', $all: { scope: 'zoho:connect' } } },
    description: 'The caller’s Zoho connection, or null when none. Needs org:read or zoho:connect.',
    resolve: (_r, _a, ctx) => ctx.services.connections.getCached(ctx.caller.tenantId, ctx.caller.connectionName),
  }),
);

builder.mutationField('startZohoConnect', (t) =>
  t.field({
    type: ConnectStart,
    authScopes: { scope: 'zoho:connect' },
    description:
      'Starts connecting a Zoho CRM account: returns Zoho’s consent URL for the data centre (default ZOHO_DC). After consent Zoho sends the browser to the gateway, which parks the tokens under a one-time ticket and redirects to `returnTo` with `zoho=confirm&ticket=…` (or `zoho=error&reason=…`); finish with completeZohoConnect, as the same user. At most MAX_PENDING_CONNECTS_PER_TENANT may be pending (RATE_LIMITED beyond).',
    args: {
      returnTo: t.arg.string({ description: 'Where to send the browser afterwards; must match ALLOWED_RETURN_URLS.' }),
      dc: t.arg.string({ description: 'Data-centre key whose login page to open (see dataCentres). Users of other DCs are still routed to theirs by Zoho.' }),
    },
    resolve: (_r, args, ctx) => ctx.services.connect.start(ctx.caller, args),
  }),
);

builder.mutationField('completeZohoConnect', (t) =>
  t.field({
    type: ConnectionRef,
    authScopes: { scope: 'zoho:connect' },
    description:
      'The confirm step: activates the connection whose consent the gateway parked under `ticket` (from `zoho=confirm&ticket=…`), and revokes the previous connection’s refresh token. Only the caller who started (same tid, sub and cid) may complete; anyone else gets FORBIDDEN and the ticket is used up. A malformed, used or expired ticket (10 minutes) gets BAD_USER_INPUT with `reason` invalid_ticket, used_ticket or expired_ticket. Show the returned email and orgName to the user: it names the Zoho account now connected.',
    args: { ticket: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const connection = await ctx.services.connect.complete(ctx.caller, args.ticket.trim());
      await ctx.services.typed.connectionChanged(ctx.caller.tenantId, ctx.caller.connectionName);
      return connection;
    },
  }),
);

builder.mutationField('connectZohoWithGrantCode', (t) =>
  t.field({
    type: ConnectionRef,
    authScopes: { scope: 'zoho:connect' },
    description: 'Server-only setups: exchanges a grant code made with Zoho’s Self Client (API console) and stores the connection.',
    args: { code: t.arg.string({ required: true }), dc: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      if (!args.code.trim()) throw new GatewayError('BAD_USER_INPUT', 'code must not be empty', { argument: 'code' });
      const connection = await ctx.services.connect.connectWithGrantCode(ctx.caller, { code: args.code.trim(), dc: args.dc });
      await ctx.services.typed.connectionChanged(ctx.caller.tenantId, ctx.caller.connectionName);
      return connection;
    },
  }),
);

builder.mutationField('disconnectZoho', (t) =>
  t.boolean({
    authScopes: { scope: 'zoho:connect' },
    description: 'Disables the connection’s watch channels at Zoho, revokes its refresh token at Zoho and deletes the connection. False when there was none.',
    resolve: async (_r, _a, ctx) => {
      // Channels first, while the connection can still call Zoho: after the revoke no one could stop them.
      await ctx.services.watch.unwatchAll({ tenantId: ctx.caller.tenantId, connectionName: ctx.caller.connectionName }, ctx.zoho.bind(ctx));
      const removed = await ctx.services.connect.disconnect(ctx.caller);
      await ctx.services.typed.connectionChanged(ctx.caller.tenantId, ctx.caller.connectionName);
      return removed;
    },
  }),
);
