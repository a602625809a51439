import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { isGatewayError } from '../../src/errors.js';
import { coqlReads } from '../../src/records/coql-reads.js';
import { requireCoqlModuleScopes, requireCoqlPathScopes } from '../../src/records/coql-scopes.js';
import type { FieldMeta } from '../../src/records/metadata.js';

/** The COQL scope reader and checker, against a small org: Contacts → Accounts → Accounts, Deals → Contacts/Accounts. */

const field = (apiName: string, dataType = 'text', lookupModule: string | null = null): FieldMeta => ({
  apiName,
  label: apiName,
  dataType,
  jsonType: null,
  lookupModule,
  readOnly: false,
  mandatory: false,
  custom: false,
  length: null,
  picklistValues: [],
  subformModule: null,
  formulaReturnType: null,
  profiles: [],
});
const owner = [field('Owner', 'ownerlookup'), field('Created_By', 'ownerlookup')];
const ORG: Record<string, FieldMeta[]> = {
  Contacts: [field('Last_Name'), field('Account_Name', 'lookup', 'Accounts'), ...owner],
  Accounts: [field('Account_Name'), field('Annual_Revenue', 'currency'), field('Parent_Account', 'lookup', 'Accounts'), ...owner],
  Deals: [field('Deal_Name'), field('Amount', 'currency'), field('Contact_Name', 'lookup', 'Contacts'), field('Account_Name', 'lookup', 'Accounts'), ...owner],
  Tasks: [field('Subject'), field('What_Id', 'lookup'), ...owner],
  Leads: [field('Last_Name'), field('Email'), ...owner],
};
const asked: string[] = [];
const fields = async (module: string) => {
  asked.push(module);
  const f = ORG[module];
  if (!f) throw new Error(`no module ${module}`);
  return f;
};
const caller = (scope: string): Caller => ({ subject: 'u', tenantId: 't', connectionName: 'default', scopes: new Set(scope.split(' ')) });

/** undefined when allowed; else the refusal's code and extensions. */
async function check(scope: string, query: string): Promise<{ code: string; scope?: unknown; reason?: unknown } | undefined> {
  try {
    const selects = coqlReads(query);
    requireCoqlModuleScopes(caller(scope), selects);
    await requireCoqlPathScopes(caller(scope), selects, fields);
    return undefined;
  } catch (err) {
    if (isGatewayError(err)) return { code: err.code, scope: err.details.scope, reason: err.details.reason };
    throw err;
  }
}

describe('coqlReads', () => {
  it('reads each SELECT with its own module and paths, subqueries included', () => {
    expect(
      coqlReads(
        "select Last_Name, 'Account_Name.Parent_Account.Account_Name' as 'Parent' from Contacts where (Account_Name in (select id from Accounts where Owner.email = 'a.b') and Last_Name like 'x%') order by 'Parent' desc limit 5",
      ),
    ).toEqual([
      {
        module: 'Contacts',
        paths: [[{ field: 'Last_Name' }], [{ field: 'Account_Name' }, { field: 'Parent_Account' }, { field: 'Account_Name' }], [{ field: 'Account_Name' }], [{ field: 'Last_Name' }]],
      },
      { module: 'Accounts', paths: [[{ field: 'id' }], [{ field: 'Owner' }, { field: 'email' }]] },
    ]);
    expect(coqlReads("select 'What_Id->Leads.Last_Name' from Tasks where What_Id->Leads.id in ('1','2')")[0]!.paths).toEqual([
      [{ field: 'What_Id' }, { module: 'Leads' }, { field: 'Last_Name' }],
      [{ field: 'What_Id' }, { module: 'Leads' }, { field: 'id' }],
    ]);
  });

  it('reads the documented forms: aggregates, group by, between, is not null, not in, limit a, b', () => {
    for (const q of [
      "select 'Account_Name.Account_Name', COUNT(id) from Contacts where (Account_Name.Parent_Account.Account_Name = 'King') group by 'Account_Name.Account_Name' limit 1",
      'select id from Deals where Amount between 1 and 2 limit 99800, 200',
      "select id from Leads where ((City = 'From (where) limit 5000') and (Lead_Source not in ('a','b'))) order by id limit 2000 offset 98000",
      "select Last_Name from Leads where Lead_Source = Advertisement and Last_Name = 'O''Brien' and City is not null",
      'select Last_Name from Leads limit 10',
    ]) {
      expect(() => coqlReads(q), q).not.toThrow();
    }
  });

  it('refuses (FORBIDDEN) what it cannot read, rather than guessing', () => {
    for (const q of [
      'select Last_Name, !Deals.Amount from Contacts where id is not null',
      'select Last_Name from Contacts where !Deals.Amount > 0',
      'select Last_Name from #123 where id is not null',
      "select Last_Name from Leads where Last_Name = 'a\\' or Account_Name.Annual_Revenue > 0 or Last_Name = '",
      'select Last_Name from Leads where id is not null; select id from Deals where id is not null',
      'select Last_Name from Leads where Amount > 1e5',
      'select Last_Name from Leads where (select id from Deals where id is not null) is not null',
      "select Last_Name from Leads where Last_Name = 'unterminated",
      'select * from Leads where id is not null',
      'select Last_Name from Leads where Account_Name . Annual_Revenue > 0',
    ]) {
      let err: unknown;
      try {
        coqlReads(q);
      } catch (e) {
        err = e;
      }
      expect(isGatewayError(err, 'FORBIDDEN'), q).toBe(true);
    }
  });
});

describe('COQL scopes', () => {
  it('checks a path inside a subquery against the subquery’s module', async () => {
    // Deals.Account_Name → Accounts; resolved against Contacts it would look like Contacts.Account_Name.
    const q = 'select Last_Name from Contacts where id in (select Contact_Name from Deals where Account_Name.Annual_Revenue > 0)';
    expect(await check('coql records:read:Contacts records:read:Deals', q)).toEqual({ code: 'FORBIDDEN', scope: 'records:read:Accounts', reason: undefined });
    expect(await check('coql records:read:Contacts records:read:Deals records:read:Accounts', q)).toBeUndefined();
    // Contact_Name.Account_Name.Annual_Revenue from Deals walks Deals → Contacts → Accounts.
    expect(await check('coql records:read:Deals records:read:Contacts', 'select Deal_Name from Deals where Contact_Name.Account_Name.Annual_Revenue > 0')).toMatchObject({
      scope: 'records:read:Accounts',
    });
  });

  it('needs users:read for owner paths, even with every records scope', async () => {
    expect(await check('coql records:read', "select Last_Name from Leads where Owner.email = 'a@b.c'")).toMatchObject({ code: 'FORBIDDEN', scope: 'users:read' });
    expect(await check('coql records:read', 'select Last_Name, Created_By.role.name from Leads where id is not null')).toMatchObject({ scope: 'users:read' });
    expect(await check('coql records:read', "select Last_Name from Contacts where Account_Name.Owner.email = 'a'")).toMatchObject({ scope: 'users:read' });
    expect(await check('coql records:read users:read', "select Last_Name, Owner.email from Leads where Owner.email = 'a@b.c'")).toBeUndefined();
    // The owner lookup itself ({name, id}) is part of the record.
    expect(await check('coql records:read:Leads', 'select Last_Name, Owner from Leads where id is not null')).toBeUndefined();
  });

  it('checks a polymorphic -> hop against the module it names', async () => {
    expect(await check('coql records:read:Tasks', "select 'What_Id->Leads.Last_Name' from Tasks where id is not null")).toMatchObject({ scope: 'records:read:Leads' });
    expect(await check('coql records:read:Tasks records:read:Leads', "select 'What_Id->Leads.Last_Name' from Tasks where id is not null")).toBeUndefined();
  });

  it('refuses a -> hop that renames the module of a typed lookup, or follows a field that is no lookup', async () => {
    // Account_Name reads Accounts, whatever module the hop names.
    const scopes = 'coql records:read:Contacts records:read:Leads';
    expect(await check(scopes, "select 'Account_Name->Leads.Annual_Revenue' from Contacts where Last_Name is not null")).toMatchObject({ code: 'FORBIDDEN', reason: 'coql-unresolved-path' });
    expect(await check(scopes, "select 'Last_Name->Leads.Annual_Revenue' from Contacts where Last_Name is not null")).toMatchObject({ reason: 'coql-unresolved-path' });
    // Naming the lookup's own module is fine, with that module's scope.
    expect(await check('coql records:read:Contacts records:read:Accounts', "select 'Account_Name->Accounts.Website' from Contacts where Last_Name is not null")).toBeUndefined();
  });

  it('refuses a column alias spelled like a path (ORDER BY could name the path through it)', async () => {
    expect(await check('coql records:read', "select Last_Name as 'Owner.email' from Contacts where Last_Name is not null order by 'Owner.email'")).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'coql-unreadable',
    });
    expect(await check('coql records:read:Contacts', "select Last_Name as 'Account_Name->Accounts.Website' from Contacts where Last_Name is not null")).toMatchObject({ reason: 'coql-unreadable' });
    // A plain alias still orders.
    expect(await check('coql records:read:Contacts', "select Last_Name as 'Surname' from Contacts where Last_Name is not null order by 'Surname'")).toBeUndefined();
  });

  it('refuses a step it cannot place', async () => {
    expect(await check('coql records:read', 'select Last_Name from Contacts where Nope.Annual_Revenue > 0')).toMatchObject({ code: 'FORBIDDEN', reason: 'coql-unresolved-path' });
    // A dotted bare value may be read as a field by Zoho: it is a path too.
    expect(await check('coql records:read:Contacts', 'select Last_Name from Contacts where Last_Name = Account_Name.Account_Name')).toMatchObject({ scope: 'records:read:Accounts' });
    expect(await check('coql records:read:Tasks', "select Subject from Tasks where What_Id.Last_Name = 'x'")).toMatchObject({ reason: 'coql-unresolved-path' });
  });

  it('needs records:read for every FROM module, and asks no metadata with records:read and users:read', async () => {
    expect(await check('coql records:read:Leads', 'select Last_Name from Leads where Last_Name in (select Deal_Name from Deals where id is not null)')).toMatchObject({
      scope: 'records:read:Deals',
    });
    expect(await check('coql records:read', 'select id from Users where id is not null')).toMatchObject({ scope: 'users:read' });
    asked.length = 0;
    expect(await check('coql records:read users:read', "select Owner.email, Account_Name.Parent_Account.Account_Name from Contacts where Owner.role.name = 'x'")).toBeUndefined();
    expect(asked).toEqual([]);
  });

  describe('a custom view id in FROM (v7+, Kaizen #183)', () => {
    const q = 'select Last_Name, Owner.email from 4150868000000095002 where Last_Name is not null';

    it('is read as a custom view, not refused as unreadable', () => {
      expect(coqlReads(q)).toEqual([
        { module: '4150868000000095002', customView: '4150868000000095002', paths: [[{ field: 'Last_Name' }], [{ field: 'Owner' }, { field: 'email' }], [{ field: 'Last_Name' }]] },
      ]);
    });

    it('needs records:read and users:read unnarrowed, and asks no metadata', async () => {
      asked.length = 0;
      const selects = coqlReads(q);
      for (const scopes of ['records:read:Leads users:read', 'records:read']) {
        let err: unknown;
        try {
          requireCoqlModuleScopes(caller(scopes), selects);
        } catch (e) {
          err = e;
        }
        expect(isGatewayError(err, 'FORBIDDEN') && err.details.reason).toBe('coql-custom-view');
        await expect(requireCoqlPathScopes(caller(scopes), selects, fields)).rejects.toMatchObject({ extensions: { reason: 'coql-custom-view' } });
      }
      requireCoqlModuleScopes(caller('records:read users:read'), selects);
      await requireCoqlPathScopes(caller('records:read users:read'), selects, fields);
      expect(asked).toEqual([]);
    });
  });
});
