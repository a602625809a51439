/**
 * setFieldMapping by a tenant holding zoho:connect: each mapped name is one more field of the
 * type, of its filter, order-by and both inputs, in a schema built on the event loop. Without a
 * cap one request (1 MB of body holds ~20,000 entries, all naming one field) makes a schema of
 * hundreds of thousands of fields, kept in memory whatever SCHEMA_CACHE_MB says (the newest schema
 * always stays) and rebuilt by every instance from the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_NAME } from '../../src/auth/claims.js';
import { MAPPING_CHANGES_PER_MINUTE } from '../../src/typed/registry.js';
import { MAX_MAPPINGS_PER_MODULE } from '../../src/typed/snapshot-check.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codes, connectTyped, gql, ok } from '../typed/typed-harness.js';

const SET_MAPPING = 'mutation($m: [FieldMappingInput!]!) { setFieldMapping(module: "Deals", mappings: $m) { name field } }';
const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `alias${i}`, field: 'Amount' }));

describe('setFieldMapping size', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness();
    token = await connectTyped(h, 'acme');
  });
  afterAll(() => h.close());

  it(`refuses more than ${MAX_MAPPINGS_PER_MODULE} mapped names for one module, and stores nothing`, async () => {
    const builds = h.app.typed.stats().builds;
    const a = await gql(h, token, SET_MAPPING, { m: many(20_000) });
    expect(codes(a)).toEqual(['BAD_USER_INPUT']);
    expect(a.errors![0]!.extensions).toMatchObject({ argument: 'mappings', limit: 'mappings', maximum: MAX_MAPPINGS_PER_MODULE });
    expect(h.app.typed.stats().builds).toBe(builds);
    expect((await ok<{ fieldMapping: unknown[] }>(h, token, '{ fieldMapping(module: "Deals") { name } }')).fieldMapping).toEqual([]);
  });

  it(`takes ${MAX_MAPPINGS_PER_MODULE}`, async () => {
    const d = await ok<{ setFieldMapping: unknown[] }>(h, token, SET_MAPPING, { m: many(MAX_MAPPINGS_PER_MODULE) });
    expect(d.setFieldMapping).toHaveLength(MAX_MAPPINGS_PER_MODULE);
  });

  it('rebuilds for at most MAPPING_CHANGES_PER_MINUTE mapping changes of a connection a minute (a build blocks every tenant of the process)', async () => {
    // Mutation fields run one after another: 30 aliases alternating two mappings were 30 builds
    // (200+ ms each for a large org) in one request.
    const aliases = Array.from({ length: 30 }, (_, i) => `m${i}: setFieldMapping(module: "Deals", mappings: [{ name: "${i % 2 ? 'budget' : 'spend'}", field: "Amount" }]) { name }`);
    h.clock.now += 120_000;
    const builds = h.app.typed.stats().builds;
    const a = await gql(h, token, `mutation { ${aliases.join('\n')} }`);
    // The field is non-null: the first refusal ends the operation.
    expect(codes(a)).toEqual(['RATE_LIMITED']);
    expect(a.errors![0]!.path).toEqual([`m${MAPPING_CHANGES_PER_MINUTE}`]);
    expect(h.app.typed.stats().builds - builds).toBeLessThanOrEqual(MAPPING_CHANGES_PER_MINUTE);
    // A minute later the connection may change its mapping again.
    h.clock.now += 61_000;
    expect(codes(await gql(h, token, SET_MAPPING, { m: [{ name: 'budget', field: 'Amount' }] }))).toEqual([]);
  });

  it('uses no more than the cap from a mapping written straight into the store', async () => {
    await h.app.store.set(`typed:mapping:acme:${DEFAULT_CONNECTION_NAME}`, { Deals: many(5_000) });
    expect(Object.values(await h.app.typed.mapping('acme', DEFAULT_CONNECTION_NAME)).flat()).toHaveLength(MAX_MAPPINGS_PER_MODULE);
  });
});
