import { matchCriteria, parseCriteria } from '../criteria.js';
import { crmAuth, type EmulatorContext } from '../emulator.js';
import { zohoError } from '../errors.js';
import type { DataType, ModuleDef } from '../metadata.js';
import type { AccessToken } from '../accounts.js';
import { intParam, invalidModule, moduleScope, parseFields, project, sortRecords, viewOf } from '../record-helpers.js';
import type { EmulatorRequest, EmulatorResponse, Router } from '../router.js';
import type { ZRecord } from '../seed.js';

/**
 * GET /crm/v8/{module}/search — https://www.zoho.com/crm/developer/docs/api/v8/search-records.html
 * and crm-oas v8.0/module_search/mds/searchRecords.md (+ module_search.yaml, examples):
 *  - exactly one of `criteria`, `email`, `phone`, `word` is used, in that priority; none →
 *    400 EXPECTED_PARAM_MISSING `{"param_names":["criteria","email","phone","word"]}`;
 *  - `page` (default 1), `per_page` (1..200, default 200); at most 2,000 results are reachable,
 *    beyond → 400 LIMIT_REACHED `{"limit":"2000"}` "maximum response iteration limit reached";
 *  - `fields` optional (all fields when absent); `sort_by` default id, `sort_order` default desc;
 *  - no match → 204; `info` is `{per_page, count, page, more_records}` as in the 200 sample;
 *  - a record created or edited less than `searchIndexLagMs` ago is matched as it was before the
 *    write (../search-index.ts: "you may receive a 204 NO CONTENT response due to indexing delays").
 * Scope: the module's READ scope (the OAS security list). UNVERIFIED: the web page also names
 * `ZohoSearch.securesearch.READ`, which the OAS does not require; we do not require it.
 * Registered before the record routes so `search` is not taken for a record id.
 */

export const SEARCH_LIMIT = 2000;

export function registerSearchRoutes(router: Router, ctx: EmulatorContext): void {
  router.add(
    'GET',
    '/crm/v8/:module/search',
    crmAuth(ctx, moduleScope('READ'), (req, t) => search(ctx, req, t)),
  );
}

const TEXT_TYPES: DataType[] = ['text', 'textarea', 'email', 'phone', 'website', 'picklist'];

function search(ctx: EmulatorContext, req: EmulatorRequest, token: AccessToken): EmulatorResponse {
  const module = viewOf(ctx, req.params.module!, token);
  if (!module) return invalidModule();
  const q = req.query;
  const matcher = buildMatcher(module, q);
  if ('status' in matcher) return matcher;

  // UNVERIFIED: errors for a bad page/per_page/sort (modelled on Get Records' INVALID_DATA).
  const per = intParam(q.get('per_page'), 1, 200);
  if (per === null) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'per_page' });
  const page = intParam(q.get('page'), 1, Number.MAX_SAFE_INTEGER);
  if (page === null) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'page' });
  const sortBy = q.get('sort_by') ?? 'id';
  if (sortBy !== 'id' && !module.fields.some((f) => f.api_name === sortBy)) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'sort_by' });
  const sortOrder = q.get('sort_order') ?? 'desc';
  if (sortOrder !== 'asc' && sortOrder !== 'desc') return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'sort_order', supported_values: ['asc', 'desc'] });
  const fieldsRaw = q.get('fields');
  // UNVERIFIED: whether search caps `fields` at 50 like Get Records; we do not cap it.
  const fields = fieldsRaw && fieldsRaw.trim() ? parseFields(module, fieldsRaw).fields : undefined;

  const perPage = per ?? 200;
  const pageNo = page ?? 1;
  const start = (pageNo - 1) * perPage;
  if (start >= SEARCH_LIMIT) return zohoError(400, 'LIMIT_REACHED', 'maximum response iteration limit reached', { limit: String(SEARCH_LIMIT) });

  // Matched as the index sees each record (writes lag, ./search-index.ts); returned as stored.
  const index = ctx.searchIndex;
  const hits = sortRecords(
    [...ctx.records(module.api_name).values()].filter((r) => {
      const indexed = index.view(module.api_name, r);
      return indexed !== undefined && matcher.fn(indexed);
    }),
    sortBy,
    sortOrder,
  );
  // UNVERIFIED: a page straddling result 2,000 is cut there, and more_records then says whether
  // more matches exist at all.
  const end = Math.min(start + perPage, SEARCH_LIMIT);
  const rows = hits.slice(start, end);
  if (rows.length === 0) return { status: 204 };
  return {
    status: 200,
    body: {
      data: rows.map((r) => project(module, r, fields)),
      info: { per_page: perPage, count: rows.length, page: pageNo, more_records: end < hits.length },
    },
  };
}

/** Picks the highest-priority search parameter and turns it into a record predicate. */
function buildMatcher(module: ModuleDef, q: URLSearchParams): { fn: (r: ZRecord) => boolean } | EmulatorResponse {
  const criteria = q.get('criteria');
  if (criteria !== null && criteria !== '') {
    const parsed = parseCriteria(criteria, module);
    if ('error' in parsed) return zohoError(400, parsed.error.code, parsed.error.message, parsed.error.details);
    return { fn: (r) => matchCriteria(r, parsed.node, module) };
  }
  const email = q.get('email');
  if (email) {
    // "Partial matches are supported and searches multiple email fields" (OAS `email`).
    const needle = email.toLowerCase();
    const fields = fieldsOf(module, ['email']);
    return {
      fn: (r) =>
        fields.some((f) =>
          String(r[f] ?? '')
            .toLowerCase()
            .includes(needle),
        ),
    };
  }
  const phone = q.get('phone');
  if (phone) {
    // OAS: at least 3 characters, digits / spaces / + - ( ) . only. UNVERIFIED: error shape;
    // matching on digits so formats differ freely.
    if (phone.length < 3 || !/^[+]?[0-9\s\-().]+$/.test(phone)) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'phone' });
    const digits = phone.replace(/\D/g, '');
    const fields = fieldsOf(module, ['phone']);
    return {
      fn: (r) =>
        fields.some((f) =>
          String(r[f] ?? '')
            .replace(/\D/g, '')
            .includes(digits),
        ),
    };
  }
  const word = q.get('word');
  if (word) {
    // OAS: at least 2 characters. UNVERIFIED: error shape; word matches any text-like field.
    if (word.length < 2) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'word' });
    const needle = word.toLowerCase();
    const fields = fieldsOf(module, TEXT_TYPES);
    return {
      fn: (r) =>
        fields.some((f) =>
          String(r[f] ?? '')
            .toLowerCase()
            .includes(needle),
        ),
    };
  }
  return zohoError(400, 'EXPECTED_PARAM_MISSING', 'one of the expected parameter is missing', { param_names: ['criteria', 'email', 'phone', 'word'] });
}

function fieldsOf(module: ModuleDef, types: DataType[]): string[] {
  return module.fields.filter((f) => types.includes(f.data_type)).map((f) => f.api_name);
}
