/**
 * Zoho CRM's notification API ("actions/watch", v8) as the gateway speaks it: event names, the
 * expiry format, and the enable / renew / disable calls. Sources (the emulator in
 * src/emulator/routes/watch.ts follows the same pages and lists what is UNVERIFIED):
 * - https://www.zoho.com/crm/developer/docs/api/v8/notifications/overview.html
 * - https://www.zoho.com/crm/developer/docs/api/v8/notifications/enable.html (POST; `token` at most
 *   50 characters; `channel_expiry` at most one week ahead, else one hour; `channel_id` a long)
 * - https://www.zoho.com/crm/developer/docs/api/v8/notifications/update-info.html (PATCH keeps
 *   the details it is not given; `channel_id`, `events` and `notify_url` are mandatory)
 * - https://www.zoho.com/crm/developer/docs/api/v8/notifications/disable.html (DELETE ?channel_ids=)
 */
import { GatewayError } from '../errors.js';
import type { ZohoFetch, ZohoResult } from '../zoho/client.js';
import type { RecordOperation } from './types.js';

export const ALL_OPERATIONS: readonly RecordOperation[] = ['CREATE', 'UPDATE', 'DELETE'];

/** Zoho's event verb per operation (`Leads.create`, `Leads.edit`, `Leads.delete`). */
const EVENT_VERB: Record<RecordOperation, string> = { CREATE: 'create', UPDATE: 'edit', DELETE: 'delete' };

/** Zoho's `token` is at most 50 characters (enable.html). */
export const ZOHO_TOKEN_MAX_CHARS = 50;

/** Zoho keeps a channel at most one week (ms); asked for more, it silently gives one hour. */
export const ZOHO_MAX_EXPIRY_MS = 7 * 24 * 3600_000;

/**
 * How far ahead we ask a channel to live (ms): a week less one hour, so that a gateway clock up to
 * an hour ahead of Zoho's never crosses the week and falls back to Zoho's one-hour default.
 */
export const CHANNEL_LIFETIME_MS = ZOHO_MAX_EXPIRY_MS - 3600_000;

/** Zoho's `events` for modules × operations: all three operations become `Module.all`. */
export function zohoEvents(modules: readonly string[], operations: readonly RecordOperation[]): string[] {
  const all = ALL_OPERATIONS.every((op) => operations.includes(op));
  return modules.flatMap((m) => (all ? [`${m}.all`] : operations.map((op) => `${m}.${EVENT_VERB[op]}`)));
}

/** ISO 8601 with an offset and no milliseconds, as Zoho writes it (`2026-01-31T09:30:00+00:00`). */
export function formatZohoExpiry(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** What the calls below need to know of a channel. */
export interface ChannelSpec {
  id: string;
  modules: readonly string[];
  operations: readonly RecordOperation[];
  notifyUrl: string;
}

interface WatchEntry {
  code?: string;
  status?: string;
  message?: string;
  details?: { events?: { channel_expiry?: string }[] } & Record<string, unknown>;
}

/**
 * Zoho's answer for our one channel: the expiry it granted (epoch ms; the earliest over the
 * channel's modules), or `requested` when it named none. A refused entry is a ZOHO_ERROR carrying
 * Zoho's code (never the token: the entry echoes only ids and names).
 */
function grantedExpiry(res: ZohoResult<{ watch?: WatchEntry[] }>, what: string, requested: number): number {
  const entry = res.body?.watch?.[0];
  if (!entry || entry.status !== 'success') {
    throw new GatewayError('ZOHO_ERROR', `Zoho refused ${what}: ${entry?.code ?? 'no answer for the channel'}`, {
      zoho: { status: res.status, code: entry?.code ?? null, message: entry?.message ?? null, details: entry?.details ?? {} },
    });
  }
  const times = (entry.details?.events ?? []).map((e) => (typeof e.channel_expiry === 'string' ? Date.parse(e.channel_expiry) : Number.NaN)).filter(Number.isFinite);
  return times.length > 0 ? Math.min(...times) : requested;
}

function watchObject(channel: ChannelSpec, expiresAt: number): Record<string, unknown> {
  return {
    // A JSON number: Zoho documents channel_id as a long, and ours are safe integers.
    channel_id: Number(channel.id),
    events: zohoEvents(channel.modules, channel.operations),
    notify_url: channel.notifyUrl,
    channel_expiry: formatZohoExpiry(expiresAt),
  };
}

/** `POST /actions/watch`: enables (or re-enables, after expiry) a channel. Returns the granted expiry (epoch ms). */
export async function enableChannel(zoho: ZohoFetch, channel: ChannelSpec, token: string, expiresAt: number): Promise<number> {
  const res = await zoho<{ watch?: WatchEntry[] }>({ method: 'POST', path: '/actions/watch', body: { watch: [{ ...watchObject(channel, expiresAt), token }] } });
  return grantedExpiry(res, 'enabling notifications', expiresAt);
}

/**
 * `PATCH /actions/watch`: moves a live channel's expiry, keeping its token (PATCH keeps what it
 * is not given). Returns the granted expiry (epoch ms).
 */
export async function renewChannel(zoho: ZohoFetch, channel: ChannelSpec, expiresAt: number): Promise<number> {
  // Idempotent: sending the same expiry twice leaves the channel as once.
  const res = await zoho<{ watch?: WatchEntry[] }>({ method: 'PATCH', path: '/actions/watch', body: { watch: [watchObject(channel, expiresAt)] }, idempotent: true });
  return grantedExpiry(res, 'renewing notifications', expiresAt);
}

/** `DELETE /actions/watch?channel_ids=<id>`: stops the channel at Zoho. */
export async function disableChannel(zoho: ZohoFetch, channelId: string): Promise<void> {
  await disableChannels(zoho, [channelId]);
}

/** Channel ids per DELETE: Zoho takes a comma-separated list (disable.html); we send at most 50, like its other list limits (UNVERIFIED). */
const DISABLE_BATCH = 50;

/** `DELETE /actions/watch?channel_ids=<id>,<id>…`: stops channels at Zoho, one call per 50 ids. */
export async function disableChannels(zoho: ZohoFetch, channelIds: readonly string[]): Promise<void> {
  for (let i = 0; i < channelIds.length; i += DISABLE_BATCH) {
    await zoho({ method: 'DELETE', path: '/actions/watch', query: { channel_ids: channelIds.slice(i, i + DISABLE_BATCH).join(',') }, idempotent: true });
  }
}
