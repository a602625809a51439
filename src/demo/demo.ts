import { SCOPES, type Caller } from '../auth/caller.js';
import { mintDevToken } from '../auth/mint.js';
import { randomJwtSecret } from '../config/keys.js';
import type { ConnectService } from '../connect/connect-service.js';
import { ticketOnPage } from '../http/routes/oauth-callback.js';
import type { Logger } from '../log.js';
import { DEFAULT_CLIENT, startEmulator, type ZohoEmulator } from '../emulator/emulator.js';
import type { DataCentreTable } from '../zoho/datacenters.js';

/**
 * What `npm start` runs with no configuration: two emulated Zoho data centres on loopback, the
 * real connect flow for tenant `demo` against one of them, and GraphiQL with a bearer token.
 */
export interface Demo {
  /** Emulators by data-centre key. */
  dataCentres: Record<'us' | 'eu', ZohoEmulator>;
  /** The emulator's registered OAuth client, used as ZOHO_CLIENT_ID/SECRET. */
  client: { clientId: string; clientSecret: string };
  /**
   * The demo's own HS256 secret, random per process and never JWT_SECRET: only this demo gateway
   * accepts what it signs (app.ts adds it beside the configured key sources).
   */
  jwtSecret: string;
  /** The demo tenant's bearer token (all scopes, 7 days), signed with `jwtSecret`. */
  mintToken(): Promise<string>;
  graphiql(token: string): { defaultQuery: string; query: string; headers: string };
  close(): Promise<void>;
}

export const DEMO_TENANT = 'demo';

const DEMO_QUERY = `# The demo tenant is connected to an emulated Zoho CRM (data centre "us");
# the Authorization header below carries its bearer token.
# \`crm\` is typed from this org's own modules and fields (custom ones too):
# put the cursor inside \`nodes { }\` and press Ctrl-Space to see them.
query Demo {
  organization { name currency }
  crm {
    deals(first: 5, where: { stage: { eq: "Closed Won" } }, orderBy: [{ amount: DESC }]) {
      nodes {
        id
        dealName
        amount
        closingDate
        regions
        owner { fullName email }
        accountName { accountName industry }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}
`;

export async function startDemo(log: Logger): Promise<Demo> {
  const [us, eu] = await Promise.all([startEmulator({ dc: 'us' }), startEmulator({ dc: 'eu' })]);
  log.info({ us: us.url, eu: eu.url }, 'demo: emulated Zoho data centres started');
  const jwtSecret = randomJwtSecret();
  return {
    dataCentres: { us, eu },
    client: { clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret },
    jwtSecret,
    mintToken: () => mintDevToken({ secret: jwtSecret, tenant: DEMO_TENANT, subject: 'demo-user', scope: SCOPES.join(' '), expiresInSec: 7 * 24 * 3600 }),
    // `query` as well as `defaultQuery`: Yoga's GraphiQL bundle (4.5, on GraphiQL 5) always passes
    // an initial query, its welcome text unless `query` is set, and that wins over defaultQuery.
    // The options reach the page as JSON, so the extra field passes through Yoga untouched.
    graphiql: (token) => ({ defaultQuery: DEMO_QUERY, query: DEMO_QUERY, headers: JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) }),
    async close() {
      await Promise.all([us.close(), eu.close()]);
    },
  };
}

/** The data-centre table with `us` and `eu` pointing at the emulators (accounts server and API). */
export function demoDataCentres(table: DataCentreTable, demo: Pick<Demo, 'dataCentres'>): DataCentreTable {
  const out = { ...table };
  for (const key of ['us', 'eu'] as const) {
    const url = demo.dataCentres[key].url;
    out[key] = { ...table[key]!, accountsUrl: url, apiDomain: url };
  }
  return out;
}

/**
 * Connects tenant `demo` through the production code path: startZohoConnect's URL, the
 * emulator's consent redirect, the gateway's own callback route over HTTP, and the confirm step
 * (completeZohoConnect's service call) as the same demo user who started.
 */
export async function connectDemoTenant(input: { connect: ConnectService; serverUrl: string; log: Logger }): Promise<void> {
  const caller: Caller = { subject: 'demo-user', tenantId: DEMO_TENANT, connectionName: 'default', scopes: new Set(SCOPES) };
  const { authorizeUrl } = await input.connect.start(caller, { dc: 'us' });
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`demo: the emulator's consent page answered ${consent.status}`);
  // The redirect goes to PUBLIC_URL; follow it to where this process actually listens.
  const callback = new URL(location);
  const local = new URL(callback.pathname + callback.search, input.serverUrl);
  const done = await fetch(local, { redirect: 'manual' });
  const page = await done.text();
  const ticket = ticketOnPage(page);
  if (done.status !== 200 || !ticket) throw new Error(`demo: connecting tenant "${DEMO_TENANT}" failed (${done.status})`);
  await input.connect.complete(caller, ticket);
  input.log.info({ tenantId: DEMO_TENANT, dc: 'us' }, 'demo: tenant connected through the OAuth flow');
}
