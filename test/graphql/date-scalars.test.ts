import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codeOf, gql, type Answer } from '../security/http.js';

/**
 * The `Date` and `DateTime` scalars (graphql-scalars' LocalDate and DateTimeISO under our names),
 * called like a user through the real gateway against the emulator: what is refused before any
 * Zoho call, what passes, and how Zoho's offsets come out.
 */

const SINCE = 'query($since: DateTime) { recordChanges(module: "Deals", since: $since, first: 5) { upserted { id } } }';
const CLOSING = 'query($d: Date) { crm { deals(first: 5, where: { closingDate: { eq: $d } }) { nodes { id } } } }';

describe('Date and DateTime: strict ISO 8601 in, Zoho offsets honoured out', () => {
  let h: Harness;
  let token: string;

  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { deals: 6 } } });
    await h.connect('acme');
    token = await h.token('acme');
    // The connection's typed schema and metadata, fetched once: later counts are the operation's own.
    expect((await gql(h.app.url, token, CLOSING, { d: '2026-01-31' })).body.errors).toBeUndefined();
  });
  afterAll(() => h.close());

  /** Sends the operation; returns the answer and how many Zoho CRM calls it cost. */
  const send = async (query: string, variables?: Record<string, unknown>): Promise<{ a: Answer; zoho: number }> => {
    h.us.resetCalls();
    const a = await gql(h.app.url, token, query, variables);
    return { a, zoho: h.us.count((c) => c.route.includes('/crm/')) };
  };

  it.each([
    'March 3',
    '2026-13-01',
    '2026-13-01T00:00:00Z',
    '2026-02-29T10:00:00Z',
    '2026-01-31',
    '2026-01-31T09:30:00',
  ])('DateTime refuses %j as BAD_USER_INPUT, naming the form, before any Zoho call', async (since) => {
    const { a, zoho } = await send(SINCE, { since });
    expect(codeOf(a)).toBe('BAD_USER_INPUT');
    expect(a.body.errors![0]!.message).toContain('RFC 3339');
    expect(a.body.errors![0]!.message).toContain(since);
    expect(a.body.data ?? null).toBeNull();
    expect(zoho).toBe(0);
  });

  it('DateTime refuses a bad literal in the query text too', async () => {
    const { a, zoho } = await send('{ recordChanges(module: "Deals", since: "March 3", first: 5) { upserted { id } } }');
    expect(codeOf(a)).toBe('BAD_USER_INPUT');
    expect(a.body.errors![0]!.message).toContain('RFC 3339');
    expect(zoho).toBe(0);
  });

  it.each(['2026-01-31T09:30:00Z', '2026-01-31T09:30:00.123Z', '2026-01-31T15:00:00+05:30', '2024-02-29T23:59:59-08:00'])('DateTime takes %j', async (since) => {
    const { a } = await send(SINCE, { since });
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data).toMatchObject({ recordChanges: { upserted: expect.any(Array) } });
  });

  it.each(['March 3', '2026-13-01', '2026-02-29', '2026-1-31', '2026-01-31T00:00:00Z'])('Date refuses %j as BAD_USER_INPUT, naming the form, before any Zoho call', async (d) => {
    const { a, zoho } = await send(CLOSING, { d });
    expect(codeOf(a)).toBe('BAD_USER_INPUT');
    expect(a.body.errors![0]!.message).toContain('yyyy-MM-dd');
    expect(zoho).toBe(0);
  });

  it('Date takes yyyy-MM-dd (a leap day included) and filters by it', async () => {
    const deal = [...h.us.ctx.records('Deals').values()][0]!;
    for (const d of ['2024-02-29', String(deal.Closing_Date)]) {
      const { a } = await send(CLOSING, { d });
      expect(a.body.errors).toBeUndefined();
      const ids = (a.body.data as { crm: { deals: { nodes: { id: string }[] } } }).crm.deals.nodes.map((n) => n.id);
      if (d === deal.Closing_Date) expect(ids).toContain(String(deal.id));
    }
  });

  it('a Zoho date-time with a +05:30 offset comes out as the same instant, in UTC', async () => {
    const [id, rec] = [...h.us.ctx.records('Deals').entries()][1]!;
    rec.Modified_Time = '2026-01-31T15:00:00+05:30';
    const { a } = await send('query($id: ID!) { record(module: "Deals", id: $id) { modifiedTime } }', { id: String(id) });
    expect(a.body.errors).toBeUndefined();
    expect(a.body.data).toEqual({ record: { modifiedTime: '2026-01-31T09:30:00.000Z' } });
  });
});
