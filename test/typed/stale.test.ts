import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { connectTyped, fieldsOf, typedClient, type TypedClient } from './typed-client.js';

/** A field removed from the org while the gateway serves a schema that has it. */
describe('typed schema after Zoho drops a field', () => {
  let h: Harness;
  let c: TypedClient;
  beforeAll(async () => {
    h = await startHarness();
    await connectTyped(h, 'acme');
    c = await typedClient(h, 'acme');
  });
  afterAll(() => h?.close());

  it('when COQL names the field as unknown, rebuilds the schema without it (no refreshSchema needed)', async () => {
    expect(await fieldsOf(c, 'Deal')).toContain('budgetUsd');
    const before = h.app.typed.stats().builds;
    h.us.metadata.removeField('Deals', 'Budget_USD');
    const res = await c.run('{ crm { deals(first: 2, where: { budgetUsd: { gt: 0 } }) { nodes { id } } } }');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', zoho: { code: 'INVALID_QUERY', details: { column_name: 'Budget_USD' } } });
    // The rebuild runs in the background: wait for it (bounded), then the type no longer has the field.
    let fields = await fieldsOf(c, 'Deal');
    for (let i = 0; i < 100 && fields?.includes('budgetUsd'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      fields = await fieldsOf(c, 'Deal');
    }
    expect(fields).not.toContain('budgetUsd');
    expect(fields).toContain('amount');
    expect(h.app.typed.stats().builds).toBe(before + 1);
    const ok = await c.run<{ crm: { deals: { nodes: unknown[] } } }>('{ crm { deals(first: 2, where: { amount: { gt: 0 } }) { nodes { id amount } } } }');
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.crm.deals.nodes).toHaveLength(2);
  });
});
