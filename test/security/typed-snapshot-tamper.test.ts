/**
 * The typed snapshot and mapping are plain JSON in the store (`typed:snapshot:<tenant>:<conn>`,
 * `typed:mapping:<tenant>:<conn>`), unlike tokens, which are sealed with TOKEN_ENCRYPTION_KEY. A
 * store writer without that key must not be able to steer the gateway's Zoho calls (module api
 * names become URL paths and COQL `from`, field api names COQL text) or make it serve names that
 * break the schema: what the gateway builds from a stored snapshot holds to the same rules as what
 * it builds from Zoho.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App } from '../../src/app.js';
import { DEFAULT_CONNECTION_NAME } from '../../src/auth/claims.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

const SNAPSHOT = `typed:snapshot:acme:${DEFAULT_CONNECTION_NAME}`;
const MAPPING = `typed:mapping:acme:${DEFAULT_CONNECTION_NAME}`;

interface StoredField {
  apiName: string;
  [k: string]: unknown;
}
interface StoredSnapshot {
  v: 1;
  fetchedAt: number;
  owner?: string | null;
  metadata: { modules: { apiName: string; label: string; fields: StoredField[] }[]; subforms: Record<string, StoredField[]> };
  names: { modules: Record<string, { fields: Record<string, string> } & Record<string, unknown>>; subforms?: Record<string, Record<string, string>> };
}

async function post(
  app: App,
  token: string,
  query: string,
): Promise<{ hash: string | null; text: string; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } }> {
  const res = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
  const text = await res.text();
  return { hash: res.headers.get('x-schema-hash'), text, body: JSON.parse(text) };
}

const settled = (app: App) => vi.waitFor(() => expect(app.typed.stats().loading).toBe(0), { timeout: 20_000 });

describe('a tampered typed snapshot in the store', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** acme connected, its snapshot stored by instance 0; instance 1 has never served it. */
  async function stored(): Promise<{ token: string; snapshot: StoredSnapshot }> {
    h = await startHarness({ instances: 2, env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    const first = await post(h.apps[0]!, token, '{ crm { deals(first: 1) { nodes { id } } } }');
    expect(first.hash).not.toBeNull();
    await settled(h.apps[0]!);
    const snapshot = await h.app.store.get<StoredSnapshot>(SNAPSHOT);
    expect(snapshot?.metadata.modules.some((m) => m.apiName === 'Deals')).toBe(true);
    return { token, snapshot: snapshot! };
  }

  it('does not call Zoho on a module api name that walks out of the module path', async () => {
    const { token, snapshot } = await stored();
    const deals = snapshot.metadata.modules.find((m) => m.apiName === 'Deals')!;
    const lastName: StoredField = { ...deals.fields.find((f) => f.apiName === 'Deal_Name')!, apiName: 'Last_Name' };
    // Served as `crm { evils }`, it would read `GET /crm/v8/Deals/../Contacts` = Contacts, under
    // the scope `records:read:Deals/../Contacts`, not `records:read:Contacts`.
    const evil = 'Deals/../Contacts';
    snapshot.metadata.modules.push({ apiName: evil, label: 'Evil', fields: [lastName] });
    snapshot.names.modules[evil] = {
      type: 'Evil',
      list: 'evils',
      one: 'evil',
      create: 'createEvils',
      update: 'updateEvils',
      upsert: 'upsertEvils',
      delete: 'deleteEvils',
      fields: { Last_Name: 'lastName' },
    };
    await h!.app.store.set(SNAPSHOT, snapshot);
    h!.us.resetCalls();

    const a = await post(h!.apps[1]!, token, '{ crm { evils(first: 5) { nodes { id lastName } } } }');
    await settled(h!.apps[1]!);
    expect(h!.us.count((c) => /Contacts/.test(c.path))).toBe(0);
    expect(a.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // The typed schema still answers, without the crafted module.
    const b = await post(h!.apps[1]!, token, '{ crm { deals(first: 1) { nodes { id dealName } } } }');
    expect(b.body.errors).toBeUndefined();
    expect(b.hash).not.toBeNull();
  });

  it('does not put a field api name that is COQL text into a COQL query', async () => {
    const { token, snapshot } = await stored();
    const deals = snapshot.metadata.modules.find((m) => m.apiName === 'Deals')!;
    const injected = "Deal_Name from Contacts where Last_Name != '' limit 200 --";
    deals.fields.push({ ...deals.fields.find((f) => f.apiName === 'Deal_Name')!, apiName: injected });
    snapshot.names.modules.Deals!.fields[injected] = 'contactNames';
    await h!.app.store.set(SNAPSHOT, snapshot);

    const a = await post(h!.apps[1]!, token, '{ crm { deals(first: 5, where: { dealName: { startsWith: "A" } }) { nodes { id contactNames } } } }');
    await settled(h!.apps[1]!);
    expect(a.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(a.text).not.toMatch(/Contacts/);
    const b = await post(h!.apps[1]!, token, '{ crm { deals(first: 1, where: { dealName: { startsWith: "A" } }) { nodes { id dealName } } } }');
    expect(b.body.errors).toBeUndefined();
    expect(b.hash).not.toBeNull();
  });

  it('does not lose the typed schema to a GraphQL name that is not one, in the names or the mapping', async () => {
    const { token, snapshot } = await stored();
    snapshot.names.modules.Deals!.fields.Deal_Name = '__schema';
    await h!.app.store.set(SNAPSHOT, snapshot);
    await h!.app.store.set(MAPPING, {
      Deals: [
        { name: 'not a name', field: 'Amount' },
        { name: 'id', field: 'Amount' },
      ],
    });

    const a = await post(h!.apps[1]!, token, '{ crm { deals(first: 1) { nodes { id dealName amount } } } }');
    expect(a.body.errors).toBeUndefined();
    expect(a.hash).not.toBeNull();
    expect((a.body.data as { crm: { deals: { nodes: { id: string }[] } } }).crm.deals.nodes[0]!.id).toMatch(/^\d+$/);
  });
});

describe('a stored snapshot too large or with names given twice', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function stored(): Promise<{ token: string; snapshot: StoredSnapshot }> {
    h = await startHarness({ instances: 2, env: { SCHEMA_BUILD_WAIT_MS: '30000' } });
    await h.connect('acme');
    const token = await h.token('acme');
    expect((await post(h.apps[0]!, token, '{ crm { deals(first: 1) { nodes { id } } } }')).hash).not.toBeNull();
    await settled(h.apps[0]!);
    return { token, snapshot: (await h.app.store.get<StoredSnapshot>(SNAPSHOT))! };
  }

  it('does not build a schema of 60,000 fields from the store (re-reads Zoho instead)', async () => {
    const { token, snapshot } = await stored();
    const deals = snapshot.metadata.modules.find((m) => m.apiName === 'Deals')!;
    const template = deals.fields.find((f) => f.apiName === 'Deal_Name')!;
    for (let i = 0; i < 60_000; i++) {
      deals.fields.push({ ...template, apiName: `Pad_${i}`, picklistValues: [] });
      snapshot.names.modules.Deals!.fields[`Pad_${i}`] = `pad${i}`;
    }
    await h!.app.store.set(SNAPSHOT, snapshot);
    const a = await post(h!.apps[1]!, token, '{ crm { deals(first: 1) { nodes { id pad59999 } } } }');
    expect(a.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const b = await post(h!.apps[1]!, token, '{ crm { deals(first: 1) { nodes { id dealName } } } }');
    expect(b.body.errors).toBeUndefined();
    expect(b.hash).not.toBeNull();
  });

  it('does not lose the typed schema to two modules given one type name', async () => {
    const { token, snapshot } = await stored();
    snapshot.names.modules.Accounts!.type = 'Deal';
    snapshot.names.modules.Contacts!.type = 'User';
    await h!.app.store.set(SNAPSHOT, snapshot);
    const a = await post(h!.apps[1]!, token, '{ crm { deals(first: 1) { nodes { id dealName } } accounts(first: 1) { nodes { id } } } }');
    expect(a.body.errors).toBeUndefined();
    expect(a.hash).not.toBeNull();
  });
});

describe('a stored snapshot dated in the future', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('does not keep the schema from ever refreshing (SCHEMA_TTL still runs)', async () => {
    h = await startHarness({ instances: 2, env: { SCHEMA_BUILD_WAIT_MS: '30000', SCHEMA_TTL: '60' } });
    await h.connect('acme');
    const token = await h.token('acme');
    expect((await post(h.apps[0]!, token, '{ crm { deals(first: 1) { nodes { id } } } }')).hash).not.toBeNull();
    await settled(h.apps[0]!);
    const snapshot = (await h.app.store.get<StoredSnapshot>(SNAPSHOT))!;
    await h.app.store.set(SNAPSHOT, { ...snapshot, fetchedAt: 8_000_000_000_000 });
    h.us.metadata.addField('Deals', { api_name: 'Added_Later', field_label: 'Added Later', data_type: 'text', custom: true });
    const q = '{ crm { deals(first: 1) { nodes { id addedLater } } } }';
    await post(h.apps[1]!, token, q);
    await settled(h.apps[1]!);
    h.clock.now += 61_000;
    await post(h.apps[1]!, token, q);
    await settled(h.apps[1]!);
    const b = await post(h.apps[1]!, token, q);
    expect(b.body.errors).toBeUndefined();
  });
});
