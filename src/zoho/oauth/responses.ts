/**
 * Zoho Accounts' success bodies, checked and turned into our shapes. A body that does not fit
 * yields undefined (the client reports it as an unusable answer), never a half-filled object.
 */
import { z } from 'zod';

/** What a token grant yields. */
export interface ZohoTokenSet {
  accessToken: string;
  /** Only from the authorization-code grant with access_type=offline (never from a refresh). */
  refreshToken?: string;
  /** Origin of the user's CRM API (`api_domain`), e.g. `https://www.zohoapis.eu`. */
  apiDomain: string;
  /** Lifetime of the access token, seconds (Zoho: 3600). */
  expiresInSec: number;
  /** Scopes granted. */
  scopes: string[];
}

/** The Zoho user behind an access token (`/oauth/user/info`). */
export interface ZohoUserInfo {
  /** ZUID, as a string (an id, not a number to do arithmetic on). */
  zuid: string;
  email: string;
  displayName: string;
  firstName: string | null;
  lastName: string | null;
  /** The body exactly as Zoho sent it: fields beyond the five above (org ids…) vary by account. */
  raw: Readonly<Record<string, unknown>>;
}

/** Zoho's documented access-token lifetime, seconds (token-validity.html); used if a body omits it. */
const DEFAULT_EXPIRES_IN_SEC = 3600;
/** Past a day a lifetime must be milliseconds: old Zoho answers sent `expires_in` in ms beside `expires_in_sec`. */
const MAX_PLAUSIBLE_SEC = 86_400;

const seconds = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().positive());

const TokenBody = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  api_domain: z.string().min(1),
  expires_in: seconds.optional(),
  expires_in_sec: seconds.optional(),
  scope: z.string().optional(),
});

/** Zoho sends `scope` space separated; the consent URL takes commas. Accept either. */
export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/[\s,]+/).filter((s) => s !== '');
}

export function parseTokenSet(body: unknown): ZohoTokenSet | undefined {
  const parsed = TokenBody.safeParse(body);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  let expiresInSec = b.expires_in_sec ?? b.expires_in ?? DEFAULT_EXPIRES_IN_SEC;
  if (expiresInSec > MAX_PLAUSIBLE_SEC) expiresInSec = Math.floor(expiresInSec / 1000);
  return {
    accessToken: b.access_token,
    ...(b.refresh_token !== undefined ? { refreshToken: b.refresh_token } : {}),
    apiDomain: b.api_domain,
    expiresInSec,
    scopes: splitScopes(b.scope),
  };
}

const optionalName = z
  .string()
  .nullish()
  .transform((v) => (v === undefined || v === null || v === '' ? null : v));

const UserInfoBody = z.object({
  ZUID: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)]),
  Email: z.string(),
  Display_Name: z.string().nullish(),
  First_Name: optionalName,
  Last_Name: optionalName,
});

export function parseUserInfo(body: unknown): ZohoUserInfo | undefined {
  const parsed = UserInfoBody.safeParse(body);
  if (!parsed.success) return undefined;
  const b = parsed.data;
  const fullName = [b.First_Name, b.Last_Name].filter((n) => n !== null).join(' ');
  return {
    zuid: String(b.ZUID),
    email: b.Email,
    displayName: b.Display_Name || fullName || b.Email,
    firstName: b.First_Name,
    lastName: b.Last_Name,
    raw: { ...(body as Record<string, unknown>) },
  };
}
