import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../../errors.js';
import { getOperationAST, type DocumentNode, type GraphQLSchema } from 'graphql';
import { estimateZohoCalls, type Estimate } from '../../records/estimate.js';

/**
 * ZOHO_CALL_BUDGET: the most Zoho calls one GraphQL operation may make (default 50, from config).
 * Zoho bills every call against the customer's daily API credits and caps concurrency, so one
 * innocent-looking query (200 records × 5 lookups × nested lookups) must not drain them.
 *
 * Two guards:
 * 1. Before execution, a static estimate of the operation (src/records/estimate.ts) over the
 *    budget refuses it with ZOHO_CALL_BUDGET_EXCEEDED before any call.
 * 2. While it runs, the per-request `zoho` function (http/yoga.ts) spends one unit per call
 *    (retries of one call are not counted again) and refuses the call beyond the budget, so a
 *    miss of the estimate never costs more than the budget. Metadata calls count too.
 *
 * A subscription holds each event to the budget instead: the count restarts after every event.
 */

export interface ZohoBudget {
  readonly limit: number;
  used: number;
}

const budgets = new WeakMap<Request, ZohoBudget>();

/** The request's budget, created unspent on first use. */
export function zohoBudgetOf(request: Request, limit: number): ZohoBudget {
  let b = budgets.get(request);
  if (!b) {
    b = { limit, used: 0 };
    budgets.set(request, b);
  }
  return b;
}

/** Takes one call from the budget, or refuses it (the runtime guard). */
export function spendZohoCall(budget: ZohoBudget): void {
  if (budget.used >= budget.limit) {
    throw new GatewayError('ZOHO_CALL_BUDGET_EXCEEDED', `This operation needs more than ${budget.limit} Zoho calls (ZOHO_CALL_BUDGET); ask for fewer records, fields or lookups`, {
      budget: budget.limit,
      phase: 'runtime',
    });
  }
  budget.used++;
}

/** How many times the estimate walked a document: tests hold the cache to it. */
export const estimateWalks = { count: 0 };

/**
 * The estimate of one operation. Without variables it depends only on the schema, the document
 * (Yoga's parser hands out one object per query text) and the operation name, so it is computed
 * once per such triple; an operation with variables is priced per request (a `first: $n`).
 */
function estimateCache() {
  const cache = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, Estimate>>>();
  return (input: { document: DocumentNode; operationName?: string | null; variables?: Readonly<Record<string, unknown>>; schema: GraphQLSchema }): Estimate => {
    const op = getOperationAST(input.document, input.operationName);
    if (!op || op.variableDefinitions?.length) {
      estimateWalks.count++;
      return estimateZohoCalls(input);
    }
    let bySchema = cache.get(input.schema);
    if (!bySchema) cache.set(input.schema, (bySchema = new WeakMap()));
    let byName = bySchema.get(input.document);
    if (!byName) bySchema.set(input.document, (byName = new Map()));
    const name = input.operationName ?? '';
    let estimate = byName.get(name);
    if (!estimate) {
      estimateWalks.count++;
      estimate = estimateZohoCalls(input);
      byName.set(name, estimate);
    }
    return estimate;
  };
}

export function useZohoBudget(opts: { budget: number }): Plugin {
  const estimateOf = estimateCache();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      // The schema is the request's own (a connection's typed schema or the generic one): typed
      // fields are priced by their extensions, as their names differ per connection.
      const estimate = estimateOf({ document: args.document, operationName: args.operationName, variables: args.variableValues, schema: args.schema });
      if (estimate.calls > opts.budget) {
        setResultAndStopExecution({
          errors: [
            new GatewayError(
              'ZOHO_CALL_BUDGET_EXCEEDED',
              `This operation would need about ${estimate.calls} Zoho calls; the budget is ${opts.budget} (ZOHO_CALL_BUDGET). Ask for fewer records, fields or lookups, or split it`,
              {
                budget: opts.budget,
                estimate: estimate.calls,
                byField: { ...estimate.byField },
                phase: 'estimate',
              },
            ),
          ],
        });
      }
    },
    onSubscribe({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      return {
        onSubscribeResult() {
          return {
            onNext() {
              const b = request && budgets.get(request);
              if (b) b.used = 0;
            },
          };
        },
      };
    },
  };
}
