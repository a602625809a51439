/**
 * Scope checks, on their own and wired into a real Pothos schema with the scope-auth plugin.
 */
import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { execute, parse, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { authScopesFor, unauthorizedError, type GatewayAuthScopes } from '../../src/auth/pothos-scopes.js';
import { hasScope, requireScope } from '../../src/auth/scopes.js';
import { GatewayError } from '../../src/errors.js';

function caller(...scopes: string[]): Caller {
  return { subject: 'alice', tenantId: 'acme', connectionName: 'default', scopes: new Set(scopes) };
}

describe('hasScope', () => {
  it('a bare records scope covers every module, and is needed when no module is named', () => {
    const c = caller('records:read');
    expect(hasScope(c, 'records:read', 'Leads')).toBe(true);
    expect(hasScope(c, 'records:read', 'Deals')).toBe(true);
    expect(hasScope(c, 'records:read')).toBe(true);
    expect(hasScope(c, 'records:write', 'Leads')).toBe(false);
  });

  it('a module-narrowed scope covers that module only, matched exactly', () => {
    const c = caller('records:read:Leads');
    expect(hasScope(c, 'records:read', 'Leads')).toBe(true);
    expect(hasScope(c, 'records:read', 'Deals')).toBe(false);
    expect(hasScope(c, 'records:read', 'leads')).toBe(false);
    expect(hasScope(c, 'records:read', 'Leads2')).toBe(false);
    expect(hasScope(c, 'records:read')).toBe(false);
    expect(hasScope(c, 'records:write', 'Leads')).toBe(false);
  });

  it('other scopes are all-or-nothing: no module suffix counts', () => {
    expect(hasScope(caller('org:read'), 'org:read')).toBe(true);
    expect(hasScope(caller('org:read:Leads'), 'org:read')).toBe(false);
    expect(hasScope(caller('coql:Leads'), 'coql', 'Leads')).toBe(false);
    expect(hasScope(caller('coql'), 'coql', 'Leads')).toBe(true);
    expect(hasScope(caller(), 'users:read')).toBe(false);
  });
});

describe('requireScope', () => {
  it('passes when the caller holds the scope', () => {
    expect(() => requireScope(caller('records:read'), 'records:read', 'Deals')).not.toThrow();
  });

  it('throws FORBIDDEN naming the scope needed, with its module', () => {
    let error: unknown;
    try {
      requireScope(caller('records:read:Leads'), 'records:read', 'Deals');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    const gatewayError = error as GatewayError;
    expect(gatewayError.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'records:read:Deals', http: { status: 403 } });
    expect(gatewayError.message).toBe('this operation needs the scope "records:read:Deals" (or "records:read", which covers every module)');
  });

  it('names a plain scope without a module', () => {
    expect(() => requireScope(caller(), 'org:read')).toThrow('this operation needs the scope "org:read"');
    try {
      requireScope(caller(), 'zoho:connect', 'Leads');
    } catch (e) {
      expect((e as GatewayError).extensions.scope).toBe('zoho:connect');
    }
  });
});

describe('Pothos scope-auth wiring', () => {
  interface Context {
    caller?: Caller;
  }
  const builder = new SchemaBuilder<{ Context: Context; AuthScopes: GatewayAuthScopes }>({
    plugins: [ScopeAuthPlugin],
    scopeAuth: {
      authScopes: (ctx) => authScopesFor(ctx.caller),
      unauthorizedError,
    },
  });
  builder.queryType({
    fields: (t) => ({
      org: t.string({ authScopes: { scope: 'org:read' }, resolve: () => 'Acme Corp' }),
      leads: t.string({ authScopes: { scope: 'records:read:Leads' }, resolve: () => 'leads' }),
      records: t.string({
        args: { module: t.arg.string({ required: true }) },
        authScopes: (_parent, args) => ({ scope: `records:read:${args.module}` }),
        resolve: (_parent, args) => `records of ${args.module}`,
      }),
      me: t.string({ authScopes: { authenticated: true }, resolve: (_parent, _args, ctx) => ctx.caller?.subject ?? null }),
      either: t.string({ authScopes: { $any: { scope: 'users:read', $any: { scope: 'coql' } } }, resolve: () => 'ok' }),
      typo: t.string({ authScopes: { scope: 'records:reed' as 'coql' }, resolve: () => 'never' }),
    }),
  });
  const schema = builder.toSchema();

  async function run(query: string, who: Caller | undefined): Promise<ExecutionResult> {
    return execute({ schema, document: parse(query), contextValue: who === undefined ? {} : { caller: who } });
  }

  it('lets a caller with the scope through', async () => {
    const result = await run('{ org me }', caller('org:read'));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ org: 'Acme Corp', me: 'alice' });
  });

  it('refuses a caller without it: FORBIDDEN, the scope named in extensions', async () => {
    const result = await run('{ org }', caller('users:read'));
    expect(result.data).toEqual({ org: null });
    const [error] = result.errors ?? [];
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'org:read' });
    expect(error?.message).toBe('this operation needs the scope "org:read"');
    expect(error?.path).toEqual(['org']);
  });

  it('a module-narrowed scope works for its module only', async () => {
    const narrow = caller('records:read:Leads');
    expect((await run('{ leads }', narrow)).data).toEqual({ leads: 'leads' });
    expect((await run('{ records(module: "Leads") }', narrow)).data).toEqual({ records: 'records of Leads' });

    const refused = await run('{ records(module: "Deals") }', narrow);
    expect(refused.data).toEqual({ records: null });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'records:read:Deals' });

    const broad = caller('records:read');
    expect((await run('{ leads records(module: "Deals") }', broad)).data).toEqual({ leads: 'leads', records: 'records of Deals' });
  });

  it('a module-narrowed scope of another module does not cover a fixed-module field', async () => {
    const result = await run('{ leads }', caller('records:read:Deals'));
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', scope: 'records:read:Leads' });
  });

  it('names every acceptable scope when any of several would do', async () => {
    expect((await run('{ either }', caller('coql'))).data).toEqual({ either: 'ok' });
    const result = await run('{ either }', caller('org:read'));
    const extensions = result.errors?.[0]?.extensions ?? {};
    expect(extensions.code).toBe('FORBIDDEN');
    expect([...(extensions.scopes as string[])].sort()).toEqual(['coql', 'users:read']);
    expect(extensions.scopes).toContain(extensions.scope);
    expect(result.errors?.[0]?.message).toMatch(/^this operation needs one of the scopes "(coql|users:read)", "(coql|users:read)"$/);
  });

  it('without a caller: UNAUTHENTICATED rather than FORBIDDEN', async () => {
    const result = await run('{ org me }', undefined);
    expect(result.data).toEqual({ org: null, me: null });
    expect(result.errors?.map((e) => e.extensions.code)).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED']);
  });

  it('a field naming an unknown scope fails loudly, not quietly forbidden', async () => {
    const result = await run('{ typo }', caller('records:read', 'coql'));
    expect(result.errors?.[0]?.message).toMatch(/unknown scope/);
    expect(result.errors?.[0]?.originalError).not.toBeInstanceOf(GatewayError);
  });
});
