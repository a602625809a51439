/**
 * Connection-linking CSRF (issue 10, High 1): an attacker with `zoho:connect` in their own tenant
 * sends their consent link to a victim who is a Zoho admin. Before the confirm step, the victim's
 * consent connected the victim's CRM to the attacker's tenant. Now the callback only parks the
 * tokens under a ticket that only the starter (same tid, sub, cid) can complete, and the ticket
 * lands in the victim's browser, never the attacker's. Also: tickets are single use and expire,
 * abandoned ones are revoked at Zoho, reconnecting keeps the old token until completion, a stolen
 * code is useless without the PKCE verifier, and pending connects are capped across instances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_CLIENT } from '../../src/emulator/emulator.js';
import { StoreLock } from '../../src/store/lock.js';
import { refreshLockKey } from '../../src/tokens/connection-repository.js';
import { TICKET_SWEEP_LEASE_KEY } from '../../src/connect/ticket-sweep.js';
import { COMPLETE_CONNECT, follow, RETURN_ORIGIN, startHarness, ticketOf, type Harness } from '../helpers/gateway.js';

interface GqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function gql(h: Harness, token: string, query: string, variables: Record<string, unknown> = {}): Promise<GqlAnswer> {
  const res = await fetch(`${h.app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlAnswer;
}

const START = 'mutation($returnTo: String) { startZohoConnect(returnTo: $returnTo) { authorizeUrl } }';
const CONNECTION = '{ connection { email status } }';

/** The attacker starts; the victim's browser (plain fetch: no cookies, no session) consents and follows Zoho's redirect. */
async function attackerStartsVictimConsents(h: Harness, attackerToken: string, victimEmail: string) {
  const start = await gql(h, attackerToken, START, { returnTo: `${RETURN_ORIGIN}/settings/crm` });
  const authorize = new URL((start.data!.startZohoConnect as { authorizeUrl: string }).authorizeUrl);
  h.us.setConsent({ email: victimEmail });
  try {
    const consent = await fetch(new URL(authorize.pathname + authorize.search, h.us.url), { redirect: 'manual' });
    return await follow(h.app, new URL(consent.headers.get('location')!));
  } finally {
    h.us.setConsent({ zuid: h.us.ctx.data.users[0]!.zuid });
  }
}

function codeAndReason(answer: GqlAnswer): [unknown, unknown] {
  const ext = answer.errors?.[0]?.extensions ?? {};
  return [ext.code, ext.reason];
}

describe('connect flow hijack and the confirm step', () => {
  let h: Harness;
  const tickets: string[] = [];
  const verifiers: string[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('a victim’s consent to an attacker’s link never connects the attacker’s tenant, and the victim-side completion is refused and burns the ticket', async () => {
    const victimUser = h.us.ctx.data.users[1]!;
    const attacker = await h.token('mallory', 'zoho:connect org:read');
    const refreshBefore = h.us.accounts.liveRefreshTokens();

    const answer = await attackerStartsVictimConsents(h, attacker, victimUser.email);
    // The consent alone connects nothing: the attacker's tenant cannot read the victim's CRM.
    expect((await gql(h, attacker, CONNECTION)).data).toEqual({ connection: null });
    expect(answer.status).toBe(302);
    expect(answer.location!.searchParams.get('zoho')).toBe('confirm');
    const ticket = ticketOf(answer)!;
    tickets.push(ticket);

    // The product's page in the victim's browser completes with the victim's own session: refused.
    const victim = await h.token('victimco', 'zoho:connect org:read', { subject: 'victim-admin' });
    const refused = await gql(h, victim, COMPLETE_CONNECT, { ticket });
    expect(codeAndReason(refused)).toEqual(['FORBIDDEN', 'ticket_not_yours']);
    expect((await gql(h, victim, CONNECTION)).data).toEqual({ connection: null });
    // The parked refresh token was revoked at Zoho.
    expect(h.us.accounts.liveRefreshTokens()).toBe(refreshBefore);

    // The ticket is burnt: even the attacker (the rightful starter) cannot use it any more.
    const late = await gql(h, attacker, COMPLETE_CONNECT, { ticket });
    expect(codeAndReason(late)).toEqual(['BAD_USER_INPUT', 'used_ticket']);
    expect((await gql(h, attacker, CONNECTION)).data).toEqual({ connection: null });
  });

  it('refuses another subject of the same tenant, and the same user on another connection name', async () => {
    for (const other of [{ subject: 'someone-else' }, { connection: 'secondary' }]) {
      const r = await h.connect('acme', { returnTo: `${RETURN_ORIGIN}/crm`, stopAtTicket: true });
      tickets.push(r.ticket!);
      const wrong = await h.token('acme', 'zoho:connect', other);
      expect(codeAndReason(await gql(h, wrong, COMPLETE_CONNECT, { ticket: r.ticket }))).toEqual(['FORBIDDEN', 'ticket_not_yours']);
      expect(codeAndReason(await gql(h, await h.token('acme'), COMPLETE_CONNECT, { ticket: r.ticket }))).toEqual(['BAD_USER_INPUT', 'used_ticket']);
    }
    expect((await gql(h, await h.token('acme'), CONNECTION)).data).toEqual({ connection: null });
  });

  it('the starter completes once and sees the Zoho account; a replay is used_ticket', async () => {
    const r = await h.connect('initech', { returnTo: `${RETURN_ORIGIN}/crm` });
    tickets.push(r.ticket!);
    expect(r.connection).toMatchObject({ status: 'ACTIVE', email: h.us.ctx.data.users[0]!.email, orgName: h.us.ctx.data.org.company_name });
    const replay = await gql(h, await h.token('initech'), COMPLETE_CONNECT, { ticket: r.ticket });
    expect(codeAndReason(replay)).toEqual(['BAD_USER_INPUT', 'used_ticket']);
  });

  it('malformed and unknown tickets are invalid_ticket; completing needs zoho:connect', async () => {
    const token = await h.token('hooli');
    for (const ticket of ['', 'nope', `zct_${'A'.repeat(43)}`, `zct_${'A'.repeat(4000)}`, '<script>']) {
      expect(codeAndReason(await gql(h, token, COMPLETE_CONNECT, { ticket }))).toEqual(['BAD_USER_INPUT', 'invalid_ticket']);
    }
    const r = await h.connect('hooli', { stopAtTicket: true });
    tickets.push(r.ticket!);
    const narrow = await h.token('hooli', 'org:read');
    expect(codeAndReason(await gql(h, narrow, COMPLETE_CONNECT, { ticket: r.ticket }))[0]).toBe('FORBIDDEN');
    // Refused by scope before the ticket was looked at: the starter can still complete it.
    expect((await gql(h, token, COMPLETE_CONNECT, { ticket: r.ticket })).data).toMatchObject({ completeZohoConnect: { status: 'ACTIVE' } });
  });

  it('an expired ticket is expired_ticket and its tokens are revoked', async () => {
    const r = await h.connect('umbrella', { stopAtTicket: true });
    tickets.push(r.ticket!);
    const live = h.us.accounts.liveRefreshTokens();
    h.clock.now += 10 * 60_000 + 1_000;
    try {
      expect(codeAndReason(await gql(h, await h.token('umbrella'), COMPLETE_CONNECT, { ticket: r.ticket }))).toEqual(['BAD_USER_INPUT', 'expired_ticket']);
    } finally {
      h.clock.now = Date.now();
    }
    expect(h.us.accounts.liveRefreshTokens()).toBe(live - 1);
    expect((await gql(h, await h.token('umbrella'), CONNECTION)).data).toEqual({ connection: null });
  });

  it('the sweep revokes an abandoned ticket’s tokens at Zoho once it expires, on one instance', async () => {
    const r = await h.connect('stark', { stopAtTicket: true });
    tickets.push(r.ticket!);
    const live = h.us.accounts.liveRefreshTokens();
    expect(await h.app.services.ticketSweep.runOnce()).toBe(0);
    expect(h.us.accounts.liveRefreshTokens()).toBe(live);
    h.clock.now += 10 * 60_000 + 1_000;
    try {
      expect(await h.app.services.ticketSweep.runOnce()).toBe(1);
      expect(h.us.accounts.liveRefreshTokens()).toBe(live - 1);
      expect(codeAndReason(await gql(h, await h.token('stark'), COMPLETE_CONNECT, { ticket: r.ticket }))).toEqual(['BAD_USER_INPUT', 'expired_ticket']);
    } finally {
      h.clock.now = Date.now();
    }
  });

  it('reconnecting keeps the working connection and its token until the new one is completed', async () => {
    await h.connect('tyrell');
    const first = (await h.app.services.connections.get('tyrell', 'default'))!;
    const pending = await h.connect('tyrell', { stopAtTicket: true });
    tickets.push(pending.ticket!);
    expect(h.us.accounts.getRefreshToken(first.refreshToken)).toBeDefined();
    expect((await h.app.services.connections.get('tyrell', 'default'))!.refreshToken).toBe(first.refreshToken);
    await gql(h, await h.token('tyrell'), COMPLETE_CONNECT, { ticket: pending.ticket });
    const second = (await h.app.services.connections.get('tyrell', 'default'))!;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(h.us.accounts.getRefreshToken(first.refreshToken)).toBeUndefined();
    // A refused reconnect leaves the working connection as it was.
    const victim = await h.token('tyrell', 'zoho:connect', { subject: 'intruder' });
    const third = await h.connect('tyrell', { stopAtTicket: true });
    tickets.push(third.ticket!);
    expect(codeAndReason(await gql(h, victim, COMPLETE_CONNECT, { ticket: third.ticket }))[0]).toBe('FORBIDDEN');
    expect((await h.app.services.connections.get('tyrell', 'default'))!.refreshToken).toBe(second.refreshToken);
    expect(h.us.accounts.getRefreshToken(second.refreshToken)).toBeDefined();
  });

  it('a refresh of the old connection in flight during completion cannot write it back over the new one', async () => {
    await h.connect('cyberdyne');
    const old = (await h.app.services.connections.get('cyberdyne', 'default'))!;
    const pending = await h.connect('cyberdyne', { stopAtTicket: true });
    // Play the refresh in flight: it holds the connection's lease, and writes the old connection
    // (with a new access token) back when its round trip ends, after completion has started.
    const lock = new StoreLock(h.app.store);
    const owner = (await lock.tryAcquire(refreshLockKey('cyberdyne', 'default'), 10_000))!;
    expect(owner).toBeDefined();
    const completing = gql(h, await h.token('cyberdyne'), COMPLETE_CONNECT, { ticket: pending.ticket });
    // Ordering only (what is asserted is the final state): give completion time to reach the store.
    await Promise.race([completing, sleep(300)]);
    await h.app.services.connections.put({ ...old, accessToken: `${old.accessToken}-refreshed`, updatedAt: old.updatedAt + 1 });
    await lock.release(refreshLockKey('cyberdyne', 'default'), owner);
    expect((await completing).errors).toBeUndefined();
    const stored = (await h.app.services.connections.get('cyberdyne', 'default'))!;
    expect(stored.refreshToken).not.toBe(old.refreshToken);
    // The new refresh token is the one in use, and the old one is revoked: nothing orphaned at Zoho.
    expect(h.us.accounts.getRefreshToken(stored.refreshToken)).toBeDefined();
    expect(h.us.accounts.getRefreshToken(old.refreshToken)).toBeUndefined();
  });

  it('a code intercepted on its way back is useless without the PKCE verifier the gateway kept', async () => {
    const start = await gql(h, await h.token('wayne'), START);
    const authorize = new URL((start.data!.startZohoConnect as { authorizeUrl: string }).authorizeUrl);
    const consent = await fetch(new URL(authorize.pathname + authorize.search, h.us.url), { redirect: 'manual' });
    const code = new URL(consent.headers.get('location')!).searchParams.get('code')!;
    // Even with the client's credentials, the stolen code cannot be exchanged.
    const stolen = await fetch(`${h.us.url}/oauth/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        client_id: DEFAULT_CLIENT.clientId,
        client_secret: DEFAULT_CLIENT.clientSecret,
        redirect_uri: `${h.publicUrl}/oauth/zoho/callback`,
      }),
    });
    expect(await stolen.json()).toEqual({ error: 'invalid_code' });
    // The verifier sits in the state's store entry only (read here to check the logs for it later).
    const nonce = JSON.parse(Buffer.from(authorize.searchParams.get('state')!.split('.')[1]!, 'base64url').toString()).n as string;
    verifiers.push((await h.app.store.get<{ v: string }>(`oauth-state:${nonce}`))!.v);
    expect(authorize.toString()).not.toContain(verifiers[0]);
  });

  it('keeps tickets and PKCE verifiers out of the logs', () => {
    expect(tickets.length).toBeGreaterThan(5);
    expect(verifiers.length).toBe(1);
    expect([...tickets, ...verifiers].filter((t) => h.logs.text.includes(t))).toEqual([]);
    expect(h.logs.text).toContain('connect ticket presented by another caller');
  });
});

describe('pending connects per tenant, across instances', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ instances: 2, env: { MAX_PENDING_CONNECTS_PER_TENANT: '3' }, app: { ticketSweepIntervalMs: 100 } });
  });
  afterAll(() => h?.close());

  it('refuses the start beyond MAX_PENDING_CONNECTS_PER_TENANT with RATE_LIMITED, counted in Redis across instances', async () => {
    const token = await h.token('spammer', 'zoho:connect');
    const startOn = async (i: number) => {
      const res = await fetch(`${h.apps[i % 2]!.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: START }),
      });
      return (await res.json()) as GqlAnswer;
    };
    const urls: string[] = [];
    for (let i = 0; i < 3; i++) urls.push(((await startOn(i)).data!.startZohoConnect as { authorizeUrl: string }).authorizeUrl);
    expect(codeAndReason(await startOn(3))).toEqual(['RATE_LIMITED', 'too_many_pending_connects']);
    expect(codeAndReason(await startOn(4))).toEqual(['RATE_LIMITED', 'too_many_pending_connects']);
    // Another tenant has its own allowance.
    expect((await gql(h, await h.token('other', 'zoho:connect'), START)).data?.startZohoConnect).toBeTruthy();
    // A state used by its callback (on the other instance) frees its place.
    const authorize = new URL(urls[0]!);
    const consent = await fetch(new URL(authorize.pathname + authorize.search, h.us.url), { redirect: 'manual' });
    expect(ticketOf(await follow(h.apps[1]!, new URL(consent.headers.get('location')!)))).toBeDefined();
    expect((await startOn(5)).data?.startZohoConnect).toBeTruthy();
    expect(codeAndReason(await startOn(6))[0]).toBe('RATE_LIMITED');
  });

  it('abandoned tickets are swept by the instances’ own timers, one instance per round (a lease in the store)', async () => {
    const r = await h.connect('abandoner', { stopAtTicket: true });
    const live = h.us.accounts.liveRefreshTokens();
    const lock = new StoreLock(h.app.store);
    try {
      // While something else holds the round's lease, no instance sweeps, even past the expiry.
      await lock.withLease(TICKET_SWEEP_LEASE_KEY, { ttlMs: 60_000, waitMs: 10_000 }, async () => {
        h.clock.now += 10 * 60_000 + 1_000;
        expect(await Promise.all(h.apps.map((a) => a.services.ticketSweep.runOnce()))).toEqual([undefined, undefined]);
        expect(h.us.accounts.liveRefreshTokens()).toBe(live);
      });
      // Released: a timer round on one of the instances takes the ticket and revokes its token
      // (the earlier test's unfinished ticket goes the same way, hence "fewer", not "one fewer").
      const id = createHash('sha256').update(r.ticket!).digest('base64url');
      await expect.poll(() => h.app.store.get(`connect-ticket-done:${id}`), { timeout: 10_000, interval: 50 }).toBe('expired');
      // The ticket is marked done before its token is revoked at Zoho (connect-service revokeAbandoned): wait for both.
      await expect.poll(() => h.us.accounts.liveRefreshTokens(), { timeout: 10_000, interval: 50 }).toBeLessThan(live);
      expect(codeAndReason(await gql(h, await h.token('abandoner'), COMPLETE_CONNECT, { ticket: r.ticket }))).toEqual(['BAD_USER_INPUT', 'expired_ticket']);
    } finally {
      h.clock.now = Date.now();
    }
  });
});
