import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZRecord } from '../../src/emulator/seed.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { connectTyped, typedClient, type TypedClient } from './typed-client.js';

/**
 * `where` and `orderBy` of the typed Deals list, end to end (GraphQL → COQL → emulator), each
 * result compared with a plain JavaScript filter of the records the emulator stores.
 * The emulator compares text ignoring case (notes/emu.md, UNVERIFIED), so the model does too.
 */

type Pred = (d: ZRecord) => boolean;

const empty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
const lc = (v: unknown) => String(v).toLowerCase();
const idOf = (v: unknown) => (v as { id?: string } | null)?.id ?? null;
const ms = (v: unknown) => Date.parse(String(v));

describe('typed filters and ordering (Deals)', () => {
  let h: Harness;
  let c: TypedClient;
  let deals: ZRecord[];
  const page = `query($where: Deal_Filter, $orderBy: [Deal_OrderBy!], $after: String) {
    crm { deals(first: 200, where: $where, orderBy: $orderBy, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } } }`;

  /** Every id the filtered list returns, in order, walking its cursor. */
  async function walk(where: unknown, orderBy?: unknown): Promise<string[]> {
    const out: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res: { crm: { deals: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } = await c.data(page, { where, orderBy, after });
      out.push(...res.crm.deals.nodes.map((n) => n.id));
      if (!res.crm.deals.pageInfo.hasNextPage) return out;
      after = res.crm.deals.pageInfo.endCursor;
    }
    throw new Error('more pages than the emulator has records');
  }

  const sorted = (ids: Iterable<string>) => [...ids].sort();
  const expectMatch = async (where: unknown, pred: Pred) => {
    const want = deals.filter(pred).map((d) => d.id);
    // A case that matches nothing or everything would not show a wrong operator.
    expect(want.length, JSON.stringify(where)).toBeGreaterThan(0);
    expect(want.length, JSON.stringify(where)).toBeLessThan(deals.length);
    expect(sorted(await walk(where)), JSON.stringify(where)).toEqual(sorted(want));
  };

  beforeAll(async () => {
    h = await startHarness();
    await connectTyped(h, 'acme');
    c = await typedClient(h, 'acme');
    deals = [...h.us.ctx.records('Deals').values()];
  });
  afterAll(() => h?.close());

  it('String comparisons (picklist and text): eq ne in notIn startsWith isNull', async () => {
    const d0 = deals[3]!;
    const cases: [unknown, Pred][] = [
      [{ stage: { eq: 'Closed Won' } }, (d) => lc(d.Stage) === 'closed won'],
      [{ stage: { ne: 'Closed Won' } }, (d) => !empty(d.Stage) && lc(d.Stage) !== 'closed won'],
      [{ stage: { in: ['Qualification', 'Negotiation/Review'] } }, (d) => ['qualification', 'negotiation/review'].includes(lc(d.Stage))],
      [{ stage: { notIn: ['Qualification', 'Negotiation/Review'] } }, (d) => !empty(d.Stage) && !['qualification', 'negotiation/review'].includes(lc(d.Stage))],
      [{ dealName: { eq: String(d0.Deal_Name) } }, (d) => lc(d.Deal_Name) === lc(d0.Deal_Name)],
      [{ dealName: { startsWith: String(d0.Deal_Name).slice(0, 6) } }, (d) => lc(d.Deal_Name).startsWith(lc(String(d0.Deal_Name).slice(0, 6)))],
      [{ dealCode: { startsWith: 'DL-00' } }, (d) => lc(d.Deal_Code).startsWith('dl-00')],
      [{ leadSource: { isNull: false }, stage: { eq: 'Proposal/Price Quote' } }, (d) => !empty(d.Lead_Source) && d.Stage === 'Proposal/Price Quote'],
    ];
    for (const [where, pred] of cases) await expectMatch(where, pred);
  });

  it('Float (currency, percent, formula) and Int comparisons: eq ne gt gte lt lte in notIn isNull', async () => {
    const amounts = deals.map((d) => d.Amount as number);
    const a = amounts[10]!;
    const b = amounts[20]!;
    const w = deals[5]!.Win_Chance as number;
    const cases: [unknown, Pred][] = [
      [{ amount: { eq: a } }, (d) => d.Amount === a],
      [{ amount: { ne: a } }, (d) => typeof d.Amount === 'number' && d.Amount !== a],
      [{ amount: { gt: 100_000 } }, (d) => (d.Amount as number) > 100_000],
      [{ amount: { gte: a } }, (d) => (d.Amount as number) >= a],
      [{ amount: { lt: 50_000.5 } }, (d) => (d.Amount as number) < 50_000.5],
      [{ amount: { lte: a } }, (d) => (d.Amount as number) <= a],
      [{ amount: { in: [a, b] } }, (d) => d.Amount === a || d.Amount === b],
      [{ amount: { notIn: [a, b] } }, (d) => typeof d.Amount === 'number' && d.Amount !== a && d.Amount !== b],
      [{ winChance: { gte: w, lt: 90.5 } }, (d) => (d.Win_Chance as number) >= w && (d.Win_Chance as number) < 90.5],
      [{ budgetUsd: { gt: 20_000, lte: 60_000 } }, (d) => (d.Budget_USD as number) > 20_000 && (d.Budget_USD as number) <= 60_000],
      [{ weightedAmount: { gt: 50_000 } }, (d) => typeof d.Weighted_Amount === 'number' && d.Weighted_Amount > 50_000],
      [{ weightedAmount: { isNull: false }, probability: { lt: 20 } }, (d) => typeof d.Weighted_Amount === 'number' && (d.Probability as number) < 20],
      [{ Lead_Score: { eq: 42 } }, (d) => d.Lead_Score === 42],
      [{ Lead_Score: { gte: 90 } }, (d) => (d.Lead_Score as number) >= 90],
      [{ LeadScore: { lt: 1100 } }, (d) => (d.LeadScore as number) < 1100],
      [{ Lead_Score: { in: [1, 2, 3] } }, (d) => [1, 2, 3].includes(d.Lead_Score as number)],
      [{ Lead_Score: { notIn: [1, 2, 3], lte: 10 } }, (d) => ![1, 2, 3].includes(d.Lead_Score as number) && (d.Lead_Score as number) <= 10],
    ];
    for (const [where, pred] of cases) await expectMatch(where, pred);
  });

  it('Boolean, Date and DateTime comparisons', async () => {
    const day = String(deals[30]!.Go_Live_Date);
    const t = String(deals[200]!.Created_Time);
    const iso = new Date(t).toISOString();
    const cases: [unknown, Pred][] = [
      [{ isStrategic: { eq: true } }, (d) => d.Is_Strategic === true],
      [{ isStrategic: { eq: false } }, (d) => d.Is_Strategic === false],
      [{ goLiveDate: { eq: day } }, (d) => d.Go_Live_Date === day],
      [{ goLiveDate: { ne: day } }, (d) => !empty(d.Go_Live_Date) && d.Go_Live_Date !== day],
      [{ goLiveDate: { gt: day } }, (d) => !empty(d.Go_Live_Date) && String(d.Go_Live_Date) > day],
      [{ goLiveDate: { lte: day } }, (d) => !empty(d.Go_Live_Date) && String(d.Go_Live_Date) <= day],
      [{ goLiveDate: { isNull: true } }, (d) => empty(d.Go_Live_Date)],
      [{ goLiveDate: { isNull: false } }, (d) => !empty(d.Go_Live_Date)],
      [{ closingDate: { gte: day, lt: '2026-06-01' } }, (d) => String(d.Closing_Date) >= day && String(d.Closing_Date) < '2026-06-01'],
      [{ createdTime: { eq: iso } }, (d) => ms(d.Created_Time) === ms(t)],
      [{ createdTime: { gt: iso } }, (d) => ms(d.Created_Time) > ms(t)],
      [{ createdTime: { lte: iso } }, (d) => ms(d.Created_Time) <= ms(t)],
      // An instant in another offset is the same instant.
      [{ createdTime: { gte: new Date(ms(t)).toISOString().replace('Z', '+00:00') } }, (d) => ms(d.Created_Time) >= ms(t)],
      [{ createdTime: { lt: new Date(ms(t) + 2 * 3_600_000).toISOString().replace('.000Z', '+02:00') } }, (d) => ms(d.Created_Time) < ms(t)],
    ];
    for (const [where, pred] of cases) await expectMatch(where, pred);
  });

  it('multi-select and id comparisons (regions, id, accountNameId, ownerId)', async () => {
    const acc = idOf(deals[7]!.Account_Name)!;
    const acc2 = idOf(deals[8]!.Account_Name)!;
    const owner = idOf(deals[9]!.Owner)!;
    const some = deals.slice(40, 45).map((d) => d.id);
    const regions = (d: ZRecord) => (d.Regions as string[]) ?? [];
    const cases: [unknown, Pred][] = [
      [{ regions: { eq: 'EMEA' } }, (d) => regions(d).includes('EMEA')],
      [{ regions: { ne: 'EMEA' } }, (d) => regions(d).length > 0 && !regions(d).includes('EMEA')],
      [{ regions: { in: ['APAC', 'LATAM'] } }, (d) => regions(d).some((r) => r === 'APAC' || r === 'LATAM')],
      [{ regions: { notIn: ['APAC', 'LATAM'] } }, (d) => regions(d).length > 0 && !regions(d).some((r) => r === 'APAC' || r === 'LATAM')],
      [{ regions: { isNull: true } }, (d) => regions(d).length === 0],
      [{ id: { eq: some[0] } }, (d) => d.id === some[0]],
      [{ id: { in: some } }, (d) => some.includes(d.id)],
      [{ id: { notIn: some } }, (d) => !some.includes(d.id)],
      [{ accountNameId: { eq: acc } }, (d) => idOf(d.Account_Name) === acc],
      [{ accountNameId: { ne: acc } }, (d) => idOf(d.Account_Name) !== null && idOf(d.Account_Name) !== acc],
      [{ accountNameId: { in: [acc, acc2] } }, (d) => [acc, acc2].includes(idOf(d.Account_Name)!)],
      [{ ownerId: { eq: owner } }, (d) => idOf(d.Owner) === owner],
      [{ ownerId: { notIn: [owner] } }, (d) => idOf(d.Owner) !== null && idOf(d.Owner) !== owner],
    ];
    for (const [where, pred] of cases) await expectMatch(where, pred);
  });

  it('filters the custom module: user lookup id, DateTime, decimal, picklist, boolean', async () => {
    const visits = [...h.us.ctx.records('Field_Visits').values()];
    const visitor = idOf(visits[2]!.Visited_By)!;
    const when = String(visits[10]!.Visit_Date);
    const q = 'query($where: FieldVisit_Filter) { crm { fieldVisits(first: 200, where: $where) { nodes { id } } } }';
    const cases: [unknown, Pred][] = [
      [{ visitedById: { eq: visitor } }, (v) => idOf(v.Visited_By) === visitor],
      [{ visitedById: { ne: visitor }, followUp: { eq: false } }, (v) => idOf(v.Visited_By) !== visitor && v.Follow_Up === false],
      [{ visitDate: { gte: new Date(when).toISOString() } }, (v) => ms(v.Visit_Date) >= ms(when)],
      [{ durationHours: { gt: 3.25 } }, (v) => (v.Duration_Hours as number) > 3.25],
      [
        { or: [{ outcome: { eq: String(visits[0]!.Outcome) } }, { accountId: { eq: idOf(visits[1]!.Account) } }] },
        (v) => v.Outcome === visits[0]!.Outcome || idOf(v.Account) === idOf(visits[1]!.Account),
      ],
    ];
    for (const [where, pred] of cases) {
      const want = visits
        .filter(pred)
        .map((v) => v.id)
        .sort();
      expect(want.length, JSON.stringify(where)).toBeGreaterThan(0);
      expect(want.length, JSON.stringify(where)).toBeLessThan(visits.length);
      const got = await c.data<{ crm: { fieldVisits: { nodes: { id: string }[] } } }>(q, { where });
      expect(got.crm.fieldVisits.nodes.map((n) => n.id).sort(), JSON.stringify(where)).toEqual(want);
    }
  });

  it('nests and / or as the plain boolean expression', async () => {
    const where = {
      or: [{ and: [{ stage: { eq: 'Closed Won' } }, { amount: { gt: 100_000 } }] }, { isStrategic: { eq: true }, regions: { eq: 'APAC' } }],
      Lead_Score: { lt: 60 },
      and: [{ or: [{ goLiveDate: { isNull: true } }, { budgetUsd: { gte: 30_000 } }] }],
    };
    await expectMatch(
      where,
      (d) =>
        ((d.Stage === 'Closed Won' && (d.Amount as number) > 100_000) || (d.Is_Strategic === true && (d.Regions as string[]).includes('APAC'))) &&
        (d.Lead_Score as number) < 60 &&
        (empty(d.Go_Live_Date) || (d.Budget_USD as number) >= 30_000),
    );
  });

  it('accepts 25 criteria and refuses 26 with BAD_USER_INPUT naming the limit, before any Zoho call', async () => {
    const criteria = (n: number) => ({ and: Array.from({ length: n }, (_, i) => ({ LeadScore: { ne: 5000 + i } })) });
    expect(await walk(criteria(25))).toHaveLength(deals.length);
    h.us.resetCalls();
    const res = await c.run(page, { where: criteria(26) });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 'where', maximum: 25 });
    expect(res.errors?.[0]?.message).toMatch(/25/);
    expect(res.extensions.zoho?.calls).toBe(0);
    expect(h.us.count()).toBe(0);
  });

  it('matches a value with a single quote, and an injection attempt matches nothing', async () => {
    const target = deals[11]!;
    const original = target.Deal_Name;
    target.Deal_Name = "O'Brien & Sons — Pilot 12";
    try {
      expect(await walk({ dealName: { eq: "O'Brien & Sons — Pilot 12" } })).toEqual([target.id]);
      expect(await walk({ dealName: { startsWith: "O'Brien" } })).toEqual([target.id]);
      expect(await walk({ dealName: { in: ["O'Brien & Sons — Pilot 12", 'nothing'] } })).toEqual([target.id]);
      // Were the quote not escaped, each would close the string and match every Deal.
      for (const attempt of ["x' or Deal_Name is not null or Deal_Name = 'x", "x') or (Deal_Name != 'x", "' or ''='"]) {
        const res = await c.run<{ crm: { deals: { nodes: unknown[] } } }>(page, { where: { dealName: { eq: attempt } } });
        expect(res.errors, attempt).toBeUndefined();
        expect(res.data!.crm.deals.nodes, attempt).toEqual([]);
        const starts = await c.run<{ crm: { deals: { nodes: unknown[] } } }>(page, { where: { dealName: { startsWith: attempt } } });
        expect(starts.data?.crm.deals.nodes ?? starts.errors?.[0]?.extensions?.code, attempt).toEqual([]);
      }
    } finally {
      target.Deal_Name = original;
    }
  });

  it('orders by one or several fields, ties broken by id, across pages', async () => {
    const byId = (x: ZRecord, y: ZRecord) => (BigInt(x.id) < BigInt(y.id) ? -1 : BigInt(x.id) > BigInt(y.id) ? 1 : 0);
    const cmp = (x: unknown, y: unknown) => (x === y ? 0 : (x as number) < (y as number) ? -1 : 1);

    const amountDesc = [...deals].sort((x, y) => cmp(y.Amount, x.Amount) || byId(x, y)).map((d) => d.id);
    expect(await walk(null, [{ amount: 'DESC' }])).toEqual(amountDesc);

    const stageThenClosing = [...deals].sort((x, y) => cmp(lc(x.Stage), lc(y.Stage)) || cmp(y.Closing_Date, x.Closing_Date) || byId(x, y)).map((d) => d.id);
    expect(await walk(null, [{ stage: 'ASC' }, { closingDate: 'DESC' }])).toEqual(stageThenClosing);

    // With a where: strategic deals by Lead_Score ascending (many ties), then id.
    const strategic = deals
      .filter((d) => d.Is_Strategic === true)
      .sort((x, y) => cmp(x.Lead_Score, y.Lead_Score) || byId(x, y))
      .map((d) => d.id);
    expect(await walk({ isStrategic: { eq: true } }, [{ Lead_Score: 'ASC' }])).toEqual(strategic);

    const idDesc = [...deals].sort((x, y) => byId(y, x)).map((d) => d.id);
    expect(await walk(null, [{ id: 'DESC' }])).toEqual(idDesc);

    const createdDesc = [...deals].sort((x, y) => cmp(ms(y.Created_Time), ms(x.Created_Time)) || byId(x, y)).map((d) => d.id);
    expect(await walk({ amount: { gt: 0 } }, [{ createdTime: 'DESC' }])).toEqual(createdDesc);
  });
});
