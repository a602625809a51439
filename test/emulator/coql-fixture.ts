import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import type { ZRecord, ZUser } from '../../src/emulator/seed.js';

/**
 * A small, hand-made data set for COQL tests, loaded into an emulator seeded with users only, so
 * every expected row can be written out by hand. Names echo Zoho's documentation samples (Boyle,
 * Zylker, King, Kitzman, Frey, Merced, Tjepkema).
 */
export const ID = {
  zylker: '5000000000000000101',
  king: '5000000000000000102',
  obrien: '5000000000000000103',
  patricia: '5000000000000000201',
  steve: '5000000000000000202',
  kris: '5000000000000000203',
  smith: '5000000000000000301',
  kitzman: '5000000000000000302',
  frey: '5000000000000000303',
  merced: '5000000000000000304',
  tjepkema: '5000000000000000305',
  deal1: '5000000000000000401',
} as const;

function stamp(owner: ZUser, created: string): Record<string, unknown> {
  const ref = { name: owner.full_name, id: owner.id, email: owner.email };
  return { Owner: ref, Created_By: ref, Modified_By: ref, Created_Time: created, Modified_Time: created };
}

export function loadFixture(emu: ZohoEmulator): { u0: ZUser; u1: ZUser } {
  const [u0, u1] = emu.ctx.data.users as [ZUser, ZUser];
  const put = (module: string, r: ZRecord) => emu.ctx.records(module).set(r.id, r);

  put('Accounts', {
    id: ID.zylker,
    Account_Name: 'Zylker',
    Industry: 'ERP',
    Annual_Revenue: 1000,
    Employees: 10,
    Parent_Account: { name: 'King', id: ID.king },
    ...stamp(u0, '2024-05-01T10:00:00+00:00'),
  });
  put('Accounts', { id: ID.king, Account_Name: 'King', Industry: 'ASP', Annual_Revenue: 5000, Employees: 20, Parent_Account: null, ...stamp(u1, '2024-05-02T10:00:00+00:00') });
  put('Accounts', {
    id: ID.obrien,
    Account_Name: "O'Brien Ltd",
    Industry: 'ERP',
    Annual_Revenue: null,
    Employees: 5,
    Parent_Account: { name: 'Zylker', id: ID.zylker },
    ...stamp(u0, '2024-05-03T10:00:00+00:00'),
  });

  put('Contacts', {
    id: ID.patricia,
    First_Name: 'Patricia',
    Last_Name: 'Boyle',
    Full_Name: 'Patricia Boyle',
    Email: 'patricia@zylker.example',
    Title: 'CEO',
    Date_of_Birth: '1990-05-01',
    Lead_Source: 'Advertisement',
    Account_Name: { name: 'Zylker', id: ID.zylker },
    ...stamp(u0, '2024-05-28T04:25:36-07:00'),
  });
  put('Contacts', {
    id: ID.steve,
    First_Name: 'Steve',
    Last_Name: 'Boyle',
    Full_Name: 'Steve Boyle',
    Email: 'steve@obrien.example',
    Title: 'CTO',
    Date_of_Birth: null,
    Lead_Source: 'Trade Show',
    Account_Name: { name: "O'Brien Ltd", id: ID.obrien },
    ...stamp(u1, '2024-06-05T02:04:09-07:00'),
  });
  put('Contacts', {
    id: ID.kris,
    First_Name: 'Kris',
    Last_Name: 'Tech',
    Full_Name: 'Kris Tech',
    Email: null,
    Title: 'Buyer',
    Date_of_Birth: '1985-12-31',
    Lead_Source: 'Partner',
    Account_Name: null,
    ...stamp(u0, '2025-07-01T00:00:00+00:00'),
  });

  const lead = (id: string, last: string, company: string, revenue: number, source: string | null, optOut: boolean, employees: number | null) => ({
    id,
    First_Name: null,
    Last_Name: last,
    Full_Name: last,
    Company: company,
    Annual_Revenue: revenue,
    Lead_Source: source,
    Email_Opt_Out: optOut,
    No_of_Employees: employees,
    Description: 'multi-line text',
    ...stamp(u0, '2025-01-06T09:00:00+00:00'),
  });
  put('Leads', { ...lead(ID.smith, 'Smith', 'abc', 100000, 'Advertisement', true, 10), First_Name: 'John' });
  put('Leads', lead(ID.kitzman, 'Kitzman', 'Creative Business Inc', 100000, 'Cold Call', false, 25));
  put('Leads', lead(ID.frey, 'Frey', 'Dal Tile Corporation', 200000, 'Advertisement', false, 50));
  put('Leads', lead(ID.merced, 'Merced', 'Kwik Kopy Printing', 700000, null, false, 200));
  put('Leads', lead(ID.tjepkema, 'Tjepkema', "1' 2", 0, 'Trade Show', false, null));

  put('Deals', {
    id: ID.deal1,
    Deal_Name: 'Zylker renewal',
    Amount: 5000,
    Stage: 'Qualification',
    Closing_Date: '2025-03-01',
    Account_Name: { name: 'Zylker', id: ID.zylker },
    Contact_Name: { name: 'Steve Boyle', id: ID.steve },
    ...stamp(u1, '2025-01-10T09:00:00+00:00'),
  });
  return { u0, u1 };
}

/** Emulator options with no seeded records (users only). */
export const EMPTY_SEED = { seed: { accounts: 0, contacts: 0, leads: 0, deals: 0 } };
