import { CustomViews } from '../custom-views.js';
import { crmAuth, type EmulatorContext } from '../emulator.js';
import { zohoError } from '../errors.js';
import { moduleOf } from '../record-helpers.js';
import type { EmulatorRequest, EmulatorResponse, Router } from '../router.js';
import type { RequiredScope } from '../scopes.js';

/**
 * Custom views metadata: `GET /crm/v8/settings/custom_views?module=` and
 * `GET /crm/v8/settings/custom_views/{id}?module=` (crm-oas v8.0/custom_views.json; D/custom-view-meta.html).
 * Scope `ZohoCRM.settings.custom_views.READ` (or settings.ALL; the OAS lists
 * `ZohoCRM.settings.custom_views.All`). A missing module → 400 REQUIRED_PARAM_MISSING (UNVERIFIED
 * shape, as on Get Records); an unknown one → 400 INVALID_MODULE with empty details (the
 * getCustomViews response-400-failureresponse.md example); an unknown view id → 400 INVALID_DATA
 * (UNVERIFIED, as D/sort-order-cv.html answers one).
 */
const SCOPE: RequiredScope = { service: 'ZohoCRM', group: 'settings', sub: 'custom_views', op: 'READ' };

export function registerCustomViewRoutes(router: Router, ctx: EmulatorContext): void {
  router.add(
    'GET',
    '/crm/v8/settings/custom_views',
    crmAuth(
      ctx,
      () => SCOPE,
      (req) => list(ctx, req),
    ),
  );
  router.add(
    'GET',
    '/crm/v8/settings/custom_views/:id',
    crmAuth(
      ctx,
      () => SCOPE,
      (req) => one(ctx, req),
    ),
  );
}

function moduleParam(ctx: EmulatorContext, req: EmulatorRequest) {
  const name = req.query.get('module');
  if (!name) return zohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'module' });
  const module = moduleOf(ctx, name);
  if (!module) return zohoError(400, 'INVALID_MODULE', 'the module name given seems to be invalid', {});
  return module;
}

/** The org's first admin made every seeded view (UNVERIFIED who Zoho names for system views). */
const creator = (ctx: EmulatorContext) => ctx.data.users[0]!;

function list(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const module = moduleParam(ctx, req);
  if ('status' in module) return module;
  const views = ctx.customViews.list(module.api_name);
  // One page holds every view of a module here (Zoho pages them by 200, `info.more_records`).
  return {
    status: 200,
    body: {
      custom_views: views.map((v) => CustomViews.json(v, creator(ctx), module, false)),
      info: {
        per_page: 200,
        default: views.find((v) => v.isDefault)?.id ?? null,
        count: views.length,
        translation: { public_views: 'Public Views', other_users_views: "Other User's Views", shared_with_me: 'Shared With Me', created_by_me: 'Created By Me' },
        page: 1,
        more_records: false,
      },
    },
  };
}

function one(ctx: EmulatorContext, req: EmulatorRequest): EmulatorResponse {
  const module = moduleParam(ctx, req);
  if ('status' in module) return module;
  const view = ctx.customViews.get(req.params.id!);
  if (!view || view.module !== module.api_name) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'id' });
  return { status: 200, body: { custom_views: [CustomViews.json(view, creator(ctx), module, true)] } };
}
