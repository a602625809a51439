import type { Caller } from '../auth/caller.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import type { ZohoFetch } from '../zoho/client.js';
import type { DataCentre } from '../zoho/datacenters.js';
import type { Loaders } from './loaders.js';
import type { Metadata } from '../records/validate.js';

/** Zoho usage of one operation. */
export interface ZohoUsage {
  calls: number;
  credits: number;
}

/** What every resolver can reach. Built once per request by `http/yoga.ts`. */
export interface GraphQLContext {
  /** Correlates the log lines of one request; echoed in masked errors. */
  requestId: string;
  /** A child logger carrying the request id and tenant. */
  log: Logger;
  /** The data-centre table in force, for discovery queries. */
  dataCentres: readonly DataCentre[];
  /** The verified caller: every resolver acts for `caller.tenantId` only. */
  caller: Caller;
  services: Services;
  /** Per-request DataLoaders bound to the caller's connection, so tenants never share cached data. */
  loaders: Loaders;
  /** Module and field metadata of the caller's connection (cached per connection), with validation. */
  metadata: Metadata;
  /** One CRM call for the caller's connection (token, DC routing and error mapping included). */
  zoho: ZohoFetch;
  /**
   * Upstream Zoho attempts this operation made so far (retries and the forced-refresh resend
   * included) and the API credits they cost; shown as `extensions.zoho` on the response.
   */
  zohoCalls: ZohoUsage;
}
