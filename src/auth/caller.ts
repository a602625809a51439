/** Who is calling: verified from the request's bearer JWT, and scoped to one tenant. */
export interface Caller {
  /** `sub`: the end user or service the product says is calling. */
  subject: string;
  /** `tid`: the tenant; every connection and record the caller reaches belongs to it. */
  tenantId: string;
  /** `cid` (default `default`): which of the tenant's Zoho connections to use. */
  connectionName: string;
  /** `scope`, split on spaces: e.g. `records:read`, `records:write:Leads`, `zoho:connect`. */
  scopes: ReadonlySet<string>;
  /** When the token expires (epoch ms, from `exp`): long-lived subscriptions end then. */
  expiresAt?: number;
}

/** The gateway's permission scopes, like a CRM profile's permission matrix. */
export const SCOPES = ['zoho:connect', 'org:read', 'users:read', 'records:read', 'records:write', 'records:delete', 'coql', 'zoho:proxy'] as const;
export type Scope = (typeof SCOPES)[number];
