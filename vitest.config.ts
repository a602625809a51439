import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships both ESM (.mjs) and CJS builds; Pothos and Yoga must share one copy or graphql
  // refuses the schema ("from another module or realm"). Pin every import to the CJS entry.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Integration tests start real servers on loopback; two cores are plenty with forks.
    pool: 'forks',
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
