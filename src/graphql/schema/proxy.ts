import { GatewayError } from '../../errors.js';
import type { ZohoCall } from '../../zoho/client.js';
import { builder } from '../builder.js';
import { requireConnection } from './require-connection.js';

/**
 * `zohoRequest`: a passthrough to any Zoho CRM v8 endpoint on the connection's own API domain,
 * for what the typed schema does not cover yet. The gateway still adds the token, routes to the
 * user's data centre, caps concurrency, retries what is safe and prices credits (../../zoho/client.ts);
 * the caller never sees the token. It bypasses the per-module records scopes, hence its own scope.
 *
 * Paths are relative to `/crm/v8` (`/org`, `/Leads/search`); `/crm/v8/org` is accepted too. The
 * client only ever sends to `{apiDomain}/crm/v8{path}`, so a raw-path mode is not needed; other
 * versions and anything outside `/crm/v8` are refused.
 */

const HttpMethodEnum = builder.enumType('HttpMethod', {
  values: { GET: { value: 'GET' }, POST: { value: 'POST' }, PUT: { value: 'PUT' }, PATCH: { value: 'PATCH' }, DELETE: { value: 'DELETE' } } as const,
});

const PREFIX = '/crm/v8';
/** One path segment: module and action names, ids. No dots (so no `.`/`..`), no `%` (so no encoded ones). */
const SEGMENT = /^[A-Za-z0-9_-]{1,200}$/;
const QUERY_KEY = /^[A-Za-z0-9_.-]{1,100}$/;
const MAX_PATH = 2_048;
const MAX_QUERY_KEYS = 50;
/** Response headers worth showing; never cookies or anything credential-like. */
const SHOWN_HEADERS = ['content-type', 'retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-ratelimit-day-limit', 'x-ratelimit-day-remaining'];

/** Zoho's notification channels (`/actions/watch`), where the gateway's own channels live. */
const WATCH_PATH = /^\/actions\/watch(\/|$)/i;

/**
 * A copy of `value` without channel tokens: every `token` key is dropped, and `token`-like query
 * parameters of URLs are blanked. A channel's token is what proves a notification comes from
 * Zoho; shown to a caller, it would let them forge notifications for the gateway's channels.
 */
export function withoutChannelTokens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutChannelTokens);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (k.toLowerCase() === 'token') continue;
      out[k] = k === 'notify_url' && typeof v === 'string' ? withoutUrlTokens(v) : withoutChannelTokens(v);
    }
    return out;
  }
  return value;
}

function withoutUrlTokens(text: string): string {
  try {
    const url = new URL(text);
    for (const name of [...url.searchParams.keys()]) if (/token|secret|key/i.test(name)) url.searchParams.set(name, 'REDACTED');
    return url.toString();
  } catch {
    return text;
  }
}

/** Channel ids a write to `/actions/watch` names: `channel_ids`/`channel_id` in the query, `channel_id` in the body. */
function channelIdsOf(query: ZohoCall['query'], body: unknown): string[] {
  const ids: string[] = [];
  for (const key of ['channel_ids', 'channel_id']) {
    const v = query?.[key];
    if (v !== undefined) ids.push(...String(v).split(','));
  }
  const objects = body && typeof body === 'object' ? (Array.isArray((body as { watch?: unknown }).watch) ? (body as { watch: unknown[] }).watch : [body]) : [];
  for (const o of objects) {
    const id = o && typeof o === 'object' ? (o as { channel_id?: unknown }).channel_id : undefined;
    if (id !== undefined && id !== null) ids.push(String(id));
  }
  return ids.map((s) => s.trim()).filter(Boolean);
}

function bad(message: string, argument: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message, { argument });
}

/** The path under `/crm/v8`, or BAD_USER_INPUT saying why it would leave it. */
export function proxyPath(raw: string): string {
  if (raw.length === 0 || raw.length > MAX_PATH) throw bad(`path must be 1–${MAX_PATH} characters`, 'path');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(raw) || raw.startsWith('//')) throw bad('path must be a path under /crm/v8 of the connection’s API domain, not a URL', 'path');
  if (raw.includes('?') || raw.includes('#')) throw bad('path must not carry a query string or fragment: pass parameters in `query`', 'path');
  if (raw.includes('\\') || raw.includes('%')) throw bad('path must not contain backslashes or percent-encoding', 'path');
  if (!raw.startsWith('/')) throw bad('path must start with / (relative to /crm/v8, e.g. /org)', 'path');
  let path = raw;
  if (path === PREFIX || path.startsWith(`${PREFIX}/`)) path = path.slice(PREFIX.length);
  else if (/^\/crm(\/|$)/.test(path)) throw bad('only Zoho CRM API v8 is reachable: give a path relative to /crm/v8 (e.g. /org) or under /crm/v8/', 'path');
  const segments = path.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) throw bad('path must not contain . or .. segments', 'path');
  if (segments.some((s) => s === '')) throw bad('path must not contain empty segments (// or a trailing /)', 'path');
  const badSegment = segments.find((s) => !SEGMENT.test(s));
  if (badSegment !== undefined) throw bad(`path segment "${badSegment.slice(0, 60)}" may only hold letters, digits, _ and -`, 'path');
  // Belt and braces: resolved against a host, the path must stay exactly where it was put.
  const probe = new URL(`${PREFIX}${path}`, 'https://api-domain.invalid');
  if (probe.origin !== 'https://api-domain.invalid' || probe.pathname !== `${PREFIX}${path}`) throw bad('path must stay under /crm/v8', 'path');
  return path;
}

/** A flat JSON object of scalars (arrays are joined with commas, as Zoho takes `ids=a,b`). */
export function proxyQuery(raw: unknown): ZohoCall['query'] {
  if (raw === null || raw === undefined) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw bad('query must be a JSON object of parameter names to values', 'query');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_QUERY_KEYS) throw bad(`query may hold at most ${MAX_QUERY_KEYS} parameters`, 'query');
  const out: Record<string, string | number | undefined> = {};
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  for (const [k, v] of entries) {
    if (!QUERY_KEY.test(k)) throw bad(`query parameter name "${k.slice(0, 60)}" may only hold letters, digits, _, . and -`, 'query');
    if (v === null || v === undefined) continue;
    if (scalar(v)) out[k] = typeof v === 'number' ? v : String(v);
    else if (Array.isArray(v) && v.every(scalar)) out[k] = v.map(String).join(',');
    else throw bad(`query.${k} must be a string, number, boolean or a list of them`, 'query');
  }
  return out;
}

builder.mutationField('zohoRequest', (t) =>
  t.field({
    type: 'JSON',
    authScopes: { scope: 'zoho:proxy' },
    description: [
      'Sends one request to the connected Zoho CRM (v8) and returns {status, body, headers} (headers: content type and rate-limit headers only; never a token).',
      '`path` is relative to /crm/v8 (/org, /Leads/search; /crm/v8/org is accepted too); URLs, other versions, query strings, ./.., // and percent-encoding in it are refused with BAD_USER_INPUT, so a request never leaves the connection’s API domain.',
      'GET is retried on 5xx and network failures; other methods only on Zoho’s 429 (nothing was done), never after a 5xx.',
      'Zoho’s error answers fail the field with the mapped code and extensions.zoho (Zoho’s status, code, message, details), except per-record write outcomes (207, or a 400 with data[]), which are returned.',
      'Bypasses the per-module records scopes: grant zoho:proxy only to trusted callers.',
      'Under /actions/watch, answers never carry a channel `token`, and writes naming a channel the gateway manages (watchRecords) are refused with FORBIDDEN.',
    ].join(' '),
    args: {
      method: t.arg({ type: HttpMethodEnum, required: true }),
      path: t.arg.string({ required: true }),
      query: t.arg({ type: 'JSON', description: 'Query parameters: {"fields": "Last_Name,Email", "ids": ["1", "2"]}.' }),
      body: t.arg({ type: 'JSON', description: 'JSON body (not with GET).' }),
    },
    resolve: async (_r, args, ctx) => {
      const path = proxyPath(args.path);
      const query = proxyQuery(args.query);
      const hasBody = args.body !== null && args.body !== undefined;
      if (hasBody && args.method === 'GET') throw bad('a GET request takes no body', 'body');
      const watch = WATCH_PATH.test(path);
      if (watch && args.method !== 'GET') {
        // Enabling, changing or deleting one of the gateway's own channels would move its
        // notify_url (and with it the token Zoho echoes) or stop it: watchRecords owns those.
        for (const id of channelIdsOf(query, args.body)) {
          if (await ctx.services.watch.manages(id)) {
            throw new GatewayError('FORBIDDEN', 'this channel is managed by the gateway: use watchRecords / unwatchRecords', { argument: 'body' });
          }
        }
      }
      await requireConnection(ctx);
      const res = await ctx.zoho<unknown>({
        method: args.method,
        path,
        ...(query ? { query } : {}),
        ...(hasBody ? { body: args.body } : {}),
        // Only reads are safe to send twice; the client still retries a 429 of any method.
        idempotent: args.method === 'GET',
      });
      const headers: Record<string, string> = {};
      for (const name of SHOWN_HEADERS) {
        const v = res.headers[name];
        if (v !== undefined) headers[name] = Array.isArray(v) ? v.join(', ') : v;
      }
      return { status: res.status, body: watch ? withoutChannelTokens(res.body) : res.body, headers };
    },
  }),
);
