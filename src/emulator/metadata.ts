/**
 * Module and field metadata of the emulated CRM org, in the shapes of
 * `GET /crm/v8/settings/modules` (https://www.zoho.com/crm/developer/docs/api/v8/modules-api.html)
 * and `GET /crm/v8/settings/fields?module=` (https://www.zoho.com/crm/developer/docs/api/v8/field-meta.html).
 * Only the attributes a client relies on are modelled; data types use Zoho's names
 * (text, email, phone, picklist, multiselectpicklist, lookup, ownerlookup, currency, integer,
 * double, decimal, percent, boolean, date, datetime, textarea, website, bigint, autonumber, formula,
 * userlookup, subform).
 *
 * Besides the standard modules the org has what a real, customised org has: custom fields of
 * several types on Deals (one pair of which, `Lead_Score`/`LeadScore`, differs only by the
 * underscore), a subform (`Line_Items`, on Deals) and a custom module (`Field_Visits`).
 * Subforms: "The Field API names of the individual fields in a subform can be acquired using Fields
 * Metadata API, with the request URL as fields?module={Sub_form_api_name}"
 * (https://www.zoho.com/crm/developer/docs/api/v2/subforms.html); "Each subform field can have a
 * maximum of 100 subform records in a single record" (https://www.zoho.com/crm/developer/docs/api/v8/subforms.html).
 */

export type DataType =
  | 'text'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'website'
  | 'picklist'
  | 'multiselectpicklist'
  | 'lookup'
  | 'ownerlookup'
  | 'currency'
  | 'integer'
  | 'bigint'
  | 'double'
  | 'decimal'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'autonumber'
  | 'formula'
  | 'userlookup'
  | 'subform';

export interface FieldDef {
  api_name: string;
  field_label: string;
  data_type: DataType;
  /** For lookups: the module the field points to. */
  lookupModule?: string;
  mandatory?: boolean;
  readOnly?: boolean;
  length?: number;
  picklist?: string[];
  /** A custom (org-defined) field rather than a standard one. */
  custom?: boolean;
  /** Zoho's "Do not allow duplicate values": writes answer DUPLICATE_DATA on a clash. */
  unique?: boolean;
  /** For subforms: the api name of the subform module whose fields make up one row. */
  subformModule?: string;
  /**
   * For formula fields: the type of the result, Zoho's expression text, and how the emulator
   * computes it from the record (Zoho recomputes on every save).
   */
  formula?: { return_type: 'currency' | 'double' | 'text'; expression: string; compute: (rec: Record<string, unknown>) => unknown };
  /**
   * Field-level security by profile name; a profile not named here has `read_write`. Zoho's three
   * permission types: "read_write: The user has read and write permissions for the field,
   * read_only: The user has only read permission for the field, hidden: The field is not visible
   * to the user" (Create Custom Fields, `profiles`,
   * https://www.zoho.com/crm/developer/docs/api/v7/create-custom-field.html). GET /settings/fields
   * shows them as `profiles: [{permission_type, name, id}]` on every field (crm-oas v8.0
   * fields/operations/getFields: FieldSchema.profiles, required).
   */
  permissions?: Record<string, Exclude<FieldPermission, 'read_write'>>;
}

export type FieldPermission = 'read_write' | 'read_only' | 'hidden';

export interface ModuleDef {
  api_name: string;
  module_name: string;
  singular_label: string;
  plural_label: string;
  /**
   * Zoho's `generated_type` in /settings/modules: `default` for standard modules, `custom` for
   * modules the org created (https://www.zoho.com/crm/developer/docs/api/v8/modules-api.html),
   * `subform` for a subform's own module (UNVERIFIED: value taken from SDK enums, not a v8 sample).
   */
  generated_type?: 'default' | 'custom' | 'subform';
  fields: FieldDef[];
}

const system: FieldDef[] = [
  { api_name: 'Owner', field_label: 'Owner', data_type: 'ownerlookup', lookupModule: 'users' },
  { api_name: 'Created_By', field_label: 'Created By', data_type: 'ownerlookup', readOnly: true },
  { api_name: 'Modified_By', field_label: 'Modified By', data_type: 'ownerlookup', readOnly: true },
  { api_name: 'Created_Time', field_label: 'Created Time', data_type: 'datetime', readOnly: true },
  { api_name: 'Modified_Time', field_label: 'Modified Time', data_type: 'datetime', readOnly: true },
];

const leadStatus = ['Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead', 'Not Contacted', 'Pre-Qualified'];
const leadSource = ['Advertisement', 'Cold Call', 'Employee Referral', 'External Referral', 'Partner', 'Trade Show', 'Web Download'];
const industries = ['ASP', 'Data/Telecom OEM', 'ERP', 'Government/Military', 'Large Enterprise', 'Management ISV', 'Non-management ISV', 'Service Provider'];
const stages = ['Qualification', 'Needs Analysis', 'Value Proposition', 'Id. Decision Makers', 'Proposal/Price Quote', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];

/** How many custom text fields Leads carries: more than 50, so a client must fetch in groups. */
export const LEAD_CUSTOM_FIELDS = 60;

function customLeadFields(): FieldDef[] {
  const out: FieldDef[] = [];
  for (let i = 1; i <= LEAD_CUSTOM_FIELDS; i++) {
    const n = String(i).padStart(2, '0');
    out.push({ api_name: `Custom_Text_${n}`, field_label: `Custom Text ${n}`, data_type: 'text', length: 255, custom: true });
  }
  return out;
}

export const REGIONS = ['AMER', 'APAC', 'EMEA', 'LATAM'];
export const visitOutcomes = ['Demo given', 'Follow-up needed', 'Closed on site', 'No show'];

/**
 * Deals' custom fields: one of each type the typed schema must map, and a collision pair —
 * `Lead_Score` and `LeadScore` both camelCase to `leadScore` (Zoho allows both api names: letters,
 * digits and single underscores, https://www.zoho.com/crm/help/api-names.html).
 */
function customDealFields(): FieldDef[] {
  return [
    { api_name: 'Budget_USD', field_label: 'Budget (USD)', data_type: 'currency', custom: true },
    { api_name: 'Go_Live_Date', field_label: 'Go-Live Date', data_type: 'date', custom: true },
    { api_name: 'Is_Strategic', field_label: 'Strategic', data_type: 'boolean', custom: true },
    { api_name: 'Regions', field_label: 'Regions', data_type: 'multiselectpicklist', picklist: REGIONS, custom: true },
    { api_name: 'Win_Chance', field_label: 'Win Chance', data_type: 'percent', custom: true },
    { api_name: 'Deal_Code', field_label: 'Deal Code', data_type: 'autonumber', readOnly: true, custom: true },
    { api_name: 'Lead_Score', field_label: 'Lead Score', data_type: 'integer', custom: true },
    { api_name: 'LeadScore', field_label: 'LeadScore', data_type: 'integer', custom: true },
    { api_name: 'Line_Items', field_label: 'Line Items', data_type: 'subform', subformModule: 'Line_Items', custom: true },
    // A read-only formula (currency result). `formula: {expression, return_type}` in the fields
    // metadata: UNVERIFIED against a v8 sample (key names as clients of /settings/fields read them).
    {
      api_name: 'Weighted_Amount',
      field_label: 'Weighted Amount',
      data_type: 'formula',
      readOnly: true,
      custom: true,
      formula: { return_type: 'currency', expression: '${Deals.Amount}*${Deals.Probability (%)}/100', compute: weightedAmount },
    },
    // Field-level security for the default (Administrator) user of the demo org: one field it
    // cannot see, one it can read but not write; the Standard profile has both read_write.
    // UNVERIFIED: whether Zoho lets an admin restrict the Administrator profile's field access
    // (our demo user is the org's admin, so this is where a test can see the effect).
    { api_name: 'Internal_Margin', field_label: 'Internal Margin', data_type: 'currency', custom: true, permissions: { Administrator: 'hidden' } },
    { api_name: 'Approved_Discount', field_label: 'Approved Discount', data_type: 'percent', custom: true, permissions: { Administrator: 'read_only' } },
  ];
}

/** The demo org's Deals fields restricted for the Administrator profile (see customDealFields). */
export const DEMO_HIDDEN_FIELD = 'Internal_Margin';
export const DEMO_READ_ONLY_FIELD = 'Approved_Discount';

/** Weighted_Amount's value: Amount × Probability / 100, null when either is empty. */
export function weightedAmount(rec: Record<string, unknown>): number | null {
  const a = rec.Amount;
  const p = rec.Probability;
  return typeof a === 'number' && typeof p === 'number' ? Math.round(a * p) / 100 : null;
}

export const MODULES: ModuleDef[] = [
  {
    api_name: 'Leads',
    module_name: 'Leads',
    singular_label: 'Lead',
    plural_label: 'Leads',
    fields: [
      { api_name: 'First_Name', field_label: 'First Name', data_type: 'text', length: 40 },
      { api_name: 'Last_Name', field_label: 'Last Name', data_type: 'text', mandatory: true, length: 80 },
      { api_name: 'Full_Name', field_label: 'Lead Name', data_type: 'text', readOnly: true },
      { api_name: 'Email', field_label: 'Email', data_type: 'email', length: 100 },
      { api_name: 'Phone', field_label: 'Phone', data_type: 'phone', length: 30 },
      { api_name: 'Company', field_label: 'Company', data_type: 'text', length: 200 },
      { api_name: 'City', field_label: 'City', data_type: 'text', length: 100 },
      { api_name: 'Lead_Status', field_label: 'Lead Status', data_type: 'picklist', picklist: leadStatus },
      { api_name: 'Lead_Source', field_label: 'Lead Source', data_type: 'picklist', picklist: leadSource },
      { api_name: 'Industry', field_label: 'Industry', data_type: 'picklist', picklist: industries },
      { api_name: 'Annual_Revenue', field_label: 'Annual Revenue', data_type: 'currency' },
      { api_name: 'No_of_Employees', field_label: 'No. of Employees', data_type: 'integer' },
      { api_name: 'Email_Opt_Out', field_label: 'Email Opt Out', data_type: 'boolean' },
      { api_name: 'Description', field_label: 'Description', data_type: 'textarea', length: 32000 },
      ...system,
      ...customLeadFields(),
    ],
  },
  {
    api_name: 'Accounts',
    module_name: 'Accounts',
    singular_label: 'Account',
    plural_label: 'Accounts',
    fields: [
      { api_name: 'Account_Name', field_label: 'Account Name', data_type: 'text', mandatory: true, length: 200 },
      { api_name: 'Phone', field_label: 'Phone', data_type: 'phone', length: 30 },
      { api_name: 'Website', field_label: 'Website', data_type: 'website', length: 255 },
      { api_name: 'Industry', field_label: 'Industry', data_type: 'picklist', picklist: industries },
      { api_name: 'Annual_Revenue', field_label: 'Annual Revenue', data_type: 'currency' },
      { api_name: 'Employees', field_label: 'Employees', data_type: 'integer' },
      { api_name: 'Billing_City', field_label: 'Billing City', data_type: 'text', length: 30 },
      { api_name: 'Billing_Country', field_label: 'Billing Country', data_type: 'text', length: 30 },
      { api_name: 'Parent_Account', field_label: 'Parent Account', data_type: 'lookup', lookupModule: 'Accounts' },
      ...system,
    ],
  },
  {
    api_name: 'Contacts',
    module_name: 'Contacts',
    singular_label: 'Contact',
    plural_label: 'Contacts',
    fields: [
      { api_name: 'First_Name', field_label: 'First Name', data_type: 'text', length: 40 },
      { api_name: 'Last_Name', field_label: 'Last Name', data_type: 'text', mandatory: true, length: 80 },
      { api_name: 'Full_Name', field_label: 'Contact Name', data_type: 'text', readOnly: true },
      { api_name: 'Email', field_label: 'Email', data_type: 'email', length: 100 },
      { api_name: 'Phone', field_label: 'Phone', data_type: 'phone', length: 30 },
      { api_name: 'Mobile', field_label: 'Mobile', data_type: 'phone', length: 30 },
      { api_name: 'Title', field_label: 'Title', data_type: 'text', length: 100 },
      { api_name: 'Mailing_City', field_label: 'Mailing City', data_type: 'text', length: 30 },
      { api_name: 'Date_of_Birth', field_label: 'Date of Birth', data_type: 'date' },
      { api_name: 'Account_Name', field_label: 'Account Name', data_type: 'lookup', lookupModule: 'Accounts' },
      { api_name: 'Lead_Source', field_label: 'Lead Source', data_type: 'picklist', picklist: leadSource },
      // A user-defined unique field ("Do not allow duplicate values"): upsert checks it after the
      // system duplicate check field Email (record-writes.ts upsertCheckFields).
      { api_name: 'Customer_Number', field_label: 'Customer Number', data_type: 'text', length: 20, custom: true, unique: true },
      ...system,
    ],
  },
  {
    api_name: 'Deals',
    module_name: 'Potentials',
    singular_label: 'Deal',
    plural_label: 'Deals',
    fields: [
      { api_name: 'Deal_Name', field_label: 'Deal Name', data_type: 'text', mandatory: true, length: 120 },
      { api_name: 'Amount', field_label: 'Amount', data_type: 'currency' },
      { api_name: 'Stage', field_label: 'Stage', data_type: 'picklist', mandatory: true, picklist: stages },
      { api_name: 'Probability', field_label: 'Probability (%)', data_type: 'integer' },
      { api_name: 'Closing_Date', field_label: 'Closing Date', data_type: 'date' },
      { api_name: 'Type', field_label: 'Type', data_type: 'picklist', picklist: ['None', 'Existing Business', 'New Business'] },
      { api_name: 'Account_Name', field_label: 'Account Name', data_type: 'lookup', lookupModule: 'Accounts' },
      { api_name: 'Contact_Name', field_label: 'Contact Name', data_type: 'lookup', lookupModule: 'Contacts' },
      { api_name: 'Lead_Source', field_label: 'Lead Source', data_type: 'picklist', picklist: leadSource },
      { api_name: 'Description', field_label: 'Description', data_type: 'textarea', length: 32000 },
      ...system,
      ...customDealFields(),
    ],
  },
  {
    // A custom module as the org's admin would create it: api name from the plural label, an
    // internal `CustomModuleN` module_name (as Zoho's getModules lists `CustomModule1`,
    // https://www.zoho.com/nl/crm/help/api/getmodules.html) and the record name field `Name`
    // labelled "<singular> Name" (UNVERIFIED: label text; `Name` is the primary field of every
    // custom module in the API-names page, https://www.zoho.com/crm/help/api-names.html).
    api_name: 'Field_Visits',
    module_name: 'CustomModule1',
    singular_label: 'Field Visit',
    plural_label: 'Field Visits',
    generated_type: 'custom',
    fields: [
      { api_name: 'Name', field_label: 'Field Visit Name', data_type: 'text', mandatory: true, length: 120 },
      { api_name: 'Account', field_label: 'Account', data_type: 'lookup', lookupModule: 'Accounts', custom: true },
      // A user lookup besides the Owner: `{name, id}` of a CRM user. UNVERIFIED: value shape (as
      // Created_By's); Zoho's data_type name `userlookup` is in the fields metadata type list.
      { api_name: 'Visited_By', field_label: 'Visited By', data_type: 'userlookup', lookupModule: 'users', custom: true },
      { api_name: 'Visit_Date', field_label: 'Visit Date', data_type: 'datetime', custom: true },
      { api_name: 'Outcome', field_label: 'Outcome', data_type: 'picklist', picklist: visitOutcomes, custom: true },
      { api_name: 'Duration_Hours', field_label: 'Duration (h)', data_type: 'decimal', custom: true },
      { api_name: 'Follow_Up', field_label: 'Follow Up', data_type: 'boolean', custom: true },
      { api_name: 'Notes', field_label: 'Notes', data_type: 'textarea', length: 32000, custom: true },
      ...system,
    ],
  },
];

/**
 * Subform modules: their fields are served by /settings/fields?module=, rows live inside the parent
 * record. UNVERIFIED: whether /settings/modules lists them; we leave them out, so a client never
 * takes a subform for a module of its own (the gateway would then try to list its records).
 */
export const SUBFORMS: ModuleDef[] = [
  {
    api_name: 'Line_Items',
    module_name: 'Line_Items',
    singular_label: 'Line Item',
    plural_label: 'Line Items',
    generated_type: 'subform',
    fields: [
      { api_name: 'Product_Name', field_label: 'Product Name', data_type: 'text', mandatory: true, length: 120, custom: true },
      { api_name: 'Quantity', field_label: 'Quantity', data_type: 'integer', custom: true },
      { api_name: 'Unit_Price', field_label: 'Unit Price', data_type: 'currency', custom: true },
      // Every subform row points back to its record ("Parent_Id" in the v8 Get Subform Data sample,
      // https://www.zoho.com/crm/developer/docs/api/v8/get-subforms.html). UNVERIFIED: its metadata.
      { api_name: 'Parent_Id', field_label: 'Parent Id', data_type: 'lookup', lookupModule: 'Deals', readOnly: true },
    ],
  },
];

/**
 * The template org: MODULES and SUBFORMS are what every new emulator instance starts from. An
 * instance works on its own deep copy (org-metadata.ts), so a test may change one data centre's
 * shape without touching another; these two finders read the template only.
 */
export function findSubform(apiName: string): ModuleDef | undefined {
  return SUBFORMS.find((m) => m.api_name === apiName);
}

export function findModule(apiName: string): ModuleDef | undefined {
  // Zoho matches module api names case-insensitively in the URL path (`/crm/v8/leads` works).
  // UNVERIFIED: we match exactly, which is the safe reading for a client.
  return MODULES.find((m) => m.api_name === apiName);
}

/** A deep copy of field definitions (a formula's `compute` is a function and is shared). */
export function cloneField(f: FieldDef): FieldDef {
  return {
    ...f,
    ...(f.picklist ? { picklist: [...f.picklist] } : {}),
    ...(f.permissions ? { permissions: { ...f.permissions } } : {}),
    ...(f.formula ? { formula: { ...f.formula } } : {}),
  };
}

export function cloneModule(m: ModuleDef): ModuleDef {
  return { ...m, fields: m.fields.map(cloneField) };
}

export function findField(module: ModuleDef, apiName: string): FieldDef | undefined {
  return module.fields.find((f) => f.api_name === apiName);
}
