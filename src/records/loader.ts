import DataLoader from 'dataloader';
import { fieldGroups, mergeGroups, type ZRecord } from './fields.js';
import type { ZohoFetch } from './metadata.js';
import type { RecordView } from './view.js';

/** Zoho's cap on `ids` per list call (https://www.zoho.com/crm/developer/docs/api/v8/get-records.html). */
export const MAX_IDS_PER_CALL = 100;

/**
 * Per-request record loaders, one per (module, field set): every `record(...)` and lookup read of
 * an operation with the same module and fields becomes `GET /{module}?ids=…&fields=…` calls of
 * at most 100 ids (one call per 50-field group).
 */
export class RecordLoaders {
  private readonly loaders = new Map<string, DataLoader<string, RecordView | null>>();

  constructor(private readonly fetch: ZohoFetch) {}

  load(module: string, fields: Iterable<string>, id: string): Promise<RecordView | null> {
    const groups = fieldGroups(fields);
    const key = `${module}|${groups.map((g) => g.join(',')).join('|')}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, RecordView | null>((ids) => this.batch(module, groups, ids), { maxBatchSize: MAX_IDS_PER_CALL });
      this.loaders.set(key, loader);
    }
    return loader.load(id);
  }

  /**
   * Lets a list prime the loaders, so reading the same records again costs nothing. A whole page
   * at once: the field key is worked out once per module, not once per record (a page of 50 paid
   * for 50 sorts of its field names, most often to find no loader to prime).
   */
  prime(views: readonly RecordView[], fields: Iterable<string>): void {
    if (views.length === 0) return;
    const groups = fieldGroups(fields);
    const suffix = groups.map((g) => g.join(',')).join('|');
    for (const view of views) this.loaders.get(`${view.module}|${suffix}`)?.prime(view.data.id, view);
  }

  private async batch(module: string, groups: string[][], ids: readonly string[]): Promise<(RecordView | null)[]> {
    const answers = await Promise.all(
      groups.map((g) => this.fetch<{ data?: ZRecord[] }>({ method: 'GET', path: `/${module}`, query: { ids: ids.join(','), fields: g.join(',') } })),
    );
    const byId = new Map(mergeGroups(answers.map((a) => a.body?.data ?? [])).map((d) => [d.id, d]));
    return ids.map((id) => {
      const data = byId.get(id);
      return data ? { module, data } : null;
    });
  }
}
