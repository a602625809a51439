/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A calendar date, yyyy-MM-dd (Zoho’s date fields). */
  Date: { input: any; output: any; }
  /** An instant as an RFC 3339 (ISO 8601) string. Inputs take any offset, e.g. 2026-01-31T15:00:00+05:30; outputs are in UTC, e.g. 2026-01-31T09:30:00.000Z. */
  DateTime: { input: any; output: any; }
  /** Any JSON value, passed through as Zoho sends or expects it. */
  JSON: { input: unknown; output: unknown; }
};

/** A bulk export of one module through Zoho’s Bulk Read API. See docs/export.md. */
export type BulkExport = {
  __typename?: 'BulkExport';
  createdAt: Scalars['DateTime']['output'];
  /** GET it with the same bearer token for the records as NDJSON, once COMPLETED. */
  downloadPath?: Maybe<Scalars['String']['output']>;
  error?: Maybe<Scalars['String']['output']>;
  /** When Zoho stops serving the first page’s result (one day after completion; UNVERIFIED for CRM v8). */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** Columns after `id`, in order. */
  fields: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  module: Scalars['String']['output'];
  /** Records Zoho has exported so far (pages of up to 200,000 completed). */
  progress: Scalars['Int']['output'];
  /** Total records, once Zoho says no further page remains; null before. */
  recordCount?: Maybe<Scalars['Int']['output']>;
  state: BulkExportState;
};

export type BulkExportState =
  /** The first page is ready: download `downloadPath`. Later pages are exported while you download. */
  | 'COMPLETED'
  /** Zoho no longer keeps the result (one day after completion). Start a new export. */
  | 'EXPIRED'
  /** Zoho reported the job failed (FAILURE), or lost it; `error` says which. Start a new export. */
  | 'FAILED'
  /** Zoho accepted the job and has not started it (Zoho: ADDED). */
  | 'QUEUED'
  /** Zoho is exporting (Zoho: IN PROGRESS). */
  | 'RUNNING';

export type ConnectStart = {
  __typename?: 'ConnectStart';
  /** Send the user’s browser here (Zoho’s consent page). */
  authorizeUrl: Scalars['String']['output'];
  /** The data centre whose login page the URL opens. */
  dc: Scalars['String']['output'];
  /** The URL’s single-use state expires then (10 minutes). */
  expiresAt: Scalars['DateTime']['output'];
};

/** The tenant’s link to one Zoho CRM account. Never carries a token. */
export type Connection = {
  __typename?: 'Connection';
  apiDomain: Scalars['String']['output'];
  connectedAt: Scalars['DateTime']['output'];
  /** Data-centre key (us, eu, ca, …). */
  dc: Scalars['String']['output'];
  email: Scalars['String']['output'];
  /** When the current access token expires; the gateway refreshes ahead of it. */
  expiresAt: Scalars['DateTime']['output'];
  /** The connection’s name (the JWT’s `cid`, `default` unless you use several). */
  name: Scalars['String']['output'];
  orgId: Scalars['String']['output'];
  orgName: Scalars['String']['output'];
  /** Scopes Zoho granted. */
  scopes: Array<Scalars['String']['output']>;
  status: ConnectionStatus;
  /** The connected user’s ZUID. */
  zohoUserId: Scalars['String']['output'];
};

export type ConnectionStatus =
  /** Tokens are valid; queries reach Zoho. */
  | 'ACTIVE'
  /** Zoho refused the refresh token for good (revoked, or the user removed the app): connect again. */
  | 'RECONNECT_REQUIRED';

/** Rows of a COQL query as Zoho returns them (lookups as {name, id}, joined paths as flat keys such as "Account_Name.Account_Name"). */
export type CoqlResult = {
  __typename?: 'CoqlResult';
  /** Rows in this answer. */
  count: Scalars['Int']['output'];
  /** More rows match: raise OFFSET for the next page. */
  moreRecords: Scalars['Boolean']['output'];
  rows: Array<Scalars['JSON']['output']>;
};

/** A search filter node: exactly one of a condition (field + operator + value, or values for IN and BETWEEN), and, or or. At most 10 conditions in all. */
export type CriteriaInput = {
  /** All of these. */
  and?: InputMaybe<Array<CriteriaInput>>;
  /** Field api name. */
  field?: InputMaybe<Scalars['String']['input']>;
  operator?: InputMaybe<CriteriaOperator>;
  /** Any of these. */
  or?: InputMaybe<Array<CriteriaInput>>;
  /** A string, number, boolean, date (yyyy-MM-dd) or date-time (ISO 8601 with offset); escaped for you. */
  value?: InputMaybe<Scalars['JSON']['input']>;
  /** For IN (1–100 values) and BETWEEN (exactly two: low, high). */
  values?: InputMaybe<Array<Scalars['JSON']['input']>>;
};

/** Zoho’s v8 search operators (search-records.html). Which apply depends on the field’s data type: see searchRecords. */
export type CriteriaOperator =
  /** Inclusive; `values` is [low, high]. */
  | 'BETWEEN'
  /** On text: contains the value (Zoho’s reading of equals in search). */
  | 'EQUALS'
  | 'GREATER_EQUAL'
  | 'GREATER_THAN'
  /** Any of `values` (1–100). */
  | 'IN'
  | 'LESS_EQUAL'
  | 'LESS_THAN'
  | 'NOT_EQUAL'
  | 'STARTS_WITH';

/** A custom (list) view of a module in Zoho CRM. Pass its id as `cvid` to `records` to list the view’s records in the view’s order. */
export type CustomView = {
  __typename?: 'CustomView';
  /** created_by_me, public_views, shared_with_me or other_users_views. */
  category?: Maybe<Scalars['String']['output']>;
  displayValue?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  isDefault: Scalars['Boolean']['output'];
  name: Scalars['String']['output'];
  /** The field api name the view sorts by. */
  sortBy?: Maybe<Scalars['String']['output']>;
  sortOrder?: Maybe<Scalars['String']['output']>;
  systemDefined: Scalars['Boolean']['output'];
  /** Zoho’s name for a system view, e.g. ALLVIEWS. */
  systemName?: Maybe<Scalars['String']['output']>;
};

/** A Zoho data centre this gateway can connect accounts in. */
export type DataCentre = {
  __typename?: 'DataCentre';
  /** Zoho Accounts server of this data centre. */
  accountsServer: Scalars['String']['output'];
  /** CRM API domain of this data centre. */
  apiDomain: Scalars['String']['output'];
  environment: ZohoEnvironment;
  /** The key to pass as `dc` (us, eu, in, au, jp, cn, ca, sa, uk, or e.g. eu-sandbox). */
  key: Scalars['String']['output'];
  /** Zoho’s `location` value for this data centre. */
  location: Scalars['String']['output'];
};

/** A record Zoho reports deleted (recycle bin or permanently deleted). */
export type DeletedRecord = {
  __typename?: 'DeletedRecord';
  /** When it was deleted (Zoho’s one-second precision). */
  deletedTime: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
};

/** One event’s delivery to the tenant’s webhook. */
export type EventDelivery = {
  __typename?: 'EventDelivery';
  /** Attempts so far (at most 5: after 1, 2, 4 and 8 s). */
  attempts: Scalars['Int']['output'];
  eventId: Scalars['ID']['output'];
  /** Why the last attempt failed: `http_<status>` (a non-2xx answer), `refused_address` (the host is, or resolved to, a loopback, private or reserved address), `connect_failed`, `timeout`, `gateway_stopped`. */
  lastError?: Maybe<Scalars['String']['output']>;
  /** HTTP status of the last answer. */
  lastStatusCode?: Maybe<Scalars['Int']['output']>;
  status: EventDeliveryStatus;
  updatedAt: Scalars['DateTime']['output'];
  url: Scalars['String']['output'];
};

export type EventDeliveryStatus =
  /** The webhook answered 2xx. */
  | 'DELIVERED'
  /** Every attempt failed (or the gateway stopped before one succeeded). */
  | 'FAILED'
  /** Being delivered or waiting for a retry. */
  | 'PENDING';

/** Where the tenant’s record events are POSTed as JSON, with headers x-zgw-event-id (the same on retries), x-zgw-timestamp (epoch seconds) and x-zgw-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the secret>. Non-2xx answers and network errors are retried 4 times (after 1, 2, 4 and 8 s); a refused address (loopback, private or reserved, checked on every connection) is not; redirects are not followed. */
export type EventWebhook = {
  __typename?: 'EventWebhook';
  createdAt: Scalars['DateTime']['output'];
  /** The signing secret: returned once, by setEventWebhook, and never again (null elsewhere). Verify `x-zgw-signature` with it. */
  secret?: Maybe<Scalars['String']['output']>;
  url: Scalars['String']['output'];
};

/** A field of a module, from Zoho’s field metadata. */
export type Field = {
  __typename?: 'Field';
  apiName: Scalars['String']['output'];
  custom: Scalars['Boolean']['output'];
  /** Zoho’s data type: text, email, picklist, lookup, ownerlookup, currency, date, datetime, … */
  dataType: Scalars['String']['output'];
  label: Scalars['String']['output'];
  length?: Maybe<Scalars['Int']['output']>;
  /** For lookups: the module it points to (follow it with Record.lookup). */
  lookupModule?: Maybe<Scalars['String']['output']>;
  mandatory: Scalars['Boolean']['output'];
  picklistValues: Array<Scalars['String']['output']>;
  readOnly: Scalars['Boolean']['output'];
};

/** One mapped name: `{ name: "budget", field: "Budget_USD" }` makes `budget` a field of the module’s type, with the value of Budget_USD. */
export type FieldMappingInput = {
  /** The Zoho field api name it stands for. */
  field: Scalars['String']['input'];
  /** The name in the typed schema: lowerCamelCase, not a field the type already has. */
  name: Scalars['String']['input'];
};

export type HttpMethod =
  | 'DELETE'
  | 'GET'
  | 'PATCH'
  | 'POST'
  | 'PUT';

export type MappedField = {
  __typename?: 'MappedField';
  field: Scalars['String']['output'];
  name: Scalars['String']['output'];
};

/** A CRM module the API supports. */
export type Module = {
  __typename?: 'Module';
  apiName: Scalars['String']['output'];
  moduleName: Scalars['String']['output'];
  pluralLabel: Scalars['String']['output'];
  singularLabel: Scalars['String']['output'];
};

/** Connect Zoho accounts and write CRM data. */
export type Mutation = {
  __typename?: 'Mutation';
  /** The confirm step: activates the connection whose consent the gateway parked under `ticket` (from `zoho=confirm&ticket=…`), and revokes the previous connection’s refresh token. Only the caller who started (same tid, sub and cid) may complete; anyone else gets FORBIDDEN and the ticket is used up. A malformed, used or expired ticket (10 minutes) gets BAD_USER_INPUT with `reason` invalid_ticket, used_ticket or expired_ticket. Show the returned email and orgName to the user: it names the Zoho account now connected. */
  completeZohoConnect: Connection;
  /** Server-only setups: exchanges a grant code made with Zoho’s Self Client (API console) and stores the connection. */
  connectZohoWithGrantCode: Connection;
  /** Creates records (POST /crm/v8/{module}). A record must not carry an id. Returns one RecordResult per input, in input order; partial success is normal (check each status). Up to MAX_RECORDS_PER_MUTATION (default 1,000) per mutation (more is refused with BAD_USER_INPUT before any call), sent as sequential Zoho calls of 100 in input order. Checked before any write: the module, that each record is an object, and every key against the module’s fields (`$`-prefixed Zoho system keys such as $append_values pass unchecked); values are Zoho’s to judge, per record. When a Zoho call fails as a whole (5xx, rate limit after retries, unreachable), the mutation fails with that error code and extensions { results (outcomes of every record before failedFromIndex), failedFromIndex (first record of the failed call: after a 5xx or lost answer extensions.writeOutcome is UNKNOWN, it may have been written; after a rate limit it was not), notSentFromIndex (first record never sent, or null) }. */
  createRecords: Array<RecordResult>;
  /** Deletes records by id (DELETE /crm/v8/{module}?ids=). An unknown id is that index’s INVALID_DATA; the others are deleted. Returns one RecordResult per id, in input order; partial success is normal (check each status). Up to MAX_RECORDS_PER_MUTATION (default 1,000) per mutation (more is refused with BAD_USER_INPUT before any call), sent as sequential Zoho calls of 100 in input order. When a Zoho call fails as a whole (5xx, rate limit after retries, unreachable), the mutation fails with that error code and extensions { results (outcomes of every record before failedFromIndex), failedFromIndex (first record of the failed call: after a 5xx or lost answer extensions.writeOutcome is UNKNOWN, it may have been written; after a rate limit it was not), notSentFromIndex (first record never sent, or null) }. */
  deleteRecords: Array<RecordResult>;
  /** Disables the connection’s watch channels at Zoho, revokes its refresh token at Zoho and deletes the connection. False when there was none. */
  disconnectZoho: Scalars['Boolean']['output'];
  /** Reads the connection’s module and field metadata from Zoho now (one call per module) and rebuilds its typed schema when the shape changed; the previous schema answers until the new one is ready. The gateway also refreshes on its own every SCHEMA_TTL and when Zoho reports a field the schema has as unknown. */
  refreshSchema: SchemaRefresh;
  /** Stops forwarding events to a webhook; true if one was set. Needs zoho:connect. */
  removeEventWebhook: Scalars['Boolean']['output'];
  /** Sets (or replaces) the tenant’s event webhook: every record event is POSTed there as JSON, signed with a new secret returned only in this answer. https only; no credentials; no host ending in a dot; the host (an IP literal, or every address its name resolves to, checked now and again at each delivery) must not be loopback, private, link-local or reserved (EVENT_WEBHOOK_ALLOW_PRIVATE lifts this for loopback and private addresses, and allows http to them). Needs zoho:connect. */
  setEventWebhook: EventWebhook;
  /** Replaces the caller’s mapped names for one module (an empty list removes them). Mapped names are typed fields of this connection’s schema, in reads, filters, ordering and writes, so one document serves tenants whose orgs name the same thing differently. An unknown field or a name that clashes is refused with BAD_USER_INPUT naming it. */
  setFieldMapping: Array<MappedField>;
  /** Starts a bulk export of a module’s records with Zoho’s Bulk Read API (POST /crm/bulk/v8/read); poll `bulkExport(id)` until COMPLETED, then download `downloadPath`. `fields`: api names (default every field but subforms); `where`: the same filter as searchRecords (except that EQUALS on text is exact here); `since`: only records modified at or after this instant. Needs the connection’s consent to include ZohoCRM.bulk.READ. */
  startBulkExport: BulkExport;
  /** Starts connecting a Zoho CRM account: returns Zoho’s consent URL for the data centre (default ZOHO_DC). After consent Zoho sends the browser to the gateway, which parks the tokens under a one-time ticket and redirects to `returnTo` with `zoho=confirm&ticket=…` (or `zoho=error&reason=…`); finish with completeZohoConnect, as the same user. At most MAX_PENDING_CONNECTS_PER_TENANT may be pending (RATE_LIMITED beyond). */
  startZohoConnect: ConnectStart;
  /** Stops a channel (DELETE /crm/v8/actions/watch?channel_ids=…) and forgets it. False when no channel of the caller’s connection has this id. Needs records:read for each of its modules. */
  unwatchRecords: Scalars['Boolean']['output'];
  /** Updates records (PUT /crm/v8/{module}): each record carries its id (a string of digits) and the fields to change. An unknown id is that record’s INVALID_DATA. Returns one RecordResult per input, in input order; partial success is normal (check each status). Up to MAX_RECORDS_PER_MUTATION (default 1,000) per mutation (more is refused with BAD_USER_INPUT before any call), sent as sequential Zoho calls of 100 in input order. Checked before any write: the module, that each record is an object, and every key against the module’s fields (`$`-prefixed Zoho system keys such as $append_values pass unchecked); values are Zoho’s to judge, per record. When a Zoho call fails as a whole (5xx, rate limit after retries, unreachable), the mutation fails with that error code and extensions { results (outcomes of every record before failedFromIndex), failedFromIndex (first record of the failed call: after a 5xx or lost answer extensions.writeOutcome is UNKNOWN, it may have been written; after a rate limit it was not), notSentFromIndex (first record never sent, or null) }. */
  updateRecords: Array<RecordResult>;
  /** Inserts or updates records (POST /crm/v8/{module}/upsert): a record matching an existing one on a duplicate check field updates it, else a record is inserted (RecordResult.action says which). Returns one RecordResult per input, in input order; partial success is normal (check each status). Up to MAX_RECORDS_PER_MUTATION (default 1,000) per mutation (more is refused with BAD_USER_INPUT before any call), sent as sequential Zoho calls of 100 in input order. Checked before any write: the module, that each record is an object, and every key against the module’s fields (`$`-prefixed Zoho system keys such as $append_values pass unchecked); values are Zoho’s to judge, per record. When a Zoho call fails as a whole (5xx, rate limit after retries, unreachable), the mutation fails with that error code and extensions { results (outcomes of every record before failedFromIndex), failedFromIndex (first record of the failed call: after a 5xx or lost answer extensions.writeOutcome is UNKNOWN, it may have been written; after a rate limit it was not), notSentFromIndex (first record never sent, or null) }. */
  upsertRecords: Array<RecordResult>;
  /** Asks Zoho to notify the gateway of changes to the modules’ records (POST /crm/v8/actions/watch); the events reach `recordEvents` subscribers and the tenant’s webhook. Needs records:read for every module. The channel lives a week and is renewed automatically while the connection works. */
  watchRecords: Watch;
  /** Sends one request to the connected Zoho CRM (v8) and returns {status, body, headers} (headers: content type and rate-limit headers only; never a token). `path` is relative to /crm/v8 (/org, /Leads/search; /crm/v8/org is accepted too); URLs, other versions, query strings, ./.., // and percent-encoding in it are refused with BAD_USER_INPUT, so a request never leaves the connection’s API domain. GET is retried on 5xx and network failures; other methods only on Zoho’s 429 (nothing was done), never after a 5xx. Zoho’s error answers fail the field with the mapped code and extensions.zoho (Zoho’s status, code, message, details), except per-record write outcomes (207, or a 400 with data[]), which are returned. Bypasses the per-module records scopes: grant zoho:proxy only to trusted callers. Under /actions/watch, answers never carry a channel `token`, and writes naming a channel the gateway manages (watchRecords) are refused with FORBIDDEN. */
  zohoRequest: Scalars['JSON']['output'];
};


/** Connect Zoho accounts and write CRM data. */
export type MutationCompleteZohoConnectArgs = {
  ticket: Scalars['String']['input'];
};


/** Connect Zoho accounts and write CRM data. */
export type MutationConnectZohoWithGrantCodeArgs = {
  code: Scalars['String']['input'];
  dc: Scalars['String']['input'];
};


/** Connect Zoho accounts and write CRM data. */
export type MutationCreateRecordsArgs = {
  module: Scalars['String']['input'];
  records: Array<Scalars['JSON']['input']>;
  trigger?: InputMaybe<Array<WriteTrigger>>;
};


/** Connect Zoho accounts and write CRM data. */
export type MutationDeleteRecordsArgs = {
  ids: Array<Scalars['ID']['input']>;
  module: Scalars['String']['input'];
};


/** Connect Zoho accounts and write CRM data. */
export type MutationSetEventWebhookArgs = {
  url: Scalars['String']['input'];
};


/** Connect Zoho accounts and write CRM data. */
export type MutationSetFieldMappingArgs = {
  mappings: Array<FieldMappingInput>;
  module: Scalars['String']['input'];
};


/** Connect Zoho accounts and write CRM data. */
export type MutationStartBulkExportArgs = {
  fields?: InputMaybe<Array<Scalars['String']['input']>>;
  module: Scalars['String']['input'];
  since?: InputMaybe<Scalars['DateTime']['input']>;
  where?: InputMaybe<CriteriaInput>;
};


/** Connect Zoho accounts and write CRM data. */
export type MutationStartZohoConnectArgs = {
  dc?: InputMaybe<Scalars['String']['input']>;
  returnTo?: InputMaybe<Scalars['String']['input']>;
};


/** Connect Zoho accounts and write CRM data. */
export type MutationUnwatchRecordsArgs = {
  id: Scalars['ID']['input'];
};


/** Connect Zoho accounts and write CRM data. */
export type MutationUpdateRecordsArgs = {
  module: Scalars['String']['input'];
  records: Array<Scalars['JSON']['input']>;
  trigger?: InputMaybe<Array<WriteTrigger>>;
};


/** Connect Zoho accounts and write CRM data. */
export type MutationUpsertRecordsArgs = {
  duplicateCheckFields?: InputMaybe<Array<Scalars['String']['input']>>;
  module: Scalars['String']['input'];
  records: Array<Scalars['JSON']['input']>;
  trigger?: InputMaybe<Array<WriteTrigger>>;
};


/** Connect Zoho accounts and write CRM data. */
export type MutationWatchRecordsArgs = {
  modules: Array<Scalars['String']['input']>;
  operations?: InputMaybe<Array<RecordOperation>>;
};


/** Connect Zoho accounts and write CRM data. */
export type MutationZohoRequestArgs = {
  body?: InputMaybe<Scalars['JSON']['input']>;
  method: HttpMethod;
  path: Scalars['String']['input'];
  query?: InputMaybe<Scalars['JSON']['input']>;
};

/** A role or profile. */
export type NamedRef = {
  __typename?: 'NamedRef';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

/** The connected Zoho CRM organization (`GET /crm/v8/org`). */
export type Organization = {
  __typename?: 'Organization';
  country?: Maybe<Scalars['String']['output']>;
  currency?: Maybe<Scalars['String']['output']>;
  domainName?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  primaryEmail?: Maybe<Scalars['String']['output']>;
  timeZone?: Maybe<Scalars['String']['output']>;
  zgid?: Maybe<Scalars['String']['output']>;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  /** Records in this page. */
  count: Scalars['Int']['output'];
  /** Pass as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** Read a tenant’s Zoho CRM data. */
export type Query = {
  __typename?: 'Query';
  /** A bulk export of the caller’s connection, asking Zoho for news while it runs; null when there is no such export (or it is another tenant’s or connection’s). Needs records:read for its module. */
  bulkExport?: Maybe<BulkExport>;
  /** The caller’s Zoho connection, or null when none. Needs org:read or zoho:connect. */
  connection?: Maybe<Connection>;
  /** Runs a COQL select query (Zoho’s Query API), e.g. `select Last_Name, Account_Name.Account_Name from Contacts where Last_Name is not null limit 200`. Needs the `coql` scope, records:read for every module read (FROM, subqueries, lookup paths) and users:read for paths through user lookups (Owner.email); a query the gateway cannot parse to check that is refused (FORBIDDEN). Zoho’s v8 limits are checked before calling: WHERE required, LIMIT ≤ 2,000 (default 200), OFFSET + LIMIT ≤ 100,000, ≤ 500 columns, ≤ 25 criteria, ≤ 100 values per IN; more than two criteria must be bracketed pairwise, ((A and B) and C). */
  coql: CoqlResult;
  /** The custom views of a module (`GET /crm/v8/settings/custom_views?module=`). Needs records:read for the module. Use an id as `cvid` on `records` (without `sortBy`: Zoho refuses the pair; `sortOrder` is allowed), or in COQL’s FROM. */
  customViews: Array<CustomView>;
  /** The Zoho data centres this gateway knows (built in, plus ZOHO_DATA_CENTERS). */
  dataCentres: Array<DataCentre>;
  /** The tenant’s latest webhook deliveries, newest first (the last 100 are kept). Needs zoho:connect. */
  eventDeliveries: Array<EventDelivery>;
  /** The tenant’s event webhook (its secret is never shown again), or null. Needs zoho:connect. */
  eventWebhook?: Maybe<EventWebhook>;
  /** The caller’s mapped names for one module (setFieldMapping). */
  fieldMapping: Array<MappedField>;
  /** Fields of a module (cached per connection for 5 minutes). */
  fields: Array<Field>;
  /** Who the caller’s connection acts as in Zoho. Costs no Zoho call. Needs org:read or zoho:connect. */
  me: ZohoUser;
  /** Modules of the connected org (cached per connection for 5 minutes). */
  modules: Array<Module>;
  /** The connected org. Id and name fall back to what Zoho Accounts said at connect time when the org API omits them. */
  organization: Organization;
  /** One record by id (null when it does not exist). Batched with every other record read of the operation: 100 ids per Zoho call. */
  record?: Maybe<Record>;
  /** What changed in a module since a time or since the last call: records created or modified (Zoho’s If-Modified-Since, oldest first) and records deleted. At most 2 Zoho calls per call. At least once: a record may come twice around the second a call ended, never not at all. See docs/sync.md. */
  recordChanges: RecordChanges;
  /** Lists a module’s records. One cursor pages through up to 100,000 records (Zoho’s page mode for the first 2,000, page tokens beyond). Asks Zoho only for the fields the query reads; more than 50 are fetched in groups of 50 and merged. */
  records: RecordPage;
  /** Searches a module with Zoho’s Search API: give exactly one of `where` (a structured filter, escaped for you), `criteria` (Zoho’s raw criteria string), `email`, `phone` or `word`. Zoho’s `equals` matches text that contains the value. Operators by data type: text, email, phone, website: EQUALS, NOT_EQUAL, STARTS_WITH, IN; textarea: EQUALS, NOT_EQUAL, STARTS_WITH; picklist and lookups: EQUALS, NOT_EQUAL, IN; boolean: EQUALS, NOT_EQUAL; numbers, dates and date-times: all but STARTS_WITH. Reaches the first 2,000 results (page × perPage ≤ 2,000). `pageInfo.endCursor` is the next page number (pass it as `page`), null on the last page. */
  searchRecords: RecordPage;
  /** One user by id; batched with every other user lookup of the operation (100 ids per Zoho call). */
  user?: Maybe<User>;
  users: UserPage;
  /** The caller’s connection’s watch channels, oldest first, with their expiry (lapsed ones stay listed for 30 days so a failed renewal is visible). No Zoho call. */
  watches: Array<Watch>;
};


/** Read a tenant’s Zoho CRM data. */
export type QueryBulkExportArgs = {
  id: Scalars['ID']['input'];
};


/** Read a tenant’s Zoho CRM data. */
export type QueryCoqlArgs = {
  query: Scalars['String']['input'];
};


/** Read a tenant’s Zoho CRM data. */
export type QueryCustomViewsArgs = {
  module: Scalars['String']['input'];
};


/** Read a tenant’s Zoho CRM data. */
export type QueryEventDeliveriesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Read a tenant’s Zoho CRM data. */
export type QueryFieldMappingArgs = {
  module: Scalars['String']['input'];
};


/** Read a tenant’s Zoho CRM data. */
export type QueryFieldsArgs = {
  module: Scalars['String']['input'];
};


/** Read a tenant’s Zoho CRM data. */
export type QueryRecordArgs = {
  fields?: InputMaybe<Array<Scalars['String']['input']>>;
  id: Scalars['ID']['input'];
  module: Scalars['String']['input'];
};


/** Read a tenant’s Zoho CRM data. */
export type QueryRecordChangesArgs = {
  fields?: InputMaybe<Array<Scalars['String']['input']>>;
  first?: InputMaybe<Scalars['Int']['input']>;
  module: Scalars['String']['input'];
  since?: InputMaybe<Scalars['DateTime']['input']>;
  syncToken?: InputMaybe<Scalars['String']['input']>;
};


/** Read a tenant’s Zoho CRM data. */
export type QueryRecordsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  cvid?: InputMaybe<Scalars['ID']['input']>;
  fields?: InputMaybe<Array<Scalars['String']['input']>>;
  first?: InputMaybe<Scalars['Int']['input']>;
  module: Scalars['String']['input'];
  sortBy?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<SortOrder>;
};


/** Read a tenant’s Zoho CRM data. */
export type QuerySearchRecordsArgs = {
  criteria?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  fields?: InputMaybe<Array<Scalars['String']['input']>>;
  module: Scalars['String']['input'];
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  where?: InputMaybe<CriteriaInput>;
  word?: InputMaybe<Scalars['String']['input']>;
};


/** Read a tenant’s Zoho CRM data. */
export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


/** Read a tenant’s Zoho CRM data. */
export type QueryUsersArgs = {
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  type?: InputMaybe<UserType>;
};

/** A CRM record. Read fields with `field(name:)` or all of them with `data`; follow lookups with `lookup(field:)`. */
export type Record = {
  __typename?: 'Record';
  createdTime?: Maybe<Scalars['DateTime']['output']>;
  /** The record as Zoho returns it (every field of the module when selected). */
  data: Scalars['JSON']['output'];
  /** One field’s value by api name, as Zoho returns it (lookups are {name, id}). */
  field?: Maybe<Scalars['JSON']['output']>;
  id: Scalars['ID']['output'];
  /** Follows a lookup field to the record it points to (module from field metadata), batched: 100 ids per Zoho call. */
  lookup?: Maybe<Record>;
  modifiedTime?: Maybe<Scalars['DateTime']['output']>;
  module: Scalars['String']['output'];
  /** The record owner; role, profile and status are batched through the users loader. */
  owner?: Maybe<User>;
};


/** A CRM record. Read fields with `field(name:)` or all of them with `data`; follow lookups with `lookup(field:)`. */
export type RecordFieldArgs = {
  name: Scalars['String']['input'];
};


/** A CRM record. Read fields with `field(name:)` or all of them with `data`; follow lookups with `lookup(field:)`. */
export type RecordLookupArgs = {
  field: Scalars['String']['input'];
  fields?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** One page of a module’s changes. Apply upserted, then deleted; store syncToken; call again with it while hasMore. */
export type RecordChanges = {
  __typename?: 'RecordChanges';
  /** Records deleted (after the upserts of the same round). */
  deleted: Array<DeletedRecord>;
  /** true: call again now; false: caught up, call again later with the same token. */
  hasMore: Scalars['Boolean']['output'];
  /** Opaque and signed: pass it to the next call. Bound to this tenant, connection, module and field selection. */
  syncToken: Scalars['String']['output'];
  /** Records created or modified, oldest change first. */
  upserted: Array<Record>;
};

/** A change to CRM records of one module, from Zoho’s notifications. */
export type RecordEvent = {
  __typename?: 'RecordEvent';
  /** For updates: record id → api names of the fields that changed ({} for creates and deletes). */
  affectedFields: Scalars['JSON']['output'];
  /** Derived from Zoho’s notification (channel, time, operation, ids), so a notification Zoho sends twice keeps its id; the same id reaches webhooks (x-zgw-event-id). De-duplicate on it. */
  id: Scalars['ID']['output'];
  /** Ids of the records that changed. */
  ids: Array<Scalars['ID']['output']>;
  /** Module api name, e.g. Leads. */
  module: Scalars['String']['output'];
  /** When Zoho says the change happened. */
  occurredAt: Scalars['DateTime']['output'];
  operation: RecordOperation;
  /** The changed records as they are now, in the order of `ids`, read from Zoho on demand (100 ids per call; only the fields the selection reads, plus `fields`). Null for a record that no longer exists, and always null for deletes (without a Zoho call). */
  records: Array<Maybe<Record>>;
};


/** A change to CRM records of one module, from Zoho’s notifications. */
export type RecordEventRecordsArgs = {
  fields?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** A change to a CRM record. */
export type RecordOperation =
  /** A record was created (Zoho’s `create` event, `insert` operation). */
  | 'CREATE'
  /** A record was deleted (Zoho’s `delete` event and operation). */
  | 'DELETE'
  /** A record was edited (Zoho’s `edit` event, `update` operation). */
  | 'UPDATE';

export type RecordPage = {
  __typename?: 'RecordPage';
  nodes: Array<Record>;
  pageInfo: PageInfo;
};

/** The outcome of one input record of a write, at its input index. */
export type RecordResult = {
  __typename?: 'RecordResult';
  /** Upserts: insert or update. */
  action?: Maybe<Scalars['String']['output']>;
  /** Zoho’s code: SUCCESS, MANDATORY_NOT_FOUND, INVALID_DATA, DUPLICATE_DATA, …; NO_OUTCOME when Zoho’s answer had no entry for this record (whether it was written is then unknown). */
  code: Scalars['String']['output'];
  /** Zoho’s details, e.g. {api_name, json_path, expected_data_type} for an error. */
  details?: Maybe<Scalars['JSON']['output']>;
  /** Upserts: the duplicate check field Zoho matched on. */
  duplicateField?: Maybe<Scalars['String']['output']>;
  /** The new, updated or deleted record’s id (Zoho’s details.id) when status is success. */
  id?: Maybe<Scalars['ID']['output']>;
  /** Position of the record (or id) in the input list. */
  index: Scalars['Int']['output'];
  /** Zoho’s message. */
  message: Scalars['String']['output'];
  /** success or error. */
  status: Scalars['String']['output'];
};

/** The caller’s typed schema after a refresh. */
export type SchemaRefresh = {
  __typename?: 'SchemaRefresh';
  /** Whether Zoho’s metadata (or the mapping) gave a different schema than before. */
  changed: Scalars['Boolean']['output'];
  /** The schema’s shape hash, also sent as the X-Schema-Hash response header. */
  hash: Scalars['String']['output'];
};

export type SortOrder =
  | 'ASC'
  | 'DESC';

/** Real-time changes to a tenant’s CRM data, over Server-Sent Events. */
export type Subscription = {
  __typename?: 'Subscription';
  /** Changes to the caller’s tenant’s records (its connection from the token), as Zoho notifies them, from the moment of subscribing (events are not replayed). Needs `records:read` for `module` (`records:read:<module>` will do); without `module`, events of every module the caller’s scopes allow. Events reach subscribers on every gateway instance. Events flow only for modules the tenant watches (watch channels). At most MAX_SUBSCRIPTIONS_PER_TENANT (default 100) live streams per tenant and MAX_SUBSCRIPTIONS_PER_USER (default 20) per user, across instances; over either, RATE_LIMITED. */
  recordEvents: RecordEvent;
};


/** Real-time changes to a tenant’s CRM data, over Server-Sent Events. */
export type SubscriptionRecordEventsArgs = {
  module?: InputMaybe<Scalars['String']['input']>;
  operations?: InputMaybe<Array<RecordOperation>>;
};

/** A user of the connected CRM org. */
export type User = {
  __typename?: 'User';
  email?: Maybe<Scalars['String']['output']>;
  fullName?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Needs users:read. */
  profile?: Maybe<NamedRef>;
  /** Needs users:read. */
  role?: Maybe<NamedRef>;
  /** active, disabled, deleted, … Needs users:read. */
  status?: Maybe<Scalars['String']['output']>;
};

export type UserPage = {
  __typename?: 'UserPage';
  count: Scalars['Int']['output'];
  moreRecords: Scalars['Boolean']['output'];
  page: Scalars['Int']['output'];
  perPage: Scalars['Int']['output'];
  users: Array<User>;
};

/** Zoho’s user filters (GET /crm/v8/users `type`). */
export type UserType =
  | 'ACTIVE_CONFIRMED_ADMINS'
  | 'ACTIVE_USERS'
  | 'ADMIN_USERS'
  | 'ALL_USERS'
  | 'CONFIRMED_USERS'
  | 'CURRENT_USER'
  | 'DEACTIVE_USERS'
  | 'DELETED_USERS'
  | 'NOT_CONFIRMED_USERS';

/** A Zoho notification channel watching modules of the caller’s connection. The gateway renews it before it expires. */
export type Watch = {
  __typename?: 'Watch';
  createdAt: Scalars['DateTime']['output'];
  /** When Zoho stops notifying unless renewed (renewed automatically a day ahead; Zoho allows at most a week). */
  expiresAt: Scalars['DateTime']['output'];
  /** Zoho’s channel id; pass it to unwatchRecords. */
  id: Scalars['ID']['output'];
  modules: Array<Scalars['String']['output']>;
  operations: Array<RecordOperation>;
};

/** Automation Zoho may run on a write (Zoho’s `trigger` values). */
export type WriteTrigger =
  /** Approval processes. */
  | 'APPROVAL'
  /** Blueprints. */
  | 'BLUEPRINT'
  /** Workflow rules. */
  | 'WORKFLOW';

/** Zoho runs production, sandbox and developer environments in every data centre. */
export type ZohoEnvironment =
  | 'DEVELOPER'
  | 'PRODUCTION'
  | 'SANDBOX';

/** The Zoho user who connected the caller’s account (from Zoho Accounts at connect time). */
export type ZohoUser = {
  __typename?: 'ZohoUser';
  connection: Connection;
  displayName: Scalars['String']['output'];
  email: Scalars['String']['output'];
  firstName?: Maybe<Scalars['String']['output']>;
  /** ZUID. */
  id: Scalars['ID']['output'];
  lastName?: Maybe<Scalars['String']['output']>;
};

export type StartConnectMutationVariables = Exact<{
  returnTo?: InputMaybe<Scalars['String']['input']>;
  dc?: InputMaybe<Scalars['String']['input']>;
}>;


export type StartConnectMutation = { __typename?: 'Mutation', startZohoConnect: { __typename?: 'ConnectStart', authorizeUrl: string, dc: string, expiresAt: any } };

export type ConnectWithGrantCodeMutationVariables = Exact<{
  code: Scalars['String']['input'];
  dc: Scalars['String']['input'];
}>;


export type ConnectWithGrantCodeMutation = { __typename?: 'Mutation', connectZohoWithGrantCode: { __typename?: 'Connection', dc: string, status: ConnectionStatus, email: string, orgId: string } };

export type DisconnectMutationVariables = Exact<{ [key: string]: never; }>;


export type DisconnectMutation = { __typename?: 'Mutation', disconnectZoho: boolean };

export type ConnectionStatusQueryVariables = Exact<{ [key: string]: never; }>;


export type ConnectionStatusQuery = { __typename?: 'Query', connection?: { __typename?: 'Connection', name: string, status: ConnectionStatus, dc: string, apiDomain: string, scopes: Array<string>, zohoUserId: string, email: string, orgId: string, orgName: string, connectedAt: any, expiresAt: any } | null };

export type CompleteConnectMutationVariables = Exact<{
  ticket: Scalars['String']['input'];
}>;


export type CompleteConnectMutation = { __typename?: 'Mutation', completeZohoConnect: { __typename?: 'Connection', name: string, status: ConnectionStatus, dc: string, email: string, orgId: string, orgName: string } };

export type SetEventWebhookMutationVariables = Exact<{
  url: Scalars['String']['input'];
}>;


export type SetEventWebhookMutation = { __typename?: 'Mutation', setEventWebhook: { __typename?: 'EventWebhook', url: string, secret?: string | null, createdAt: any } };

export type RemoveEventWebhookMutationVariables = Exact<{ [key: string]: never; }>;


export type RemoveEventWebhookMutation = { __typename?: 'Mutation', removeEventWebhook: boolean };

export type EventWebhookQueryVariables = Exact<{ [key: string]: never; }>;


export type EventWebhookQuery = { __typename?: 'Query', eventWebhook?: { __typename?: 'EventWebhook', url: string, secret?: string | null, createdAt: any } | null };

export type EventDeliveriesQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
}>;


export type EventDeliveriesQuery = { __typename?: 'Query', eventDeliveries: Array<{ __typename?: 'EventDelivery', eventId: string, url: string, status: EventDeliveryStatus, attempts: number, lastStatusCode?: number | null, lastError?: string | null, updatedAt: any }> };

export type DataCentresQueryVariables = Exact<{ [key: string]: never; }>;


export type DataCentresQuery = { __typename?: 'Query', dataCentres: Array<{ __typename?: 'DataCentre', key: string, location: string, accountsServer: string, apiDomain: string, environment: ZohoEnvironment }> };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { __typename?: 'Query', me: { __typename?: 'ZohoUser', id: string, email: string, displayName: string, firstName?: string | null, lastName?: string | null, connection: { __typename?: 'Connection', dc: string, status: ConnectionStatus } } };

export type OrganizationQueryVariables = Exact<{ [key: string]: never; }>;


export type OrganizationQuery = { __typename?: 'Query', organization: { __typename?: 'Organization', id: string, name: string, primaryEmail?: string | null, timeZone?: string | null, currency?: string | null, country?: string | null, domainName?: string | null, zgid?: string | null } };

export type UsersQueryVariables = Exact<{
  type?: InputMaybe<UserType>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
}>;


export type UsersQuery = { __typename?: 'Query', users: { __typename?: 'UserPage', count: number, page: number, perPage: number, moreRecords: boolean, users: Array<{ __typename?: 'User', id: string, fullName?: string | null, email?: string | null, status?: string | null, role?: { __typename?: 'NamedRef', id: string, name: string } | null, profile?: { __typename?: 'NamedRef', id: string, name: string } | null }> } };

export type ThreeUsersQueryVariables = Exact<{
  a: Scalars['ID']['input'];
  b: Scalars['ID']['input'];
  c: Scalars['ID']['input'];
}>;


export type ThreeUsersQuery = { __typename?: 'Query', a?: { __typename?: 'User', id: string, email?: string | null } | null, b?: { __typename?: 'User', id: string, email?: string | null } | null, c?: { __typename?: 'User', id: string, email?: string | null } | null };

export type WriteResultFragment = { __typename?: 'RecordResult', index: number, id?: string | null, status: string, code: string, message: string, details?: unknown | null, action?: string | null, duplicateField?: string | null };

export type CreateRecordsMutationVariables = Exact<{
  module: Scalars['String']['input'];
  records: Array<Scalars['JSON']['input']> | Scalars['JSON']['input'];
  trigger?: InputMaybe<Array<WriteTrigger> | WriteTrigger>;
}>;


export type CreateRecordsMutation = { __typename?: 'Mutation', createRecords: Array<{ __typename?: 'RecordResult', index: number, id?: string | null, status: string, code: string, message: string, details?: unknown | null, action?: string | null, duplicateField?: string | null }> };

export type UpdateRecordsMutationVariables = Exact<{
  module: Scalars['String']['input'];
  records: Array<Scalars['JSON']['input']> | Scalars['JSON']['input'];
  trigger?: InputMaybe<Array<WriteTrigger> | WriteTrigger>;
}>;


export type UpdateRecordsMutation = { __typename?: 'Mutation', updateRecords: Array<{ __typename?: 'RecordResult', index: number, id?: string | null, status: string, code: string, message: string, details?: unknown | null, action?: string | null, duplicateField?: string | null }> };

export type UpsertRecordsMutationVariables = Exact<{
  module: Scalars['String']['input'];
  records: Array<Scalars['JSON']['input']> | Scalars['JSON']['input'];
  duplicateCheckFields?: InputMaybe<Array<Scalars['String']['input']> | Scalars['String']['input']>;
  trigger?: InputMaybe<Array<WriteTrigger> | WriteTrigger>;
}>;


export type UpsertRecordsMutation = { __typename?: 'Mutation', upsertRecords: Array<{ __typename?: 'RecordResult', index: number, id?: string | null, status: string, code: string, message: string, details?: unknown | null, action?: string | null, duplicateField?: string | null }> };

export type DeleteRecordsMutationVariables = Exact<{
  module: Scalars['String']['input'];
  ids: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
}>;


export type DeleteRecordsMutation = { __typename?: 'Mutation', deleteRecords: Array<{ __typename?: 'RecordResult', index: number, id?: string | null, status: string, code: string, message: string, details?: unknown | null, action?: string | null, duplicateField?: string | null }> };

export type ZohoRequestMutationVariables = Exact<{
  method: HttpMethod;
  path: Scalars['String']['input'];
  query?: InputMaybe<Scalars['JSON']['input']>;
  body?: InputMaybe<Scalars['JSON']['input']>;
}>;


export type ZohoRequestMutation = { __typename?: 'Mutation', zohoRequest: unknown };

export type DealsWithOwnerAndAccountQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type DealsWithOwnerAndAccountQuery = { __typename?: 'Query', records: { __typename?: 'RecordPage', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null, count: number }, nodes: Array<{ __typename?: 'Record', id: string, name?: unknown | null, owner?: { __typename?: 'User', email?: string | null } | null, account?: { __typename?: 'Record', id: string, name?: unknown | null } | null }> } };

export type RecordIdsQueryVariables = Exact<{
  module: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  sortBy?: InputMaybe<Scalars['String']['input']>;
  sortOrder?: InputMaybe<SortOrder>;
}>;


export type RecordIdsQuery = { __typename?: 'Query', records: { __typename?: 'RecordPage', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null, count: number }, nodes: Array<{ __typename?: 'Record', id: string }> } };

export type RecordDataQueryVariables = Exact<{
  module: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  fields?: InputMaybe<Array<Scalars['String']['input']> | Scalars['String']['input']>;
}>;


export type RecordDataQuery = { __typename?: 'Query', records: { __typename?: 'RecordPage', pageInfo: { __typename?: 'PageInfo', count: number }, nodes: Array<{ __typename?: 'Record', id: string, module: string, data: unknown, createdTime?: any | null, modifiedTime?: any | null }> } };

export type OneRecordQueryVariables = Exact<{
  module: Scalars['String']['input'];
  id: Scalars['ID']['input'];
  fields?: InputMaybe<Array<Scalars['String']['input']> | Scalars['String']['input']>;
}>;


export type OneRecordQuery = { __typename?: 'Query', record?: { __typename?: 'Record', id: string, data: unknown } | null };

export type OwnerDetailsQueryVariables = Exact<{ [key: string]: never; }>;


export type OwnerDetailsQuery = { __typename?: 'Query', records: { __typename?: 'RecordPage', nodes: Array<{ __typename?: 'Record', owner?: { __typename?: 'User', id: string, fullName?: string | null, email?: string | null, role?: { __typename?: 'NamedRef', name: string } | null } | null }> } };

export type ModulesAndFieldsQueryVariables = Exact<{
  module: Scalars['String']['input'];
}>;


export type ModulesAndFieldsQuery = { __typename?: 'Query', modules: Array<{ __typename?: 'Module', apiName: string, pluralLabel: string }>, fields: Array<{ __typename?: 'Field', apiName: string, dataType: string, lookupModule?: string | null, mandatory: boolean }> };

export type LeadFieldsMergedQueryVariables = Exact<{
  fields?: InputMaybe<Array<Scalars['String']['input']> | Scalars['String']['input']>;
}>;


export type LeadFieldsMergedQuery = { __typename?: 'Query', records: { __typename?: 'RecordPage', nodes: Array<{ __typename?: 'Record', id: string, first?: unknown | null, last?: unknown | null, lastName?: unknown | null }> } };

export type SearchLeadsQueryVariables = Exact<{
  module: Scalars['String']['input'];
  where?: InputMaybe<CriteriaInput>;
  criteria?: InputMaybe<Scalars['String']['input']>;
  email?: InputMaybe<Scalars['String']['input']>;
  phone?: InputMaybe<Scalars['String']['input']>;
  word?: InputMaybe<Scalars['String']['input']>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
  fields?: InputMaybe<Array<Scalars['String']['input']> | Scalars['String']['input']>;
}>;


export type SearchLeadsQuery = { __typename?: 'Query', searchRecords: { __typename?: 'RecordPage', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null, count: number }, nodes: Array<{ __typename?: 'Record', id: string, lastName?: unknown | null, city?: unknown | null }> } };

export type SearchIdsQueryVariables = Exact<{
  module: Scalars['String']['input'];
  where?: InputMaybe<CriteriaInput>;
  criteria?: InputMaybe<Scalars['String']['input']>;
  page?: InputMaybe<Scalars['Int']['input']>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SearchIdsQuery = { __typename?: 'Query', searchRecords: { __typename?: 'RecordPage', pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null, count: number }, nodes: Array<{ __typename?: 'Record', id: string }> } };

export type SearchDataQueryVariables = Exact<{
  module: Scalars['String']['input'];
  where?: InputMaybe<CriteriaInput>;
  perPage?: InputMaybe<Scalars['Int']['input']>;
}>;


export type SearchDataQuery = { __typename?: 'Query', searchRecords: { __typename?: 'RecordPage', pageInfo: { __typename?: 'PageInfo', count: number }, nodes: Array<{ __typename?: 'Record', id: string, data: unknown }> } };

export type CoqlQueryVariables = Exact<{
  query: Scalars['String']['input'];
}>;


export type CoqlQuery = { __typename?: 'Query', coql: { __typename?: 'CoqlResult', rows: Array<unknown>, count: number, moreRecords: boolean } };

export type WatchFieldsFragment = { __typename?: 'Watch', id: string, modules: Array<string>, operations: Array<RecordOperation>, expiresAt: any, createdAt: any };

export type WatchRecordsMutationVariables = Exact<{
  modules: Array<Scalars['String']['input']> | Scalars['String']['input'];
  operations?: InputMaybe<Array<RecordOperation> | RecordOperation>;
}>;


export type WatchRecordsMutation = { __typename?: 'Mutation', watchRecords: { __typename?: 'Watch', id: string, modules: Array<string>, operations: Array<RecordOperation>, expiresAt: any, createdAt: any } };

export type UnwatchRecordsMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type UnwatchRecordsMutation = { __typename?: 'Mutation', unwatchRecords: boolean };

export type WatchesQueryVariables = Exact<{ [key: string]: never; }>;


export type WatchesQuery = { __typename?: 'Query', watches: Array<{ __typename?: 'Watch', id: string, modules: Array<string>, operations: Array<RecordOperation>, expiresAt: any, createdAt: any }> };

export const WriteResultFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WriteResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecordResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"duplicateField"}}]}}]} as unknown as DocumentNode<WriteResultFragment, unknown>;
export const WatchFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WatchFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Watch"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"modules"}},{"kind":"Field","name":{"kind":"Name","value":"operations"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<WatchFieldsFragment, unknown>;
export const StartConnectDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StartConnect"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"returnTo"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dc"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"startZohoConnect"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"returnTo"},"value":{"kind":"Variable","name":{"kind":"Name","value":"returnTo"}}},{"kind":"Argument","name":{"kind":"Name","value":"dc"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dc"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"authorizeUrl"}},{"kind":"Field","name":{"kind":"Name","value":"dc"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<StartConnectMutation, StartConnectMutationVariables>;
export const ConnectWithGrantCodeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConnectWithGrantCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"code"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"dc"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connectZohoWithGrantCode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"code"},"value":{"kind":"Variable","name":{"kind":"Name","value":"code"}}},{"kind":"Argument","name":{"kind":"Name","value":"dc"},"value":{"kind":"Variable","name":{"kind":"Name","value":"dc"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dc"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"orgId"}}]}}]}}]} as unknown as DocumentNode<ConnectWithGrantCodeMutation, ConnectWithGrantCodeMutationVariables>;
export const DisconnectDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Disconnect"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disconnectZoho"}}]}}]} as unknown as DocumentNode<DisconnectMutation, DisconnectMutationVariables>;
export const ConnectionStatusDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ConnectionStatus"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"connection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"dc"}},{"kind":"Field","name":{"kind":"Name","value":"apiDomain"}},{"kind":"Field","name":{"kind":"Name","value":"scopes"}},{"kind":"Field","name":{"kind":"Name","value":"zohoUserId"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"orgId"}},{"kind":"Field","name":{"kind":"Name","value":"orgName"}},{"kind":"Field","name":{"kind":"Name","value":"connectedAt"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}}]}}]}}]} as unknown as DocumentNode<ConnectionStatusQuery, ConnectionStatusQueryVariables>;
export const CompleteConnectDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CompleteConnect"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ticket"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"completeZohoConnect"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"ticket"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ticket"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"dc"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"orgId"}},{"kind":"Field","name":{"kind":"Name","value":"orgName"}}]}}]}}]} as unknown as DocumentNode<CompleteConnectMutation, CompleteConnectMutationVariables>;
export const SetEventWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetEventWebhook"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"url"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"setEventWebhook"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"url"},"value":{"kind":"Variable","name":{"kind":"Name","value":"url"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<SetEventWebhookMutation, SetEventWebhookMutationVariables>;
export const RemoveEventWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveEventWebhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeEventWebhook"}}]}}]} as unknown as DocumentNode<RemoveEventWebhookMutation, RemoveEventWebhookMutationVariables>;
export const EventWebhookDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EventWebhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventWebhook"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"secret"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]} as unknown as DocumentNode<EventWebhookQuery, EventWebhookQueryVariables>;
export const EventDeliveriesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EventDeliveries"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventDeliveries"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"eventId"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"lastStatusCode"}},{"kind":"Field","name":{"kind":"Name","value":"lastError"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]}}]} as unknown as DocumentNode<EventDeliveriesQuery, EventDeliveriesQueryVariables>;
export const DataCentresDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DataCentres"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dataCentres"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"key"}},{"kind":"Field","name":{"kind":"Name","value":"location"}},{"kind":"Field","name":{"kind":"Name","value":"accountsServer"}},{"kind":"Field","name":{"kind":"Name","value":"apiDomain"}},{"kind":"Field","name":{"kind":"Name","value":"environment"}}]}}]}}]} as unknown as DocumentNode<DataCentresQuery, DataCentresQueryVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"firstName"}},{"kind":"Field","name":{"kind":"Name","value":"lastName"}},{"kind":"Field","name":{"kind":"Name","value":"connection"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dc"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const OrganizationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"primaryEmail"}},{"kind":"Field","name":{"kind":"Name","value":"timeZone"}},{"kind":"Field","name":{"kind":"Name","value":"currency"}},{"kind":"Field","name":{"kind":"Name","value":"country"}},{"kind":"Field","name":{"kind":"Name","value":"domainName"}},{"kind":"Field","name":{"kind":"Name","value":"zgid"}}]}}]}}]} as unknown as DocumentNode<OrganizationQuery, OrganizationQueryVariables>;
export const UsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Users"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"type"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"UserType"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"page"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"perPage"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"users"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"type"},"value":{"kind":"Variable","name":{"kind":"Name","value":"type"}}},{"kind":"Argument","name":{"kind":"Name","value":"page"},"value":{"kind":"Variable","name":{"kind":"Name","value":"page"}}},{"kind":"Argument","name":{"kind":"Name","value":"perPage"},"value":{"kind":"Variable","name":{"kind":"Name","value":"perPage"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"page"}},{"kind":"Field","name":{"kind":"Name","value":"perPage"}},{"kind":"Field","name":{"kind":"Name","value":"moreRecords"}},{"kind":"Field","name":{"kind":"Name","value":"users"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"role"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"profile"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<UsersQuery, UsersQueryVariables>;
export const ThreeUsersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ThreeUsers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"a"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"b"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"c"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"a"},"name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"a"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"b"},"name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"b"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"c"},"name":{"kind":"Name","value":"user"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"c"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]} as unknown as DocumentNode<ThreeUsersQuery, ThreeUsersQueryVariables>;
export const CreateRecordsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateRecords"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"records"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"trigger"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"WriteTrigger"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}},{"kind":"Argument","name":{"kind":"Name","value":"records"},"value":{"kind":"Variable","name":{"kind":"Name","value":"records"}}},{"kind":"Argument","name":{"kind":"Name","value":"trigger"},"value":{"kind":"Variable","name":{"kind":"Name","value":"trigger"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WriteResult"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WriteResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecordResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"duplicateField"}}]}}]} as unknown as DocumentNode<CreateRecordsMutation, CreateRecordsMutationVariables>;
export const UpdateRecordsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateRecords"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"records"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"trigger"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"WriteTrigger"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}},{"kind":"Argument","name":{"kind":"Name","value":"records"},"value":{"kind":"Variable","name":{"kind":"Name","value":"records"}}},{"kind":"Argument","name":{"kind":"Name","value":"trigger"},"value":{"kind":"Variable","name":{"kind":"Name","value":"trigger"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WriteResult"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WriteResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecordResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"duplicateField"}}]}}]} as unknown as DocumentNode<UpdateRecordsMutation, UpdateRecordsMutationVariables>;
export const UpsertRecordsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpsertRecords"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"records"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"duplicateCheckFields"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"trigger"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"WriteTrigger"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"upsertRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}},{"kind":"Argument","name":{"kind":"Name","value":"records"},"value":{"kind":"Variable","name":{"kind":"Name","value":"records"}}},{"kind":"Argument","name":{"kind":"Name","value":"duplicateCheckFields"},"value":{"kind":"Variable","name":{"kind":"Name","value":"duplicateCheckFields"}}},{"kind":"Argument","name":{"kind":"Name","value":"trigger"},"value":{"kind":"Variable","name":{"kind":"Name","value":"trigger"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WriteResult"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WriteResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecordResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"duplicateField"}}]}}]} as unknown as DocumentNode<UpsertRecordsMutation, UpsertRecordsMutationVariables>;
export const DeleteRecordsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteRecords"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"ids"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}},{"kind":"Argument","name":{"kind":"Name","value":"ids"},"value":{"kind":"Variable","name":{"kind":"Name","value":"ids"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WriteResult"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WriteResult"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RecordResult"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"details"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"duplicateField"}}]}}]} as unknown as DocumentNode<DeleteRecordsMutation, DeleteRecordsMutationVariables>;
export const ZohoRequestDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ZohoRequest"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"method"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"HttpMethod"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"path"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"body"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"JSON"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"zohoRequest"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"method"},"value":{"kind":"Variable","name":{"kind":"Name","value":"method"}}},{"kind":"Argument","name":{"kind":"Name","value":"path"},"value":{"kind":"Variable","name":{"kind":"Name","value":"path"}}},{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}},{"kind":"Argument","name":{"kind":"Name","value":"body"},"value":{"kind":"Variable","name":{"kind":"Name","value":"body"}}}]}]}}]} as unknown as DocumentNode<ZohoRequestMutation, ZohoRequestMutationVariables>;
export const DealsWithOwnerAndAccountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"DealsWithOwnerAndAccount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"records"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"StringValue","value":"Deals","block":false}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","alias":{"kind":"Name","value":"name"},"name":{"kind":"Name","value":"field"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"StringValue","value":"Deal_Name","block":false}}]},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"email"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"account"},"name":{"kind":"Name","value":"lookup"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"field"},"value":{"kind":"StringValue","value":"Account_Name","block":false}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","alias":{"kind":"Name","value":"name"},"name":{"kind":"Name","value":"field"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"StringValue","value":"Account_Name","block":false}}]}]}}]}}]}}]}}]} as unknown as DocumentNode<DealsWithOwnerAndAccountQuery, DealsWithOwnerAndAccountQueryVariables>;
export const RecordIdsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecordIds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sortBy"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sortOrder"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SortOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"records"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"sortBy"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sortBy"}}},{"kind":"Argument","name":{"kind":"Name","value":"sortOrder"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sortOrder"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<RecordIdsQuery, RecordIdsQueryVariables>;
export const RecordDataDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"RecordData"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fields"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"records"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"fields"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fields"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"module"}},{"kind":"Field","name":{"kind":"Name","value":"data"}},{"kind":"Field","name":{"kind":"Name","value":"createdTime"}},{"kind":"Field","name":{"kind":"Name","value":"modifiedTime"}}]}}]}}]}}]} as unknown as DocumentNode<RecordDataQuery, RecordDataQueryVariables>;
export const OneRecordDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OneRecord"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fields"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"record"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}},{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"fields"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fields"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"data"}}]}}]}}]} as unknown as DocumentNode<OneRecordQuery, OneRecordQueryVariables>;
export const OwnerDetailsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OwnerDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"records"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"StringValue","value":"Deals","block":false}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"10"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"fullName"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"role"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<OwnerDetailsQuery, OwnerDetailsQueryVariables>;
export const ModulesAndFieldsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ModulesAndFields"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"modules"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiName"}},{"kind":"Field","name":{"kind":"Name","value":"pluralLabel"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fields"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"apiName"}},{"kind":"Field","name":{"kind":"Name","value":"dataType"}},{"kind":"Field","name":{"kind":"Name","value":"lookupModule"}},{"kind":"Field","name":{"kind":"Name","value":"mandatory"}}]}}]}}]} as unknown as DocumentNode<ModulesAndFieldsQuery, ModulesAndFieldsQueryVariables>;
export const LeadFieldsMergedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LeadFieldsMerged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fields"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"records"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"StringValue","value":"Leads","block":false}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"5"}},{"kind":"Argument","name":{"kind":"Name","value":"fields"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fields"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","alias":{"kind":"Name","value":"first"},"name":{"kind":"Name","value":"field"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"StringValue","value":"Custom_Text_01","block":false}}]},{"kind":"Field","alias":{"kind":"Name","value":"last"},"name":{"kind":"Name","value":"field"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"StringValue","value":"Custom_Text_60","block":false}}]},{"kind":"Field","alias":{"kind":"Name","value":"lastName"},"name":{"kind":"Name","value":"field"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"StringValue","value":"Last_Name","block":false}}]}]}}]}}]}}]} as unknown as DocumentNode<LeadFieldsMergedQuery, LeadFieldsMergedQueryVariables>;
export const SearchLeadsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SearchLeads"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CriteriaInput"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"criteria"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"phone"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"word"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"page"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"perPage"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fields"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"searchRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}},{"kind":"Argument","name":{"kind":"Name","value":"criteria"},"value":{"kind":"Variable","name":{"kind":"Name","value":"criteria"}}},{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}},{"kind":"Argument","name":{"kind":"Name","value":"phone"},"value":{"kind":"Variable","name":{"kind":"Name","value":"phone"}}},{"kind":"Argument","name":{"kind":"Name","value":"word"},"value":{"kind":"Variable","name":{"kind":"Name","value":"word"}}},{"kind":"Argument","name":{"kind":"Name","value":"page"},"value":{"kind":"Variable","name":{"kind":"Name","value":"page"}}},{"kind":"Argument","name":{"kind":"Name","value":"perPage"},"value":{"kind":"Variable","name":{"kind":"Name","value":"perPage"}}},{"kind":"Argument","name":{"kind":"Name","value":"fields"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fields"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","alias":{"kind":"Name","value":"lastName"},"name":{"kind":"Name","value":"field"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"StringValue","value":"Last_Name","block":false}}]},{"kind":"Field","alias":{"kind":"Name","value":"city"},"name":{"kind":"Name","value":"field"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"StringValue","value":"City","block":false}}]}]}}]}}]}}]} as unknown as DocumentNode<SearchLeadsQuery, SearchLeadsQueryVariables>;
export const SearchIdsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SearchIds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CriteriaInput"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"criteria"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"page"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"perPage"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"searchRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}},{"kind":"Argument","name":{"kind":"Name","value":"criteria"},"value":{"kind":"Variable","name":{"kind":"Name","value":"criteria"}}},{"kind":"Argument","name":{"kind":"Name","value":"page"},"value":{"kind":"Variable","name":{"kind":"Name","value":"page"}}},{"kind":"Argument","name":{"kind":"Name","value":"perPage"},"value":{"kind":"Variable","name":{"kind":"Name","value":"perPage"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<SearchIdsQuery, SearchIdsQueryVariables>;
export const SearchDataDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SearchData"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"module"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"where"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"CriteriaInput"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"perPage"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"searchRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"module"},"value":{"kind":"Variable","name":{"kind":"Name","value":"module"}}},{"kind":"Argument","name":{"kind":"Name","value":"where"},"value":{"kind":"Variable","name":{"kind":"Name","value":"where"}}},{"kind":"Argument","name":{"kind":"Name","value":"perPage"},"value":{"kind":"Variable","name":{"kind":"Name","value":"perPage"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"count"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"data"}}]}}]}}]}}]} as unknown as DocumentNode<SearchDataQuery, SearchDataQueryVariables>;
export const CoqlDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Coql"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"coql"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"rows"}},{"kind":"Field","name":{"kind":"Name","value":"count"}},{"kind":"Field","name":{"kind":"Name","value":"moreRecords"}}]}}]}}]} as unknown as DocumentNode<CoqlQuery, CoqlQueryVariables>;
export const WatchRecordsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"WatchRecords"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"modules"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"operations"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RecordOperation"}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"watchRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"modules"},"value":{"kind":"Variable","name":{"kind":"Name","value":"modules"}}},{"kind":"Argument","name":{"kind":"Name","value":"operations"},"value":{"kind":"Variable","name":{"kind":"Name","value":"operations"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WatchFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WatchFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Watch"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"modules"}},{"kind":"Field","name":{"kind":"Name","value":"operations"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<WatchRecordsMutation, WatchRecordsMutationVariables>;
export const UnwatchRecordsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UnwatchRecords"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unwatchRecords"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}]}]}}]} as unknown as DocumentNode<UnwatchRecordsMutation, UnwatchRecordsMutationVariables>;
export const WatchesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Watches"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"watches"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"WatchFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"WatchFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Watch"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"modules"}},{"kind":"Field","name":{"kind":"Name","value":"operations"}},{"kind":"Field","name":{"kind":"Name","value":"expiresAt"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<WatchesQuery, WatchesQueryVariables>;