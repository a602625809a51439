import { createHash, randomBytes } from 'node:crypto';
import { assertValidSchema, printSchema, type GraphQLSchema } from 'graphql';
import { GatewayError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { TypedSchemaControl } from '../services.js';
import { metadataKey, type FieldMeta, type MetadataService } from '../records/metadata.js';
import type { ZohoFetch } from '../zoho/client.js';
import type { Store } from '../store/index.js';
import type { ZohoCall, ZohoResult } from '../zoho/client.js';
import { buildTypedSchema } from './build.js';
import { deriveShape, type FieldMapping, type OrgMetadata } from './derive.js';
import { assignNames, MAPPED_NAME, type NameMap, type ReservedNames } from './naming.js';
import { createTypedResolvers } from './resolve.js';
import { MAX_MAPPINGS_PER_MODULE, snapshotProblem, usableMappings } from './snapshot-check.js';
import type { OrgShape } from './shape.js';

/**
 * One typed schema per connection, never built on the request path.
 *
 * A connection's schema is found by the hash of its shape (metadata + names + mapping), so orgs of
 * one shape share one schema object. A request finds its connection's schema with two map
 * lookups; the first request of a connection starts the build and waits for it up to
 * SCHEMA_BUILD_WAIT_MS, then is answered on the gateway's generic schema. Every SCHEMA_TTL the
 * next request starts a refresh in the background (metadata from Zoho); a changed shape is built
 * while the old schema keeps serving. The metadata snapshot and the name map live in the store,
 * so another instance (or a restart) builds the same schema without asking Zoho, and a field keeps
 * its name for as long as it exists. Every change of the snapshot or the mapping also writes a new
 * version id for the connection; the other instances compare it in the background (at most every
 * VERSION_CHECK_INTERVAL_MS per connection that gets requests) and rebuild from the store when it
 * moved, so a product that sets a mapping on one instance finds it on the next within seconds.
 */

/** Bump when the builder's output changes for the same shape (schemas cached by hash elsewhere). */
const BUILD_VERSION = 1;
/** After a failed build (Zoho unreachable, not connected), how long the generic schema is used before trying again. */
const RETRY_AFTER_FAILURE_MS = 5_000;
/**
 * Least time between two refreshes started because Zoho named a field of the schema as unknown: a
 * client repeating a query on such a field would otherwise make every request read the whole
 * metadata again (one call per module).
 */
export const STALE_REFRESH_INTERVAL_MS = 30_000;
/**
 * Mapping changes (setFieldMapping) a connection may make per minute on one instance. Each is a
 * build on the event loop (214 ms for the bench's large org) that delays every tenant of the
 * process, and mutation fields run one after another: 30 aliases alternating two mappings were 30
 * builds in one request, repeatable at will. Setting up a product's names takes a few.
 */
export const MAPPING_CHANGES_PER_MINUTE = 10;
/**
 * Least time between two reads of a connection's version key on one instance. The read is one
 * small store GET off the request path, only for connections that get requests; 5 s bounds both
 * that load on the store (a connection on N instances: N reads per 5 s) and how long an instance
 * serves a schema another instance has replaced (a mapping change, refreshSchema, a reconnect).
 */
export const VERSION_CHECK_INTERVAL_MS = 5_000;

/**
 * Where a load takes the metadata from: `stored` — the stored snapshot, whatever its age (a
 * restart, a schema evicted from memory, a mapping change: no Zoho call, the TTL then refreshes
 * it in the background); `fresh` — the stored snapshot if younger than SCHEMA_TTL (another
 * instance refreshed it), else Zoho; `zoho` — Zoho now (refreshSchema, a stale field).
 */
type LoadMode = 'stored' | 'fresh' | 'zoho';

export interface TypedSchemaSettings {
  /** SCHEMA_TTL: how old a connection's metadata may get before a request starts a refresh (ms). */
  ttlMs: number;
  /** How long the first request of a connection waits for its build before the generic schema answers (ms). */
  waitMs: number;
  /** Schemas kept in memory (least recently used go first). */
  maxSchemas: number;
  /** Estimated bytes of all schemas kept (schema-size estimate: shape JSON × BYTES_PER_SHAPE_BYTE). */
  maxBytes: number;
}

export const DEFAULT_TYPED_SETTINGS: TypedSchemaSettings = { ttlMs: 10 * 60_000, waitMs: 1_500, maxSchemas: 200, maxBytes: 512 * 1024 * 1024 };

/**
 * Heap bytes a built schema (with its shape and resolvers) keeps per byte of its shape's JSON,
 * measured by `npm run bench` (test/bench/schema-build.ts, synthetic orgs, 2026-12-06): 6.5–7.2
 * for 12 modules × 60 fields (shape 0.2 MB, 1.5–1.6 MB of heap; the small org's fixed part varies
 * most between runs), 6.3 for 30 × 120 (1.1 MB, 7.0 MB), 5.7 for 60 × 250 (4.7 MB, 27 MB).
 * Rounded up from the highest, so the bytes bound errs towards keeping fewer schemas. A printed
 * SDL is counted apart, when printed (`printed`).
 */
export const BYTES_PER_SHAPE_BYTE = 8;

export interface TypedSchemaDeps {
  base: GraphQLSchema;
  store: Store;
  /** A Zoho call for a connection outside any request (token, DC routing and retries included). */
  call<T>(tenantId: string, connectionName: string, call: ZohoCall): Promise<ZohoResult<T>>;
  metadata: MetadataService;
  /**
   * Whom the connection's metadata is read as now (its data centre, Zoho org and user), or null
   * when it is not connected: a stored snapshot of someone else (the tenant reconnected to another
   * org, or as a user of another profile) is not built from. Absent: every snapshot is trusted.
   */
  owner?(tenantId: string, connectionName: string): Promise<string | null>;
  log: Logger;
  now?: () => number;
  settings?: Partial<TypedSchemaSettings>;
}

interface Snapshot {
  v: 1;
  fetchedAt: number;
  /** TypedSchemaDeps.owner when it was read (absent in snapshots stored before it was kept). */
  owner?: string | null;
  metadata: OrgMetadata;
  names: NameMap;
}

interface ConnectionState {
  hash: string | null;
  /** When the metadata the schema was built from was read from Zoho (the TTL runs from there). */
  checkedAt: number;
  failedAt: number;
  /** When a stale field last started a refresh. */
  staleAt: number;
  /** The last load started (loads of one connection run one after another). */
  work: Promise<string | null> | null;
  /** A refreshSchema load queued behind another, not started yet: later refreshSchema calls join it. */
  queuedRefresh: Promise<string | null> | null;
  /** When this instance stored the connection's last mapping changes (MAPPING_CHANGES_PER_MINUTE). */
  mappingChanges: number[];
  /** The stored version id the schema was built from (null: none stored yet, or unreadable then). */
  version: string | null;
  /** When a request last started a read of the stored version (VERSION_CHECK_INTERVAL_MS). */
  versionCheckedAt: number;
}

const newState = (): ConnectionState => ({
  hash: null,
  checkedAt: 0,
  failedAt: 0,
  staleAt: Number.NEGATIVE_INFINITY,
  work: null,
  queuedRefresh: null,
  mappingChanges: [],
  version: null,
  versionCheckedAt: Number.NEGATIVE_INFINITY,
});

interface Cached {
  schema: GraphQLSchema;
  shape: OrgShape;
  bytes: number;
}

export interface TypedSchemaChoice {
  schema: GraphQLSchema;
  /** The typed schema's shape hash, or null when the generic schema answers. */
  hash: string | null;
}

const storeKey = (kind: 'snapshot' | 'mapping' | 'version', tenantId: string, connectionName: string) => `typed:${kind}:${encodeURIComponent(tenantId)}:${encodeURIComponent(connectionName)}`;

export class TypedSchemas implements TypedSchemaControl {
  private readonly settings: TypedSchemaSettings;
  private readonly now: () => number;
  private readonly reserved: ReservedNames;
  private readonly connections = new Map<string, ConnectionState>();
  /** Built schemas by shape hash, least recently used first. */
  private readonly schemas = new Map<string, Cached>();
  private bytes = 0;
  private readonly sdl = new WeakMap<GraphQLSchema, string>();
  /** Builds done (for tests and metrics: a shared shape builds once). */
  builds = 0;
  /** Loads (first builds, refreshes) running or queued now. */
  private loading = 0;

  constructor(private readonly deps: TypedSchemaDeps) {
    this.settings = { ...DEFAULT_TYPED_SETTINGS, ...deps.settings };
    this.now = deps.now ?? Date.now;
    this.reserved = {
      types: new Set(Object.keys(deps.base.getTypeMap())),
      mutations: new Set(Object.keys(deps.base.getMutationType()?.getFields() ?? {})),
    };
  }

  /** The schema a request of this connection runs on; never throws (the generic schema is the fallback). */
  async forConnection(tenantId: string, connectionName: string): Promise<TypedSchemaChoice> {
    const key = metadataKey(tenantId, connectionName);
    const now = this.now();
    let state = this.connections.get(key);
    if (state) this.touch(key, state);
    const cached = state?.hash ? this.hit(state.hash) : undefined;
    if (state && cached) {
      if (now - state.checkedAt >= this.settings.ttlMs && !state.work) void this.startWork(state, tenantId, connectionName, 'fresh');
      else if (now - state.versionCheckedAt >= VERSION_CHECK_INTERVAL_MS && !state.work) {
        state.versionCheckedAt = now;
        void this.checkVersion(state, tenantId, connectionName);
      }
      return { schema: cached.schema, hash: state.hash };
    }
    if (state && !state.work && now - state.failedAt < RETRY_AFTER_FAILURE_MS) return this.generic();
    state ??= this.stateOf(key);
    const work = state.work ?? this.startWork(state, tenantId, connectionName, 'stored');
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The load waited on may be a refreshSchema's, which rejects when it fails: this one never does.
    const hash = await Promise.race([work.catch(() => null), new Promise<null>((resolve) => (timer = setTimeout(resolve, this.settings.waitMs, null)))]);
    clearTimeout(timer);
    const ready = hash ? this.hit(hash) : undefined;
    return ready ? { schema: ready.schema, hash } : this.generic();
  }

  /**
   * Reads the connection's metadata from Zoho now and builds its schema if the shape changed
   * (`refreshSchema`); the old schema serves until the new one is ready.
   */
  async refresh(tenantId: string, connectionName: string): Promise<{ hash: string; changed: boolean }> {
    const state = this.stateOf(metadataKey(tenantId, connectionName));
    const before = state.hash;
    // Queued after any load running, which may have read Zoho before the caller's change. One
    // not yet started reads Zoho after it too: joining it spares Zoho a read per repeated call.
    let queued = state.queuedRefresh;
    if (!queued && state.work) {
      const q = this.startWork(state, tenantId, connectionName, 'zoho', true, () => {
        if (state.queuedRefresh === q) state.queuedRefresh = null;
      });
      state.queuedRefresh = queued = q;
    }
    const hash = await (queued ?? this.startWork(state, tenantId, connectionName, 'zoho', true));
    if (!hash) throw new GatewayError('ZOHO_UNAVAILABLE', 'the schema could not be refreshed: Zoho’s metadata could not be read; the previous schema keeps serving', {});
    return { hash, changed: hash !== before };
  }

  /**
   * The connection was just made, remade or removed on this instance: forget what this instance
   * knows of it and let the next load read Zoho after serving the stored snapshot (another org may
   * be behind it now; the snapshot's owner check refuses a snapshot of another org outright). The
   * name map stays, so a reconnect to the same org keeps every name.
   */
  async connectionChanged(tenantId: string, connectionName: string): Promise<void> {
    this.connections.delete(metadataKey(tenantId, connectionName));
    const key = storeKey('snapshot', tenantId, connectionName);
    try {
      const snapshot = await this.deps.store.get<Snapshot>(key);
      if (snapshot) await this.deps.store.set(key, { ...snapshot, fetchedAt: 0 });
      // The other instances forget their schema of the old connection too (checkVersion).
      await this.writeVersion(tenantId, connectionName);
    } catch (err) {
      // The connection itself is done; an old snapshot only lives until SCHEMA_TTL.
      this.deps.log.warn({ tenantId, err: { message: errorMessage(err) } }, 'typed snapshot not marked for re-read');
    }
  }

  /** Zoho named a field the schema has as unknown: refresh in the background (once at a time, at most every STALE_REFRESH_INTERVAL_MS). */
  markStale(tenantId: string, connectionName: string): void {
    const state = this.connections.get(metadataKey(tenantId, connectionName));
    const now = this.now();
    if (!state || state.work || now - state.staleAt < STALE_REFRESH_INTERVAL_MS) return;
    state.staleAt = now;
    void this.startWork(state, tenantId, connectionName, 'zoho');
  }

  /** The shape a connection's current schema was built from (for the mapping check), building it if needed. */
  async shapeOf(tenantId: string, connectionName: string): Promise<{ shape: OrgShape; metadata: OrgMetadata } | null> {
    const snapshot = await this.storedSnapshot(tenantId, connectionName);
    if (snapshot) return { shape: deriveShape(snapshot.metadata, snapshot.names, await this.mapping(tenantId, connectionName)), metadata: snapshot.metadata };
    await this.refresh(tenantId, connectionName);
    const again = await this.storedSnapshot(tenantId, connectionName);
    return again ? { shape: deriveShape(again.metadata, again.names, await this.mapping(tenantId, connectionName)), metadata: again.metadata } : null;
  }

  /**
   * Stores a tenant's mapped names for one module (replacing the module's earlier ones) and
   * rebuilds. Refused with BAD_USER_INPUT naming the entry: an unknown field, a name that is not a
   * lowerCamelCase GraphQL name, or one that clashes with a field of the type or another mapping.
   */
  async setMapping(tenantId: string, connectionName: string, module: string, mappings: readonly { name: string; field: string }[]): Promise<{ hash: string }> {
    if (mappings.length > MAX_MAPPINGS_PER_MODULE) {
      throw new GatewayError('BAD_USER_INPUT', `mappings has ${mappings.length} entries; a module takes at most ${MAX_MAPPINGS_PER_MODULE} mapped names`, {
        argument: 'mappings',
        limit: 'mappings',
        maximum: MAX_MAPPINGS_PER_MODULE,
      });
    }
    const current = await this.shapeOf(tenantId, connectionName);
    const mod = current?.metadata.modules.find((m) => m.apiName === module);
    if (!current || !mod) throw new GatewayError('BAD_USER_INPUT', `module "${module.slice(0, 100)}" is not a module of this connection’s typed schema`, { argument: 'module', module });
    const typed = current.shape.modules.find((m) => m.apiName === module)!;
    const own = new Set(typed.fields.filter((f) => !f.mapped).flatMap((f) => (f.idName ? [f.name, f.idName] : [f.name])));
    const seen = new Set<string>();
    for (const [index, m] of mappings.entries()) {
      const at = { argument: 'mappings', index, name: m.name, field: m.field };
      if (!MAPPED_NAME.test(m.name))
        throw new GatewayError('BAD_USER_INPUT', `mappings[${index}].name "${m.name.slice(0, 64)}" must be a lowerCamelCase GraphQL name (a letter, then letters and digits)`, at);
      if (!mod.fields.some((f) => f.apiName === m.field)) throw new GatewayError('BAD_USER_INPUT', `mappings[${index}].field "${m.field.slice(0, 100)}" is not a field of ${module}`, at);
      const taken = own.has(m.name) || own.has(`${m.name}Id`) || ['id', 'and', 'or'].includes(m.name);
      if (taken || seen.has(m.name))
        throw new GatewayError('BAD_USER_INPUT', `mappings[${index}].name "${m.name}" clashes with ${seen.has(m.name) ? 'another mapping' : `a field of ${typed.typeName}`}`, at);
      seen.add(m.name);
    }
    const all = await this.mapping(tenantId, connectionName);
    const state = this.stateOf(metadataKey(tenantId, connectionName));
    const now = this.now();
    state.mappingChanges = state.mappingChanges.filter((t) => now - t < 60_000);
    if (state.mappingChanges.length >= MAPPING_CHANGES_PER_MINUTE) {
      const retryAfterSeconds = Math.max(1, Math.ceil((state.mappingChanges[0]! + 60_000 - now) / 1000));
      throw new GatewayError('RATE_LIMITED', `at most ${MAPPING_CHANGES_PER_MINUTE} mapping changes a minute per connection (each rebuilds the schema); try again in ${retryAfterSeconds} s`, {
        limit: 'mappingChanges',
        maximum: MAPPING_CHANGES_PER_MINUTE,
        retryAfterSeconds,
      });
    }
    state.mappingChanges.push(now);
    if (mappings.length) all[module] = mappings.map((m) => ({ name: m.name, field: m.field }));
    else delete all[module];
    await this.deps.store.set(storeKey('mapping', tenantId, connectionName), all);
    // After the mapping, so an instance that sees the new version reads the new mapping. Not
    // fatal: the mapping is stored; the others then learn of it at their next refresh.
    await this.writeVersion(tenantId, connectionName).catch((err: unknown) => {
      this.deps.log.warn({ tenantId, err: { message: errorMessage(err) } }, 'typed version not written');
    });
    // The mapping is part of the shape: rebuild from the stored snapshot, no Zoho call. Queued
    // after any load running, which may have read the mapping before it changed.
    const hash = await this.startWork(state, tenantId, connectionName, 'stored');
    if (!hash) throw new GatewayError('ZOHO_UNAVAILABLE', 'the mapping is stored but the schema could not be rebuilt yet; the next request retries', {});
    return { hash };
  }

  /** A new version id for the connection's stored schema inputs; returns it. */
  private async writeVersion(tenantId: string, connectionName: string): Promise<string> {
    const version = randomBytes(9).toString('base64url');
    await this.deps.store.set(storeKey('version', tenantId, connectionName), version);
    return version;
  }

  /** The stored version id, or null when there is none or the store does not answer (a request never fails for it). */
  private async readVersion(tenantId: string, connectionName: string): Promise<string | null> {
    try {
      const v = await this.deps.store.get<unknown>(storeKey('version', tenantId, connectionName));
      return typeof v === 'string' ? v : null;
    } catch (err) {
      this.deps.log.debug({ tenantId, err: { message: errorMessage(err) } }, 'typed version not read');
      return null;
    }
  }

  /**
   * Background (never awaited by a request): another instance changed the connection's snapshot
   * or mapping since this one built → rebuild from the store (no Zoho call). No version stored, or
   * none readable, is no news: the TTL refresh still applies.
   */
  private async checkVersion(state: ConnectionState, tenantId: string, connectionName: string): Promise<void> {
    const version = await this.readVersion(tenantId, connectionName);
    if (version === null || version === state.version || state.work) return;
    // A state forgotten meanwhile (connectionChanged, LRU) is rebuilt by its next request.
    if (this.connections.get(metadataKey(tenantId, connectionName)) !== state) return;
    void this.startWork(state, tenantId, connectionName, 'stored');
  }

  async mapping(tenantId: string, connectionName: string): Promise<FieldMapping> {
    // Plain JSON in the store: an entry setFieldMapping would have refused is left out.
    return usableMappings(await this.deps.store.get<unknown>(storeKey('mapping', tenantId, connectionName)));
  }

  /**
   * The stored snapshot, or undefined when there is none or it is not one the gateway could have
   * written (snapshot-check.ts: whoever writes the store must not choose the api names that go
   * into Zoho URLs and COQL): the load then reads Zoho again and overwrites it.
   */
  private async storedSnapshot(tenantId: string, connectionName: string): Promise<Snapshot | undefined> {
    const snapshot = await this.deps.store.get<Snapshot>(storeKey('snapshot', tenantId, connectionName));
    if (!snapshot) return undefined;
    // A date past now + SCHEMA_TTL (more than another instance's clock skew) would keep the TTL from ever running out.
    const problem =
      snapshot.v !== 1 || typeof snapshot.fetchedAt !== 'number'
        ? 'version'
        : snapshot.fetchedAt > this.now() + this.settings.ttlMs
          ? 'fetchedAt in the future'
          : snapshotProblem(snapshot.metadata, snapshot.names, this.reserved);
    if (!problem) return snapshot;
    this.deps.log.warn({ tenantId, problem }, 'stored typed snapshot refused; reading Zoho again');
    return undefined;
  }

  /** The SDL of a schema, printed once per schema object. */
  printed(schema: GraphQLSchema): string {
    let text = this.sdl.get(schema);
    if (text === undefined) {
      text = printSchema(schema);
      this.sdl.set(schema, text);
      // The text lives as long as its schema, and is not small (two bytes a character: the
      // descriptions' typographic quotes make it a UTF-16 string; 70 % of the schema's own heap in
      // the bench's medium org): count it in the bytes bound.
      for (const c of this.schemas.values()) {
        if (c.schema !== schema) continue;
        c.bytes += text.length * 2;
        this.bytes += text.length * 2;
        break;
      }
      // Else every tenant printing its SDL once held the cache past SCHEMA_CACHE_MB until the next build.
      this.trim();
    }
    return text;
  }

  stats(): { schemas: number; bytes: number; connections: number; builds: number; loading: number } {
    return { schemas: this.schemas.size, bytes: this.bytes, connections: this.connections.size, builds: this.builds, loading: this.loading };
  }

  private generic(): TypedSchemaChoice {
    return { schema: this.deps.base, hash: null };
  }

  private hit(hash: string): Cached | undefined {
    const c = this.schemas.get(hash);
    if (c) {
      this.schemas.delete(hash);
      this.schemas.set(hash, c);
    }
    return c;
  }

  /** The connection's state, made (and the oldest unused ones forgotten) when absent. */
  private stateOf(key: string): ConnectionState {
    let state = this.connections.get(key);
    if (state) return state;
    state = newState();
    this.connections.set(key, state);
    // Connection states are small, but one is made per connection name a valid JWT carries: keep
    // the most recently used ones (a forgotten one reloads from its stored snapshot).
    if (this.connections.size > this.settings.maxSchemas * 100) this.connections.delete(this.connections.keys().next().value!);
    return state;
  }

  /** Marks a state as just used (the connections map is least recently used first). */
  private touch(key: string, state: ConnectionState): void {
    this.connections.delete(key);
    this.connections.set(key, state);
  }

  /**
   * Queues a load of the connection's schema after the one running, if any; resolves to its hash,
   * or null on failure. One at a time, so the last load started is the last to set the hash: an
   * earlier read of Zoho or of the mapping never replaces a later one.
   */
  private startWork(state: ConnectionState, tenantId: string, connectionName: string, mode: LoadMode, rethrow = false, onStart?: () => void): Promise<string | null> {
    const self: { work?: Promise<string | null> } = {};
    const before = state.work;
    this.loading++;
    const work = (async () => {
      if (before) await before.catch(() => null);
      onStart?.();
      try {
        const { hash, fetchedAt, version } = await this.load(tenantId, connectionName, mode);
        const previous = state.hash;
        state.hash = hash;
        state.checkedAt = fetchedAt;
        state.version = version;
        // The load just read the version: the next check can wait a full interval.
        state.versionCheckedAt = this.now();
        if (previous && previous !== hash) this.release(previous);
        return hash;
      } catch (err) {
        // No connection yet is found from the store without calling Zoho, so it is asked again on
        // every request: the tenant who connects (on any instance) gets a typed schema on the next
        // one, not RETRY_AFTER_FAILURE_MS later.
        const notConnected = err instanceof GatewayError && err.code === 'ZOHO_NOT_CONNECTED';
        if (!notConnected) state.failedAt = this.now();
        // An expired schema keeps serving; try Zoho again after the TTL, not on every request.
        if (state.hash) state.checkedAt = this.now();
        this.deps.log[notConnected ? 'debug' : 'warn'](
          { tenantId, err: err instanceof GatewayError ? { code: err.code, message: err.message } : { message: errorMessage(err) } },
          'typed schema not built',
        );
        // refreshSchema says why (STORE_UNAVAILABLE, ZOHO_…); anything else is masked as INTERNAL, not blamed on Zoho.
        if (rethrow) throw err;
        return null;
      } finally {
        this.loading--;
        if (state.work === self.work) state.work = null;
      }
    })();
    self.work = work;
    state.work = work;
    return work;
  }

  /** Snapshot (stored, or from Zoho: see LoadMode) → shape → schema (shared by hash). */
  private async load(tenantId: string, connectionName: string, mode: LoadMode): Promise<{ hash: string; fetchedAt: number; version: string | null }> {
    const snapKey = storeKey('snapshot', tenantId, connectionName);
    // Read before the snapshot and the mapping: a change stored after this read carries a newer
    // version, which the next checkVersion then sees (a change read twice costs a cache hit).
    let version = await this.readVersion(tenantId, connectionName);
    let snapshot = await this.storedSnapshot(tenantId, connectionName);
    const owner = this.deps.owner ? await this.deps.owner(tenantId, connectionName) : undefined;
    if (owner === null) throw new GatewayError('ZOHO_NOT_CONNECTED', 'No Zoho CRM account is connected for this tenant; connect one first', { connectionName });
    // A snapshot from before owners were kept is trusted: refusing it would make every connection
    // read Zoho at once after an upgrade.
    const someoneElse = snapshot !== undefined && owner !== undefined && snapshot.owner !== undefined && snapshot.owner !== owner;
    const mapping = await this.mapping(tenantId, connectionName);
    if (mode === 'zoho' || !snapshot || someoneElse || (mode === 'fresh' && this.now() - snapshot.fetchedAt >= this.settings.ttlMs)) {
      const metadata = await this.fetchMetadata(tenantId, connectionName);
      // Names kept even for another org: they only apply to api names both have.
      const mapped = Object.fromEntries(Object.entries(mapping).map(([module, list]) => [module, list.map((m) => m.name)]));
      const names = assignNames({ modules: metadata.modules, subforms: metadata.subforms, previous: snapshot?.names, reserved: this.reserved, mapped });
      snapshot = { v: 1, fetchedAt: this.now(), ...(owner !== undefined ? { owner } : {}), metadata, names };
      await this.deps.store.set(snapKey, snapshot);
      // Any snapshot read from Zoho (refreshSchema, a stale field, the TTL, a reconnect) is news
      // to the other instances. Not fatal: they learn of it at their next refresh.
      version = await this.writeVersion(tenantId, connectionName).catch((err: unknown) => {
        this.deps.log.warn({ tenantId, err: { message: errorMessage(err) } }, 'typed version not written');
        return version;
      });
    }
    const shape = deriveShape(snapshot.metadata, snapshot.names, mapping);
    const hash = createHash('sha256').update(`${BUILD_VERSION}:`).update(JSON.stringify(shape)).digest('base64url').slice(0, 24);
    const fetchedAt = snapshot.fetchedAt;
    if (this.hit(hash)) return { hash, fetchedAt, version };
    // Synchronous on purpose: a build is CPU work with nothing to wait for, so builds of one
    // process run one at a time by construction, and two connections of a new shape cannot both
    // start one (the second finds the first's result above).
    const schema = buildTypedSchema(this.deps.base, shape, createTypedResolvers(shape, { staleShape: (ctx) => this.markStale(ctx.caller.tenantId, ctx.caller.connectionName) }));
    // graphql-js validates a schema on its first execution (and caches it): done here, that cost
    // (a tenth of the build) stays off the first request, and an invalid schema is a failed build
    // (generic schema) rather than an error on every request.
    assertValidSchema(schema);
    this.builds++;
    this.keep(hash, { schema, shape, bytes: JSON.stringify(shape).length * BYTES_PER_SHAPE_BYTE });
    return { hash, fetchedAt, version };
  }

  /**
   * Drops a schema no connection uses any more (its connection moved to another shape), so one
   * tenant remapping its fields again and again cannot push other tenants' schemas out of the LRU.
   */
  private release(hash: string): void {
    for (const state of this.connections.values()) if (state.hash === hash) return;
    const c = this.schemas.get(hash);
    if (!c) return;
    this.schemas.delete(hash);
    this.bytes -= c.bytes;
  }

  private keep(hash: string, built: Cached): void {
    if (!this.schemas.has(hash)) this.bytes += built.bytes;
    this.schemas.set(hash, built);
    this.trim();
  }

  private trim(): void {
    // Least recently used first; the newest always stays, even if alone it exceeds the bytes bound.
    while (this.schemas.size > 1 && (this.schemas.size > this.settings.maxSchemas || this.bytes > this.settings.maxBytes)) {
      const [oldest, c] = this.schemas.entries().next().value!;
      this.schemas.delete(oldest);
      this.bytes -= c.bytes;
    }
  }

  /** Modules the connection can read, their fields and their subforms' row fields, fresh from Zoho. */
  private async fetchMetadata(tenantId: string, connectionName: string): Promise<OrgMetadata> {
    const key = metadataKey(tenantId, connectionName);
    const fetch: ZohoFetch = (call) => this.deps.call(tenantId, connectionName, call);
    this.deps.metadata.invalidate(key);
    const [all, profile] = await Promise.all([this.deps.metadata.modules(key, fetch), currentProfile(fetch)]);
    const visible = (fields: FieldMeta[]) => forProfile(fields, profile);
    const readable = await Promise.all(
      all.map(async (m) => {
        try {
          return { apiName: m.apiName, label: m.pluralLabel, fields: visible(await this.deps.metadata.fields(key, m.apiName, fetch)) };
        } catch (err) {
          // A module the connection's profile may not read is left out, as Zoho leaves it out of reach.
          if (err instanceof GatewayError && (err.code === 'ZOHO_NO_PERMISSION' || err.code === 'ZOHO_SCOPE_MISSING' || err.code === 'ZOHO_INVALID_MODULE')) return null;
          throw err;
        }
      }),
    );
    const modules = readable.filter((m): m is NonNullable<typeof m> => m !== null).sort((a, b) => (a.apiName < b.apiName ? -1 : 1));
    const subforms: Record<string, FieldMeta[]> = {};
    const wanted = [...new Set(modules.flatMap((m) => m.fields.flatMap((f) => (f.subformModule ? [f.subformModule] : []))))].sort();
    await Promise.all(
      wanted.map(async (s) => {
        subforms[s] = visible(await this.deps.metadata.fields(key, s, fetch));
      }),
    );
    return {
      modules,
      subforms: Object.fromEntries(
        Object.keys(subforms)
          .sort()
          .map((k) => [k, subforms[k]!]),
      ),
    };
  }
}

/** The connected user's profile (`GET /users?type=CurrentUser`), whose field permissions apply. */
async function currentProfile(fetch: ZohoFetch): Promise<{ id: string; name: string } | null> {
  const res = await fetch<{ users?: { profile?: { id?: string; name?: string } }[] }>({ method: 'GET', path: '/users', query: { type: 'CurrentUser' } });
  const p = res.body?.users?.[0]?.profile;
  return p ? { id: String(p.id ?? ''), name: p.name ?? '' } : null;
}

/**
 * Fields as the connection's profile sees them: hidden ones left out (Zoho does not return their
 * values to it either), read-only ones read-only. The per-profile list is dropped once applied:
 * the snapshot keeps only what the schema needs.
 */
function forProfile(fields: FieldMeta[], profile: { id: string; name: string } | null): FieldMeta[] {
  const out: FieldMeta[] = [];
  for (const f of fields) {
    const p = profile ? f.profiles.find((x) => (x.id && x.id === profile.id) || x.name === profile.name) : undefined;
    if (p?.permission === 'hidden') continue;
    out.push({ ...f, readOnly: f.readOnly || p?.permission === 'read_only', profiles: [] });
  }
  return out;
}
