import { createHash } from 'node:crypto';
import { GatewayError } from '../errors.js';

/**
 * The opaque `after` cursor of a record list. It hides Zoho's two paging modes: `page`/`per_page`
 * reaches the first 2,000 records, `page_token` (from the previous answer) reaches up to 100,000
 * (https://www.zoho.com/crm/developer/docs/api/v8/get-records.html). A page token is bound to the
 * parameters of the call that produced it, so the cursor remembers them.
 */
export interface ListCursor {
  v: 1;
  /** Module, sort field, sort order, custom view. */
  m: string;
  s: string | null;
  o: string | null;
  c: string | null;
  /** Records already returned before this cursor. */
  off: number;
  /** per_page of the calls that produced the tokens. */
  n: number;
  /** Hash of the field groups the tokens were produced with. */
  f: string;
  /** Zoho's next_page_token per field group (same order as the groups), when Zoho gave them. */
  t: (string | null)[];
}

export function fieldsKey(groups: readonly (readonly string[])[]): string {
  return createHash('sha256')
    .update(groups.map((g) => g.join(',')).join('|'))
    .digest('base64url')
    .slice(0, 16);
}

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(text: string, module: string): ListCursor {
  let c: Partial<ListCursor>;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<ListCursor>;
  } catch {
    throw new GatewayError('BAD_USER_INPUT', 'after is not a cursor this gateway issued', { argument: 'after' });
  }
  if (c.v !== 1 || typeof c.off !== 'number' || typeof c.n !== 'number' || !Array.isArray(c.t) || typeof c.f !== 'string') {
    throw new GatewayError('BAD_USER_INPUT', 'after is not a cursor this gateway issued', { argument: 'after' });
  }
  if (c.m !== module) throw new GatewayError('BAD_USER_INPUT', `after belongs to module ${String(c.m)}, not ${module}`, { argument: 'after' });
  return c as ListCursor;
}
