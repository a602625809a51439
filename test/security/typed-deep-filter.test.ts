/**
 * `Deal_Filter` is recursive (and/or take lists of filters). Given through variables, a filter
 * nested 20,000 deep (200 KB of body) overflowed the executor's stack while it coerced the
 * variables, before filter.ts's depth check (10) could refuse it: a 500 INTERNAL, logged as an
 * unexpected error, instead of a 400 naming the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VARIABLES_DEPTH } from '../../src/http/plugins/query-limits.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { connectTyped, ok } from '../typed/typed-harness.js';

const QUERY = 'query($w: Deal_Filter) { crm { deals(where: $w) { nodes { id } } } }';

async function post(h: Harness, token: string, where: string) {
  // Built as text: JSON.stringify itself recurses.
  const body = `{"query":${JSON.stringify(QUERY)},"variables":{"w":${where}}}`;
  const res = await fetch(`${h.app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  return { status: res.status, body: (await res.json()) as { errors?: { extensions?: Record<string, unknown> }[] } };
}

const nested = (depth: number) => '{"and":['.repeat(depth) + '{"dealName":{"eq":"x"}}' + ']}'.repeat(depth);

describe('a deeply nested typed filter in variables', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness();
    token = await connectTyped(h, 'acme');
  });
  afterAll(() => h.close());

  it('is refused as QUERY_TOO_COMPLEX (400), not a 500', async () => {
    const a = await post(h, token, nested(20_000));
    expect(a.status).toBe(400);
    expect(a.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'variablesDepth', maximum: MAX_VARIABLES_DEPTH });
    expect(h.logs.lines.some((l) => l.includes('Maximum call stack'))).toBe(false);
  });

  it('still takes the 10 levels of and/or the filter allows', async () => {
    const a = await post(h, token, nested(10));
    expect(a.status).toBe(200);
    expect(a.body.errors).toBeUndefined();
    await ok(h, token, '{ crm { deals(first: 1) { nodes { id } } } }');
  });
});
