import type { Harness } from '../helpers/gateway.js';

/** One GraphQL answer as a client sees it: HTTP status, schema hash header, data, errors, extensions. */
export interface Answer<T = Record<string, unknown>> {
  status: number;
  hash: string | null;
  headers: Headers;
  data: T | null;
  errors: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] | undefined;
  extensions: { zoho?: { calls: number; credits: number } } & Record<string, unknown>;
}

/** A tenant's client of the typed CRM: plain operation strings over HTTP, as any GraphQL client sends them. */
export interface TypedClient {
  run<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<Answer<T>>;
  /** Data of an operation that must succeed (throws with the errors otherwise). */
  data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export async function post(url: string, authorization: string | null, query: string, variables?: Record<string, unknown>): Promise<Answer<never>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json().catch(() => ({}))) as { data?: never; errors?: Answer['errors']; extensions?: Answer['extensions'] };
  return { status: res.status, hash: res.headers.get('x-schema-hash'), headers: res.headers, data: body.data ?? null, errors: body.errors, extensions: body.extensions ?? {} };
}

export async function typedClient(h: Harness, tenant: string, scope?: string): Promise<TypedClient> {
  const token = await h.token(tenant, scope);
  const run = <T>(query: string, variables?: Record<string, unknown>) => post(`${h.app.url}/graphql`, `Bearer ${token}`, query, variables) as Promise<Answer<T>>;
  return {
    run,
    async data<T>(query: string, variables?: Record<string, unknown>) {
      const a = await run<T>(query, variables);
      if (a.errors?.length || !a.data) throw new Error(`operation failed: ${JSON.stringify(a.errors)}`);
      return a.data;
    },
  };
}

/**
 * Connects a tenant and builds its typed schema now (refreshSchema), so the first typed query
 * does not race the background build; returns the schema hash.
 */
export async function connectTyped(h: Harness, tenant: string, dc: 'us' | 'eu' = 'us'): Promise<string> {
  await h.connect(tenant, { dc });
  const c = await typedClient(h, tenant);
  const { refreshSchema } = await c.data<{ refreshSchema: { hash: string } }>('mutation { refreshSchema { hash changed } }');
  return refreshSchema.hash;
}

export const FIELD_NAMES = `query($type: String!) { __type(name: $type) { name fields { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } inputFields { name } } }`;

/** A named type's field names (output fields or input fields), by introspection. */
export async function fieldsOf(c: TypedClient, type: string): Promise<string[] | null> {
  const { __type } = await c.data<{ __type: { fields: { name: string }[] | null; inputFields: { name: string }[] | null } | null }>(FIELD_NAMES, { type });
  if (!__type) return null;
  return (__type.fields ?? __type.inputFields ?? []).map((f) => f.name);
}
