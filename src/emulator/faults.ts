import { zohoError } from './errors.js';
import type { EmulatorRequest, EmulatorResponse } from './router.js';

/**
 * Fault injection for tests: the next N matching calls get a canned answer or extra latency
 * instead of (or before) the real handler.
 */

export interface FaultSpec {
  /** Route name (`GET /crm/v8/:module`), a regex over `METHOD /path`, or a predicate. */
  match?: string | RegExp | ((req: EmulatorRequest) => boolean);
  /** How many calls it applies to (default 1; Infinity for all until cleared). */
  times?: number;
  /** Answer with this instead of calling the handler. */
  response?: EmulatorResponse;
  /** Wait this long (ms) before answering. */
  delayMs?: number;
  /** Hold the answer until this settles: a slow call whose end the test decides (no timing). */
  hold?: Promise<unknown>;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export class Faults {
  private readonly active: ActiveFault[] = [];

  add(spec: FaultSpec): this {
    this.active.push({ ...spec, remaining: spec.times ?? 1 });
    return this;
  }

  clear(): void {
    this.active.length = 0;
  }

  /**
   * Zoho's 429 for a rate limit, as the v8 examples show it:
   * `{"code":"RATE_LIMIT_EXCEEDED","details":{},"message":"Too many requests. Please try again later.","status":"error"}`
   * (crm-oas v8.0/module_search/operations/bulkSearchRecords/examples/response-429-ratelimitexceeded.md)
   * and no reset headers (../shared/zoho-api.md "Limits": `X-RATELIMIT-*` are documented for old
   * API versions only, https://www.zoho.com/crm/developer/docs/api/v2/api-limits.html). A client
   * must back off on its own. `resetInMs` adds the old headers (`X-RATELIMIT-LIMIT`, `-REMAINING`,
   * `-RESET` as epoch ms) for tests of a client that honours them when present.
   */
  rateLimit(opts: { times?: number; resetInMs?: number; match?: FaultSpec['match']; now?: number } = {}): this {
    const headers = opts.resetInMs === undefined ? undefined : { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String((opts.now ?? Date.now()) + opts.resetInMs) };
    return this.add({
      match: opts.match ?? /^[A-Z]+ \/crm\//,
      times: opts.times ?? 1,
      response: zohoError(429, 'RATE_LIMIT_EXCEEDED', 'Too many requests. Please try again later.', {}, headers),
    });
  }

  /** A server error (500 INTERNAL_ERROR by default, or e.g. 503 with Zoho's envelope). */
  serverError(opts: { times?: number; status?: number; match?: FaultSpec['match'] } = {}): this {
    const status = opts.status ?? 500;
    return this.add({
      match: opts.match ?? /^[A-Z]+ \/crm\//,
      times: opts.times ?? 1,
      response: zohoError(status, 'INTERNAL_ERROR', 'Internal Server Error'),
    });
  }

  /** A 401 INVALID_TOKEN, as Zoho answers a token it no longer honours. */
  invalidToken(opts: { times?: number; match?: FaultSpec['match'] } = {}): this {
    return this.add({
      match: opts.match ?? /^[A-Z]+ \/crm\//,
      times: opts.times ?? 1,
      response: zohoError(401, 'INVALID_TOKEN', 'invalid oauth token'),
    });
  }

  /**
   * A 401 AUTHENTICATION_FAILURE, Zoho's answer to a missing or invalid token (../shared/zoho-api.md
   * "401 codes"; D/status-codes.html): a client refreshes once and retries, as for INVALID_TOKEN.
   */
  authenticationFailure(opts: { times?: number; match?: FaultSpec['match'] } = {}): this {
    return this.add({
      match: opts.match ?? /^[A-Z]+ \/crm\//,
      times: opts.times ?? 1,
      response: zohoError(401, 'AUTHENTICATION_FAILURE', 'Authentication failed'),
    });
  }

  /**
   * Holds the next `times` matching calls (default 1) until `release()` — e.g. a slow
   * `GET /crm/v8/settings/fields` while a client rebuilds its schema in the background.
   */
  hold(match: FaultSpec['match'], opts: { times?: number } = {}): { release(): void } {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.add({ match, times: opts.times ?? 1, hold: gate });
    return { release };
  }

  latency(delayMs: number, opts: { times?: number; match?: FaultSpec['match'] } = {}): this {
    return this.add({ match: opts.match ?? /./, times: opts.times ?? Infinity, delayMs });
  }

  /** The fault that applies to this call, if any (and counts it down). */
  take(req: EmulatorRequest): FaultSpec | undefined {
    const key = `${req.method} ${req.path}`;
    for (let i = 0; i < this.active.length; i++) {
      const f = this.active[i]!;
      const m = f.match;
      const hit = m === undefined || (typeof m === 'string' ? m === req.route : m instanceof RegExp ? m.test(key) || m.test(req.route) : m(req));
      if (!hit) continue;
      f.remaining--;
      if (f.remaining <= 0) this.active.splice(i, 1);
      return f;
    }
    return undefined;
  }
}
