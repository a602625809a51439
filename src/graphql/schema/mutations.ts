import { assertApiName } from '../../records/validate.js';
import { createRecords, deleteRecords, MAX_RECORDS_PER_CALL, DEFAULT_MAX_RECORDS_PER_MUTATION, updateRecords, upsertRecords, type WriteDeps } from '../../records/write.js';
import { NO_OUTCOME, type RecordResult } from '../../records/write-outcomes.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { requireConnection } from './require-connection.js';

/**
 * Record mutations: create, update, upsert and delete many records of one module, split into
 * Zoho calls of 100 in input order, with one exact result per input record (../../records/write.ts).
 */

const WriteTriggerEnum = builder.enumType('WriteTrigger', {
  description: 'Automation Zoho may run on a write (Zoho’s `trigger` values).',
  values: {
    WORKFLOW: { value: 'workflow', description: 'Workflow rules.' },
    APPROVAL: { value: 'approval', description: 'Approval processes.' },
    BLUEPRINT: { value: 'blueprint', description: 'Blueprints.' },
  } as const,
});

const RecordResultRef = builder.objectRef<RecordResult>('RecordResult').implement({
  description: 'The outcome of one input record of a write, at its input index.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position of the record (or id) in the input list.' }),
    id: t.exposeID('id', { nullable: true, description: 'The new, updated or deleted record’s id (Zoho’s details.id) when status is success.' }),
    status: t.exposeString('status', { description: 'success or error.' }),
    code: t.exposeString('code', {
      description: `Zoho’s code: SUCCESS, MANDATORY_NOT_FOUND, INVALID_DATA, DUPLICATE_DATA, …; ${NO_OUTCOME} when Zoho’s answer had no entry for this record (whether it was written is then unknown).`,
    }),
    message: t.exposeString('message', { description: 'Zoho’s message.' }),
    details: t.field({ type: 'JSON', nullable: true, description: 'Zoho’s details, e.g. {api_name, json_path, expected_data_type} for an error.', resolve: (r) => r.details }),
    action: t.exposeString('action', { nullable: true, description: 'Upserts: insert or update.' }),
    duplicateField: t.exposeString('duplicateField', { nullable: true, description: 'Upserts: the duplicate check field Zoho matched on.' }),
  }),
});

const RESULTS = `Returns one RecordResult per input, in input order; partial success is normal (check each status). Up to MAX_RECORDS_PER_MUTATION (default ${DEFAULT_MAX_RECORDS_PER_MUTATION.toLocaleString('en-US')}) per mutation (more is refused with BAD_USER_INPUT before any call), sent as sequential Zoho calls of ${MAX_RECORDS_PER_CALL} in input order.`;
const CHECKS =
  'Checked before any write: the module, that each record is an object, and every key against the module’s fields (`$`-prefixed Zoho system keys such as $append_values pass unchecked); values are Zoho’s to judge, per record.';
const FAILURE =
  'When a Zoho call fails as a whole (5xx, rate limit after retries, unreachable), the mutation fails with that error code and extensions { results (outcomes of every record before failedFromIndex), failedFromIndex (first record of the failed call: after a 5xx or lost answer extensions.writeOutcome is UNKNOWN, it may have been written; after a rate limit it was not), notSentFromIndex (first record never sent, or null) }.';
const TRIGGER =
  'Which automation to run. Omitted: no `trigger` is sent and Zoho runs every workflow rule, approval and blueprint whose criteria the records match; []: none runs; a list: only those (https://help.zoho.com/portal/en/community/topic/kaizen-33-triggering-workflow-rules-approvals-and-blueprints-via-zoho-crm-api).';

function deps(ctx: GraphQLContext): WriteDeps {
  return { zoho: ctx.zoho.bind(ctx), metadata: ctx.metadata, log: ctx.log, maxRecords: ctx.services.config.maxRecordsPerMutation };
}

builder.mutationField('createRecords', (t) =>
  t.field({
    type: [RecordResultRef],
    authScopes: (_p, args) => ({ scope: `records:write:${args.module}` }),
    description: `Creates records (POST /crm/v8/{module}). A record must not carry an id. ${RESULTS} ${CHECKS} ${FAILURE}`,
    args: {
      module: t.arg.string({ required: true, description: 'Module api name, e.g. Leads.' }),
      records: t.arg({ type: ['JSON'], required: true, description: 'Records as Zoho takes them: field api name → value (lookups as {"id": "…"}).' }),
      trigger: t.arg({ type: [WriteTriggerEnum], description: TRIGGER }),
    },
    resolve: async (_r, args, ctx) => {
      assertApiName(args.module, 'module');
      await requireConnection(ctx);
      return createRecords(deps(ctx), { module: args.module, records: args.records, trigger: args.trigger });
    },
  }),
);

builder.mutationField('updateRecords', (t) =>
  t.field({
    type: [RecordResultRef],
    authScopes: (_p, args) => ({ scope: `records:write:${args.module}` }),
    description: `Updates records (PUT /crm/v8/{module}): each record carries its id (a string of digits) and the fields to change. An unknown id is that record’s INVALID_DATA. ${RESULTS} ${CHECKS} ${FAILURE}`,
    args: {
      module: t.arg.string({ required: true }),
      records: t.arg({ type: ['JSON'], required: true }),
      trigger: t.arg({ type: [WriteTriggerEnum], description: TRIGGER }),
    },
    resolve: async (_r, args, ctx) => {
      assertApiName(args.module, 'module');
      await requireConnection(ctx);
      return updateRecords(deps(ctx), { module: args.module, records: args.records, trigger: args.trigger });
    },
  }),
);

builder.mutationField('upsertRecords', (t) =>
  t.field({
    type: [RecordResultRef],
    authScopes: (_p, args) => ({ scope: `records:write:${args.module}` }),
    description: `Inserts or updates records (POST /crm/v8/{module}/upsert): a record matching an existing one on a duplicate check field updates it, else a record is inserted (RecordResult.action says which). ${RESULTS} ${CHECKS} ${FAILURE}`,
    args: {
      module: t.arg.string({ required: true }),
      records: t.arg({ type: ['JSON'], required: true }),
      duplicateCheckFields: t.arg.stringList({
        description: 'Fields to match existing records on, in order. Omitted: Zoho’s system duplicate check fields (e.g. Leads: Email), then the module’s unique fields.',
      }),
      trigger: t.arg({ type: [WriteTriggerEnum], description: TRIGGER }),
    },
    resolve: async (_r, args, ctx) => {
      assertApiName(args.module, 'module');
      await requireConnection(ctx);
      return upsertRecords(deps(ctx), { module: args.module, records: args.records, trigger: args.trigger, duplicateCheckFields: args.duplicateCheckFields });
    },
  }),
);

builder.mutationField('deleteRecords', (t) =>
  t.field({
    type: [RecordResultRef],
    authScopes: (_p, args) => ({ scope: `records:delete:${args.module}` }),
    description: `Deletes records by id (DELETE /crm/v8/{module}?ids=). An unknown id is that index’s INVALID_DATA; the others are deleted. ${RESULTS.replace('per input', 'per id')} ${FAILURE}`,
    args: {
      module: t.arg.string({ required: true }),
      ids: t.arg.idList({ required: true }),
    },
    resolve: async (_r, args, ctx) => {
      assertApiName(args.module, 'module');
      await requireConnection(ctx);
      return deleteRecords(deps(ctx), { module: args.module, ids: args.ids.map(String) });
    },
  }),
);
