import { GatewayError } from '../../errors.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import type { ZohoUserRecord } from '../loaders.js';
import { isZohoId } from '../../zoho/identifiers.js';

/** The full user for fields an embedded owner lacks (batched: 100 ids per Zoho call). */
async function full(u: ZohoUserRecord, ctx: GraphQLContext): Promise<ZohoUserRecord | null> {
  return u.partial ? ctx.loaders.user.load(u.id) : u;
}

const UserType = builder.enumType('UserType', {
  description: 'Zoho’s user filters (GET /crm/v8/users `type`).',
  values: {
    ALL_USERS: { value: 'AllUsers' },
    ACTIVE_USERS: { value: 'ActiveUsers' },
    DEACTIVE_USERS: { value: 'DeactiveUsers' },
    CONFIRMED_USERS: { value: 'ConfirmedUsers' },
    NOT_CONFIRMED_USERS: { value: 'NotConfirmedUsers' },
    DELETED_USERS: { value: 'DeletedUsers' },
    ADMIN_USERS: { value: 'AdminUsers' },
    ACTIVE_CONFIRMED_ADMINS: { value: 'ActiveConfirmedAdmins' },
    CURRENT_USER: { value: 'CurrentUser' },
  } as const,
});

const NamedRef = builder.objectRef<{ id: string; name: string }>('NamedRef').implement({
  description: 'A role or profile.',
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});

export const User = builder.objectRef<ZohoUserRecord>('User').implement({
  description: 'A user of the connected CRM org.',
  fields: (t) => ({
    id: t.exposeID('id'),
    // A record embeds its owner's id, name and email; a COQL row may hold only the id, and then
    // the users loader (100 ids per call) fills in what is missing.
    fullName: t.string({ nullable: true, resolve: async (u, _a, ctx) => (u.full_name !== undefined ? u.full_name : ((await full(u, ctx))?.full_name ?? null)) }),
    email: t.string({ nullable: true, resolve: async (u, _a, ctx) => (u.email !== undefined ? u.email : ((await full(u, ctx))?.email ?? null)) }),
    // Beyond what a record embeds about its owner (id, name, email): the org's user directory.
    status: t.string({
      nullable: true,
      authScopes: { scope: 'users:read' },
      description: 'active, disabled, deleted, … Needs users:read.',
      resolve: async (u, _a, ctx) => (await full(u, ctx))?.status ?? null,
    }),
    role: t.field({ type: NamedRef, nullable: true, authScopes: { scope: 'users:read' }, description: 'Needs users:read.', resolve: async (u, _a, ctx) => (await full(u, ctx))?.role ?? null }),
    profile: t.field({ type: NamedRef, nullable: true, authScopes: { scope: 'users:read' }, description: 'Needs users:read.', resolve: async (u, _a, ctx) => (await full(u, ctx))?.profile ?? null }),
  }),
});

interface UserPageView {
  users: ZohoUserRecord[];
  page: number;
  perPage: number;
  count: number;
  moreRecords: boolean;
}

const UserPage = builder.objectRef<UserPageView>('UserPage').implement({
  fields: (t) => ({
    users: t.field({ type: [User], resolve: (p) => p.users }),
    page: t.exposeInt('page'),
    perPage: t.exposeInt('perPage'),
    count: t.exposeInt('count'),
    moreRecords: t.exposeBoolean('moreRecords'),
  }),
});

/** Zoho's cap on users per page (crm-oas getUsers: maxItems 200). */
const MAX_PER_PAGE = 200;

builder.queryField('users', (t) =>
  t.field({
    type: UserPage,
    authScopes: { scope: 'users:read' },
    args: {
      type: t.arg({ type: UserType, defaultValue: 'AllUsers' }),
      page: t.arg.int({ description: 'From 1 (default 1).' }),
      perPage: t.arg.int({ description: `1–${MAX_PER_PAGE} (default ${MAX_PER_PAGE}).` }),
    },
    resolve: async (_r, args, ctx) => {
      const page = args.page ?? 1;
      const perPage = args.perPage ?? MAX_PER_PAGE;
      if (!Number.isInteger(page) || page < 1) throw new GatewayError('BAD_USER_INPUT', 'page must be 1 or more', { argument: 'page' });
      if (perPage < 1 || perPage > MAX_PER_PAGE) throw new GatewayError('BAD_USER_INPUT', `perPage must be 1–${MAX_PER_PAGE}`, { argument: 'perPage' });
      const res = await ctx.zoho<{ users?: ZohoUserRecord[]; info?: { count?: number; more_records?: boolean } }>({
        method: 'GET',
        path: '/users',
        query: { type: args.type ?? 'AllUsers', page, per_page: perPage },
      });
      const users = res.body?.users ?? [];
      // Prime the per-request loader so `user(id:)` in the same operation costs nothing more.
      for (const u of users) ctx.loaders.user.prime(u.id, u);
      return { users, page, perPage, count: users.length, moreRecords: res.body?.info?.more_records ?? false };
    },
  }),
);

builder.queryField('user', (t) =>
  t.field({
    type: User,
    nullable: true,
    authScopes: { scope: 'users:read' },
    description: 'One user by id; batched with every other user lookup of the operation (100 ids per Zoho call).',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => {
      const id = String(args.id);
      if (!isZohoId(id)) throw new GatewayError('BAD_USER_INPUT', 'id must be a Zoho user id (digits)', { argument: 'id' });
      return ctx.loaders.user.load(id);
    },
  }),
);
