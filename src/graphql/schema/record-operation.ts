import type { RecordOperation } from '../../events/types.js';
import { builder } from '../builder.js';

/**
 * What happened to a record: shared by `watchRecords` (which changes to watch) and the
 * `recordEvents` subscription (what changed). Values are the gateway's own `RecordOperation`
 * strings, so resolvers pass them through untranslated.
 */
export const RecordOperationEnum = builder.enumType('RecordOperation', {
  description: 'A change to a CRM record.',
  values: {
    CREATE: { value: 'CREATE', description: 'A record was created (Zoho’s `create` event, `insert` operation).' },
    UPDATE: { value: 'UPDATE', description: 'A record was edited (Zoho’s `edit` event, `update` operation).' },
    DELETE: { value: 'DELETE', description: 'A record was deleted (Zoho’s `delete` event and operation).' },
  } as const satisfies Record<RecordOperation, { value: RecordOperation; description: string }>,
});
