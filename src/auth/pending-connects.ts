/**
 * MAX_PENDING_CONNECTS_PER_TENANT: each startZohoConnect leaves a state in the store for ten
 * minutes, so without a cap one tenant with `zoho:connect` could fill the store in a loop.
 *
 * One capped set per tenant (store/capped-set.ts: counted exactly across instances sharing a
 * Redis, in process otherwise), member = state nonce, lapsing with the state. A state used by
 * its callback is released; an abandoned one lapses with its TTL.
 */
import { createCappedSet, type Store } from '../store/index.js';
import type { PendingLimiter } from './oauth-state.js';

/** Default of MAX_PENDING_CONNECTS_PER_TENANT. */
export const DEFAULT_MAX_PENDING_CONNECTS = 20;

/** Tenant ids come from signed JWTs but any text is legal there: encode before using one in a key. */
function setKey(tenantId: string): string {
  return `connect:pending:${encodeURIComponent(tenantId)}`;
}

/**
 * @param limit pending states per tenant (positive integer).
 * @param now clock in epoch ms (the gateway's, so lapses agree with the states' own expiry).
 */
export function createPendingLimiter(store: Store, limit: number, now: () => number = Date.now): PendingLimiter {
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new RangeError('the pending-connect limit must be a positive integer');
  const pending = createCappedSet(store, { now });
  return {
    reserve: async (tenantId, id, ttlMs) => (await pending.add(setKey(tenantId), id, ttlMs, { total: limit })) === 'added',
    release: (tenantId, id) => pending.remove(setKey(tenantId), id),
  };
}
