import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { StoreUnavailableError } from '../../src/store/index.js';
import { VERSION_CHECK_INTERVAL_MS } from '../../src/typed/registry.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

/**
 * Two gateway instances on one Redis namespace behind a load balancer: a change of a connection's
 * typed schema made on one (setFieldMapping, refreshSchema) reaches the other within
 * VERSION_CHECK_INTERVAL_MS of its requests, from the store, without a Zoho call.
 */

interface Answer {
  hash: string | null;
  data: Record<string, unknown> | null | undefined;
  errors: { message: string }[] | undefined;
}

async function post(app: App, token: string, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown> | null; errors?: Answer['errors'] };
  return { hash: res.headers.get('x-schema-hash'), data: body.data, errors: body.errors };
}

const metadataCalls = (emu: ZohoEmulator) => emu.count((c) => c.path.startsWith('/crm/v8/settings/'));
const cannotQuery = (a: Answer, field: string) => a.errors?.some((e) => e.message.includes(`Cannot query field "${field}"`)) ?? false;
const DEALS = '{ crm { deals(first: 2) { nodes { id dealName } } } }';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Both instances serve acme's typed schema (the second built from the first's stored snapshot). */
async function servedByBoth(): Promise<{ h: Harness; token: string; hash: string }> {
  h = await startHarness({ instances: 2, env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
  await h.connect('acme');
  const token = await h.token('acme');
  const a = await post(h.apps[0]!, token, DEALS);
  const b = await post(h.apps[1]!, token, DEALS);
  expect(a.hash).not.toBeNull();
  expect(b.hash).toBe(a.hash);
  return { h, token, hash: a.hash! };
}

describe('a schema change on one instance reaches the other', () => {
  it('setFieldMapping on A: after the check interval B serves the mapped name, built from the store (no Zoho call)', async () => {
    const { h, token, hash } = await servedByBoth();
    h.us.resetCalls();
    const set = await post(h.apps[0]!, token, 'mutation { setFieldMapping(module: "Deals", mappings: [{ name: "budget", field: "Budget_USD" }]) { name field } }');
    expect(set.errors).toBeUndefined();
    const BUDGET = '{ crm { deals(first: 2) { nodes { id budget budgetUsd } } } }';
    const onA = await post(h.apps[0]!, token, BUDGET);
    expect(onA.errors).toBeUndefined();
    expect(onA.hash).not.toBe(hash);

    // Within the interval B has not looked: its request is answered at once on the schema it has.
    const before = await post(h.apps[1]!, token, BUDGET);
    expect(before.hash).toBe(hash);
    expect(cannotQuery(before, 'budget')).toBe(true);

    h.clock.now += VERSION_CHECK_INTERVAL_MS + 1;
    // The first request past the interval starts the check in the background; the next ones find the rebuilt schema.
    await vi.waitFor(
      async () => {
        const b = await post(h.apps[1]!, token, BUDGET);
        expect(b.errors).toBeUndefined();
        expect(b.hash).toBe(onA.hash);
        expect(b.data).toEqual(onA.data);
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(metadataCalls(h.us)).toBe(0);
  });

  it('refreshSchema on A after Zoho gained a field: B serves the new field after the interval, without asking Zoho', async () => {
    const { h, token, hash } = await servedByBoth();
    h.us.metadata.addField('Deals', { api_name: 'Sync_Note', field_label: 'Sync note', data_type: 'text', custom: true }, { value: () => 'synced' });
    const refreshed = (await post(h.apps[0]!, token, 'mutation { refreshSchema { hash changed } }')).data?.refreshSchema as { hash: string; changed: boolean };
    expect(refreshed.changed).toBe(true);
    h.us.resetCalls();

    const NOTE = '{ crm { deals(first: 1) { nodes { id syncNote } } } }';
    const before = await post(h.apps[1]!, token, NOTE);
    expect(before.hash).toBe(hash);
    expect(cannotQuery(before, 'syncNote')).toBe(true);

    h.clock.now += VERSION_CHECK_INTERVAL_MS + 1;
    await vi.waitFor(
      async () => {
        const b = await post(h.apps[1]!, token, NOTE);
        expect(b.errors).toBeUndefined();
        expect(b.hash).toBe(refreshed.hash);
        expect(b.data?.crm).toEqual({ deals: { nodes: [{ id: expect.any(String), syncNote: 'synced' }] } });
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(metadataCalls(h.us)).toBe(0);
  });

  it('the version is read at most once per interval per connection, and a store that cannot answer it fails no request', async () => {
    const { h, token, hash } = await servedByBoth();
    const store = h.apps[1]!.store;
    const get = store.get.bind(store);
    let versionReads = 0;
    const broken = (async (key: string) => {
      if (!key.startsWith('typed:version:')) return get(key);
      versionReads++;
      throw new StoreUnavailableError(new Error('connection refused'));
    }) as typeof store.get;
    Object.assign(store, { get: broken });
    try {
      for (let round = 1; round <= 2; round++) {
        h.clock.now += VERSION_CHECK_INTERVAL_MS + 1;
        for (let i = 0; i < 5; i++) {
          const b = await post(h.apps[1]!, token, DEALS);
          expect(b.errors).toBeUndefined();
          expect(b.hash).toBe(hash);
        }
        expect(versionReads).toBe(round);
      }
    } finally {
      Object.assign(store, { get });
    }
    // The store answers again: the next check finds A's change.
    await post(h.apps[0]!, token, 'mutation { setFieldMapping(module: "Deals", mappings: [{ name: "budget", field: "Budget_USD" }]) { name } }');
    h.clock.now += VERSION_CHECK_INTERVAL_MS + 1;
    await vi.waitFor(async () => expect((await post(h.apps[1]!, token, '{ crm { deals(first: 1) { nodes { budget } } } }')).errors).toBeUndefined(), { timeout: 20_000, interval: 50 });
  });
});
