/**
 * Forwards each RecordEvent to its tenant's webhook, if the tenant set one (setEventWebhook), the
 * way Zoho's workflow webhooks would: a signed JSON POST, retried with exponential backoff, with
 * every delivery's progress in the tenant's delivery log.
 *
 * The bus calls `forward` only on the instance that received the event, so each event is POSTed
 * once however many instances run. Deliveries run in the background: `forward` returns at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Agent } from 'undici';
import { backoffDelayMs, type RetryPolicy } from '../backoff.js';
import type { Logger } from '../log.js';
import type { EventForwarding } from './bus.js';
import type { RecordEvent } from './types.js';
import type { DeliveryLog, EventDelivery } from './webhook-deliveries.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from './webhook-signature.js';
import type { EventWebhook, EventWebhookRepository } from './webhook-store.js';
import { createWebhookAgent, isAddressRefused } from './webhook-agent.js';
import { vetWebhookUrl, type WebhookLookup } from './webhook-url.js';

/** Attempts per event and the waits between them: steps of 1, 2, 4 and 8 s, each jittered (../backoff.ts). */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 8_000 };
/** One attempt's time limit in ms, answer included. */
const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

export interface ForwarderOptions {
  webhooks: EventWebhookRepository;
  deliveries: DeliveryLog;
  log: Logger;
  retry?: Partial<RetryPolicy>;
  /** One attempt's time limit in ms, answer included (default 10000). */
  attemptTimeoutMs?: number;
  /** Clock, epoch ms. */
  now?: () => number;
  /**
   * EVENT_WEBHOOK_ALLOW_PRIVATE (default false): webhooks may reach loopback and private addresses,
   * over http too. For tests and closed networks only.
   */
  allowPrivate?: boolean;
  /** Resolver for webhook hosts (default the system's); tests pass their own. */
  lookup?: WebhookLookup | undefined;
}

/** The JSON body a webhook receives (occurredAt as ISO 8601). */
export interface EventPayload {
  id: string;
  tenantId: string;
  connectionName: string;
  module: string;
  operation: RecordEvent['operation'];
  ids: string[];
  affectedFields: Record<string, string[]>;
  occurredAt: string;
}

export function eventPayload(event: RecordEvent): EventPayload {
  return {
    id: event.id,
    tenantId: event.tenantId,
    connectionName: event.connectionName,
    module: event.module,
    operation: event.operation,
    ids: event.ids,
    affectedFields: event.affectedFields,
    occurredAt: new Date(event.occurredAt).toISOString(),
  };
}

/**
 * A failed attempt's reason, coarse on purpose: the tenant reads it (eventDeliveries), and a
 * connect error's text or code (ECONNREFUSED vs a timeout, per address) would let it map the
 * gateway's network. `refused_address`, `timeout`, `connect_failed`, `http_<status>`, `gateway_stopped`.
 */
function reason(err: unknown, timedOut: boolean): string {
  if (isAddressRefused(err)) return 'refused_address';
  return timedOut ? 'timeout' : 'connect_failed';
}

export class EventForwarder implements EventForwarding {
  readonly webhooks: EventWebhookRepository;
  readonly deliveries: DeliveryLog;
  private readonly log: Logger;
  private readonly retry: RetryPolicy;
  private readonly attemptTimeoutMs: number;
  private readonly now: () => number;
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly agent: Agent;
  private readonly allowPrivate: boolean;
  private readonly lookup: WebhookLookup | undefined;

  constructor(options: ForwarderOptions) {
    this.allowPrivate = options.allowPrivate ?? false;
    this.lookup = options.lookup;
    this.agent = createWebhookAgent({ allowPrivate: this.allowPrivate, lookup: this.lookup });
    this.webhooks = options.webhooks;
    this.deliveries = options.deliveries;
    this.log = options.log;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
    this.now = options.now ?? Date.now;
  }

  forward(event: RecordEvent): void {
    if (this.stopping.signal.aborted) return;
    const run = this.deliver(event).catch((err: unknown) => {
      this.log.error({ eventId: event.id, tenantId: event.tenantId, err: (err as Error).message }, 'event forwarding failed');
    });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  /**
   * Checks a webhook URL before it is set (webhook-url.ts): the URL, and the addresses its host
   * resolves to now. Returns the normalised URL or throws BAD_USER_INPUT.
   */
  checkUrl(url: string): Promise<string> {
    return vetWebhookUrl(url, { allowPrivate: this.allowPrivate, lookup: this.lookup });
  }

  /** Stops retrying, aborts attempts in flight (their deliveries end FAILED) and waits for them. */
  async close(): Promise<void> {
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
    await this.agent.close().catch(() => undefined);
  }

  private async deliver(event: RecordEvent): Promise<void> {
    const hook = await this.webhooks.get(event.tenantId);
    if (!hook) return;
    const body = JSON.stringify(eventPayload(event));
    const origin = new URL(hook.url).origin; // logs name the origin only: a path or query may carry a token
    const delivery: EventDelivery = { eventId: event.id, url: hook.url, status: 'PENDING', attempts: 0, lastStatusCode: null, lastError: null, updatedAt: this.now() };
    const save = () => this.deliveries.record(event.tenantId, { ...delivery, updatedAt: this.now() });
    await save();

    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      if (attempt > 1) {
        try {
          // Jittered, so the deliveries of a burst of events that failed together do not come back together.
          await sleep(backoffDelayMs(attempt - 1, this.retry), undefined, { signal: this.stopping.signal });
        } catch {
          break; // closing
        }
      }
      delivery.attempts = attempt;
      const outcome = await this.attempt(hook, event.id, body);
      delivery.lastStatusCode = outcome.status;
      delivery.lastError = outcome.error;
      if (outcome.error === null) {
        delivery.status = 'DELIVERED';
        await save();
        this.log.info({ eventId: event.id, tenantId: event.tenantId, origin, attempts: attempt }, 'event delivered to webhook');
        return;
      }
      // A refused address is the URL's fault, not a passing failure: retrying would only knock again.
      const final = outcome.error === 'refused_address';
      if (attempt < this.retry.maxAttempts && !this.stopping.signal.aborted && !final) await save();
      // The operator's log may say more than the tenant's delivery log (the error code, not its text).
      this.log.warn({ eventId: event.id, tenantId: event.tenantId, origin, attempt, error: outcome.error, ...(outcome.detail ? { detail: outcome.detail } : {}) }, 'event webhook attempt failed');
      if (this.stopping.signal.aborted || final) break;
    }
    delivery.status = 'FAILED';
    if (this.stopping.signal.aborted && delivery.lastError === null) delivery.lastError = 'gateway_stopped';
    await save();
  }

  private async attempt(hook: EventWebhook, eventId: string, body: string): Promise<{ status: number | null; error: string | null; detail?: string }> {
    const timestamp = Math.floor(this.now() / 1000);
    const timeout = AbortSignal.timeout(this.attemptTimeoutMs);
    try {
      // undici never follows a redirect here: a redirect is an answer, not an instruction, and
      // following it could reach an internal host.
      const res = await request(hook.url, {
        dispatcher: this.agent,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'zoho-crm-graphql-gateway',
          [SIGNATURE_HEADER]: signPayload(hook.secret, timestamp, body),
          [TIMESTAMP_HEADER]: String(timestamp),
          [EVENT_ID_HEADER]: eventId,
        },
        body,
        signal: AbortSignal.any([this.stopping.signal, timeout]),
      });
      await res.body.dump().catch(() => undefined);
      return { status: res.statusCode, error: res.statusCode >= 200 && res.statusCode < 300 ? null : `http_${res.statusCode}` };
    } catch (err) {
      const code = (err as { code?: unknown; cause?: { code?: unknown } })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
      return { status: null, error: this.stopping.signal.aborted ? 'gateway_stopped' : reason(err, timeout.aborted), ...(typeof code === 'string' ? { detail: code } : {}) };
    }
  }
}
