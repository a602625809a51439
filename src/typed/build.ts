import {
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  type GraphQLFieldConfig,
  type GraphQLFieldResolver,
  type GraphQLFieldConfigMap,
  type GraphQLInputFieldConfigMap,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLScalarType,
  type GraphQLNamedType,
} from 'graphql';
import type { GraphQLContext } from '../graphql/context.js';
import { zohoCostExtension as cost } from '../records/estimate.js';
import type { RecordView } from '../records/view.js';
import { COMPARISONS, filterEntries, orderEntries } from './filter.js';
import { readValue, type TypedResolvers } from './resolve.js';
import { comparisonName, helperName, type OrgShape, type TypedField, type TypedModule } from './shape.js';

/**
 * The GraphQL schema of one shape: the gateway's own schema plus `crm { … }` with a type per
 * module, and create/update/upsert/delete mutations per module. Built with graphql-js directly:
 * the types are data, known only at run time, and Pothos' builder is made for types known when
 * the code is written. The gateway's own types (User, PageInfo, scalars) are shared, not copied.
 *
 * Nothing here knows a tenant: resolvers read identity from the request context only, so one
 * schema object serves every connection of the same shape (schema-cache.ts). *
 * Every field that costs Zoho calls carries `extensions.zohoCost` (src/records/estimate.ts): the
 * names here differ per connection, so ZOHO_CALL_BUDGET's estimate prices typed operations by
 * these marks, not by field names.
 */

type Obj = GraphQLObjectType<RecordView, GraphQLContext>;

function named<T extends GraphQLNamedType>(base: GraphQLSchema, name: string): T {
  const t = base.getType(name);
  if (!t) throw new Error(`the gateway schema has no type ${name}`);
  return t as T;
}

const list = <T extends GraphQLOutputType | GraphQLInputType>(t: T) => new GraphQLList(new GraphQLNonNull(t));

function describeField(f: TypedField): string {
  const parts = [`${f.label} (Zoho: ${f.apiName}, ${f.dataType}).`];
  if (f.picklistValues.length) parts.push(`Values: ${f.picklistValues.join(', ')} (Zoho accepts new values on write).`);
  return parts.join(' ');
}

interface Built {
  base: GraphQLSchema;
  scalars: { Date: GraphQLScalarType; DateTime: GraphQLScalarType; JSON: GraphQLScalarType };
  user: GraphQLObjectType;
  pageInfo: GraphQLObjectType;
  sortOrder: GraphQLEnumType;
  trigger: GraphQLEnumType;
  deletedRecord: GraphQLObjectType;
  objects: Map<string, Obj>;
  comparisons: Map<string, GraphQLInputObjectType>;
  /**
   * One description string per field, shared by its output, input, filter and order-by entries:
   * built anew for each, they were a fifth of a schema's heap (picklist values included).
   */
  descriptions: Map<TypedField, string>;
  /** `[String!]`, shared by every multiselect field. */
  stringList: GraphQLList<GraphQLNonNull<GraphQLScalarType>>;
}

function describe(b: Built, f: TypedField): string {
  let d = b.descriptions.get(f);
  if (d === undefined) {
    d = describeField(f);
    b.descriptions.set(f, d);
  }
  return d;
}

function scalarOf(b: Built, f: TypedField): GraphQLOutputType & GraphQLInputType {
  switch (f.kind) {
    case 'int':
      return GraphQLInt;
    case 'float':
      return GraphQLFloat;
    case 'boolean':
      return GraphQLBoolean;
    case 'date':
      return b.scalars.Date;
    case 'datetime':
      return b.scalars.DateTime;
    case 'json':
      return b.scalars.JSON;
    default:
      return GraphQLString;
  }
}

/** Output fields of a module or subform row type. */
function outputFields(b: Built, fields: readonly TypedField[], rows: Map<string, GraphQLObjectType>, r: TypedResolvers): GraphQLFieldConfigMap<RecordView, GraphQLContext> {
  const out: GraphQLFieldConfigMap<RecordView, GraphQLContext> = {};
  for (const f of fields) {
    const description = describe(b, f);
    const read = readValue(f);
    switch (f.kind) {
      case 'lookup':
        if (f.lookupModule) {
          const target = f.lookupModule;
          out[f.name] = {
            type: b.objects.get(target)!,
            description: `${description} The looked-up record, batched: 100 ids per Zoho call.`,
            resolve: r.lookup(f, target),
            extensions: cost({ kind: 'lookup', api: f.apiName, module: target }),
          };
        }
        if (f.idName) out[f.idName] = { type: GraphQLID, description: `The id ${f.name} points to (no Zoho call).`, resolve: r.lookupId(f), extensions: cost({ kind: 'field', api: f.apiName }) };
        break;
      case 'user':
        out[f.name] = {
          type: b.user,
          description: `${description} id, name and email come with the record; other fields are batched through the users loader.`,
          resolve: r.user(f),
          extensions: cost({ kind: 'user', api: f.apiName }),
        };
        if (f.idName) out[f.idName] = { type: GraphQLID, description: `The user id of ${f.name}.`, resolve: r.lookupId(f), extensions: cost({ kind: 'field', api: f.apiName }) };
        break;
      case 'multiselect':
        out[f.name] = { type: b.stringList, description, resolve: read, extensions: cost({ kind: 'field', api: f.apiName }) };
        break;
      case 'subform':
        out[f.name] = {
          type: list(rows.get(f.subform!.rowType)!),
          description: `${description} Rows of the subform (at most 100 per record).`,
          resolve: read,
          extensions: cost({ kind: 'subform', api: f.apiName }),
        };
        break;
      default:
        out[f.name] = { type: scalarOf(b, f), description, resolve: read, extensions: cost({ kind: 'field', api: f.apiName }) };
    }
  }
  return out;
}

/** Input fields for create (`mandatory` non-null) or update (all optional); read-only fields are absent. */
function inputFields(b: Built, fields: readonly TypedField[], mode: 'create' | 'update', rowInputs: Map<string, GraphQLInputObjectType>): GraphQLInputFieldConfigMap {
  const out: GraphQLInputFieldConfigMap = {};
  for (const f of fields) {
    if (f.readOnly) continue;
    const req = <T extends GraphQLInputType>(t: T): GraphQLInputType => (mode === 'create' && f.mandatory && !f.mapped ? new GraphQLNonNull(t) : t);
    const description = describe(b, f);
    switch (f.kind) {
      case 'lookup':
      case 'user':
        if (f.idName) out[f.idName] = { type: req(GraphQLID), description: `${description} The id of the ${f.kind === 'user' ? 'user' : 'record'} to point to.` };
        break;
      case 'multiselect':
        out[f.name] = { type: req(b.stringList), description };
        break;
      case 'subform':
        out[f.name] = {
          type: req(list(rowInputs.get(f.subform!.rowType)!)),
          description: `${description} The rows to keep: a row with an id is updated, one without is added, rows left out are removed (Zoho’s subform rule).`,
        };
        break;
      default:
        out[f.name] = { type: req(scalarOf(b, f)), description };
    }
  }
  return out;
}

function comparisonInputs(b: Built): void {
  for (const [name, c] of Object.entries(COMPARISONS)) {
    const value =
      c.value === 'ID'
        ? GraphQLID
        : c.value === 'Int'
          ? GraphQLInt
          : c.value === 'Float'
            ? GraphQLFloat
            : c.value === 'Boolean'
              ? GraphQLBoolean
              : c.value === 'Date'
                ? b.scalars.Date
                : c.value === 'DateTime'
                  ? b.scalars.DateTime
                  : GraphQLString;
    const fields: GraphQLInputFieldConfigMap = {};
    for (const op of c.ops) {
      if (op === 'in' || op === 'notIn') fields[op] = { type: list(value) };
      else if (op === 'startsWith') fields[op] = { type: GraphQLString, description: 'Values starting with this text (COQL like).' };
      else if (op === 'isNull') fields[op] = { type: GraphQLBoolean, description: 'true: the field is empty; false: it is not.' };
      else fields[op] = { type: value };
    }
    b.comparisons.set(name, new GraphQLInputObjectType({ name, description: c.description, fields }));
  }
}

function moduleFilter(b: Built, m: TypedModule): GraphQLInputObjectType {
  const filter: GraphQLInputObjectType = new GraphQLInputObjectType({
    name: helperName.filter(m.typeName),
    description: `Conditions on ${m.label}: the keys of one object must all hold; and/or combine several. Compiled to COQL, values escaped, Zoho’s limits (25 criteria, 100 values per in) checked before any call.`,
    fields: () => {
      const out: GraphQLInputFieldConfigMap = { id: { type: b.comparisons.get(comparisonName.id)! } };
      for (const e of filterEntries(m)) out[e.name] = { type: b.comparisons.get(e.comparison)!, description: describe(b, e.field) };
      out.and = { type: list(filter), description: 'Every one of these holds.' };
      out.or = { type: list(filter), description: 'At least one of these holds.' };
      return out;
    },
  });
  return filter;
}

function moduleOrderBy(b: Built, m: TypedModule): GraphQLInputObjectType {
  const fields: GraphQLInputFieldConfigMap = { id: { type: b.sortOrder } };
  for (const e of orderEntries(m)) fields[e.name] = { type: b.sortOrder, description: describe(b, e.field) };
  return new GraphQLInputObjectType({ name: helperName.orderBy(m.typeName), description: 'One key per entry: `orderBy: [{ amount: DESC }, { dealName: ASC }]`; ties are broken by id.', fields });
}

/** Builds the schema of one shape on top of the gateway's own schema. */
export function buildTypedSchema(base: GraphQLSchema, shape: OrgShape, resolvers: TypedResolvers): GraphQLSchema {
  const b: Built = {
    base,
    scalars: { Date: named(base, 'Date'), DateTime: named(base, 'DateTime'), JSON: named(base, 'JSON') },
    user: named(base, 'User'),
    pageInfo: named(base, 'PageInfo'),
    sortOrder: named(base, 'SortOrder'),
    trigger: named(base, 'WriteTrigger'),
    deletedRecord: named(base, 'DeletedRecord'),
    objects: new Map(),
    comparisons: new Map(),
    descriptions: new Map(),
    stringList: list(GraphQLString),
  };
  comparisonInputs(b);
  const rows = new Map<string, GraphQLObjectType>();
  const rowInputs = new Map<string, GraphQLInputObjectType>();
  for (const m of shape.modules) {
    for (const f of m.fields) {
      if (f.kind !== 'subform' || f.mapped || rows.has(f.subform!.rowType)) continue;
      const sub = f.subform!;
      rows.set(
        sub.rowType,
        new GraphQLObjectType<RecordView, GraphQLContext>({
          name: sub.rowType,
          description: `A row of ${m.label}.${f.apiName}.`,
          fields: () => ({ id: { type: new GraphQLNonNull(GraphQLID), resolve: (r) => r.data.id }, ...outputFields(b, sub.fields, rows, resolvers) }),
        }),
      );
      rowInputs.set(
        sub.rowType,
        new GraphQLInputObjectType({
          name: `${sub.rowType}Input`,
          fields: () => ({ id: { type: GraphQLID, description: 'An existing row to keep (and update).' }, ...inputFields(b, sub.fields, 'update', rowInputs) }),
        }),
      );
    }
  }
  for (const m of shape.modules) {
    b.objects.set(
      m.apiName,
      new GraphQLObjectType<RecordView, GraphQLContext>({
        name: m.typeName,
        description: `A ${m.label} record (Zoho module ${m.apiName}).`,
        fields: () => ({ id: { type: new GraphQLNonNull(GraphQLID), resolve: (r) => r.data.id }, ...outputFields(b, m.fields, rows, resolvers) }),
      }),
    );
  }

  const crmFields: GraphQLFieldConfigMap<unknown, GraphQLContext> = {};
  const mutationFields: GraphQLFieldConfigMap<unknown, GraphQLContext> = {};
  // `<list>Changes` never takes a module's own list or one field: on a clash the sync field is left out.
  const moduleFieldNames = new Set(shape.modules.flatMap((m) => [m.listField, m.oneField]));
  for (const m of shape.modules) {
    const type = b.objects.get(m.apiName)!;
    const r = resolvers.forModule(m);
    const connection = new GraphQLObjectType({
      name: helperName.connection(m.typeName),
      fields: { nodes: { type: new GraphQLNonNull(list(type)) }, pageInfo: { type: new GraphQLNonNull(b.pageInfo) } },
    });
    crmFields[m.listField] = {
      type: new GraphQLNonNull(connection),
      description: `${m.label} records: without where/orderBy one cursor walks up to 100,000 records (Zoho’s list API); with them, a COQL query (100,000 reachable with offsets). Needs records:read (or records:read:${m.apiName}).`,
      args: {
        first: { type: GraphQLInt, defaultValue: 50, description: 'Records per page, 1–200.' },
        after: { type: GraphQLString, description: 'The previous page’s pageInfo.endCursor.' },
        where: { type: moduleFilter(b, m) },
        orderBy: { type: list(moduleOrderBy(b, m)) },
      },
      resolve: r.list,
      extensions: cost({ kind: 'list', module: m.apiName }),
    };
    const changesField = `${m.listField}Changes`;
    if (!moduleFieldNames.has(changesField)) {
      const changes = new GraphQLObjectType({
        name: helperName.changes(m.typeName),
        description: `One page of ${m.label} changes: apply upserted, then deleted; store syncToken; call again with it while hasMore.`,
        fields: {
          upserted: { type: new GraphQLNonNull(list(type)), description: 'Records created or modified, oldest change first.' },
          deleted: { type: new GraphQLNonNull(list(b.deletedRecord)), description: 'Records deleted (after the upserts of the same round).' },
          syncToken: { type: new GraphQLNonNull(GraphQLString), description: 'Opaque and signed: pass it to the next call (bound to this tenant, connection and selection).' },
          hasMore: { type: new GraphQLNonNull(GraphQLBoolean), description: 'true: call again now; false: caught up, call again later.' },
        },
      });
      crmFields[changesField] = {
        type: new GraphQLNonNull(changes),
        description: `What changed in ${m.label} since a time or the last call (incremental sync, docs/sync.md): at most 2 Zoho calls per call, at least once. Needs records:read (or records:read:${m.apiName}).`,
        args: {
          since: { type: b.scalars.DateTime, description: 'First call: changes at or after this instant (none: every record, then changes).' },
          syncToken: { type: GraphQLString, description: 'The previous answer’s syncToken (not with since).' },
          first: { type: GraphQLInt, defaultValue: 200, description: 'Records per page, 1–200.' },
        },
        resolve: r.changes,
        extensions: cost({ kind: 'changes', module: m.apiName }),
      };
    }
    crmFields[m.oneField] = {
      type: type,
      description: `One ${m.label} record by id (null when none). Batched with every other read of the operation: 100 ids per Zoho call.`,
      args: { id: { type: new GraphQLNonNull(GraphQLID) } },
      resolve: r.one,
      extensions: cost({ kind: 'one', module: m.apiName }),
    };

    const result = new GraphQLObjectType<unknown, GraphQLContext>({
      name: helperName.result(m.typeName),
      description: `The outcome of one input of a ${m.label} write, at its input index.`,
      fields: {
        index: { type: new GraphQLNonNull(GraphQLInt), description: 'Position in the input list.' },
        status: { type: new GraphQLNonNull(GraphQLString), description: 'success or error.' },
        code: { type: new GraphQLNonNull(GraphQLString), description: 'Zoho’s code: SUCCESS, MANDATORY_NOT_FOUND, INVALID_DATA, DUPLICATE_DATA, …' },
        message: { type: new GraphQLNonNull(GraphQLString) },
        id: { type: GraphQLID, description: 'The written record’s id when status is success.' },
        details: { type: b.scalars.JSON, description: 'Zoho’s details, e.g. {api_name} of the field at fault.' },
        action: { type: GraphQLString, description: 'Upserts: insert or update.' },
        record: {
          type,
          description: 'The record as written (read back, batched: 100 ids per call); null for deletes and errors.',
          resolve: r.resultRecord as GraphQLFieldResolver<unknown, GraphQLContext>,
          extensions: cost({ kind: 'readBack', module: m.apiName }),
        },
      },
    });
    const createInput = new GraphQLInputObjectType({ name: helperName.createInput(m.typeName), fields: () => inputFields(b, m.fields, 'create', rowInputs) });
    const updateInput = new GraphQLInputObjectType({
      name: helperName.updateInput(m.typeName),
      fields: () => ({ id: { type: new GraphQLNonNull(GraphQLID) }, ...inputFields(b, m.fields, 'update', rowInputs) }),
    });
    const results = new GraphQLNonNull(list(result));
    const trigger = { type: list(b.trigger), description: 'Automation Zoho may run: omitted runs what Zoho would; [] runs none.' };
    const chunked = 'One result per input in input order, sent in Zoho calls of 100.';
    const write = (config: GraphQLFieldConfig<unknown, GraphQLContext>) => config;
    mutationFields[m.mutations.create] = write({
      type: results,
      description: `Creates ${m.label} records. ${chunked} Needs records:write:${m.apiName}.`,
      args: { input: { type: new GraphQLNonNull(list(createInput)) }, trigger },
      resolve: r.create,
      extensions: cost({ kind: 'write', arg: 'input' }),
    });
    mutationFields[m.mutations.update] = write({
      type: results,
      description: `Updates ${m.label} records by id. ${chunked} Needs records:write:${m.apiName}.`,
      args: { input: { type: new GraphQLNonNull(list(updateInput)) }, trigger },
      resolve: r.update,
      extensions: cost({ kind: 'write', arg: 'input' }),
    });
    mutationFields[m.mutations.upsert] = write({
      type: results,
      description: `Inserts or updates ${m.label} records, matching on duplicateCheckFields (field names of this type; default Zoho’s duplicate check fields). ${chunked} Needs records:write:${m.apiName}.`,
      args: { input: { type: new GraphQLNonNull(list(createInput)) }, duplicateCheckFields: { type: list(GraphQLString) }, trigger },
      resolve: r.upsert,
      extensions: cost({ kind: 'write', arg: 'input' }),
    });
    mutationFields[m.mutations.delete] = write({
      type: results,
      description: `Deletes ${m.label} records by id. ${chunked} Needs records:delete:${m.apiName}.`,
      args: { ids: { type: new GraphQLNonNull(list(GraphQLID)) } },
      resolve: r.delete,
      extensions: cost({ kind: 'delete', arg: 'ids' }),
    });
  }

  const baseConfig = base.toConfig();
  const crm = new GraphQLObjectType<unknown, GraphQLContext>({
    name: 'Crm',
    description: 'The connected CRM, typed from its module and field metadata: one field per module the connection can read.',
    fields: Object.keys(crmFields).length ? crmFields : { _empty: { type: GraphQLBoolean, description: 'The connection has no module the gateway can read.', resolve: () => null } },
  });
  const queryConfig = base.getQueryType()!.toConfig();
  const query = new GraphQLObjectType({
    ...queryConfig,
    fields: {
      ...queryConfig.fields,
      crm: { type: new GraphQLNonNull(crm), description: 'The connected CRM, typed (this connection’s modules and fields).', resolve: () => ({}), extensions: cost({ kind: 'crm' }) },
    },
  });
  const mutationConfig = base.getMutationType()!.toConfig();
  const mutation = new GraphQLObjectType({ ...mutationConfig, fields: { ...mutationConfig.fields, ...mutationFields } });
  const keep = baseConfig.types.filter((t) => t.name !== query.name && t.name !== mutation.name);
  return new GraphQLSchema({ ...baseConfig, query, mutation, types: [...keep, crm] });
}
