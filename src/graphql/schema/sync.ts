import { MAX_PER_PAGE } from '../../records/list.js';
import { recordNeeds } from '../../records/selection.js';
import type { ChangesView, DeletedView } from '../../records/sync.js';
import { assertApiName } from '../../records/validate.js';
import { builder } from '../builder.js';
import { DEFAULT_CHANGES_FIRST, runRecordChanges } from '../sync-changes.js';
import { RecordRef, wantedFields } from './records.js';

/** Incremental sync: `recordChanges` (docs/sync.md). The typed `<module>Changes` fields share DeletedRecord. */

export const DeletedRecordRef = builder.objectRef<DeletedView>('DeletedRecord').implement({
  description: 'A record Zoho reports deleted (recycle bin or permanently deleted).',
  fields: (t) => ({
    id: t.id({ resolve: (d) => d.id }),
    deletedTime: t.field({ type: 'DateTime', description: 'When it was deleted (Zoho’s one-second precision).', resolve: (d) => d.deletedTime }),
  }),
});

const RecordChangesRef = builder.objectRef<ChangesView>('RecordChanges').implement({
  description: 'One page of a module’s changes. Apply upserted, then deleted; store syncToken; call again with it while hasMore.',
  fields: (t) => ({
    upserted: t.field({ type: [RecordRef], description: 'Records created or modified, oldest change first.', resolve: (c) => c.upserted }),
    deleted: t.field({ type: [DeletedRecordRef], description: 'Records deleted (after the upserts of the same round).', resolve: (c) => c.deleted }),
    syncToken: t.exposeString('syncToken', { description: 'Opaque and signed: pass it to the next call. Bound to this tenant, connection, module and field selection.' }),
    hasMore: t.exposeBoolean('hasMore', { description: 'true: call again now; false: caught up, call again later with the same token.' }),
  }),
});

builder.queryField('recordChanges', (t) =>
  t.field({
    type: RecordChangesRef,
    authScopes: (_p, args) => ({ scope: `records:read:${args.module}` }),
    description: `What changed in a module since a time or since the last call: records created or modified (Zoho’s If-Modified-Since, oldest first) and records deleted. At most 2 Zoho calls per call. At least once: a record may come twice around the second a call ended, never not at all. See docs/sync.md.`,
    args: {
      module: t.arg.string({ required: true, description: 'Module api name, e.g. Deals.' }),
      since: t.arg({ type: 'DateTime', description: 'First call: changes at or after this instant (none: every record, then changes).' }),
      syncToken: t.arg.string({ description: 'The previous answer’s syncToken (not with since).' }),
      first: t.arg.int({ defaultValue: DEFAULT_CHANGES_FIRST, description: `Records per page, 1–${MAX_PER_PAGE}; deletions are paged by the same number.` }),
      fields: t.arg.stringList({ description: 'Field api names to fetch in addition to what the selection reads (at most 50 in all).' }),
    },
    resolve: async (_r, args, ctx, info) => {
      assertApiName(args.module, 'module');
      const fields = await wantedFields(ctx, args.module, args.fields, recordNeeds(info, ['upserted']));
      const changes = await runRecordChanges(ctx, args.module, fields, { since: (args.since as number | null | undefined) ?? null, syncToken: args.syncToken ?? null, first: args.first ?? null });
      return changes;
    },
  }),
);
