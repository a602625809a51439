import { describe, expect, it } from 'vitest';
import { checkCoqlLimits, coqlShape } from '../../src/records/coql-limits.js';
import { isGatewayError } from '../../src/errors.js';

/** The COQL pre-check against the v8 limits (https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html). */

function refusal(query: string): { message: string; limit: unknown } | undefined {
  try {
    checkCoqlLimits(query);
    return undefined;
  } catch (err) {
    if (isGatewayError(err, 'BAD_USER_INPUT')) return { message: err.message, limit: err.details.limit };
    throw err;
  }
}

const cols = (n: number) => Array.from({ length: n }, (_, i) => `F${i}`).join(', ');
const inList = (n: number) => Array.from({ length: n }, (_, i) => `'v${i}'`).join(',');
/** n criteria bracketed pairwise: ((((c0 and c1) and c2) …). */
const criteria = (n: number) => Array.from({ length: n }, (_, i) => `Last_Name = 'x${i}'`).reduce((a, c) => `(${a} and ${c})`);

describe('checkCoqlLimits', () => {
  it('passes documented samples', () => {
    for (const q of [
      "select Last_Name, First_Name from Leads where Last_Name = 'Smith'",
      "select 'Account_Name.Account_Name', COUNT(id) from Contacts where (Account_Name.Parent_Account.Account_Name = 'King') group by 'Account_Name.Account_Name' limit 1",
      'select id from Deals where Amount between 1 and 2 limit 99800, 200',
      "select id from Leads where ((City = 'From (where) limit 5000') and (Lead_Source in ('a','b'))) order by id limit 2000 offset 98000",
    ]) {
      expect(refusal(q)).toBeUndefined();
    }
  });

  it('needs select … from … where', () => {
    expect(refusal('select id from Leads')?.limit).toBe('where');
    expect(refusal('select id from Leads order by id limit 10')?.message).toMatch(/WHERE/);
    expect(refusal('delete from Leads where id = 1')?.message).toMatch(/select <fields> from <module>/);
    expect(refusal("select id where City = 'where'")?.message).toMatch(/select <fields> from <module>/);
    // Inside quotes, WHERE is a value, not the clause.
    expect(refusal("select 'where' from Leads")?.limit).toBe('where');
  });

  it('LIMIT at most 2,000; OFFSET + LIMIT at most 100,000 (default LIMIT 200)', () => {
    expect(refusal('select id from Leads where id is not null limit 2000')).toBeUndefined();
    expect(refusal('select id from Leads where id is not null limit 2001')).toMatchObject({ limit: 'limit', message: /2001 is more than 2000/ });
    expect(refusal('select id from Leads where id is not null limit 98001, 2000')).toMatchObject({ limit: 'offset' });
    expect(refusal('select id from Leads where id is not null limit 2000 offset 98001')).toMatchObject({ limit: 'offset' });
    expect(refusal('select id from Leads where id is not null offset 99801')).toMatchObject({ limit: 'offset', message: /100000/ });
    expect(refusal('select id from Leads where id is not null offset 99800')).toBeUndefined();
  });

  it('at most 500 select columns', () => {
    expect(refusal(`select ${cols(500)} from Leads where id is not null`)).toBeUndefined();
    expect(refusal(`select ${cols(501)} from Leads where id is not null`)).toMatchObject({ limit: 'select', message: /501 columns; at most 500/ });
  });

  it('at most 100 values in an in / not in list; a subquery is Zoho’s to judge', () => {
    expect(refusal(`select id from Leads where City in (${inList(100)})`)).toBeUndefined();
    expect(refusal(`select id from Leads where City not in (${inList(101)})`)).toMatchObject({ limit: 'in', message: /101 values/ });
    expect(refusal("select id from Contacts where Account_Name in (select id from Accounts where Account_Name like 'a%')")).toBeUndefined();
  });

  it('at most 25 criteria', () => {
    expect(refusal(`select id from Leads where ${criteria(25)}`)).toBeUndefined();
    expect(refusal(`select id from Leads where ${criteria(26)}`)).toMatchObject({ limit: 'where', message: /26 criteria; at most 25/ });
    expect(refusal(`select id from Leads where (((A is not null and B not like 'x%') and C between 1 and 2) and D != 3)`)).toBeUndefined();
  });
});

describe('coqlShape', () => {
  it('finds the FROM modules (subqueries included) and the lookup paths', () => {
    expect(coqlShape("select Last_Name, 'Account_Name.Parent_Account.Account_Name' from Contacts where Account_Name in (select id from Accounts where Owner.email = 'a.b')")).toEqual({
      module: 'Contacts',
      modules: ['Contacts', 'Accounts'],
      paths: [
        ['Account_Name', 'Parent_Account', 'Account_Name'],
        ['Owner', 'email'],
        ['a', 'b'],
      ],
    });
  });
});
