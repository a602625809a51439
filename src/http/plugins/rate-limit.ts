import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../../errors.js';
import type { GraphQLContext } from '../../graphql/context.js';
import type { Logger } from '../../log.js';
import type { RateDecision, TenantLimiter } from '../../ratelimit/tenant-limiter.js';

export interface RateLimitOptions {
  limiter: TenantLimiter;
  log: Logger;
  /** A request was refused (for metrics). */
  onRefused?: () => void;
}

/**
 * Refuses a tenant's operations beyond RATE_LIMIT_PER_MINUTE with RATE_LIMITED (HTTP 429,
 * Retry-After). It runs at execution, after the context factory verified the bearer JWT, so the
 * tenant is the caller's signed `tid` and an unauthenticated flood never reaches a counter.
 *
 * The limiter decides in this process almost always (see ratelimit/tenant-limiter.ts), so the
 * hook stays synchronous then and adds neither a round trip nor a timer to the request. When the
 * store cannot count (Redis down or slow), the limiter lets the request through: the limit
 * protects capacity, and refusing everyone during a store outage would turn a partial failure
 * into a total one. The outage is visible on /metrics and in the log.
 */
export function useTenantRateLimit(options: RateLimitOptions): Plugin<GraphQLContext> {
  const { limiter, log } = options;
  const refusal = (tenantId: string, decision: RateDecision): GatewayError | undefined => {
    if (decision.allowed) return undefined;
    options.onRefused?.();
    // Logged once per window (per instance), so a hammering client cannot flood the log.
    if (decision.firstRefusal) log.warn({ tenantId, limit: limiter.limit }, 'tenant rate limit reached');
    return new GatewayError('RATE_LIMITED', `Too many requests for this tenant: at most ${limiter.limit} per minute; try again in ${decision.retryAfterSec} s`, {
      retryAfterSec: decision.retryAfterSec,
    });
  };
  const check = (ctx: GraphQLContext, stop: (error: GatewayError) => void): Promise<void> | void => {
    const { tenantId } = ctx.caller;
    const decision = limiter.take(tenantId);
    if (decision instanceof Promise) {
      return decision.then((d) => {
        const refused = refusal(tenantId, d);
        if (refused) stop(refused);
      });
    }
    const refused = refusal(tenantId, decision);
    if (refused) stop(refused);
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      return check(args.contextValue, (error) => setResultAndStopExecution({ errors: [error] }));
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      return check(args.contextValue, (error) => setResultAndStopExecution({ errors: [error] }));
    },
  };
}
