import { hasScope, requireScope } from '../../auth/scopes.js';
import { checkCoqlLimits, coqlShape, type CoqlShape } from '../../records/coql-limits.js';
import { GatewayError } from '../../errors.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';

/**
 * `coql`: Zoho's Query API (`POST /crm/v8/coql` with `{"select_query": …}`,
 * https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html).
 * The query goes to Zoho as written; the gateway only checks Zoho's documented limits first
 * (src/records/coql-limits.ts) and its own scopes: `coql`, plus `records:read` for every module
 * the query reads.
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

/**
 * For a caller narrowed to some modules: records:read for the modules the query's lookup paths join
 * (`Account_Name.Parent_Account.Account_Name` reads Accounts from Contacts). Zoho itself only asks
 * for the base module's scope ("User must have the scopes required to access the base module",
 * https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html); the gateway's per-module
 * scopes would leak through a join otherwise.
 */
async function requireJoinScopes(ctx: GraphQLContext, shape: CoqlShape): Promise<void> {
  if (hasScope(ctx.caller, 'records:read') || shape.paths.length === 0) return;
  for (const path of shape.paths) {
    let module = shape.module!;
    // Every segment but the last is a lookup; a path that is not one (a quoted value) joins nothing.
    for (const step of path.slice(0, -1)) {
      const field = (await ctx.metadata.fields(module)).find((f) => f.apiName === step);
      if (!field?.lookupModule) break;
      module = field.lookupModule;
      requireScope(ctx.caller, 'records:read', module);
    }
  }
}

builder.queryField('coql', (t) =>
  t.field({
    type: CoqlResult,
    authScopes: { scope: 'coql' },
    description: [
      'Runs a COQL select query (Zoho’s Query API), e.g. `select Last_Name, Account_Name.Account_Name from Contacts where Last_Name is not null limit 200`.',
      'Needs the `coql` scope and records:read for the modules read. Zoho’s v8 limits are checked before calling: WHERE required, LIMIT ≤ 2,000 (default 200),',
      'OFFSET + LIMIT ≤ 100,000, ≤ 500 columns, ≤ 25 criteria, ≤ 100 values per IN; more than two criteria must be bracketed pairwise, ((A and B) and C).',
    ].join(' '),
    args: { query: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx): Promise<CoqlView> => {
      // Scopes first (FORBIDDEN before BAD_USER_INPUT), then Zoho's limits: no call for either.
      const shape = coqlShape(args.query);
      for (const m of shape.modules) requireScope(ctx.caller, 'records:read', m);
      checkCoqlLimits(args.query);
      await requireJoinScopes(ctx, shape);
      const res = await ctx.zoho<ZohoCoqlBody>({ method: 'POST', path: '/coql', body: { select_query: args.query }, idempotent: true });
      // 204 with no body when nothing matches.
      const rows = res.body?.data ?? [];
      if (res.status !== 204 && !Array.isArray(res.body?.data)) throw new GatewayError('ZOHO_ERROR', 'Zoho answered the COQL query without data', { status: res.status });
      return { rows, count: res.body?.info?.count ?? rows.length, moreRecords: Boolean(res.body?.info?.more_records) };
    },
  }),
);
