/**
 * One tenant's connection to one Zoho account, as the gateway keeps it. Tokens are plaintext in
 * this object and sealed (AES-256-GCM) by the repository before they reach the store.
 */
export type ConnectionStatus = 'ACTIVE' | 'RECONNECT_REQUIRED';

/** Who connected and for which org (see connect/identity.ts for how it is derived). */
export interface ConnectionIdentity {
  /** The Zoho user's ZUID. */
  zohoUserId: string;
  email: string;
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  /** The org id (CRM org API, else user-info fallbacks), and name. */
  zohoOrgId: string;
  orgName: string;
}

export interface Connection extends ConnectionIdentity {
  tenantId: string;
  /** The tenant's name for this connection (`cid` claim; `default` unless the product uses several). */
  connectionName: string;
  status: ConnectionStatus;
  /** Data-centre key from the table (`us`, `eu`, `ca`, …). */
  dc: string;
  /** Zoho Accounts server of the user's DC: where refreshes and revocation go. */
  accountsServer: string;
  /** CRM API domain from Zoho's token response: where CRM calls go. */
  apiDomain: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (epoch ms). */
  expiresAt: number;
  /** Scopes Zoho granted. */
  scopes: string[];
  /** Epoch ms. */
  connectedAt: number;
  /** Epoch ms of the last change (refresh, status). */
  updatedAt: number;
  /** Consecutive failed refreshes (network or throttle); reset on success. */
  refreshFailures: number;
  /** Epoch ms before which no refresh is attempted after a failure (back-off). 0 when none. */
  refreshNotBefore: number;
}
