/**
 * Validation of the emulator's notification API bodies ("actions/watch"): each `watch[]` item
 * parsed into a subscription's settings, or the error entry Zoho answers for it. Sources, and
 * what is UNVERIFIED, are listed once in ./watch.ts beside the routes.
 */
import type { EmulatorContext } from '../emulator.js';
import { zohoError } from '../errors.js';
import type { EmulatorRequest, EmulatorResponse } from '../router.js';
import { WATCH_OPS, type WatchOp, type WatchSubscription } from '../watch-notifier.js';

export const WEEK_MS = 7 * 24 * 3600_000;
export const HOUR_MS = 3600_000;
export const TOKEN_MAX = 50;
export const NOTIFY_URL_MAX = 255;
export const CHANNEL_ID_MAX = 64;
export const WATCH_MAX = 50;

export type Entry = { code: string; details: Record<string, unknown>; message: string; status: 'success' | 'error' };

export const required = (api: string, i: number): Entry => ({
  code: 'MANDATORY_NOT_FOUND',
  details: { api_name: api, json_path: `$.watch[${i}].${api}` },
  message: 'required field not found',
  status: 'error',
});

export const invalid = (api: string, i: number, extra: Record<string, unknown> = {}): Entry => ({
  code: 'INVALID_DATA',
  details: { api_name: api, json_path: `$.watch[${i}].${api}`, ...extra },
  message: 'invalid data',
  status: 'error',
});

export const notSubscribed = (channelId: string): Entry => ({
  // UNVERIFIED: code from the OAS error-code list; details/message from a third-party page.
  code: 'NOT_SUBSCRIBED',
  details: { channel_id: channelId },
  message: 'Not subscribed for actions-watch of the given module/channel',
  status: 'error',
});

/** HTTP status of a `watch[]` answer: allOk when every entry succeeded, 207 mixed, 400 none. */
export function watchStatus(entries: Entry[], allOk: number): number {
  const ok = entries.filter((e) => e.status === 'success').length;
  if (ok === entries.length) return allOk;
  return ok === 0 ? 400 : 207;
}

export function parseJson(body: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: body ? JSON.parse(body) : undefined };
  } catch {
    return { ok: false };
  }
}

/** The `watch` array of a request body, or the error answer. */
export function watchItems(req: EmulatorRequest, allowBareObject = false): unknown[] | EmulatorResponse {
  const parsed = parseJson(req.body);
  // UNVERIFIED: Zoho's answer to a body that is not JSON.
  if (!parsed.ok) return zohoError(400, 'INVALID_DATA', 'body is not a valid JSON', {});
  const v = parsed.value as { watch?: unknown } | undefined;
  if (allowBareObject && v && typeof v === 'object' && !Array.isArray(v) && v.watch === undefined && 'channel_id' in v) return [v];
  if (!v || typeof v !== 'object' || v.watch === undefined) return zohoError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'watch', json_path: '$.watch' });
  if (!Array.isArray(v.watch) || v.watch.length === 0) return zohoError(400, 'INVALID_DATA', 'invalid data', { api_name: 'watch', json_path: '$.watch', expected_data_type: 'jsonarray' });
  if (v.watch.length > WATCH_MAX) return zohoError(400, 'LIMIT_EXCEEDED', 'the number of notification channels in the request exceeds the limit', { api_name: 'watch', limit: WATCH_MAX });
  return v.watch;
}

/** Channel ids are longs in Zoho's docs ("channel_id long") and strings up to 64 in the OAS. */
export function channelIdOf(raw: unknown): string | undefined {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) return String(raw);
  if (typeof raw === 'string' && /^\d{1,64}$/.test(raw.trim()) && raw.trim().length <= CHANNEL_ID_MAX) return raw.trim();
  return undefined;
}

/** Events grouped by module (module → ops), or an error entry. */
export function parseEvents(ctx: EmulatorContext, raw: unknown, i: number): Map<string, Set<WatchOp>> | Entry {
  if (raw === undefined || raw === null) return required('events', i);
  if (!Array.isArray(raw) || raw.length === 0) return invalid('events', i, { expected_data_type: 'jsonarray' });
  const out = new Map<string, Set<WatchOp>>();
  for (const ev of raw) {
    const m = typeof ev === 'string' ? /^([A-Za-z0-9_]+)\.(create|edit|delete|all)$/.exec(ev) : null;
    // Unknown module: INVALID_DATA {api_name:'events'} (OAS ModuleNotSupported). A malformed event
    // gets the same answer (UNVERIFIED).
    if (!m) return { code: 'INVALID_DATA', details: { api_name: 'events' }, message: 'invalid data', status: 'error' };
    const mod = ctx.metadata.module(m[1]!);
    if (!mod) return { code: 'INVALID_DATA', details: { api_name: 'events' }, message: 'invalid data', status: 'error' };
    const ops = out.get(mod.api_name) ?? new Set<WatchOp>();
    if (m[2] === 'all') for (const o of WATCH_OPS) ops.add(o);
    else ops.add(m[2] as WatchOp);
    out.set(mod.api_name, ops);
  }
  return out;
}

export function parseNotifyUrl(raw: unknown, i: number): string | Entry {
  if (raw === undefined || raw === null || raw === '') return required('notify_url', i);
  if (typeof raw !== 'string' || raw.length > NOTIFY_URL_MAX) return invalid('notify_url', i);
  try {
    const u = new URL(raw);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return invalid('notify_url', i);
  } catch {
    return invalid('notify_url', i);
  }
  return raw;
}

export function parseToken(raw: unknown, i: number): string | null | Entry {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'string') return invalid('token', i, { expected_data_type: 'string' });
  if (raw.length > TOKEN_MAX) return invalid('token', i, { maximum_length: TOKEN_MAX });
  return raw;
}

/** Expiry in ms: absent or more than a week ahead → one hour from now (enable.html). */
export function parseExpiry(raw: unknown, i: number, now: number): number | Entry {
  if (raw === undefined || raw === null) return now + HOUR_MS;
  const ms = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms)) return invalid('channel_expiry', i, { expected_data_type: 'datetime' });
  if (ms <= now) return invalid('channel_expiry', i); // UNVERIFIED
  if (ms - now > WEEK_MS) return now + HOUR_MS;
  return ms;
}

export function parseBool(raw: unknown, api: string, i: number, dflt: boolean): boolean | Entry {
  if (raw === undefined || raw === null) return dflt;
  if (typeof raw !== 'boolean') return invalid(api, i, { expected_data_type: 'boolean' });
  return raw;
}

/** Minimal checks of `notification_condition` as enable.html and the OAS examples describe it. */
export function parseCondition(raw: unknown, i: number): unknown[] | null | Entry {
  if (raw === undefined || raw === null) return null;
  const path = `$.watch[${i}].notification_condition`;
  if (!Array.isArray(raw)) return { code: 'INVALID_DATA', details: { api_name: 'notification_condition', json_path: path }, message: 'invalid data', status: 'error' };
  for (let k = 0; k < raw.length; k++) {
    const c = raw[k] as Record<string, unknown> | null;
    const p = `${path}[${k}]`;
    if (!c || typeof c !== 'object') return { code: 'INVALID_DATA', details: { api_name: 'notification_condition', json_path: path }, message: 'invalid data', status: 'error' };
    if (c.type === undefined) {
      if (c.field_selection !== undefined) {
        return {
          code: 'DEPENDENT_FIELD_MISSING',
          details: { api_name: 'field_selection', json_path: `${p}.field_selection`, dependee: { api_name: 'type', json_path: `${p}.type` } },
          message: 'DEPENDENT_FIELD_MISSING',
          status: 'error',
        };
      }
      return { code: 'MANDATORY_NOT_FOUND', details: { api_name: 'type', json_path: `${p}.type` }, message: 'required field not found', status: 'error' };
    }
    if (c.type !== 'field_selection')
      return { code: 'INVALID_DATA', details: { api_name: 'type', json_path: `${p}.type`, supported_values: ['field_selection'] }, message: 'invalid data', status: 'error' };
    const fs = c.field_selection as Record<string, unknown> | undefined;
    if (!fs || typeof fs !== 'object')
      return { code: 'INVALID_DATA', details: { api_name: 'field_selection', json_path: `${p}.field_selection`, expected_data_type: 'jsonobject' }, message: 'invalid data', status: 'error' };
    if (fs.group_operator === undefined)
      return { code: 'MANDATORY_NOT_FOUND', details: { api_name: 'group_operator', json_path: `${p}.field_selection.group_operator` }, message: 'required field not found', status: 'error' };
    if (fs.group_operator !== 'and' && fs.group_operator !== 'or') {
      return {
        code: 'INVALID_DATA',
        details: { api_name: 'group_operator', json_path: `${p}.field_selection.group_operator`, supported_values: ['or', 'and'] },
        message: 'invalid data',
        status: 'error',
      };
    }
  }
  return raw;
}

/** One parsed `watch[]` item: a subscription's settings, with its events per module. */
export type ChannelInput = Omit<WatchSubscription, 'zuid' | 'module' | 'ops'> & { events: Map<string, Set<WatchOp>> };

export const isEntry = (v: unknown): v is Entry => typeof v === 'object' && v !== null && 'code' in v && 'status' in v && (v as Entry).status === 'error';

/** Full validation of one `watch[]` object for POST and PUT (every mandatory key present). */
export function parseChannel(ctx: EmulatorContext, raw: unknown, i: number, now: number): ChannelInput | Entry {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { code: 'INVALID_DATA', details: { json_path: `$.watch[${i}]`, expected_data_type: 'jsonobject' }, message: 'invalid data', status: 'error' };
  const o = raw as Record<string, unknown>;
  if (o.channel_id === undefined || o.channel_id === null || o.channel_id === '') return required('channel_id', i);
  const channelId = channelIdOf(o.channel_id);
  if (!channelId) return invalid('channel_id', i, { expected_data_type: 'long' });
  const events = parseEvents(ctx, o.events, i);
  if (isEntry(events)) return events;
  const notifyUrl = parseNotifyUrl(o.notify_url, i);
  if (isEntry(notifyUrl)) return notifyUrl;
  const token = parseToken(o.token, i);
  if (isEntry(token)) return token;
  const expiresAt = parseExpiry(o.channel_expiry, i, now);
  if (isEntry(expiresAt)) return expiresAt;
  const related = parseBool(o.notify_on_related_action, 'notify_on_related_action', i, true);
  if (isEntry(related)) return related;
  const values = parseBool(o.return_affected_field_values, 'return_affected_field_values', i, false);
  if (isEntry(values)) return values;
  const condition = parseCondition(o.notification_condition, i);
  if (isEntry(condition)) return condition;
  return { channelId, events, notifyUrl, token, expiresAt, notifyOnRelatedAction: related, returnAffectedFieldValues: values, notificationCondition: condition };
}
