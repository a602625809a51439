import type { Metrics } from '../../observability/metrics.js';
import type { Route } from '../plugins/routes.js';

/**
 * `GET /metrics`: the Prometheus text exposition. It names no tenant or user, but it does show
 * traffic and error rates: keep it on an internal port or behind the load balancer's allow-list.
 */
export function metricsRoute(metrics: Metrics): Route {
  return {
    method: 'GET',
    path: '/metrics',
    async handle() {
      const { body, contentType } = await metrics.render();
      return new Response(body, { status: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
    },
  };
}
