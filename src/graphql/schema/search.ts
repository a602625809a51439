import { buildCriteria, checkCriteriaShape, type CriteriaNode, type CriteriaOperator } from '../../records/criteria.js';
import { fieldGroups, mergeGroups, type ZRecord } from '../../records/fields.js';
import { MAX_PER_PAGE } from '../../records/list.js';
import { recordNeeds } from '../../records/selection.js';
import { assertApiName } from '../../records/validate.js';
import type { RecordPageView } from '../../records/view.js';
import { GatewayError } from '../../errors.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { RecordPage, wantedFields } from './records.js';

/**
 * `searchRecords`: Zoho's Search Records API (`GET /crm/v8/{module}/search`,
 * https://www.zoho.com/crm/developer/docs/api/v8/search-records.html) with a structured filter
 * (`where`, turned into Zoho's criteria string by src/records/criteria.ts), a raw `criteria`
 * string for experts, or Zoho's `email` / `phone` / `word` searches.
 */

/** "You can search for and fetch a maximum of 2000 records using this API" (search-records.html). */
export const SEARCH_REACH = 2000;

const CriteriaOperatorEnum = builder.enumType('CriteriaOperator', {
  description: 'Zoho’s v8 search operators (search-records.html). Which apply depends on the field’s data type: see searchRecords.',
  values: {
    EQUALS: { value: 'equals', description: 'On text: contains the value (Zoho’s reading of equals in search).' },
    NOT_EQUAL: { value: 'not_equal' },
    STARTS_WITH: { value: 'starts_with' },
    IN: { value: 'in', description: 'Any of `values` (1–100).' },
    GREATER_THAN: { value: 'greater_than' },
    GREATER_EQUAL: { value: 'greater_equal' },
    LESS_THAN: { value: 'less_than' },
    LESS_EQUAL: { value: 'less_equal' },
    BETWEEN: { value: 'between', description: 'Inclusive; `values` is [low, high].' },
  } as const satisfies Record<string, { value: CriteriaOperator; description?: string }>,
});

export const CriteriaInput = builder.inputRef<CriteriaNode>('CriteriaInput').implement({
  description: 'A search filter node: exactly one of a condition (field + operator + value, or values for IN and BETWEEN), and, or or. At most 10 conditions in all.',
  fields: (t) => ({
    field: t.string({ description: 'Field api name.' }),
    operator: t.field({ type: CriteriaOperatorEnum }),
    // The JSON scalar's input type is `unknown`, which Pothos will not match against an optional
    // field (`{} | null | undefined`); the value is checked in records/criteria.ts anyway.
    value: t.field({ type: 'JSON', description: 'A string, number, boolean, date (yyyy-MM-dd) or date-time (ISO 8601 with offset); escaped for you.' }) as never,
    values: t.field({ type: ['JSON'], description: 'For IN (1–100 values) and BETWEEN (exactly two: low, high).' }),
    and: t.field({ type: [CriteriaInput], description: 'All of these.' }),
    or: t.field({ type: [CriteriaInput], description: 'Any of these.' }),
  }),
});

interface ZohoSearchBody {
  data?: ZRecord[];
  info?: { more_records?: boolean; count?: number; page?: number };
}

/** Exactly one search mode, as the query parameters Zoho takes. */
type SearchArgs = { where?: CriteriaNode | null; criteria?: string | null; email?: string | null; phone?: string | null; word?: string | null };
type Mode = 'where' | 'criteria' | 'email' | 'phone' | 'word';

function searchMode(args: SearchArgs): Mode {
  const given = (['where', 'criteria', 'email', 'phone', 'word'] as const).filter((k) => args[k] !== null && args[k] !== undefined);
  // Zoho would silently use the first of criteria, email, phone, word (search-records.html note):
  // the gateway refuses the ambiguity instead.
  if (given.length !== 1) throw new GatewayError('BAD_USER_INPUT', 'give exactly one of where, criteria, email, phone, word', { argument: given.join(',') || 'where' });
  return given[0]!;
}

function checkPage(page: number, perPage: number): void {
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > MAX_PER_PAGE) throw new GatewayError('BAD_USER_INPUT', `perPage must be 1–${MAX_PER_PAGE}`, { argument: 'perPage' });
  if (!Number.isInteger(page) || page < 1) throw new GatewayError('BAD_USER_INPUT', 'page must be 1 or more', { argument: 'page' });
  // Beyond result 2,000 Zoho answers LIMIT_REACHED: refuse before spending a call.
  if (page * perPage > SEARCH_REACH) {
    throw new GatewayError('BAD_USER_INPUT', `Zoho's search reaches the first ${SEARCH_REACH} results only (page × perPage ≤ ${SEARCH_REACH}); narrow the search or use coql`, {
      argument: 'page',
      maximum: SEARCH_REACH,
    });
  }
}

/** The one search parameter to send, validated. */
async function searchQuery(ctx: GraphQLContext, module: string, mode: Mode, args: SearchArgs): Promise<Record<string, string>> {
  if (mode === 'where') {
    const fields = new Map((await ctx.metadata.fields(module)).map((f) => [f.apiName, f]));
    return { criteria: buildCriteria(args.where!, (name) => fields.get(name)).criteria };
  }
  const value = args[mode]!;
  if (value.trim() === '') throw new GatewayError('BAD_USER_INPUT', `${mode} must not be empty`, { argument: mode });
  // Zoho's own minimums (crm-oas v8.0 module_search: `word` at least 2 characters, `phone` at least 3).
  if (mode === 'word' && value.length < 2) throw new GatewayError('BAD_USER_INPUT', 'word needs at least 2 characters', { argument: 'word' });
  if (mode === 'phone' && value.length < 3) throw new GatewayError('BAD_USER_INPUT', 'phone needs at least 3 characters', { argument: 'phone' });
  return { [mode]: value };
}

builder.queryField('searchRecords', (t) =>
  t.field({
    type: RecordPage,
    authScopes: (_p, args) => ({ scope: `records:read:${args.module}` }),
    description: [
      'Searches a module with Zoho’s Search API: give exactly one of `where` (a structured filter, escaped for you), `criteria` (Zoho’s raw criteria string),',
      '`email`, `phone` or `word`. Zoho’s `equals` matches text that contains the value. Operators by data type: text, email, phone, website:',
      'EQUALS, NOT_EQUAL, STARTS_WITH, IN; textarea: EQUALS, NOT_EQUAL, STARTS_WITH; picklist and lookups: EQUALS, NOT_EQUAL, IN; boolean: EQUALS, NOT_EQUAL;',
      'numbers, dates and date-times: all but STARTS_WITH. Reaches the first 2,000 results (page × perPage ≤ 2,000).',
      '`pageInfo.endCursor` is the next page number (pass it as `page`), null on the last page.',
    ].join(' '),
    args: {
      module: t.arg.string({ required: true, description: 'Module api name, e.g. Leads.' }),
      where: t.arg({ type: CriteriaInput }),
      criteria: t.arg.string({ description: 'Zoho’s criteria string as is, e.g. `((Last_Name:equals:Burns\\,B)and(City:starts_with:S))`; you escape values.' }),
      email: t.arg.string({ description: 'Searches every email field of the module.' }),
      phone: t.arg.string({ description: 'Searches every phone field of the module (at least 3 characters).' }),
      word: t.arg.string({ description: 'Searches the module’s text fields (at least 2 characters).' }),
      page: t.arg.int({ description: 'Page number, from 1 (default 1).' }),
      perPage: t.arg.int({ description: `Records per page, 1–${MAX_PER_PAGE} (default ${MAX_PER_PAGE}).` }),
      fields: t.arg.stringList({ description: 'Field api names to fetch in addition to what the selection reads.' }),
    },
    resolve: async (_r, args, ctx, info): Promise<RecordPageView> => {
      assertApiName(args.module, 'module');
      const page = args.page ?? 1;
      const perPage = args.perPage ?? MAX_PER_PAGE;
      checkPage(page, perPage);
      const mode = searchMode(args);
      if (mode === 'where') checkCriteriaShape(args.where!);
      const fields = await wantedFields(ctx, args.module, args.fields, recordNeeds(info, ['nodes']));
      const search = await searchQuery(ctx, args.module, mode, args);
      // Zoho documents no `fields` cap for search; like Get Records (50 per call) the fields go in
      // groups of 50, one call each, merged by id. UNVERIFIED: that search caps fields at all.
      const answers = await Promise.all(
        fieldGroups(fields).map((g) => ctx.zoho<ZohoSearchBody>({ method: 'GET', path: `/${args.module}/search`, query: { ...search, page, per_page: perPage, fields: g.join(',') } })),
      );
      // 204 (no body) when nothing matches: an empty page.
      const data = mergeGroups(answers.map((a) => a.body?.data ?? []));
      const more = Boolean(answers[0]?.body?.info?.more_records) && data.length > 0 && (page + 1) * perPage <= SEARCH_REACH;
      const nodes = data.map((d) => ({ module: args.module, data: d }));
      ctx.loaders.records.prime(nodes, fields);
      return { nodes, hasNextPage: more, endCursor: more ? String(page + 1) : null };
    },
  }),
);
