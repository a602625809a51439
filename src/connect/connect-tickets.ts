/**
 * One-time tickets of the connect flow's confirm step. The OAuth callback runs in whoever's
 * browser presents the code, so it activates nothing: it parks the exchanged tokens here, and only
 * `completeZohoConnect` from the user who started (same tid, sub, cid) turns them into the
 * tenant's connection. A ticket is single use and lives TICKET_TTL_MS.
 *
 * At rest: the store key is a SHA-256 of the ticket (a store dump yields no usable ticket), the
 * Zoho tokens are sealed like a connection's, and an index lists parked tickets so the sweep can
 * revoke abandoned ones on every backend (Keyv cannot list keys). A used, refused or expired
 * ticket leaves a small marker for a day, so a replay is told "used" or "expired", not "unknown".
 */
import { createHash, randomBytes } from 'node:crypto';
import { GatewayError } from '../errors.js';
import { StoreIndex } from '../store/store-index.js';
import { DecryptionError, openSecrets, sealSecrets, type EncryptionKey, type RecordPlace, type Sealed, type Store } from '../store/index.js';
import type { Connection } from '../tokens/connection.js';

/** How long a ticket can be completed, in ms (10 minutes). */
export const TICKET_TTL_MS = 10 * 60_000;
/**
 * How long a parked entry stays in the store after its ticket expired (ms): the sweep revokes its
 * tokens at Zoho within this, even after all instances were down for a while.
 */
const SWEEP_GRACE_MS = 24 * 3600_000;
/** How long the used/expired marker stays (ms). */
const MARKER_TTL_MS = 24 * 3600_000;

const SECRET_FIELDS = ['accessToken', 'refreshToken'] as const;
const TICKET = /^zct_[A-Za-z0-9_-]{43}$/;
const ENTRY_PREFIX = 'connect-ticket:';
const MARKER_PREFIX = 'connect-ticket-done:';
export const TICKET_INDEX_KEY = 'index:connect-tickets';

/** Why a ticket cannot be completed: `extensions.reason` of the BAD_USER_INPUT error. */
export type TicketFailure = 'invalid_ticket' | 'used_ticket' | 'expired_ticket';

/** A connection waiting for its confirm step. */
export interface ParkedConnect {
  /** The connection as it will be stored, tokens in clear (sealed at rest). */
  connection: Connection;
  /** `sub` of the user who started; with the connection's tenant and name, who may complete. */
  subject: string;
  /** When the ticket expires, epoch ms. */
  expiresAt: number;
}

interface StoredParked {
  connection: Sealed<Connection, (typeof SECRET_FIELDS)[number]>;
  subject: string;
  expiresAt: number;
}

type Marker = 'used' | 'expired';

export class ConnectTickets {
  private readonly keyring: readonly EncryptionKey[];
  private readonly index: StoreIndex;

  constructor(
    private readonly store: Store,
    private readonly key: EncryptionKey,
    retiredKeys: readonly EncryptionKey[],
    private readonly now: () => number,
  ) {
    this.keyring = [key, ...retiredKeys];
    this.index = new StoreIndex(store);
  }

  /** Parks `connection` for `subject`; returns the ticket (shown once, never stored) and its expiry (epoch ms). */
  async park(connection: Connection, subject: string): Promise<{ ticket: string; expiresAt: number }> {
    const ticket = `zct_${randomBytes(32).toString('base64url')}`;
    const id = idOf(ticket);
    const expiresAt = this.now() + TICKET_TTL_MS;
    const stored: StoredParked = { connection: sealSecrets(connection, SECRET_FIELDS, this.key, placeOf(id, connection, subject, expiresAt)), subject, expiresAt };
    // Index first: an entry the sweep cannot find would keep its tokens alive at Zoho.
    await this.index.add(TICKET_INDEX_KEY, id);
    await this.store.set(ENTRY_PREFIX + id, stored, TICKET_TTL_MS + SWEEP_GRACE_MS);
    return { ticket, expiresAt };
  }

  /**
   * Uses the ticket up, whoever asks: the caller decides what to do with the parked connection
   * (activate it, or revoke its tokens). `expired: true` means the ticket had lapsed; it is used
   * up all the same. Throws GatewayError BAD_USER_INPUT (`reason`: TicketFailure) for a malformed,
   * unknown, already used or swept ticket.
   */
  async redeem(ticket: string): Promise<{ parked: ParkedConnect; expired: boolean }> {
    if (typeof ticket !== 'string' || !TICKET.test(ticket)) throw ticketError('invalid_ticket');
    const id = idOf(ticket);
    const claimed = await this.claim(id);
    if (!claimed) {
      const marker = await this.store.get<Marker>(MARKER_PREFIX + id);
      throw ticketError(marker === 'expired' ? 'expired_ticket' : marker === 'used' ? 'used_ticket' : 'invalid_ticket');
    }
    const expired = claimed.expiresAt <= this.now();
    await this.finish(id, expired ? 'expired' : 'used');
    return { parked: claimed, expired };
  }

  /** Uses up every parked ticket that has expired and returns them, for their tokens to be revoked. */
  async takeExpired(): Promise<ParkedConnect[]> {
    const out: ParkedConnect[] = [];
    const now = this.now();
    for (const id of await this.index.members(TICKET_INDEX_KEY)) {
      const stored = await this.store.get<StoredParked>(ENTRY_PREFIX + id);
      if (stored === undefined) {
        await this.index.remove(TICKET_INDEX_KEY, id);
        continue;
      }
      if (stored.expiresAt > now) continue;
      const claimed = await this.claim(id);
      if (!claimed) continue;
      await this.finish(id, 'expired');
      out.push(claimed);
    }
    return out;
  }

  /** The parked entry, deleted: of two racing claims exactly one gets it (the delete is atomic). */
  private async claim(id: string): Promise<ParkedConnect | undefined> {
    const stored = await this.store.get<StoredParked>(ENTRY_PREFIX + id);
    if (stored === undefined || !(await this.store.delete(ENTRY_PREFIX + id))) return undefined;
    let connection: Connection;
    try {
      connection = openSecrets(stored.connection, SECRET_FIELDS, this.keyring, placeOf(id, stored.connection, stored.subject, stored.expiresAt)) as Connection;
    } catch (err) {
      if (!(err instanceof DecryptionError)) throw err;
      // Someone who can write to the store moved or edited the entry: use nothing of it.
      throw new GatewayError('STORE_TAMPERED', 'The parked Zoho connection failed its integrity check and was not used; start connecting again', { reason: 'SEALED_VALUE_MISMATCH' });
    }
    return { connection, subject: stored.subject, expiresAt: stored.expiresAt };
  }

  private async finish(id: string, marker: Marker): Promise<void> {
    await this.store.set(MARKER_PREFIX + id, marker, MARKER_TTL_MS);
    await this.index.remove(TICKET_INDEX_KEY, id).catch(() => undefined);
  }
}

/**
 * Where a parked entry's tokens are sealed: its store key plus every clear field the confirm step
 * decides on or shows (who may complete, until when, for which tenant and servers, whose account),
 * so a store writer cannot hand the tokens to another tenant or user, extend the ticket, re-point
 * its servers or relabel the account.
 */
function placeOf(id: string, c: ParkedFacts, subject: string, expiresAt: number): RecordPlace {
  return {
    storeKey: ENTRY_PREFIX + id,
    // Who the account is matters too: completeZohoConnect shows it ("you are connecting X's CRM").
    context: [c.tenantId, c.connectionName, subject, String(expiresAt), c.dc, c.accountsServer, c.apiDomain, c.zohoUserId, c.zohoOrgId, c.email, c.orgName, c.scopes.join(' ')],
  };
}

type ParkedFacts = Pick<Connection, 'tenantId' | 'connectionName' | 'dc' | 'accountsServer' | 'apiDomain' | 'zohoUserId' | 'zohoOrgId' | 'email' | 'orgName' | 'scopes'>;

function idOf(ticket: string): string {
  return createHash('sha256').update(ticket).digest('base64url');
}

const EXPLAIN: Record<TicketFailure, string> = {
  invalid_ticket: 'This is not a connect ticket this gateway issued',
  used_ticket: 'This connect ticket was already used or refused; start connecting again',
  expired_ticket: 'This connect ticket has expired (they live 10 minutes); start connecting again',
};

function ticketError(reason: TicketFailure): GatewayError {
  return new GatewayError('BAD_USER_INPUT', EXPLAIN[reason], { argument: 'ticket', reason });
}
