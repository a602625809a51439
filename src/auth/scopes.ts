/**
 * Scope checks. The `records:*` scopes work like a CRM profile's per-module permissions: the bare
 * scope (`records:read`) covers every module, and `records:read:Leads` covers the module whose
 * API name is exactly `Leads`. Every other scope is all-or-nothing and takes no module.
 */
import { GatewayError } from '../errors.js';
import type { Caller, Scope } from './caller.js';

/** The scopes that may be narrowed to one module with a `:<Module API name>` suffix. */
export type RecordScope = Extract<Scope, `records:${string}`>;

export function isRecordScope(scope: Scope): scope is RecordScope {
  return scope.startsWith('records:');
}

/**
 * True when `caller` holds `scope`, for `module` when one is given. For a records scope the bare
 * scope always counts, and `<scope>:<module>` counts for that module only (API names compared
 * exactly: `Leads`, not `leads`). For other scopes `module` is ignored.
 */
export function hasScope(caller: Caller, scope: Scope, module?: string): boolean {
  if (caller.scopes.has(scope)) return true;
  return module !== undefined && isRecordScope(scope) && caller.scopes.has(`${scope}:${module}`);
}

/**
 * The FORBIDDEN error for a missing scope. `extensions.scope` is the scope needed, with the module
 * suffix when a module was given, so a client can ask for exactly that.
 */
export function missingScopeError(scope: Scope, module?: string): GatewayError {
  const narrowed = module !== undefined && isRecordScope(scope);
  const needed = narrowed ? `${scope}:${module}` : scope;
  const message = narrowed ? `this operation needs the scope "${needed}" (or "${scope}", which covers every module)` : `this operation needs the scope "${needed}"`;
  return new GatewayError('FORBIDDEN', message, { scope: needed });
}

/** Throws GatewayError FORBIDDEN (see missingScopeError) unless `hasScope(caller, scope, module)`. */
export function requireScope(caller: Caller, scope: Scope, module?: string): void {
  if (!hasScope(caller, scope, module)) throw missingScopeError(scope, module);
}
