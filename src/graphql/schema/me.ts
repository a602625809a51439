import type { Connection } from '../../tokens/connection.js';
import { builder } from '../builder.js';
import { ConnectionRef } from './connection.js';
import { requireConnection } from './require-connection.js';

const ZohoUser = builder.objectRef<Connection>('ZohoUser').implement({
  description: 'The Zoho user who connected the caller’s account (from Zoho Accounts at connect time).',
  fields: (t) => ({
    id: t.exposeID('zohoUserId', { description: 'ZUID.' }),
    email: t.exposeString('email'),
    displayName: t.exposeString('displayName'),
    firstName: t.exposeString('firstName', { nullable: true }),
    lastName: t.exposeString('lastName', { nullable: true }),
    connection: t.field({ type: ConnectionRef, resolve: (c) => c }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: ZohoUser,
    // Names a person at Zoho and the connection's state: not for any token, but for one that
    // reads the org or manages its connection.
    authScopes: { $any: { scope: 'org:read', $all: { scope: 'zoho:connect' } } },
    description: 'Who the caller’s connection acts as in Zoho. Costs no Zoho call. Needs org:read or zoho:connect.',
    resolve: (_r, _a, ctx) => requireConnection(ctx),
  }),
);
