import { checkCoqlLimits, coqlShape } from '../../records/coql-limits.js';
import { coqlReads } from '../../records/coql-reads.js';
import { requireCoqlModuleScopes, requireCoqlPathScopes } from '../../records/coql-scopes.js';
import { GatewayError } from '../../errors.js';
import { builder } from '../builder.js';

/**
 * `coql`: Zoho's Query API (`POST /crm/v8/coql` with `{"select_query": …}`,
 * https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html).
 * The query goes to Zoho as written; the gateway only checks Zoho's documented limits first
 * (src/records/coql-limits.ts) and its own scopes: `coql`, plus `records:read` for every module
 * the query reads and `users:read` for paths through user lookups (src/records/coql-scopes.ts);
 * a query the gateway cannot read well enough to tell is refused (FORBIDDEN).
 */

interface CoqlView {
  rows: unknown[];
  count: number;
  moreRecords: boolean;
}

const CoqlResult = builder.objectRef<CoqlView>('CoqlResult').implement({
  description: 'Rows of a COQL query as Zoho returns them (lookups as {name, id}, joined paths as flat keys such as "Account_Name.Account_Name").',
  fields: (t) => ({
    rows: t.field({ type: ['JSON'], resolve: (r) => r.rows }),
    count: t.exposeInt('count', { description: 'Rows in this answer.' }),
    moreRecords: t.exposeBoolean('moreRecords', { description: 'More rows match: raise OFFSET for the next page.' }),
  }),
});

interface ZohoCoqlBody {
  data?: Record<string, unknown>[];
  info?: { count?: number; more_records?: boolean };
}

builder.queryField('coql', (t) =>
  t.field({
    type: CoqlResult,
    authScopes: { scope: 'coql' },
    description: [
      'Runs a COQL select query (Zoho’s Query API), e.g. `select Last_Name, Account_Name.Account_Name from Contacts where Last_Name is not null limit 200`.',
      'Needs the `coql` scope, records:read for every module read (FROM, subqueries, lookup paths) and users:read for paths through user lookups (Owner.email); a query the gateway cannot parse to check that is refused (FORBIDDEN). Zoho’s v8 limits are checked before calling: WHERE required, LIMIT ≤ 2,000 (default 200),',
      'OFFSET + LIMIT ≤ 100,000, ≤ 500 columns, ≤ 25 criteria, ≤ 100 values per IN; more than two criteria must be bracketed pairwise, ((A and B) and C).',
    ].join(' '),
    args: { query: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx): Promise<CoqlView> => {
      // Scopes first (FORBIDDEN before BAD_USER_INPUT), then Zoho's limits: no call for either.
      coqlShape(args.query);
      const selects = coqlReads(args.query);
      requireCoqlModuleScopes(ctx.caller, selects);
      checkCoqlLimits(args.query);
      await requireCoqlPathScopes(ctx.caller, selects, (module) => ctx.metadata.fields(module));
      const res = await ctx.zoho<ZohoCoqlBody>({ method: 'POST', path: '/coql', body: { select_query: args.query }, idempotent: true });
      // 204 with no body when nothing matches.
      const rows = res.body?.data ?? [];
      if (res.status !== 204 && !Array.isArray(res.body?.data)) throw new GatewayError('ZOHO_ERROR', 'Zoho answered the COQL query without data', { status: res.status });
      return { rows, count: res.body?.info?.count ?? rows.length, moreRecords: Boolean(res.body?.info?.more_records) };
    },
  }),
);
