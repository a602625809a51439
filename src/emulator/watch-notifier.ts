import { Agent, request } from 'undici';
import type { EmulatorContext } from './emulator.js';
import type { ModuleDef } from './metadata.js';
import { toZohoDateTime } from './seed.js';

/**
 * The emulator's notification channels (Zoho's "actions/watch") and the deliveries they cause.
 *
 * Sources (Zoho's own pages; a copy of the v7 pages was read where the v8 page was not stored):
 * - https://www.zoho.com/crm/developer/docs/api/v8/notifications/overview.html
 * - https://www.zoho.com/crm/developer/docs/api/v8/notifications/enable.html (v7 copy read:
 *   …/api/v7/notifications/enable.html — "Sample response received at the notification URL")
 * - https://www.zoho.com/crm/developer/docs/api/v8/notifications/update-info.html (v7 copy read:
 *   the update callback sample with `affected_fields` per id and `affected_values`)
 * - github.com/zoho/crm-oas v8.0/notifications/notifications.yaml
 *
 * What the callback carries (Zoho's samples):
 *   insert: {"server_time":1718117126473,"query_params":{},"module":"Leads",
 *            "resource_uri":"https://www.zohoapis.com/crm/v2/Leads","ids":["…"],"affected_fields":[],
 *            "operation":"insert","channel_id":"1000000068001","token":"…"}
 *   update: {"server_time":…,"affected_values":[{"record_id":"…","values":{"Mobile":"123456789"}}],
 *            "query_params":{},"module":"Leads","resource_uri":"…","ids":["…"],
 *            "affected_fields":[{"<id>":["Mobile"]}],"operation":"update","channel_id":"…","token":"…"}
 *   `affected_values` appears only with `return_affected_field_values: true`.
 * UNVERIFIED:
 * - `affected_fields` for a delete (we send `[]`, like the insert sample).
 * - `affected_values` for inserts and deletes (we send it only for updates).
 * - `token` when the channel has none (we send `null`).
 * - `resource_uri` version segment: Zoho's samples say `/crm/v2/` even on v7/v8 pages; we send
 *   `{api_domain}/crm/v8/{module}`.
 * - Whether Zoho strips the query string from notify_url before POSTing (we POST to the URL as
 *   given and echo its parameters in `query_params` as an object of strings).
 * - Zoho's delivery timeout and retries (we wait `timeoutMs`, default 5 s, and never retry).
 * - One POST per channel per change: Zoho's samples carry one module and one operation per
 *   callback; whether Zoho batches several writes into one callback is not documented.
 */

/** Receives record changes from write handlers; the watch routes POST notifications from it. */
export interface Notifier {
  notify(module: string, operation: 'insert' | 'update' | 'delete', ids: string[], affectedFields?: string[]): void;
  /** Releases delivery connections when the emulator closes. */
  close?(): Promise<void>;
}

/** `create|edit|delete` as Zoho's event names spell them; `all` is expanded to the three. */
export type WatchOp = 'create' | 'edit' | 'delete';

/**
 * The order Zoho lists expanded events in `GET /actions/watch` (its sample shows a channel
 * subscribed to `Deals.all` as `["Deals.edit","Deals.create","Deals.delete"]`). UNVERIFIED beyond
 * that sample.
 */
export const WATCH_OPS: readonly WatchOp[] = ['edit', 'create', 'delete'];

const OP_OF_OPERATION: Record<'insert' | 'update' | 'delete', WatchOp> = { insert: 'create', update: 'edit', delete: 'delete' };

/** One subscription: a channel's events on one module (Zoho lists one entry per module). */
export interface WatchSubscription {
  /** ZUID of the user whose token enabled it (Zoho lists "the notifications enabled by the user"). */
  zuid: string;
  channelId: string;
  module: string;
  ops: Set<WatchOp>;
  notifyUrl: string;
  token: string | null;
  /** Expiry, ms since epoch. */
  expiresAt: number;
  notifyOnRelatedAction: boolean;
  returnAffectedFieldValues: boolean;
  /** As given in the request (only `field_selection` conditions exist); null when none. */
  notificationCondition: unknown[] | null;
}

export interface WatchDelivery {
  channelId: string;
  module: string;
  operation: 'insert' | 'update' | 'delete';
  url: string;
  /** The JSON body as sent. */
  body: string;
  /** Parsed `body`, for assertions. */
  payload: Record<string, unknown>;
  /** HTTP status the notify URL answered with; null while pending or when the POST failed. */
  status: number | null;
  /** What the notify URL answered (text, at most 2,000 characters). */
  response: string;
  /** Why the POST failed (connection refused, timeout, …). */
  error?: string;
  /** ctx.now() when the change happened. */
  at: number;
  done: boolean;
}

/** Module ids as `GET /crm/v8/settings/modules` gives them (routes/org.ts builds them the same way). */
export function moduleResourceId(ctx: EmulatorContext, module: ModuleDef): string {
  const index = ctx.modules.indexOf(module);
  return `${ctx.data.org.id}00000000${String(2648 + index * 2).padStart(4, '0')}`;
}

export function resourceUri(ctx: EmulatorContext, module: string): string {
  return `${ctx.url}/crm/v8/${module}`;
}

export function formatExpiry(ms: number): string {
  // Zoho shows the expiry with an offset and no milliseconds ("2023-08-02T16:59:50-11:00"), in the
  // user's time zone. UNVERIFIED which zone: we always answer in UTC (+00:00).
  return toZohoDateTime(ms);
}

function subKey(zuid: string, channelId: string, module: string): string {
  return `${zuid}\u0000${channelId}\u0000${module}`;
}

export class WatchNotifier implements Notifier {
  /** Every delivery attempted, in the order the changes happened. */
  readonly deliveries: WatchDelivery[] = [];
  /** Per-request timeout for a delivery (ms). */
  timeoutMs = 5_000;
  private readonly subs = new Map<string, WatchSubscription>();
  private readonly pending = new Set<Promise<void>>();
  private readonly agent = new Agent({ keepAliveTimeout: 1_000, connect: { timeout: 2_000 } });

  constructor(private readonly ctx: EmulatorContext) {}

  // ---- the channel store -------------------------------------------------------------------

  /** Live subscriptions (expired ones are dropped as they are found). */
  list(zuid?: string): WatchSubscription[] {
    const now = this.ctx.now();
    const out: WatchSubscription[] = [];
    for (const [key, s] of this.subs) {
      if (s.expiresAt <= now) {
        this.subs.delete(key);
        continue;
      }
      if (zuid === undefined || s.zuid === zuid) out.push(s);
    }
    return out;
  }

  ofChannel(zuid: string, channelId: string): WatchSubscription[] {
    return this.list(zuid).filter((s) => s.channelId === channelId);
  }

  get(zuid: string, channelId: string, module: string): WatchSubscription | undefined {
    return this.ofChannel(zuid, channelId).find((s) => s.module === module);
  }

  put(sub: WatchSubscription): void {
    this.subs.set(subKey(sub.zuid, sub.channelId, sub.module), sub);
  }

  remove(sub: WatchSubscription): void {
    this.subs.delete(subKey(sub.zuid, sub.channelId, sub.module));
  }

  /** Test hook: forget every channel and delivery. */
  reset(): void {
    this.subs.clear();
    this.deliveries.length = 0;
  }

  // ---- notifications -----------------------------------------------------------------------

  notify(module: string, operation: 'insert' | 'update' | 'delete', ids: string[], affectedFields: string[] = []): void {
    if (ids.length === 0) return;
    const op = OP_OF_OPERATION[operation];
    const at = this.ctx.now();
    for (const sub of this.list()) {
      if (sub.module !== module || !sub.ops.has(op)) continue;
      if (operation === 'update' && !conditionMatches(sub.notificationCondition, module, affectedFields)) continue;
      const payload = this.payload(sub, operation, ids, this.visibleTo(sub, module, affectedFields), at);
      const body = JSON.stringify(payload);
      const delivery: WatchDelivery = { channelId: sub.channelId, module, operation, url: sub.notifyUrl, body, payload, status: null, response: '', at, done: false };
      this.deliveries.push(delivery);
      // Delivered after the write's response is on its way: never block or fail the write.
      const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.deliver(delivery)).finally(() => this.pending.delete(p));
      this.pending.add(p);
    }
  }

  /** Resolves once every delivery scheduled so far (and any scheduled meanwhile) has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** Closes the delivery connection pool (after `idle()`). */
  async close(): Promise<void> {
    await this.idle();
    // Idempotent: tests may close the notifier before the emulator closes it again.
    if (this.agent.closed || this.agent.destroyed) return;
    await this.agent.close();
  }

  /**
   * The changed fields the channel owner's profile may see: a hidden field's name and value stay
   * out of their notifications, as out of their record reads (UNVERIFIED, see org-metadata.ts).
   */
  private visibleTo(sub: WatchSubscription, module: string, fields: string[]): string[] {
    const def = this.ctx.metadata.module(module);
    const user = this.ctx.data.users.find((u) => u.zuid === sub.zuid);
    if (!def || !user) return fields;
    const seen = new Set(this.ctx.metadata.view(def, user.profile.name).fields.map((f) => f.api_name));
    return fields.filter((f) => seen.has(f));
  }

  private payload(sub: WatchSubscription, operation: 'insert' | 'update' | 'delete', ids: string[], fields: string[], at: number): Record<string, unknown> {
    const out: Record<string, unknown> = { server_time: at };
    if (operation === 'update' && sub.returnAffectedFieldValues) {
      const records = this.ctx.records(sub.module);
      out.affected_values = ids.map((id) => {
        const rec = records.get(id);
        const values: Record<string, unknown> = {};
        for (const f of fields) values[f] = rec ? (rec[f] ?? null) : null;
        return { record_id: id, values };
      });
    }
    out.query_params = queryParams(sub.notifyUrl);
    out.module = sub.module;
    out.resource_uri = resourceUri(this.ctx, sub.module);
    out.ids = [...ids];
    out.affected_fields = operation === 'update' ? ids.map((id) => ({ [id]: [...fields] })) : [];
    out.operation = operation;
    out.channel_id = sub.channelId;
    out.token = sub.token;
    return out;
  }

  private async deliver(d: WatchDelivery): Promise<void> {
    try {
      const res = await request(d.url, {
        method: 'POST',
        body: d.body,
        headers: { 'content-type': 'application/json' },
        dispatcher: this.agent,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      d.status = res.statusCode;
      d.response = (await res.body.text()).slice(0, 2_000);
    } catch (err) {
      d.status = null;
      d.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    } finally {
      d.done = true;
    }
  }
}

function queryParams(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    for (const [k, v] of new URL(url).searchParams) out[k] = v;
  } catch {
    // validated on enable; nothing to echo otherwise
  }
  return out;
}

/**
 * `notification_condition` (v6+): notify an edit only when the named fields changed. Zoho:
 * "You will receive a notification whenever any action happens on these fields based on their
 * group operator" (enable.html). UNVERIFIED: that `and` means every field of the group changed in
 * the same write and `or` any of them, and that conditions only filter edits (not creates/deletes).
 */
export function conditionMatches(conditions: unknown[] | null, module: string, changed: string[]): boolean {
  if (!conditions || conditions.length === 0) return true;
  const relevant = conditions.filter((c) => {
    const m = (c as { module?: { api_name?: unknown } }).module;
    return !m || m.api_name === undefined || m.api_name === module;
  });
  if (relevant.length === 0) return true;
  const set = new Set(changed);
  return relevant.some((c) => evalGroup((c as { field_selection?: unknown }).field_selection, set));
}

function evalGroup(node: unknown, changed: Set<string>): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as { field?: { api_name?: unknown }; api_name?: unknown; group?: unknown; group_operator?: unknown };
  if (n.field && typeof n.field.api_name === 'string') return changed.has(n.field.api_name);
  // The PATCH example in crm-oas lists fields as `{ "api_name": "Company" }` directly in `group`.
  if (typeof n.api_name === 'string' && !Array.isArray(n.group)) return changed.has(n.api_name);
  if (!Array.isArray(n.group)) return false;
  const results = n.group.map((g) => evalGroup(g, changed));
  return n.group_operator === 'and' ? results.every(Boolean) : results.some(Boolean);
}
