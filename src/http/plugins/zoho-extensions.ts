import type { Plugin } from 'graphql-yoga';
import type { ZohoUsage } from '../../graphql/context.js';

/**
 * `extensions.zoho = { calls, credits }` on every GraphQL response: the upstream Zoho attempts the
 * operation made (retries and forced-refresh resends included) and the API credits they cost, so
 * a product can see what a query costs its customer's Zoho budget.
 *
 * The figures live per HTTP request (the context factory takes them from `zohoUsageOf(request)`),
 * so the one hook that sees every outcome — results, validation errors, refused bearers — writes
 * them: Yoga's onResultProcess (https://the-guild.dev/graphql/yoga-server/docs/features/envelop-plugins).
 * With Yoga's batching (off here) the operations of one batch would share one figure.
 */

const usage = new WeakMap<Request, ZohoUsage>();

/** The request's Zoho usage counter, created at zero on first use. */
export function zohoUsageOf(request: Request): ZohoUsage {
  let u = usage.get(request);
  if (!u) {
    u = { calls: 0, credits: 0 };
    usage.set(request, u);
  }
  return u;
}

export function useZohoExtensions(): Plugin {
  return {
    onResultProcess({ request, result, setResult }) {
      // Streams (subscriptions, @defer) are left alone: there is no single result to annotate.
      if (isAsyncIterable(result)) return;
      const { calls, credits } = usage.get(request) ?? { calls: 0, credits: 0 };
      const annotate = <R extends { extensions?: Record<string, unknown> }>(r: R): R => ({ ...r, extensions: { ...r.extensions, zoho: { calls, credits } } });
      setResult(Array.isArray(result) ? result.map(annotate) : annotate(result));
    },
  };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
