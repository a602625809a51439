import {
  getNamedType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { MAX_FIELDS_PER_CALL } from './fields.js';
import { MAX_PER_PAGE } from './list.js';
import { MAX_IDS_PER_CALL } from './loader.js';
import { RECORD_CHANGES_CALLS } from './sync.js';
import { MAX_RECORDS_PER_CALL } from './write.js';

/**
 * A static estimate of the Zoho calls one GraphQL operation needs, made from the document, its
 * variables (with the operation's variable defaults) and, when given, the schema the operation
 * runs on, before anything runs, so an operation over ZOHO_CALL_BUDGET is refused before its first
 * call (src/http/plugins/zoho-budget.ts). It is meant as an upper bound and errs high:
 *
 * Generic schema (fields known by name):
 * - `records`, `record`, `searchRecords`: one call per group of 50 fields read (`data` counts as
 *   `ASSUMED_ALL_FIELDS` fields); `record` and `user` fields batch 100 ids per call.
 * - inside a list of n records: every distinct `lookup(field:)` selection costs ceil(n/100) calls
 *   per field group (aliases reading the same fields share a loader and count once; aliases
 *   reading different fields are different loaders and count each), and so do
 *   `owner { role | profile | status }` (users loader); nested lookups likewise.
 * - `organization`, `users`, `customViews`, `coql`, `zohoRequest`, `watchRecords`, `unwatchRecords`,
 *   `connectZohoWithGrantCode`, `completeZohoConnect` (revokes the previous or refused token), `disconnectZoho`: 1.
 * - create/update/upsert/deleteRecords: ceil(n/100) for n records or ids (a literal list or a variable).
 * - `me`, `connection`, `dataCentres`, `watches`, event webhook fields, introspection: 0; metadata
 *   (`modules`, `fields`, checking field names) is assumed cached: 0.
 * - subscriptions: 0 here; each event is held to the budget at run time instead.
 * - a root field this table does not know: 1, so a new field is never free by accident.
 *
 * Typed schema (src/typed/build.ts): its names are per connection, so it is priced by the
 * `extensions.zohoCost` its builder puts on each field (`ZohoCost` below), read from the schema
 * the operation runs on — one map lookup per field node, no walk of the schema. A root field
 * carrying `zohoCost` is priced by it before the name table above is consulted.
 * - `crm`: 0 itself; its fields are priced one by one (every alias of `crm` too), each under
 *   `<crm alias>.<field alias>` in `byField`.
 * - a list (`deals(first:)`, n = first, the argument's default when absent, at most 200):
 *   without where/orderBy, the list API: one call per 50-field group selected under `nodes`;
 *   with where or a non-empty orderBy, COQL: 1 call, plus what COQL cannot select (subform
 *   fields) read by id: ceil(n/100) × its field groups.
 * - below n records: a lookup selecting anything beyond `id` costs ceil(n/100) × the target's
 *   field groups per distinct (lookup, selected fields) — aliases reading other fields are other
 *   loaders — plus what it selects below, over the same n; a user field costs ceil(n/100)
 *   (users loader) when it selects `status`/`role`/`profile`, or `fullName`/`email` where
 *   the record may not embed them (COQL rows, subform rows); subform rows count as
 *   n × `SUBFORM_ROWS_PER_RECORD` records for what they select below (their lookups, users).
 * - `one` (`deal(id:)`): the records loader, 100 ids per call per (module, fields selected),
 *   × field groups, plus what it selects below (n = 1 each).
 * - writes (`createDeals`, `updateDeals`, `upsertDeals`: `input`; `deleteDeals`: `ids`):
 *   ceil(n/100); a result's `record` reads the written records back: ceil(n/100) × field
 *   groups (at least 1: the read-back happens even for `id` alone), plus what it selects below.
 *
 * What a static reading cannot see (a module with more than 100 fields under `data`, a cold
 * metadata cache, loaders split over several ticks) is caught by the runtime guard, which counts
 * every call the request really makes and refuses the one beyond the budget. The walk itself is
 * bounded by the shape limits checked before it (graphql-armor's cost and depth, query-limits.ts).
 */

/**
 * How a typed schema field costs Zoho calls (graphql-js field `extensions.zohoCost`, set by
 * src/typed/build.ts; see the rules above).
 */
export type ZohoCost =
  | { kind: 'crm' }
  | { kind: 'list' | 'one' | 'readBack' | 'changes'; module: string }
  /** A value read with the record (a scalar, or the raw id of a lookup or user field). */
  | { kind: 'field'; api: string }
  | { kind: 'lookup'; api: string; module: string }
  | { kind: 'user'; api: string }
  /** Subform rows: part of the record for the list API, read by id after a COQL query. */
  | { kind: 'subform'; api: string }
  | { kind: 'write'; arg: 'input' }
  | { kind: 'delete'; arg: 'ids' };

/** The `extensions` a typed schema field carries for the estimate. */
export const zohoCostExtension = (cost: ZohoCost): { zohoCost: ZohoCost } => ({ zohoCost: cost });

function costOf(field: GraphQLField<unknown, unknown> | undefined): ZohoCost | undefined {
  return field?.extensions?.zohoCost as ZohoCost | undefined;
}

/**
 * Rows one record's subform may hold, for what rows select below them (src/typed/build.ts: "at
 * most 100 per record"). UNVERIFIED against Zoho's documentation.
 */
export const SUBFORM_ROWS_PER_RECORD = 100;

/** Fields `data` is assumed to read (Zoho's standard modules have 50–100). */
export const ASSUMED_ALL_FIELDS = 100;

const FREE = new Set([
  'me',
  'connection',
  'dataCentres',
  'watches',
  'eventWebhook',
  'eventDeliveries',
  'modules',
  'fields',
  'startZohoConnect',
  'setEventWebhook',
  'removeEventWebhook',
  '__typename',
  '__schema',
  '__type',
]);
const ONE_CALL = new Set(['organization', 'users', 'customViews', 'coql', 'zohoRequest', 'watchRecords', 'unwatchRecords', 'connectZohoWithGrantCode', 'completeZohoConnect', 'disconnectZoho']);
const WRITES: Record<string, string> = { createRecords: 'records', updateRecords: 'records', upsertRecords: 'records', deleteRecords: 'ids' };
/** Record fields that read one Zoho field each (as src/records/selection.ts maps them). */
const FIXED_FIELDS: Record<string, string> = { owner: 'Owner', createdTime: 'Created_Time', modifiedTime: 'Modified_Time' };
const FULL_USER = new Set(['role', 'profile', 'status']);

export interface EstimateInput {
  document: DocumentNode;
  operationName?: string | null | undefined;
  variables?: Readonly<Record<string, unknown>> | null | undefined;
  /** The schema the operation runs on: typed fields are priced by their `zohoCost` extensions. */
  schema?: GraphQLSchema | null | undefined;
}

export interface Estimate {
  /** Estimated Zoho calls of the whole operation. */
  calls: number;
  /** Per root field (response key → calls), for the error message and the log. */
  byField: Record<string, number>;
}

class Walker {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();

  constructor(
    document: DocumentNode,
    private readonly vars: Readonly<Record<string, unknown>>,
  ) {
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(d.name.value, d);
  }

  /** Field nodes of a selection set, fragments flattened (validation has refused cycles already). */
  fields(set: SelectionSetNode | undefined): FieldNode[] {
    const out: FieldNode[] = [];
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) out.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...this.fields(sel.selectionSet));
      else {
        const frag = this.fragments.get(sel.name.value);
        if (frag) out.push(...this.fields(frag.selectionSet));
      }
    }
    return out;
  }

  arg(node: FieldNode, name: string): unknown {
    const a = node.arguments?.find((x) => x.name.value === name);
    return a ? this.value(a.value) : undefined;
  }

  private value(v: ValueNode): unknown {
    switch (v.kind) {
      case Kind.VARIABLE:
        return this.vars[v.name.value];
      case Kind.INT:
      case Kind.FLOAT:
        return Number(v.value);
      case Kind.STRING:
      case Kind.ENUM:
        return v.value;
      case Kind.BOOLEAN:
        return v.value;
      case Kind.NULL:
        return null;
      case Kind.LIST:
        return v.values.map((x) => this.value(x));
      case Kind.OBJECT:
        return Object.fromEntries(v.fields.map((f) => [f.name.value, this.value(f.value)]));
    }
  }

  /** Field names a Record selection reads (with the explicit `fields` argument); `data` as `*`. */
  names(recordSet: SelectionSetNode | undefined, explicit: unknown): Set<string> {
    const names = new Set<string>(Array.isArray(explicit) ? explicit.filter((x): x is string => typeof x === 'string') : []);
    for (const node of this.fields(recordSet)) {
      const name = node.name.value;
      if (name === 'data') names.add('*');
      else if (name === 'field' || name === 'lookup') {
        const api = this.arg(node, name === 'field' ? 'name' : 'field');
        // A name not known statically still reads one field.
        names.add(typeof api === 'string' ? api : `?${names.size}`);
      } else if (FIXED_FIELDS[name]) names.add(FIXED_FIELDS[name]);
    }
    names.delete('id');
    return names;
  }

  /** Field groups (50 per call) a Record selection reads, plus the explicit `fields` argument. */
  groups(recordSet: SelectionSetNode | undefined, explicit: unknown): number {
    const names = this.names(recordSet, explicit);
    const all = names.delete('*');
    const count = all ? Math.max(names.size, ASSUMED_ALL_FIELDS) : names.size;
    return Math.max(1, Math.ceil(count / MAX_FIELDS_PER_CALL));
  }

  /**
   * Calls made below `n` records read through `recordSet` (their lookups and owner details),
   * not counting the calls that fetched the records themselves.
   */
  below(recordSet: SelectionSetNode | undefined, n: number): number {
    if (n <= 0) return 0;
    const batches = Math.ceil(n / MAX_IDS_PER_CALL);
    let calls = 0;
    // Aliases of one lookup field reading the same fields share a loader and count once; with
    // other fields they are other loaders (src/records/loader.ts keys by module and fields).
    const lookups = new Map<string, number>();
    let ownerDetails = false;
    for (const node of this.fields(recordSet)) {
      const name = node.name.value;
      if (name === 'lookup') {
        const field = this.arg(node, 'field');
        const read = [...this.names(node.selectionSet, this.arg(node, 'fields'))].sort().join(',');
        const key = typeof field === 'string' && !read.includes('?') ? `${field}|${read}` : `?${lookups.size}`;
        const cost = batches * this.groups(node.selectionSet, this.arg(node, 'fields')) + this.below(node.selectionSet, n);
        lookups.set(key, Math.max(lookups.get(key) ?? 0, cost));
      } else if (name === 'owner' && this.fields(node.selectionSet).some((f) => FULL_USER.has(f.name.value))) {
        ownerDetails = true;
      }
    }
    for (const c of lookups.values()) calls += c;
    if (ownerDetails) calls += batches;
    return calls;
  }

  /** Record selections under a field returning RecordPage (`nodes`), or RecordChanges (`upserted`). */
  nodesOf(node: FieldNode, under = 'nodes'): SelectionSetNode[] {
    return this.fields(node.selectionSet)
      .filter((f) => f.name.value === under)
      .flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  }

  /** Calls of one page of `n` records read through `node` (records / searchRecords). */
  page(node: FieldNode, n: number): number {
    const sets = this.nodesOf(node);

    const explicit = this.arg(node, 'fields');
    // All `nodes` selections of one field merge into one selection at run time.
    const merged: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: sets.flatMap((s) => s.selections) };
    return this.groups(merged, explicit) + this.below(merged, n);
  }
}

/** What a typed record selection reads, and the calls it makes below its records. */
interface TypedRead {
  /** Zoho api names read with the record (`id` left out). */
  apis: Set<string>;
  /** Of those, what COQL cannot select (subform fields). */
  notCoql: Set<string>;
  below: number;
}

/**
 * Prices typed selections by the `zohoCost` extensions of the fields they select. How records
 * reach a selection decides what they embed: `list` (list API: users' name and email embedded),
 * `coql` (rows may hold a user's id only), `loader` (by id: as the list API).
 */
class TypedWalker {
  /** `one` reads per records loader (module and fields): ids, field groups, calls below. */
  readonly byId = new Map<string, { field: string; ids: number; groups: number; below: number }>();

  constructor(
    private readonly w: Walker,
    private readonly byField: Record<string, number>,
  ) {}

  private static objectType(field: GraphQLField<unknown, unknown> | undefined): GraphQLObjectType | undefined {
    const t = field && getNamedType(field.type);
    return t && isObjectType(t) ? t : undefined;
  }

  /** Calls of one typed field whose parent type is `parent` (a root type or `Crm`). */
  field(node: FieldNode, parent: GraphQLObjectType, at: string): number {
    const def = parent.getFields()[node.name.value];
    const cost = costOf(def);
    const type = TypedWalker.objectType(def);
    if (!cost || !def) return 0;
    switch (cost.kind) {
      case 'crm': {
        // Priced per module field (`crm.deals`), so the refusal says which part to trim.
        if (type) {
          for (const f of this.w.fields(node.selectionSet)) {
            const key = `${at}.${f.alias?.value ?? f.name.value}`;
            const calls = this.field(f, type, key);
            if (calls > 0) this.byField[key] = (this.byField[key] ?? 0) + calls;
          }
        }
        return 0;
      }
      case 'list': {
        const first = this.w.arg(node, 'first') ?? def.args.find((a) => a.name === 'first')?.defaultValue;
        const n = pageSize(first);
        const where = this.w.arg(node, 'where');
        const orderBy = this.w.arg(node, 'orderBy');
        const coql = (where !== undefined && where !== null) || (Array.isArray(orderBy) ? orderBy.length > 0 : orderBy !== undefined && orderBy !== null);
        // All `nodes` selections of one list merge into one selection at run time.
        const nodes = type?.getFields().nodes;
        const recordType = TypedWalker.objectType(nodes);
        const sets = this.w.fields(node.selectionSet).filter((f) => f.name.value === 'nodes' && f.selectionSet);
        const merged: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: sets.flatMap((f) => f.selectionSet!.selections) };
        const read = recordType ? this.record(merged, recordType, n, coql ? 'coql' : 'list') : { apis: new Set<string>(), notCoql: new Set<string>(), below: 0 };
        if (!coql) return groupsOf(read.apis.size) + read.below;
        return 1 + (read.notCoql.size ? batchesOf(n) * groupsOf(read.notCoql.size) : 0) + read.below;
      }
      case 'changes': {
        // `<module>Changes`: an upsert page and a deleted page (src/records/sync.ts), plus what the records select below them.
        const n = pageSize(this.w.arg(node, 'first') ?? def.args.find((a) => a.name === 'first')?.defaultValue);
        const recordType = TypedWalker.objectType(type?.getFields().upserted);
        const merged: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: this.w.nodesOf(node, 'upserted').flatMap((s) => s.selections) };
        return RECORD_CHANGES_CALLS + (recordType ? this.record(merged, recordType, n, 'list').below : 0);
      }
      case 'one': {
        if (!type) return 0;
        const read = this.record(node.selectionSet, type, 1, 'loader');
        const key = `${cost.module}|${[...read.apis].sort().join(',')}`;
        const b = this.byId.get(key) ?? { field: at, ids: 0, groups: groupsOf(read.apis.size), below: 0 };
        b.ids++;
        b.below += read.below;
        this.byId.set(key, b);
        return 0;
      }
      case 'write':
      case 'delete': {
        const n = listLength(this.w.arg(node, cost.arg));
        let calls = Math.ceil(n / MAX_RECORDS_PER_CALL);
        if (cost.kind === 'write' && type) {
          for (const f of this.w.fields(node.selectionSet)) {
            const recordField = type.getFields()[f.name.value];
            const recordType = TypedWalker.objectType(recordField);
            if (costOf(recordField)?.kind !== 'readBack' || !recordType) continue;
            const read = this.record(f.selectionSet, recordType, n, 'loader');
            // Read back even when only `id` is selected (src/typed/resolve.ts resultRecord).
            calls += batchesOf(n) * groupsOf(read.apis.size) + read.below;
          }
        }
        return calls;
      }
      default:
        return 0;
    }
  }

  /** What `set` reads of `n` records of `type`, and the calls below them. */
  record(set: SelectionSetNode | undefined, type: GraphQLObjectType, n: number, via: 'list' | 'coql' | 'loader' | 'rows'): TypedRead {
    const out: TypedRead = { apis: new Set(), notCoql: new Set(), below: 0 };
    if (n <= 0) return out;
    const fields = type.getFields();
    // Records loaders by (lookup, fields read): aliases reading the same fields share one.
    const lookups = new Map<string, number>();
    const users = new Set<string>();
    for (const node of this.w.fields(set)) {
      const def = fields[node.name.value];
      const cost = costOf(def);
      if (!cost || !def) continue;
      switch (cost.kind) {
        case 'field':
          out.apis.add(cost.api);
          break;
        case 'subform': {
          out.apis.add(cost.api);
          out.notCoql.add(cost.api);
          const rowType = TypedWalker.objectType(def);
          if (rowType) out.below += this.record(node.selectionSet, rowType, n * SUBFORM_ROWS_PER_RECORD, 'rows').below;
          break;
        }
        case 'lookup': {
          out.apis.add(cost.api);
          const target = TypedWalker.objectType(def);
          if (!target) break;
          const read = this.record(node.selectionSet, target, n, 'loader');
          // Only the id asked for: it is in hand, no call (src/typed/resolve.ts lookup).
          if (read.apis.size === 0) break;
          const key = `${cost.api}|${[...read.apis].sort().join(',')}`;
          lookups.set(key, batchesOf(n) * groupsOf(read.apis.size));
          out.below += read.below;
          break;
        }
        case 'user': {
          out.apis.add(cost.api);
          const embedded = via === 'list' || via === 'loader';
          const asked = this.w.fields(node.selectionSet).map((f) => f.name.value);
          if (asked.some((x) => FULL_USER.has(x) || (!embedded && (x === 'fullName' || x === 'email')))) users.add(cost.api);
          break;
        }
        default:
          break;
      }
    }
    for (const calls of lookups.values()) out.below += calls;
    out.below += users.size * batchesOf(n);
    return out;
  }
}

const batchesOf = (n: number) => Math.ceil(n / MAX_IDS_PER_CALL);
const groupsOf = (fields: number) => Math.max(1, Math.ceil(fields / MAX_FIELDS_PER_CALL));

function pageSize(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? Math.min(value, MAX_PER_PAGE) : MAX_PER_PAGE;
}

function listLength(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  // A single value where a list is expected is coerced to a list of one.
  return value === undefined || value === null ? 0 : 1;
}

function pickOperation(document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return name ? ops.find((o) => o.name?.value === name) : ops.length === 1 ? ops[0] : undefined;
}

/** The operation's variables: the given values over the defaults its variable definitions declare. */
function variablesOf(op: OperationDefinitionNode, given: Readonly<Record<string, unknown>> | null | undefined): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const d of op.variableDefinitions ?? []) if (d.defaultValue) vars[d.variable.name.value] = valueFromASTUntyped(d.defaultValue);
  return { ...vars, ...given };
}

/** Estimates the Zoho calls of the operation `operationName` (or the only one) of `document`. */
export function estimateZohoCalls(input: EstimateInput): Estimate {
  const op = pickOperation(input.document, input.operationName);
  const byField: Record<string, number> = {};
  if (!op || op.operation === 'subscription') return { calls: 0, byField };
  const w = new Walker(input.document, variablesOf(op, input.variables));
  const root = input.schema ? (op.operation === 'mutation' ? input.schema.getMutationType() : input.schema.getQueryType()) : null;
  const typed = new TypedWalker(w, byField);
  // `record` and `user` root fields batch through per-request loaders: count them per batch key.
  const recordBatches = new Map<string, { ids: number; groups: number; below: number }>();
  let users = 0;
  for (const node of w.fields(op.selectionSet)) {
    const name = node.name.value;
    const key = node.alias?.value ?? name;
    let calls: number;
    // A typed field (names per connection) is priced by its schema extension, never by its name.
    if (root && costOf(root.getFields()[name])) calls = typed.field(node, root, key);
    else if (FREE.has(name)) calls = 0;
    else if (ONE_CALL.has(name)) calls = 1;
    else if (name === 'records') calls = w.page(node, pageSize(w.arg(node, 'first')));
    else if (name === 'searchRecords') calls = w.page(node, pageSize(w.arg(node, 'perPage')));
    else if (name === 'recordChanges') {
      // An upsert page and a deleted page (src/records/sync.ts), plus lookups below the records.
      const merged: SelectionSetNode = { kind: Kind.SELECTION_SET, selections: w.nodesOf(node, 'upserted').flatMap((s) => s.selections) };
      calls = RECORD_CHANGES_CALLS + w.below(merged, pageSize(w.arg(node, 'first')));
    } else if (name === 'record') {
      const groups = w.groups(node.selectionSet, w.arg(node, 'fields'));
      const batch = `${String(w.arg(node, 'module'))}|${groups}`;
      const b = recordBatches.get(batch) ?? { ids: 0, groups, below: 0 };
      b.ids++;
      b.below += w.below(node.selectionSet, 1);
      recordBatches.set(batch, b);
      calls = 0;
    } else if (name === 'user') {
      users++;
      calls = 0;
    } else if (WRITES[name]) calls = Math.ceil(listLength(w.arg(node, WRITES[name])) / MAX_RECORDS_PER_CALL);
    else calls = 1;
    if (calls > 0) byField[key] = (byField[key] ?? 0) + calls;
  }
  for (const [batch, b] of recordBatches) byField[`record(${batch.split('|')[0]})`] = Math.ceil(b.ids / MAX_IDS_PER_CALL) * b.groups + b.below;
  for (const b of typed.byId.values()) byField[b.field] = (byField[b.field] ?? 0) + batchesOf(b.ids) * b.groups + b.below;
  if (users > 0) byField['user'] = Math.ceil(users / MAX_IDS_PER_CALL);
  const calls = Object.values(byField).reduce((a, b) => a + b, 0);
  return { calls, byField };
}
