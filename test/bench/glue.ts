/**
 * Contender B of `npm run bench`: the graphql-yoga glue a user would write instead of the gateway
 * (one resolver, one undici call, no auth, no logging). Env: ZOHO (API domain), GLUE_TOKENS (JSON
 * `{ tenant: Zoho access token }`); the tenant comes from the `x-tenant` header.
 */
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';
import { request } from 'undici';

const ZOHO = process.env.ZOHO!;
const TOKENS = JSON.parse(process.env.GLUE_TOKENS!) as Record<string, string>;

const schema = createSchema<{ request: Request }>({
  typeDefs: 'type Query { deal(id: ID!): Deal } type Deal { id: ID! Deal_Name: String Amount: Float Stage: String }',
  resolvers: {
    Query: {
      deal: async (_: unknown, { id }: { id: string }, ctx: { request: Request }) => {
        const token = TOKENS[ctx.request.headers.get('x-tenant') ?? ''];
        if (!token) throw new Error('unknown tenant');
        const res = await request(`${ZOHO}/crm/v8/Deals/${encodeURIComponent(id)}?fields=Deal_Name,Amount,Stage`, { headers: { authorization: `Zoho-oauthtoken ${token}` } });
        if (res.statusCode === 204) return res.body.dump().then(() => null);
        const body = (await res.body.json()) as { data?: Record<string, unknown>[] };
        return body.data?.[0] ?? null;
      },
    },
  },
});

const server = createServer(createYoga({ schema, logging: false }));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`glue on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
