import DataLoader from 'dataloader';
import { fieldGroups, mergeGroups, type ZRecord } from './fields.js';
import type { ZohoFetch } from '../zoho/client.js';
import type { RecordView } from './view.js';

/** Zoho's cap on `ids` per list call (https://www.zoho.com/crm/developer/docs/api/v8/get-records.html). */
export const MAX_IDS_PER_CALL = 100;

/**
 * Per-request record loaders, one per (module, field set): every `record(...)` and lookup read of
 * an operation with the same module and fields becomes `GET /{module}?ids=…&fields=…` calls of
 * at most 100 ids (one call per 50-field group). Records a list or search of the same operation
 * already returned are served from it (`prime`), when it read every field asked for.
 */
export class RecordLoaders {
  private readonly loaders = new Map<string, DataLoader<string, RecordView | null>>();
  /** Records the operation's lists returned, by `module|id`, with the fields each list asked for. */
  private readonly primed = new Map<string, { view: RecordView; fields: ReadonlySet<string> }>();

  constructor(private readonly fetch: ZohoFetch) {}

  load(module: string, fields: Iterable<string>, id: string): Promise<RecordView | null> {
    const wanted = [...fields];
    const known = this.primed.get(`${module}|${id}`);
    if (known && wanted.every((f) => known.fields.has(f))) return Promise.resolve(project(known.view, wanted));
    const groups = fieldGroups(wanted);
    const key = `${module}|${groups.map((g) => g.join(',')).join('|')}`;
    let loader = this.loaders.get(key);
    if (!loader) {
      loader = new DataLoader<string, RecordView | null>((ids) => this.batch(module, groups, ids), { maxBatchSize: MAX_IDS_PER_CALL });
      this.loaders.set(key, loader);
    }
    return loader.load(id);
  }

  /**
   * Lets a list (or search) page serve later reads of the same records in this operation: a
   * `record` or lookup read asking for no field the list did not fetch costs no call. A record
   * primed twice keeps the page with more fields.
   */
  prime(views: readonly RecordView[], fields: Iterable<string>): void {
    if (views.length === 0) return;
    const read: ReadonlySet<string> = new Set(fields);
    for (const view of views) {
      const key = `${view.module}|${view.data.id}`;
      const before = this.primed.get(key);
      if (!before || before.fields.size <= read.size) this.primed.set(key, { view, fields: read });
    }
  }

  private async batch(module: string, groups: string[][], ids: readonly string[]): Promise<(RecordView | null)[]> {
    const answers = await Promise.all(groups.map((g) => this.fetch<{ data?: ZRecord[] }>({ method: 'GET', path: `/${module}`, query: { ids: ids.join(','), fields: g.join(',') } })));
    const byId = new Map(mergeGroups(answers.map((a) => a.body?.data ?? [])).map((d) => [d.id, d]));
    return ids.map((id) => {
      const data = byId.get(id);
      return data ? { module, data } : null;
    });
  }
}

/** The record with only `id` and the fields asked for, as Zoho answers `GET /{module}?ids=…&fields=…`. */
function project(view: RecordView, fields: readonly string[]): RecordView {
  const data: ZRecord = { id: view.data.id };
  for (const f of fields) if (Object.hasOwn(view.data, f)) data[f] = view.data[f];
  return { module: view.module, data };
}
