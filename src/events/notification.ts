/**
 * Zoho's notification body (what Zoho POSTs to a channel's notify_url) into a RecordEvent.
 * Shape from Zoho's samples (enable.html and update-info.html, see src/sandbox/watch-notifier.ts):
 *   {"server_time":1718117126473,"query_params":{},"module":"Leads","resource_uri":"…",
 *    "ids":["…"],"affected_fields":[{"<id>":["Mobile"]}],"operation":"update",
 *    "channel_id":"1000000068001","token":"…"}
 * `affected_fields` is `[]` for inserts (and, UNVERIFIED, deletes).
 */
import { randomUUID } from 'node:crypto';
import type { WatchChannel } from './channels.js';
import type { RecordEvent, RecordOperation } from './types.js';

const OPERATION: Record<string, RecordOperation> = { insert: 'CREATE', update: 'UPDATE', delete: 'DELETE' };

/** Zoho record ids: digits (up to 19). */
const RECORD_ID = /^\d{1,19}$/;

export type ParsedNotification = { ok: true; event: RecordEvent } | { ok: false; reason: string };

/**
 * Checks an authenticated notification against its channel and builds the event. `reason` names
 * the first problem, for the log; it never quotes the body.
 */
export function toRecordEvent(body: Record<string, unknown>, channel: WatchChannel): ParsedNotification {
  const fail = (reason: string): ParsedNotification => ({ ok: false, reason });
  if (String(body.channel_id) !== channel.id) return fail('channel_id does not match the URL');
  const operation = typeof body.operation === 'string' ? OPERATION[body.operation] : undefined;
  if (!operation) return fail('operation is not insert, update or delete');
  if (typeof body.module !== 'string' || !channel.modules.includes(body.module)) return fail('module is not watched by the channel');
  const ids = body.ids;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && RECORD_ID.test(id))) return fail('ids is not a list of record ids');
  const serverTime = typeof body.server_time === 'number' ? body.server_time : typeof body.server_time === 'string' ? Number(body.server_time) : Number.NaN;
  if (!Number.isFinite(serverTime) || serverTime <= 0) return fail('server_time is not epoch milliseconds');
  const affected = affectedFields(body.affected_fields, ids as string[]);
  if (!affected) return fail('affected_fields is malformed');
  return {
    ok: true,
    event: {
      id: randomUUID(),
      tenantId: channel.tenantId,
      connectionName: channel.connectionName,
      module: body.module,
      operation,
      ids: [...(ids as string[])],
      affectedFields: affected,
      occurredAt: serverTime,
      channelId: channel.id,
    },
  };
}

/** `[{"<id>":["Field",…]},…]` (absent or `[]`: none) into one map per id; only ids of this notification. */
function affectedFields(raw: unknown, ids: readonly string[]): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  if (raw === undefined || raw === null) return out;
  if (!Array.isArray(raw)) return undefined;
  for (const item of raw) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return undefined;
    for (const [id, fields] of Object.entries(item as Record<string, unknown>)) {
      if (!ids.includes(id) || !Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) return undefined;
      out[id] = [...new Set([...(out[id] ?? []), ...(fields as string[])])];
    }
  }
  return out;
}
