import { Kind, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { MAX_FIELDS_PER_CALL } from './fields.js';
import { MAX_PER_PAGE } from './list.js';
import { MAX_IDS_PER_CALL } from './loader.js';
import { MAX_RECORDS_PER_CALL } from './write.js';

/**
 * A static estimate of the Zoho calls one GraphQL operation needs, made from the document and its
 * variables before anything runs, so an operation over ZOHO_CALL_BUDGET is refused before its first
 * call (src/http/plugins/zoho-budget.ts). It is meant as an upper bound and errs high:
 *
 * - `records`, `record`, `searchRecords`: one call per group of 50 fields read (`data` counts as
 *   `ASSUMED_ALL_FIELDS` fields); `record` and `user` fields batch 100 ids per call.
 * - inside a list of n records: every distinct `lookup(field:)` costs ceil(n/100) calls per field
 *   group, and so do `owner { role | profile | status }` (users loader); nested lookups likewise.
 * - `organization`, `users`, `coql`, `zohoRequest`, `watchRecords`, `unwatchRecords`,
 *   `connectZohoWithGrantCode`, `completeZohoConnect` (revokes the previous or refused token), `disconnectZoho`: 1.
 * - create/update/upsert/deleteRecords: ceil(n/100) for n records or ids (a literal list or a variable).
 * - `me`, `connection`, `dataCentres`, `watches`, event webhook fields, introspection: 0; metadata
 *   (`modules`, `fields`, checking field names) is assumed cached: 0.
 * - subscriptions: 0 here; each event is held to the budget at run time instead.
 * - a root field this table does not know: 1, so a new field is never free by accident.
 *
 * What a static reading cannot see (a module with more than 100 fields under `data`, a cold
 * metadata cache, loaders split over several ticks) is caught by the runtime guard, which counts
 * every call the request really makes and refuses the one beyond the budget.
 */

/** Fields `data` is assumed to read (Zoho's standard modules have 50–100). */
export const ASSUMED_ALL_FIELDS = 100;

const FREE = new Set(['me', 'connection', 'dataCentres', 'watches', 'eventWebhook', 'eventDeliveries', 'modules', 'fields', 'startZohoConnect', 'setEventWebhook', 'removeEventWebhook', '__typename', '__schema', '__type']);
const ONE_CALL = new Set(['organization', 'users', 'coql', 'zohoRequest', 'watchRecords', 'unwatchRecords', 'connectZohoWithGrantCode', 'completeZohoConnect', 'disconnectZoho']);
const WRITES: Record<string, string> = { createRecords: 'records', updateRecords: 'records', upsertRecords: 'records', deleteRecords: 'ids' };
/** Record fields that read one Zoho field each (as src/records/selection.ts maps them). */
const FIXED_FIELDS: Record<string, string> = { owner: 'Owner', createdTime: 'Created_Time', modifiedTime: 'Modified_Time' };
const FULL_USER = new Set(['role', 'profile', 'status']);

export interface EstimateInput {
  document: DocumentNode;
  operationName?: string | null | undefined;
  variables?: Readonly<Record<string, unknown>> | null | undefined;
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

  /** Field groups (50 per call) a Record selection reads, plus the explicit `fields` argument. */
  groups(recordSet: SelectionSetNode | undefined, explicit: unknown): number {
    const names = new Set<string>(Array.isArray(explicit) ? explicit.filter((x): x is string => typeof x === 'string') : []);
    let all = false;
    for (const node of this.fields(recordSet)) {
      const name = node.name.value;
      if (name === 'data') all = true;
      else if (name === 'field' || name === 'lookup') {
        const api = this.arg(node, name === 'field' ? 'name' : 'field');
        // A name not known statically still reads one field.
        names.add(typeof api === 'string' ? api : `?${names.size}`);
      } else if (FIXED_FIELDS[name]) names.add(FIXED_FIELDS[name]);
    }
    names.delete('id');
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
    // Aliases of one lookup field share a loader: the costliest selection counts once.
    const lookups = new Map<string, number>();
    let ownerDetails = false;
    for (const node of this.fields(recordSet)) {
      const name = node.name.value;
      if (name === 'lookup') {
        const field = this.arg(node, 'field');
        const key = typeof field === 'string' ? field : `?${lookups.size}`;
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

  /** Record selections under a field returning RecordPage (`nodes`). */
  nodesOf(node: FieldNode): SelectionSetNode[] {
    return this.fields(node.selectionSet)
      .filter((f) => f.name.value === 'nodes')
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

/** Estimates the Zoho calls of the operation `operationName` (or the only one) of `document`. */
export function estimateZohoCalls(input: EstimateInput): Estimate {
  const op = pickOperation(input.document, input.operationName);
  const byField: Record<string, number> = {};
  if (!op || op.operation === 'subscription') return { calls: 0, byField };
  const w = new Walker(input.document, input.variables ?? {});
  // `record` and `user` root fields batch through per-request loaders: count them per batch key.
  const recordBatches = new Map<string, { ids: number; groups: number; below: number }>();
  let users = 0;
  for (const node of w.fields(op.selectionSet)) {
    const name = node.name.value;
    const key = node.alias?.value ?? name;
    let calls: number;
    if (FREE.has(name)) calls = 0;
    else if (ONE_CALL.has(name)) calls = 1;
    else if (name === 'records') calls = w.page(node, pageSize(w.arg(node, 'first')));
    else if (name === 'searchRecords') calls = w.page(node, pageSize(w.arg(node, 'perPage')));
    else if (name === 'record') {
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
  if (users > 0) byField['user'] = Math.ceil(users / MAX_IDS_PER_CALL);
  const calls = Object.values(byField).reduce((a, b) => a + b, 0);
  return { calls, byField };
}
