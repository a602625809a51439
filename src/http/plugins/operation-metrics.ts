import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../../graphql/context.js';
import type { Metrics } from '../../observability/metrics.js';

/** One finished GraphQL request, as the observers below see it. */
export interface FinishedOperation {
  request: Request;
  /** The operation's name, when it has one. */
  name: string | undefined;
  /** `ok`, or the first error's code. */
  outcome: string;
  /** Request received to result, in seconds. */
  seconds: number;
  /** The verified caller's tenant, when the request got that far. */
  tenantId: string | undefined;
}

/**
 * The operation label of every request without a verified caller (refused bearer, or refused
 * before the bearer was checked: CSRF, limits, parse and validation errors).
 */
export const UNAUTHENTICATED_OPERATION = 'unauthenticated';

/**
 * Counts and times every GraphQL request by operation name and outcome. The name is the
 * client's own text, so it becomes a label only once the JWT is verified: otherwise anyone could
 * fill the bounded label set with made-up names and push every real operation into `other`.
 */
export function operationMetrics(metrics: Metrics): OperationObserver {
  return (o) => metrics.operation(o.tenantId === undefined ? UNAUTHENTICATED_OPERATION : o.name, o.outcome, o.seconds);
}

export type OperationObserver = (operation: FinishedOperation) => void;

/**
 * Calls every observer once per GraphQL request. onResultProcess is the one hook that sees every
 * outcome (results, validation errors, refused bearers, rate limits), so the call happens there;
 * the name comes from the parsed document when execution got that far, else from the request's
 * `operationName`. One plugin serves them all (the access log, the metrics): each hook Yoga runs
 * costs a promise-helper wrap per request, and the observers share what the hooks gather.
 */
export function useOperationObserver(observers: readonly OperationObserver[]): Plugin<GraphQLContext> {
  const started = new WeakMap<Request, number>();
  const names = new WeakMap<Request, string>();
  const tenants = new WeakMap<Request, string>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onParams({ params, request }) {
      if (params.operationName) names.set(request, params.operationName);
    },
    onExecute({ args }) {
      const { request, caller } = args.contextValue;
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (request && name) names.set(request, name);
      if (request && caller) tenants.set(request, caller.tenantId);
    },
    onSubscribe({ args }) {
      const { request, caller } = args.contextValue;
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (request && name) names.set(request, name);
      if (request && caller) tenants.set(request, caller.tenantId);
    },
    onResultProcess({ request, result }) {
      const start = started.get(request);
      if (start === undefined) return;
      started.delete(request);
      const seconds = (performance.now() - start) / 1000;
      // A stream (subscription) counts once, as started; its events are not operations.
      const results = isAsyncIterable(result) ? [{}] : Array.isArray(result) ? result : [result];
      for (const r of results) {
        const finished: FinishedOperation = { request, name: names.get(request), outcome: outcomeOf(r), seconds, tenantId: tenants.get(request) };
        for (const observe of observers) observe(finished);
      }
    },
  };
}

function outcomeOf(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): string {
  const first = result.errors?.[0];
  if (!first) return 'ok';
  const code = first.extensions?.code;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
