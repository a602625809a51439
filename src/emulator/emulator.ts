import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccountsBook, ACCESS_TOKEN_TTL_S, type AccessToken, type OAuthClient } from './accounts.js';
import { CreditMeter } from './credits.js';
import { CustomViews } from './custom-views.js';
import { zohoError } from './errors.js';
import { Faults } from './faults.js';
import type { ModuleDef } from './metadata.js';
import { OrgMetadata } from './org-metadata.js';
import { readBody, Router, send, type EmulatorRequest, type EmulatorResponse } from './router.js';
import { hasScope, scopeName, type RequiredScope } from './scopes.js';
import { SearchIndex } from './search-index.js';
import { seed, toZohoDateTime, type Seed, type SeedOptions, type ZRecord } from './seed.js';
import { registerOAuthRoutes } from './routes/oauth.js';
import { registerOrgRoutes } from './routes/org.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerSearchRoutes } from './routes/search.js';
import { registerCoqlRoutes } from './routes/coql.js';
import { registerCustomViewRoutes } from './routes/custom-views.js';
import { registerWatchRoutes } from './routes/watch.js';
import type { Notifier } from './watch-notifier.js';
import { BulkReads, registerBulkReadRoutes, type BulkReadOptions } from './routes/bulk-read.js';

/**
 * An emulator of one Zoho data centre: Zoho Accounts (OAuth) and the CRM v8 REST API on one
 * loopback port. Its URL is both the accounts server and the API domain of that DC. It follows
 * ../shared/zoho-api.md and Zoho's documentation (cited beside each handler); where Zoho's
 * behaviour is not documented the handler says UNVERIFIED.
 */

export interface EmulatorOptions {
  /** Data centre key this instance plays (us, eu, …). */
  dc?: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  seed?: Omit<SeedOptions, 'dc'>;
  /** Registered OAuth clients (default: one client that accepts any redirect URI). */
  clients?: OAuthClient[];
  /** Access-token lifetime in seconds (Zoho: 3600). */
  accessTokenTtlSeconds?: number;
  /** Clock (ms since epoch), for tests that move time. */
  now?: () => number;
  /** Start from these definitions instead of the demo org's (each instance deep-copies them). */
  metadata?: { modules?: ModuleDef[]; subforms?: ModuleDef[] };
  /**
   * CRM API calls the org may have in flight at once (Zoho's concurrency limit by edition: Free 5,
   * Standard 10, Professional 15, Enterprise 20, Ultimate 25); a call over it is answered 429
   * TOO_MANY_REQUESTS. Default: no limit, because the edition is a property of the org being
   * modelled, not of Zoho, and the demo, the bench and tests that measure the gateway itself run
   * caps above 5 or several instances; tests of the budget set it.
   */
  maxConcurrency?: number;
  /**
   * Heavy calls (COQL, convert lead, writes of more than 10 records) the org may have in flight
   * at once: Zoho's sub-concurrency, 10 in every edition; over it 429 TOO_MANY_REQUESTS.
   * Default: no limit (as `maxConcurrency`).
   */
  maxSubConcurrency?: number;
  /** The Bulk Read API's page size and job timing (src/emulator/routes/bulk-read.ts). */
  bulkRead?: BulkReadOptions;
  /**
   * The 401 code for a token Zoho no longer honours (expired, revoked, unknown). Zoho documents
   * both `INVALID_TOKEN` and `AUTHENTICATION_FAILURE` ("token missing or invalid") for it, and a
   * client must treat them alike: get a new access token, retry once (../shared/zoho-api.md "401
   * codes"; D/status-codes.html). UNVERIFIED: which one Zoho picks for which kind of bad token, so
   * it is a switch. Default `INVALID_TOKEN`.
   */
  rejectedTokenCode?: 'INVALID_TOKEN' | 'AUTHENTICATION_FAILURE';
  /**
   * API credits the org may spend in any 24 hours (Zoho: 5,000 on Free; 50,000 + a per-licence
   * allowance on paid editions, D/api-limits.html); past it CRM calls get 429 until credits come
   * free (./credits.ts). Default: no limit (the edition belongs to the org being modelled).
   */
  maxCreditsPerDay?: number;
  /**
   * The `api_domain` the token endpoint names (default: this emulator's URL). Zoho's sandbox and
   * developer orgs share their DC's accounts server and get `sandbox.zohoapis.<tld>` /
   * `developer.zohoapis.<tld>` here (../shared/zoho-api.md "Data centres"); a test sets another
   * origin to play such an org. Also settable later on `ctx.tokenApiDomain`.
   */
  tokenApiDomain?: string;
  /**
   * Milliseconds before a created or edited record is found by the Search API (Zoho's index lag,
   * ./search-index.ts); meanwhile a search answers as before the write (204 for a new record).
   * Default 0: searchable at once. Also settable later on `ctx.searchIndex.lagMs`.
   */
  searchIndexLagMs?: number;
}

/**
 * The calls Zoho counts against the sub-concurrency limit. Source: the v8 api-limits.html
 * "Sub-concurrency" note (insert/update/upsert of more than 10 records, convert lead, and heavy
 * reads such as COQL), read through Zoho's Kaizen post
 * https://help.zoho.com/portal/en/community/topic/credit-calculation-and-concurrency-in-zoho-crm-apis
 * and https://support.creatorscripts.com/portal/en/kb/articles/what-are-the-limitations-of-zoho-crm-s-api.
 * UNVERIFIED: the complete list of APIs (others, e.g. searches with criteria, may count too).
 */
function isHeavyCall(method: string, path: string, body: string): boolean {
  if (method === 'POST' && path === '/crm/v8/coql') return true;
  if (/\/actions\/convert$/.test(path)) return true;
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH') return false;
  try {
    const data = (JSON.parse(body) as { data?: unknown } | null)?.data;
    return Array.isArray(data) && data.length > 10;
  } catch {
    return false;
  }
}

export const DEFAULT_CLIENT: OAuthClient = {
  clientId: '1000.EMULATORCLIENT',
  clientSecret: 'emulator-client-secret',
  redirectUris: '*',
};

export interface CallRecord {
  /** Route name, e.g. `GET /crm/v8/:module`. */
  route: string;
  method: string;
  path: string;
  query: string;
  status: number;
  /** For the token endpoint: the grant type. */
  grantType?: string;
  at: number;
}

/** What route handlers share. */
export interface EmulatorContext {
  dc: string;
  readonly url: string;
  now(): number;
  data: Seed;
  /** This instance's own module and field definitions (see org-metadata.ts). */
  metadata: OrgMetadata;
  /** Shorthand for `metadata.modules` (assignable, so a test can swap in modified metadata). */
  modules: ModuleDef[];
  accounts: AccountsBook;
  accessTokenTtlSeconds: number;
  /** Who consents on `/oauth/v2/auth` (a ZUID), and whether consent is denied. */
  consent: { zuid: string; deny: boolean };
  notifier: Notifier;
  /** The 401 code for a token not honoured (EmulatorOptions.rejectedTokenCode). */
  rejectedTokenCode: 'INVALID_TOKEN' | 'AUTHENTICATION_FAILURE';
  /** The token endpoint's `api_domain` when set (EmulatorOptions.tokenApiDomain), else `url`. */
  tokenApiDomain: string | undefined;
  /** The org's custom views (./custom-views.ts). */
  customViews: CustomViews;
  /** What the Search API sees of each record (./search-index.ts). */
  searchIndex: SearchIndex;
  /** Next 19-digit record id in this DC's id space. */
  nextId(): string;
  /** Called by write handlers after records change (drives notifications). */
  recordsChanged(module: string, operation: 'insert' | 'update' | 'delete', ids: string[], affectedFields?: string[]): void;
  records(module: string): Map<string, ZRecord>;
}

export type CrmHandler = (req: EmulatorRequest, token: AccessToken) => EmulatorResponse | Promise<EmulatorResponse>;

/**
 * Wraps a CRM handler with Zoho's authentication: `Authorization: Zoho-oauthtoken <token>`.
 * No header → 401 AUTHENTICATION_FAILURE; unknown, revoked or expired token → 401 INVALID_TOKEN
 * (or AUTHENTICATION_FAILURE, see EmulatorOptions.rejectedTokenCode);
 * a token without the scope → 401 OAUTH_SCOPE_MISMATCH.
 * Source: https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html and the 401 examples in
 * github.com/zoho/crm-oas v8.0.
 */
export function crmAuth(ctx: EmulatorContext, scope: (req: EmulatorRequest) => RequiredScope | RequiredScope[], handler: CrmHandler) {
  return (req: EmulatorRequest): EmulatorResponse | Promise<EmulatorResponse> => {
    const header = req.headers.authorization;
    const m = typeof header === 'string' ? /^Zoho-oauthtoken\s+(\S+)$/i.exec(header.trim()) : null;
    if (!m) return zohoError(401, 'AUTHENTICATION_FAILURE', 'Authentication failed');
    const token = ctx.accounts.verifyAccessToken(m[1]!);
    if (!token) return ctx.rejectedTokenCode === 'AUTHENTICATION_FAILURE' ? zohoError(401, 'AUTHENTICATION_FAILURE', 'Authentication failed') : zohoError(401, 'INVALID_TOKEN', 'invalid oauth token');
    const required = [scope(req)].flat();
    for (const r of required) {
      if (!hasScope(token.scopes, r)) {
        return zohoError(401, 'OAUTH_SCOPE_MISMATCH', 'invalid oauth scope to access this URL', { required_scope: scopeName(r) });
      }
    }
    return handler(req, token);
  };
}

export class ZohoEmulator {
  readonly dc: string;
  readonly accounts: AccountsBook;
  readonly faults = new Faults();
  readonly calls: CallRecord[] = [];
  /**
   * The org's concurrency as this instance enforces it (`maxConcurrency`): CRM calls in flight now
   * (counted from arrival to answer, latency faults included), the most seen at once, and how many
   * calls were refused with 429 for going over. One instance plays one org, so per instance is per org.
   */
  readonly concurrency = { limit: undefined as number | undefined, inFlight: 0, peak: 0, rejected: 0 };
  /** The same for heavy calls against `maxSubConcurrency` (their 429s count in `rejected` here). */
  readonly subConcurrency = { limit: undefined as number | undefined, inFlight: 0, peak: 0, rejected: 0 };
  /** The org's 24-hour API credits (`maxCreditsPerDay`); absent without a limit. */
  readonly credits: CreditMeter | undefined;
  readonly ctx: EmulatorContext;
  /**
   * Test-facing metadata API of this instance: `addField`, `removeField`, `addModule`,
   * `setFieldPermission` (src/emulator/org-metadata.ts). Changes are seen by the next call.
   */
  readonly metadata: OrgMetadata;
  /** Bulk read jobs, and the test hook `failNext()` (src/emulator/routes/bulk-read.ts). */
  readonly bulkReads: BulkReads;
  private server: Server | undefined;
  private baseUrl = '';
  private readonly router = new Router();
  private readonly options: EmulatorOptions;
  private idCounter = 0;

  constructor(options: EmulatorOptions = {}) {
    this.options = options;
    this.dc = options.dc ?? 'us';
    this.concurrency.limit = options.maxConcurrency;
    this.subConcurrency.limit = options.maxSubConcurrency;
    const now = options.now ?? Date.now;
    this.credits = options.maxCreditsPerDay === undefined ? undefined : new CreditMeter(options.maxCreditsPerDay, now);
    this.accounts = new AccountsBook(now, options.clients ?? [DEFAULT_CLIENT]);
    const data = seed({ dc: this.dc, ...(options.seed ?? {}) });
    const self = this;
    const idBase = data.org.id;
    const notifier: Notifier = { notify: () => undefined };
    const metadata = new OrgMetadata(options.metadata);
    this.metadata = metadata;
    this.ctx = {
      dc: this.dc,
      get url() {
        return self.url;
      },
      now,
      data,
      metadata,
      get modules() {
        return metadata.modules;
      },
      set modules(m: ModuleDef[]) {
        metadata.modules = m;
      },
      accounts: this.accounts,
      accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_S,
      consent: { zuid: data.users[0]!.zuid, deny: false },
      rejectedTokenCode: options.rejectedTokenCode ?? 'INVALID_TOKEN',
      tokenApiDomain: options.tokenApiDomain,
      searchIndex: new SearchIndex(options.searchIndexLagMs ?? 0, now),
      customViews: new CustomViews(data.org.id, metadata.modules, toZohoDateTime(now())),
      notifier,
      nextId: () => `${idBase}000001${String(++self.idCounter).padStart(6, '0')}`,
      recordsChanged: (module, operation, ids, affectedFields) => self.ctx.notifier.notify(module, operation, ids, affectedFields),
      records: (module) => {
        let m = data.records.get(module);
        if (!m) {
          m = new Map();
          data.records.set(module, m);
        }
        return m;
      },
    };
    metadata.attach({ records: (m) => this.ctx.records(m), nextId: () => this.ctx.nextId(), users: () => data.users, now });
    registerOAuthRoutes(this.router, this.ctx);
    registerOrgRoutes(this.router, this.ctx);
    registerCustomViewRoutes(this.router, this.ctx);
    registerWatchRoutes(this.router, this.ctx);
    registerCoqlRoutes(this.router, this.ctx);
    this.bulkReads = new BulkReads(this.ctx, options.bulkRead);
    registerBulkReadRoutes(this.router, this.ctx, this.bulkReads);
    // Records last: `/crm/v8/:module` would otherwise swallow `/crm/v8/org`, `/crm/v8/users`, ….
    registerSearchRoutes(this.router, this.ctx);
    registerRecordRoutes(this.router, this.ctx);
  }

  /** Base URL (accounts server and API domain of this DC), e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    if (!this.baseUrl) throw new Error('emulator not started');
    return this.baseUrl;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, zohoError(500, 'INTERNAL_ERROR', 'Internal Server Error'));
        else res.destroy(err instanceof Error ? err : undefined);
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', resolve));
    const addr = server.address() as AddressInfo;
    this.server = server;
    this.baseUrl = `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}`;
    return this.baseUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.bulkReads.close();
    await this.ctx.notifier.close?.();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    const found = this.router.match(method, url.pathname);
    const route = found ? `${method} ${found.route.pattern}` : `${method} ${url.pathname}`;
    const request: EmulatorRequest = { method, path: url.pathname, query: url.searchParams, headers: req.headers, params: found?.params ?? {}, body, route };

    // Zoho counts concurrent calls per org and answers a call over the edition's limit with 429
    // TOO_MANY_REQUESTS (https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html,
    // "Concurrency limit"; ../shared/zoho-api.md; Zoho's Kaizen #203 "Handling API limits and error
    // responses": exceeding the sub-concurrency "returns a TOO_MANY_REQUESTS error"; the short-term
    // rate limit is the v8 examples' RATE_LIMIT_EXCEEDED, faults.ts). UNVERIFIED: the message text and whether
    // X-RATELIMIT-* headers come with it (documented for old versions only, so none are sent).
    const crm = url.pathname.startsWith('/crm/');
    // The 24-hour credit budget (./credits.ts): checked at the gate, charged once answered.
    const cost = crm && this.credits ? CreditMeter.price(method, url.pathname, url.searchParams, body) : 0;
    const broke = cost > 0 ? this.credits!.refuse(cost) : undefined;
    if (broke) {
      this.calls.push({ route, method, path: url.pathname, query: url.search, status: broke.status, at: this.ctx.now() });
      send(res, broke);
      return;
    }
    const counters = crm ? [this.concurrency, ...(isHeavyCall(method, url.pathname, body) ? [this.subConcurrency] : [])] : [];
    const over = counters.find((c) => c.limit !== undefined && c.inFlight >= c.limit);
    if (over) {
      over.rejected++;
      const refused = zohoError(429, 'TOO_MANY_REQUESTS', 'The number of concurrent requests exceeds the limit for your organization.', {});
      this.calls.push({ route, method, path: url.pathname, query: url.search, status: refused.status, at: this.ctx.now() });
      send(res, refused);
      return;
    }
    for (const c of counters) {
      c.inFlight++;
      c.peak = Math.max(c.peak, c.inFlight);
    }
    try {
      const status = await this.answer(res, request, found, url, body);
      if (status !== 429) this.credits?.charge(cost);
    } finally {
      for (const c of counters) c.inFlight--;
    }
  }

  /** The answer to a call past the concurrency check: a fault, the route's handler, or Zoho's 404/405. */
  private async answer(res: import('node:http').ServerResponse, request: EmulatorRequest, found: ReturnType<Router['match']>, url: URL, body: string): Promise<number> {
    const { route, method } = request;
    let out: EmulatorResponse;
    const fault = this.faults.take(request);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.hold) await fault.hold.catch(() => undefined);
    if (fault?.response) out = fault.response;
    else if (found) out = await found.route.handler(request);
    else if (this.router.hasPath(url.pathname)) out = zohoError(405, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one');
    // Zoho answers unknown CRM URLs with 404 INVALID_URL_PATTERN (status-codes.html).
    else out = zohoError(404, 'INVALID_URL_PATTERN', 'Please check if the URL trying to access is a correct one');

    const grantType = route === 'POST /oauth/v2/token' ? (new URLSearchParams(body).get('grant_type') ?? url.searchParams.get('grant_type') ?? undefined) : undefined;
    this.calls.push({ route, method, path: url.pathname, query: url.search, status: out.status, at: this.ctx.now(), ...(grantType ? { grantType } : {}) });
    send(res, out);
    return out.status;
  }

  /** How many calls a route received (`GET /crm/v8/:module`), or all calls without a route. */
  count(route?: string | ((c: CallRecord) => boolean)): number {
    if (route === undefined) return this.calls.length;
    if (typeof route === 'function') return this.calls.filter(route).length;
    return this.calls.filter((c) => c.route === route).length;
  }

  /**
   * Access tokens minted through the refresh grant (what Zoho throttles at 10 per 10 minutes).
   * Refused refreshes are not counted here; `count((c) => c.grantType === 'refresh_token')` counts attempts.
   */
  refreshGrants(): number {
    return this.accounts.refreshMints;
  }

  resetCalls(): void {
    this.calls.length = 0;
    for (const c of [this.concurrency, this.subConcurrency]) {
      c.peak = c.inFlight;
      c.rejected = 0;
    }
  }

  /** Test hook: expire every access token now (or in `inMs`). */
  expireAccessTokens(inMs = 0): void {
    this.accounts.expireAccessTokens(inMs);
  }

  /**
   * A grant code as Zoho's Self Client makes it in the API console (no redirect URI; offline, so
   * it yields a refresh token). https://www.zoho.com/crm/developer/docs/api/v8/auth-request.html#self-client
   */
  issueSelfClientCode(scopes: string[], opts: { clientId?: string; zuid?: string } = {}): string {
    return this.accounts.issueCode({
      clientId: opts.clientId ?? DEFAULT_CLIENT.clientId,
      scopes,
      zuid: opts.zuid ?? this.ctx.consent.zuid,
      offline: true,
      forceConsent: true,
    });
  }

  /** Test hook: the ZUID that consents on the next `/oauth/v2/auth`, or denial. */
  setConsent(consent: { zuid?: string; email?: string; deny?: boolean }): void {
    const user = consent.email ? this.ctx.data.users.find((u) => u.email === consent.email) : undefined;
    if (consent.zuid || user) this.ctx.consent.zuid = consent.zuid ?? user!.zuid;
    this.ctx.consent.deny = consent.deny ?? false;
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<ZohoEmulator> {
  const emu = new ZohoEmulator(options);
  await emu.start();
  return emu;
}
