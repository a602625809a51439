import type { GraphQLSchema } from 'graphql';
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
import type { ConnectionRepository } from './tokens/connection-repository.js';
import type { ZohoClient } from './zoho/client.js';
import type { DataCentreTable } from './zoho/datacenters.js';

/**
 * What requests ask of the typed CRM (typed/registry.ts TypedSchemas has these and more). The
 * typed schema is built on the generic one and its resolvers, so typed sits above graphql: the
 * generic schema knows it by this shape only.
 */
export interface TypedSchemaControl {
  /** The schema for a connection's requests (its typed one once built, else the generic one) and the typed shape hash (null: generic). */
  forConnection(tenantId: string, connectionName: string): Promise<{ schema: GraphQLSchema; hash: string | null }>;
  /** Reads the connection's metadata from Zoho again and rebuilds if its shape changed. */
  refresh(tenantId: string, connectionName: string): Promise<{ hash: string; changed: boolean }>;
  /** The connection was made, remade or removed: forget what this instance knows of it, so the next load reads Zoho again. */
  connectionChanged(tenantId: string, connectionName: string): Promise<void>;
  /** Sets a module's mapped field names (setFieldMapping). */
  setMapping(tenantId: string, connectionName: string, module: string, mappings: readonly { name: string; field: string }[]): Promise<{ hash: string }>;
  /** Mapped field names per module api name. */
  mapping(tenantId: string, connectionName: string): Promise<Record<string, { name: string; field: string }[]>>;
}

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
  typed: TypedSchemaControl;
  /** Bulk exports through Zoho's Bulk Read API, their jobs in the store (export/export-service.ts). */
  exports: ExportService;
}
