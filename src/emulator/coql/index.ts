import type { EmulatorContext } from '../emulator.js';
import type { ModuleDef } from '../metadata.js';
import type { EmulatorResponse } from '../router.js';
import { CoqlError } from './errors.js';
import { evaluate } from './evaluate.js';
import { parse } from './parser.js';
import { validate } from './validate.js';

export { parse } from './parser.js';
export { tokenize } from './lexer.js';
export { validate } from './validate.js';
export { CoqlError } from './errors.js';
export { COQL_LIMITS } from './limits.js';

/**
 * Runs one COQL query and answers as Zoho does: 200 `{"data":[…],"info":{"count","more_records"}}`,
 * or 204 with no body when nothing matches (OAS executeCOQLQuery: "204: … returned no matching records").
 */
export function runCoql(ctx: EmulatorContext, selectQuery: string, modules: ModuleDef[] = ctx.modules): EmulatorResponse {
  try {
    const query = parse(selectQuery);
    const view = query.customView === undefined ? undefined : ctx.customViews.get(query.customView);
    if (query.customView !== undefined) {
      // UNVERIFIED: Zoho's error for an unknown custom view id in FROM (an invalid module's).
      if (!view) throw new CoqlError('INVALID_QUERY', 'invalid query formed', { reason: 'invalid module', at: 'from' });
      query.module = view.module;
    }
    const plan = validate(query, modules);
    // The view's criteria narrow the rows; the query's own WHERE, ORDER BY and LIMIT apply as usual
    // (UNVERIFIED: whether the view's sort is the default order; we keep COQL's id order).
    const { data, moreRecords } = evaluate(ctx, plan, view && ((r) => ctx.customViews.matches(view, r)));
    if (data.length === 0) return { status: 204 };
    return { status: 200, body: { data, info: { count: data.length, more_records: moreRecords } } };
  } catch (err) {
    if (err instanceof CoqlError) return err.toResponse();
    throw err;
  }
}
