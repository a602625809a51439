/**
 * Zoho's notification body (what Zoho POSTs to a channel's notify_url) into a RecordEvent.
 * Shape from Zoho's samples (enable.html and update-info.html, see src/emulator/watch-notifier.ts):
 *   {"server_time":1718117126473,"query_params":{},"module":"Leads","resource_uri":"…",
 *    "ids":["…"],"affected_fields":[{"<id>":["Mobile"]}],"operation":"update",
 *    "channel_id":"1000000068001","token":"…"}
 * `affected_fields` is `[]` for inserts (and, UNVERIFIED, deletes).
 *
 * The body is authenticated (the channel token) before it gets here, but a leaked token or a
 * captured notification must not let anyone stall the event loop or replay changes, so:
 * - parsing is linear in the body: ids are looked up in a Set, never searched in a list;
 * - ids are de-duplicated and at most MAX_NOTIFICATION_IDS are kept;
 * - the event id is derived from (channel, server_time, operation, ids): a replayed notification
 *   carries the id it had the first time (replay-guard.ts drops it), and receivers can
 *   de-duplicate on it;
 * - a server_time more than MAX_NOTIFICATION_AGE_MS from our clock is refused, so a notification
 *   older than the replay guard's memory can never come back.
 */
import { createHash } from 'node:crypto';
import type { WatchChannel } from './channels.js';
import { isZohoId } from '../zoho/identifiers.js';
import type { RecordEvent, RecordOperation } from './types.js';

const OPERATION: Record<string, RecordOperation> = { insert: 'CREATE', update: 'UPDATE', delete: 'DELETE' };

/**
 * Most record ids one notification carries. Zoho's record APIs take at most 100 records per call
 * and a notification reports one action (UNVERIFIED that Zoho never merges several); ids past
 * this are dropped.
 */
export const MAX_NOTIFICATION_IDS = 100;

/** Field names kept per record id (Zoho modules have at most a few hundred fields). */
const MAX_FIELDS_PER_ID = 500;

/** How far a notification's server_time may be from our clock, either way (ms). */
export const MAX_NOTIFICATION_AGE_MS = 10 * 60_000;

export type ParsedNotification = { ok: true; event: RecordEvent; droppedIds: number } | { ok: false; reason: string };

/**
 * The event id of a notification: SHA-256 over (channel, server_time, operation, sorted ids), laid
 * out as a UUID (version 8, "custom") so receivers that expect a UUID keep working.
 */
export function notificationEventId(channelId: string, serverTime: number, operation: RecordOperation, ids: readonly string[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([channelId, serverTime, operation, [...ids].sort()]))
    .digest();
  digest[6] = (digest[6]! & 0x0f) | 0x80; // version 8
  digest[8] = (digest[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Checks an authenticated notification against its channel and our clock (`now`, epoch ms) and
 * builds the event. `reason` names the first problem, for the log; it never quotes the body.
 */
export function toRecordEvent(body: Record<string, unknown>, channel: WatchChannel, now: number): ParsedNotification {
  const fail = (reason: string): ParsedNotification => ({ ok: false, reason });
  if (String(body.channel_id) !== channel.id) return fail('channel_id does not match the URL');
  const operation = typeof body.operation === 'string' ? OPERATION[body.operation] : undefined;
  if (!operation) return fail('operation is not insert, update or delete');
  if (typeof body.module !== 'string' || !channel.modules.includes(body.module)) return fail('module is not watched by the channel');
  const rawIds = body.ids;
  if (!Array.isArray(rawIds) || rawIds.length === 0) return fail('ids is not a list of record ids');
  const unique = new Set<string>();
  for (const id of rawIds) {
    if (!isZohoId(id)) return fail('ids is not a list of record ids');
    unique.add(id);
  }
  const ids = [...unique].slice(0, MAX_NOTIFICATION_IDS);
  const serverTime = typeof body.server_time === 'number' ? body.server_time : typeof body.server_time === 'string' ? Number(body.server_time) : Number.NaN;
  if (!Number.isSafeInteger(serverTime) || serverTime <= 0) return fail('server_time is not epoch milliseconds');
  if (Math.abs(now - serverTime) > MAX_NOTIFICATION_AGE_MS) return fail('server_time is more than 10 minutes from our clock');
  const affected = affectedFields(body.affected_fields, new Set(ids));
  if (!affected) return fail('affected_fields is malformed');
  return {
    ok: true,
    droppedIds: unique.size - ids.length,
    event: {
      id: notificationEventId(channel.id, serverTime, operation, ids),
      tenantId: channel.tenantId,
      connectionName: channel.connectionName,
      module: body.module,
      operation,
      ids,
      affectedFields: affected,
      occurredAt: serverTime,
      channelId: channel.id,
    },
  };
}

/**
 * `[{"<id>":["Field",…]},…]` (absent or `[]`: none) into one map per id, for the kept ids only
 * (entries for other ids, or dropped ones, are skipped). One pass over the input.
 */
function affectedFields(raw: unknown, ids: ReadonlySet<string>): Record<string, string[]> | undefined {
  const out = new Map<string, Set<string>>();
  if (raw === undefined || raw === null) return {};
  if (!Array.isArray(raw)) return undefined;
  for (const item of raw) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
    for (const [id, fields] of Object.entries(item as Record<string, unknown>)) {
      if (!Array.isArray(fields) || !isZohoId(id)) return undefined;
      if (!ids.has(id)) continue;
      let set = out.get(id);
      if (!set) out.set(id, (set = new Set()));
      for (const f of fields) {
        if (typeof f !== 'string') return undefined;
        if (set.size < MAX_FIELDS_PER_ID) set.add(f);
      }
    }
  }
  return Object.fromEntries([...out].map(([id, set]) => [id, [...set]]));
}
