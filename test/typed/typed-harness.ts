import type { Harness } from '../helpers/gateway.js';
import { connectTyped as connectAndBuild, post, type Answer } from './typed-client.js';

/**
 * What a client sees of one GraphQL request: status, data, errors and headers, without
 * graphql-request's throw on errors (partial success is an answer the tests read).
 */
export interface GqlAnswer<T> {
  status: number;
  data: T | null | undefined;
  errors: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] | undefined;
  headers: Headers;
}

export async function gql<T = Record<string, unknown>>(h: Harness, token: string, query: string, variables: Record<string, unknown> = {}, url = h.app.url): Promise<GqlAnswer<T>> {
  const a = (await post(`${url}/graphql`, `Bearer ${token}`, query, variables)) as Answer<T>;
  return { status: a.status, data: a.data, errors: a.errors, headers: a.headers };
}

/** The data of an answer that must have no errors. */
export async function ok<T = Record<string, unknown>>(h: Harness, token: string, query: string, variables: Record<string, unknown> = {}, url = h.app.url): Promise<T> {
  const a = await gql<T>(h, token, query, variables, url);
  if (a.errors?.length || !a.data) throw new Error(`GraphQL errors: ${JSON.stringify(a.errors)}`);
  return a.data;
}

/** The codes of an answer's errors. */
export const codes = (a: GqlAnswer<unknown>) => (a.errors ?? []).map((e) => e.extensions?.code);

/** Connects `tenant`, builds its typed schema now (typed-client.ts) and returns the tenant's token. */
export async function connectTyped(h: Harness, tenant: string, dc: 'us' | 'eu' = 'us'): Promise<string> {
  await connectAndBuild(h, tenant, dc);
  return h.token(tenant);
}

/** Fields of an input or object type by name, with `NON_NULL` kept visible: `String!`, `[String!]`. */
export async function typeFields(h: Harness, token: string, type: string): Promise<Record<string, string>> {
  const d = await ok<{ __type: { fields: Field[] | null; inputFields: Field[] | null } | null }>(
    h,
    token,
    `query($t: String!) { __type(name: $t) { fields { name type { ...T } } inputFields { name type { ...T } } } }
     fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`,
    { t: type },
  );
  if (!d.__type) throw new Error(`no type ${type}`);
  return Object.fromEntries((d.__type.fields ?? d.__type.inputFields ?? []).map((f) => [f.name, printType(f.type)]));
}

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface Field {
  name: string;
  type: TypeRef;
}
function printType(t: TypeRef): string {
  if (t.kind === 'NON_NULL') return `${printType(t.ofType!)}!`;
  if (t.kind === 'LIST') return `[${printType(t.ofType!)}]`;
  return t.name!;
}
