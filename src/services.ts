import type { Config } from './config/index.js';
import type { ConnectService } from './connect/connect-service.js';
import type { TicketSweep } from './connect/ticket-sweep.js';
import type { EventBus } from './events/bus.js';
import type { ExportService } from './export/export-service.js';
import type { SubscriptionLimiter } from './events/subscription-limits.js';
import type { EventForwarder } from './events/forwarder.js';
import type { ChannelRenewal } from './events/renewal.js';
import type { WatchService } from './events/watch-service.js';
import type { MetadataService } from './records/metadata.js';
import type { TokenManager } from './tokens/token-manager.js';
import type { TypedSchemas } from './typed/registry.js';
import type { ConnectionRepository } from './tokens/connection-repository.js';
import type { ZohoClient } from './zoho/client.js';
import type { DataCentreTable } from './zoho/datacenters.js';

/** The long-lived parts every request shares (one set per process). */
export interface Services {
  config: Config;
  /** The data-centre table in force (in the demo, `us` and `eu` point at the emulators). */
  dataCentres: DataCentreTable;
  connections: ConnectionRepository;
  tokens: TokenManager;
  zoho: ZohoClient;
  connect: ConnectService;
  /** Revokes abandoned connect tickets' tokens, one instance per round (connect/ticket-sweep.ts). */
  ticketSweep: TicketSweep;
  /** Module/field metadata cache, per connection, short TTL. */
  metadata: MetadataService;
  /** Zoho notification channels of each tenant: watch, list, unwatch (events/watch-service.ts). */
  watch: WatchService;
  /** Renews channels before Zoho lets them lapse, one instance per round (events/renewal.ts). */
  renewal: ChannelRenewal;
  /** Record events: dispatch (forwarded once) and per-tenant subscriptions on every instance (events/bus.ts). */
  events: EventBus;
  /** Caps on live recordEvents streams per tenant and per user, across instances (events/subscription-limits.ts). */
  subscriptionLimits: SubscriptionLimiter;
  /** Tenants' event webhooks and their delivery logs (events/forwarder.ts). */
  eventWebhooks: EventForwarder;
  /** The typed CRM: one schema per connection shape, built off the request path (typed/registry.ts). */
  typed: TypedSchemas;
  /** Bulk exports through Zoho's Bulk Read API, their jobs in the store (export/export-service.ts). */
  exports: ExportService;
}
