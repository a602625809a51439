import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { authScopesFor, unauthorizedError, type GatewayAuthScopes } from '../auth/pothos-scopes.js';
import type { GraphQLContext } from './context.js';

/**
 * The Pothos builder. It defines no types itself: each domain file under `schema/` adds its own
 * types and fields, and `schema/index.ts` imports them all.
 */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  // Non-null unless a field says otherwise: a client should not have to null-check `id`.
  DefaultFieldNullability: false;
  // Fields declare `authScopes: { scope: 'records:read:Leads' }`, like a CRM permission matrix;
  // a typo in a scope name is a type error.
  AuthScopes: GatewayAuthScopes;
  Scalars: { DateTime: { Input: number; Output: number | string }; JSON: { Input: unknown; Output: unknown }; Date: { Input: string; Output: string } };
}>({
  defaultFieldNullability: false,
  plugins: [ScopeAuthPlugin],
  scopeAuth: {
    authScopes: (ctx) => authScopesFor(ctx.caller),
    unauthorizedError,
  },
});

builder.queryType({ description: 'Read a tenant’s Zoho CRM data.' });
builder.mutationType({ description: 'Connect Zoho accounts and write CRM data.' });
builder.subscriptionType({ description: 'Real-time changes to a tenant’s CRM data, over Server-Sent Events.' });
