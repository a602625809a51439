import { LEAD_CUSTOM_FIELDS, REGIONS, visitOutcomes, weightedAmount } from './metadata.js';

/**
 * Deterministic seed data for one emulated data centre: the same options always give the same
 * org, users and records, so tests can assert exact figures. Ids are 19-digit strings like Zoho's,
 * and every id carries the data centre's own prefix, so a test can tell which DC served a call.
 */

export interface SeedOptions {
  /** Data centre key (us, eu, …); part of every id. */
  dc: string;
  /** Extra seed for the PRNG (default 1). */
  seed?: number;
  users?: number;
  accounts?: number;
  contacts?: number;
  leads?: number;
  deals?: number;
  /** Records of the custom module Field_Visits (default 40). */
  fieldVisits?: number;
  /** Company name of the org (default derived from the DC). */
  companyName?: string;
}

export type ZRecord = Record<string, unknown> & { id: string };

export interface ZUser {
  id: string;
  /** The user's ZUID in Zoho Accounts (what `/oauth/user/info` returns as `ZUID`). */
  zuid: string;
  first_name: string;
  last_name: string;
  full_name: string;
  email: string;
  status: 'active' | 'disabled' | 'deleted';
  confirm: boolean;
  role: { name: string; id: string };
  profile: { name: string; id: string };
  time_zone: string;
  locale: string;
  created_time: string;
  Modified_Time: string;
}

export interface ZOrg {
  id: string;
  company_name: string;
  primary_email: string;
  time_zone: string;
  currency: string;
  currency_symbol: string;
  iso_code: string;
  country: string;
  country_code: string;
  domain_name: string;
  zgid: string;
  primary_zuid: string;
  phone: string;
  type: string;
  mc_status: boolean;
  gapps_enabled: boolean;
  privacy_settings: boolean;
  license_details: { paid: boolean; paid_type: string; users_license_purchased: number; trial_type: string | null };
}

export interface Seed {
  org: ZOrg;
  users: ZUser[];
  records: Map<string, Map<string, ZRecord>>;
}

/** mulberry32: a tiny, well-known deterministic PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DC_PREFIX: Record<string, string> = { us: '41', eu: '52', in: '63', au: '74', jp: '85', cn: '96', ca: '37', sa: '28', uk: '19' };

function dcPrefix(dc: string): string {
  const known = DC_PREFIX[dc];
  if (known) return known;
  let h = 0;
  for (const c of dc) h = (h * 31 + c.charCodeAt(0)) % 90;
  return String(h + 10);
}

const FIRST = [
  'Ada',
  'Ben',
  'Chloe',
  'Dev',
  'Elif',
  'Farah',
  'Goran',
  'Hana',
  'Ivan',
  'Jun',
  'Kofi',
  'Lena',
  'Mateo',
  'Nia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Uma',
  'Viktor',
  'Wen',
  'Yara',
  'Zane',
];
const LAST = [
  'Adams',
  'Burns',
  'Chen',
  'Diaz',
  'Evans',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jansen',
  'Kumar',
  'Lopez',
  'Muller',
  'Novak',
  'Okafor',
  'Petrov',
  'Quispe',
  'Rossi',
  'Silva',
  'Tanaka',
  'Usman',
  'Varga',
  'Weber',
  'Xu',
  'Young',
];
const CITIES = ['Austin', 'Berlin', 'Chennai', 'Dublin', 'Lisbon', 'Melbourne', 'Osaka', 'Paris', 'Seattle', 'Toronto'];
const WORDS = ['Acme', 'Blue', 'Cobalt', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper', 'Kite', 'Lumen', 'Maple', 'Nova', 'Orbit', 'Pine'];
const SUFFIX = ['Corp', 'Labs', 'Systems', 'Group', 'Industries', 'Partners'];

export function seed(options: SeedOptions): Seed {
  const dc = options.dc;
  const rnd = prng((options.seed ?? 1) * 7919 + dc.length * 104729 + dc.charCodeAt(0));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const prefix = dcPrefix(dc);
  const orgNum = `${prefix}50868`;
  let counter = 0;
  const nextId = () => `${orgNum}000000${String(++counter).padStart(6, '0')}`.padEnd(19, '0').slice(0, 19);
  const zuid = (i: number) => `${prefix}${String(8000000 + i).padStart(8, '0')}`;

  // A fixed base time keeps records stable; each record moves forward from it.
  const base = Date.UTC(2025, 0, 6, 9, 0, 0);
  const time = (minutes: number) => toZohoDateTime(base + minutes * 60_000);

  const domain = `${(options.companyName ?? `Zylker ${dc.toUpperCase()}`).toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
  const userCount = Math.max(1, options.users ?? 5);
  const users: ZUser[] = [];
  for (let i = 0; i < userCount; i++) {
    const first = FIRST[(i * 7 + prefix.charCodeAt(1)) % FIRST.length]!;
    const last = LAST[(i * 11 + prefix.charCodeAt(0)) % LAST.length]!;
    const admin = i === 0;
    users.push({
      id: nextId(),
      zuid: zuid(i + 1),
      first_name: first,
      last_name: last,
      full_name: `${first} ${last}`,
      email: `${first}.${last}@${domain}`.toLowerCase(),
      status: i === userCount - 1 && userCount > 2 ? 'disabled' : 'active',
      confirm: true,
      role: admin ? { name: 'CEO', id: `${orgNum}000000026005` } : { name: 'Manager', id: `${orgNum}000000026008` },
      profile: admin ? { name: 'Administrator', id: `${orgNum}000000026011` } : { name: 'Standard', id: `${orgNum}000000026014` },
      time_zone: dc === 'eu' ? 'Europe/Berlin' : 'America/Los_Angeles',
      locale: 'en_US',
      created_time: time(-10_000 + i),
      Modified_Time: time(-10_000 + i),
    });
  }
  const activeUsers = users.filter((u) => u.status === 'active');
  const ownerRef = (u: ZUser) => ({ name: u.full_name, id: u.id, email: u.email });
  const userRefOf = (u: ZUser) => ({ name: u.full_name, id: u.id });

  const org: ZOrg = {
    id: orgNum,
    company_name: options.companyName ?? `Zylker ${dc.toUpperCase()}`,
    primary_email: users[0]!.email,
    time_zone: users[0]!.time_zone,
    currency: dc === 'eu' ? 'Euro - EUR' : 'US Dollar - USD',
    currency_symbol: dc === 'eu' ? '€' : '$',
    iso_code: dc === 'eu' ? 'EUR' : 'USD',
    country: dc === 'eu' ? 'Germany' : 'United States',
    country_code: dc === 'eu' ? 'DE' : 'US',
    domain_name: `org${orgNum}`,
    zgid: `${prefix}${String(9000000 + 1).padStart(8, '0')}`,
    primary_zuid: users[0]!.zuid,
    phone: '+1 555 0100',
    type: 'production',
    mc_status: false,
    gapps_enabled: false,
    privacy_settings: false,
    license_details: { paid: true, paid_type: 'enterprise', users_license_purchased: userCount, trial_type: null },
  };

  const records = new Map<string, Map<string, ZRecord>>();
  let minute = 0;
  const stamp = (owner: ZUser): Record<string, unknown> => {
    minute += 7;
    return {
      Owner: ownerRef(owner),
      Created_By: ownerRef(users[0]!),
      Modified_By: ownerRef(owner),
      Created_Time: time(minute),
      Modified_Time: time(minute + 3),
    };
  };

  const accounts = new Map<string, ZRecord>();
  for (let i = 0; i < (options.accounts ?? 120); i++) {
    const name = `${pick(WORDS)} ${pick(WORDS)} ${pick(SUFFIX)} ${i + 1}`;
    const id = nextId();
    accounts.set(id, {
      id,
      Account_Name: name,
      Phone: `+1 555 ${String(1000 + i).slice(-4)}`,
      Website: `https://${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
      Industry: pick(['ASP', 'ERP', 'Large Enterprise', 'Service Provider']),
      Annual_Revenue: Math.round(rnd() * 5_000_000),
      Employees: Math.floor(rnd() * 2000) + 1,
      Billing_City: pick(CITIES),
      Billing_Country: pick(['US', 'DE', 'IN', 'JP', 'AU']),
      Parent_Account: null,
      ...stamp(pick(activeUsers)),
    });
  }
  records.set('Accounts', accounts);
  const accountList = [...accounts.values()];

  const contacts = new Map<string, ZRecord>();
  for (let i = 0; i < (options.contacts ?? 300); i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const account = accountList.length ? pick(accountList) : undefined;
    const id = nextId();
    contacts.set(id, {
      id,
      First_Name: first,
      Last_Name: last,
      Full_Name: `${first} ${last}`,
      Email: `${first}.${last}.${i + 1}@mail.example`.toLowerCase(),
      Phone: `+1 555 ${String(2000 + i).slice(-4)}`,
      Mobile: null,
      Title: pick(['CEO', 'CTO', 'VP Sales', 'Buyer', 'Engineer']),
      Mailing_City: pick(CITIES),
      Date_of_Birth: null,
      Account_Name: account ? { name: account.Account_Name, id: account.id } : null,
      Lead_Source: pick(['Cold Call', 'Partner', 'Trade Show', 'Web Download']),
      ...stamp(pick(activeUsers)),
    });
  }
  records.set('Contacts', contacts);
  const contactList = [...contacts.values()];

  const leads = new Map<string, ZRecord>();
  for (let i = 0; i < (options.leads ?? 200); i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const id = nextId();
    const custom: Record<string, string | null> = {};
    for (let c = 1; c <= LEAD_CUSTOM_FIELDS; c++) custom[`Custom_Text_${String(c).padStart(2, '0')}`] = `L${i + 1}-C${c}`;
    leads.set(id, {
      id,
      First_Name: first,
      Last_Name: last,
      Full_Name: `${first} ${last}`,
      Email: `${first}.${last}.lead${i + 1}@mail.example`.toLowerCase(),
      Phone: `+1 555 ${String(3000 + i).slice(-4)}`,
      Company: `${pick(WORDS)} ${pick(SUFFIX)}`,
      City: pick(CITIES),
      Lead_Status: pick(['Attempted to Contact', 'Contacted', 'Not Contacted', 'Pre-Qualified']),
      Lead_Source: pick(['Advertisement', 'Cold Call', 'Trade Show', 'Web Download']),
      Industry: pick(['ASP', 'ERP', 'Service Provider']),
      Annual_Revenue: Math.round(rnd() * 1_000_000),
      No_of_Employees: Math.floor(rnd() * 500) + 1,
      Email_Opt_Out: rnd() < 0.1,
      Description: null,
      ...custom,
      ...stamp(pick(activeUsers)),
    });
  }
  records.set('Leads', leads);

  // Custom fields draw from their own PRNG, so adding them left every standard value (and every
  // test figure built on them) as it was.
  const rndCustom = prng((options.seed ?? 1) * 15485863 + dc.charCodeAt(0));
  const deals = new Map<string, ZRecord>();
  const stagesList = ['Qualification', 'Needs Analysis', 'Value Proposition', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];
  for (let i = 0; i < (options.deals ?? 500); i++) {
    const account = accountList.length ? accountList[i % accountList.length]! : undefined;
    const contact = contactList.length ? pick(contactList) : undefined;
    const id = nextId();
    const stage = pick(stagesList);
    deals.set(id, {
      id,
      Deal_Name: `${account ? String(account.Account_Name) : 'Deal'} — ${pick(['Renewal', 'Expansion', 'Pilot', 'New Logo'])} ${i + 1}`,
      Amount: Math.round(rnd() * 200_000) / 1 + 500,
      Stage: stage,
      Probability: stage === 'Closed Won' ? 100 : stage === 'Closed Lost' ? 0 : Math.floor(rnd() * 90) + 10,
      Closing_Date: toZohoDate(base + (30 + i) * 86_400_000),
      Type: pick(['Existing Business', 'New Business']),
      Account_Name: account ? { name: account.Account_Name, id: account.id } : null,
      Contact_Name: contact ? { name: contact.Full_Name, id: contact.id } : null,
      Lead_Source: pick(['Cold Call', 'Partner', 'Trade Show']),
      Description: null,
      ...stamp(pick(activeUsers)),
      ...dealCustomValues(i, rndCustom, base),
    });
  }
  records.set('Deals', deals);

  // Subform rows get ids after every deal has its own, so deal ids stay what they were.
  // Row shape from the v8 Get Subform Data sample (row fields, `Parent_Id` {name, id}, `id`):
  // https://www.zoho.com/crm/developer/docs/api/v8/get-subforms.html.
  const products = ['Seats', 'Onboarding', 'Support plan', 'API add-on', 'Training day'];
  let d = 0;
  for (const deal of deals.values()) {
    deal.Weighted_Amount = weightedAmount(deal);
    const rows = d++ % 4 === 0 ? 1 + Math.floor(rndCustom() * 3) : 0;
    deal.Line_Items = Array.from({ length: rows }, (_, r) => ({
      Product_Name: products[(d + r) % products.length],
      Quantity: 1 + Math.floor(rndCustom() * 20),
      Unit_Price: Math.round(rndCustom() * 500) + 50,
      Parent_Id: { name: deal.Deal_Name, id: deal.id },
      id: nextId(),
    }));
  }

  const visits = new Map<string, ZRecord>();
  for (let i = 0; i < (options.fieldVisits ?? 40); i++) {
    const account = accountList.length ? accountList[(i * 3) % accountList.length]! : undefined;
    const id = nextId();
    visits.set(id, {
      id,
      Name: `Visit ${i + 1}${account ? ` — ${String(account.Account_Name)}` : ''}`,
      Account: account ? { name: account.Account_Name, id: account.id } : null,
      Visit_Date: time(60 * 24 * (i + 1)),
      Outcome: visitOutcomes[i % visitOutcomes.length],
      Duration_Hours: Math.round(rndCustom() * 60) / 10 + 0.5,
      Follow_Up: i % 3 === 0,
      Visited_By: userRefOf(activeUsers[(i + 1) % activeUsers.length]!),
      Notes: null,
      ...stamp(activeUsers[i % activeUsers.length]!),
    });
  }
  records.set('Field_Visits', visits);

  return { org, users, records };
}

/**
 * Values of Deals' custom fields. A multi-select picklist is a JSON array of its values
 * (the Insert Subform Data sample writes list values the same way,
 * https://www.zoho.com/crm/developer/docs/api/v8/insert-subforms.html). UNVERIFIED: an empty
 * multi-select reads as `[]` (not null); autonumber text `DL-0001`.
 */
function dealCustomValues(i: number, rnd: () => number, base: number): Record<string, unknown> {
  const regions = i % 10 === 9 ? [] : REGIONS.filter((_, k) => k === i % REGIONS.length || rnd() < 0.25);
  return {
    Budget_USD: Math.round(rnd() * 100_000) + 1_000,
    Go_Live_Date: i % 5 === 4 ? null : toZohoDate(base + (60 + i) * 86_400_000),
    Is_Strategic: i % 6 === 0,
    Regions: regions,
    Win_Chance: Math.round(rnd() * 1000) / 10,
    Deal_Code: `DL-${String(i + 1).padStart(4, '0')}`,
    Lead_Score: Math.floor(rnd() * 100),
    LeadScore: 1000 + i,
    Line_Items: [],
    // No PRNG draws here, so the values above stay what they were before these fields existed.
    Internal_Margin: 500 + ((i * 137) % 5000),
    Approved_Discount: (i % 5) * 2.5,
  };
}

/** Zoho's datetime format: `2025-01-06T09:00:00+00:00` (ISO 8601 with a numeric offset, no millis). */
export function toZohoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** Zoho's date format: `2025-01-06`. */
export function toZohoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
