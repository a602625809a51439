import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { GraphQLContext } from '../graphql/context.js';
import { schema } from '../graphql/schema/index.js';
import type { Logger } from '../log.js';
import type { DataCentre } from '../zoho/datacenters.js';
import { requestIdOf, useRequestId } from './plugins/request-id.js';
import { useRoutes, type Route } from './plugins/routes.js';

export interface GatewayDeps {
  log: Logger;
  dataCentres: readonly DataCentre[];
  /** Readiness: true when the store answers. */
  ready(): Promise<boolean>;
  /** Extra plain routes (OAuth callback, webhooks). */
  routes?: readonly Route[];
  /** GraphiQL on `/graphql` (default true). */
  graphiql?: boolean | { defaultQuery?: string; headers?: string };
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

/**
 * Builds the gateway's fetch handler. It never listens: `server.ts` does, and tests call
 * `yoga.fetch` or a real port.
 */
export function createGateway(deps: GatewayDeps): Gateway {
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    graphiql: deps.graphiql === false ? false : { title: 'Zoho CRM GraphQL gateway', ...(typeof deps.graphiql === 'object' ? deps.graphiql : {}) },
    logging: {
      debug: (...args) => deps.log.debug({ args }, 'yoga'),
      info: (...args) => deps.log.info({ args }, 'yoga'),
      warn: (...args) => deps.log.warn({ args }, 'yoga'),
      error: (...args) => deps.log.error({ args }, 'yoga'),
    },
    plugins: [
      useRequestId(),
      useReadinessCheck({
        endpoint: '/readyz',
        // A throw would put its message in the body; answer a plain 503 instead.
        check: async () => {
          try {
            return await deps.ready();
          } catch {
            return false;
          }
        },
      }),
      useRoutes(deps.routes ?? []),
    ],
    context: ({ request }): GraphQLContext => {
      const requestId = requestIdOf(request);
      return { requestId, log: deps.log.child({ requestId }), dataCentres: deps.dataCentres };
    },
  });
}
