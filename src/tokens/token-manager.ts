/**
 * Hands out Zoho access tokens for connections, refreshing them ahead of expiry — once.
 *
 * Zoho mints at most 10 access tokens per refresh token in 10 minutes and then refuses the rest
 * of the window (https://www.zoho.com/crm/developer/docs/api/v8/token-validity.html), so a
 * refresh storm locks a connection out for minutes. Hence:
 * - a token that is still fresh is never refreshed, and is served from this process's copy of the
 *   connection (ConnectionRepository.getCached: no store round trip); every refresh decision is
 *   made on a fresh read of the store;
 * - concurrent callers in one process share one refresh (a promise per connection);
 * - processes sharing a store take a short lease (`lock:refresh:<tid>:<cid>`) and, holding it,
 *   re-read the connection first: another process may have just refreshed it;
 * - after a failed refresh every caller backs off (stored `refreshNotBefore`) instead of retrying;
 * - only Zoho's refusal of the refresh token (`invalid_grant`) marks a connection for
 *   reconnection; a network failure never does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GatewayError, errorName } from '../errors.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { ZohoNetworkError, ZohoOAuthError, type ZohoOAuthClient } from '../zoho/oauth.js';
import { backoffDelayMs, type Backoff } from '../backoff.js';
import type { Connection } from './connection.js';
import { connectionKey, refreshLockKey, type ConnectionRepository } from './connection-repository.js';
import { StoreLock } from '../store/lock.js';

export interface TokenManagerOptions {
  repo: ConnectionRepository;
  /** Where the refresh leases live; the same store the repository uses, shared by all processes. */
  store: Store;
  oauth: Pick<ZohoOAuthClient, 'refresh'>;
  log: Logger;
  /** Clock for token expiry and back-off, epoch ms. Lease waits use real time regardless. */
  now?: () => number;
  /** A token with fewer seconds than this left is refreshed before it is handed out. Default 120. */
  refreshSkewSec?: number;
  /** Lifetime of a refresh lease, ms: how long a crashed owner can block others. Default 15 000. */
  lockTtlMs?: number;
  /** How long a caller waits for another process's refresh before giving up, ms. Default 10 000. */
  lockWaitMs?: number;
  /** Interval between re-reads while another process refreshes, ms (±50 % jitter). Default 50. */
  lockPollMs?: number;
  /** Back-off after failed refreshes (../backoff.ts), ms. Defaults: base 1 000, max 60 000. */
  backoff?: Partial<Backoff>;
}

/** Counters for metrics and tests. */
export interface TokenStats {
  /** Refreshes Zoho granted. */
  refreshes: number;
  /** Refresh attempts that failed (network, throttle, refusal). */
  refreshFailures: number;
  /** Calls that found another process's refresh lease and waited for it. */
  lockWaits: number;
}

/**
 * A token handed out while refreshing is failing must still live this long, ms: enough for the
 * CRM call it is for to finish.
 */
const MIN_SERVE_MS = 10_000;

/** What one caller needs from a refresh. */
interface Need {
  /** Whether this stored connection must be refreshed for the caller. */
  needsRefresh(connection: Connection): boolean;
  /** Whether the caller may have this connection's token when refreshing is impossible now. */
  canServe(connection: Connection): boolean;
}

export class TokenManager {
  readonly stats: TokenStats = { refreshes: 0, refreshFailures: 0, lockWaits: 0 };

  private readonly repo: ConnectionRepository;
  private readonly oauth: Pick<ZohoOAuthClient, 'refresh'>;
  private readonly log: Logger;
  private readonly lock: StoreLock;
  private readonly now: () => number;
  private readonly skewMs: number;
  private readonly lockTtlMs: number;
  private readonly lockWaitMs: number;
  private readonly lockPollMs: number;
  private readonly backoff: Backoff;
  /** In-process single flight: the refresh under way per connection key. */
  private readonly flights = new Map<string, Promise<Connection>>();

  constructor(options: TokenManagerOptions) {
    this.repo = options.repo;
    this.oauth = options.oauth;
    this.log = options.log;
    this.lock = new StoreLock(options.store);
    this.now = options.now ?? Date.now;
    this.skewMs = (options.refreshSkewSec ?? 120) * 1000;
    this.lockTtlMs = options.lockTtlMs ?? 15_000;
    this.lockWaitMs = options.lockWaitMs ?? 10_000;
    this.lockPollMs = options.lockPollMs ?? 50;
    this.backoff = { baseDelayMs: options.backoff?.baseDelayMs ?? 1_000, maxDelayMs: options.backoff?.maxDelayMs ?? 60_000 };
  }

  /**
   * The connection with an access token valid for at least `refreshSkewSec` more seconds
   * (refreshed first if needed). While refreshes are backing off after a failure, a token that is
   * still valid (inside the skew window) is handed out rather than failing the call.
   *
   * Throws GatewayError ZOHO_NOT_CONNECTED (no connection), ZOHO_RECONNECT_REQUIRED (Zoho refused
   * the refresh token; no Zoho call is made for such a connection), ZOHO_UNAVAILABLE (refresh
   * failed or backing off; `details.retryAfterSec`), ZOHO_OAUTH_ERROR (Zoho refused our client
   * credentials), BAD_USER_INPUT (malformed ids).
   */
  async getAccessToken(tenantId: string, connectionName: string): Promise<Connection> {
    const key = connectionKey(tenantId, connectionName);
    const flying = this.flights.get(key);
    if (flying) return flying;
    // The hot path: this process's copy (no store round trip) while its token is fresh. A copy
    // due for refresh, or one Zoho rejects (forceRefresh), sends the caller to the store.
    const connection = await this.load(tenantId, connectionName, 'cached');
    if (this.isFresh(connection)) return connection;
    return this.fly(key, () => this.refreshShared(tenantId, connectionName, this.proactiveNeed()));
  }

  /**
   * After Zoho's CRM API rejected `rejectedAccessToken` (401 INVALID_TOKEN): refreshes once,
   * unless the stored token is already another one (some caller refreshed meanwhile), in which
   * case that connection is returned. Many concurrent calls with one rejected token make one
   * refresh. Throws like getAccessToken; never hands the rejected token back. Reads the store, not
   * this process's copy (another instance may have refreshed), and so renews that copy.
   */
  async forceRefresh(tenantId: string, connectionName: string, rejectedAccessToken: string): Promise<Connection> {
    const key = connectionKey(tenantId, connectionName);
    const need: Need = {
      needsRefresh: (c) => c.accessToken === rejectedAccessToken || !this.isFresh(c),
      canServe: (c) => c.accessToken !== rejectedAccessToken && this.isServable(c),
    };
    const flying = this.flights.get(key);
    if (flying) {
      const after = await flying;
      if (after.accessToken !== rejectedAccessToken) return after;
    } else {
      const connection = await this.load(tenantId, connectionName);
      if (connection.accessToken !== rejectedAccessToken) {
        return this.isFresh(connection) ? connection : this.getAccessToken(tenantId, connectionName);
      }
    }
    // A flight started for another purpose (a proactive refresh that found the token fresh) can
    // end with the rejected token; then run one with ours. Bounded, in case flights keep racing.
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.fly(key, () => this.refreshShared(tenantId, connectionName, need));
      if (result.accessToken !== rejectedAccessToken) return result;
    }
    throw new GatewayError('ZOHO_UNAVAILABLE', 'Could not obtain a new Zoho access token; try again shortly', { retryAfterSec: 1 });
  }

  private proactiveNeed(): Need {
    return { needsRefresh: (c) => !this.isFresh(c), canServe: (c) => this.isServable(c) };
  }

  /** Valid for at least the skew window. */
  private isFresh(c: Connection): boolean {
    return c.expiresAt - this.now() > this.skewMs;
  }

  /** Still usable for a call starting now, though due for refresh. */
  private isServable(c: Connection): boolean {
    return c.expiresAt - this.now() > MIN_SERVE_MS;
  }

  /**
   * The stored connection, or the error a caller gets for a missing or dead one. From the store
   * itself unless `cached`: every decision to refresh, or that another caller refreshed, is made
   * on what the store holds now.
   */
  private async load(tenantId: string, connectionName: string, from: 'store' | 'cached' = 'store'): Promise<Connection> {
    const connection = from === 'cached' ? await this.repo.getCached(tenantId, connectionName) : await this.repo.get(tenantId, connectionName);
    if (!connection) {
      throw new GatewayError('ZOHO_NOT_CONNECTED', 'No Zoho CRM account is connected for this tenant; connect one first', { connectionName });
    }
    if (connection.status === 'RECONNECT_REQUIRED') throw reconnectRequired(connectionName);
    return connection;
  }

  /** Runs `work` as the one refresh of `key` in this process, or joins the one under way. */
  private fly(key: string, work: () => Promise<Connection>): Promise<Connection> {
    const existing = this.flights.get(key);
    if (existing) return existing;
    const flight = work().finally(() => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    });
    this.flights.set(key, flight);
    return flight;
  }

  /**
   * The cross-process part: take the lease, or wait (re-reading the connection) until another
   * process has refreshed or its lease is gone, bounded by lockWaitMs of real time.
   */
  private async refreshShared(tenantId: string, connectionName: string, need: Need): Promise<Connection> {
    const lockKey = refreshLockKey(tenantId, connectionName);
    const deadline = performance.now() + this.lockWaitMs;
    let waited = false;
    for (;;) {
      let connection = await this.load(tenantId, connectionName);
      if (!need.needsRefresh(connection)) return connection;
      const held = this.backingOff(connection, need);
      if (held) return held;

      const owner = await this.lock.tryAcquire(lockKey, this.lockTtlMs);
      if (owner !== undefined) {
        try {
          // Someone may have refreshed between our read and our lease: read again.
          connection = await this.load(tenantId, connectionName);
          if (!need.needsRefresh(connection)) return connection;
          return this.backingOff(connection, need) ?? (await this.refreshNow(connection, need));
        } finally {
          await this.lock.release(lockKey, owner).catch((err: unknown) => {
            // The lease expires on its own; this only delays the next refresh by its TTL.
            this.log.warn({ tenantId, connectionName, err: errorName(err) }, 'releasing the refresh lease failed');
          });
        }
      }

      if (!waited) {
        waited = true;
        this.stats.lockWaits++;
      }
      if (performance.now() >= deadline) {
        if (need.canServe(connection)) return connection;
        throw new GatewayError('ZOHO_UNAVAILABLE', 'Timed out waiting for the Zoho access token to be refreshed; try again shortly', {
          retryAfterSec: 1,
        });
      }
      await sleep(this.lockPollMs * (0.5 + Math.random()));
    }
  }

  /**
   * During a back-off after failed refreshes: the connection if its token may still be served,
   * else ZOHO_UNAVAILABLE with the seconds left. Undefined when no back-off is in force.
   */
  private backingOff(connection: Connection, need: Need): Connection | undefined {
    const leftMs = connection.refreshNotBefore - this.now();
    if (leftMs <= 0) return undefined;
    if (need.canServe(connection)) return connection;
    throw unavailable(leftMs);
  }

  /** One refresh at Zoho, holding the lease. */
  private async refreshNow(connection: Connection, need: Need): Promise<Connection> {
    const { tenantId, connectionName } = connection;
    const sentAt = this.now();
    let tokens;
    try {
      tokens = await this.oauth.refresh({
        accountsServer: connection.accountsServer,
        refreshToken: connection.refreshToken,
        // Finish well inside the lease, so no other process starts a second refresh meanwhile.
        signal: AbortSignal.timeout(Math.max(1, Math.floor(this.lockTtlMs * 0.8))),
      });
    } catch (err) {
      return this.refreshFailed(connection, need, err);
    }
    this.stats.refreshes++;
    const refreshed: Connection = {
      ...connection,
      accessToken: tokens.accessToken,
      // Zoho's refresh answer carries no refresh token; keep ours unless one ever comes.
      refreshToken: tokens.refreshToken ?? connection.refreshToken,
      // Counted from when we asked, so clock skew and latency shorten, never lengthen, the life.
      expiresAt: sentAt + tokens.expiresInSec * 1000,
      scopes: tokens.scopes.length > 0 ? tokens.scopes : connection.scopes,
      // apiDomain stays as validated against the DC table at connect: a refresh does not move DCs.
      updatedAt: this.now(),
      refreshFailures: 0,
      refreshNotBefore: 0,
    };
    try {
      await this.repo.put(refreshed);
    } catch (err) {
      // The caller still gets a working token; other callers will refresh again (one more mint).
      this.log.error({ tenantId, connectionName, err: errorName(err) }, 'storing a refreshed Zoho token failed');
    }
    this.log.debug({ tenantId, connectionName, expiresInSec: tokens.expiresInSec }, 'zoho access token refreshed');
    return refreshed;
  }

  private async refreshFailed(connection: Connection, need: Need, err: unknown): Promise<Connection> {
    const { tenantId, connectionName } = connection;
    this.stats.refreshFailures++;
    const now = this.now();

    if (err instanceof ZohoOAuthError && err.kind === 'invalid_grant') {
      // Zoho refused the refresh token itself (revoked, or deleted as the user's 21st): final.
      await this.repo.put({ ...connection, status: 'RECONNECT_REQUIRED', updatedAt: now });
      this.log.warn({ tenantId, connectionName, zohoError: err.error }, 'zoho refused the refresh token; connection needs reconnecting');
      throw reconnectRequired(connectionName, err);
    }
    if (!(err instanceof ZohoOAuthError) && !(err instanceof ZohoNetworkError)) throw err;

    const failures = connection.refreshFailures + 1;
    let delayMs = backoffDelayMs(failures, this.backoff);
    // Zoho's throttle holds for the rest of a 10-minute window; probing sooner only spends calls.
    if (err instanceof ZohoOAuthError && err.kind === 'throttled') delayMs = Math.max(delayMs, this.backoff.maxDelayMs);
    try {
      await this.repo.put({ ...connection, refreshFailures: failures, refreshNotBefore: now + delayMs, updatedAt: now });
    } catch (storeErr) {
      this.log.error({ tenantId, connectionName, err: errorName(storeErr) }, 'storing the refresh back-off failed');
    }
    this.log.warn({ tenantId, connectionName, failures, retryAfterMs: delayMs, reason: err instanceof ZohoOAuthError ? err.error : err.message }, 'zoho token refresh failed; backing off');
    if (need.canServe(connection)) return connection;
    if (err instanceof ZohoOAuthError && err.kind === 'client') {
      throw new GatewayError(
        'ZOHO_OAUTH_ERROR',
        "Zoho refused the gateway's OAuth client; an operator must check its configuration",
        {
          retryAfterSec: Math.ceil(delayMs / 1000),
        },
        { cause: err },
      );
    }
    throw unavailable(delayMs, err);
  }
}

function reconnectRequired(connectionName: string, cause?: unknown): GatewayError {
  return new GatewayError(
    'ZOHO_RECONNECT_REQUIRED',
    'Zoho no longer accepts this connection; the user must reconnect their Zoho CRM account',
    {
      connectionName,
    },
    { cause },
  );
}

function unavailable(retryAfterMs: number, cause?: unknown): GatewayError {
  return new GatewayError(
    'ZOHO_UNAVAILABLE',
    'Zoho Accounts is unavailable; try again later',
    {
      retryAfterSec: Math.max(1, Math.ceil(retryAfterMs / 1000)),
    },
    { cause },
  );
}
