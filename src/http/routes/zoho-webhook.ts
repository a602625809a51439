import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChannelRepository } from '../../events/channels.js';
import { toRecordEvent } from '../../events/notification.js';
import type { ReplayGuard } from '../../events/replay-guard.js';
import type { EventSink } from '../../events/types.js';
import { ZOHO_WEBHOOK_PREFIX } from '../../events/watch-service.js';
import { isGatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Route } from '../plugins/routes.js';

/**
 * Largest notification body we read (bytes). Zoho's carry one module, ids and field names (and,
 * when asked for, changed values); a megabyte is far beyond that and bounds what a stranger can
 * make us buffer (the route runner stops reading there: plugins/routes.ts).
 */
const MAX_BODY_BYTES = 1_000_000;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Equal-length digests, so the comparison takes the same time whatever the token's length. */
function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/**
 * `POST /webhooks/zoho/<channelId>`: where Zoho delivers a watch channel's notifications. The
 * channel's token, which Zoho echoes in every body, proves the sender; the event is handed to the
 * sink without waiting for it, so Zoho gets its answer at once. Answers: 200 with an empty body
 * (Zoho's docs name no expected answer; UNVERIFIED that any 2xx is taken as delivered), 404 for an
 * unknown channel, 401 for a wrong token, 400 for a body we cannot use (or a server_time more
 * than 10 minutes from our clock), 503 when the store cannot say whether the notification is new.
 * A notification already taken (same channel, server_time, operation and ids) is acknowledged
 * with 200 and dropped. Refusals are logged without the body, which carries the token.
 */
export function zohoWebhookRoute(deps: { channels: ChannelRepository; replays: ReplayGuard; now: () => number; sink: () => EventSink; log: Logger }): Route {
  const { channels, log } = deps;
  const refuse = (status: number, channelId: string, reason: string) => {
    log.warn({ channelId: channelId.slice(0, 40), status, reason }, 'zoho notification refused');
    return new Response(null, { status });
  };
  return {
    method: 'POST',
    path: ZOHO_WEBHOOK_PREFIX,
    prefix: true,
    // Read (and refused past the limit) by the route runner, before the channel is looked up.
    maxBodyBytes: MAX_BODY_BYTES,
    async handle(_request, url, bytes) {
      const channelId = url.pathname.slice(ZOHO_WEBHOOK_PREFIX.length);
      let channel;
      try {
        channel = await channels.get(channelId);
      } catch (err) {
        // A channel record moved or edited in the store is no channel of ours: Zoho (or whoever
        // sends this) hears what an unknown channel gets; the repository has logged the details.
        if (isGatewayError(err, 'STORE_TAMPERED')) return refuse(404, channelId, 'channel record failed its integrity check');
        throw err;
      }
      if (!channel) return refuse(404, channelId, 'unknown channel');

      let body: unknown;
      try {
        body = JSON.parse(utf8.decode(bytes));
      } catch {
        return refuse(400, channelId, 'body is not JSON');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) return refuse(400, channelId, 'body is not a JSON object');
      const fields = body as Record<string, unknown>;

      // Authenticate before looking closer: a stranger learns nothing about what we accept.
      if (typeof fields.token !== 'string' || !sameToken(fields.token, channel.token)) return refuse(401, channelId, 'token does not match the channel');

      const parsed = toRecordEvent(fields, channel, deps.now());
      if (!parsed.ok) return refuse(400, channelId, parsed.reason);
      if (parsed.droppedIds > 0) log.warn({ channelId, kept: parsed.event.ids.length, dropped: parsed.droppedIds }, 'zoho notification carried more ids than Zoho sends; extra ids dropped');
      let first: boolean;
      try {
        first = await deps.replays.firstSeen(parsed.event.id);
      } catch {
        // Unknown whether it is new: let Zoho (UNVERIFIED that it retries) or the replayer try later.
        return refuse(503, channelId, 'store unavailable for the replay check');
      }
      if (!first) {
        log.info({ channelId, eventId: parsed.event.id }, 'zoho notification already taken (replay) dropped');
        return new Response(null, { status: 200 });
      }
      if (!channel.operations.includes(parsed.event.operation)) {
        // Zoho sent what the channel does not subscribe to (UNVERIFIED that it ever does): it is
        // authentic, so acknowledge it, but subscribers asked not to hear of it.
        log.debug({ channelId, operation: parsed.event.operation }, 'zoho notification for an unwatched operation dropped');
        return new Response(null, { status: 200 });
      }
      const { event } = parsed;
      // Not awaited: the sink's work (pub/sub, forwarding) must not delay Zoho's answer.
      void Promise.resolve()
        .then(() => deps.sink().dispatch(event))
        .catch((err: unknown) => log.error({ eventId: event.id, channelId, err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'record event dispatch failed'));
      log.debug({ eventId: event.id, tenantId: event.tenantId, channelId, module: event.module, operation: event.operation, count: event.ids.length }, 'zoho notification received');
      return new Response(null, { status: 200 });
    },
  };
}
