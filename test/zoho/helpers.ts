/**
 * Drives the emulator's consent step like a browser (no redirect following) to get a fresh
 * authorization code, for tests of the OAuth client and of everything built on a connection.
 */
import { request } from 'undici';
import { DEFAULT_CLIENT, type ZohoEmulator } from '../../src/emulator/emulator.js';

export const REDIRECT_URI = 'http://localhost:4000/oauth/zoho/callback';
export const SCOPES = ['ZohoCRM.modules.ALL', 'ZohoCRM.org.READ', 'AaaServer.profile.READ'];

export async function obtainCode(emu: ZohoEmulator, scopes: readonly string[] = SCOPES, redirectUri = REDIRECT_URI): Promise<string> {
  const url = new URL('/oauth/v2/auth', emu.url);
  const params = {
    scope: scopes.join(','),
    client_id: DEFAULT_CLIENT.clientId,
    response_type: 'code',
    access_type: 'offline',
    redirect_uri: redirectUri,
    state: 'test-state',
    prompt: 'consent',
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await request(url, { method: 'GET' });
  await res.body.dump();
  if (res.statusCode !== 302 || typeof res.headers.location !== 'string') throw new Error(`consent answered ${res.statusCode}`);
  const code = new URL(res.headers.location).searchParams.get('code');
  if (!code) throw new Error('consent redirect without code');
  return code;
}

/** A loopback port nothing listens on (bound and released at once). */
export async function deadPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Fails when any token or code the emulator ever issued, or the secret, appears in `text`. */
export function expectNoSecrets(emu: ZohoEmulator, text: string, extra: readonly string[] = []): void {
  for (const secret of [...emu.accounts.issued, DEFAULT_CLIENT.clientSecret, ...extra]) {
    if (text.includes(secret)) throw new Error(`a secret value leaked into: ${text.slice(0, 200)}`);
  }
}
