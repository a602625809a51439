import { randomBytes } from 'node:crypto';
import { GraphQLClient } from 'graphql-request';
import { startApp, type App, type AppOverrides } from '../../src/app.js';
import { SCOPES } from '../../src/auth/caller.js';
import { mintDevToken } from '../../src/auth/mint.js';
import { loadConfig, type Env } from '../../src/config/index.js';
import { createLogger } from '../../src/log.js';
import { DEFAULT_CLIENT, startEmulator, type EmulatorOptions, type ZohoEmulator } from '../../src/emulator/emulator.js';
import { LogCapture } from './app.js';
import { freePort } from './net.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123';
export const RETURN_ORIGIN = 'https://app.example';

export interface Harness {
  us: ZohoEmulator;
  eu: ZohoEmulator;
  /** Gateway instances sharing one store (two when asked for). */
  apps: App[];
  app: App;
  logs: LogCapture;
  namespace: string;
  /** PUBLIC_URL: the first instance, as a load balancer in front of all would be. */
  publicUrl: string;
  clock: { now: number };
  /** Every bearer token this harness minted (for leak checks). */
  minted: string[];
  /** A bearer token for a tenant (all scopes unless given; subject `<tenant>-user` unless given). */
  token(tenant: string, scope?: string, extra?: { connection?: string; subject?: string }): Promise<string>;
  client(tenant: string, scope?: string, app?: App): Promise<GraphQLClient>;
  /**
   * Runs the whole connect flow as `<tenant>-user`: startZohoConnect, the consent in the emulator,
   * the gateway's callback (as a browser without cookies would), and completeZohoConnect with the
   * same user's token, unless `stopAtTicket`. Returns the callback's answer, the ticket it carried
   * (from `zoho=confirm&ticket=` or the confirm page) and the completed connection.
   */
  connect(tenant: string, opts?: { dc?: string; returnTo?: string; emulator?: ZohoEmulator; consentEmail?: string; stopAtTicket?: boolean }): Promise<ConnectResult>;
  close(): Promise<void>;
}

export interface ConnectResult {
  /** The callback's HTTP status, redirect target, body and headers. */
  status: number;
  location: URL | undefined;
  body: string;
  headers: Headers;
  /** The confirm ticket, when consent succeeded. */
  ticket: string | undefined;
  /** completeZohoConnect's answer (absent with `stopAtTicket` or when there was no ticket). */
  connection: { name: string; status: string; dc: string; email: string; orgId: string; orgName: string } | undefined;
}

/** The ticket a callback answer carries: in the redirect to returnTo, or on the confirm page. */
export function ticketOf(answer: { location: URL | undefined; body: string }): string | undefined {
  if (answer.location?.searchParams.get('zoho') === 'confirm') return answer.location.searchParams.get('ticket') ?? undefined;
  // Read like a user reads the confirm page (src/http/routes/oauth-callback.ts confirmPage).
  return /<span id="ticket">([A-Za-z0-9_-]+)<\/span>/.exec(answer.body)?.[1];
}

export const COMPLETE_CONNECT = 'mutation Complete($ticket: String!) { completeZohoConnect(ticket: $ticket) { name status dc email orgId orgName } }';

/**
 * Two emulated data centres (us, eu), and one or more real gateways configured for real Zoho
 * (not the demo) whose data-centre table points `us` and `eu` at the emulators, on the real Redis.
 */
export async function startHarness(
  opts: {
    instances?: number;
    env?: Env;
    emulator?: EmulatorOptions;
    app?: Pick<AppOverrides, 'webhookLookup' | 'ticketSweepIntervalMs' | 'observeStore'>;
    /** ZOHO_DATA_CENTERS from the emulators' URLs (default: `us` and `eu` pointing at them). */
    dataCentres?: (us: ZohoEmulator, eu: ZohoEmulator) => Record<string, { accounts: string; api: string }>;
  } = {},
): Promise<Harness> {
  const [us, eu] = await Promise.all([startEmulator({ dc: 'us', ...opts.emulator }), startEmulator({ dc: 'eu', ...opts.emulator })]);
  const namespace = `t${randomBytes(6).toString('hex')}`;
  const clock = { now: Date.now() };
  const ports = await Promise.all(Array.from({ length: opts.instances ?? 1 }, () => freePort()));
  const publicUrl = `http://127.0.0.1:${ports[0]}`;
  const config = loadConfig({
    ZOHO_CLIENT_ID: DEFAULT_CLIENT.clientId,
    ZOHO_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    ZOHO_DATA_CENTERS: JSON.stringify(opts.dataCentres ? opts.dataCentres(us, eu) : { us: { accounts: us.url, api: us.url }, eu: { accounts: eu.url, api: eu.url } }),
    STORE_URL: REDIS_URL,
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    JWT_SECRET,
    PUBLIC_URL: publicUrl,
    ALLOWED_RETURN_URLS: RETURN_ORIGIN,
    LOG_LEVEL: 'debug',
    ...opts.env,
  });
  const logs = new LogCapture();
  const log = createLogger({ level: config.logLevel, destination: logs });
  const apps: App[] = [];
  for (const port of ports) apps.push(await startApp(config, log, { port, host: '127.0.0.1', namespace, now: () => clock.now, ...opts.app }));
  const app = apps[0]!;

  const minted: string[] = [];
  const token = async (tenant: string, scope = SCOPES.join(' '), extra: { connection?: string; subject?: string } = {}) => {
    const t = await mintDevToken({ secret: JWT_SECRET, tenant, subject: extra.subject ?? `${tenant}-user`, scope, ...(extra.connection ? { connection: extra.connection } : {}) });
    minted.push(t);
    return t;
  };

  return {
    us,
    eu,
    apps,
    app,
    logs,
    namespace,
    publicUrl,
    clock,
    minted,
    token,
    async client(tenant, scope, target = app) {
      return new GraphQLClient(`${target.url}/graphql`, { headers: { authorization: `Bearer ${await token(tenant, scope)}` } });
    },
    async connect(tenant, o = {}) {
      const client = new GraphQLClient(`${app.url}/graphql`, { headers: { authorization: `Bearer ${await token(tenant)}` } });
      const { startZohoConnect } = await client.request<{ startZohoConnect: { authorizeUrl: string } }>(
        'mutation($dc: String, $returnTo: String) { startZohoConnect(dc: $dc, returnTo: $returnTo) { authorizeUrl } }',
        { dc: o.dc ?? 'us', returnTo: o.returnTo ?? null },
      );
      // Zoho's login page sends a user of another DC on to their own DC's accounts server; the
      // emulator plays the user's DC, so the consent step runs there.
      const consentAt = o.emulator ?? (o.dc === 'eu' ? eu : us);
      if (o.consentEmail) consentAt.setConsent({ email: o.consentEmail });
      const authorize = new URL(startZohoConnect.authorizeUrl);
      const consent = await fetch(new URL(authorize.pathname + authorize.search, consentAt.url), { redirect: 'manual' });
      const redirect = new URL(consent.headers.get('location')!);
      const answer = await follow(app, redirect);
      const ticket = ticketOf(answer);
      if (!ticket || o.stopAtTicket) return { ...answer, ticket, connection: undefined };
      const { completeZohoConnect } = await client.request<{ completeZohoConnect: NonNullable<ConnectResult['connection']> }>(COMPLETE_CONNECT, { ticket });
      return { ...answer, ticket, connection: completeZohoConnect };
    },
    async close() {
      for (const a of apps) await a.close();
      await Promise.all([us.close(), eu.close()]);
    },
  };
}

/** Follows Zoho's redirect (addressed to PUBLIC_URL) to the gateway's real port. */
export async function follow(app: App, redirect: URL): Promise<{ status: number; location: URL | undefined; body: string; headers: Headers }> {
  const res = await fetch(new URL(redirect.pathname + redirect.search, app.url), { redirect: 'manual' });
  const loc = res.headers.get('location');
  return { status: res.status, location: loc ? new URL(loc) : undefined, body: await res.text(), headers: res.headers };
}
