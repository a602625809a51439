import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_NAME } from '../../src/auth/claims.js';
import { schema as genericSchema } from '../../src/graphql/schema/index.js';
import { createLogger } from '../../src/log.js';
import { MetadataService } from '../../src/records/metadata.js';
import { createStore } from '../../src/store/index.js';
import { TypedSchemas } from '../../src/typed/registry.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

/**
 * The schema cache's bytes bound (SCHEMA_CACHE_MB): registries of their own over the gateway's
 * Zoho client and the emulator, so the bound can be set to the byte around two real schemas'
 * estimate (SCHEMA_CACHE_MB's floor of 16 MB holds dozens of demo-org schemas).
 */
describe('typed schema cache bounded in bytes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    // Two shapes: the EU org has a field the US org has not.
    h.eu.metadata.addField('Deals', { api_name: 'Eu_Only', field_label: 'EU only', data_type: 'text', custom: true });
    await h.connect('acme');
    await h.connect('globex', { dc: 'eu' });
  });
  afterAll(() => h?.close());

  const registry = (maxBytes: number) =>
    new TypedSchemas({
      base: genericSchema,
      store: createStore('memory://'),
      call: (tenantId, connectionName, call) => h.app.services.zoho.call(tenantId, connectionName, call),
      metadata: new MetadataService(),
      log: createLogger({ level: 'silent' }),
      settings: { maxBytes, maxSchemas: 100, waitMs: 30_000 },
    });

  async function sizes(): Promise<{ acme: number; both: number }> {
    const r = registry(Number.MAX_SAFE_INTEGER);
    expect((await r.forConnection('acme', DEFAULT_CONNECTION_NAME)).hash).not.toBeNull();
    const acme = r.stats().bytes;
    expect((await r.forConnection('globex', DEFAULT_CONNECTION_NAME)).hash).not.toBeNull();
    expect(r.stats().schemas).toBe(2);
    return { acme, both: r.stats().bytes };
  }

  it('keeps both schemas when they fit, and drops the least recently used one a byte over', async () => {
    const { acme, both } = await sizes();
    expect(acme).toBeGreaterThan(0);
    expect(both).toBeGreaterThan(acme);

    const fits = registry(both);
    await fits.forConnection('acme', DEFAULT_CONNECTION_NAME);
    await fits.forConnection('globex', DEFAULT_CONNECTION_NAME);
    expect(fits.stats()).toMatchObject({ schemas: 2, bytes: both, builds: 2 });

    const tight = registry(both - 1);
    const a = await tight.forConnection('acme', DEFAULT_CONNECTION_NAME);
    const g = await tight.forConnection('globex', DEFAULT_CONNECTION_NAME);
    expect(g.hash).not.toBe(a.hash);
    expect(tight.stats()).toMatchObject({ schemas: 1, bytes: both - acme, builds: 2 });
    // The evicted one is built again on its next request (from the stored snapshot), the other goes.
    h.us.resetCalls();
    const again = await tight.forConnection('acme', DEFAULT_CONNECTION_NAME);
    expect(again.hash).toBe(a.hash);
    expect(tight.stats()).toMatchObject({ schemas: 1, bytes: acme, builds: 3 });
    expect(h.us.count((c) => c.path.startsWith('/crm/v8/settings/'))).toBe(0);
  });

  it('keeps the newest schema even when it alone is over the bound (the generic schema is not a cache fallback)', async () => {
    const tiny = registry(1);
    const a = await tiny.forConnection('acme', DEFAULT_CONNECTION_NAME);
    expect(a.hash).not.toBeNull();
    expect(tiny.stats().schemas).toBe(1);
  });
});
