import { createHash } from 'node:crypto';
import { assertValidSchema, printSchema, type GraphQLSchema } from 'graphql';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { FieldMeta, MetadataService, ZohoFetch } from '../records/metadata.js';
import type { Store } from '../store/index.js';
import type { ZohoCall, ZohoResult } from '../zoho/client.js';
import { buildTypedSchema } from './build.js';
import { deriveShape, type FieldMapping, type OrgMetadata } from './derive.js';
import { assignNames, MAPPED_NAME, type NameMap, type ReservedNames } from './naming.js';
import { createTypedResolvers } from './resolve.js';
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
 * its name for as long as it exists.
 */

/** Bump when the builder's output changes for the same shape (schemas cached by hash elsewhere). */
const BUILD_VERSION = 1;
/** After a failed build (Zoho unreachable, not connected), how long the generic schema is used before trying again. */
const RETRY_AFTER_FAILURE_MS = 5_000;

export interface TypedSchemaSettings {
  /** SCHEMA_TTL: how old a connection's metadata may get before a request starts a refresh (ms). */
  ttlMs: number;
  /** How long the first request of a connection waits for its build before the generic schema answers (ms). */
  waitMs: number;
  /** Schemas kept in memory (least recently used go first). */
  maxSchemas: number;
  /** Estimated bytes of all schemas kept (schema-size estimate: shape JSON × BYTES_PER_SHAPE_BYTE). */
  maxBytes: number;
  /** Schema builds running at once (CPU work); more wait their turn. */
  maxConcurrentBuilds: number;
}

export const DEFAULT_TYPED_SETTINGS: TypedSchemaSettings = { ttlMs: 10 * 60_000, waitMs: 1_500, maxSchemas: 200, maxBytes: 512 * 1024 * 1024, maxConcurrentBuilds: 2 };

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
  log: Logger;
  now?: () => number;
  settings?: Partial<TypedSchemaSettings>;
}

interface Snapshot {
  v: 1;
  fetchedAt: number;
  metadata: OrgMetadata;
  names: NameMap;
}

interface ConnectionState {
  hash: string | null;
  checkedAt: number;
  failedAt: number;
  /** The refresh or first build in flight. */
  work: Promise<string | null> | null;
}

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

/** The key the per-request metadata uses for a connection (http/yoga.ts). */
export const connectionKey = (tenantId: string, connectionName: string) => `${tenantId}:${connectionName}`;
const storeKey = (kind: 'snapshot' | 'mapping', tenantId: string, connectionName: string) => `typed:${kind}:${encodeURIComponent(tenantId)}:${encodeURIComponent(connectionName)}`;

/** A counting semaphore: at most `max` holders; the rest queue in order. */
class Slots {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => T): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

export class TypedSchemas {
  private readonly settings: TypedSchemaSettings;
  private readonly now: () => number;
  private readonly reserved: ReservedNames;
  private readonly connections = new Map<string, ConnectionState>();
  /** Built schemas by shape hash, least recently used first. */
  private readonly schemas = new Map<string, Cached>();
  private bytes = 0;
  /** Builds in flight by shape hash: two connections of one new shape build it once. */
  private readonly building = new Map<string, Promise<Cached>>();
  private readonly slots: Slots;
  private readonly sdl = new WeakMap<GraphQLSchema, string>();
  /** Builds done (for tests and metrics: a shared shape builds once). */
  builds = 0;

  constructor(private readonly deps: TypedSchemaDeps) {
    this.settings = { ...DEFAULT_TYPED_SETTINGS, ...deps.settings };
    this.now = deps.now ?? Date.now;
    this.slots = new Slots(this.settings.maxConcurrentBuilds);
    this.reserved = {
      types: new Set(Object.keys(deps.base.getTypeMap())),
      mutations: new Set(Object.keys(deps.base.getMutationType()?.getFields() ?? {})),
    };
  }

  /** The schema a request of this connection runs on; never throws (the generic schema is the fallback). */
  async forConnection(tenantId: string, connectionName: string): Promise<TypedSchemaChoice> {
    const key = connectionKey(tenantId, connectionName);
    const now = this.now();
    let state = this.connections.get(key);
    const cached = state?.hash ? this.hit(state.hash) : undefined;
    if (state && cached) {
      if (now - state.checkedAt >= this.settings.ttlMs && !state.work) void this.startWork(key, state, tenantId, connectionName, true);
      return { schema: cached.schema, hash: state.hash };
    }
    if (state && !state.work && now - state.failedAt < RETRY_AFTER_FAILURE_MS) return this.generic();
    if (!state) {
      state = { hash: null, checkedAt: 0, failedAt: 0, work: null };
      this.remember(key, state);
    }
    const work = state.work ?? this.startWork(key, state, tenantId, connectionName, false);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hash = await Promise.race([work, new Promise<null>((resolve) => (timer = setTimeout(resolve, this.settings.waitMs, null)))]);
    clearTimeout(timer);
    const ready = hash ? this.hit(hash) : undefined;
    return ready ? { schema: ready.schema, hash } : this.generic();
  }

  /**
   * Reads the connection's metadata from Zoho now and builds its schema if the shape changed
   * (`refreshSchema`); the old schema serves until the new one is ready.
   */
  async refresh(tenantId: string, connectionName: string): Promise<{ hash: string; changed: boolean }> {
    const key = connectionKey(tenantId, connectionName);
    let state = this.connections.get(key);
    if (!state) {
      state = { hash: null, checkedAt: 0, failedAt: 0, work: null };
      this.remember(key, state);
    }
    const before = state.hash;
    // A refresh already running may have read Zoho before the caller's change: wait, then read again.
    if (state.work) await state.work.catch(() => null);
    const hash = await this.startWork(key, state, tenantId, connectionName, true, true);
    if (!hash) throw new GatewayError('ZOHO_UNAVAILABLE', 'the schema could not be refreshed: Zoho’s metadata could not be read; the previous schema keeps serving', {});
    return { hash, changed: hash !== before };
  }

  /** Zoho named a field the schema has as unknown: refresh in the background (once at a time). */
  markStale(tenantId: string, connectionName: string): void {
    const key = connectionKey(tenantId, connectionName);
    const state = this.connections.get(key);
    if (state && !state.work) void this.startWork(key, state, tenantId, connectionName, true);
  }

  /** The shape a connection's current schema was built from (for the mapping check), building it if needed. */
  async shapeOf(tenantId: string, connectionName: string): Promise<{ shape: OrgShape; metadata: OrgMetadata } | null> {
    const snapshot = await this.deps.store.get<Snapshot>(storeKey('snapshot', tenantId, connectionName));
    if (snapshot?.v === 1) return { shape: deriveShape(snapshot.metadata, snapshot.names, await this.mapping(tenantId, connectionName)), metadata: snapshot.metadata };
    await this.refresh(tenantId, connectionName);
    const again = await this.deps.store.get<Snapshot>(storeKey('snapshot', tenantId, connectionName));
    return again ? { shape: deriveShape(again.metadata, again.names, await this.mapping(tenantId, connectionName)), metadata: again.metadata } : null;
  }

  /**
   * Stores a tenant's mapped names for one module (replacing the module's earlier ones) and
   * rebuilds. Refused with BAD_USER_INPUT naming the entry: an unknown field, a name that is not a
   * lowerCamelCase GraphQL name, or one that clashes with a field of the type or another mapping.
   */
  async setMapping(tenantId: string, connectionName: string, module: string, mappings: readonly { name: string; field: string }[]): Promise<{ hash: string }> {
    const current = await this.shapeOf(tenantId, connectionName);
    const mod = current?.metadata.modules.find((m) => m.apiName === module);
    if (!current || !mod) throw new GatewayError('BAD_USER_INPUT', `module "${module.slice(0, 100)}" is not a module of this connection’s typed schema`, { argument: 'module', module });
    const typed = current.shape.modules.find((m) => m.apiName === module)!;
    const own = new Set(typed.fields.filter((f) => !f.mapped).flatMap((f) => (f.idName ? [f.name, f.idName] : [f.name])));
    const seen = new Set<string>();
    for (const [index, m] of mappings.entries()) {
      const at = { argument: 'mappings', index, name: m.name, field: m.field };
      if (!MAPPED_NAME.test(m.name)) throw new GatewayError('BAD_USER_INPUT', `mappings[${index}].name "${m.name.slice(0, 64)}" must be a lowerCamelCase GraphQL name (a letter, then letters and digits)`, at);
      if (!mod.fields.some((f) => f.apiName === m.field)) throw new GatewayError('BAD_USER_INPUT', `mappings[${index}].field "${m.field.slice(0, 100)}" is not a field of ${module}`, at);
      const taken = own.has(m.name) || own.has(`${m.name}Id`) || ['id', 'and', 'or'].includes(m.name);
      if (taken || seen.has(m.name)) throw new GatewayError('BAD_USER_INPUT', `mappings[${index}].name "${m.name}" clashes with ${seen.has(m.name) ? 'another mapping' : `a field of ${typed.typeName}`}`, at);
      seen.add(m.name);
    }
    const all = await this.mapping(tenantId, connectionName);
    if (mappings.length) all[module] = mappings.map((m) => ({ name: m.name, field: m.field }));
    else delete all[module];
    await this.deps.store.set(storeKey('mapping', tenantId, connectionName), all);
    // The mapping is part of the shape: rebuild from the stored snapshot, no Zoho call.
    const key = connectionKey(tenantId, connectionName);
    let state = this.connections.get(key);
    if (!state) {
      state = { hash: null, checkedAt: 0, failedAt: 0, work: null };
      this.remember(key, state);
    }
    if (state.work) await state.work.catch(() => null);
    const hash = await this.startWork(key, state, tenantId, connectionName, false);
    if (!hash) throw new GatewayError('ZOHO_UNAVAILABLE', 'the mapping is stored but the schema could not be rebuilt yet; the next request retries', {});
    return { hash };
  }

  async mapping(tenantId: string, connectionName: string): Promise<FieldMapping> {
    return (await this.deps.store.get<FieldMapping>(storeKey('mapping', tenantId, connectionName))) ?? {};
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
    }
    return text;
  }

  stats(): { schemas: number; bytes: number; connections: number; builds: number } {
    return { schemas: this.schemas.size, bytes: this.bytes, connections: this.connections.size, builds: this.builds };
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

  private remember(key: string, state: ConnectionState): void {
    this.connections.set(key, state);
    // Connection states are small; keep the most recent ones.
    if (this.connections.size > this.settings.maxSchemas * 100) this.connections.delete(this.connections.keys().next().value!);
  }

  /** Runs (single-flight per connection) the load or refresh of a connection's schema; resolves to its hash, or null on failure. */
  private startWork(key: string, state: ConnectionState, tenantId: string, connectionName: string, fromZoho: boolean, rethrow = false): Promise<string | null> {
    const self: { work?: Promise<string | null> } = {};
    const work = (async () => {
      try {
        const hash = await this.load(tenantId, connectionName, fromZoho);
        state.hash = hash;
        state.checkedAt = this.now();
        return hash;
      } catch (err) {
        state.failedAt = this.now();
        // An expired schema keeps serving; try Zoho again after the TTL, not on every request.
        if (state.hash) state.checkedAt = this.now();
        this.deps.log.warn({ tenantId, err: err instanceof GatewayError ? { code: err.code, message: err.message } : { message: err instanceof Error ? err.message : String(err) } }, 'typed schema not built');
        if (rethrow && err instanceof GatewayError && err.code !== 'INTERNAL') throw err;
        return null;
      } finally {
        if (state.work === self.work) state.work = null;
      }
    })();
    self.work = work;
    state.work = work;
    return work;
  }

  /** Snapshot (stored, or from Zoho when stale or asked for) → shape → schema (shared by hash). */
  private async load(tenantId: string, connectionName: string, fromZoho: boolean): Promise<string> {
    const snapKey = storeKey('snapshot', tenantId, connectionName);
    let snapshot = await this.deps.store.get<Snapshot>(snapKey);
    if (snapshot && (snapshot.v !== 1 || !snapshot.metadata || !snapshot.names)) snapshot = undefined;
    if (fromZoho || !snapshot || this.now() - snapshot.fetchedAt >= this.settings.ttlMs) {
      const metadata = await this.fetchMetadata(tenantId, connectionName);
      const names = assignNames({ modules: metadata.modules, previous: snapshot?.names, reserved: this.reserved });
      snapshot = { v: 1, fetchedAt: this.now(), metadata, names };
      await this.deps.store.set(snapKey, snapshot);
    }
    const shape = deriveShape(snapshot.metadata, snapshot.names, await this.mapping(tenantId, connectionName));
    const hash = createHash('sha256').update(`${BUILD_VERSION}:`).update(JSON.stringify(shape)).digest('base64url').slice(0, 24);
    if (this.hit(hash)) return hash;
    let build = this.building.get(hash);
    if (!build) {
      build = this.slots
        .run(() => {
          const schema = buildTypedSchema(this.deps.base, shape, createTypedResolvers(shape, { staleShape: (ctx) => this.markStale(ctx.caller.tenantId, ctx.caller.connectionName) }));
          // graphql-js validates a schema on its first execution (and caches it): done here, that
          // cost (a tenth of the build) stays off the first request, and an invalid schema is a
          // failed build (generic schema) rather than an error on every request.
          assertValidSchema(schema);
          this.builds++;
          return { schema, shape, bytes: JSON.stringify(shape).length * BYTES_PER_SHAPE_BYTE };
        })
        .finally(() => this.building.delete(hash));
      this.building.set(hash, build);
    }
    this.keep(hash, await build);
    return hash;
  }

  private keep(hash: string, built: Cached): void {
    if (!this.schemas.has(hash)) this.bytes += built.bytes;
    this.schemas.set(hash, built);
    // Least recently used first; the newest always stays, even if alone it exceeds the bytes bound.
    while (this.schemas.size > 1 && (this.schemas.size > this.settings.maxSchemas || this.bytes > this.settings.maxBytes)) {
      const [oldest, c] = this.schemas.entries().next().value!;
      this.schemas.delete(oldest);
      this.bytes -= c.bytes;
    }
  }

  /** Modules the connection can read, their fields and their subforms' row fields, fresh from Zoho. */
  private async fetchMetadata(tenantId: string, connectionName: string): Promise<OrgMetadata> {
    const key = connectionKey(tenantId, connectionName);
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
    return { modules, subforms: Object.fromEntries(Object.keys(subforms).sort().map((k) => [k, subforms[k]!])) };
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
