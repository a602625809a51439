import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, errors as undiciErrors, type Dispatcher } from 'undici';
import { GatewayError, describeError, errorName } from '../errors.js';
import type { Logger } from '../log.js';
import { KeyedLimiter, QueueTimeout } from './concurrency.js';
import { OrgBudget, type BudgetEvent, type SharedSlots, type SlotMessages } from './org-budget.js';
import { creditsFor } from './credits.js';
import { mapZohoError, zohoUnreachable, type ZohoErrorBody } from './errors.js';
import type { RetryPolicy } from '../backoff.js';
import { decideRetry, DEFAULT_RETRY_POLICY, type AttemptOutcome } from './retry.js';

/**
 * The one way in and out of Zoho CRM: every CRM call goes through `ZohoClient.call`, which takes
 * a fresh access token from the token manager, waits for a free slot of its Zoho org's
 * concurrency budget (./org-budget.ts, shared by all instances on one Redis), sends it to the connection's own API domain with Zoho's header, retries what
 * is safe to retry (./retry.ts), prices every attempt in API credits (./credits.ts), and turns
 * Zoho's answers into values or typed errors. Resolvers never build URLs or headers.
 */

/**
 * What a call needs of a connection: where to send it, with which token, and whose concurrency
 * budget it spends. The token manager's connections have these fields (and more).
 */
export interface CallTarget {
  accessToken: string;
  /** CRM API domain from Zoho's token response, e.g. `https://www.zohoapis.eu`. */
  apiDomain: string;
  /** Data-centre key (`us`, `eu`, …). */
  dc: string;
  /** Empty only on hand-made connections in tests. */
  zohoOrgId: string;
}

/** What the client needs from the token manager. */
export interface AccessTokens {
  /** The connection with an access token valid for at least two more minutes. */
  getAccessToken(tenantId: string, connectionName: string): Promise<CallTarget>;
  /** Refreshes once after Zoho rejected `rejectedAccessToken` (unless someone already did). */
  forceRefresh(tenantId: string, connectionName: string, rejectedAccessToken: string): Promise<CallTarget>;
}

export interface ZohoCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under `/crm/v8` (or `/crm/bulk/v8` with `api: 'bulk'`), e.g. `/org`, `/Deals/search`, `/read`. */
  path: string;
  /**
   * Which of Zoho's APIs: `crm` (default, `{api_domain}/crm/v8`) or `bulk`, the Bulk Read API at
   * `{api_domain}/crm/bulk/v8` (https://www.zoho.com/crm/developer/docs/api/v8/bulk-read/create-job.html).
   */
  api?: 'crm' | 'bulk';
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /**
   * Safe to send twice: true makes 5xx and network failures retryable. Default: true for GET and
   * for `POST /coql` (a read sent as POST), false for every other method, whose 5xx may follow
   * a write Zoho already made. Writes are still retried on 429, which proves nothing was done.
   */
  idempotent?: boolean;
  /**
   * Sent as the `If-Modified-Since` header (ISO 8601, e.g. `2026-01-02T03:04:05+00:00`): Zoho's GET
   * records and deleted records then list only what changed in a later second, and answer 304
   * with no body when nothing did (https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html).
   */
  ifModifiedSince?: string;
}

/** One CRM call for a connection already chosen: `ZohoClient.call` bound to a tenant and connection (ctx.zoho). */
export type ZohoFetch = <T>(call: ZohoCall) => Promise<ZohoResult<T>>;

export interface ZohoResult<T> {
  status: number;
  /** Parsed JSON, or `null` for Zoho's empty 204 (and 304). */
  body: T | null;
  headers: Record<string, string | string[] | undefined>;
}

/** One upstream attempt, as the call observer sees it. */
export interface ZohoAttempt {
  method: string;
  path: string;
  /** Zoho's HTTP status, or 0 when no answer came (network failure, timeout). */
  status: number;
  apiDomain: string;
  /** API credits this attempt cost (./credits.ts; estimates where marked UNVERIFIED there). */
  credits: number;
  /** 1 for the first send of a call; retries and the forced-refresh resend count on. */
  attempt: number;
}

/** Observes every upstream attempt, retries included (for per-request figures and metrics). */
export type CallObserver = (attempt: ZohoAttempt) => void;

/**
 * Calls in flight per Zoho org when not configured: 5, Zoho's lowest documented concurrency
 * limit (Free edition; Standard 10, Professional 15, Enterprise 20, Ultimate 25, per user per
 * OAuth app). Source: https://www.zoho.com/crm/developer/docs/api/v8/api-limits.html (read through
 * a third-party summary: https://raw.githubusercontent.com/api-evangelist/zoho-crm/refs/heads/main/rate-limits/zoho-crm-rate-limits.yml,
 * and Zoho's announcement https://help.zoho.com/portal/en/community/topic/increase-in-crm-api-v2-credits
 * for "per user per OAuth2 app"). Heavy calls also share a sub-concurrency (HEAVY_MAX_CONCURRENT).
 */
export const DEFAULT_MAX_CONCURRENT = 5;

/**
 * Heavy calls (isHeavy) an org may have in flight in every edition: Zoho's sub-concurrency of 10
 * (v8 api-limits.html; Zoho's Kaizen post "Credit calculation and concurrency in Zoho CRM APIs",
 * https://help.zoho.com/portal/en/community/topic/credit-calculation-and-concurrency-in-zoho-crm-apis).
 * Only a budget above 10 needs this second line.
 */
export const HEAVY_MAX_CONCURRENT = 10;

/**
 * Lifetime of an org slot's lease in Redis when not configured (ms): renewed every third of it
 * while the call runs, so it bounds how long a killed instance's slots stay taken.
 */
export const DEFAULT_LEASE_TTL_MS = 15_000;

/** Longest a call waits in line for a slot when not configured, in milliseconds. */
export const DEFAULT_QUEUE_TIMEOUT_MS = 30_000;

/**
 * What a call that timed out in line tells the caller to wait, in seconds. UNVERIFIED: no Zoho
 * figure applies (the line is ours); a few seconds lets the tenant's in-flight calls drain.
 */
const QUEUE_RETRY_AFTER_SEC = 5;

export interface ZohoClientOptions {
  tokens: AccessTokens;
  log: Logger;
  dispatcher?: Dispatcher;
  /** Per-call timeouts (ms). */
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /**
   * Calls in flight per Zoho org (data centre + org id), across every instance sharing `shared`;
   * more wait, served round robin between connections (default DEFAULT_MAX_CONCURRENT).
   */
  maxConcurrent?: number;
  /** The org budget's lease sets and announcements (Redis store); absent: the cap is per process. */
  shared?: { slots: SharedSlots; messages?: SlotMessages };
  /** Lease lifetime in the shared budget (ms; default DEFAULT_LEASE_TTL_MS). */
  leaseTtlMs?: number;
  /** Reports the budget's fallbacks and lost releases (metrics). */
  onBudgetEvent?: (event: BudgetEvent) => void;
  /**
   * Calls in flight per tenant across all its connections (default twice `maxConcurrent`), so a
   * tenant with many connections cannot take every socket to its data centre from the others.
   */
  maxConcurrentPerTenant?: number;
  /** Longest a call waits for its slots, in ms; then it fails with ZOHO_RATE_LIMITED (default DEFAULT_QUEUE_TIMEOUT_MS). */
  queueTimeoutMs?: number;
  /** Retry bounds (ms and attempts); unset fields keep DEFAULT_RETRY_POLICY. */
  retry?: Partial<RetryPolicy>;
  /** Waits between attempts (ms); tests may shorten or record it. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
  /** Epoch ms, for reading Zoho's reset header (default Date.now). */
  now?: () => number;
  /** Sees every upstream attempt of every call, beside the per-call observer (metrics). */
  onAttempt?: CallObserver;
  /**
   * Where `stream()` sends (Bulk Read result downloads): never the CRM pool, so downloads read
   * slowly cannot hold the sockets every tenant's calls to the data centre need. Default: an Agent
   * of its own with `bulkConnections` connections per origin.
   */
  bulkDispatcher?: Dispatcher;
  /** Connections per Zoho origin of the default bulk dispatcher (default DEFAULT_BULK_CONNECTIONS). */
  bulkConnections?: number;
}

/** Upstream connections per data centre for result downloads, when not configured (EXPORT_MAX_DOWNLOADS's default). */
export const DEFAULT_BULK_CONNECTIONS = 8;

const API_PREFIX = '/crm/v8';
const BULK_PREFIX = '/crm/bulk/v8';

/** One send's result: Zoho's answer, or no answer (with whether the request may have left). */
type Sent<T> = { kind: 'response'; res: ZohoResult<T> } | { kind: 'network'; error: unknown; sent: boolean };

export class ZohoClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  /** Result downloads' own pool (see ZohoClientOptions.bulkDispatcher). */
  private readonly bulkDispatcher: Dispatcher;
  private readonly ownsBulkDispatcher: boolean;
  private readonly budget: OrgBudget;
  /** Present when the org budget exceeds HEAVY_MAX_CONCURRENT. */
  private readonly heavyBudget: OrgBudget | undefined;
  private readonly tenantLimiter: KeyedLimiter;
  private readonly queueTimeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: ZohoClientOptions) {
    const t = options.timeouts ?? {};
    this.ownsDispatcher = !options.dispatcher;
    // One Agent keeps a keep-alive pool per API domain (one per Zoho DC in use).
    this.dispatcher =
      options.dispatcher ?? new Agent({ connections: 32, keepAliveTimeout: 30_000, connectTimeout: t.connectMs ?? 5_000, headersTimeout: t.headersMs ?? 30_000, bodyTimeout: t.bodyMs ?? 30_000 });
    this.ownsBulkDispatcher = !options.bulkDispatcher;
    this.bulkDispatcher =
      options.bulkDispatcher ??
      new Agent({
        connections: options.bulkConnections ?? DEFAULT_BULK_CONNECTIONS,
        keepAliveTimeout: 30_000,
        connectTimeout: t.connectMs ?? 5_000,
        headersTimeout: t.headersMs ?? 30_000,
        bodyTimeout: t.bodyMs ?? 30_000,
      });
    const budget = (limit: number) =>
      new OrgBudget({
        limit,
        leaseTtlMs: options.leaseTtlMs ?? DEFAULT_LEASE_TTL_MS,
        log: options.log,
        ...(options.shared ? { shared: options.shared } : {}),
        ...(options.random ? { random: options.random } : {}),
        ...(options.onBudgetEvent ? { onEvent: options.onBudgetEvent } : {}),
      });
    const limit = options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    this.budget = budget(limit);
    this.heavyBudget = limit > HEAVY_MAX_CONCURRENT ? budget(HEAVY_MAX_CONCURRENT) : undefined;
    this.tenantLimiter = new KeyedLimiter(options.maxConcurrentPerTenant ?? 2 * (options.maxConcurrent ?? DEFAULT_MAX_CONCURRENT));
    this.queueTimeoutMs = options.queueTimeoutMs ?? DEFAULT_QUEUE_TIMEOUT_MS;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /**
   * A CRM call for a tenant's connection. A 401 INVALID_TOKEN or AUTHENTICATION_FAILURE triggers one forced refresh and one
   * resend (Zoho revokes tokens early, e.g. past 15 live tokens per refresh token); 429, and for
   * idempotent calls 5xx and network failures, are retried within the retry policy.
   */
  async call<T>(tenantId: string, connectionName: string, call: ZohoCall, observe?: CallObserver, tokens: AccessTokens = this.options.tokens): Promise<ZohoResult<T>> {
    return this.run<T>(tenantId, connectionName, call, observe, tokens, false);
  }

  /**
   * A CRM call whose successful (2xx) answer is streamed, not parsed: the Bulk Read result ZIP.
   * Retries, the forced refresh and error mapping are `call`'s; the org and tenant slots are held
   * until the headers arrive, not while the caller reads the body (UNVERIFIED whether Zoho counts
   * a download in progress against the org's concurrency). The caller must consume or destroy `body`.
   * Sent through the bulk dispatcher, a pool apart from every other call's.
   */
  async stream(tenantId: string, connectionName: string, call: ZohoCall, observe?: CallObserver): Promise<ZohoResult<Readable>> {
    return this.run<Readable>(tenantId, connectionName, call, observe, this.options.tokens, true);
  }

  private async run<T>(tenantId: string, connectionName: string, call: ZohoCall, observe: CallObserver | undefined, tokens: AccessTokens, raw: boolean): Promise<ZohoResult<T>> {
    const lane = laneKey(tenantId, connectionName);
    let connection = await tokens.getAccessToken(tenantId, connectionName);
    let refreshed = false;
    return this.withRetries<T>(call, async (attempt) => {
      const sendNow = () =>
        this.inSlots(tenantId, orgKey(connection, lane), lane, call, () =>
          this.send<T>(connection.apiDomain, connection.accessToken, call, attempt(), observe, raw, raw ? this.bulkDispatcher : this.dispatcher),
        );
      const first = await sendNow();
      if (refreshed || first.kind !== 'response' || !isInvalidToken(first.res)) return first;
      refreshed = true;
      connection = await tokens.forceRefresh(tenantId, connectionName, connection.accessToken);
      return sendNow();
    });
  }

  /**
   * A CRM call with a token the caller holds (the connect flow, before a connection exists).
   * Retried like `call`, but outside the concurrency cap: there is no connection to key it by.
   */
  async callWithToken<T>(apiDomain: string, accessToken: string, call: ZohoCall, observe?: CallObserver): Promise<ZohoResult<T>> {
    return this.withRetries<T>(call, (attempt) => this.send<T>(apiDomain, accessToken, call, attempt(), observe));
  }

  /** Calls of a connection holding an org slot, and waiting for one, in this process now (for tests and metrics). */
  load(tenantId: string, connectionName: string): { active: number; queued: number } {
    return this.budget.load(laneKey(tenantId, connectionName));
  }

  /** Calls of a tenant (all connections) holding or waiting for a tenant slot in this process now. */
  tenantLoad(tenantId: string): { active: number; queued: number } {
    return { active: this.tenantLimiter.active(tenantId), queued: this.tenantLimiter.queued(tenantId) };
  }

  /**
   * Runs `fn` holding, in this order, a heavy-call slot of the org (heavy calls, budgets above
   * 10 only), a slot of the org, and one of the tenant. Org before tenant: a call queued behind
   * its org holds no tenant slot, so it cannot keep the tenant's other connections waiting. And a
   * call whose tenant has no slot free gives its org slots back while it waits for one: org slots
   * are shared with the org's other tenants (and instances), whose calls would otherwise wait for
   * calls Zoho never sees. All waits together are bounded by the queue timeout.
   */
  private async inSlots<T>(tenantId: string, org: string, lane: string, call: ZohoCall, fn: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const left = () => Math.max(1, this.queueTimeoutMs - (performance.now() - started));
    let releaseOrg = await this.orgSlots(tenantId, org, lane, call, left);
    let releaseTenant = this.tenantLimiter.tryAcquire(tenantId);
    if (!releaseTenant) {
      releaseOrg();
      releaseTenant = await this.waitFor(() => this.tenantLimiter.acquire(tenantId, left()), 'tenant', tenantId, call);
      try {
        // Holding its tenant slot now: a wait here keeps only this tenant's own calls waiting.
        releaseOrg = await this.orgSlots(tenantId, org, lane, call, left);
      } catch (err) {
        releaseTenant();
        throw err;
      }
    }
    try {
      return await fn();
    } finally {
      releaseTenant();
      releaseOrg();
    }
  }

  /** The org's slots a call needs; resolves with the function giving them all back. */
  private async orgSlots(tenantId: string, org: string, lane: string, call: ZohoCall, left: () => number): Promise<() => void> {
    // The scarcer line first: a heavy call waiting for its sub-slot holds no org slot meanwhile.
    const heavy = this.heavyBudget && isHeavy(call) ? this.heavyBudget : undefined;
    const releaseHeavy = heavy ? await this.waitFor(() => heavy.acquire(`${org}:heavy`, lane, left()).then((slot) => () => slot.release()), 'org', tenantId, call) : () => undefined;
    try {
      const releaseOrg = await this.waitFor(() => this.budget.acquire(org, lane, left()).then((slot) => () => slot.release()), 'org', tenantId, call);
      return () => {
        releaseOrg();
        releaseHeavy();
      };
    } catch (err) {
      releaseHeavy();
      throw err;
    }
  }

  private async waitFor(acquire: () => Promise<() => void>, line: 'org' | 'tenant', tenantId: string, call: ZohoCall): Promise<() => void> {
    try {
      return await acquire();
    } catch (err) {
      if (!(err instanceof QueueTimeout)) throw err;
      this.options.log.warn({ tenantId, line, queueTimeoutMs: this.queueTimeoutMs, path: call.path, method: call.method }, 'zoho call timed out waiting for a slot');
      throw new GatewayError(
        'ZOHO_RATE_LIMITED',
        `Too many Zoho calls in flight for this ${line}: ${call.method} ${call.path} waited ${this.queueTimeoutMs} ms for a slot; retry after ${QUEUE_RETRY_AFTER_SEC} s`,
        { retryAfterSec: QUEUE_RETRY_AFTER_SEC, queue: line },
      );
    }
  }

  async close(): Promise<void> {
    this.budget.close();
    this.heavyBudget?.close();
    if (this.ownsDispatcher) await this.dispatcher.close();
    if (this.ownsBulkDispatcher) await this.bulkDispatcher.close();
  }

  /**
   * Sends until an answer is final or the policy says stop. `sendOnce` gets a counter to number
   * each upstream attempt (it may send twice: the forced-refresh resend).
   */
  private async withRetries<T>(call: ZohoCall, sendOnce: (attempt: () => number) => Promise<Sent<T>>): Promise<ZohoResult<T>> {
    const idempotent = isIdempotent(call);
    const what = `${call.method} ${call.path}`;
    let attempts = 0;
    const attempt = () => ++attempts;
    let waitedMs = 0;
    for (;;) {
      const sent = await sendOnce(attempt);
      const outcome: AttemptOutcome =
        sent.kind === 'response' ? { kind: 'response', status: sent.res.status, body: sent.res.body as ZohoErrorBody | null, headers: sent.res.headers } : { kind: 'network' };
      const verdict = decideRetry(outcome, { attempt: attempts, waitedMs, idempotent, now: this.now(), random: this.random }, this.policy);
      if (verdict.retry) {
        this.options.log.info({ path: call.path, method: call.method, status: sent.kind === 'response' ? sent.res.status : 0, attempt: attempts, delayMs: verdict.delayMs }, 'zoho call retried');
        await this.sleep(verdict.delayMs);
        waitedMs += verdict.delayMs;
        continue;
      }
      if (verdict.reason !== 'final') this.options.log.warn({ path: call.path, method: call.method, attempts, waitedMs, reason: verdict.reason, hintMs: verdict.hintMs }, 'zoho call gave up');
      if (sent.kind === 'network') throw zohoUnreachable(what, { write: !idempotent, sent: sent.sent }, sent.error);
      return this.check(sent.res, what, idempotent);
    }
  }

  private check<T>(res: ZohoResult<T>, what: string, idempotent: boolean): ZohoResult<T> {
    if (res.status < 400 && res.status !== 207) return res;
    if (res.status === 207) return res; // per-record outcomes: the caller reads them
    // A write Zoho refused for every record is a 400 whose `data[]` holds each record's outcome
    // (https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html; crm-oas createRecords
    // response-400-*.md): results for the caller to read, like 207. Writes only: reads are never
    // answered so, and their 400s stay errors.
    if (res.status === 400 && !idempotent && Array.isArray((res.body as { data?: unknown } | null)?.data)) return res;
    throw mapZohoError(res.status, res.body as ZohoErrorBody | null, res.headers, what, { write: !idempotent, now: this.now() });
  }

  private report(attempt: ZohoAttempt, observe: CallObserver | undefined): void {
    observe?.(attempt);
    this.options.onAttempt?.(attempt);
  }

  private async send<T>(apiDomain: string, accessToken: string, call: ZohoCall, attempt: number, observe?: CallObserver, raw = false, dispatcher = this.dispatcher): Promise<Sent<T>> {
    const headers: Record<string, string> = { authorization: `Zoho-oauthtoken ${accessToken}`, accept: 'application/json' };
    if (call.ifModifiedSince !== undefined) headers['if-modified-since'] = call.ifModifiedSince;
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    let res: Dispatcher.ResponseData;
    let text: string;
    try {
      // Straight to the dispatcher with origin and path: the same bytes on the wire as a URL
      // object would give, without parsing one per call (it showed in the profile).
      res = await dispatcher.request({ origin: originOf(apiDomain), path: pathOf(call), method: call.method, headers, body });
      if (raw && res.statusCode >= 200 && res.statusCode < 300) {
        this.report({ method: call.method, path: call.path, status: res.statusCode, apiDomain, credits: creditsFor(call, { status: res.statusCode }), attempt }, observe);
        return { kind: 'response', res: { status: res.statusCode, body: res.body as unknown as T, headers: res.headers } };
      }
      text = await res.body.text();
    } catch (err) {
      const sent = !neverSent(err);
      this.options.log.warn({ err: err instanceof undiciErrors.UndiciError ? errorName(err) : describeError(err), path: call.path, apiDomain, attempt }, 'zoho call failed');
      // No answer: a request that left may still have cost credits (counted as the table says).
      this.report({ method: call.method, path: call.path, status: 0, apiDomain, credits: sent ? creditsFor(call) : 0, attempt }, observe);
      return { kind: 'network', error: err, sent };
    }
    this.report({ method: call.method, path: call.path, status: res.statusCode, apiDomain, credits: creditsFor(call, { status: res.statusCode }), attempt }, observe);
    let parsed: T | null = null;
    if (text) {
      try {
        parsed = JSON.parse(text) as T;
      } catch {
        if (res.statusCode < 500) throw new GatewayError('ZOHO_ERROR', `Zoho answered ${call.method} ${call.path} with a body that is not JSON`, { status: res.statusCode });
      }
    }
    return { kind: 'response', res: { status: res.statusCode, body: parsed, headers: res.headers } };
  }
}

/** Origins of the API domains seen (one per data centre in use), parsed once. */
const origins = new Map<string, string>();

function originOf(apiDomain: string): string {
  let origin = origins.get(apiDomain);
  if (origin === undefined) {
    origin = new URL(apiDomain).origin;
    if (origins.size < 100) origins.set(apiDomain, origin);
  }
  return origin;
}

/**
 * Paths sent as they are: RFC 3986 pchar and `/`, and no dot segment. Anything else goes through
 * URL's encoding and normalisation, exactly as before this shortcut.
 */
const PLAIN_PATH = /^(?!.*\/\.)[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;

/** `/crm/v8<path>?<query>`, encoded as `new URL` and its searchParams would encode it. */
export function pathOf(call: Pick<ZohoCall, 'path' | 'query' | 'api'>): string {
  const raw = `${call.api === 'bulk' ? BULK_PREFIX : API_PREFIX}${call.path}`;
  const path = PLAIN_PATH.test(raw) ? raw : new URL(raw, 'http://x').pathname;
  const query = new URLSearchParams();
  for (const k in call.query) {
    const v = call.query[k];
    if (v !== undefined) query.append(k, String(v));
  }
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}

function laneKey(tenantId: string, connectionName: string): string {
  return JSON.stringify([tenantId, connectionName]);
}

/**
 * The budget Zoho counts against: the org, in its data centre (two tenants that connected the same
 * org share it). A connection without an org id (only hand-made ones in tests) is its own budget.
 */
function orgKey(connection: CallTarget, lane: string): string {
  return connection.zohoOrgId ? `${connection.dc}:${connection.zohoOrgId}` : `lane:${lane}`;
}

/**
 * The calls Zoho counts against its sub-concurrency (HEAVY_MAX_CONCURRENT): COQL, convert lead,
 * and insert/update/upsert of more than 10 records. UNVERIFIED: whether other heavy reads (e.g.
 * searches) count too; the emulator (src/emulator/emulator.ts) models the same list.
 */
export function isHeavy(call: Pick<ZohoCall, 'method' | 'path' | 'body'>): boolean {
  if (call.method === 'POST' && call.path === '/coql') return true;
  if (/\/actions\/convert$/.test(call.path)) return true;
  if (call.method !== 'POST' && call.method !== 'PUT' && call.method !== 'PATCH') return false;
  const data = (call.body as { data?: unknown } | null | undefined)?.data;
  return Array.isArray(data) && data.length > 10;
}

/** GET, and the reads Zoho takes as POST (COQL), unless the call says otherwise. */
export function isIdempotent(call: Pick<ZohoCall, 'method' | 'path' | 'idempotent'>): boolean {
  if (call.idempotent !== undefined) return call.idempotent;
  return call.method === 'GET' || (call.method === 'POST' && call.path === '/coql');
}

/**
 * Zoho's 401s that mean "this access token is no good": INVALID_TOKEN (expired or revoked) and
 * AUTHENTICATION_FAILURE (missing or invalid). Both call for a new access token and one retry
 * (../shared/zoho-api.md "401 codes"; D/status-codes.html). OAUTH_SCOPE_MISMATCH is not one of
 * them: a new token carries the same scopes.
 */
const REJECTED_TOKEN_CODES = new Set(['INVALID_TOKEN', 'AUTHENTICATION_FAILURE']);

function isInvalidToken(res: ZohoResult<unknown>): boolean {
  const code = (res.body as ZohoErrorBody | null)?.code;
  return res.status === 401 && typeof code === 'string' && REJECTED_TOKEN_CODES.has(code);
}

/** Failures before a connection existed: the request never left, so nothing was written. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function neverSent(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NOT_SENT_CODES.has(code);
}
