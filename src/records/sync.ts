import { GatewayError } from '../errors.js';
import { fieldsKey } from './cursor.js';
import type { ZRecord } from './fields.js';
import { MAX_PER_PAGE, TOKEN_PAGING_LIMIT } from './list.js';
import type { ZohoFetch } from '../zoho/client.js';
import { readSyncToken, signSyncToken, type SyncBinding } from './sync-token.js';
import type { RecordView } from './view.js';
import { zohoEpochSecond, zohoHeaderTime } from './zoho-time.js';

/**
 * Incremental sync of one module (`recordChanges`, docs/sync.md). A sync runs in rounds; a round
 * walks two lists of Zoho's, one after the other:
 * 1. upserts: `GET /{module}?sort_by=Modified_Time&sort_order=asc` with `If-Modified-Since`, page 1
 *    and then Zoho's `next_page_token` (a token resumes where the last page ended, so records
 *    modified or deleted meanwhile shift nothing; page numbers would skip records; tokens reach
 *    100,000 records; https://www.zoho.com/crm/developer/docs/api/v8/get-records.html, crm-oas
 *    getRecords response-200-leads.md shows a next_page_token on page 1);
 * 2. deletions: `GET /{module}/deleted?type=all&page=` with the same header (crm-oas
 *    getDeletedRecords operation.md). After the upserts, so a record deleted during the round is
 *    reported deleted after any upsert of it: applying each answer in order (upserted, then
 *    deleted) never brings a deleted record back.
 * Zoho's timestamps have one-second precision, and `If-Modified-Since` means "in a later second".
 * A round therefore asks from the last second the previous round delivered (not after it), so a
 * record modified in that same second after it was read is not lost, and drops what it already
 * delivered at that second: the token keeps those ids (up to SEEN_PER_SECOND; beyond, they come
 * again: at least once wins over exactly once).
 */

/** Ids the token remembers for the overlap second, per list (bounds the token to a few KB). */
export const SEEN_PER_SECOND = 250;
/** Zoho calls of one recordChanges answer at most: an upsert page, then a deleted page. */
export const RECORD_CHANGES_CALLS = 2;
/** Fields of one sync: one Zoho call per page, so Zoho's 50 per call (get-records.html). */
export const MAX_SYNC_FIELDS = 50;

/** The last second a walk delivered, and the ids it saw in it. `w` -1: none yet. */
interface Mark {
  w: number;
  ids: string[];
}

interface Walk {
  /** `If-Modified-Since` of this walk (epoch second), null: none (everything). */
  s: number | null;
  /** Under way (pages left in this round). */
  live: boolean;
  /** The previous walk's last second: its ids are dropped when read again. */
  prev: Mark;
  /** This walk's last second so far. */
  next: Mark;
}

interface SyncState {
  v: 1;
  /** per_page of this round (a page token is bound to it). */
  pp: number;
  /** pt: Zoho's next page token; n: records this walk read; c: it stopped at 100,000 with more left. */
  u: Walk & { pt: string | null; n: number; c?: boolean };
  d: Walk & { p: number };
}

export interface ChangesInput {
  module: string;
  /** Field api names to read (validated, Modified_Time included). */
  fields: readonly string[];
  first: number;
  /** Epoch ms: changes at or after it (first call only). */
  since: number | null;
  syncToken: string | null;
}

export interface ChangesDeps {
  fetch: ZohoFetch;
  /** Sync-token keys: the first signs, all verify (current key, then retired ones). */
  keys: readonly Buffer[];
  binding: Omit<SyncBinding, 'module' | 'fields'>;
}

export interface DeletedView {
  id: string;
  /** Epoch ms. */
  deletedTime: number;
}

export interface ChangesView {
  upserted: RecordView[];
  deleted: DeletedView[];
  syncToken: string;
  hasMore: boolean;
}

const bad = (message: string, argument: string) => new GatewayError('BAD_USER_INPUT', message, { argument });

const emptyMark = (): Mark => ({ w: -1, ids: [] });

function remember(mark: Mark, second: number | undefined, id: string): void {
  if (second === undefined) return;
  if (second > mark.w) {
    mark.w = second;
    mark.ids = [id];
  } else if (second === mark.w && mark.ids.length < SEEN_PER_SECOND && !mark.ids.includes(id)) mark.ids.push(id);
}

/** A walk of a new round: from the previous walk's last second (inclusive), or where it stood. */
function startWalk(walk: Walk): void {
  if (walk.next.w >= 0) walk.prev = walk.next;
  if (walk.prev.w >= 0) walk.s = walk.prev.w - 1;
  walk.next = emptyMark();
  walk.live = true;
}

interface ZohoList {
  data?: ZRecord[];
  info?: { more_records?: boolean; next_page_token?: string | null };
}

interface ZohoDeleted {
  data?: { id: string; deleted_time?: string }[];
  info?: { more_records?: boolean };
}

/** Zoho's answers that say a page token can no longer be used (expired after 24 h, or altered). */
const DEAD_TOKEN = new Set(['EXPIRED_VALUE', 'TOKEN_BOUND_DATA_MISMATCH']);

function zohoCode(err: unknown): unknown {
  return err instanceof GatewayError ? (err.details as { zoho?: { code?: unknown } } | undefined)?.zoho?.code : undefined;
}

export async function recordChanges(deps: ChangesDeps, input: ChangesInput): Promise<ChangesView> {
  const { module, first } = input;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PER_PAGE) throw bad(`first must be 1–${MAX_PER_PAGE}`, 'first');
  if (input.fields.length > MAX_SYNC_FIELDS) {
    throw bad(
      `a sync reads at most ${MAX_SYNC_FIELDS} fields (one Zoho call per page); this selection needs ${input.fields.length}: select fewer fields than data, or name them with fields`,
      'fields',
    );
  }
  if (input.since !== null && input.syncToken !== null) throw bad('pass since (to start a sync) or syncToken (to continue one), not both', 'since');
  const fields = [...new Set(input.fields)].sort();
  const binding: SyncBinding = { ...deps.binding, module, fields: fieldsKey([fields]) };

  let state: SyncState;
  if (input.syncToken !== null) state = readSyncToken<SyncState>(deps.keys, binding, input.syncToken);
  else {
    // `since` inclusive: from its second on, i.e. modified after the second before it.
    const s = input.since === null ? null : Math.floor(input.since / 1000) - 1;
    const walk = (): Walk => ({ s, live: false, prev: emptyMark(), next: emptyMark() });
    state = { v: 1, pp: first, u: { ...walk(), pt: null, n: 0 }, d: { ...walk(), p: 1 } };
  }
  const { u, d } = state;
  if (!u.live && !d.live) {
    startWalk(u);
    startWalk(d);
    u.pt = null;
    u.n = 0;
    u.c = false;
    d.p = 1;
    state.pp = first;
  }

  const upserted: RecordView[] = [];
  const deleted: DeletedView[] = [];
  if (u.live) {
    let res: Awaited<ReturnType<ZohoFetch>> | undefined;
    try {
      res = await deps.fetch<ZohoList>({
        method: 'GET',
        path: `/${module}`,
        query: { fields: fields.join(','), sort_by: 'Modified_Time', sort_order: 'asc', per_page: state.pp, ...(u.pt ? { page_token: u.pt } : { page: 1 }) },
        ...(u.s === null ? {} : { ifModifiedSince: zohoHeaderTime(u.s) }),
      });
    } catch (err) {
      if (!u.pt || !DEAD_TOKEN.has(zohoCode(err) as string)) throw err;
      // The page token died (a sync paused for over 24 h): walk again from what was delivered.
      u.live = false;
      startWalk(u);
      u.pt = null;
      u.n = 0;
    }
    if (res) {
      const body = res.body as ZohoList | null;
      const prev = new Set(u.prev.ids);
      for (const r of body?.data ?? []) {
        const second = zohoEpochSecond(r.Modified_Time);
        const seen = second === u.prev.w && prev.has(r.id);
        remember(u.next, second, r.id);
        if (!seen) upserted.push({ module, data: r });
      }
      const count = body?.data?.length ?? 0;
      const token = body?.info?.next_page_token ?? null;
      u.n += count;
      if (body?.info?.more_records && token && count > 0 && u.n + state.pp <= TOKEN_PAGING_LIMIT) u.pt = token;
      else {
        // The walk is over (or at Zoho's 100,000 records per token walk: the next round goes on
        // from the last second delivered, which the ascending order makes safe).
        u.live = false;
        u.pt = null;
        u.c = Boolean(body?.info?.more_records) && count > 0;
      }
    }
  }
  if (!u.live && d.live) {
    const res = await deps.fetch<ZohoDeleted>({
      method: 'GET',
      path: `/${module}/deleted`,
      query: { type: 'all', page: d.p, per_page: state.pp },
      ...(d.s === null ? {} : { ifModifiedSince: zohoHeaderTime(d.s) }),
    });
    const prev = new Set(d.prev.ids);
    for (const e of res.body?.data ?? []) {
      const second = zohoEpochSecond(e.deleted_time);
      const seen = second === d.prev.w && prev.has(e.id);
      remember(d.next, second, e.id);
      // Zoho always dates a deletion; an entry it did not is reported all the same, dated now.
      if (!seen) deleted.push({ id: String(e.id), deletedTime: second !== undefined ? second * 1000 : Date.now() });
    }
    if (res.body?.info?.more_records && (res.body.data?.length ?? 0) > 0) d.p++;
    else d.live = false;
  }
  return { upserted, deleted, syncToken: signSyncToken(deps.keys[0]!, binding, state), hasMore: u.live || d.live || Boolean(u.c) };
}
