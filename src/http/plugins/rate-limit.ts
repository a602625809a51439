import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../../errors.js';
import type { GraphQLContext } from '../../graphql/context.js';
import type { Logger } from '../../log.js';
import type { TenantLimiter } from '../../ratelimit/tenant-limiter.js';

export interface RateLimitOptions {
  limiter: TenantLimiter;
  log: Logger;
  /** A request was refused (for metrics). */
  onRefused?: () => void;
  /** The counter could not be read (for metrics); the request goes through. */
  onError?: () => void;
}

/**
 * Refuses a tenant's operations beyond RATE_LIMIT_PER_MINUTE with RATE_LIMITED (HTTP 429,
 * Retry-After). It runs at execution, after the context factory verified the bearer JWT, so the
 * tenant is the caller's signed `tid` and an unauthenticated flood never reaches a counter.
 *
 * When the store cannot count (Redis down), the request is let through: the limit protects
 * capacity, and refusing everyone during a store outage would turn a partial failure into a
 * total one. The outage is visible on /metrics and in the log.
 */
/**
 * Longest a request waits for its count (ms). A Redis that is reconnecting makes callers wait
 * for its connect timeout (seconds); the limit must not add that to every request of an outage.
 */
const CHECK_TIMEOUT_MS = 1_000;

/** `work`, or a rejection after `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`rate limit check took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function useTenantRateLimit(options: RateLimitOptions): Plugin<GraphQLContext> {
  const refusal = async (ctx: GraphQLContext): Promise<GatewayError | undefined> => {
    const { tenantId } = ctx.caller;
    let decision;
    try {
      decision = await within(options.limiter.take(tenantId), CHECK_TIMEOUT_MS);
    } catch (err) {
      options.onError?.();
      options.log.warn({ tenantId, err: err instanceof Error ? err.name : typeof err }, 'rate limit check failed; request allowed');
      return undefined;
    }
    if (decision.allowed) return undefined;
    options.onRefused?.();
    // Logged once per window, at the first refusal, so a hammering client cannot flood the log.
    if (decision.count === options.limiter.limit + 1) options.log.warn({ tenantId, limit: options.limiter.limit }, 'tenant rate limit reached');
    return new GatewayError('RATE_LIMITED', `Too many requests for this tenant: at most ${options.limiter.limit} per minute; try again in ${decision.retryAfterSec} s`, {
      retryAfterSec: decision.retryAfterSec,
    });
  };
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const refused = await refusal(args.contextValue);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const refused = await refusal(args.contextValue);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
  };
}
