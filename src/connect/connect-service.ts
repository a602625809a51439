import type { Caller } from '../auth/caller.js';
import { StateError, type OAuthStateService } from '../auth/oauth-state.js';
import { GatewayError, isGatewayError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Connection } from '../tokens/connection.js';
import type { ConnectionRepository } from '../tokens/connection-repository.js';
import type { StoreLock } from '../store/lock.js';
import { refreshLockKey } from '../tokens/connection-repository.js';
import type { ZohoClient } from '../zoho/client.js';
import { findByAccountsServer, findByLocation, KNOWN_LOCATIONS, type DataCentre, type DataCentreTable } from '../zoho/datacenters.js';
import { createPkcePair, ZohoNetworkError, ZohoOAuthError, type ZohoOAuthClient, type ZohoTokenSet } from '../zoho/oauth.js';
import type { ConnectTickets, ParkedConnect } from './connect-tickets.js';
import { resolveIdentity, type OrgInfo } from './identity.js';
import { isAllowedReturnUrl } from './return-urls.js';

/**
 * Connecting a tenant's Zoho account: the authorize URL with a signed single-use state and a PKCE
 * challenge, the OAuth callback, the confirm step, Self Client grant codes, and disconnecting.
 *
 * The callback runs in whatever browser presents Zoho's redirect, which need not be the browser
 * of the user who started (an attacker can send their consent link to a victim who is a Zoho
 * admin). So the callback only parks the tokens under a one-time ticket bound to the starter's
 * tid, sub and cid; `complete` activates the connection for that same caller only. Nothing is
 * stored as a connection until every step has succeeded; a token minted by a step that later
 * fails, or parked under a ticket that is refused or abandoned, is revoked again.
 */

export interface ConnectServiceOptions {
  oauth: ZohoOAuthClient;
  state: OAuthStateService;
  repo: ConnectionRepository;
  zoho: ZohoClient;
  log: Logger;
  dataCentres: DataCentreTable;
  defaultDc: string;
  scopes: readonly string[];
  /** `PUBLIC_URL/oauth/zoho/callback`: registered in Zoho's API console. */
  redirectUri: string;
  allowedReturnUrls: readonly string[];
  /** Where the callback parks tokens until the confirm step. */
  tickets: ConnectTickets;
  /** The connections' refresh leases: activating a connection holds it, so no refresh in flight writes the old one back. */
  lock: StoreLock;
  now?: () => number;
}

/** Why a callback failed: the stable `reason` in `zoho=error&reason=…`. */
export type ConnectFailure =
  | 'access_denied'
  | 'consent_error'
  | 'invalid_state'
  | 'expired_state'
  | 'replayed_state'
  | 'missing_code'
  | 'unknown_accounts_server'
  | 'location_mismatch'
  | 'api_domain_mismatch'
  /** The token's API domain is another environment (production, sandbox, developer) than the one chosen. */
  | 'environment_mismatch'
  | 'invalid_code'
  | 'no_refresh_token'
  | 'zoho_client_error'
  | 'zoho_unavailable'
  | 'user_info_failed'
  | 'store_failed';

export type CallbackOutcome =
  | { ok: true; ticket: string; expiresAt: number; email: string; orgName: string; returnTo: string | undefined }
  | { ok: false; reason: ConnectFailure; returnTo: string | undefined };

/** The state TTL: Zoho's codes live minutes, and a consent page left open longer should start over. */
export const STATE_TTL_MS = 10 * 60_000;
/** How long activating may hold a connection's refresh lease (ms): one read and one write. */
const ACTIVATE_LEASE_MS = 10_000;
/** How long activating waits for a refresh in flight to finish (ms); a refresh's own wait is similar. */
const ACTIVATE_WAIT_MS = 15_000;

class Failure extends Error {
  constructor(
    readonly reason: ConnectFailure,
    /** For the caller: what went wrong, in words (no token or secret). */
    readonly detail?: string,
  ) {
    super(reason);
  }
}

export class ConnectService {
  private readonly now: () => number;

  constructor(private readonly o: ConnectServiceOptions) {
    this.now = o.now ?? Date.now;
  }

  dataCentre(key: string | null | undefined): DataCentre {
    const dc = this.o.dataCentres[key ?? this.o.defaultDc];
    if (!dc) throw new GatewayError('BAD_USER_INPUT', `unknown data centre "${key}"; see the dataCentres query`, { dc: key });
    return dc;
  }

  /** The URL to send the user's browser to, bound to the caller's tenant, connection and subject. */
  async start(caller: Caller, input: { returnTo?: string | null; dc?: string | null }): Promise<{ authorizeUrl: string; expiresAt: number; dc: string }> {
    const dc = this.dataCentre(input.dc);
    const returnTo = input.returnTo ?? undefined;
    if (returnTo !== undefined && !isAllowedReturnUrl(returnTo, this.o.allowedReturnUrls)) {
      throw new GatewayError('BAD_USER_INPUT', 'returnTo is not in ALLOWED_RETURN_URLS', { argument: 'returnTo' });
    }
    const pkce = createPkcePair();
    const state = await this.o.state.issue({
      tenantId: caller.tenantId,
      connectionName: caller.connectionName,
      subject: caller.subject,
      dc: dc.key,
      codeVerifier: pkce.verifier,
      ...(returnTo ? { returnTo } : {}),
    });
    const authorizeUrl = this.o.oauth.authorizeUrl({ accountsServer: dc.accountsUrl, scopes: this.o.scopes, redirectUri: this.o.redirectUri, state, codeChallenge: pkce.challenge });
    return { authorizeUrl, expiresAt: this.now() + STATE_TTL_MS, dc: dc.key };
  }

  /**
   * `GET /oauth/zoho/callback?code&state&location&accounts-server` (or `error=access_denied`).
   * Multi-DC: https://www.zoho.com/accounts/protocol/oauth/multi-dc.html — the code must be
   * exchanged at `accounts-server`, which is accepted only when it is a data centre's accounts
   * server in our table, so the client secret is never sent anywhere else. Success parks the
   * connection under a ticket for `complete`; it activates nothing.
   */
  async callback(params: URLSearchParams): Promise<CallbackOutcome> {
    let returnTo: string | undefined;
    try {
      const state = await this.consumeState(params.get('state'));
      returnTo = state.returnTo;
      const error = params.get('error');
      if (error) throw new Failure(error === 'access_denied' ? 'access_denied' : 'consent_error');
      const code = params.get('code');
      if (!code) throw new Failure('missing_code');
      const candidates = this.candidates(params.get('accounts-server'), state.dc, params.get('location'));
      const tokens = await this.exchange(candidates[0]!.accountsUrl, code, this.o.redirectUri, state.codeVerifier);
      const chosen = this.o.dataCentres[state.dc] ?? candidates[0]!;
      const connection = await this.build(state.tenantId, state.connectionName, candidates, tokens, chosen);
      let parked: { ticket: string; expiresAt: number };
      try {
        parked = await this.o.tickets.park(connection, state.subject);
      } catch (err) {
        this.o.log.error({ err: errorMessage(err) }, 'parking the connect ticket failed');
        await this.revokeQuietly(connection.accountsServer, connection.refreshToken, 'failed connect');
        throw new Failure('store_failed');
      }
      this.o.log.info({ tenantId: state.tenantId, connectionName: state.connectionName, dc: connection.dc }, 'zoho consent received; waiting for completeZohoConnect');
      return { ok: true, ticket: parked.ticket, expiresAt: parked.expiresAt, email: connection.email, orgName: connection.orgName, returnTo };
    } catch (err) {
      if (err instanceof Failure) {
        this.o.log.warn({ reason: err.reason, ...(err.detail ? { detail: err.detail } : {}) }, 'zoho connect failed');
        return { ok: false, reason: err.reason, returnTo };
      }
      throw err;
    }
  }

  /**
   * Server-only setups: a grant code made with Zoho's Self Client in the API console, exchanged
   * the same way (https://www.zoho.com/crm/developer/docs/api/v8/auth-request.html#self-client).
   */
  async connectWithGrantCode(caller: Caller, input: { code: string; dc: string }): Promise<Connection> {
    const dc = this.dataCentre(input.dc);
    const candidates = Object.values(this.o.dataCentres).filter((d) => d.accountsUrl === dc.accountsUrl && d.location === dc.location);
    try {
      const tokens = await this.exchange(dc.accountsUrl, input.code, undefined, undefined);
      const connection = await this.build(caller.tenantId, caller.connectionName, candidates, tokens, dc);
      return await this.activate(connection);
    } catch (err) {
      if (err instanceof Failure && err.reason === 'environment_mismatch') {
        throw new GatewayError('BAD_USER_INPUT', `Zoho did not connect: ${err.detail}`, { argument: 'dc', reason: err.reason });
      }
      if (err instanceof Failure) {
        const code = err.reason === 'zoho_unavailable' ? 'ZOHO_UNAVAILABLE' : 'ZOHO_OAUTH_ERROR';
        throw new GatewayError(code, `Zoho did not accept the grant code (${err.reason})`, { reason: err.reason });
      }
      throw err;
    }
  }

  /**
   * The confirm step: activates the connection parked under `ticket`, for the caller who started
   * the flow only. The ticket is used up whoever calls: another caller gets FORBIDDEN and the
   * parked tokens are revoked at Zoho, so a ticket that reached the wrong browser is dead.
   * Malformed, unknown, used or expired tickets get BAD_USER_INPUT with `reason`.
   */
  async complete(caller: Caller, ticket: string): Promise<Connection> {
    const { parked, expired } = await this.o.tickets.redeem(ticket);
    const { connection } = parked;
    if (expired) {
      await this.revokeParked(parked, 'expired ticket');
      throw new GatewayError('BAD_USER_INPUT', 'This connect ticket has expired (they live 10 minutes); start connecting again', { argument: 'ticket', reason: 'expired_ticket' });
    }
    if (caller.tenantId !== connection.tenantId || caller.connectionName !== connection.connectionName || caller.subject !== parked.subject) {
      await this.revokeParked(parked, 'refused ticket');
      // Both tenants are logged: the starter may be an attacker fishing for a victim's consent, or
      // the product may be completing with the wrong user's token; operators need to tell which.
      this.o.log.warn({ tenantId: connection.tenantId, connectionName: connection.connectionName, callerTenantId: caller.tenantId }, 'connect ticket presented by another caller; refused and revoked');
      throw new GatewayError('FORBIDDEN', 'This connect ticket belongs to the user who started connecting (same tenant, subject and connection); it is now used up', { reason: 'ticket_not_yours' });
    }
    try {
      return await this.activate(connection);
    } catch (err) {
      if (err instanceof Failure) throw new GatewayError('STORE_UNAVAILABLE', "The gateway's store is unavailable; start connecting again shortly", { retryAfterSec: 1 });
      throw err;
    }
  }

  /** Revokes the tokens of tickets that expired unused (one sweep round); returns how many. */
  async revokeAbandoned(): Promise<number> {
    const abandoned = await this.o.tickets.takeExpired();
    for (const parked of abandoned) await this.revokeParked(parked, 'abandoned ticket');
    return abandoned.length;
  }

  /** Revokes the refresh token at Zoho (best effort) and deletes the connection. */
  async disconnect(caller: Caller): Promise<boolean> {
    let existing: Connection | undefined;
    try {
      existing = await this.o.repo.get(caller.tenantId, caller.connectionName);
    } catch (err) {
      if (!isGatewayError(err, 'STORE_TAMPERED')) throw err;
      // A record that failed its integrity check is not this tenant's to trust: nothing of it is
      // sent anywhere (its servers or tokens may be an attacker's), but the tenant can clear it.
      this.o.log.warn({ tenantId: caller.tenantId, connectionName: caller.connectionName }, 'tampered connection deleted on disconnect, nothing revoked');
      await this.o.repo.delete(caller.tenantId, caller.connectionName);
      return true;
    }
    if (!existing) return false;
    await this.revokeQuietly(existing.accountsServer, existing.refreshToken, 'disconnect');
    await this.o.repo.delete(caller.tenantId, caller.connectionName);
    return true;
  }

  private async consumeState(state: string | null) {
    if (!state) throw new Failure('invalid_state');
    try {
      return await this.o.state.consume(state);
    } catch (err) {
      if (err instanceof StateError) throw new Failure(err.reason === 'expired' ? 'expired_state' : err.reason === 'replayed' ? 'replayed_state' : 'invalid_state');
      throw err;
    }
  }

  /**
   * The data-centre entries the callback may belong to: those whose accounts server is exactly
   * `accounts-server` (production, sandbox and developer share one), narrowed by `location`.
   *
   * `location` is Zoho's DC name (`eu`), which need not be a table key (an override may be keyed
   * `europe`): when it names no entry of that accounts server but is a Zoho DC name, the
   * accounts server, already checked against the table, decides. A name Zoho does not have is
   * refused (location_mismatch). Without `accounts-server` (UNVERIFIED when Zoho omits it; a
   * single-DC client), `location` picks the DC if the table has it, else the state's DC is used:
   * either way the code goes only to an accounts server of the table.
   */
  private candidates(accountsServer: string | null, stateDc: string, rawLocation: string | null): DataCentre[] {
    const location = rawLocation?.trim().toLowerCase() || null;
    let origin: string;
    if (accountsServer) {
      const found = findByAccountsServer(this.o.dataCentres, accountsServer);
      if (!found) throw new Failure('unknown_accounts_server');
      origin = found.accountsUrl;
    } else {
      const dc = (location ? findByLocation(this.o.dataCentres, location) : undefined) ?? this.o.dataCentres[stateDc];
      if (!dc) throw new Failure('unknown_accounts_server');
      origin = dc.accountsUrl;
    }
    const all = Object.values(this.o.dataCentres).filter((d) => d.accountsUrl === origin);
    if (!location) return all;
    const matching = all.filter((d) => d.location.toLowerCase() === location);
    if (matching.length > 0) return matching;
    if (accountsServer && KNOWN_LOCATIONS.has(location)) return all;
    throw new Failure('location_mismatch');
  }

  private async exchange(accountsServer: string, code: string, redirectUri: string | undefined, codeVerifier: string | undefined): Promise<ZohoTokenSet> {
    try {
      // Codes are single use and live minutes: exchanged once, never retried.
      return await this.o.oauth.exchangeCode({ accountsServer, code, ...(redirectUri ? { redirectUri } : {}), ...(codeVerifier ? { codeVerifier } : {}) });
    } catch (err) {
      throw this.oauthFailure(err, 'invalid_code');
    }
  }

  private oauthFailure(err: unknown, grantReason: ConnectFailure): Failure {
    if (err instanceof ZohoOAuthError) return new Failure(err.kind === 'invalid_grant' ? grantReason : err.kind === 'throttled' ? 'zoho_unavailable' : 'zoho_client_error');
    if (err instanceof ZohoNetworkError) return new Failure('zoho_unavailable');
    return new Failure('zoho_unavailable');
  }

  /** Identity and org: the connection to store (not stored yet); revokes the new tokens if any step fails. */
  private async build(tenantId: string, connectionName: string, candidates: DataCentre[], tokens: ZohoTokenSet, chosen: DataCentre): Promise<Connection> {
    const accountsServer = candidates[0]!.accountsUrl;
    try {
      if (!tokens.refreshToken) throw new Failure('no_refresh_token');
      // The DC comes from `location`; the token's api_domain must be one of that DC's domains.
      const dc = candidates.find((d) => sameOrigin(d.apiDomain, tokens.apiDomain));
      if (!dc) throw new Failure('api_domain_mismatch');
      // Zoho's sandbox and developer orgs share their DC's accounts server; only the token's
      // api_domain (sandbox.zohoapis.<tld>, developer.zohoapis.<tld>) tells them from production
      // (../shared/zoho-api.md "Data centres"). A user who chose one and consented with another
      // would otherwise read and write the wrong org.
      if (dc.environment !== chosen.environment) {
        throw new Failure(
          'environment_mismatch',
          `the Zoho account answered with the ${dc.environment} API domain ${dc.apiDomain}, but the ${chosen.environment} data centre "${chosen.key}" was chosen; connect again with dc "${dc.key}" or with a ${chosen.environment} account`,
        );
      }
      let info: Readonly<Record<string, unknown>>;
      try {
        // Zoho's own field names (ZUID, Email, orgid, …): resolveIdentity applies the fallbacks.
        info = (await this.o.oauth.userInfo({ accountsServer, accessToken: tokens.accessToken })).raw;
      } catch {
        throw new Failure('user_info_failed');
      }
      const org = await this.readOrg(dc.apiDomain, tokens.accessToken);
      const identity = resolveIdentity(info, org);
      if (!identity) throw new Failure('user_info_failed');
      const now = this.now();
      const connection: Connection = {
        tenantId,
        connectionName,
        status: 'ACTIVE',
        dc: dc.key,
        accountsServer,
        apiDomain: dc.apiDomain,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: now + tokens.expiresInSec * 1000,
        scopes: tokens.scopes,
        ...identity,
        connectedAt: now,
        updatedAt: now,
        refreshFailures: 0,
        refreshNotBefore: 0,
      };
      return connection;
    } catch (err) {
      await this.revokeQuietly(accountsServer, tokens.refreshToken ?? tokens.accessToken, 'failed connect');
      throw err;
    }
  }

  /**
   * Stores the connection, then gives the previous refresh token back (Zoho keeps at most 20 per
   * user and client): only now, so an unfinished reconnect never costs the working connection.
   */
  private async activate(pending: Connection): Promise<Connection> {
    const now = this.now();
    const connection: Connection = { ...pending, status: 'ACTIVE', connectedAt: now, updatedAt: now };
    const { tenantId, connectionName } = connection;
    let previous: Connection | undefined;
    try {
      // Under the refresh lease: a refresh of the previous connection in flight would otherwise
      // write it back over this one after its round trip, orphaning the new refresh token.
      previous = await this.o.lock.withLease(refreshLockKey(tenantId, connectionName), { ttlMs: ACTIVATE_LEASE_MS, waitMs: ACTIVATE_WAIT_MS }, async () => {
        const old = await this.previousOf(tenantId, connectionName);
        await this.o.repo.put(connection);
        return old;
      });
    } catch (err) {
      this.o.log.error({ err: errorMessage(err) }, 'storing the connection failed');
      await this.revokeQuietly(connection.accountsServer, connection.refreshToken, 'failed connect');
      throw err instanceof GatewayError ? err : new Failure('store_failed');
    }
    if (previous && previous.refreshToken !== connection.refreshToken) await this.revokeQuietly(previous.accountsServer, previous.refreshToken, 'reconnect');
    this.o.log.info({ tenantId, connectionName, dc: connection.dc }, 'zoho connected');
    return connection;
  }

  /**
   * The connection a reconnect replaces, whose refresh token is to be revoked. One that fails its
   * integrity check, or that no configured key opens, is replaced without revoking anything (its
   * servers or tokens cannot be trusted or read); a store failure fails the reconnect instead of
   * leaving the old token alive at Zoho unnoticed.
   */
  private async previousOf(tenantId: string, connectionName: string): Promise<Connection | undefined> {
    try {
      return await this.o.repo.get(tenantId, connectionName);
    } catch (err) {
      if (isGatewayError(err, 'STORE_TAMPERED') || isGatewayError(err, 'INTERNAL')) {
        this.o.log.warn({ tenantId, connectionName, code: (err as GatewayError).code }, 'replacing an unusable connection; its refresh token cannot be revoked');
        return undefined;
      }
      throw err;
    }
  }

  private revokeParked(parked: ParkedConnect, why: string): Promise<void> {
    return this.revokeQuietly(parked.connection.accountsServer, parked.connection.refreshToken, why);
  }

  /** The org from `GET /crm/v8/org`; undefined when the org API is unavailable (fallbacks apply). */
  private async readOrg(apiDomain: string, accessToken: string): Promise<OrgInfo | undefined> {
    try {
      const res = await this.o.zoho.callWithToken<{ org?: OrgInfo[] }>(apiDomain, accessToken, { method: 'GET', path: '/org' });
      return res.body?.org?.[0];
    } catch (err) {
      this.o.log.warn({ code: err instanceof GatewayError ? err.code : 'unknown' }, 'org API unavailable during connect; using user-info fallbacks');
      return undefined;
    }
  }

  private async revokeQuietly(accountsServer: string, token: string, why: string): Promise<void> {
    try {
      await this.o.oauth.revoke({ accountsServer, token });
    } catch (err) {
      this.o.log.warn({ why, error: err instanceof Error ? err.name : 'unknown' }, 'revoking a Zoho token failed');
    }
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}
