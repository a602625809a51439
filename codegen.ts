import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the tests' GraphQL client (graphql-request): the printed schema plus the
 * operations under test/operations. `npm test` regenerates them first, so they never go stale.
 *
 * A product using the gateway points codegen at its tenant's own schema instead (the gateway's
 * types plus `crm { … }` typed from that tenant's Zoho org), served as SDL by the gateway:
 *
 *   schema: [{ 'https://gateway.example/graphql/schema.graphql': { headers: { Authorization: `Bearer ${process.env.GATEWAY_TOKEN}` } } }],
 *
 * (a URL ending in `.graphql` is fetched as SDL, not introspected). Any valid token of the tenant
 * will do; the answer's X-Schema-Hash names the schema, and every /graphql answer carries the same
 * header, so a client can tell when its generated types are stale. 404 when INTROSPECTION is off,
 * 503 SCHEMA_NOT_READY (Retry-After) while a new connection's schema is first built. To serve
 * several tenants with one set of generated types, generate against one tenant and keep the
 * documents to standard fields plus names every tenant maps with setFieldMapping.
 */
const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['test/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'test/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, importExtension: '.js', scalars: { JSON: 'unknown' } },
    },
  },
};

export default config;
