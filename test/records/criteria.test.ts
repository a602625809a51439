import { describe, expect, it } from 'vitest';
import { buildCriteria, escapeCriteriaValue, MAX_SEARCH_CRITERIA, type CriteriaField, type CriteriaNode } from '../../src/records/criteria.js';
import { isGatewayError } from '../../src/errors.js';
import { matchCriteria, parseCriteria } from '../../src/emulator/criteria.js';
import { findModule, type ModuleDef } from '../../src/emulator/metadata.js';
import type { ZRecord } from '../../src/emulator/seed.js';

/**
 * The criteria builder (src/records/criteria.ts) against Zoho's documented grammar
 * (https://www.zoho.com/crm/developer/docs/api/v8/search-records.html) and the emulator's reading
 * of it (src/emulator/criteria.ts): every hostile value comes back from the emulator's parser as
 * exactly one condition holding exactly that value.
 */

const leads: ModuleDef = findModule('Leads')!;
const fieldOf = (name: string): CriteriaField | undefined => {
  const f = leads.fields.find((x) => x.api_name === name);
  return f ? { apiName: f.api_name, dataType: f.data_type } : undefined;
};
const build = (where: CriteriaNode) => buildCriteria(where, fieldOf).criteria;
const eq = (field: string, value: CriteriaNode['value']): CriteriaNode => ({ field, operator: 'equals', value });

function refusal(fn: () => unknown): { message: string; argument: unknown } {
  try {
    fn();
  } catch (err) {
    if (isGatewayError(err, 'BAD_USER_INPUT')) return { message: err.message, argument: err.details.argument };
    throw err;
  }
  throw new Error('expected BAD_USER_INPUT');
}

/** What the emulator's parser reads back: the single condition's field, operator and values. */
function parsedBack(criteria: string) {
  const parsed = parseCriteria(criteria, leads);
  if ('error' in parsed) throw new Error(`emulator refused ${criteria}: ${JSON.stringify(parsed.error)}`);
  return parsed.node;
}

const HOSTILE: [string, string, string][] = [
  ['a second condition', 'a),(Last_Name:equals:x', '(Last_Name:equals:a\\)\\,\\(Last_Name:equals:x)'],
  ['a lone backslash', '\\', '(Last_Name:equals:\\\\)'],
  ['a trailing backslash before )', 'K\\', '(Last_Name:equals:K\\\\)'],
  ['an escaped-looking pair', '\\)', '(Last_Name:equals:\\\\\\))'],
  ['an open bracket', '(', '(Last_Name:equals:\\()'],
  ['a comma', 'Burns,B', '(Last_Name:equals:Burns\\,B)'],
  ['colons', 'a:b:c', '(Last_Name:equals:a:b:c)'],
  ['and/or words', 'x)and(Company:starts_with:', '(Last_Name:equals:x\\)and\\(Company:starts_with:)'],
  ['unicode', 'Zoë 東京 😀', '(Last_Name:equals:Zoë 東京 😀)'],
  ['percent and ampersand', '100% & more=1', '(Last_Name:equals:100% & more=1)'],
];

describe('escaping', () => {
  it('escapes \\ first, then ( ) , — and nothing else (":" stays as is: Zoho reads the value after the second colon)', () => {
    expect(escapeCriteriaValue('a\\b(c)d,e:f')).toBe('a\\\\b\\(c\\)d\\,e:f');
    expect(escapeCriteriaValue('')).toBe('');
  });

  for (const [what, value, expected] of HOSTILE) {
    it(`${what}: ${JSON.stringify(value)} → ${expected}, read back by the emulator as one condition with that exact value`, () => {
      const criteria = build(eq('Last_Name', value));
      expect(criteria).toBe(expected);
      expect(parsedBack(criteria)).toEqual({ kind: 'cond', field: 'Last_Name', operator: 'equals', values: [value] });
    });
  }

  it('in joins escaped values with "," and the emulator splits them back exactly', () => {
    const values = ['a,b', 'c)', '\\', 'plain'];
    const criteria = build({ field: 'Last_Name', operator: 'in', values });
    expect(criteria).toBe('(Last_Name:in:a\\,b,c\\),\\\\,plain)');
    expect(parsedBack(criteria)).toEqual({ kind: 'cond', field: 'Last_Name', operator: 'in', values });
  });

  it('the emulator matches a hostile value literally: only the record holding it', () => {
    const hostile = 'a),(Last_Name:equals:x';
    const records: ZRecord[] = [
      { id: '1', Last_Name: `O'Brien ${hostile}` },
      { id: '2', Last_Name: 'x' },
      { id: '3', Last_Name: 'a' },
    ];
    const node = parsedBack(build(eq('Last_Name', hostile)));
    expect(records.filter((r) => matchCriteria(r, node, leads)).map((r) => r.id)).toEqual(['1']);
  });

  it('refuses an empty string: equals means "contains" on text, so it would match everything', () => {
    expect(refusal(() => build(eq('Last_Name', ''))).message).toMatch(/non-empty/);
  });
});

describe('shape', () => {
  it('nests and/or pairwise, left to right', () => {
    const where: CriteriaNode = {
      and: [eq('City', 'Lisbon'), { or: [eq('Industry', 'ASP'), eq('Industry', 'ERP'), { field: 'No_of_Employees', operator: 'greater_than', value: 100 }] }, eq('Email_Opt_Out', false)],
    };
    expect(build(where)).toBe('(((City:equals:Lisbon)and(((Industry:equals:ASP)or(Industry:equals:ERP))or(No_of_Employees:greater_than:100)))and(Email_Opt_Out:equals:false))');
    expect(parsedBack(build(where)).kind).toBe('group');
  });

  it('a one-item and/or is the item itself', () => {
    expect(build({ or: [{ and: [eq('City', 'Paris')] }] })).toBe('(City:equals:Paris)');
  });

  it('formats numbers, booleans, dates and date-times, and between takes two values', () => {
    expect(build({ field: 'Annual_Revenue', operator: 'between', values: [1000, '2500.50'] })).toBe('(Annual_Revenue:between:1000,2500.50)');
    expect(build({ field: 'Created_Time', operator: 'greater_equal', value: '2025-01-08T10:07:00+00:00' })).toBe('(Created_Time:greater_equal:2025-01-08T10:07:00+00:00)');
    expect(build({ field: 'id', operator: 'in', values: ['4150868000000000426', 7] })).toBe('(id:in:4150868000000000426,7)');
    expect(build(eq('Email_Opt_Out', true))).toBe('(Email_Opt_Out:equals:true)');
  });

  it(`counts leaves: ${MAX_SEARCH_CRITERIA} pass, ${MAX_SEARCH_CRITERIA + 1} are refused`, () => {
    const leavesOf = (n: number): CriteriaNode => ({ or: Array.from({ length: n }, (_, i) => eq('City', `c${i}`)) });
    expect(buildCriteria(leavesOf(10), fieldOf).count).toBe(10);
    expect(refusal(() => build({ and: [leavesOf(6), leavesOf(5)] })).message).toMatch(/at most 10 criteria; this filter has 11/);
  });

  it('names the path of a bad node', () => {
    expect(refusal(() => build({ and: [eq('City', 'x'), { field: 'City', operator: 'equals', value: 'y', or: [eq('City', 'z')] }] }))).toMatchObject({
      argument: 'where.and[1]',
    });
    expect(refusal(() => build({ and: [eq('City', 'x'), { or: [eq('City', 'y'), {}] }] })).argument).toBe('where.and[1].or[1]');
    expect(refusal(() => build({ and: [] })).argument).toBe('where');
    expect(refusal(() => build({ field: 'Annual_Revenue', operator: 'in', values: [1, 'lots'] })).argument).toBe('where.values[1]');
  });
});

describe('validation against field metadata (search-records.html operator table)', () => {
  const refused: [string, CriteriaNode, RegExp][] = [
    ['an unknown field', eq('Nope', 'x'), /unknown field Nope/],
    ['a field name that is not an api name', eq('City:equals:x)or(City', 'x'), /api name/],
    ['starts_with on a number', { field: 'No_of_Employees', operator: 'starts_with', value: '1' }, /starts_with does not apply to No_of_Employees \(integer\)/],
    ['greater_than on text', { field: 'City', operator: 'greater_than', value: 'a' }, /does not apply/],
    ['starts_with on a picklist', { field: 'Industry', operator: 'starts_with', value: 'A' }, /does not apply/],
    ['in on textarea', { field: 'Description', operator: 'in', values: ['a'] }, /does not apply/],
    ['in on a boolean', { field: 'Email_Opt_Out', operator: 'in', values: [true] }, /does not apply/],
    ['not_in (not a v8 operator)', { field: 'City', operator: 'not_in' as never, values: ['a'] }, /operator must be one of/],
    ['text for an integer', eq('No_of_Employees', '12a'), /needs an integer/],
    ['a float for an integer', eq('No_of_Employees', 1.5), /needs an integer/],
    ['a non-ISO date-time', eq('Created_Time', '2025-01-08 10:07'), /ISO 8601/],
    ['a string for a boolean', eq('Email_Opt_Out', 'yes'), /true or false/],
    ['an object value', eq('City', { $ne: 1 }), /a string/],
    ['between with one value', { field: 'Annual_Revenue', operator: 'between', values: [1] }, /exactly two/],
    ['in with value instead of values', { field: 'City', operator: 'in', value: 'a' }, /takes values/],
    ['equals with values', { field: 'City', operator: 'equals', values: ['a'] }, /takes value/],
    ['101 values in in', { field: 'City', operator: 'in', values: Array.from({ length: 101 }, (_, i) => `c${i}`) }, /1–100/],
  ];
  for (const [what, node, message] of refused) {
    it(`refuses ${what}`, () => expect(refusal(() => build(node)).message).toMatch(message));
  }

  it('every operator the builder allows on a field type, the emulator accepts (and the converse)', () => {
    const ops = ['equals', 'not_equal', 'starts_with', 'in', 'greater_than', 'greater_equal', 'less_than', 'less_equal', 'between'] as const;
    const sample: Record<string, CriteriaNode['value']> = { integer: 5, currency: 5, boolean: true, datetime: '2025-01-01T00:00:00+00:00' };
    for (const f of leads.fields.filter((x) => x.api_name !== 'Owner' && !x.api_name.startsWith('Custom_Text_'))) {
      for (const operator of ops) {
        const value = sample[f.data_type] ?? 'v';
        const node: CriteriaNode =
          operator === 'in'
            ? { field: f.api_name, operator, values: [value] }
            : operator === 'between'
              ? { field: f.api_name, operator, values: [value, value] }
              : { field: f.api_name, operator, value };
        let criteria: string | undefined;
        try {
          criteria = build(node);
        } catch (err) {
          if (!isGatewayError(err, 'BAD_USER_INPUT')) throw err;
        }
        const emulator = parseCriteria(criteria ?? `(${f.api_name}:${operator}:${operator === 'between' ? 'v,v' : 'v'})`, leads);
        expect({ field: f.api_name, operator, accepted: 'node' in emulator }).toEqual({ field: f.api_name, operator, accepted: criteria !== undefined });
      }
    }
  });
});
