import type { Logger } from '../log.js';
import type { DataCentre } from '../zoho/datacenters.js';

/** What every resolver can reach. Built once per request by `http/yoga.ts`. */
export interface GraphQLContext {
  /** Correlates the log lines of one request; echoed in masked errors. */
  requestId: string;
  /** A child logger carrying the request id. */
  log: Logger;
  /** The data-centre table in force (built-in plus ZOHO_DATA_CENTERS), for discovery queries. */
  dataCentres: readonly DataCentre[];
}
