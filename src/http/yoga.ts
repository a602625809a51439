import { createYoga, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import type { JwtVerifier } from '../auth/jwt.js';
import type { GraphQLContext } from '../graphql/context.js';
import { createLoaders } from '../graphql/loaders.js';
import { Metadata } from '../records/validate.js';
import { perRequestTokens } from '../tokens/request-tokens.js';
import { schema } from '../graphql/schema/index.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import type { ZohoCall } from '../zoho/client.js';
import type { DataCentre } from '../zoho/datacenters.js';
import { requestIdOf, useRequestId } from './plugins/request-id.js';
import { useZohoExtensions, zohoUsageOf } from './plugins/zoho-extensions.js';
import { useRoutes, type Route } from './plugins/routes.js';

export interface GatewayDeps {
  log: Logger;
  /** Verifies each request's bearer JWT into a Caller. */
  verifier: JwtVerifier;
  services: Services;
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
      useZohoExtensions(),
    ],
    // Every GraphQL request needs a valid bearer JWT: a failure here is a GatewayError
    // UNAUTHENTICATED, which Yoga answers with HTTP 401.
    context: async ({ request }): Promise<GraphQLContext> => {
      const requestId = requestIdOf(request);
      const caller = await deps.verifier.verify(request.headers.get('authorization'));
      const { tenantId, connectionName } = caller;
      const zohoCalls = zohoUsageOf(request);
      const tokens = perRequestTokens(deps.services.tokens);
      const observe = (attempt: { credits: number }) => {
        zohoCalls.calls++;
        zohoCalls.credits += attempt.credits;
      };
      const zoho = <T>(call: ZohoCall) => deps.services.zoho.call<T>(tenantId, connectionName, call, observe, tokens);
      let log: Logger | undefined;
      return {
        requestId,
        // Made on first use: most requests log nothing, and a pino child costs a few µs.
        get log() {
          return (log ??= deps.log.child({ requestId, tenantId }));
        },
        dataCentres: deps.dataCentres,
        caller,
        services: deps.services,
        loaders: createLoaders(zoho),
        metadata: new Metadata(deps.services.metadata, `${tenantId}:${connectionName}`, zoho),
        zoho,
        zohoCalls,
      };
    },
  });
}
