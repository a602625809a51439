import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode, type ValueNode } from 'graphql';

/**
 * What a query reads of a Record, from its selection set, so the gateway asks Zoho for exactly
 * those fields (Zoho requires `fields` on list calls and takes at most 50 per call).
 */
export interface RecordNeeds {
  /** Field api names the selection reads (`field(name:)`, `owner`, `lookup(field:)`, times). */
  fields: Set<string>;
  /** `data` is selected: every field of the module. */
  all: boolean;
}

const FIXED: Record<string, string> = { owner: 'Owner', createdTime: 'Created_Time', modifiedTime: 'Modified_Time' };

/** Field nodes of a selection set with fragments and inline fragments flattened. */
export function fieldNodes(set: SelectionSetNode | undefined, info: Pick<GraphQLResolveInfo, 'fragments'>): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of set?.selections ?? []) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...fieldNodes(sel.selectionSet, info));
    else {
      const frag = info.fragments[sel.name.value];
      if (frag) out.push(...fieldNodes(frag.selectionSet, info));
    }
  }
  return out;
}

function argValue(node: FieldNode, name: string, info: GraphQLResolveInfo): unknown {
  const arg = node.arguments?.find((a) => a.name.value === name);
  return arg ? literal(arg.value, info.variableValues) : undefined;
}

function literal(v: ValueNode, vars: Record<string, unknown>): unknown {
  switch (v.kind) {
    case Kind.VARIABLE:
      return vars[v.name.value];
    case Kind.STRING:
    case Kind.ENUM:
      return v.value;
    case Kind.LIST:
      return v.values.map((x) => literal(x, vars));
    default:
      return undefined;
  }
}

/** Adds what one Record selection set reads to `needs`. */
function collect(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, needs: RecordNeeds): void {
  for (const node of fieldNodes(set, info)) {
    const name = node.name.value;
    if (name === 'data') needs.all = true;
    else if (name === 'field' || name === 'lookup') {
      const api = argValue(node, name === 'field' ? 'name' : 'field', info);
      if (typeof api === 'string') needs.fields.add(api);
    } else if (FIXED[name]) needs.fields.add(FIXED[name]);
  }
}

/**
 * The needs of the Records under the current field: `path` leads from the current field to the
 * Record selection (`['nodes']` for a RecordPage, `[]` when the field returns Record itself).
 */
export function recordNeeds(info: GraphQLResolveInfo, path: readonly string[] = []): RecordNeeds {
  const needs: RecordNeeds = { fields: new Set(), all: false };
  for (const root of info.fieldNodes) {
    let sets: (SelectionSetNode | undefined)[] = [root.selectionSet];
    for (const step of path)
      sets = sets.flatMap((s) =>
        fieldNodes(s, info)
          .filter((n) => n.name.value === step)
          .map((n) => n.selectionSet),
      );
    for (const s of sets) collect(s, info, needs);
  }
  return needs;
}
