/**
 * The operational extras startApp adds to the gateway, each switched by configuration: /metrics
 * (METRICS; on the main port unless METRICS_PORT gives it its own listener, see app.ts) and
 * operation metrics, and the per-tenant limit (RATE_LIMIT_PER_MINUTE > 0).
 */
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config/index.js';
import type { GraphQLContext } from '../graphql/context.js';
import { operationMetrics, type OperationObserver } from '../http/plugins/operation-metrics.js';
import { useTenantRateLimit } from '../http/plugins/rate-limit.js';
import type { Route } from '../http/plugins/routes.js';
import { metricsRoute } from '../http/routes/metrics.js';
import type { Logger } from '../log.js';
import { createTenantLimiter, type TenantLimiter } from '../ratelimit/tenant-limiter.js';
import type { Store } from '../store/index.js';
import type { Metrics } from './metrics.js';

export interface Operational {
  plugins: Plugin<GraphQLContext>[];
  /** What learns of every finished operation (the operation metrics), beside the access log. */
  observers: OperationObserver[];
  routes: Route[];
  /** The per-tenant request limiter (RATE_LIMIT_PER_MINUTE), for routes outside GraphQL (export downloads); absent when off. */
  limiter: TenantLimiter | undefined;
  /** Sends what the rate limiter has not counted yet (graceful stop, before the store closes). */
  close(): Promise<void>;
}

export function operational(deps: { config: Config; store: Store; log: Logger; metrics: Metrics | undefined }): Operational {
  const { config, store, log, metrics } = deps;
  const plugins: Plugin<GraphQLContext>[] = [];
  const observers: OperationObserver[] = [];
  const routes: Route[] = [];
  if (metrics) {
    observers.push(operationMetrics(metrics));
    if (!config.metricsListener) routes.push(metricsRoute(metrics));
  }
  const limit = config.security.rateLimitPerMinute;
  const limiter = limit > 0 ? createTenantLimiter(store, { limit, log, ...(metrics ? { onError: () => metrics.storeError('rateLimit') } : {}) }) : undefined;
  if (limiter) plugins.push(useTenantRateLimit({ limiter, log, ...(metrics ? { onRefused: () => metrics.tenantRateLimited() } : {}) }));
  return { plugins, observers, routes, limiter, close: async () => limiter?.close() };
}
