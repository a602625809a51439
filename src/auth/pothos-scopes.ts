/**
 * The glue between the gateway's scopes and @pothos/plugin-scope-auth (v4). The builder declares
 * `AuthScopes: GatewayAuthScopes` and passes `authScopesFor` and `unauthorizedError` in its
 * `scopeAuth` options; fields then say `authScopes: { scope: 'org:read' }` or, for a module
 * chosen by an argument, authScopes: (_parent, args) => ({ scope: `records:read:${args.module}` })
 * (a template literal, so it type-checks as a ScopeRequirement; `+` would widen it to string).
 */
import { AuthScopeFailureType, type AuthFailure, type ForbiddenResult } from '@pothos/plugin-scope-auth';
import type { GraphQLResolveInfo } from 'graphql';
import { GatewayError } from '../errors.js';
import { isZohoApiName } from '../zoho/identifiers.js';
import { SCOPES, type Caller, type Scope } from './caller.js';
import { hasScope, isRecordScope, missingScopeError, type RecordScope } from './scopes.js';

/** A scope a field may require: any scope, or a records scope narrowed to one module's API name. */
export type ScopeRequirement = Scope | `${RecordScope}:${string}`;

/** The builder's `AuthScopes` type: the parameter each scope takes in a field's `authScopes`. */
export interface GatewayAuthScopes {
  /** `true` to require a verified caller, whatever its scopes. */
  authenticated: boolean;
  /** A scope the caller must hold, e.g. `org:read` or `records:read:Leads`. */
  scope: ScopeRequirement;
}

/** What `authScopesFor` returns: Pothos's scope-loader map for GatewayAuthScopes. */
export interface GatewayScopeLoaders {
  authenticated: boolean;
  scope: (requirement: string) => boolean;
}

/** `org:read` → { scope: 'org:read' }; `records:read:Leads` → { scope: 'records:read', module: 'Leads' }. */
function parseRequirement(text: string): { scope: Scope; module?: string } | undefined {
  for (const scope of SCOPES) {
    if (text === scope) return { scope };
    if (isRecordScope(scope) && text.startsWith(`${scope}:`)) {
      const module = text.slice(scope.length + 1);
      if (isZohoApiName(module)) return { scope, module };
    }
  }
  return undefined;
}

const NO_CALLER_MESSAGE = 'this operation needs a bearer token';

/**
 * The scope loaders for one request, for the builder's `scopeAuth.authScopes: (ctx) =>
 * authScopesFor(ctx.caller)`. With no caller, `authenticated` fails and `scope` throws
 * GatewayError UNAUTHENTICATED: a request without a token is told to bring one, not that it
 * lacks a scope. A requirement that names no known scope is a bug in the schema and throws a
 * plain Error (masked as INTERNAL) rather than quietly refusing everyone.
 */
export function authScopesFor(caller: Caller | undefined): GatewayScopeLoaders {
  return {
    authenticated: caller !== undefined,
    scope: (requirement) => {
      const parsed = parseRequirement(requirement);
      // `records:read:${args.module}` with a module argument that is no api name: the caller's
      // input is wrong, not the schema.
      if (parsed === undefined && /^records:(read|write|delete):/.test(requirement)) {
        throw new GatewayError('BAD_USER_INPUT', 'module must be a Zoho module api name (letters, digits, underscores)', { argument: 'module' });
      }
      if (parsed === undefined) throw new Error(`authScopes names an unknown scope: ${JSON.stringify(requirement)}`);
      if (caller === undefined) throw new GatewayError('UNAUTHENTICATED', NO_CALLER_MESSAGE);
      return hasScope(caller, parsed.scope, parsed.module);
    },
  };
}

/** Every leaf of a (possibly nested $any/$all) failure. */
function leaves(failure: AuthFailure): AuthFailure[] {
  return failure.kind === AuthScopeFailureType.AnyAuthScopes || failure.kind === AuthScopeFailureType.AllAuthScopes ? failure.failures.flatMap(leaves) : [failure];
}

/**
 * The GatewayError for a failed scope check: an error a loader threw, if it was a GatewayError
 * (kept when the builder sets `treatErrorsAsUnauthorized`); UNAUTHENTICATED when there was no
 * caller; otherwise FORBIDDEN naming the scope needed in `extensions.scope` (and, when any one of
 * several would have done, all of them in `extensions.scopes`).
 */
export function errorForFailure(result: ForbiddenResult): GatewayError {
  const all = leaves(result.failure);
  for (const failure of all) {
    if ('error' in failure && failure.error instanceof GatewayError) return failure.error;
  }
  const scopeFailures = all.filter((f) => f.kind === AuthScopeFailureType.AuthScope);
  if (scopeFailures.some((f) => f.scope === 'authenticated')) return new GatewayError('UNAUTHENTICATED', NO_CALLER_MESSAGE);

  const needed = scopeFailures
    .filter((f) => f.scope === 'scope' && typeof f.parameter === 'string')
    .map((f) => parseRequirement(f.parameter as string))
    .filter((parsed) => parsed !== undefined);
  const [first] = needed;
  if (first === undefined) return new GatewayError('FORBIDDEN', 'not authorized for this operation');
  if (needed.length === 1) return missingScopeError(first.scope, first.module);
  const names = needed.map((n) => (n.module === undefined ? n.scope : `${n.scope}:${n.module}`));
  return new GatewayError('FORBIDDEN', `this operation needs one of the scopes ${names.map((n) => `"${n}"`).join(', ')}`, {
    scope: names[0],
    scopes: names,
  });
}

/** For the builder's `scopeAuth.unauthorizedError`: every refusal becomes a GatewayError. */
export function unauthorizedError(_parent: unknown, _context: unknown, _info: GraphQLResolveInfo, result: ForbiddenResult): GatewayError {
  return errorForFailure(result);
}
