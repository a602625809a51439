import SchemaBuilder from '@pothos/core';
import type { GraphQLContext } from './context.js';

/**
 * The Pothos builder. It defines no types itself: each domain file under `schema/` adds its own
 * types and fields, and `schema/index.ts` imports them all.
 */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  // Non-null unless a field says otherwise: a client should not have to null-check `id`.
  DefaultFieldNullability: false;
}>({
  defaultFieldNullability: false,
});

builder.queryType({ description: 'Read a tenant’s Zoho CRM data.' });
