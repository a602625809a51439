/**
 * Before any JWT is looked at, the parser reads the document. graphql-js parses nested list and
 * object literals recursively, and MAX_TOKENS (5,000) still lets `[[[…]]]` nest 2,400 deep: the
 * parser overflowed its stack, a 500 INTERNAL logged as an unexpected error, for anyone on the
 * internet. Refused as QUERY_TOO_COMPLEX (400) before parsing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_NESTING } from '../../src/http/plugins/query-limits.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

describe('a document of deeply nested literals, without a JWT', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  const post = async (query: string) => {
    const res = await fetch(`${h.app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return { status: res.status, body: (await res.json()) as { errors?: { extensions?: Record<string, unknown> }[] } };
  };

  it('is QUERY_TOO_COMPLEX (400), not a stack overflow (500)', async () => {
    for (const [open, close] of [
      ['[', ']'],
      ['{a:', '}'],
    ] as const) {
      const a = await post(`{ records(module: "Deals", where: ${open.repeat(2_400)}1${close.repeat(2_400)}) { nodes { id } } }`);
      expect(a.status).toBe(400);
      expect(a.body.errors?.[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'documentNesting', maximum: MAX_DOCUMENT_NESTING });
    }
    expect(h.logs.lines.some((l) => l.includes('Maximum call stack'))).toBe(false);
  });

  it('does not count brackets inside strings and comments', async () => {
    const a = await post(`{ records(module: "${'['.repeat(500)}", where: """${'{'.repeat(500)}""") { nodes { id } } } # ${'['.repeat(500)}`);
    expect(a.status).toBe(401);
  });
});
