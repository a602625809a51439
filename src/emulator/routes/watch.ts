import { crmAuth, type EmulatorContext } from '../emulator.js';
import { zohoError } from '../errors.js';
import type { Router } from '../router.js';
import type { RequiredScope } from '../scopes.js';
import { formatExpiry, moduleResourceId, resourceUri, WATCH_OPS, WatchNotifier, type WatchOp, type WatchSubscription } from '../watch-notifier.js';
import {
  channelIdOf,
  type ChannelInput,
  type Entry,
  invalid,
  isEntry,
  notSubscribed,
  parseBool,
  parseChannel,
  parseCondition,
  parseEvents,
  parseExpiry,
  parseNotifyUrl,
  parseToken,
  required,
  watchItems,
  watchStatus,
} from './watch-validate.js';

export { WatchNotifier } from '../watch-notifier.js';
export type { WatchDelivery, WatchSubscription } from '../watch-notifier.js';

/** The emulator's notifier with its test hooks (`deliveries`, `idle()`, `reset()`). */
export function watchNotifier(ctx: EmulatorContext): WatchNotifier {
  if (!(ctx.notifier instanceof WatchNotifier)) throw new Error('the watch routes are not registered on this emulator');
  return ctx.notifier;
}

/*
 * Zoho CRM notification API ("actions/watch"), v8.
 * Sources:
 * - Overview:        https://www.zoho.com/crm/developer/docs/api/v8/notifications/overview.html
 * - Enable (POST):   https://www.zoho.com/crm/developer/docs/api/v8/notifications/enable.html
 * - Get (GET):       https://www.zoho.com/crm/developer/docs/api/v8/notifications/get.html
 * - Update (PUT):    https://www.zoho.com/crm/developer/docs/api/v8/notifications/update.html
 * - Update info / disable specific events (PATCH):
 *                    https://www.zoho.com/crm/developer/docs/api/v8/notifications/update-info.html,
 *                    https://www.zoho.com/crm/developer/docs/api/v8/notifications/specific-disable.html
 * - Disable (DELETE): https://www.zoho.com/crm/developer/docs/api/v8/notifications/disable.html
 * - github.com/zoho/crm-oas v8.0/notifications/notifications.yaml (schemas, examples, scopes)
 * The v8 pages were not stored for us to read; what follows was checked against the OAS file and
 * stored copies of the v7 pages (…/api/v7/notifications/{enable,get-details,update-info,
 * specific-disable,disable}.html), which the OAS file agrees with.
 *
 * Verified:
 * - Body `{"watch":[{channel_id, events, notify_url, token?, channel_expiry?,
 *   return_affected_field_values?, notify_on_related_action?, notification_condition?}]}`; at most
 *   50 objects (OAS maxItems).
 * - events `["{module_api_name}.{create|edit|delete|all}", …]` (enable.html).
 * - Mandatory: channel_id, events, notify_url → 400 MANDATORY_NOT_FOUND
 *   `{"api_name":"channel_id","json_path":"$.watch[1].channel_id"}` "required field not found"
 *   (OAS MultiStatus example). Unsupported module in events → INVALID_DATA `{"api_name":"events"}`
 *   "invalid data" (OAS ModuleNotSupported example). Token over 50 characters → INVALID_DATA
 *   (enable.html "The length of the token is greater than 50 characters").
 * - channel_expiry: at most one week ahead; "If it is not specified or set for more than a week,
 *   the default expiry time is for one hour" (enable.html, update-info.html; Kaizen #170 FAQ).
 * - notify_on_related_action defaults to true (enable.html; Kaizen #170).
 * - Success entry: `{"code":"SUCCESS","details":{"events":[{channel_expiry, resource_uri,
 *   resource_id, resource_name, channel_id}]},"message":"Successfully subscribed for actions-watch
 *   of the given module","status":"success"}`, one `details.events` item per module; HTTP 201 on
 *   POST, 200 on PUT/PATCH/DELETE, 207 mixed (OAS).
 * - GET lists one entry per channel and module, with events expanded (`Deals.all` is listed as
 *   Deals.edit/create/delete), `fields`, `notification_condition`, and `info{per_page,count,page,
 *   more_records}`; query params `channel_id`, `module`, `page`, `per_page` (get-details.html, OAS).
 * - PUT replaces all details of a channel ("rest of the details would be removed"); PATCH keeps the
 *   details it is not given ("rest of the details will not be removed") and answers "Successfully
 *   updated the subscribe details"; PATCH with `"_delete_events": true` removes the listed events
 *   and answers "Successfully removed the subscribe details" with details.events items without
 *   channel_expiry (specific-disable.html).
 * - DELETE `?channel_ids=1,2` answers one entry per channel and module: `{"code":"SUCCESS",
 *   "details":{resource_uri, resource_id, channel_id},"message":"Successfully un-subscribed from
 *   actions-watch","status":"success"}` (disable.html, OAS).
 * - Scopes: GET READ; POST CREATE; PUT/PATCH UPDATE; DELETE DELETE; ALL covers every one (OAS).
 *
 * UNVERIFIED (kept in one place each, easy to change):
 * - Error codes and details for: a non-numeric channel_id, a malformed event, a bad notify_url,
 *   a malformed or past channel_expiry, non-boolean flags, a missing/empty `watch` array, more than
 *   50 objects, an unknown channel on PUT/PATCH/DELETE (NOT_SUBSCRIBED is in the OAS code list;
 *   its message and status come from a third-party page), a missing `channel_ids`.
 * - HTTP 400 when every entry failed (OAS lists 400 with a `watch` array of errors); a third-party
 *   page shows 202 for a DELETE of unknown channels.
 * - 204 with no body for GET when there are no channels (Zoho's usual "no content").
 * - Whether POST on an existing channel and module replaces or merges its events (we replace).
 * - Channels are kept per user (the token's ZUID); whether Zoho scopes channel ids per user or org.
 * - channel_expiry given in the past (we refuse it) and expired channels (we drop them from GET).
 * - notify_url scheme: Zoho's docs do not require https; we accept http and https (the tests
 *   deliver to a loopback http server).
 * - Expiry is answered in UTC (`+00:00`); Zoho answers in the user's time zone.
 * - The body of PATCH: the OAS schema shows a bare object, the docs a `watch` array; we take both.
 */

const scope = (op: RequiredScope['op']) => (): RequiredScope => ({ service: 'ZohoCRM', group: 'notifications', op });

function eventDetail(ctx: EmulatorContext, s: WatchSubscription, withExpiry: boolean): Record<string, unknown> {
  const mod = ctx.metadata.module(s.module)!;
  return {
    ...(withExpiry ? { channel_expiry: formatExpiry(s.expiresAt) } : {}),
    resource_uri: resourceUri(ctx, s.module),
    resource_id: moduleResourceId(ctx, mod),
    resource_name: s.module,
    channel_id: s.channelId,
  };
}

function subscribe(notifier: WatchNotifier, zuid: string, input: ChannelInput): WatchSubscription[] {
  const out: WatchSubscription[] = [];
  for (const [module, ops] of input.events) {
    const sub: WatchSubscription = {
      zuid,
      channelId: input.channelId,
      module,
      ops: new Set(ops),
      notifyUrl: input.notifyUrl,
      token: input.token,
      expiresAt: input.expiresAt,
      notifyOnRelatedAction: input.notifyOnRelatedAction,
      returnAffectedFieldValues: input.returnAffectedFieldValues,
      notificationCondition: input.notificationCondition,
    };
    notifier.put(sub);
    out.push(sub);
  }
  return out;
}

export function registerWatchRoutes(router: Router, ctx: EmulatorContext): void {
  const notifier = new WatchNotifier(ctx);
  ctx.notifier = notifier;
  const path = '/crm/v8/actions/watch';

  // GET /crm/v8/actions/watch — https://www.zoho.com/crm/developer/docs/api/v8/notifications/get.html
  router.add(
    'GET',
    path,
    crmAuth(ctx, scope('READ'), (req, token) => {
      const channelId = req.query.get('channel_id');
      const moduleName = req.query.get('module');
      if (moduleName !== null && !ctx.metadata.module(moduleName)) {
        // UNVERIFIED: Zoho's answer to an unknown module here.
        return zohoError(400, 'INVALID_MODULE', 'the module name given seems to be invalid', { param_name: 'module' });
      }
      const page = Number(req.query.get('page') ?? '1');
      const perPage = Number(req.query.get('per_page') ?? '200');
      if (!Number.isInteger(page) || page < 1) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'page' }); // UNVERIFIED
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 200) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'per_page' }); // UNVERIFIED
      const subs = notifier.list(token.zuid).filter((s) => (channelId === null || s.channelId === channelId) && (moduleName === null || s.module === moduleName));
      const slice = subs.slice((page - 1) * perPage, page * perPage);
      if (slice.length === 0) return { status: 204 };
      const watch = slice.map((s) => ({
        notify_on_related_action: s.notifyOnRelatedAction,
        channel_expiry: formatExpiry(s.expiresAt),
        return_affected_field_values: s.returnAffectedFieldValues,
        resource_uri: resourceUri(ctx, s.module),
        resource_id: moduleResourceId(ctx, ctx.metadata.module(s.module)!),
        notify_url: s.notifyUrl,
        resource_name: s.module,
        fields: null,
        notification_condition: s.notificationCondition,
        channel_id: s.channelId,
        events: WATCH_OPS.filter((o) => s.ops.has(o)).map((o) => `${s.module}.${o}`),
        token: s.token,
      }));
      return { status: 200, body: { watch, info: { per_page: perPage, count: watch.length, page, more_records: subs.length > page * perPage } } };
    }),
  );

  // POST /crm/v8/actions/watch — https://www.zoho.com/crm/developer/docs/api/v8/notifications/enable.html
  router.add(
    'POST',
    path,
    crmAuth(ctx, scope('CREATE'), (req, token) => {
      const items = watchItems(req);
      if (!Array.isArray(items)) return items;
      const now = ctx.now();
      const entries: Entry[] = items.map((raw, i) => {
        const input = parseChannel(ctx, raw, i, now);
        if (isEntry(input)) return input;
        // UNVERIFIED: enabling an existing channel and module again replaces its subscription
        // (Kaizen #170: renew a channel "using the Enable Notification API").
        return subscribed(ctx, subscribe(notifier, token.zuid, input));
      });
      return { status: watchStatus(entries, 201), body: { watch: entries } };
    }),
  );

  // PUT /crm/v8/actions/watch — https://www.zoho.com/crm/developer/docs/api/v8/notifications/update.html
  // Replaces every detail of the channel: modules not named in `events` stop being watched.
  router.add(
    'PUT',
    path,
    crmAuth(ctx, scope('UPDATE'), (req, token) => {
      const items = watchItems(req);
      if (!Array.isArray(items)) return items;
      const now = ctx.now();
      const entries: Entry[] = items.map((raw, i) => {
        const input = parseChannel(ctx, raw, i, now);
        if (isEntry(input)) return input;
        const existing = notifier.ofChannel(token.zuid, input.channelId);
        if (existing.length === 0) return notSubscribed(input.channelId); // UNVERIFIED
        for (const s of existing) notifier.remove(s);
        return subscribed(ctx, subscribe(notifier, token.zuid, input));
      });
      return { status: watchStatus(entries, 200), body: { watch: entries } };
    }),
  );

  // PATCH /crm/v8/actions/watch — update-info.html (keep what is not given) and, with
  // `"_delete_events": true`, specific-disable.html (remove the listed events):
  // https://www.zoho.com/crm/developer/docs/api/v8/notifications/update-info.html
  // https://www.zoho.com/crm/developer/docs/api/v8/notifications/specific-disable.html
  router.add(
    'PATCH',
    path,
    crmAuth(ctx, scope('UPDATE'), (req, token) => {
      const items = watchItems(req, true);
      if (!Array.isArray(items)) return items;
      const now = ctx.now();
      const entries: Entry[] = items.map((raw, i) => patchOne(notifier, ctx, token.zuid, raw, i, now));
      return { status: watchStatus(entries, 200), body: { watch: entries } };
    }),
  );

  // DELETE /crm/v8/actions/watch?channel_ids=1,2 — https://www.zoho.com/crm/developer/docs/api/v8/notifications/disable.html
  router.add(
    'DELETE',
    path,
    crmAuth(ctx, scope('DELETE'), (req, token) => {
      const raw = req.query.get('channel_ids');
      // UNVERIFIED: REQUIRED_PARAM_MISSING {param:'channel_ids'} (a third-party page; Zoho's usual code).
      if (raw === null || raw.trim() === '') return zohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param: 'channel_ids' });
      const ids = [
        ...new Set(
          raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ];
      const entries: Entry[] = [];
      for (const id of ids) {
        const subs = notifier.ofChannel(token.zuid, id);
        if (subs.length === 0) {
          entries.push(notSubscribed(id));
          continue;
        }
        for (const s of subs) {
          notifier.remove(s);
          entries.push({
            code: 'SUCCESS',
            details: { resource_uri: resourceUri(ctx, s.module), resource_id: moduleResourceId(ctx, ctx.metadata.module(s.module)!), channel_id: s.channelId },
            message: 'Successfully un-subscribed from actions-watch',
            status: 'success',
          });
        }
      }
      return { status: watchStatus(entries, 200), body: { watch: entries } };
    }),
  );
}

/** One PATCH object: update the given details, or remove the listed events (`_delete_events`). */
function patchOne(notifier: WatchNotifier, ctx: EmulatorContext, zuid: string, raw: unknown, i: number, now: number): Entry {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return { code: 'INVALID_DATA', details: { json_path: `$.watch[${i}]`, expected_data_type: 'jsonobject' }, message: 'invalid data', status: 'error' };
  const o = raw as Record<string, unknown>;
  if (o.channel_id === undefined || o.channel_id === null || o.channel_id === '') return required('channel_id', i);
  const channelId = channelIdOf(o.channel_id);
  if (!channelId) return invalid('channel_id', i, { expected_data_type: 'long' });
  const del = parseBool(o._delete_events, '_delete_events', i, false);
  if (isEntry(del)) return del;
  const events = parseEvents(ctx, o.events, i);
  if (isEntry(events)) return events;
  const existing = notifier.ofChannel(zuid, channelId);
  if (existing.length === 0) return notSubscribed(channelId); // UNVERIFIED

  if (del) {
    // specific-disable.html: `_delete_events`, `channel_id` and `events` are mandatory.
    const touched: WatchSubscription[] = [];
    for (const [module, ops] of events) {
      const sub = existing.find((s) => s.module === module);
      if (!sub) continue; // UNVERIFIED: events the channel does not have are ignored
      for (const op of ops) sub.ops.delete(op);
      if (sub.ops.size === 0) notifier.remove(sub);
      touched.push(sub);
    }
    if (touched.length === 0) return notSubscribed(channelId); // UNVERIFIED
    return {
      code: 'SUCCESS',
      details: { events: touched.map((s) => eventDetail(ctx, s, false)) },
      message: 'Successfully removed the subscribe details',
      status: 'success',
    };
  }

  // update-info.html lists notify_url and events as mandatory here too.
  const notifyUrl = parseNotifyUrl(o.notify_url, i);
  if (isEntry(notifyUrl)) return notifyUrl;
  const token = o.token === undefined ? undefined : parseToken(o.token, i);
  if (isEntry(token)) return token;
  // UNVERIFIED: without channel_expiry the current expiry is kept ("rest of the details will not
  // be removed"); with one, the same one-hour default applies past a week.
  const expiresAt = o.channel_expiry === undefined ? undefined : parseExpiry(o.channel_expiry, i, now);
  if (isEntry(expiresAt)) return expiresAt;
  const related = o.notify_on_related_action === undefined ? undefined : parseBool(o.notify_on_related_action, 'notify_on_related_action', i, true);
  if (isEntry(related)) return related;
  const values = o.return_affected_field_values === undefined ? undefined : parseBool(o.return_affected_field_values, 'return_affected_field_values', i, false);
  if (isEntry(values)) return values;
  const condition = o.notification_condition === undefined ? undefined : parseCondition(o.notification_condition, i);
  if (isEntry(condition)) return condition;

  const template = existing[0]!;
  // The channel-wide details apply to every module of the channel.
  for (const s of existing) {
    s.notifyUrl = notifyUrl;
    if (token !== undefined) s.token = token;
    if (expiresAt !== undefined) s.expiresAt = expiresAt;
    if (related !== undefined) s.notifyOnRelatedAction = related;
    if (values !== undefined) s.returnAffectedFieldValues = values;
    if (condition !== undefined) s.notificationCondition = condition;
  }
  // UNVERIFIED: the events given replace the events of the modules they name; other modules of
  // the channel keep theirs. A module new to the channel is added with the channel's details.
  const touched: WatchSubscription[] = [];
  for (const [module, ops] of events) {
    let sub = existing.find((s) => s.module === module);
    if (!sub) {
      sub = { ...template, module, ops: new Set<WatchOp>() };
      notifier.put(sub);
    }
    sub.ops = new Set(ops);
    touched.push(sub);
  }
  return {
    code: 'SUCCESS',
    details: { events: touched.map((s) => eventDetail(ctx, s, true)) },
    message: 'Successfully updated the subscribe details',
    status: 'success',
  };
}

/** The success entry of an enable (POST) or replace (PUT), as Zoho's samples show it. */
function subscribed(ctx: EmulatorContext, subs: WatchSubscription[]): Entry {
  return {
    code: 'SUCCESS',
    details: { events: subs.map((s) => eventDetail(ctx, s, true)) },
    message: 'Successfully subscribed for actions-watch of the given module',
    status: 'success',
  };
}
