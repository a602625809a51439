/**
 * Module and field metadata of the emulated CRM org, in the shapes of
 * `GET /crm/v8/settings/modules` (https://www.zoho.com/crm/developer/docs/api/v8/modules-api.html)
 * and `GET /crm/v8/settings/fields?module=` (https://www.zoho.com/crm/developer/docs/api/v8/field-meta.html).
 * Only the attributes a client relies on are modelled; data types use Zoho's names
 * (text, email, phone, picklist, lookup, ownerlookup, currency, integer, double, boolean, date,
 * datetime, textarea, website, bigint).
 */

export type DataType =
  | 'text'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'website'
  | 'picklist'
  | 'lookup'
  | 'ownerlookup'
  | 'currency'
  | 'integer'
  | 'bigint'
  | 'double'
  | 'boolean'
  | 'date'
  | 'datetime';

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
}

export interface ModuleDef {
  api_name: string;
  module_name: string;
  singular_label: string;
  plural_label: string;
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
    ],
  },
];

export function findModule(apiName: string): ModuleDef | undefined {
  // Zoho matches module api names case-insensitively in the URL path (`/crm/v8/leads` works).
  // UNVERIFIED: we match exactly, which is the safe reading for a client.
  return MODULES.find((m) => m.api_name === apiName);
}

export function findField(module: ModuleDef, apiName: string): FieldDef | undefined {
  return module.fields.find((f) => f.api_name === apiName);
}
