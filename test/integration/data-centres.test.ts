import { ClientError, GraphQLClient } from 'graphql-request';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectWithGrantCodeDocument, OrganizationDocument } from '../gql/graphql.js';
import { COMPLETE_CONNECT, follow, RETURN_ORIGIN, startHarness, ticketOf, type Harness } from '../helpers/gateway.js';

/**
 * Which data centre and environment a connection lands in, from Zoho's redirect (`location`,
 * `accounts-server`) and the token's `api_domain` (A/multi-dc.html; ../shared/zoho-api.md "Data
 * centres"), with the emulators playing Zoho.
 */
describe('data centres and environments when connecting', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function codeOf(p: Promise<unknown>): Promise<{ code: string; reason?: string; message: string }> {
    try {
      await p;
    } catch (err) {
      if (err instanceof ClientError) {
        const e = err.response.errors![0]!;
        return { code: String(e.extensions?.code), reason: e.extensions?.reason as string | undefined, message: e.message };
      }
      throw err;
    }
    throw new Error('expected an error');
  }

  /** The connect flow up to Zoho's redirect, which `edit` may change before the gateway sees it. */
  async function consentAndEdit(tenant: string, dc: string, at: 'us' | 'eu', edit: (redirect: URL) => void) {
    const client = new GraphQLClient(`${h!.app.url}/graphql`, { headers: { authorization: `Bearer ${await h!.token(tenant)}` } });
    const { startZohoConnect } = await client.request<{ startZohoConnect: { authorizeUrl: string } }>(
      'mutation($dc: String, $r: String) { startZohoConnect(dc: $dc, returnTo: $r) { authorizeUrl } }',
      {
        dc,
        r: `${RETURN_ORIGIN}/crm`,
      },
    );
    const authorize = new URL(startZohoConnect.authorizeUrl);
    const consent = await fetch(new URL(authorize.pathname + authorize.search, h![at].url), { redirect: 'manual' });
    const redirect = new URL(consent.headers.get('location')!);
    edit(redirect);
    const answer = await follow(h!.app, redirect);
    return { client, answer };
  }

  it('accepts a location that names a known DC when the table key differs (an override keyed "europe")', async () => {
    h = await startHarness({ dataCentres: (us, eu) => ({ us: { accounts: us.url, api: us.url }, europe: { accounts: eu.url, api: eu.url } }) });
    // The EU emulator redirects with location=eu, accounts-server=<its url>.
    const r = await h.connect('acme', { dc: 'europe', emulator: h.eu, returnTo: `${RETURN_ORIGIN}/crm` });
    expect(r.location?.searchParams.get('zoho')).toBe('confirm');
    expect(r.connection).toMatchObject({ dc: 'europe', status: 'ACTIVE', orgId: h.eu.ctx.data.org.id });
  });

  it('without accounts-server, follows location to the DC the user lives in (not the one chosen)', async () => {
    h = await startHarness();
    const { client, answer } = await consentAndEdit('acme', 'us', 'eu', (u) => u.searchParams.delete('accounts-server'));
    expect(answer.location?.searchParams.get('zoho')).toBe('confirm');
    const { completeZohoConnect } = await client.request<{ completeZohoConnect: { dc: string; orgId: string } }>(COMPLETE_CONNECT, { ticket: ticketOf(answer) });
    expect(completeZohoConnect).toMatchObject({ dc: 'eu', orgId: h.eu.ctx.data.org.id });
    expect(h.us.count('POST /oauth/v2/token')).toBe(0); // the code went to the EU accounts server only
  });

  it('refuses a location that is no Zoho DC (location_mismatch), sending the code nowhere', async () => {
    h = await startHarness();
    const { answer } = await consentAndEdit('acme', 'us', 'us', (u) => u.searchParams.set('location', 'atlantis'));
    expect(answer.location?.searchParams.get('reason')).toBe('location_mismatch');
    expect(h.us.count('POST /oauth/v2/token')).toBe(0);
  });

  describe('production versus sandbox', () => {
    // The sandbox API domain of the us DC: another origin the emulator names as api_domain.
    const sandboxApi = 'https://sandbox.zohoapis.example';
    const table = (us: { url: string }, eu: { url: string }) => ({
      us: { accounts: us.url, api: us.url },
      'us-sandbox': { accounts: us.url, api: sandboxApi },
      eu: { accounts: eu.url, api: eu.url },
    });

    it('refuses a sandbox token when production was chosen: environment_mismatch, tokens revoked, nothing stored', async () => {
      h = await startHarness({ dataCentres: table });
      h.us.ctx.tokenApiDomain = sandboxApi;
      const r = await h.connect('acme', { dc: 'us', returnTo: `${RETURN_ORIGIN}/crm` });
      expect(r.location?.searchParams.get('zoho')).toBe('error');
      expect(r.location?.searchParams.get('reason')).toBe('environment_mismatch');
      expect(r.connection).toBeUndefined();
      expect(await h.app.services.connections.get('acme', 'default')).toBeUndefined();
      expect(h.us.count('POST /oauth/v2/token/revoke')).toBe(1);
    });

    it('refuses a production token when the sandbox was chosen, and explains it on the page', async () => {
      h = await startHarness({ dataCentres: table });
      const r = await h.connect('acme', { dc: 'us-sandbox' });
      expect(r.status).toBe(400);
      expect(r.body).toContain('environment_mismatch');
      expect(r.body).toContain('another environment');
    });

    it('refuses a Self Client grant code of the other environment with BAD_USER_INPUT naming both', async () => {
      h = await startHarness({ dataCentres: table });
      h.us.ctx.tokenApiDomain = sandboxApi;
      const code = h.us.issueSelfClientCode(['ZohoCRM.modules.ALL', 'ZohoCRM.org.READ', 'ZohoCRM.users.READ', 'AaaServer.profile.READ']);
      const client = await h.client('acme');
      const err = await codeOf(client.request(ConnectWithGrantCodeDocument, { code, dc: 'us' }));
      expect(err).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'environment_mismatch' });
      expect(err.message).toContain('sandbox');
      expect(err.message).toContain('us-sandbox');
      expect(await codeOf(client.request(OrganizationDocument))).toMatchObject({ code: 'ZOHO_NOT_CONNECTED' });
    });
  });
});
