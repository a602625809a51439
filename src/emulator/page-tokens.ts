import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from './emulator.js';
import type { SortKey } from './record-helpers.js';

/**
 * `page_token` state for Get Records. Zoho documents the token as opaque (max 96 chars), valid for
 * 24 hours (`info.page_token_expiry`), usable up to 100,000 records, and bound to the request's
 * parameters: a changed parameter gives TOKEN_BOUND_DATA_MISMATCH, an expired token EXPIRED_VALUE.
 * Sources: https://www.zoho.com/crm/developer/docs/api/v8/get-records.html, crm-oas
 * v8.0/record/operations/getRecords/operation.md and its examples response-400-expiredvalue.md,
 * response-400-tokenbounddatamismatch.md, response-400-paginationlimitexceeded.md.
 *
 * The emulator keeps the state server side and hands out a random handle. Paging resumes *after
 * the last record's sort key*, so inserts or deletes between calls never cause gaps or duplicates.
 * UNVERIFIED: how Zoho itself resumes (snapshot or key), and what `previous_page_token` holds; here
 * it is the token that fetched the previous page, or null when that page was fetched by `page`.
 */

export const PAGE_TOKEN_TTL_MS = 24 * 3600_000;
export const PAGE_TOKEN_MAX_RECORDS = 100_000;

export interface TokenState {
  /** module, fields, sort, cvid and per_page the token was minted for. */
  binding: string;
  /** Resume strictly after this key. */
  after: SortKey;
  /** The page number this token fetches. */
  page: number;
  /** How many records precede that page. */
  offset: number;
  /** The token used to fetch the page before this token's page (for previous_page_token). */
  prevToken: string | null;
  expiresAt: number;
}

const stores = new WeakMap<EmulatorContext, Map<string, TokenState>>();

function store(ctx: EmulatorContext): Map<string, TokenState> {
  let s = stores.get(ctx);
  if (!s) {
    s = new Map();
    stores.set(ctx, s);
  }
  return s;
}

export function mintPageToken(ctx: EmulatorContext, state: Omit<TokenState, 'expiresAt'>): { token: string; expiresAt: number } {
  const s = store(ctx);
  const now = ctx.now();
  // Drop long-expired tokens so a long-lived emulator does not grow without bound (kept one more
  // TTL after expiry, so a late caller still gets EXPIRED_VALUE rather than a mismatch).
  for (const [k, v] of s) if (v.expiresAt + PAGE_TOKEN_TTL_MS <= now) s.delete(k);
  const token = randomBytes(24).toString('hex');
  const expiresAt = now + PAGE_TOKEN_TTL_MS;
  s.set(token, { ...state, expiresAt });
  return { token, expiresAt };
}

export type TokenLookup = { state: TokenState } | { error: 'mismatch' | 'expired' };

export function readPageToken(ctx: EmulatorContext, token: string, binding: string): TokenLookup {
  const state = store(ctx).get(token);
  // A token this emulator never issued (or issued by another DC) reads as "invalid or altered".
  if (!state || state.binding !== binding) return { error: 'mismatch' };
  if (state.expiresAt <= ctx.now()) return { error: 'expired' };
  return { state };
}
