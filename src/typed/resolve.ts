import { Kind, type FieldNode, type GraphQLFieldResolver, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { requireScope } from '../auth/scopes.js';
import { GatewayError } from '../errors.js';
import type { GraphQLContext } from '../graphql/context.js';
import { embeddedUser } from '../graphql/loaders.js';
import { requireConnection } from '../graphql/schema/require-connection.js';
import { runRecordChanges } from '../graphql/sync-changes.js';
import type { ZRecord } from '../records/fields.js';
import { listRecords, MAX_PER_PAGE } from '../records/list.js';
import { fieldNodes } from '../records/selection.js';
import { assertRecordId } from '../records/validate.js';
import type { RecordView } from '../records/view.js';
import { createRecords, deleteRecords, updateRecords, upsertRecords, type WriteDeps, type WriteTrigger } from '../records/write.js';
import type { RecordResult } from '../records/write-outcomes.js';
import { COQL_LIMITS } from '../records/coql-limits.js';
import { decodeCoqlCursor, encodeCoqlCursor, queryKey } from './cursor.js';
import { compileCoql } from './filter.js';
import { coqlSelectable, zohoDateTime } from './values.js';
import type { OrgShape, TypedField, TypedModule } from './shape.js';

/**
 * Resolvers of the typed CRM. They hold no tenant: every Zoho call goes through `ctx.zoho` and
 * the per-request loaders, bound to the caller's connection by http/yoga.ts, so a schema shared by
 * several connections of one shape never mixes their data.
 */

type Resolver<S = unknown> = GraphQLFieldResolver<S, GraphQLContext, Record<string, unknown>>;

/** The typed API's default page size (`first: Int = 50`). */
export const DEFAULT_FIRST = 50;

export interface TypedHooks {
  /** Zoho named a field the schema has but Zoho no longer knows: the shape is stale, rebuild it. */
  staleShape(ctx: GraphQLContext, module: string): void;
}

/** A module's fields by GraphQL name (the field itself, and the raw-id companion of lookups). */
interface ModuleIndex {
  module: TypedModule;
  byName: Map<string, { field: TypedField; asId: boolean }>;
}

function indexOf(m: TypedModule): ModuleIndex {
  const byName = new Map<string, { field: TypedField; asId: boolean }>();
  for (const f of m.fields) {
    byName.set(f.name, { field: f, asId: false });
    if (f.idName) byName.set(f.idName, { field: f, asId: true });
  }
  return { module: m, byName };
}

/** The field api names a selection set on a module type reads. */
function apiFieldsOf(index: ModuleIndex, set: SelectionSetNode | undefined, info: Pick<GraphQLResolveInfo, 'fragments'>): string[] {
  const out = new Set<string>();
  for (const node of fieldNodes(set, info)) {
    const hit = index.byName.get(node.name.value);
    if (hit) out.add(hit.field.apiName);
  }
  return [...out];
}

/** The selection sets under `path` (e.g. `nodes`) of every node of the current field. */
function subSelections(nodes: readonly FieldNode[], path: readonly string[], info: GraphQLResolveInfo): SelectionSetNode {
  let sets = nodes.map((n) => n.selectionSet).filter((s): s is SelectionSetNode => Boolean(s));
  for (const step of path)
    sets = sets.flatMap((s) =>
      fieldNodes(s, info)
        .filter((n) => n.name.value === step && n.selectionSet)
        .map((n) => n.selectionSet!),
    );
  return { kind: Kind.SELECTION_SET, selections: sets.flatMap((s) => s.selections) };
}

/** A field's value from a record, in the GraphQL type its kind promises (null when Zoho has none or it does not fit). */
export function readValue(f: TypedField): Resolver<RecordView> {
  const api = f.apiName;
  switch (f.kind) {
    case 'int':
    case 'float': {
      return (r) => {
        const v = r.data[api];
        const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
        if (!Number.isFinite(n)) return null;
        return f.kind === 'int' ? (Number.isSafeInteger(n) && Math.abs(n) <= 2 ** 31 - 1 ? n : null) : n;
      };
    }
    case 'boolean':
      return (r) => (typeof r.data[api] === 'boolean' ? r.data[api] : null);
    case 'multiselect':
      return (r) => {
        const v = r.data[api];
        return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
      };
    case 'subform':
      // Rows become RecordViews of the subform module, so row fields resolve like record fields.
      return (r) => {
        const v = r.data[api];
        return Array.isArray(v) ? v.filter((x) => x && typeof x === 'object').map((row) => ({ module: f.subform!.module, data: row as ZRecord })) : null;
      };
    case 'json':
      return (r) => r.data[api] ?? null;
    default:
      return (r) => {
        const v = r.data[api];
        if (v === null || v === undefined) return null;
        return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : null;
      };
  }
}

/** A COQL row with its user fields reduced to what COQL gives reliably (id, email when present). */
function withoutUserNames(m: TypedModule, row: ZRecord): ZRecord {
  let out = row;
  for (const f of m.fields) {
    const v = row[f.apiName];
    if (f.kind !== 'user' || !v || typeof v !== 'object' || !('name' in v)) continue;
    const { name: _lastName, ...rest } = v as Record<string, unknown>;
    if (out === row) out = { ...row };
    out[f.apiName] = rest;
  }
  return out;
}

function deps(ctx: GraphQLContext): WriteDeps {
  return { zoho: ctx.zoho.bind(ctx), metadata: ctx.metadata, log: ctx.log, maxRecords: ctx.services.config.maxRecordsPerMutation };
}

function bad(message: string, details: Record<string, unknown>): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message, details);
}

/** A typed input value → what Zoho takes for that field. */
function toZohoValue(f: TypedField, asId: boolean, value: unknown, at: string): unknown {
  if (value === null || value === undefined) return null;
  if (asId) {
    const id = String(value);
    assertRecordId(id, at);
    return { id };
  }
  if (f.kind === 'datetime') return zohoDateTime(value as number);
  if (f.kind === 'subform') {
    const rows = value as Record<string, unknown>[];
    const index = indexOf({ fields: f.subform!.fields } as TypedModule);
    return rows.map((row, i) => toZohoRecord(index, row, `${at}[${i}]`));
  }
  return value;
}

/** One typed input object → a Zoho record (api names), refusing a field given under two names. */
function toZohoRecord(index: ModuleIndex, input: Record<string, unknown>, at: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const from: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'id') {
      const id = String(value);
      assertRecordId(id, `${at}.id`);
      out.id = id;
      continue;
    }
    const hit = index.byName.get(key);
    if (!hit) throw bad(`${at}.${key} is not a field of this input`, { argument: at, field: key });
    const api = hit.field.apiName;
    if (from[api] !== undefined) throw bad(`${at} sets ${api} twice (as ${from[api]} and ${key}); give one`, { argument: at, field: key });
    from[api] = key;
    out[api] = toZohoValue(hit.field, hit.asId, value, `${at}.${key}`);
  }
  return out;
}

interface TypedResult extends RecordResult {
  module: string;
  kind: 'create' | 'update' | 'upsert' | 'delete';
}

/**
 * Zoho's INVALID_DATA for a field it does not know (removed, or hidden from the profile, since the
 * schema was built). The same code with a field's name also answers a bad value of a field it
 * knows (too long, wrong type, unknown lookup id): that says nothing about the schema.
 */
const UNKNOWN_FIELD = /field api name given seems to be invalid/i;

/**
 * The field a Zoho error names (INVALID_DATA `details.api_name`, COQL `column_name`): in a write
 * result's own details, or in a call's GatewayError under `zoho.details` (src/zoho/errors.ts).
 */
function namedField(details: Readonly<Record<string, unknown>> | null | undefined): string | null {
  type Named = { api_name?: unknown; column_name?: unknown };
  const d = details as (Named & { zoho?: { details?: Named | null } }) | null | undefined;
  const inner = d?.zoho?.details;
  const v = d?.api_name ?? d?.column_name ?? inner?.api_name ?? inner?.column_name;
  return typeof v === 'string' ? v : null;
}

/**
 * The field a failed read names as unknown. A Zoho error reaches here as a GatewayError whose
 * Zoho answer is under `details.zoho` (zoho/errors.ts mapZohoError), e.g. COQL's
 * `{"code":"INVALID_QUERY","details":{"column_name":"Probability","clause":"select"}}`.
 */
function unknownFieldOf(err: GatewayError): string | null {
  const zoho = (err.details as { zoho?: { code?: unknown; details?: Record<string, unknown> } } | undefined)?.zoho;
  if (zoho?.code !== 'INVALID_QUERY' && zoho?.code !== 'INVALID_DATA') return null;
  return namedField(zoho.details);
}

export interface ModuleResolvers {
  list: Resolver;
  /** `<module>Changes`: incremental sync (src/records/sync.ts). */
  changes: Resolver;
  one: Resolver;
  create: Resolver;
  update: Resolver;
  upsert: Resolver;
  delete: Resolver;
  resultRecord: Resolver<TypedResult>;
}

export interface TypedResolvers {
  forModule(m: TypedModule): ModuleResolvers;
  lookup(f: TypedField, target: string): Resolver<RecordView>;
  lookupId(f: TypedField): Resolver<RecordView>;
  user(f: TypedField): Resolver<RecordView>;
}

export function createTypedResolvers(shape: OrgShape, hooks: TypedHooks): TypedResolvers {
  const indexes = new Map(shape.modules.map((m) => [m.apiName, indexOf(m)]));

  /** Zoho named one of this module's fields as unknown: the shape is stale. */
  const watch = async <T>(ctx: GraphQLContext, m: TypedModule, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      const field = err instanceof GatewayError ? unknownFieldOf(err) : null;
      if (field && indexes.get(m.apiName)?.module.fields.some((f) => f.apiName === field)) hooks.staleShape(ctx, m.apiName);
      throw err;
    }
  };

  return {
    lookupId: (f) => (r) => {
      const v = r.data[f.apiName] as { id?: unknown } | null | undefined;
      return v && (typeof v.id === 'string' || typeof v.id === 'number') ? String(v.id) : null;
    },
    user: (f) => (r) => embeddedUser(r.data[f.apiName]),
    lookup: (f, target) => async (r, _a, ctx, info) => {
      const v = r.data[f.apiName] as { id?: unknown } | null | undefined;
      if (!v || (typeof v.id !== 'string' && typeof v.id !== 'number')) return null;
      requireScope(ctx.caller, 'records:read', target);
      const id = String(v.id);
      const fields = apiFieldsOf(indexes.get(target)!, subSelections(info.fieldNodes, [], info), info);
      // Only the id asked for: it is already in hand.
      if (fields.length === 0) return { module: target, data: { id } };
      return ctx.loaders.records.load(target, fields, id);
    },
    forModule(m) {
      const index = indexes.get(m.apiName)!;
      const module = m.apiName;
      const readFields = (info: GraphQLResolveInfo, path: string[]) => apiFieldsOf(index, subSelections(info.fieldNodes, path, info), info);

      const write =
        (kind: 'create' | 'update' | 'upsert'): Resolver =>
        async (_s, args, ctx) => {
          requireScope(ctx.caller, 'records:write', module);
          await requireConnection(ctx);
          const input = args.input as Record<string, unknown>[];
          const records = input.map((row, i) => toZohoRecord(index, row, `input[${i}]`));
          const trigger = (args.trigger as WriteTrigger[] | null | undefined) ?? null;
          let results: RecordResult[];
          if (kind === 'create') results = await createRecords(deps(ctx), { module, records, trigger });
          else if (kind === 'update') results = await updateRecords(deps(ctx), { module, records, trigger });
          else {
            const dup = args.duplicateCheckFields as string[] | null | undefined;
            const duplicateCheckFields = dup?.map((name) => {
              const hit = index.byName.get(name);
              if (hit && !hit.asId) return hit.field.apiName;
              if (m.fields.some((f) => f.apiName === name)) return name;
              throw bad(`duplicateCheckFields: ${name} is not a field of ${m.typeName}`, { argument: 'duplicateCheckFields', field: name });
            });
            results = await upsertRecords(deps(ctx), { module, records, trigger, duplicateCheckFields: duplicateCheckFields ?? null });
          }
          if (results.some((r) => r.code === 'INVALID_DATA' && UNKNOWN_FIELD.test(r.message) && index.module.fields.some((f) => f.apiName === namedField(r.details)))) hooks.staleShape(ctx, module);
          return results.map((r): TypedResult => ({ ...r, module, kind }));
        };

      return {
        list: async (_s, args, ctx, info) => {
          requireScope(ctx.caller, 'records:read', module);
          const first = (args.first as number | null | undefined) ?? DEFAULT_FIRST;
          if (!Number.isInteger(first) || first < 1 || first > MAX_PER_PAGE) throw bad(`first must be 1–${MAX_PER_PAGE}`, { argument: 'first' });
          const after = (args.after as string | null | undefined) ?? null;
          const fields = readFields(info, ['nodes']);
          const where = args.where ?? null;
          const orderBy = (args.orderBy as unknown[] | null | undefined) ?? null;
          if (!where && !orderBy?.length) {
            const page = await watch(ctx, m, () => listRecords(ctx.zoho, { module, fields: fields.length ? fields : ['id'], first, after }));
            ctx.loaders.records.prime(page.nodes, fields);
            return { nodes: page.nodes, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor, count: page.nodes.length } };
          }
          const key = queryKey(where, orderBy);
          const offset = after ? decodeCoqlCursor(after, module, key) : 0;
          const direct = fields.filter((api) => coqlSelectable(m, api));
          const later = fields.filter((api) => !coqlSelectable(m, api));
          const query = compileCoql(m, { fields: direct.length ? direct : ['id'], where, orderBy, limit: first, offset });
          const res = await watch(ctx, m, () => ctx.zoho<{ data?: ZRecord[]; info?: { more_records?: boolean } }>({ method: 'POST', path: '/coql', body: { select_query: query }, idempotent: true }));
          // COQL names a user by last name only (GRQ: "for the Users module, only the last_name is
          // shown"): drop it so User.fullName asks the users loader, as for a missing email.
          let rows = (res.body?.data ?? []).map((row) => withoutUserNames(m, row));
          // What COQL cannot select (subform rows) comes by id through the loader: 100 per call.
          if (later.length && rows.length) {
            const extra = await Promise.all(rows.map((row) => ctx.loaders.records.load(module, later, row.id)));
            rows = rows.map((row, i) => ({ ...row, ...(extra[i]?.data ?? {}), id: row.id }));
          }
          const nodes = rows.map((data) => ({ module, data }));
          // Zoho's COQL stops at record 100,000 of a query: no next page past it, whatever Zoho has.
          const hasNextPage = Boolean(res.body?.info?.more_records) && rows.length > 0 && offset + rows.length < COQL_LIMITS.maxRecords;
          return { nodes, pageInfo: { hasNextPage, endCursor: rows.length ? encodeCoqlCursor(module, key, offset + rows.length) : after, count: rows.length } };
        },
        changes: async (_s, args, ctx, info) => {
          const fields = readFields(info, ['upserted']);
          const since = (args.since as number | null | undefined) ?? null;
          return watch(ctx, m, () =>
            runRecordChanges(ctx, module, fields, { since, syncToken: (args.syncToken as string | null | undefined) ?? null, first: (args.first as number | null | undefined) ?? null }),
          );
        },
        one: async (_s, args, ctx, info) => {
          requireScope(ctx.caller, 'records:read', module);
          const id = String(args.id);
          assertRecordId(id);
          const fields = readFields(info, []);
          return watch(ctx, m, () => ctx.loaders.records.load(module, fields.length ? fields : ['id'], id));
        },
        create: write('create'),
        update: write('update'),
        upsert: write('upsert'),
        delete: async (_s, args, ctx) => {
          requireScope(ctx.caller, 'records:delete', module);
          await requireConnection(ctx);
          const ids = (args.ids as unknown[]).map(String);
          const results = await deleteRecords(deps(ctx), { module, ids });
          return results.map((r): TypedResult => ({ ...r, module, kind: 'delete' }));
        },
        resultRecord: (r, _a, ctx, info) => {
          if (r.kind === 'delete' || r.status !== 'success' || !r.id) return null;
          // A read like any other: records:write alone must not read a record back by writing it.
          requireScope(ctx.caller, 'records:read', module);
          const fields = readFields(info, []);
          return ctx.loaders.records.load(module, fields.length ? fields : ['id'], r.id);
        },
      };
    },
  };
}
