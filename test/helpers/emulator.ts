import { request } from 'undici';
import { DEFAULT_CLIENT, startEmulator, type EmulatorOptions, type ZohoEmulator } from '../../src/emulator/emulator.js';

/** Every CRM scope a full-access connection gets. */
export const ALL_CRM_SCOPES = [
  'ZohoCRM.modules.ALL',
  'ZohoCRM.settings.ALL',
  'ZohoCRM.users.READ',
  'ZohoCRM.org.READ',
  'ZohoCRM.coql.READ',
  'ZohoCRM.bulk.READ',
  'ZohoCRM.notifications.ALL',
  'AaaServer.profile.READ',
];

/**
 * Mints an access token straight in the emulator's token book (no OAuth round trip), for tests of
 * CRM endpoints. Tests of the OAuth endpoints go through `/oauth/v2/*` instead.
 */
export function mintToken(emu: ZohoEmulator, scopes: string[] = ALL_CRM_SCOPES, zuid = emu.ctx.data.users[0]!.zuid): string {
  return emu.accounts.issueAccessToken({ clientId: DEFAULT_CLIENT.clientId, zuid, scopes, ttlSeconds: emu.ctx.accessTokenTtlSeconds }).token;
}

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<{ emu: ZohoEmulator; token: string }> {
  const emu = await startEmulator(options);
  return { emu, token: mintToken(emu) };
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or undefined for an empty body (Zoho's 204). */
  body: any;
  text: string;
}

/** One HTTP call to the emulator with Zoho's auth header (pass `token: null` to send none). */
export async function call(
  emu: ZohoEmulator,
  method: string,
  path: string,
  opts: { token?: string | null; query?: Record<string, string | number>; json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const url = new URL(path, emu.url);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers.authorization = `Zoho-oauthtoken ${opts.token}`;
  let body: string | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] = 'application/json';
  } else if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const res = await request(url, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
}
