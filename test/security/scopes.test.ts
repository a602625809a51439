/**
 * Scopes on what is not a record: the org's user directory behind a record's owner, and who the
 * connection acts as. A token with only records:read reads records (and the owner's id, name and
 * email Zoho embeds in them), nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { gql } from './http.js';

const USERS = 'GET /crm/v8/users';

describe('scopes beyond records', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.connect('acme');
    // The typed schema's first build reads the current user from Zoho: let it finish before counting.
    await h.app.typed.refresh('acme', 'default');
  });
  afterAll(() => h?.close());

  const errors = (body: { errors?: { path?: readonly unknown[]; extensions?: Record<string, unknown> }[] }) =>
    (body.errors ?? []).map((e) => ({ path: e.path?.filter((p) => typeof p === 'string').join('.'), code: e.extensions?.code, scope: e.extensions?.scope }));

  it('attack: records:read alone cannot read an owner’s role, profile or status (users:read)', async () => {
    const token = await h.token('acme', 'records:read');
    h.us.resetCalls();
    const res = await gql(h.app.url, token, '{ records(module: "Leads", first: 2) { nodes { id owner { id email status role { name } profile { name } } } } }');
    const nodes = (res.body.data as { records: { nodes: { owner: Record<string, unknown> }[] } }).records.nodes;
    // The embedded part is there; the directory part is refused, field by field, with no users call.
    expect(nodes.every((n) => typeof n.owner.email === 'string' && n.owner.role === null && n.owner.profile === null && n.owner.status === null)).toBe(true);
    const refused = errors(res.body);
    expect(new Set(refused.map((e) => e.path))).toEqual(new Set(['records.nodes.owner.status', 'records.nodes.owner.role', 'records.nodes.owner.profile']));
    expect(refused.every((e) => e.code === 'FORBIDDEN' && e.scope === 'users:read')).toBe(true);
    expect(h.us.count(USERS)).toBe(0);

    const withUsers = await gql(h.app.url, await h.token('acme', 'records:read users:read'), '{ records(module: "Leads", first: 2) { nodes { owner { status role { name } } } } }');
    expect(withUsers.body.errors).toBeUndefined();
    expect(h.us.count(USERS)).toBe(1);
  });

  it('attack: records:read alone cannot read me or connection (org:read or zoho:connect)', async () => {
    const token = await h.token('acme', 'records:read');
    for (const query of ['{ me { id email } }', '{ connection { status } }']) {
      const res = await gql(h.app.url, token, query);
      expect(Object.values((res.body.data ?? {}) as Record<string, unknown>).every((v) => v === null)).toBe(true);
      const ext = res.body.errors?.[0]?.extensions;
      expect(ext?.code).toBe('FORBIDDEN');
      expect([...(ext?.scopes as string[])].sort()).toEqual(['org:read', 'zoho:connect']);
    }
    for (const scope of ['org:read', 'zoho:connect']) {
      const ok = await gql(h.app.url, await h.token('acme', scope), '{ me { email } connection { status } }');
      expect(ok.body.errors, scope).toBeUndefined();
      expect(ok.body.data).toMatchObject({ me: { email: expect.any(String) }, connection: { status: expect.any(String) } });
    }
  });
});
