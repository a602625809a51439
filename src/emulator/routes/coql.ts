import { zohoError } from '../errors.js';
import { crmAuth, type EmulatorContext } from '../emulator.js';
import type { EmulatorRequest, Router } from '../router.js';
import type { RequiredScope } from '../scopes.js';
import type { AccessToken } from '../accounts.js';
import { actingUser } from '../record-helpers.js';
import { CoqlError, parse, runCoql } from '../coql/index.js';
import { checkIncludeMeta, fieldsMeta } from '../coql/meta.js';

/**
 * `POST /crm/v8/coql` with `{"select_query":"…"}` — Zoho's Query API.
 * Source: https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html and the
 * examples of operation executeCOQLQuery in github.com/zoho/crm-oas (v8.0/coql). The query language
 * itself lives in ../coql/.
 */
export function registerCoqlRoutes(router: Router, ctx: EmulatorContext): void {
  router.add(
    'POST',
    '/crm/v8/coql',
    crmAuth(
      ctx,
      (req) => coqlScopes(ctx, req),
      (req, token) => handle(ctx, req, token),
    ),
  );
  // Without these, `GET /crm/v8/coql` would reach the records route as a module named "coql".
  // Get-Records-through-COQL-Query.html lists "INVALID_REQUEST_METHOD HTTP 400 — The http request
  // method type is not a valid one" for this endpoint (400 here, where the emulator's generic answer is 405).
  // UNVERIFIED: whether Zoho checks the token before the method.
  for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
    router.add(method, '/crm/v8/coql', () => zohoError(400, 'INVALID_REQUEST_METHOD', 'The http request method type is not a valid one'));
  }
}

interface CoqlBody {
  select_query?: unknown;
  include_meta?: unknown;
}

function readBody(req: EmulatorRequest): CoqlBody | undefined {
  try {
    const body: unknown = JSON.parse(req.body || '{}');
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as CoqlBody) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Scope: ZohoCRM.coql.READ (and) ZohoCRM.modules.{operation_type} (or) ZohoCRM.modules.{module_name}.{operation_type}"
 * and "Use the ZohoCRM.settings.fields.READ scope to retrieve fields metadata. Without this scope,
 * the system will throw an OAUTH_SCOPE_MISMATCH error." (Get-Records-through-COQL-Query.html).
 * "User must have the scopes required to access the base module." (COQL-Limitations.html): joined
 * modules need no scope of their own. The module comes from the query; when it cannot be parsed the
 * handler answers the syntax error (UNVERIFIED: Zoho's order of the two checks).
 */
function coqlScopes(ctx: EmulatorContext, req: EmulatorRequest): RequiredScope[] {
  const required: RequiredScope[] = [{ service: 'ZohoCRM', group: 'coql', op: 'READ' }];
  const body = readBody(req);
  if (typeof body?.select_query === 'string') {
    try {
      const query = parse(body.select_query);
      // A custom view in FROM reads the view's module (UNVERIFIED: Zoho's scope for it).
      const module = query.customView === undefined ? query.module : ctx.customViews.get(query.customView)?.module;
      if (module) required.push({ service: 'ZohoCRM', group: 'modules', sub: module, op: 'READ' });
    } catch {
      // The handler reports it.
    }
  }
  if (Array.isArray(body?.include_meta) && body.include_meta.includes('fields')) {
    required.push({ service: 'ZohoCRM', group: 'settings', sub: 'fields', op: 'READ' });
  }
  return required;
}

function handle(ctx: EmulatorContext, req: EmulatorRequest, token: AccessToken) {
  const body = readBody(req);
  // UNVERIFIED: Zoho's answer to a body that is not a JSON object.
  if (!body) return zohoError(400, 'INVALID_DATA', 'invalid data', {});
  // OAS example MandatoryNotFound: `{"api_name":"select_query"}` "mandatory key not found".
  if (body.select_query === undefined || body.select_query === null) return zohoError(400, 'MANDATORY_NOT_FOUND', 'mandatory key not found', { api_name: 'select_query' });
  // UNVERIFIED: the shape for a non-string select_query, modelled on the OAS InvalidData example.
  if (typeof body.select_query !== 'string') {
    return zohoError(400, 'INVALID_DATA', 'invalid data', { expected_data_type: 'text', api_name: 'select_query', json_path: '$.select_query' });
  }
  let withMeta: boolean;
  try {
    withMeta = checkIncludeMeta(body.include_meta);
  } catch (err) {
    if (err instanceof CoqlError) return err.toResponse();
    throw err;
  }
  // Names resolve against this org's definitions as the user's profile sees them: a hidden field is
  // an unknown column for that user (UNVERIFIED, see org-metadata.ts).
  const modules = ctx.metadata.views(actingUser(ctx, token).profile.name);
  const out = runCoql(ctx, body.select_query, modules);
  if (withMeta && out.status === 200) {
    const query = parse(body.select_query);
    const plain = query.columns.flatMap((c) => (c.kind === 'field' && c.field.path.length === 1 ? [c.field.text] : []));
    const { data, info } = out.body as { data: unknown[]; info: unknown };
    const module = query.customView === undefined ? query.module : (ctx.customViews.get(query.customView)?.module ?? query.module);
    out.body = { data, fields: fieldsMeta(module, plain, modules), info };
  }
  return out;
}
