import { describe, expect, it } from 'vitest';
import type { WatchChannel } from '../../src/events/channels.js';
import { MAX_NOTIFICATION_IDS, notificationEventId, toRecordEvent } from '../../src/events/notification.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const channel: WatchChannel = {
  id: '1234567890123456',
  tenantId: 'acme',
  connectionName: 'default',
  modules: ['Leads'],
  operations: ['CREATE', 'UPDATE', 'DELETE'],
  token: 't',
  expiresAt: NOW + 1e9,
  createdAt: NOW,
  renewedAt: null,
};
const base = { server_time: NOW, module: 'Leads', operation: 'update', channel_id: channel.id, token: 't' };

describe('Zoho notifications into record events', () => {
  it('parses a 0.34 MB body of repeated ids and affected fields into at most 100 unique ids', () => {
    // The shape that made parsing quadratic: thousands of ids, each with an affected_fields entry.
    const ids = Array.from({ length: 9_000 }, (_, i) => String(4150868000000000000n + BigInt(i % 4_000)));
    const body = { ...base, ids, affected_fields: ids.map((id) => ({ [id]: ['Email', 'Email'] })) };
    expect(JSON.stringify(body).length).toBeGreaterThan(340_000);

    const parsed = toRecordEvent(JSON.parse(JSON.stringify(body)), channel, NOW);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.event.ids).toHaveLength(MAX_NOTIFICATION_IDS);
    expect(new Set(parsed.event.ids).size).toBe(MAX_NOTIFICATION_IDS);
    expect(parsed.event.ids).toEqual(ids.slice(0, 100));
    expect(parsed.droppedIds).toBe(4_000 - 100);
    // Affected fields only for kept ids, each field once.
    expect(Object.keys(parsed.event.affectedFields)).toHaveLength(100);
    expect(parsed.event.affectedFields[ids[0]!]).toEqual(['Email']);
  });

  it('derives the event id from (channel, server_time, operation, ids): same notification, same id', () => {
    const a = toRecordEvent({ ...base, ids: ['2', '1'] }, channel, NOW);
    const b = toRecordEvent({ ...base, ids: ['1', '2', '1'] }, channel, NOW + 1_000);
    const c = toRecordEvent({ ...base, ids: ['1', '2'], operation: 'delete' }, channel, NOW);
    const d = toRecordEvent({ ...base, ids: ['1', '2'], server_time: NOW + 1 }, channel, NOW);
    if (!a.ok || !b.ok || !c.ok || !d.ok) throw new Error('not parsed');
    expect(a.event.id).toBe(b.event.id);
    expect(a.event.id).toBe(notificationEventId(channel.id, NOW, 'UPDATE', ['1', '2']));
    expect(a.event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set([a.event.id, c.event.id, d.event.id]).size).toBe(3);
  });

  it('refuses a server_time more than 10 minutes from the clock, either way', () => {
    const at = (serverTime: number) => toRecordEvent({ ...base, ids: ['1'], server_time: serverTime }, channel, NOW);
    expect(at(NOW - 10 * 60_000).ok).toBe(true);
    expect(at(NOW - 10 * 60_000 - 1)).toEqual({ ok: false, reason: 'server_time is more than 10 minutes from our clock' });
    expect(at(NOW + 10 * 60_000 + 1).ok).toBe(false);
    expect(at(NOW - 24 * 3600_000).ok).toBe(false);
  });
});
