import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the tests' GraphQL client (graphql-request): the printed schema plus the
 * operations under test/operations. `npm test` regenerates them first, so they never go stale.
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
