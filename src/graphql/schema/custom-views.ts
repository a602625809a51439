import { listCustomViews, type CustomViewView } from '../../records/custom-views.js';
import { builder } from '../builder.js';
import { assertApiName } from '../../records/validate.js';

const CustomView = builder.objectRef<CustomViewView>('CustomView').implement({
  description: 'A custom (list) view of a module in Zoho CRM. Pass its id as `cvid` to `records` to list the view’s records in the view’s order.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    displayValue: t.exposeString('displayValue', { nullable: true }),
    systemName: t.exposeString('systemName', { nullable: true, description: 'Zoho’s name for a system view, e.g. ALLVIEWS.' }),
    category: t.exposeString('category', { nullable: true, description: 'created_by_me, public_views, shared_with_me or other_users_views.' }),
    isDefault: t.exposeBoolean('isDefault'),
    systemDefined: t.exposeBoolean('systemDefined'),
    sortBy: t.exposeString('sortBy', { nullable: true, description: 'The field api name the view sorts by.' }),
    sortOrder: t.exposeString('sortOrder', { nullable: true }),
  }),
});

builder.queryField('customViews', (t) =>
  t.field({
    type: [CustomView],
    authScopes: (_p, args) => ({ scope: `records:read:${args.module}` }),
    description:
      'The custom views of a module (`GET /crm/v8/settings/custom_views?module=`). Needs records:read for the module. Use an id as `cvid` on `records` (without `sortBy`: Zoho refuses the pair; `sortOrder` is allowed), or in COQL’s FROM.',
    args: { module: t.arg.string({ required: true, description: 'Module api name, e.g. Deals.' }) },
    resolve: async (_r, args, ctx) => {
      assertApiName(args.module, 'module');
      return listCustomViews(ctx.zoho, args.module);
    },
  }),
);
