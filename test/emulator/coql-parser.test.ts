import { describe, expect, it } from 'vitest';
import { CoqlError, parse, tokenize, validate } from '../../src/emulator/coql/index.js';

/**
 * Unit tests of the COQL lexer, parser and validator, without HTTP. Sources as in coql.test.ts
 * (GRQ = https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html,
 * K171 = https://help.zoho.com/portal/en/community/topic/kaizen-171-faqs-on-coql-api).
 */

function errorOf(fn: () => unknown): { code: string; message: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    if (err instanceof CoqlError) return { code: err.code, message: err.message, details: err.details };
    throw err;
  }
  throw new Error('expected a CoqlError');
}

describe('tokenize', () => {
  it('reads words with dots, strings, numbers, operators and punctuation with 1-based positions', () => {
    const toks = tokenize("select Account_Name.Account_Name from Contacts\nwhere Amount >= -12.5 and X != 'a''b'");
    expect(toks.map((t) => [t.kind, t.value, t.line, t.column])).toEqual([
      ['word', 'select', 1, 1],
      ['word', 'Account_Name.Account_Name', 1, 8],
      ['word', 'from', 1, 34],
      ['word', 'Contacts', 1, 39],
      ['word', 'where', 2, 1],
      ['word', 'Amount', 2, 7],
      ['op', '>=', 2, 14],
      ['number', '-12.5', 2, 17],
      ['word', 'and', 2, 23],
      ['word', 'X', 2, 27],
      ['op', '!=', 2, 29],
      ['string', "a'b", 2, 32],
      ['eof', '', 2, 38],
    ]);
  });

  it("K171: '' inside single quotes is one quote; double-quoted strings work the same way", () => {
    expect(tokenize("'1'' 2'")[0]).toMatchObject({ kind: 'string', value: "1' 2", text: "'1'' 2'" });
    expect(tokenize('"say ""hi"""')[0]).toMatchObject({ kind: 'string', value: 'say "hi"' });
  });

  it('refuses characters outside the language with SYNTAX_ERROR near them', () => {
    expect(errorOf(() => tokenize('select * from Leads'))).toEqual({ code: 'SYNTAX_ERROR', message: 'unexpected token', details: { line: 1, column: 8, near: '*' } });
  });
});

describe('parse', () => {
  it('builds columns, aliases, aggregates and the module', () => {
    const q = parse("select Last_Name, 'Account_Name.Account_Name' as 'Account Name', COUNT(Annual_Revenue) total from Leads where id is not null");
    expect(q.module).toBe('Leads');
    expect(q.columns).toEqual([
      { kind: 'field', field: { path: ['Last_Name'], text: 'Last_Name', line: 1, column: 8 } },
      { kind: 'field', field: { path: ['Account_Name', 'Account_Name'], text: 'Account_Name.Account_Name', line: 1, column: 19 }, alias: 'Account Name' },
      { kind: 'aggregate', fn: 'COUNT', field: { path: ['Annual_Revenue'], text: 'Annual_Revenue', line: 1, column: 72 }, text: 'COUNT(Annual_Revenue)', alias: 'total' },
    ]);
  });

  it('keywords are case-insensitive (COQL-Overview.html)', () => {
    const q = parse('SeLeCt Last_Name FROM Leads WhErE Last_Name IS NOT NULL ORDER BY Last_Name DESC LIMIT 5');
    expect(q.where).toMatchObject({ kind: 'criterion', op: 'is not null', values: [] });
    expect(q.orderBy).toEqual([{ ref: expect.objectContaining({ text: 'Last_Name' }), direction: 'desc' }]);
    expect(q.limit).toEqual({ text: '5', kind: 'number' });
  });

  it('parses every comparator with its values', () => {
    const op = (criteria: string) => {
      const w = parse(`select id from Leads where ${criteria}`).where;
      if (w.kind !== 'criterion') throw new Error('not a criterion');
      return [w.op, w.values.map((v) => `${v.kind}:${v.value}`)];
    };
    expect(op("A = 'x'")).toEqual(['=', ['string:x']]);
    expect(op('A != 3')).toEqual(['!=', ['number:3']]);
    expect(op('A > 1')).toEqual(['>', ['number:1']]);
    expect(op('A >= 1')).toEqual(['>=', ['number:1']]);
    expect(op('A < 1')).toEqual(['<', ['number:1']]);
    expect(op('A <= 1')).toEqual(['<=', ['number:1']]);
    expect(op("A like 'x%'")).toEqual(['like', ['string:x%']]);
    expect(op("A not like '%x%'")).toEqual(['not like', ['string:%x%']]);
    expect(op("A in ('a', 2, b)")).toEqual(['in', ['string:a', 'number:2', 'word:b']]);
    expect(op("A not in ('a')")).toEqual(['not in', ['string:a']]);
    expect(op("A between '2022-03-04' and '2025-07-11'")).toEqual(['between', ['string:2022-03-04', 'string:2025-07-11']]);
    expect(op('A not between 1 and 2')).toEqual(['not between', ['number:1', 'number:2']]);
    expect(op('A is null')).toEqual(['is null', []]);
    expect(op('A is not null')).toEqual(['is not null', []]);
    expect(op('A = TRUE')).toEqual(['=', ['boolean:true']]);
  });

  it('keeps the bracketing as a binary tree; the and inside between is not a connective', () => {
    const q = parse(
      "select id from Contacts where (((Created_Time between '2023-05-28T04:25:36-07:00' and '2025-05-28T04:25:36-07:00') and Date_of_Birth between '2022-03-04' and '2025-07-11') and (Modified_Time in('2024-06-05T02:04:09-07:00','2024-07-03T00:00:01+05:30') and Days_Visited is null)) limit 1",
    );
    const shape = (c: typeof q.where): unknown => (c.kind === 'criterion' ? c.field.text : [c.kind, shape(c.left), shape(c.right)]);
    expect(shape(q.where)).toEqual(['and', ['and', 'Created_Time', 'Date_of_Birth'], ['and', 'Modified_Time', 'Days_Visited']]);
  });

  it('accepts the four bracketings GRQ lists and refuses A and B and C', () => {
    for (const ok of ['(A = 1 and (B = 1 and C = 1))', '((A = 1 and B = 1) and C = 1)', 'A = 1 and (B = 1 and C = 1)', '(A = 1 and B = 1) and C = 1']) {
      expect(() => parse(`select id from Leads where ${ok}`)).not.toThrow();
    }
    expect(errorOf(() => parse('select id from Leads where A = 1 and B = 1 and C = 1'))).toEqual({ code: 'SYNTAX_ERROR', message: 'unexpected token', details: { line: 1, column: 44, near: 'and' } });
    expect(errorOf(() => parse('select id from Leads where (A = 1 or B = 1 or C = 1)'))).toMatchObject({ details: { near: 'or' } });
  });

  it('reads the three LIMIT forms', () => {
    expect(parse('select id from Leads where id is not null limit 10')).toMatchObject({ limit: { text: '10' } });
    expect(parse('select id from Leads where id is not null limit 20, 10')).toMatchObject({ limit: { text: '10' }, offset: { text: '20' } });
    expect(parse('select id from Leads where id is not null limit 10 offset 20')).toMatchObject({ limit: { text: '10' }, offset: { text: '20' } });
    expect(parse('select id from Leads where id is not null group by Company order by Company asc, id desc')).toMatchObject({
      groupBy: [{ text: 'Company' }],
      orderBy: [{ direction: 'asc' }, { direction: 'desc' }],
    });
  });

  it('syntax errors name the clause, the operator or the token', () => {
    expect(errorOf(() => parse('select Last_Name from Leads'))).toEqual({ code: 'SYNTAX_ERROR', message: 'missing clause', details: { clause: 'where' } });
    expect(errorOf(() => parse('select Last_Name'))).toEqual({ code: 'SYNTAX_ERROR', message: 'missing clause', details: { clause: 'from' } });
    expect(errorOf(() => parse('delete from Leads where id = 1'))).toEqual({ code: 'SYNTAX_ERROR', message: 'given coql query not supported', details: {} });
    expect(errorOf(() => parse('select id from Leads where not A = 1'))).toEqual({ code: 'SYNTAX_ERROR', message: 'operator not supported', details: { operator: 'not' } });
    expect(errorOf(() => parse('select id from Leads where A = 1 limit 10 extra'))).toEqual({ code: 'SYNTAX_ERROR', message: 'unexpected token', details: { line: 1, column: 43, near: 'extra' } });
    expect(errorOf(() => parse('select id from Leads where A <> 1'))).toMatchObject({ code: 'SYNTAX_ERROR', details: { near: '>' } });
    // K171: a reserved word must be quoted to be a column.
    expect(errorOf(() => parse('select Order from Leads where id is not null'))).toMatchObject({ code: 'SYNTAX_ERROR', details: { near: 'Order' } });
    expect(parse("select 'Order' from Leads where id is not null").columns[0]).toMatchObject({ field: { text: 'Order' } });
  });
});

describe('validate', () => {
  const v = (q: string) => validate(parse(q));

  it('resolves lookup paths, counting the joins they cross', () => {
    const plan = v("select Account_Name.Parent_Account.Account_Name, Owner.profile.name from Contacts where Account_Name.Account_Name = 'Zylker'");
    expect(plan.columns.map((c) => [c.key, c.path.last.type, c.path.joins])).toEqual([
      ['Account_Name.Parent_Account.Account_Name', 'text', ['Account_Name', 'Account_Name.Parent_Account']],
      ['Owner.profile.name', 'text', ['Owner', 'Owner.profile']],
    ]);
    expect(plan.page).toEqual({ limit: 200, offset: 0 });
  });

  it('normalises values by field type', () => {
    const crit = (q: string) => {
      const w = v(`select id from Contacts where ${q}`).where;
      if (w.kind !== 'criterion') throw new Error('not a criterion');
      return w.values;
    };
    expect(crit("Created_Time = '2024-06-05T02:04:09-07:00'")).toEqual([Date.parse('2024-06-05T09:04:09Z')]);
    expect(crit("Last_Name = 'BoYle'")).toEqual(['boyle']);
    expect(crit("id = '5000000000000000201'")).toEqual([5000000000000000201n]);
    expect(errorOf(() => crit("Created_Time = '2024-06-05'"))).toMatchObject({ code: 'INVALID_QUERY', details: { column_name: 'Created_Time' } });
    expect(errorOf(() => crit("Date_of_Birth = '05/06/2024'"))).toMatchObject({ code: 'INVALID_QUERY', details: { column_name: 'Date_of_Birth' } });
  });

  it('a plain column must be grouped in an aggregate query (UNVERIFIED error)', () => {
    expect(errorOf(() => v('select SUM(Annual_Revenue), Company from Leads where id is not null'))).toEqual({
      code: 'INVALID_QUERY',
      message: 'column not given in group by clause',
      details: { column_name: 'Company', clause: 'group by' },
    });
  });

  it('aggregates only take the field types GRQ allows', () => {
    expect(errorOf(() => v('select SUM(Last_Name) from Leads where id is not null'))).toMatchObject({ code: 'INVALID_DATA', details: { column: 'SUM(Last_Name)' } });
    expect(() => v('select COUNT(Lead_Source), MAX(Created_Time) from Leads where id is not null')).not.toThrow();
  });

  it('offset must be a whole number', () => {
    expect(errorOf(() => v('select id from Leads where id is not null limit 10 offset x'))).toEqual({ code: 'INVALID_QUERY', message: 'offset given seems to be invalid', details: { offset: 'x' } });
  });
});
