import type { RequestListener } from 'node:http';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Caller } from '../auth/caller.js';
import type { JwtVerifier } from '../auth/jwt.js';
import type { Config } from '../config/index.js';
import type { GraphQLContext } from '../graphql/context.js';
import { GatewayError } from '../errors.js';
import { createLoaders } from '../graphql/loaders.js';
import { metadataKey } from '../records/metadata.js';
import { Metadata } from '../records/validate.js';
import { perRequestTokens } from '../tokens/request-tokens.js';
import { schema } from '../graphql/schema/index.js';
import { accessLogger, lazyLogger, type Logger } from '../log.js';
import type { Services } from '../services.js';
import type { ZohoCall } from '../zoho/client.js';
import type { DataCentre } from '../zoho/datacenters.js';
import { graphiqlPage, withGraphiQLPolicy } from './graphiql.js';
import { withFastLane, type LaneStats } from './fast-lane.js';
import { useOperationObserver, type OperationObserver } from './plugins/operation-metrics.js';
import { echoRequestId, requestIdOf } from './plugins/request-id.js';
import { useZohoExtensions, zohoUsageOf } from './plugins/zoho-extensions.js';
import { useRoutes, type Route } from './plugins/routes.js';
import { useAcceptCheck } from './plugins/accept.js';
import { useEndUnreadStreams } from './plugins/end-unread-streams.js';
import { useBodyLimit } from './plugins/body-limit.js';
import { corsFromAllowList, varyOnOrigin } from './plugins/cors.js';
import { useCsrfPrevention } from './plugins/csrf.js';
import { useIntrospectionPolicy } from './plugins/introspection.js';
import { maskError, useMaskedErrorIds } from './plugins/masked-errors.js';
import { useQueryLimits } from './plugins/query-limits.js';
import { spendZohoCall, useZohoBudget, zohoBudgetOf } from './plugins/zoho-budget.js';

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
  /** GraphiQL on `/graphql` (default true), when `security.graphiql` allows it. */
  graphiql?: boolean | { defaultQuery?: string; headers?: string };
  /** HTTP and GraphQL limits and exposure: CORS, GraphiQL, introspection, query limits, body size, Zoho call budget. */
  security: Config['security'];
  /** Operational plugins app.ts adds (operation metrics, per-tenant rate limit); they run after the request id. */
  plugins?: readonly Plugin<GraphQLContext>[];
  /** Told of every finished GraphQL operation after its access line (operation metrics). */
  observers?: readonly OperationObserver[];
}

export type Gateway = YogaServerInstance<Record<string, unknown>, GraphQLContext> & {
  /** The node:http listener (./fast-lane.ts in front of Yoga's Node adapter). */
  listener: RequestListener;
  /** Requests each lane of the listener took. */
  lanes: Readonly<LaneStats>;
};

/**
 * Builds the gateway's fetch handler. It never listens: `server.ts` does, and tests call
 * `yoga.fetch` or a real port.
 */
export function createGateway(deps: GatewayDeps): Gateway {
  // The schema function and the context both need the caller: the JWT is verified once per request.
  const callers = new WeakMap<Request, Promise<Caller>>();
  const callerOf = (request: Request): Promise<Caller> => {
    let caller = callers.get(request);
    if (!caller) {
      caller = deps.verifier.verify(request.headers.get('authorization'));
      callers.set(request, caller);
    }
    return caller;
  };
  const schemaHashes = new WeakMap<Request, string>();
  /** Requests whose JWT was refused while choosing their schema, with the refusal. */
  const refused = new WeakMap<Request, GatewayError>();
  const access = accessLogger(deps.log);
  const graphiqlOptions = { title: 'Zoho CRM GraphQL gateway', ...(typeof deps.graphiql === 'object' ? deps.graphiql : {}) };
  const graphiql = deps.graphiql === false || !deps.security.graphiql ? undefined : graphiqlPage(graphiqlOptions);
  const yoga = createYoga<Record<string, unknown>, GraphQLContext>({
    // Each request runs on its connection's typed schema (shared by every connection of one
    // shape), or on the generic schema when the caller has none yet or is not authenticated (the
    // context then refuses it). Never built here: typed/registry.ts builds off the request path.
    schema: async ({ request }: { request: Request }) => {
      let caller: Caller;
      try {
        caller = await callerOf(request);
      } catch (err) {
        if (err instanceof GatewayError) refused.set(request, err);
        return schema;
      }
      const choice = await deps.services.typed.forConnection(caller.tenantId, caller.connectionName);
      if (choice.hash) schemaHashes.set(request, choice.hash);
      return choice.schema;
    },
    graphqlEndpoint: '/graphql',
    // MAX_BODY_BYTES is enforced by useBodyLimit (a smaller limit, 413 PAYLOAD_TOO_LARGE); Yoga's
    // own 25 MB limit would pipe every body through a second TransformStream for nothing.
    maxRequestBodySize: false,
    healthCheckEndpoint: '/healthz',
    landingPage: false,
    // Served whole from the gateway (no CDN), under a strict CSP: ./graphiql.ts.
    graphiql: graphiql ? { ...graphiqlOptions } : false,
    renderGraphiQL: () => graphiql!.template,
    logging: {
      debug: (...args) => deps.log.debug({ args }, 'yoga'),
      info: (...args) => deps.log.info({ args }, 'yoga'),
      warn: (...args) => deps.log.warn({ args }, 'yoga'),
      error: (...args) => deps.log.error({ args }, 'yoga'),
    },
    cors: corsFromAllowList(deps.security.corsOrigins),
    // Unexpected errors become INTERNAL with the request id; GatewayErrors pass (plugins/masked-errors.ts).
    maskedErrors: { maskError, isDev: false },
    plugins: [
      {
        // One hook for every header the gateway adds to an answer: each hook costs a promise
        // wrap per request in @whatwg-node/server.
        onResponse({ request, response, setResponse }) {
          echoRequestId(request, response);
          varyOnOrigin(request, response);
          if (graphiql) withGraphiQLPolicy(graphiql, request, response, setResponse);
          // Which typed schema answered (absent: the generic one), so a client can tell a stale codegen.
          const hash = schemaHashes.get(request);
          if (hash) response.headers.set('x-schema-hash', hash);
        },
      },
      // One access-log line per operation: request id, tenant, operation name, outcome, time.
      useOperationObserver([
        (o) => access({ requestId: requestIdOf(o.request), tenantId: o.tenantId, operation: o.name ?? null, outcome: o.outcome, ms: Math.round(o.seconds * 1000), zoho: zohoUsageOf(o.request) }),
        ...(deps.observers ?? []),
      ]),
      ...(deps.plugins ?? []),
      useBodyLimit(deps.security.maxBodyBytes),
      useReadiness(deps.ready),
      useRoutes(deps.routes ?? []),
      useZohoExtensions(),
      // Security: refused before the JWT is checked, except the Zoho call budget (needs the operation).
      useCsrfPrevention(),
      ...useIntrospectionPolicy(deps.security.introspection),
      ...useQueryLimits(deps.security),
      useZohoBudget({ budget: deps.security.zohoCallBudget }),
      useMaskedErrorIds(deps.log),
      useAuthBeforeValidation(refused),
      useAcceptCheck(),
      // Last: it reads the result processor Yoga chose.
      useEndUnreadStreams(),
    ],
    // Every GraphQL request needs a valid bearer JWT: a failure here is a GatewayError
    // UNAUTHENTICATED, which Yoga answers with HTTP 401.
    context: async (initial): Promise<GraphQLContext> => {
      const { request } = initial;
      const requestId = requestIdOf(request);
      const caller = await callerOf(request);
      const { tenantId, connectionName } = caller;
      const zohoCalls = zohoUsageOf(request);
      const tokens = perRequestTokens(deps.services.tokens);
      const observe = (attempt: { credits: number }) => {
        zohoCalls.calls++;
        zohoCalls.credits += attempt.credits;
      };
      const budget = zohoBudgetOf(request, deps.security.zohoCallBudget);
      const zoho = async <T>(call: ZohoCall) => {
        // The runtime half of ZOHO_CALL_BUDGET: throws before the call beyond the budget.
        spendZohoCall(budget);
        return deps.services.zoho.call<T>(tenantId, connectionName, call, observe, tokens);
      };
      const context: GraphQLContext = {
        requestId,
        dataCentres: deps.dataCentres,
        caller,
        services: deps.services,
        loaders: createLoaders(zoho),
        metadata: new Metadata(deps.services.metadata, metadataKey(tenantId, connectionName), zoho),
        zoho,
        zohoCalls,
        // Made on first use: most requests log nothing. Not a getter: Envelop copies this object
        // onto the request's context with Object.assign, which would call it (a child per
        // request), and a getter defined on that context instead cost more than the rest here.
        log: lazyLogger(() => deps.log.child({ requestId, tenantId })),
      };
      return context;
    },
  });
  return Object.assign(yoga, withFastLane(yoga, { maxBodyBytes: deps.security.maxBodyBytes, log: deps.log }));
}

/**
 * GET /readyz: 200 when the store answers, else a plain 503 (a throw would put its message in the
 * body). Yoga's useReadinessCheck matched every request's URL against a URLPattern; a path
 * comparison is all it needs.
 */
function useReadiness(ready: () => Promise<boolean>): Plugin {
  return {
    // Not async: every other request passes through without a promise to wait for.
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/readyz') return;
      return ready().then(
        (ok) => endResponse(new fetchAPI.Response(null, { status: ok ? 200 : 503 })),
        () => endResponse(new fetchAPI.Response(null, { status: 503 })),
      );
    },
  };
}

/**
 * Without a valid JWT the generic schema validates the operation, so a typed one (`crm`) would fail
 * as an unknown field (400) and hide that the caller must authenticate: answer the JWT's refusal
 * (401) instead. The query limits still refuse before the JWT is looked at (they throw earlier).
 */
function useAuthBeforeValidation(refused: WeakMap<Request, GatewayError>): Plugin {
  return {
    onValidate({ context }) {
      return ({ valid }) => {
        const err = valid ? undefined : refused.get((context as { request: Request }).request);
        if (err) throw err;
      };
    },
  };
}
