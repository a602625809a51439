import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/errors.js';
import { checkCoqlLimits } from '../../src/records/coql-limits.js';
import { coqlReads } from '../../src/records/coql-reads.js';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import type { ZRecord } from '../../src/emulator/seed.js';
import { COMPARISONS, comparisonFor, compileCoql, compileOrderBy, compileWhere, filterEntries, orderEntries, plainNumber, type Op } from '../../src/typed/filter.js';
import { call, startTestEmulator } from '../helpers/emulator.js';
import { dealsModule, field, typedModule } from './typed-fixture.js';

/**
 * The typed filter compiler. Sources: GRQ = https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html
 * ("Field Types and their Comparators"), LIM = https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html,
 * K171 = https://help.zoho.com/portal/en/community/topic/kaizen-171-faqs-on-coql-api.
 */

const deals = dealsModule();
/** Fields the emulator's Deals lack, for compile-only tests. */
const extra = typedModule('Deals', 'Deal', [
  ...deals.fields,
  field('externalRef', 'External_Ref', 'string', 'bigint'),
  field('external', 'External', 'string', 'text'),
  field('notes', 'Notes', 'string', 'text', { filterable: false, sortable: false }),
]);

const where = (w: unknown) => compileWhere(extra, w);

/** The GatewayError a call throws (fails the test when it does not throw one). */
function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('the comparison table', () => {
  it('gives each field kind its comparison; textarea, subform, unfilterable fields get none', () => {
    const byName = Object.fromEntries(filterEntries(extra).map((e) => [e.name, e.comparison]));
    expect(byName).toEqual({
      dealName: 'String_Comparison',
      stage: 'String_Comparison',
      amount: 'Float_Comparison',
      closingDate: 'Date_Comparison',
      isStrategic: 'Boolean_Comparison',
      regions: 'MultiSelect_Comparison',
      leadScore: 'Int_Comparison',
      accountNameId: 'ID_Comparison',
      ownerId: 'ID_Comparison',
      createdTime: 'DateTime_Comparison',
      budgetUsd: 'Float_Comparison',
      dealCode: 'String_Comparison',
      budget: 'Float_Comparison',
      externalRef: 'BigInt_Comparison',
      external: 'String_Comparison',
    });
    expect(comparisonFor(extra.fields.find((f) => f.name === 'description')!)).toBeNull();
    expect(comparisonFor(extra.fields.find((f) => f.name === 'lineItems')!)).toBeNull();
    expect(comparisonFor(extra.fields.find((f) => f.name === 'notes')!)).toBeNull();
    for (const e of filterEntries(extra)) expect(COMPARISONS[e.comparison]).toBeDefined();
  });

  it('offers for ordering only plain values', () => {
    expect(orderEntries(extra).map((e) => e.name)).toEqual([
      'dealName',
      'stage',
      'amount',
      'closingDate',
      'isStrategic',
      'leadScore',
      'createdTime',
      'budgetUsd',
      'dealCode',
      'budget',
      'externalRef',
      'external',
    ]);
  });

  // One valid value per comparison, and the COQL literal it becomes.
  const samples: Record<string, { key: string; column: string; value: unknown; literal: string; list?: unknown[]; listText?: string }> = {
    ID_Comparison: { key: 'accountNameId', column: 'Account_Name', value: '5000000000000000101', literal: "'5000000000000000101'" },
    String_Comparison: { key: 'stage', column: 'Stage', value: 'Closed Won', literal: "'Closed Won'" },
    BigInt_Comparison: { key: 'externalRef', column: 'External_Ref', value: '90071992547409930', literal: '90071992547409930' },
    Int_Comparison: { key: 'leadScore', column: 'Lead_Score', value: 42, literal: '42' },
    Float_Comparison: { key: 'amount', column: 'Amount', value: 1500.25, literal: '1500.25' },
    Boolean_Comparison: { key: 'isStrategic', column: 'Is_Strategic', value: true, literal: "'true'" },
    Date_Comparison: { key: 'closingDate', column: 'Closing_Date', value: '2025-03-01', literal: "'2025-03-01'" },
    DateTime_Comparison: { key: 'createdTime', column: 'Created_Time', value: Date.UTC(2025, 0, 6, 9, 0, 0), literal: "'2025-01-06T09:00:00+00:00'" },
    MultiSelect_Comparison: { key: 'regions', column: 'Regions', value: 'EMEA', literal: "'EMEA'" },
  };
  const expected: Record<Op, (c: string, l: string) => string> = {
    eq: (c, l) => `${c} = ${l}`,
    ne: (c, l) => `${c} != ${l}`,
    gt: (c, l) => `${c} > ${l}`,
    gte: (c, l) => `${c} >= ${l}`,
    lt: (c, l) => `${c} < ${l}`,
    lte: (c, l) => `${c} <= ${l}`,
    in: (c, l) => `${c} in (${l})`,
    notIn: (c, l) => `${c} not in (${l})`,
    startsWith: (c) => `${c} like 'Clo%'`,
    isNull: (c) => `${c} is null`,
  };
  const input = (op: Op, s: { value: unknown }) => (op === 'in' || op === 'notIn' ? [s.value] : op === 'startsWith' ? 'Clo' : op === 'isNull' ? true : s.value);
  const allOps = Object.keys(expected) as Op[];

  for (const [name, comparison] of Object.entries(COMPARISONS)) {
    const s = samples[name]!;
    for (const op of allOps) {
      if (comparison.ops.includes(op)) {
        it(`${name}.${op} compiles`, () => {
          expect(where({ [s.key]: { [op]: input(op, s) } })).toBe(expected[op](s.column, s.literal));
        });
      } else {
        it(`${name} has no ${op}: refused naming the field`, () => {
          const err = refusal(() => where({ [s.key]: { [op]: input(op, s) } }));
          expect(err.code).toBe('BAD_USER_INPUT');
          expect(err.details).toMatchObject({ argument: 'where', field: s.key, path: `${s.key}.${op}` });
          expect(err.message).toContain(`${s.key}.${op}`);
        });
      }
    }
  }

  // The loop above asks COMPARISONS which operators to expect, so an operator dropped from the table
  // would turn its "compiles" case into a "refused" case and still pass: the table itself is pinned
  // here to GRQ's "Field Types and their Comparators" (between / not like left out, see filter.ts).
  it('each comparison offers exactly the operators GRQ allows for its type', () => {
    const ordered = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'isNull'];
    expect(Object.fromEntries(Object.entries(COMPARISONS).map(([n, c]) => [n, [...c.ops]]))).toEqual({
      ID_Comparison: ['eq', 'ne', 'in', 'notIn', 'isNull'],
      String_Comparison: ['eq', 'ne', 'in', 'notIn', 'startsWith', 'isNull'],
      BigInt_Comparison: ordered,
      Int_Comparison: ordered,
      Float_Comparison: ordered,
      Boolean_Comparison: ['eq'],
      Date_Comparison: ordered,
      DateTime_Comparison: ordered,
      MultiSelect_Comparison: ['eq', 'ne', 'in', 'notIn', 'isNull'],
    });
  });

  it('GRQ: text and picklists take like (startsWith), numbers and dates do not; Boolean takes only =', () => {
    expect(COMPARISONS.String_Comparison!.ops).toContain('startsWith');
    for (const n of ['Int_Comparison', 'Float_Comparison', 'BigInt_Comparison', 'Date_Comparison', 'DateTime_Comparison', 'ID_Comparison', 'MultiSelect_Comparison']) {
      expect(COMPARISONS[n]!.ops).not.toContain('startsWith');
    }
    expect(COMPARISONS.Boolean_Comparison!.ops).toEqual(['eq']);
    expect(COMPARISONS.ID_Comparison!.ops).toEqual(['eq', 'ne', 'in', 'notIn', 'isNull']);
  });

  it('isNull false is `is not null`; lookups and owners filter by id; the record id too', () => {
    expect(where({ ownerId: { isNull: false } })).toBe('Owner is not null');
    expect(where({ ownerId: { eq: '5000000000000000007' } })).toBe("Owner = '5000000000000000007'");
    expect(where({ id: { in: ['1', '2'] } })).toBe("id in ('1', '2')");
  });

  it('a mapped alias filters as its target field', () => {
    expect(where({ budget: { gt: 10 } })).toBe('Budget_USD > 10');
  });

  it('a field named like a reserved word is quoted (K171)', () => {
    expect(where({ external: { eq: 'x' } })).toBe("'External' = 'x'");
  });
});

describe('values are type-checked and escaped', () => {
  it('doubles single quotes (K171) and keeps double quotes and other text as is', () => {
    expect(where({ dealName: { eq: 'O\'Brien\'s "deal"' } })).toBe(`Deal_Name = 'O''Brien''s "deal"'`);
    expect(where({ dealName: { in: ["a'", "'b"] } })).toBe("Deal_Name in ('a''', '''b')");
    expect(where({ dealName: { startsWith: "O'B" } })).toBe("Deal_Name like 'O''B%'");
  });

  it('refuses a backslash anywhere in a string, naming the field', () => {
    for (const w of [{ dealName: { eq: 'a\\' } }, { dealName: { startsWith: "\\'" } }, { regions: { in: ['EMEA', 'x\\y'] } }]) {
      const err = refusal(() => where(w));
      expect(err.code).toBe('BAD_USER_INPUT');
      expect(err.message).toMatch(/backslash/);
      expect(err.details.field).toBe(Object.keys(w)[0]);
    }
  });

  it('refuses % in startsWith (the like wildcard) but takes it in eq', () => {
    const err = refusal(() => where({ stage: { startsWith: '50%' } }));
    expect(err.details).toMatchObject({ argument: 'where', field: 'stage' });
    expect(err.message).toMatch(/%/);
    expect(where({ stage: { eq: '50%' } })).toBe("Stage = '50%'");
  });

  it('numbers are finite and written in plain decimal', () => {
    expect(where({ amount: { gt: 1e21 } })).toBe('Amount > 1000000000000000000000');
    expect(where({ amount: { gt: 1.5e-7 } })).toBe('Amount > 0.00000015');
    expect(where({ amount: { gt: -2.5 } })).toBe('Amount > -2.5');
    expect(plainNumber(-0)).toBe('0');
    expect(plainNumber(-1.25e-10)).toBe('-0.000000000125');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '5', null]) expect(refusal(() => where({ amount: { gt: bad } })).details.field).toBe('amount');
    expect(refusal(() => where({ leadScore: { eq: 1.5 } })).details.field).toBe('leadScore');
  });

  it('ids are digits only; bigints are digits, unquoted', () => {
    for (const bad of ["1' or id is not null or id = '1", '12a', '', -1]) expect(refusal(() => where({ accountNameId: { eq: bad } })).details.field).toBe('accountNameId');
    expect(where({ externalRef: { gte: '-12' } })).toBe('External_Ref >= -12');
    expect(refusal(() => where({ externalRef: { gte: '1e5' } })).details.field).toBe('externalRef');
  });

  it("booleans are written 'true'/'false' (GRQ sample)", () => {
    expect(where({ isStrategic: { eq: false } })).toBe("Is_Strategic = 'false'");
    expect(refusal(() => where({ isStrategic: { eq: 'true' } })).details.field).toBe('isStrategic');
  });

  it('dates are real yyyy-MM-dd days', () => {
    expect(where({ closingDate: { lt: new Date(Date.UTC(2025, 1, 28)) } })).toBe("Closing_Date < '2025-02-28'");
    for (const bad of ['2025-02-30', '2025-2-1', '01-02-2025', "2025-01-01' or 'a", 20250101]) expect(refusal(() => where({ closingDate: { eq: bad } })).details.field).toBe('closingDate');
  });

  it("datetimes (epoch ms) are written as Zoho's yyyy-MM-ddTHH:mm:ss+00:00", () => {
    const t = Date.parse('2025-01-06T09:00:00.000Z');
    expect(where({ createdTime: { eq: t } })).toBe("Created_Time = '2025-01-06T09:00:00+00:00'");
    expect(where({ createdTime: { in: [t, new Date(t + 1000)] } })).toBe("Created_Time in ('2025-01-06T09:00:00+00:00', '2025-01-06T09:00:01+00:00')");
    expect(where({ createdTime: { gt: Date.parse('1970-01-01T00:00:00Z') } })).toBe("Created_Time > '1970-01-01T00:00:00+00:00'");
  });

  it('a fraction of a second rounds the way that keeps gt/gte/lt/lte exact; eq with one is refused', () => {
    const t = Date.parse('2025-01-06T09:00:00.500Z');
    expect(where({ createdTime: { gt: t } })).toBe("Created_Time > '2025-01-06T09:00:00+00:00'");
    expect(where({ createdTime: { gte: t } })).toBe("Created_Time >= '2025-01-06T09:00:01+00:00'");
    expect(where({ createdTime: { lt: t } })).toBe("Created_Time < '2025-01-06T09:00:01+00:00'");
    expect(where({ createdTime: { lte: t } })).toBe("Created_Time <= '2025-01-06T09:00:00+00:00'");
    expect(refusal(() => where({ createdTime: { eq: t } })).details.field).toBe('createdTime');
    expect(refusal(() => where({ createdTime: { gt: '2025-01-06T09:00:00Z' } })).details.field).toBe('createdTime');
    expect(refusal(() => where({ createdTime: { gt: Date.parse('+010000-01-01T00:00:00Z') } })).details.field).toBe('createdTime');
  });

  it('refuses unknown keys, empty comparisons, nulls, wrong shapes, naming the field', () => {
    const cases: [unknown, string][] = [
      [{ nope: { eq: 1 } }, 'nope'],
      [{ description: { eq: 'x' } }, 'description'],
      [{ accountName: { eq: '1' } }, 'accountName'],
      [{ stage: {} }, 'stage'],
      [{ stage: { eq: null } }, 'stage'],
      [{ stage: 'Closed Won' }, 'stage'],
      [{ stage: { in: [] } }, 'stage'],
      [{ stage: { notIn: [] } }, 'stage'],
      [{ stage: { in: 'Closed Won' } }, 'stage'],
      [{ stage: { in: ['a', null] } }, 'stage'],
      [{ stage: { isNull: 'yes' } }, 'stage'],
      [{ stage: { startsWith: '' } }, 'stage'],
    ];
    for (const [w, name] of cases) {
      const err = refusal(() => where(w));
      expect(err.code, JSON.stringify(w)).toBe('BAD_USER_INPUT');
      expect(err.details.field, JSON.stringify(w)).toBe(name);
      expect(err.message).toContain(name);
    }
    expect(refusal(() => where({ or: [] })).code).toBe('BAD_USER_INPUT');
    expect(refusal(() => where({ and: { stage: { eq: 'x' } } })).code).toBe('BAD_USER_INPUT');
    expect(refusal(() => where([{ stage: { eq: 'x' } }])).code).toBe('BAD_USER_INPUT');
  });
});

describe('brackets, and / or', () => {
  const c = (n: number) => ({ leadScore: { eq: n } });
  it('no criteria is `id is not null` (COQL needs a WHERE)', () => {
    for (const w of [undefined, null, {}, { and: [] }, { and: [{}, {}] }, { or: [{}, c(1)] }]) expect(where(w)).toBe('id is not null');
  });

  it('one criterion stands bare, two are bracketed, three pair as ((A and B) and C)', () => {
    expect(where(c(1))).toBe('Lead_Score = 1');
    expect(where({ ...c(1), stage: { eq: 'x' } })).toBe("(Lead_Score = 1 and Stage = 'x')");
    expect(where({ ...c(1), stage: { eq: 'x' }, amount: { gt: 5 } })).toBe("((Lead_Score = 1 and Stage = 'x') and Amount > 5)");
  });

  it('several operators on one field are ANDed', () => {
    expect(where({ amount: { gte: 10, lt: 20 } })).toBe('(Amount >= 10 and Amount < 20)');
  });

  it('or groups keep their own brackets inside an and', () => {
    expect(where({ stage: { eq: 'x' }, or: [c(1), c(2), { amount: { gt: 5, lt: 9 } }] })).toBe("(Stage = 'x' and ((Lead_Score = 1 or Lead_Score = 2) or (Amount > 5 and Amount < 9)))");
  });

  it('nested ands and ors of the same kind flatten before pairing', () => {
    expect(where({ and: [c(1), { and: [c(2), c(3)] }], ...c(4) })).toBe('((Lead_Score = 1 and Lead_Score = 2) and (Lead_Score = 3 and Lead_Score = 4))');
    expect(where({ or: [c(1), { or: [c(2), c(3)] }] })).toBe('((Lead_Score = 1 or Lead_Score = 2) or Lead_Score = 3)');
  });

  it('every bracket of 25 criteria holds exactly two operands', () => {
    const text = where({ and: Array.from({ length: 25 }, (_, i) => c(i)) });
    // Take apart innermost brackets until one criterion is left: each must be `X and Y`.
    let s = text;
    let pairs = 0;
    while (s.includes('(')) {
      s = s.replace(/\(([^()]*)\)/g, (_, inner: string) => {
        expect(inner.split(' and ')).toHaveLength(2);
        pairs++;
        return 'X';
      });
    }
    expect(s).toBe('X');
    expect(pairs).toBe(24);
  });

  it('caps and/or nesting at 10 levels', () => {
    let w: unknown = c(1);
    for (let i = 0; i < 10; i++) w = { or: [w] };
    expect(where(w)).toBe('Lead_Score = 1');
    const err = refusal(() => where({ and: [w] }));
    expect(err.details).toMatchObject({ argument: 'where', limit: 'depth', maximum: 10 });
  });
});

describe("Zoho's limits, checked before any call", () => {
  it('26 criteria are refused naming the limit; 25 pass', () => {
    const list = (n: number) => ({ and: Array.from({ length: n }, (_, i) => ({ leadScore: { ne: i } })) });
    expect(() => where(list(25))).not.toThrow();
    const err = refusal(() => where(list(26)));
    expect(err.code).toBe('BAD_USER_INPUT');
    expect(err.details).toEqual({ argument: 'where', limit: 'where', maximum: 25 });
    expect(err.message).toMatch(/26 criteria; at most 25/);
    // Several operators of one comparison count one each.
    expect(refusal(() => where({ ...list(24), amount: { gt: 1, lt: 2 } })).details.maximum).toBe(25);
  });

  it('101 values in in / notIn are refused naming the limit; 100 pass', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(1000 + i));
    expect(() => where({ id: { in: ids(100) } })).not.toThrow();
    for (const op of ['in', 'notIn']) {
      const err = refusal(() => where({ accountNameId: { [op]: ids(101) } }));
      expect(err.details).toMatchObject({ argument: 'where', limit: 'in', maximum: 100, field: 'accountNameId' });
      expect(err.message).toMatch(/101 values/);
    }
  });

  it('limit, offset + limit and the column cap', () => {
    expect(refusal(() => compileCoql(deals, { fields: [], limit: 2001 })).details).toEqual({ argument: 'limit', limit: 'limit', maximum: 2000 });
    expect(refusal(() => compileCoql(deals, { fields: [], limit: 2000, offset: 98_001 })).details).toEqual({ argument: 'offset', limit: 'offset', maximum: 100_000 });
    expect(() => compileCoql(deals, { fields: [], limit: 2000, offset: 98_000 })).not.toThrow();
    expect(refusal(() => compileCoql(deals, { fields: [], limit: 0 })).code).toBe('BAD_USER_INPUT');
    expect(refusal(() => compileCoql(deals, { fields: [], offset: -1 })).code).toBe('BAD_USER_INPUT');
    const many = Array.from({ length: 501 }, (_, i) => `F${i}`);
    expect(refusal(() => compileCoql(deals, { fields: many })).details).toEqual({ argument: 'fields', limit: 'select', maximum: 500 });
  });
});

describe('order by', () => {
  it('appends id asc for stable pages, unless id is given', () => {
    expect(compileOrderBy(deals, undefined)).toBe('id asc');
    expect(compileOrderBy(deals, [{ amount: 'desc' }, { dealName: 'asc' }])).toBe('Amount desc, Deal_Name asc, id asc');
    expect(compileOrderBy(deals, [{ id: 'desc' }])).toBe('id desc');
    expect(compileOrderBy(deals, [{ createdTime: 'asc' }, { id: 'desc' }])).toBe('Created_Time asc, id desc');
  });

  it('refuses two keys in one element, unsortable fields, bad directions, duplicates, more than 10 fields', () => {
    const cases: unknown[] = [
      [{ amount: 'desc', dealName: 'asc' }],
      [{}],
      [{ regions: 'asc' }],
      [{ accountName: 'asc' }],
      [{ description: 'asc' }],
      [{ amount: 'DESC' }],
      [{ amount: 'asc' }, { amount: 'desc' }],
      { amount: 'asc' },
    ];
    for (const o of cases) expect(refusal(() => compileOrderBy(deals, o)).details.argument, JSON.stringify(o)).toBe('orderBy');
    const nine = ['dealName', 'stage', 'amount', 'closingDate', 'isStrategic', 'leadScore', 'createdTime', 'budgetUsd', 'dealCode'].map((k) => ({ [k]: 'asc' }));
    expect(compileOrderBy(deals, nine).split(', ')).toHaveLength(10);
    expect(refusal(() => compileOrderBy(deals, [...nine, { budget: 'asc' }])).details).toEqual({ argument: 'orderBy', limit: 'order by', maximum: 10 });
  });
});

describe('the whole query', () => {
  it('select … from … where … order by … limit … offset …', () => {
    expect(compileCoql(deals, { fields: ['Deal_Name', 'Amount', 'Deal_Name'], where: { stage: { eq: 'Closed Won' } }, orderBy: [{ amount: 'desc' }], limit: 50, offset: 100 })).toBe(
      "select Deal_Name, Amount from Deals where Stage = 'Closed Won' order by Amount desc, id asc limit 50 offset 100",
    );
    expect(compileCoql(deals, { fields: [] })).toBe('select id from Deals where id is not null order by id asc limit 200 offset 0');
  });
});

// -------------------------------------------------------------------------------------------------
// Against the emulator: the compiled COQL is accepted and selects what the filter says.

describe('compiled COQL against the Zoho emulator (Deals, 500 seeded records)', () => {
  let emu: ZohoEmulator;
  let token: string;
  let all: ZRecord[];
  const byId = (a: ZRecord, b: ZRecord) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1);

  beforeAll(async () => {
    ({ emu, token } = await startTestEmulator());
    const store = emu.ctx.records('Deals');
    // A deal whose name has quotes, so escaping is checked end to end.
    const first = [...store.values()].sort(byId)[0]!;
    store.set('9999999999999999991', { ...first, id: '9999999999999999991', Deal_Name: `O'Brien's "big" deal`, Regions: [] });
    all = [...store.values()].sort(byId);
  });
  afterAll(() => emu?.close());

  /** Runs the query (after the gateway's own checks) and returns the ids, in order. */
  async function run(query: string): Promise<string[]> {
    checkCoqlLimits(query);
    const reads = coqlReads(query);
    expect(reads).toHaveLength(1);
    expect(reads[0]!.module).toBe('Deals');
    const res = await call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query: query } });
    if (res.status === 204) return [];
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.data.map((r: { id: string }) => r.id);
  }
  const q = (w: unknown, extraInput: { orderBy?: unknown; limit?: number; offset?: number } = {}) =>
    compileCoql(deals, { fields: ['Deal_Name', 'Stage', 'Amount'], where: w, limit: 2000, ...extraInput });
  const ids = (rs: ZRecord[]) => rs.map((r) => r.id);
  const lower = (v: unknown) => String(v).toLowerCase();
  const lookupId = (v: unknown) => (v && typeof v === 'object' ? String((v as { id: unknown }).id) : null);

  it('the seed spreads over what the queries below tell apart', () => {
    expect(all.length).toBe(501);
    expect(all.filter((r) => r.Stage === 'Closed Won').length).toBeGreaterThan(10);
    expect(all.filter((r) => r.Is_Strategic === true).length).toBeGreaterThan(10);
    expect(all.filter((r) => (r.Regions as string[]).length === 0).length).toBeGreaterThan(10);
  });

  it('no criteria selects every deal', async () => {
    expect(await run(q({}))).toEqual(ids(all));
  });

  it('picklist eq and currency gte, ANDed', async () => {
    const expected = all.filter((r) => lower(r.Stage) === 'closed won' && (r.Amount as number) >= 100_000);
    expect(expected.length).toBeGreaterThan(0);
    expect(await run(q({ stage: { eq: 'Closed Won' }, amount: { gte: 100_000 } }))).toEqual(ids(expected));
  });

  it('or of in and boolean, ANDed with an integer lt (three levels of brackets)', async () => {
    const w = { or: [{ stage: { in: ['Closed Won', 'Closed Lost'] } }, { isStrategic: { eq: true } }], leadScore: { lt: 50 } };
    const expected = all.filter((r) => (['closed won', 'closed lost'].includes(lower(r.Stage)) || r.Is_Strategic === true) && (r.Lead_Score as number) < 50);
    expect(expected.length).toBeGreaterThan(0);
    expect(await run(q(w))).toEqual(ids(expected));
  });

  it('date range, notIn and ne (records without a value do not match ne)', async () => {
    const dates = [...new Set(all.map((r) => r.Closing_Date as string))].sort();
    const [from, to] = [dates[100]!, dates[300]!];
    const w = { closingDate: { gte: from, lte: to }, stage: { notIn: ['Qualification', 'Needs Analysis'] }, amount: { ne: all[5]!.Amount } };
    const expected = all.filter(
      (r) => (r.Closing_Date as string) >= from && (r.Closing_Date as string) <= to && !['qualification', 'needs analysis'].includes(lower(r.Stage)) && r.Amount !== all[5]!.Amount,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(await run(q(w))).toEqual(ids(expected));
  });

  it('datetime gt / lte from epoch ms', async () => {
    const times = all.map((r) => Date.parse(r.Created_Time as string)).sort((a, b) => a - b);
    const [lo, hi] = [times[50]!, times[400]! + 500];
    const expected = all.filter((r) => Date.parse(r.Created_Time as string) > lo && Date.parse(r.Created_Time as string) <= hi);
    expect(await run(q({ createdTime: { gt: lo, lte: hi } }))).toEqual(ids(expected));
    expect(expected.length).toBe(350);
  });

  it('multi-select eq, in, isNull', async () => {
    const regions = (r: ZRecord) => (r.Regions as string[]).map(lower);
    expect(await run(q({ regions: { eq: 'EMEA' } }))).toEqual(ids(all.filter((r) => regions(r).includes('emea'))));
    expect(await run(q({ regions: { in: ['APAC', 'LATAM'] } }))).toEqual(ids(all.filter((r) => regions(r).some((x) => x === 'apac' || x === 'latam'))));
    expect(await run(q({ regions: { isNull: true } }))).toEqual(ids(all.filter((r) => regions(r).length === 0)));
  });

  it('lookup and owner ids: in, eq, ne, isNull', async () => {
    const accounts = [...new Set(all.map((r) => lookupId(r.Account_Name)).filter((x): x is string => x !== null))].slice(0, 3);
    const owner = lookupId(all[0]!.Owner)!;
    expect(await run(q({ accountNameId: { in: accounts } }))).toEqual(ids(all.filter((r) => accounts.includes(lookupId(r.Account_Name) ?? ''))));
    const owned = all.filter((r) => lookupId(r.Owner) === owner);
    expect(owned.length).toBeGreaterThan(0);
    expect(await run(q({ ownerId: { eq: owner } }))).toEqual(ids(owned));
    expect(await run(q({ ownerId: { ne: owner }, accountNameId: { isNull: false } }))).toEqual(ids(all.filter((r) => lookupId(r.Owner) !== owner && lookupId(r.Account_Name) !== null)));
  });

  it('text with quotes: eq and startsWith find the record with the doubled-quote literal', async () => {
    expect(await run(q({ dealName: { eq: `O'Brien's "big" deal` } }))).toEqual(['9999999999999999991']);
    expect(await run(q({ dealName: { startsWith: "o'brien" } }))).toEqual(['9999999999999999991']);
    const prefix = (all[0]!.Deal_Name as string).split(' ')[0]!;
    expect(await run(q({ dealName: { startsWith: prefix } }))).toEqual(ids(all.filter((r) => lower(r.Deal_Name).startsWith(lower(prefix)))));
  });

  it('a value written to break out of its string stays a value', async () => {
    for (const v of ["x' or id is not null or Deal_Name = 'y", "') or (id is not null", "x'' or id is not null or Deal_Name = ''"]) {
      const query = q({ dealName: { eq: v } });
      expect(await run(query)).toEqual([]);
      expect(
        coqlReads(query)[0]!
          .paths.map((p) => p.map((s) => ('field' in s ? s.field : s.module)).join('.'))
          .sort(),
      ).toEqual(['Amount', 'Deal_Name', 'Deal_Name', 'Stage', 'id']);
    }
  });

  it('the record id, and a mapped alias filtering as its target', async () => {
    const some = [all[3]!.id, all[7]!.id, all[42]!.id];
    expect(await run(q({ id: { in: some } }))).toEqual(some);
    expect(await run(q({ budget: { gt: 50_000 } }))).toEqual(ids(all.filter((r) => (r.Budget_USD as number) > 50_000)));
  });

  it('25 criteria (pairwise brackets, 5 deep) and 100 in-values are accepted and select right', async () => {
    const w = { and: Array.from({ length: 25 }, (_, i) => ({ leadScore: { ne: i * 3 } })) };
    expect(await run(q(w))).toEqual(ids(all.filter((r) => !Array.from({ length: 25 }, (_, i) => i * 3).includes(r.Lead_Score as number))));
    const hundred = all.slice(0, 100).map((r) => r.id);
    expect(await run(q({ id: { in: hundred } }))).toEqual(hundred);
  });

  it('the emulator agrees on the limits compileWhere enforces: 26 criteria and 101 values are LIMIT_EXCEEDED there too', async () => {
    const w25 = compileWhere(deals, { and: Array.from({ length: 25 }, (_, i) => ({ leadScore: { ne: i } })) });
    const res = await call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query: `select id from Deals where (${w25} and Amount > 0)` } });
    expect(res.body.code).toBe('LIMIT_EXCEEDED');
    const in100 = compileWhere(deals, { id: { in: all.slice(0, 100).map((r) => r.id) } });
    const res2 = await call(emu, 'POST', '/crm/v8/coql', { token, json: { select_query: `select id from Deals where ${in100.replace(')', ", '1')")}` } });
    expect(res2.body.code).toBe('LIMIT_EXCEEDED');
  });

  it('order by amount desc then id, paged with limit / offset', async () => {
    const sorted = [...all].sort((a, b) => (b.Amount as number) - (a.Amount as number) || byId(a, b));
    const orderBy = [{ amount: 'desc' }];
    expect(await run(q({}, { orderBy }))).toEqual(ids(sorted));
    expect(await run(q({}, { orderBy, limit: 50, offset: 100 }))).toEqual(ids(sorted.slice(100, 150)));
    const strategic = sorted.filter((r) => r.Is_Strategic === true);
    expect(await run(q({ isStrategic: { eq: true } }, { orderBy: [{ closingDate: 'asc' }, { amount: 'desc' }] }))).toEqual(
      ids([...strategic].sort((a, b) => (a.Closing_Date as string).localeCompare(b.Closing_Date as string) || (b.Amount as number) - (a.Amount as number) || byId(a, b))),
    );
  });

  it('the gateway reader sees the fields the filter reads', () => {
    const query = q({ stage: { eq: 'x' }, ownerId: { eq: '1' } }, { orderBy: [{ closingDate: 'desc' }] });
    const paths = coqlReads(query)[0]!.paths.map((p) => p.map((s) => ('field' in s ? s.field : s.module)).join('.'));
    expect(new Set(paths)).toEqual(new Set(['Deal_Name', 'Stage', 'Amount', 'Owner', 'Closing_Date', 'id']));
  });
});
