import type { IncomingMessage, ServerResponse } from 'node:http';
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

/**
 * The node:http handler of the separate metrics listener (METRICS_PORT): `GET /metrics` and
 * nothing else, so that port never exposes the GraphQL API or its plain routes.
 */
export function metricsListener(metrics: Metrics, onError: (err: unknown) => void): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics.invalid').pathname;
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    metrics.render().then(
      ({ body, contentType }) => res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body),
      (err: unknown) => {
        onError(err);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable');
      },
    );
  };
}
