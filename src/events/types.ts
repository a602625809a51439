/**
 * A change to a tenant's CRM records, as the gateway tells it to subscribers and webhooks. Built
 * from one Zoho notification (https://www.zoho.com/crm/developer/docs/api/v8/notifications/overview.html).
 */
export type RecordOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface RecordEvent {
  /**
   * Derived from Zoho's notification (channel, server_time, operation, ids; a UUID in form): the
   * same on webhook retries and on a notification Zoho sends twice, so receivers can de-duplicate.
   */
  id: string;
  tenantId: string;
  connectionName: string;
  /** Module api name, e.g. Leads. */
  module: string;
  operation: RecordOperation;
  /** Ids of the records that changed. */
  ids: string[];
  /** For updates: which fields changed, per record id (empty for creates and deletes). */
  affectedFields: Record<string, string[]>;
  /** When Zoho says it happened (epoch ms; Zoho's `server_time`). */
  occurredAt: number;
  /** The watch channel that carried it. */
  channelId: string;
}

/**
 * Where received events go: the pub/sub that feeds subscriptions on every instance, and the
 * tenant's forwarding webhook (delivered once, by the instance that received the event).
 */
export interface EventSink {
  dispatch(event: RecordEvent): Promise<void>;
}
