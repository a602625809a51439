/**
 * SCHEMA_CACHE_MB counts a schema's printed SDL (GET /graphql/schema.graphql) too: printing it
 * must keep the bound, not only the next build.
 */
import { describe, expect, it } from 'vitest';
import { schema as genericSchema } from '../../src/graphql/schema/index.js';
import { createLogger } from '../../src/log.js';
import { MetadataService, type FieldMeta } from '../../src/records/metadata.js';
import { createStore } from '../../src/store/index.js';
import { assignNames } from '../../src/typed/naming.js';
import { TypedSchemas } from '../../src/typed/registry.js';

const field = (apiName: string): FieldMeta => ({
  apiName,
  label: apiName,
  dataType: 'text',
  jsonType: null,
  lookupModule: null,
  readOnly: false,
  mandatory: false,
  custom: true,
  length: null,
  picklistValues: [],
  subformModule: null,
  formulaReturnType: null,
  profiles: [],
});

function snapshot(fields: string[]) {
  const modules = [{ apiName: 'Deals', label: 'Deals', fields: fields.map(field) }];
  const reserved = { types: new Set(Object.keys(genericSchema.getTypeMap())), mutations: new Set(Object.keys(genericSchema.getMutationType()!.getFields())) };
  return { v: 1, fetchedAt: 1_000_000, metadata: { modules, subforms: {} }, names: assignNames({ modules, subforms: {}, reserved }) };
}

describe('SCHEMA_CACHE_MB and printed SDL', () => {
  it('drops the least recently used schema when printing an SDL passes the bound', async () => {
    const store = createStore('memory://');
    await store.set('typed:snapshot:a:default', snapshot(Array.from({ length: 40 }, (_, i) => `A_Field_${i}`)));
    await store.set('typed:snapshot:b:default', snapshot(Array.from({ length: 40 }, (_, i) => `B_Field_${i}`)));
    const make = (maxBytes: number) =>
      new TypedSchemas({
        base: genericSchema,
        store,
        call: async () => Promise.reject(new Error('no Zoho in this test')),
        metadata: new MetadataService(),
        log: createLogger({ level: 'silent' }),
        now: () => 1_000_000,
        settings: { waitMs: 10_000, maxBytes },
      });
    // Both schemas fit, unprinted.
    const probe = make(Number.MAX_SAFE_INTEGER);
    await probe.forConnection('a', 'default');
    await probe.forConnection('b', 'default');
    const built = probe.stats().bytes;

    const typed = make(built + 1_000);
    const a = await typed.forConnection('a', 'default');
    const b = await typed.forConnection('b', 'default');
    expect(typed.stats()).toMatchObject({ schemas: 2 });
    typed.printed(a.schema);
    expect(typed.stats().bytes).toBeLessThanOrEqual(built + 1_000);
    expect(typed.stats().schemas).toBe(1);
    // The one left is b's, the most recently used.
    expect((await typed.forConnection('b', 'default')).schema).toBe(b.schema);
  });
});
