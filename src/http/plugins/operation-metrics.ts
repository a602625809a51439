import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../../graphql/context.js';
import type { Metrics } from '../../observability/metrics.js';

/**
 * Counts and times every GraphQL request by operation name and outcome. onResultProcess is the
 * one hook that sees every outcome (results, validation errors, refused bearers, rate limits),
 * so the count happens there; the name comes from the parsed document when execution got that
 * far, else from the request's `operationName`.
 */
export function useOperationMetrics(metrics: Metrics): Plugin<GraphQLContext> {
  const started = new WeakMap<Request, number>();
  const names = new WeakMap<Request, string>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onParams({ params, request }) {
      if (params.operationName) names.set(request, params.operationName);
    },
    onExecute({ args }) {
      const { request } = args.contextValue;
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (request && name) names.set(request, name);
    },
    onSubscribe({ args }) {
      const { request } = args.contextValue;
      const name = getOperationAST(args.document, args.operationName)?.name?.value;
      if (request && name) names.set(request, name);
    },
    onResultProcess({ request, result }) {
      const start = started.get(request);
      if (start === undefined) return;
      started.delete(request);
      const seconds = (performance.now() - start) / 1000;
      // A stream (subscription) counts once, as started; its events are not operations.
      const results = isAsyncIterable(result) ? [{}] : Array.isArray(result) ? result : [result];
      for (const r of results) metrics.operation(names.get(request), outcomeOf(r), seconds);
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
