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
    resolve: (_r, _a, ctx) => ctx.services.connections.get(ctx.caller.tenantId, ctx.caller.connectionName),
  }),
);

builder.mutationField('startZohoConnect', (t) =>
  t.field({
    type: ConnectStart,
    authScopes: { scope: 'zoho:connect' },
    description: 'Starts connecting a Zoho CRM account: returns Zoho’s consent URL for the data centre (default ZOHO_DC). After consent Zoho sends the browser to the gateway, which stores the connection and redirects to `returnTo` with `zoho=connected` or `zoho=error&reason=…`.',
    args: {
      returnTo: t.arg.string({ description: 'Where to send the browser afterwards; must match ALLOWED_RETURN_URLS.' }),
      dc: t.arg.string({ description: 'Data-centre key whose login page to open (see dataCentres). Users of other DCs are still routed to theirs by Zoho.' }),
    },
    resolve: (_r, args, ctx) => ctx.services.connect.start(ctx.caller, args),
  }),
);

builder.mutationField('connectZohoWithGrantCode', (t) =>
  t.field({
    type: ConnectionRef,
    authScopes: { scope: 'zoho:connect' },
    description: 'Server-only setups: exchanges a grant code made with Zoho’s Self Client (API console) and stores the connection.',
    args: { code: t.arg.string({ required: true }), dc: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => {
      if (!args.code.trim()) throw new GatewayError('BAD_USER_INPUT', 'code must not be empty', { argument: 'code' });
      return ctx.services.connect.connectWithGrantCode(ctx.caller, { code: args.code.trim(), dc: args.dc });
    },
  }),
);

builder.mutationField('disconnectZoho', (t) =>
  t.boolean({
    authScopes: { scope: 'zoho:connect' },
    description: 'Revokes the connection’s refresh token at Zoho and deletes the connection. False when there was none.',
    resolve: (_r, _a, ctx) => ctx.services.connect.disconnect(ctx.caller),
  }),
);
