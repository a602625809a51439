/**
 * Zoho's data centres (DCs): where a user's accounts server and CRM API live.
 *
 * A Zoho user belongs to exactly one DC. The OAuth redirect names it twice, as `location=eu` and
 * as `accounts-server=https://accounts.zoho.eu`; the token response then names the CRM host as
 * `api_domain`. We only ever trust those URLs after finding them, by exact origin, in this table:
 * the `accounts-server` parameter arrives through the user's browser, and exchanging a code at a
 * look-alike host would hand our client secret to whoever owns it.
 *
 * Sources:
 * - Production accounts servers: https://www.zoho.com/crm/developer/docs/api/v8/multi-dc.html
 *   (US, AU, EU, IN, CN, JP, CA) and https://help.zoho.com/portal/en/kb/accounts/manage-your-zoho-account/articles/data-center-for-zoho-account (SA).
 * - API domains per environment (production `www.`, `sandbox.`, `developer.`): Zoho's SDK
 *   `*DataCenter` classes, each with PRODUCTION/SANDBOX/DEVELOPER environments —
 *   zoho/zohocrm-typescript-sdk `routes/dc/{us,eu,in,au,cn}_data_center.ts`,
 *   zoho/zohocrm-typescript-sdk-8.0 `routes/dc/ca_data_center.ts`, Zoho's Python SDK
 *   `JPDataCenter` and Zoho's TypeScript/PHP/Ruby SDK `SADataCenter`.
 *   Every environment of a DC shares that DC's accounts server (the SDKs' `getIAMUrl()`).
 * - UK: not in Zoho's CRM SDKs nor the CRM multi-DC page we could read. `accounts.zoho.uk` and
 *   `www.zohoapis.uk` follow the pattern of the other DCs and appear in third-party integrations;
 *   the UK sandbox/developer hosts are our extrapolation. All UK entries are UNVERIFIED — if
 *   they turn out wrong, fix them here or override them with ZOHO_DATA_CENTERS.
 */

/** Which Zoho CRM environment of a DC an entry describes. */
export type ZohoEnvironment = 'production' | 'sandbox' | 'developer';

/** One row of the data-centre table. */
export interface DataCentre {
  /** Table key, e.g. `eu`, `eu-sandbox`, `eu-developer`. This is what ZOHO_DC names. */
  readonly key: string;
  /** Zoho's short DC name as sent in the redirect's `location` parameter, e.g. `eu`. */
  readonly location: string;
  /** Origin of the OAuth accounts server, no trailing slash, e.g. `https://accounts.zoho.eu`. */
  readonly accountsUrl: string;
  /** Origin of the CRM API for this environment, no trailing slash, e.g. `https://www.zohoapis.eu`. */
  readonly apiDomain: string;
  readonly environment: ZohoEnvironment;
}

/** Data centres by key. Frozen. */
export type DataCentreTable = Readonly<Record<string, DataCentre>>;

/** Shape of one ZOHO_DATA_CENTERS entry: `{"eu":{"accounts":"https://…","api":"https://…"}}`. */
export interface DataCentreOverride {
  /** Accounts server URL (only its origin is kept). */
  readonly accounts: string;
  /** API domain URL (only its origin is kept). */
  readonly api: string;
}

interface BuiltInDc {
  readonly location: string;
  readonly accounts: string;
  /** The part after `zohoapis.` in every API host of this DC, e.g. `com.au`. */
  readonly apiTld: string;
}

const BUILT_IN: readonly BuiltInDc[] = [
  { location: 'us', accounts: 'https://accounts.zoho.com', apiTld: 'com' },
  { location: 'eu', accounts: 'https://accounts.zoho.eu', apiTld: 'eu' },
  { location: 'in', accounts: 'https://accounts.zoho.in', apiTld: 'in' },
  { location: 'au', accounts: 'https://accounts.zoho.com.au', apiTld: 'com.au' },
  { location: 'jp', accounts: 'https://accounts.zoho.jp', apiTld: 'jp' },
  { location: 'cn', accounts: 'https://accounts.zoho.com.cn', apiTld: 'com.cn' },
  // CA: the accounts server is on zohocloud.ca while the API is on zohoapis.ca, so neither can be
  // derived from the other by a hostname pattern (zohocrm-typescript-sdk-8.0 CADataCenter).
  { location: 'ca', accounts: 'https://accounts.zohocloud.ca', apiTld: 'ca' },
  { location: 'sa', accounts: 'https://accounts.zoho.sa', apiTld: 'sa' },
  // UNVERIFIED, see the header comment.
  { location: 'uk', accounts: 'https://accounts.zoho.uk', apiTld: 'uk' },
];

/**
 * Zoho's DC names as they come in a redirect's `location` (A/multi-dc.html lists us, eu, in, au,
 * jp, ca, sa, and cn for China; uk UNVERIFIED, see the header comment). A table key may differ
 * (an operator may name an override `europe`): the name is what the user's Zoho says, the key is
 * ours.
 *
 * CN is listed for completeness only: Zoho's China DC is not part of Zoho Accounts' multi-DC set,
 * so a client registered elsewhere never receives a CN user; serving CN needs a client registered
 * in Zoho's China console, i.e. a gateway deployment of its own with that client's ZOHO_CLIENT_ID
 * and ZOHO_DC=cn (../shared/zoho-api.md "Data centres"; docs/data-centres.md).
 */
export const KNOWN_LOCATIONS: ReadonlySet<string> = new Set(BUILT_IN.map((dc) => dc.location));

const API_SUBDOMAIN: Readonly<Record<ZohoEnvironment, string>> = {
  production: 'www',
  sandbox: 'sandbox',
  developer: 'developer',
};

const ENVIRONMENTS: readonly ZohoEnvironment[] = ['production', 'sandbox', 'developer'];

/** `eu` + `sandbox` → `eu-sandbox`; production keeps the bare DC name. */
function keyFor(location: string, environment: ZohoEnvironment): string {
  return environment === 'production' ? location : `${location}-${environment}`;
}

/** Reads the environment back from a key like `eu-sandbox`, for entries added through overrides. */
function splitKey(key: string): { location: string; environment: ZohoEnvironment } {
  for (const environment of ENVIRONMENTS) {
    if (environment !== 'production' && key.endsWith(`-${environment}`)) {
      return { location: key.slice(0, -(environment.length + 1)), environment };
    }
  }
  return { location: key, environment: 'production' };
}

/** The origin of `url` (scheme://host[:port], no trailing slash), or undefined if it isn't a URL. */
function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    // `new URL('mailto:x').origin` is the string "null"; only hierarchical http(s) URLs qualify.
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
    return parsed.origin;
  } catch {
    return undefined;
  }
}

function builtInTable(): Record<string, DataCentre> {
  const table: Record<string, DataCentre> = {};
  for (const dc of BUILT_IN) {
    for (const environment of ENVIRONMENTS) {
      const key = keyFor(dc.location, environment);
      table[key] = Object.freeze({
        key,
        location: dc.location,
        accountsUrl: dc.accounts,
        apiDomain: `https://${API_SUBDOMAIN[environment]}.zohoapis.${dc.apiTld}`,
        environment,
      });
    }
  }
  return table;
}

/**
 * The built-in table, with `overrides` (from ZOHO_DATA_CENTERS) replacing entries of the same key
 * or adding new ones. A key ending in `-sandbox`/`-developer` marks that environment; any other
 * key is a production DC whose `location` is the key itself. Replacing `eu` leaves `eu-sandbox`
 * untouched. Throws if an override URL is not an absolute http(s) URL (config validates first).
 */
export function dataCentreTable(overrides: Readonly<Record<string, DataCentreOverride>> = {}): DataCentreTable {
  const table = builtInTable();
  for (const [key, override] of Object.entries(overrides)) {
    const accountsUrl = originOf(override.accounts);
    const apiDomain = originOf(override.api);
    if (accountsUrl === undefined || apiDomain === undefined) {
      throw new TypeError(`data centre "${key}": accounts and api must be absolute http(s) URLs`);
    }
    table[key] = Object.freeze({ key, ...splitKey(key), accountsUrl, apiDomain });
  }
  return Object.freeze(table);
}

/**
 * The DC whose accounts server has exactly the origin of `url` (scheme, host and port all equal;
 * `https://accounts.zoho.eu.evil.com` does not match `https://accounts.zoho.eu`).
 * All environments of a DC share one accounts server, so this prefers the production entry;
 * which environment a user is in is learnt from the token response's `api_domain` instead.
 */
export function findByAccountsServer(table: DataCentreTable, url: string): DataCentre | undefined {
  const origin = originOf(url);
  if (origin === undefined) return undefined;
  let found: DataCentre | undefined;
  for (const dc of Object.values(table)) {
    if (dc.accountsUrl !== origin) continue;
    if (dc.environment === 'production') return dc;
    found ??= dc;
  }
  return found;
}

/** The DC entry whose API domain has exactly the origin of `url` (e.g. a token's `api_domain`). */
export function findByApiDomain(table: DataCentreTable, url: string): DataCentre | undefined {
  const origin = originOf(url);
  if (origin === undefined) return undefined;
  return Object.values(table).find((dc) => dc.apiDomain === origin);
}

/**
 * The entry a redirect's `location` names: an entry whose `location` is it (production first),
 * compared case-insensitively; undefined when no entry has that location.
 */
export function findByLocation(table: DataCentreTable, location: string): DataCentre | undefined {
  const want = location.trim().toLowerCase();
  let found: DataCentre | undefined;
  for (const dc of Object.values(table)) {
    if (dc.location.toLowerCase() !== want) continue;
    if (dc.environment === 'production') return dc;
    found ??= dc;
  }
  return found;
}
