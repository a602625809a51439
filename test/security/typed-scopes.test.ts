/**
 * records:read:<Module> narrows the typed API as it narrows the generic one: every path from a
 * readable module into another (a lookup, a mapped lookup, an owner's details) needs that other module's (or users:read) scope of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codes, connectTyped, gql, ok } from '../typed/typed-harness.js';

describe('typed reads under a narrowed scope', () => {
  let h: Harness;
  let narrow: string;
  beforeAll(async () => {
    h = await startHarness();
    const admin = await connectTyped(h, 'acme');
    await ok(h, admin, 'mutation { setFieldMapping(module: "Deals", mappings: [{ name: "company", field: "Account_Name" }]) { name } }');
    narrow = await h.token('acme', 'records:read:Deals');
  });
  afterAll(() => h.close());

  it('reads Deals themselves', async () => {
    const d = await ok<{ crm: { deals: { nodes: { id: string }[] } } }>(h, narrow, '{ crm { deals(first: 3) { nodes { id dealName accountNameId ownerId } } } }');
    expect(d.crm.deals.nodes.length).toBeGreaterThan(0);
  });

  for (const [what, selection] of [
    ['a lookup', 'accountName { accountName }'],
    ["a lookup's id through its object", 'accountName { id }'],
    ['a mapped lookup', 'company { accountName }'],
    ["an owner's role", 'owner { role { name } }'],
  ] as const) {
    it(`refuses ${what} into a module the scope does not name`, async () => {
      const a = await gql(h, narrow, `{ crm { deals(first: 50) { nodes { id ${selection} } } } }`);
      expect(codes(a)).toContain('FORBIDDEN');
      expect(JSON.stringify(a.data ?? {})).not.toMatch(/"accountName":"|"name":"|"dealName":"/);
    });
  }
});
