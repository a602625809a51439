import type { ZRecord } from './seed.js';

/**
 * Zoho's search index, which lags writes: "When you create or edit a record and search for it
 * immediately, you may receive a 204 NO CONTENT response due to indexing delays. To fetch records
 * without delay, use the Query API" (crm-oas v8.0/module_search/mds/searchRecords.md, notes and
 * the 204 response; D/search-records.html). Only the Search API reads through this; Get Records
 * and COQL see every write at once.
 *
 * A write becomes searchable `lagMs` after it was made. Until then a search matches the record as
 * it was last indexed: a new record not at all, an edited one by its old values. UNVERIFIED: how
 * long Zoho's lag is (the documents give no figure; `lagMs` is the emulator's knob, 0 by default);
 * that a deletion leaves the index at once (we do: a search reads the stored records); and that the
 * data a hit returns is the stored record, not the indexed copy (we return the stored record).
 */
export class SearchIndex {
  /** Versions of records written within the lag, oldest first, per module and record id. */
  private readonly pending = new Map<string, Map<string, Array<{ visibleAt: number; record: ZRecord | undefined }>>>();

  constructor(
    /** Milliseconds from a write to the moment search sees it (a test may change it). */
    public lagMs: number,
    private readonly now: () => number,
  ) {}

  /** A record was inserted (`before` undefined) or edited; `after` is the stored record. */
  written(module: string, before: ZRecord | undefined, after: ZRecord): void {
    if (this.lagMs <= 0) return;
    let byId = this.pending.get(module);
    if (!byId) this.pending.set(module, (byId = new Map()));
    let versions = byId.get(after.id);
    if (!versions) byId.set(after.id, (versions = [{ visibleAt: -Infinity, record: before && { ...before } }]));
    versions.push({ visibleAt: this.now() + this.lagMs, record: { ...after } });
  }

  /**
   * The record as search sees it now: the stored one once its last write is indexed, else the
   * version indexed before it, or undefined when none is (a record still too new to be found).
   */
  view(module: string, stored: ZRecord): ZRecord | undefined {
    const versions = this.pending.get(module)?.get(stored.id);
    if (!versions) return stored;
    const t = this.now();
    let i = versions.length - 1;
    while (i > 0 && versions[i]!.visibleAt > t) i--;
    if (i === versions.length - 1) {
      this.pending.get(module)!.delete(stored.id);
      return stored;
    }
    return versions[i]!.record;
  }
}
