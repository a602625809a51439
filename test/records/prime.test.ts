/**
 * A list's page serves the operation's later reads of the same records (RecordLoaders.prime): a
 * lookup to a record the list already returned costs no Zoho call. Loaders live per request, so
 * the next operation asks Zoho again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';

/** Every account with its parent account (Accounts.Parent_Account, a lookup to Accounts), which reads the same fields. */
const ACCOUNTS_WITH_PARENTS = `query {
  records(module: "Accounts", first: 200) {
    nodes { id name: field(name: "Account_Name") parent: lookup(field: "Parent_Account") { id name: field(name: "Account_Name") } }
  }
}`;

interface Answer {
  data?: { records: { nodes: { id: string; name: string; parent: { id: string; name: string } | null }[] } };
  errors?: unknown[];
}

describe('a list primes the record reads of its operation', () => {
  let h: Harness;
  let child: string;
  let parent: { id: string; name: string };
  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { deals: 20 } } });
    await h.connect('acme');
    const accounts = [...h.us.ctx.records('Accounts').values()];
    expect(accounts.length).toBeGreaterThan(1);
    const [a, b] = accounts as [Record<string, unknown> & { id: string }, Record<string, unknown> & { id: string }];
    parent = { id: b.id, name: String(b.Account_Name) };
    child = a.id;
    a.Parent_Account = { id: parent.id, name: parent.name };
    // Field metadata is cached per connection for minutes: read it once so only record calls count below.
    await (await h.client('acme')).request(ACCOUNTS_WITH_PARENTS);
  });
  afterAll(() => h.close());

  const run = async (): Promise<Answer> => {
    const res = await fetch(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await h.token('acme')}` },
      body: JSON.stringify({ query: ACCOUNTS_WITH_PARENTS }),
    });
    return (await res.json()) as Answer;
  };

  it('a lookup to a record the list returned costs no call', async () => {
    h.us.resetCalls();
    const answer = await run();
    expect(answer.errors).toBeUndefined();
    const nodes = answer.data!.records.nodes;
    expect(nodes.some((n) => n.id === parent.id)).toBe(true);
    expect(nodes.find((n) => n.id === child)?.parent).toEqual(parent);
    // The list alone: the parent was on its page, with every field the lookup reads.
    expect(h.us.count()).toBe(1);
  });

  it('each operation has its own loaders: the next one lists again', async () => {
    h.us.resetCalls();
    await run();
    await run();
    expect(h.us.count()).toBe(2);
  });
});
