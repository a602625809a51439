/**
 * Real-time record events: the `recordEvents` subscription (Server-Sent Events, Yoga's default
 * transport) and the tenant's forwarding webhook (setEventWebhook, removeEventWebhook,
 * eventWebhook, eventDeliveries).
 */
import { filter, pipe } from 'graphql-yoga';
import { hasScope, missingScopeError, requireScope } from '../../auth/scopes.js';
import { GatewayError } from '../../errors.js';
import { onEnd, relay } from '../../events/relay.js';
import type { RecordEvent, RecordOperation } from '../../events/types.js';
import { MAX_DELIVERIES, type EventDelivery } from '../../events/webhook-deliveries.js';
import { RecordLoaders } from '../../records/loader.js';
import { recordNeeds } from '../../records/selection.js';
import { assertApiName } from '../../records/validate.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { RecordOperationEnum } from './record-operation.js';
import { RecordRef, wantedFields } from './records.js';

/**
 * One event as a subscriber sees it. The context of a subscription lives as long as the SSE
 * request, so its DataLoaders would serve every later event from the first event's cache: each
 * event gets loaders of its own, and `records` reads the records as they are now.
 */
interface RecordEventView {
  event: RecordEvent;
  loaders: RecordLoaders;
}

const RecordEventRef = builder.objectRef<RecordEventView>('RecordEvent').implement({
  description: 'A change to CRM records of one module, from Zoho’s notifications.',
  fields: (t) => ({
    id: t.id({
      description:
        'Derived from Zoho’s notification (channel, time, operation, ids), so a notification Zoho sends twice keeps its id; the same id reaches webhooks (x-zgw-event-id). De-duplicate on it.',
      resolve: (v) => v.event.id,
    }),
    module: t.string({ description: 'Module api name, e.g. Leads.', resolve: (v) => v.event.module }),
    operation: t.field({ type: RecordOperationEnum, resolve: (v) => v.event.operation }),
    ids: t.idList({ description: 'Ids of the records that changed.', resolve: (v) => v.event.ids }),
    affectedFields: t.field({
      type: 'JSON',
      description: 'For updates: record id → api names of the fields that changed ({} for creates and deletes).',
      resolve: (v) => v.event.affectedFields,
    }),
    occurredAt: t.field({ type: 'DateTime', description: 'When Zoho says the change happened.', resolve: (v) => v.event.occurredAt }),
    records: t.field({
      type: [RecordRef],
      nullable: { list: false, items: true },
      description:
        'The changed records as they are now, in the order of `ids`, read from Zoho on demand (100 ids per call; only the fields the selection reads, plus `fields`). Null for a record that no longer exists, and always null for deletes (without a Zoho call).',
      args: { fields: t.arg.stringList({ description: 'Field api names to fetch in addition to what the selection reads.' }) },
      resolve: async (v, args, ctx, info) => {
        if (v.event.operation === 'DELETE') return v.event.ids.map(() => null);
        const fields = await wantedFields(ctx, v.event.module, args.fields, recordNeeds(info));
        return Promise.all(v.event.ids.map((id) => v.loaders.load(v.event.module, fields, id)));
      },
    }),
  }),
});

/** True when the caller may read records of some module (the bare scope or a narrowed one). */
function readsAnyModule(ctx: GraphQLContext): boolean {
  return [...ctx.caller.scopes].some((s) => s === 'records:read' || s.startsWith('records:read:'));
}

/**
 * Ends the stream when the caller's token expires: a subscription must not outlive the
 * credential that opened it (the client reconnects with a fresh token).
 */
function untilExpiry(events: AsyncIterable<RecordEvent>, expiresAt: number | undefined): AsyncIterable<RecordEvent> {
  if (expiresAt === undefined) return events;
  // setTimeout takes at most 2^31-1 ms (24.8 days); a later expiry ends the stream then instead.
  const delay = Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1);
  return relay(events, (stop) => {
    const timer = setTimeout(stop, delay);
    return () => clearTimeout(timer);
  });
}

builder.subscriptionField('recordEvents', (t) =>
  t.field({
    type: RecordEventRef,
    description:
      'Changes to the caller’s tenant’s records (its connection from the token), as Zoho notifies them, from the moment of subscribing (events are not replayed). Needs `records:read` for `module` (`records:read:<module>` will do); without `module`, events of every module the caller’s scopes allow. Events reach subscribers on every gateway instance. Events flow only for modules the tenant watches (watch channels). At most MAX_SUBSCRIPTIONS_PER_TENANT (default 100) live streams per tenant and MAX_SUBSCRIPTIONS_PER_USER (default 20) per user, across instances; over either, RATE_LIMITED.',
    args: {
      module: t.arg.string({ description: 'Only events of this module (api name, e.g. Leads).' }),
      operations: t.arg({ type: [RecordOperationEnum], description: 'Only these operations (default: all).' }),
    },
    subscribe: async (_root, args, ctx) => {
      const module = args.module ?? undefined;
      if (module !== undefined) {
        assertApiName(module, 'module');
        requireScope(ctx.caller, 'records:read', module);
      } else if (!readsAnyModule(ctx)) {
        throw missingScopeError('records:read');
      }
      if (args.operations && args.operations.length === 0) {
        throw new GatewayError('BAD_USER_INPUT', 'operations must name at least one operation when given', { argument: 'operations' });
      }
      const operations = args.operations ? new Set<RecordOperation>(args.operations) : undefined;
      const { tenantId, connectionName, expiresAt, subject } = ctx.caller;
      // Counted across instances; freed when the stream ends however it ends.
      const slot = await ctx.services.subscriptionLimits.acquire(tenantId, subject);
      const events = pipe(
        untilExpiry(ctx.services.events.subscribe(tenantId, connectionName), expiresAt),
        filter(
          (e: RecordEvent) =>
            (module === undefined || e.module === module) &&
            (operations === undefined || operations.has(e.operation)) &&
            // Checked per event: a caller narrowed to some modules hears of those modules only.
            hasScope(ctx.caller, 'records:read', e.module),
        ),
      );
      return onEnd(events, () => slot.release());
    },
    resolve: (event: RecordEvent, _args, ctx) => ({ event, loaders: new RecordLoaders(ctx.zoho.bind(ctx)) }),
  }),
);

interface EventWebhookView {
  url: string;
  secret: string | null;
  createdAt: number;
}

const EventWebhookRef = builder.objectRef<EventWebhookView>('EventWebhook').implement({
  description:
    'Where the tenant’s record events are POSTed as JSON, with headers x-zgw-event-id (the same on retries), x-zgw-timestamp (epoch seconds) and x-zgw-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the secret>. Non-2xx answers and network errors are retried 4 times (after 1, 2, 4 and 8 s); a refused address (loopback, private or reserved, checked on every connection) is not; redirects are not followed.',
  fields: (t) => ({
    url: t.exposeString('url'),
    secret: t.exposeString('secret', {
      nullable: true,
      description: 'The signing secret: returned once, by setEventWebhook, and never again (null elsewhere). Verify `x-zgw-signature` with it.',
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (w) => w.createdAt }),
  }),
});

const DeliveryStatusEnum = builder.enumType('EventDeliveryStatus', {
  values: {
    PENDING: { description: 'Being delivered or waiting for a retry.' },
    DELIVERED: { description: 'The webhook answered 2xx.' },
    FAILED: { description: 'Every attempt failed (or the gateway stopped before one succeeded).' },
  },
});

const EventDeliveryRef = builder.objectRef<EventDelivery>('EventDelivery').implement({
  description: 'One event’s delivery to the tenant’s webhook.',
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    url: t.exposeString('url'),
    status: t.field({ type: DeliveryStatusEnum, resolve: (d) => d.status }),
    attempts: t.exposeInt('attempts', { description: 'Attempts so far (at most 5: after 1, 2, 4 and 8 s).' }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true, description: 'HTTP status of the last answer.' }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description:
        'Why the last attempt failed: `http_<status>` (a non-2xx answer), `refused_address` (the host is, or resolved to, a loopback, private or reserved address), `connect_failed`, `timeout`, `gateway_stopped`.',
    }),
    updatedAt: t.field({ type: 'DateTime', resolve: (d) => d.updatedAt }),
  }),
});

builder.mutationField('setEventWebhook', (t) =>
  t.field({
    type: EventWebhookRef,
    authScopes: { scope: 'zoho:connect' },
    description:
      'Sets (or replaces) the tenant’s event webhook: every record event is POSTed there as JSON, signed with a new secret returned only in this answer. https only; no credentials; no host ending in a dot; the host (an IP literal, or every address its name resolves to, checked now and again at each delivery) must not be loopback, private, link-local or reserved (EVENT_WEBHOOK_ALLOW_PRIVATE lifts this for loopback and private addresses, and allows http to them). Needs zoho:connect.',
    args: { url: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const url = await ctx.services.eventWebhooks.checkUrl(args.url);
      const hook = await ctx.services.eventWebhooks.webhooks.set(ctx.caller.tenantId, url);
      ctx.log.info({ origin: new URL(url).origin }, 'event webhook set');
      return hook;
    },
  }),
);

builder.mutationField('removeEventWebhook', (t) =>
  t.boolean({
    authScopes: { scope: 'zoho:connect' },
    description: 'Stops forwarding events to a webhook; true if one was set. Needs zoho:connect.',
    resolve: (_r, _a, ctx) => ctx.services.eventWebhooks.webhooks.remove(ctx.caller.tenantId),
  }),
);

builder.queryField('eventWebhook', (t) =>
  t.field({
    type: EventWebhookRef,
    nullable: true,
    authScopes: { scope: 'zoho:connect' },
    description: 'The tenant’s event webhook (its secret is never shown again), or null. Needs zoho:connect.',
    resolve: async (_r, _a, ctx) => {
      const hook = await ctx.services.eventWebhooks.webhooks.get(ctx.caller.tenantId);
      return hook ? { url: hook.url, secret: null, createdAt: hook.createdAt } : null;
    },
  }),
);

builder.queryField('eventDeliveries', (t) =>
  t.field({
    type: [EventDeliveryRef],
    authScopes: { scope: 'zoho:connect' },
    description: `The tenant’s latest webhook deliveries, newest first (the last ${MAX_DELIVERIES} are kept). Needs zoho:connect.`,
    args: { first: t.arg.int({ defaultValue: 20, description: `1–${MAX_DELIVERIES}.` }) },
    resolve: (_r, args, ctx) => {
      const first = args.first ?? 20;
      if (first < 1 || first > MAX_DELIVERIES) throw new GatewayError('BAD_USER_INPUT', `first must be 1–${MAX_DELIVERIES}`, { argument: 'first' });
      return ctx.services.eventWebhooks.deliveries.list(ctx.caller.tenantId, first);
    },
  }),
);
