import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import type { ZUser } from '../../src/emulator/seed.js';
import { call, mintToken, startTestEmulator } from '../helpers/emulator.js';
import { EMPTY_SEED, ID, loadFixture } from './coql-fixture.js';

/**
 * POST /crm/v8/coql over real HTTP. Sources:
 *  GRQ  = https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html
 *  LIM  = https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html
 *  JOIN = https://www.zoho.com/crm/developer/docs/api/v8/COQL-Joins.html
 *  OAS  = github.com/zoho/crm-oas v8.0/coql (executeCOQLQuery examples)
 *  K171 = https://help.zoho.com/portal/en/community/topic/kaizen-171-faqs-on-coql-api
 *  K183 = https://help.zoho.com/portal/en/community/topic/kaizen-183-coql-apis-enhancements-in-zoho-crm-api-version-7
 */

let emu: ZohoEmulator;
let token: string;
let u0: ZUser;
let u1: ZUser;

beforeAll(async () => {
  ({ emu, token } = await startTestEmulator(EMPTY_SEED));
  ({ u0, u1 } = loadFixture(emu));
});
afterAll(() => emu.close());

const coql = (select_query: string, opts: { token?: string | null; extra?: Record<string, unknown> } = {}) =>
  call(emu, 'POST', '/crm/v8/coql', { token: opts.token === undefined ? token : opts.token, json: { select_query, ...(opts.extra ?? {}) } });

/** The ids of the rows a query returns, in order. */
async function ids(query: string): Promise<string[]> {
  const res = await coql(query);
  if (res.status === 204) return [];
  expect(res.status).toBe(200);
  return res.body.data.map((r: { id: string }) => r.id);
}

describe('documented samples', () => {
  it('OAS GetLeads: select Last_Name, First_Name from Leads where Last_Name = ... (200 shape)', async () => {
    const res = await coql("select Last_Name, First_Name from Leads where Last_Name = 'Smith'");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [{ Last_Name: 'Smith', First_Name: 'John', id: ID.smith }], info: { count: 1, more_records: false } });
  });

  it('GRQ Deluge sample: two criteria need no brackets, limit 2', async () => {
    const res = await coql("select Last_Name, First_Name, Full_Name from Contacts where Last_Name = 'Boyle' and First_Name is not null limit 2");
    expect(res.body).toEqual({
      data: [
        { Last_Name: 'Boyle', First_Name: 'Patricia', Full_Name: 'Patricia Boyle', id: ID.patricia },
        { Last_Name: 'Boyle', First_Name: 'Steve', Full_Name: 'Steve Boyle', id: ID.steve },
      ],
      info: { count: 2, more_records: false },
    });
  });

  it('JOIN sample: quoted columns, two-level lookup path; lookups come back as {name,id}, dotted paths as flat keys', async () => {
    const res = await coql(
      "select 'Account_Name','Account_Name.Account_Name','Account_Name.Parent_Account','Account_Name.Parent_Account.Account_Name' from Contacts where (Account_Name.Parent_Account.Account_Name = 'King') limit 1 ",
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      {
        Account_Name: { name: 'Zylker', id: ID.zylker },
        'Account_Name.Account_Name': 'Zylker',
        'Account_Name.Parent_Account': { name: 'King', id: ID.king },
        'Account_Name.Parent_Account.Account_Name': 'King',
        id: ID.patricia,
      },
    ]);
  });

  it('GRQ user lookup: Owner shows the user last_name as name; Owner.email follows the user', async () => {
    const res = await coql(`select Last_Name, Owner, Owner.email, Owner.profile.name from Contacts where Owner = '${u1.id}'`);
    expect(res.body.data).toEqual([{ Last_Name: 'Boyle', Owner: { name: u1.last_name, id: u1.id }, 'Owner.email': u1.email, 'Owner.profile.name': u1.profile.name, id: ID.steve }]);
  });

  it('GRQ alias sample: AS names the keys and order by may use an alias', async () => {
    const res = await coql(
      "select 'Account_Name' AS 'Account id','Account_Name.Account_Name' as 'Account Name','Account_Name.Parent_Account' as 'Parent Account id','Account_Name.Parent_Account.Account_Name' As 'Parent Account Name' from Contacts where (Account_Name is not null) order by 'Account Name' desc limit 2",
    );
    expect(res.body.data).toEqual([
      { 'Account id': { name: 'Zylker', id: ID.zylker }, 'Account Name': 'Zylker', 'Parent Account id': { name: 'King', id: ID.king }, 'Parent Account Name': 'King', id: ID.patricia },
      { 'Account id': { name: "O'Brien Ltd", id: ID.obrien }, 'Account Name': "O'Brien Ltd", 'Parent Account id': { name: 'Zylker', id: ID.zylker }, 'Parent Account Name': 'Zylker', id: ID.steve },
    ]);
  });

  it('GRQ SUM sample: group by two fields; aggregate rows carry no id', async () => {
    const res = await coql('select SUM(Annual_Revenue), Company, Last_Name from Leads where Annual_Revenue >= 1000 Group by Company, Last_Name');
    expect(res.body).toEqual({
      data: [
        { 'SUM(Annual_Revenue)': 100000, Company: 'abc', Last_Name: 'Smith' },
        { 'SUM(Annual_Revenue)': 100000, Company: 'Creative Business Inc', Last_Name: 'Kitzman' },
        { 'SUM(Annual_Revenue)': 200000, Company: 'Dal Tile Corporation', Last_Name: 'Frey' },
        { 'SUM(Annual_Revenue)': 700000, Company: 'Kwik Kopy Printing', Last_Name: 'Merced' },
      ],
      info: { count: 4, more_records: false },
    });
  });

  it('GRQ MIN, MAX and AVG samples without group by give one row', async () => {
    expect((await coql('select MIN(Annual_Revenue) from Leads where Annual_Revenue != 0')).body.data).toEqual([{ 'MIN(Annual_Revenue)': 100000 }]);
    expect((await coql('select MAX(Annual_Revenue) as top from Leads where Annual_Revenue != 0')).body.data).toEqual([{ top: 700000 }]);
    expect((await coql('select AVG(Annual_Revenue) from Leads where Annual_Revenue != 0')).body.data).toEqual([{ 'AVG(Annual_Revenue)': 275000 }]);
  });

  it('GRQ COUNT sample: group by Lead_Source, empty values form their own group', async () => {
    const res = await coql('select COUNT(Annual_Revenue), Lead_Source from Leads where Annual_Revenue >25000 group by Lead_Source');
    expect(res.body.data).toEqual([
      { 'COUNT(Annual_Revenue)': 2, Lead_Source: 'Advertisement' },
      { 'COUNT(Annual_Revenue)': 1, Lead_Source: 'Cold Call' },
      { 'COUNT(Annual_Revenue)': 1, Lead_Source: null },
    ]);
  });

  it('aggregate rows sort by an aggregate in order by', async () => {
    const res = await coql('select COUNT(Annual_Revenue) as n, Lead_Source from Leads where Annual_Revenue > 25000 group by Lead_Source order by n desc limit 1');
    expect(res.body).toEqual({ data: [{ n: 2, Lead_Source: 'Advertisement' }], info: { count: 1, more_records: true } });
  });

  it('K171: a single quote inside a value is written twice', async () => {
    expect(await ids("select Company from Leads where Company = '1'' 2'")).toEqual([ID.tjepkema]);
  });

  it('GRQ: an unquoted picklist value (Lead_Source = Advertisement) and uppercase keywords work', async () => {
    expect(await ids('SELECT Last_Name FROM Contacts WHERE Lead_Source = Advertisement')).toEqual([ID.patricia]);
  });

  it("GRQ Boolean sample: Email_Opt_Out = 'true'", async () => {
    expect(await ids("select Last_Name from Leads where Email_Opt_Out = 'true'")).toEqual([ID.smith]);
    expect(await ids('select Last_Name from Leads where Email_Opt_Out = false')).toEqual([ID.kitzman, ID.frey, ID.merced, ID.tjepkema]);
  });

  it('204 with an empty body when nothing matches (OAS)', async () => {
    const res = await coql("select Last_Name from Leads where Last_Name = 'Nobody'");
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });
});

describe('comparators (GRQ "Field Types and their Comparators")', () => {
  const cases: [string, string[]][] = [
    ["Last_Name = 'Boyle'", [ID.patricia, ID.steve]],
    ["Last_Name = 'boyle'", [ID.patricia, ID.steve]],
    ["Lead_Source != 'Advertisement'", [ID.steve, ID.kris]],
    ["Last_Name like 'Boy%'", [ID.patricia, ID.steve]],
    ["First_Name like '%is'", [ID.kris]],
    ["First_Name like '%tric%'", [ID.patricia]],
    ["Last_Name not like '%oyl%'", [ID.kris]],
    ["Lead_Source in ('Advertisement', 'Partner')", [ID.patricia, ID.kris]],
    ["Lead_Source not in ('Advertisement', 'Partner')", [ID.steve]],
    ["Date_of_Birth between '1980-01-01' and '1989-12-31'", [ID.kris]],
    ["Date_of_Birth not between '1980-01-01' and '1989-12-31'", [ID.patricia]],
    ["Date_of_Birth > '1985-12-31'", [ID.patricia]],
    ["Date_of_Birth >= '1985-12-31'", [ID.patricia, ID.kris]],
    ["Created_Time between '2023-05-28T04:25:36-07:00' and '2025-05-28T04:25:36-07:00'", [ID.patricia, ID.steve]],
    ["Created_Time in ('2024-06-05T02:04:09-07:00', '2024-07-03T00:00:01+05:30')", [ID.steve]],
    ["Created_Time < '2024-05-28T11:25:37+00:00'", [ID.patricia]],
    ['Account_Name is null', [ID.kris]],
    ['Account_Name is not null', [ID.patricia, ID.steve]],
    ['Date_of_Birth is null', [ID.steve]],
    [`Account_Name = '${ID.zylker}'`, [ID.patricia]],
    [`Account_Name != '${ID.zylker}'`, [ID.steve]],
    [`Account_Name.Account_Name = 'Zylker'`, [ID.patricia]],
    [`Account_Name.Parent_Account.Account_Name like 'Zyl%'`, [ID.steve]],
    [`id in ('${ID.kris}', '${ID.steve}')`, [ID.steve, ID.kris]],
    [`id > ${ID.patricia}`, [ID.steve, ID.kris]],
    ["(Last_Name = 'Tech' or Lead_Source = 'Trade Show')", [ID.steve, ID.kris]],
    ["((Last_Name = 'Boyle' and Lead_Source = 'Advertisement') or Last_Name = 'Tech')", [ID.patricia, ID.kris]],
    ["Last_Name = 'Boyle' and (Lead_Source = 'Trade Show' or Lead_Source = 'Partner')", [ID.steve]],
  ];
  for (const [criteria, expected] of cases) {
    it(`Contacts where ${criteria}`, async () => {
      expect(await ids(`select Last_Name from Contacts where ${criteria}`)).toEqual(expected);
    });
  }

  const numbers: [string, string[]][] = [
    ['Annual_Revenue > 100000', [ID.frey, ID.merced]],
    ['Annual_Revenue >= 200000', [ID.frey, ID.merced]],
    ['Annual_Revenue < 100000', [ID.tjepkema]],
    ["Annual_Revenue <= '100000'", [ID.smith, ID.kitzman, ID.tjepkema]],
    ['Annual_Revenue between 100000 and 200000', [ID.smith, ID.kitzman, ID.frey]],
    ['No_of_Employees in (10, 50)', [ID.smith, ID.frey]],
    ['No_of_Employees is null', [ID.tjepkema]],
  ];
  for (const [criteria, expected] of numbers) {
    it(`Leads where ${criteria}`, async () => {
      expect(await ids(`select Last_Name from Leads where ${criteria}`)).toEqual(expected);
    });
  }
});

describe('order by, limit and offset', () => {
  it('sorts by several fields, ties broken by id', async () => {
    expect(await ids('select Last_Name from Contacts where id is not null order by Last_Name asc, First_Name desc')).toEqual([ID.steve, ID.patricia, ID.kris]);
  });

  it('empty values sort first ascending, last descending', async () => {
    expect(await ids('select Last_Name from Contacts where id is not null order by Date_of_Birth')).toEqual([ID.steve, ID.kris, ID.patricia]);
    expect(await ids('select Last_Name from Contacts where id is not null order by Date_of_Birth desc')).toEqual([ID.patricia, ID.kris, ID.steve]);
  });

  it('sorts by a lookup path', async () => {
    expect(await ids('select Last_Name from Contacts where Account_Name is not null order by Account_Name.Parent_Account.Account_Name')).toEqual([ID.patricia, ID.steve]);
  });

  describe('paging over the default seed (500 deals)', () => {
    let big: ZohoEmulator;
    let bigToken: string;
    let dealIds: string[];
    beforeAll(async () => {
      ({ emu: big, token: bigToken } = await startTestEmulator());
      dealIds = [...big.ctx.records('Deals').keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    });
    afterAll(() => big.close());
    const page = async (q: string) => call(big, 'POST', '/crm/v8/coql', { token: bigToken, json: { select_query: q } });

    it('default LIMIT is 200, ascending by id, with more_records', async () => {
      const res = await page('select Deal_Name from Deals where id is not null');
      expect(res.body.info).toEqual({ count: 200, more_records: true });
      expect(res.body.data.map((r: { id: string }) => r.id)).toEqual(dealIds.slice(0, 200));
    });

    it('LIMIT 2000 returns every deal in one call', async () => {
      const res = await page('select Deal_Name from Deals where id is not null limit 2000');
      expect(res.body.info).toEqual({ count: 500, more_records: false });
    });

    it('limit N offset M and limit M, N name the same page', async () => {
      const a = await page('select Deal_Name from Deals where id is not null limit 100 offset 450');
      const b = await page('select Deal_Name from Deals where id is not null limit 450, 100');
      expect(a.body.info).toEqual({ count: 50, more_records: false });
      expect(a.body.data.map((r: { id: string }) => r.id)).toEqual(dealIds.slice(450));
      expect(b.body).toEqual(a.body);
    });

    it('an offset past the last record answers 204', async () => {
      expect((await page('select Deal_Name from Deals where id is not null limit 10 offset 500')).status).toBe(204);
    });
  });
});

describe('errors', () => {
  const expectError = async (query: string, status: number, code: string, message: string, details: Record<string, unknown>) => {
    const res = await coql(query);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({ code, details, message, status: 'error' });
  };

  it('SYNTAX_ERROR with line, column and the token near the error (OAS SyntaxErrorLocation)', async () => {
    await expectError('select Last_Name, from Leads where id is not null', 400, 'SYNTAX_ERROR', 'unexpected token', { line: 1, column: 19, near: 'from' });
    await expectError('select Last_Name\nfrom Leads\nwhere Last_Name = ', 400, 'SYNTAX_ERROR', 'unexpected token', { line: 3, column: 19, near: '<end of query>' });
    await expectError("select Last_Name from Leads where Last_Name = 'open", 400, 'SYNTAX_ERROR', 'unexpected token', { line: 1, column: 47, near: "'open" });
  });

  it('SYNTAX_ERROR missing clause for a query without WHERE or FROM (OAS SyntaxErrorInvalidClause; GRQ)', async () => {
    await expectError('select Last_Name from Leads limit 10', 400, 'SYNTAX_ERROR', 'missing clause', { clause: 'where' });
    await expectError('select Last_Name where id is not null', 400, 'SYNTAX_ERROR', 'missing clause', { clause: 'from' });
  });

  it('SYNTAX_ERROR for statements other than SELECT (GRQ example) and for NOT (OAS SyntaxErrorOperator)', async () => {
    await expectError("update Leads set Last_Name = 'Last' where id = 12356", 400, 'SYNTAX_ERROR', 'given coql query not supported', {});
    await expectError("select Last_Name from Leads where not (Last_Name = 'Smith')", 400, 'SYNTAX_ERROR', 'operator not supported', { operator: 'not' });
  });

  it('more than two criteria without pairwise brackets is refused (K171 question 2; LIM)', async () => {
    const q = "select id from Contacts where id is not null and Account_Name is not null and Last_Name = 'Boyle'";
    await expectError(q, 400, 'SYNTAX_ERROR', 'unexpected token', { line: 1, column: 75, near: 'and' });
    await expectError("select id from Contacts where Last_Name = 'Boyle' and Title = 'CEO' or Title = 'CTO'", 400, 'SYNTAX_ERROR', 'unexpected token', { line: 1, column: 69, near: 'or' });
    // Every bracketing GRQ lists works.
    for (const ok of ['((A and B) and C)', '(A and (B and C))', 'A and (B and C)', '(A and B) and C']) {
      const where = ok.replace('A', 'id is not null').replace('B', 'Account_Name is not null').replace('C', "Last_Name = 'Boyle'");
      expect(await ids(`select id from Contacts where ${where}`)).toEqual([ID.patricia, ID.steve]);
    }
  });

  it('INVALID_QUERY for an unknown column (GRQ example) and INVALID_MODULE for an unknown module (OAS)', async () => {
    await expectError('select Last_Name, Testing from Leads where Last_Name is not null', 400, 'INVALID_QUERY', 'invalid column name', { column_name: 'Testing', clause: 'select' });
    await expectError('select Last_Name from Leads where Nope.Name = 1', 400, 'INVALID_QUERY', 'invalid column name', { column_name: 'Nope.Name', clause: 'where' });
    await expectError('select Last_Name from Lead where Last_Name is not null', 400, 'INVALID_MODULE', 'the given module is not supported in api', {});
  });

  it('INVALID_QUERY for an operator the field type does not take (GRQ example; OAS InvalidQueryInvalidOperator)', async () => {
    await expectError("select Last_Name from Leads where Last_Name >= 'adfkahfd'", 400, 'INVALID_QUERY', 'Invalid query formed', {
      reason: 'invalid operator found',
      column_name: 'Last_Name',
      operator: '>=',
    });
    await expectError(`select Last_Name from Contacts where Account_Name like '5%'`, 400, 'INVALID_QUERY', 'Invalid query formed', {
      reason: 'invalid operator found',
      column_name: 'Account_Name',
      operator: 'like',
    });
    await expectError("select Last_Name from Leads where Last_Name not like 'Sm%'", 400, 'INVALID_QUERY', 'Invalid query formed', {
      reason: 'invalid operator found',
      column_name: 'Last_Name',
      operator: 'not like',
    });
  });

  it('INVALID_QUERY for a value of the wrong type (GRQ example) and for multi-line fields in criteria (LIM; OAS)', async () => {
    const res = await coql("select Last_Name from Leads where Last_Name is not null and No_of_Employees = 'adfkahfd'");
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('INVALID_QUERY');
    expect(res.body.details).toMatchObject({ column_name: 'No_of_Employees', value: 'adfkahfd' });
    await expectError("select Last_Name from Leads where Description = 'x'", 400, 'INVALID_QUERY', 'unsupported column in criteria', {
      cv_criteria: false,
      column_name: 'Description',
      value: 'x',
      operator: '=',
    });
  });

  it('DUPLICATE_DATA for duplicate select columns, order by fields and aggregates (GRQ; LIM; OAS)', async () => {
    await expectError('select Last_Name, First_Name, Full_Name, Created_Time, Full_Name from Contacts where Lead_Source = Advertisement limit 2', 400, 'DUPLICATE_DATA', 'duplicate select column', {
      column_name: 'Full_Name',
    });
    await expectError('select MAX(Annual_Revenue), MAX(Annual_Revenue) from Leads where id is not null', 400, 'DUPLICATE_DATA', 'duplicate aggregate function', {
      column_name: 'Annual_Revenue',
      aggregate: 'MAX',
    });
    const res = await coql('select id from Contacts where id is not null order by id,id');
    expect([res.status, res.body.code]).toEqual([400, 'DUPLICATE_DATA']);
  });

  it('aliases: empty, duplicate, or clashing with a column (OAS InvalidAlias, DuplicateAlias, InvalidQueryInvalidAlias)', async () => {
    await expectError("select First_Name as '' from Leads where id is not null", 400, 'INVALID_ALIAS', 'alias name cannot be an empty string', { column_name: 'First_Name', alias: '' });
    await expectError('select First_Name as Name, Last_Name as Name from Leads where id is not null', 400, 'DUPLICATE_ALIAS', 'same alias cannot refer more than one column', {
      referred_columns: ['First_Name', 'Last_Name'],
      alias: 'Name',
    });
    await expectError(
      'select First_Name as Last_Name, Last_Name from Leads where id is not null',
      400,
      'INVALID_QUERY',
      'column name or property name given in select columns without alias name cannot be an alias name for other select columns',
      {
        column_name: 'First_Name',
        alias: 'Last_Name',
      },
    );
  });

  it('aggregate names are case-sensitive (GRQ; OAS InvalidDataUnsupportedFunction)', async () => {
    await expectError('select count(Annual_Revenue) from Leads where id is not null', 400, 'INVALID_DATA', 'invalid data', {
      reason: 'unsupported aggregate function',
      column: 'count(Annual_Revenue)',
    });
  });

  it('bad LIMIT values (OAS InvalidQueryInvalidLimit, InvalidDataLimitZero)', async () => {
    await expectError('select Last_Name from Leads where id is not null limit s', 400, 'INVALID_QUERY', 'limit given seems to be invalid', { limit: 's' });
    await expectError('select Last_Name from Leads where id is not null limit 0', 400, 'INVALID_DATA', 'limit should be greater than 0', {});
  });

  it('MANDATORY_NOT_FOUND without select_query (OAS MandatoryNotFound)', async () => {
    const res = await call(emu, 'POST', '/crm/v8/coql', { token, json: {} });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'select_query' }, message: 'mandatory key not found', status: 'error' });
  });
});

describe('limits (LIM, K183)', () => {
  const code = async (q: string) => {
    const res = await coql(q);
    return res.status === 400 ? `${res.status} ${res.body.code}` : String(res.status);
  };
  /** n criteria bracketed pairwise: ((c1 and c2) and c3) … */
  const criteria = (n: number) => {
    let expr = 'id is not null';
    for (let i = 1; i < n; i++) expr = `(${expr}) and Last_Name is not null`;
    return expr;
  };

  it('LIMIT up to 2,000 rows per call', async () => {
    expect(await code('select Last_Name from Leads where id is not null limit 2000')).toBe('200');
    const res = await coql('select Last_Name from Leads where id is not null limit 2001');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'LIMIT_EXCEEDED', details: { clause: 'limit', maximum: 2000 }, message: 'a maximum of 2000 records can be fetched in one call', status: 'error' });
  });

  it('records reachable through OFFSET stop at 100,000', async () => {
    expect(await code('select Last_Name from Leads where id is not null limit 200 offset 99800')).toBe('204');
    expect(await code('select Last_Name from Leads where id is not null limit 99801, 200')).toBe('400 LIMIT_EXCEEDED');
    expect(await code('select Last_Name from Leads where id is not null limit 1 offset 100000')).toBe('400 LIMIT_EXCEEDED');
  });

  it('500 select columns since v7 (K183): 51 columns pass, 501 are refused', async () => {
    const custom = (n: number) => Array.from({ length: n }, (_, i) => `Custom_Text_${String(i + 1).padStart(2, '0')}`);
    const res = await coql(`select ${custom(51).join(', ')} from Leads where Last_Name = 'Smith'`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data[0])).toHaveLength(52);
    const many = [...custom(60), ...Array.from({ length: 441 }, (_, i) => `Field_${i}`)];
    expect(many).toHaveLength(501);
    expect(await code(`select ${many.join(', ')} from Leads where id is not null`)).toBe('400 LIMIT_EXCEEDED');
  });

  it('25 criteria pass, 26 are refused', async () => {
    expect(await code(`select id from Leads where ${criteria(25)} limit 1`)).toBe('200');
    const res = await coql(`select id from Leads where ${criteria(26)}`);
    expect(res.body).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { clause: 'where', maximum: 25 } });
  });

  it('100 values for in / not in since v7 (K183, LIM): 100 pass, 101 are refused', async () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => `'v${i}'`).join(',');
    expect(await code(`select id from Leads where Last_Name not in (${values(100)}) limit 1`)).toBe('200');
    const res = await coql(`select id from Leads where Last_Name in (${values(101)})`);
    expect(res.body).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { clause: 'where', maximum: 100 } });
  });

  it('a lookup path crosses at most two relations (LIM; JOIN)', async () => {
    expect(await code('select Contact_Name.Account_Name.Account_Name from Deals where id is not null')).toBe('200');
    const res = await coql('select Contact_Name.Account_Name.Parent_Account.Account_Name from Deals where id is not null');
    expect(res.body).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { clause: 'select', maximum: 2 } });
  });

  it('five base joins and fifteen select-column joins (LIM)', async () => {
    const base = ['Account_Name', 'Contact_Name', 'Owner', 'Account_Name.Parent_Account', 'Contact_Name.Account_Name', 'Created_By'].map((p) => `${p}.id is not null`);
    let where = base[0]!;
    for (const c of base.slice(1, 5)) where = `(${where}) and ${c}`;
    expect(await code(`select id from Deals where ${where}`)).toBe('200');
    expect(await code(`select id from Deals where (${where}) and ${base[5]}`)).toBe('400 LIMIT_EXCEEDED');

    const joins = [
      'Account_Name',
      'Contact_Name',
      'Owner',
      'Created_By',
      'Modified_By',
      'Account_Name.Parent_Account',
      'Account_Name.Owner',
      'Account_Name.Created_By',
      'Account_Name.Modified_By',
      'Contact_Name.Account_Name',
      'Contact_Name.Owner',
      'Contact_Name.Created_By',
      'Contact_Name.Modified_By',
      'Owner.role',
      'Owner.profile',
      'Created_By.role',
    ].map((p) => `${p}.id`);
    expect(await code(`select ${joins.slice(0, 15).join(', ')} from Deals where id is not null`)).toBe('200');
    expect(await code(`select ${joins.join(', ')} from Deals where id is not null`)).toBe('400 LIMIT_EXCEEDED');
  });

  it('ten order by fields, four group by fields, five aggregates (LIM)', async () => {
    expect(
      await code(
        `select id from Leads where id is not null order by ${['Last_Name', 'First_Name', 'Company', 'City', 'Email', 'Phone', 'Lead_Status', 'Lead_Source', 'Industry', 'Annual_Revenue', 'No_of_Employees'].join(', ')}`,
      ),
    ).toBe('400 LIMIT_EXCEEDED');
    expect(
      await code('select COUNT(Annual_Revenue), Company, City, Industry, Lead_Source, Lead_Status from Leads where id is not null group by Company, City, Industry, Lead_Source, Lead_Status'),
    ).toBe('400 LIMIT_EXCEEDED');
    expect(await code('select SUM(Annual_Revenue), MAX(Annual_Revenue), MIN(Annual_Revenue), AVG(Annual_Revenue), COUNT(Annual_Revenue), MAX(No_of_Employees) from Leads where id is not null')).toBe(
      '400 LIMIT_EXCEEDED',
    );
  });
});

describe('authentication and scopes (GRQ "Scope")', () => {
  it('no token → 401 AUTHENTICATION_FAILURE', async () => {
    const res = await coql('select Last_Name from Leads where id is not null', { token: null });
    expect([res.status, res.body.code]).toEqual([401, 'AUTHENTICATION_FAILURE']);
  });

  it('without ZohoCRM.coql.READ → 401 OAUTH_SCOPE_MISMATCH', async () => {
    const res = await coql('select Last_Name from Leads where id is not null', { token: mintToken(emu, ['ZohoCRM.modules.ALL']) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'OAUTH_SCOPE_MISMATCH', details: { required_scope: 'ZohoCRM.coql.READ' }, message: 'invalid oauth scope to access this URL', status: 'error' });
  });

  it('ZohoCRM.coql.READ also needs read access to the base module', async () => {
    const onlyContacts = mintToken(emu, ['ZohoCRM.coql.READ', 'ZohoCRM.modules.Contacts.READ']);
    const res = await coql('select Last_Name from Leads where id is not null', { token: onlyContacts });
    expect(res.status).toBe(401);
    expect(res.body.details).toEqual({ required_scope: 'ZohoCRM.modules.Leads.READ' });
    // Joined modules need no scope of their own (LIM: "scopes required to access the base module").
    const ok = await coql("select Account_Name.Account_Name from Contacts where Last_Name = 'Tech' or Last_Name = 'Boyle'", { token: onlyContacts });
    expect(ok.status).toBe(200);
    expect((await coql("select Last_Name from Leads where Last_Name = 'Smith'", { token: mintToken(emu, ['ZohoCRM.coql.READ', 'ZohoCRM.modules.READ']) })).status).toBe(200);
  });

  it('include_meta: fields needs ZohoCRM.settings.fields.READ and adds field metadata (GRQ; OAS)', async () => {
    const extra = { include_meta: ['fields'] };
    const denied = await coql("select Last_Name from Leads where Last_Name = 'Smith'", { extra, token: mintToken(emu, ['ZohoCRM.coql.READ', 'ZohoCRM.modules.ALL']) });
    expect([denied.status, denied.body.details]).toEqual([401, { required_scope: 'ZohoCRM.settings.fields.READ' }]);
    const res = await coql("select Last_Name from Leads where Last_Name = 'Smith'", { extra });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{ Last_Name: 'Smith', id: ID.smith }]);
    expect(res.body.fields.Last_Name).toMatchObject({ api_name: 'Last_Name', field_label: 'Last Name', data_type: 'text', length: 80 });
    expect(res.body.info).toEqual({ count: 1, more_records: false });
    const bad = await coql('select Last_Name from Leads where id is not null', { extra: { include_meta: ['layouts'] } });
    expect(bad.body).toEqual({ code: 'INVALID_DATA', details: { api_name: 'include_meta', json_path: '$.include_meta[0]', supported_values: ['fields'] }, message: 'invalid data', status: 'error' });
  });

  it('other methods → 400 INVALID_REQUEST_METHOD (GRQ "Possible Errors")', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await call(emu, method, '/crm/v8/coql', { token });
      expect(res.body).toEqual({ code: 'INVALID_REQUEST_METHOD', details: {}, message: 'The http request method type is not a valid one', status: 'error' });
      expect(res.status).toBe(400);
    }
  });
});

// u0 is used by the fixture as Owner of Patricia and Kris.
it('Owner in (...) matches user ids', async () => {
  expect(await ids(`select Last_Name from Contacts where Owner in ('${u0.id}')`)).toEqual([ID.patricia, ID.kris]);
});
