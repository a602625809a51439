/**
 * The gateway's Prometheus metrics. Each app owns its own prom-client Registry rather than the
 * module-global default one, so several apps in one process (tests, the bench) never clash over
 * metric names. No label ever carries a tenant id, a user or a record id: labels must stay few
 * (each value is a time series kept forever) and /metrics must reveal nothing about customers.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { ConnectionCacheStats } from '../tokens/connection-cache.js';
import type { TokenStats } from '../tokens/token-manager.js';
import type { CallObserver, ZohoAttempt } from '../zoho/client.js';
import type { DataCentreTable } from '../zoho/datacenters.js';
import type { BudgetEvent } from '../zoho/org-budget.js';
import { zohoRouteLabel } from './zoho-route.js';

/** Distinct values one label may take before the rest are folded into `other`. */
const MAX_LABEL_VALUES = 200;
/** Operation names are chosen by clients: keep a sane alphabet and length. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Error codes are ours or Yoga's (`GRAPHQL_PARSE_FAILED`, …): upper case words. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,47}$/;

/** Where a request was turned away for going too fast. */
export type RateLimitSource = 'zoho' | 'tenant';

export interface Metrics {
  readonly registry: Registry;
  /** One GraphQL operation finished: `outcome` is `ok` or the first error's code. */
  operation(name: string | undefined, outcome: string, seconds: number): void;
  /** Observes every upstream Zoho attempt (ZohoClientOptions.onAttempt). */
  zohoObserver(dataCentres: DataCentreTable): CallObserver;
  /** A caller was refused by the per-tenant limit. */
  tenantRateLimited(): void;
  /** A store operation rejected. */
  storeError(operation: string): void;
  /** The shared Zoho concurrency budget fell back to the local cap, or lost a lease (ZohoClientOptions.onBudgetEvent). */
  zohoBudgetEvent(event: BudgetEvent): void;
  /** Reads the token manager's counters, and the connection cache's, at every scrape. */
  watchTokens(stats: Readonly<TokenStats>, cache?: Readonly<ConnectionCacheStats>): void;
  /** Reads how many requests each lane of the HTTP listener took, at every scrape. */
  watchLanes(lanes: Readonly<{ fast: number; adapter: number }>): void;
  /** The exposition text and its content type. */
  render(): Promise<{ body: string; contentType: string }>;
}

/** Keeps a label's value set bounded: the first MAX_LABEL_VALUES values pass, later new ones become `other`. */
function boundedLabel(): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= MAX_LABEL_VALUES) return 'other';
    seen.add(value);
    return value;
  };
}

/** A counter mirroring a monotonically growing number owned elsewhere, read at scrape time. */
function mirror(registry: Registry, name: string, help: string, read: () => number | undefined): void {
  let last = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read() ?? last;
      // Counters only go up; the source never resets, but guard anyway so a scrape cannot throw.
      if (now > last) this.inc(now - last);
      last = Math.max(last, now);
    },
  });
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Process figures (CPU, memory, event-loop lag, GC), prefixed like ours, on this registry only.
  collectDefaultMetrics({ register: registry, prefix: 'zgw_' });

  const operations = new Counter({
    name: 'zgw_graphql_operations_total',
    help: 'GraphQL operations by operation name and outcome (ok, or the first error code).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'zgw_graphql_operation_duration_seconds',
    help: 'Time from receiving a GraphQL request to its result, by operation name.',
    labelNames: ['operation'] as const,
    // Most operations make 0-3 Zoho calls of 100-500 ms each; long tails are retries and waits.
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const zohoCalls = new Counter({
    name: 'zgw_zoho_calls_total',
    help: 'Upstream Zoho CRM attempts (retries included) by method, route (ids as :id), data centre and HTTP status (0: no answer).',
    labelNames: ['method', 'route', 'dc', 'status'] as const,
    registers: [registry],
  });
  const zohoCredits = new Counter({
    name: 'zgw_zoho_credits_total',
    help: 'Zoho API credits spent by upstream attempts, by data centre.',
    labelNames: ['dc'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'zgw_rate_limited_total',
    help: 'Requests slowed or refused for going too fast: source zoho (Zoho answered 429, the call waits and retries) or tenant (our per-tenant limit refused a GraphQL request).',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: 'zgw_store_errors_total',
    help: 'Store operations that failed (backend unreachable, refused write), by operation.',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const budgetEvents = new Counter({
    name: 'zgw_zoho_budget_events_total',
    help: "Trouble with the Zoho concurrency budget shared in Redis: fallback (Redis did not answer, the call was capped per instance), release_failed / renew_failed (a lease is freed by its TTL instead), lease_lost (a running call's lease had expired).",
    labelNames: ['event'] as const,
    registers: [registry],
  });
  for (const event of ['fallback', 'release_failed', 'renew_failed', 'lease_lost'] as const) budgetEvents.inc({ event }, 0);
  // Zero series exist from the start, so a rate() over them works before the first event.
  rateLimited.inc({ source: 'zoho' }, 0);
  rateLimited.inc({ source: 'tenant' }, 0);

  let tokens: Readonly<TokenStats> | undefined;
  mirror(registry, 'zgw_token_refreshes_total', 'Zoho access-token refreshes Zoho granted.', () => tokens?.refreshes);
  mirror(registry, 'zgw_token_refresh_failures_total', 'Zoho access-token refresh attempts that failed (network, throttle, refusal).', () => tokens?.refreshFailures);
  mirror(registry, 'zgw_token_refresh_lock_waits_total', "Token requests that waited for another instance's refresh.", () => tokens?.lockWaits);
  let cache: Readonly<ConnectionCacheStats> | undefined;
  mirror(registry, 'zgw_connection_cache_hits_total', "Connection lookups answered from this instance's copy (no store read).", () => cache?.hits);
  mirror(registry, 'zgw_connection_cache_misses_total', 'Connection lookups that read the store (no copy, or an expired one).', () => cache?.misses);
  mirror(registry, 'zgw_connection_cache_messages_total', 'Connection-change messages heard from the instances on this store (own included).', () => cache?.messages);
  mirror(registry, 'zgw_connection_cache_gaps_total', 'Times every copy was dropped because change messages may have been lost (broadcast reconnected).', () => cache?.gaps);

  let lanes: Readonly<{ fast: number; adapter: number }> | undefined;
  mirror(registry, 'zgw_http_fast_lane_requests_total', 'HTTP requests read and handed to Yoga by the fast lane (POST /graphql with a declared length).', () => lanes?.fast);
  mirror(registry, 'zgw_http_adapter_requests_total', "HTTP requests handled by Yoga's Node adapter (every other request).", () => lanes?.adapter);

  const operationLabel = boundedLabel();
  const routeLabel = boundedLabel();

  return {
    registry,
    operation(name, outcome, seconds) {
      const operation = name && OPERATION_NAME.test(name) ? operationLabel(name) : name ? 'invalid' : 'anonymous';
      operations.inc({ operation, outcome: outcome === 'ok' || ERROR_CODE.test(outcome) ? outcome : 'ERROR' });
      durations.observe({ operation }, seconds);
    },
    zohoObserver(dataCentres) {
      // The attempt knows its API domain; the table says which DC that is. Unknown domains
      // (none should exist: connect validates them) are labelled by host.
      const byOrigin = new Map(Object.values(dataCentres).map((dc) => [originOf(dc.apiDomain), dc.key]));
      // Parsing the attempt's URL cost more than the rest of the observation: remember the
      // answer per apiDomain text (a connection's domain is one of a handful, so this stays small).
      const byDomain = new Map<string, string>();
      const dcOf = (apiDomain: string): string => {
        let dc = byDomain.get(apiDomain);
        if (dc === undefined) {
          dc = byOrigin.get(originOf(apiDomain)) ?? hostOf(apiDomain);
          if (byDomain.size < MAX_LABEL_VALUES) byDomain.set(apiDomain, dc);
        }
        return dc;
      };
      return (a: ZohoAttempt) => {
        const dc = dcOf(a.apiDomain);
        zohoCalls.inc({ method: a.method, route: routeLabel(zohoRouteLabel(a.path)), dc, status: String(a.status) });
        if (a.credits > 0) zohoCredits.inc({ dc }, a.credits);
        if (a.status === 429) rateLimited.inc({ source: 'zoho' });
      };
    },
    tenantRateLimited() {
      rateLimited.inc({ source: 'tenant' });
    },
    storeError(operation) {
      storeErrors.inc({ operation });
    },
    zohoBudgetEvent(event) {
      budgetEvents.inc({ event });
    },
    watchLanes(stats) {
      lanes = stats;
    },
    watchTokens(stats, cacheStats) {
      tokens = stats;
      cache = cacheStats;
    },
    async render() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown';
  }
}
