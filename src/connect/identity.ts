import type { ConnectionIdentity } from '../tokens/connection.js';

/**
 * Who connected and for which org, from Zoho's user-info answer and the CRM org API, with the
 * fallbacks field practice needs (shared/seeds: the OAuth user-info field guide): user-info
 * field names vary by data centre and single-user orgs carry no org id at all.
 */
export type Identity = ConnectionIdentity;

/** The subset of `GET /crm/v8/org`'s `org[0]` we read. */
export interface OrgInfo {
  id?: unknown;
  company_name?: unknown;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/**
 * User id from `ZUID`, email from `Email`; org id from the org API, else `orgid`,
 * `organizationid`, `ZGID`, else the ZUID (single-user orgs); org name from the org API, else
 * `companyname`, `organizationname`, `Company_Name`, else the email's domain. Returns undefined
 * when the answer lacks a ZUID or an email: such a connection could never be identified.
 */
export function resolveIdentity(userInfo: Readonly<Record<string, unknown>>, org: OrgInfo | undefined): Identity | undefined {
  const zuid = text(userInfo.ZUID);
  const email = text(userInfo.Email);
  if (!zuid || !email) return undefined;
  const firstName = text(userInfo.First_Name) ?? null;
  const lastName = text(userInfo.Last_Name) ?? null;
  const displayName = text(userInfo.Display_Name) ?? ([firstName, lastName].filter(Boolean).join(' ') || email);
  const zohoOrgId = text(org?.id) ?? text(userInfo.orgid) ?? text(userInfo.organizationid) ?? text(userInfo.ZGID) ?? zuid;
  const orgName = text(org?.company_name) ?? text(userInfo.companyname) ?? text(userInfo.organizationname) ?? text(userInfo.Company_Name) ?? email.slice(email.indexOf('@') + 1);
  return { zohoUserId: zuid, email, displayName, firstName, lastName, zohoOrgId, orgName };
}
