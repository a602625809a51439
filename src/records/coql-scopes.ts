import type { Caller } from '../auth/caller.js';
import { hasScope, requireScope } from '../auth/scopes.js';
import { GatewayError } from '../errors.js';
import type { CoqlSelect, PathStep } from './coql-reads.js';
import type { FieldMeta } from './metadata.js';

/**
 * The gateway's scopes for a COQL query (read by coql-reads.ts). Zoho itself only asks for the
 * base module's scope ("User must have the scopes required to access the base module",
 * https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html), so without these checks
 * a caller narrowed to some modules, or without users:read, would read the rest through joins.
 *
 * - records:read for the FROM module of the query and of every subquery; for a custom view id in
 *   FROM (v7+), records:read and users:read unnarrowed (customViewRefused);
 * - records:read for every module a lookup path reaches, each path resolved against the module of
 *   its own SELECT, step by step through the connection's field metadata;
 * - users:read for a path through a user lookup (`Owner.email`, `Created_By.role.name`: Zoho
 *   documents `Owner.profile.name` under "Roles and Profiles support" in
 *   Get-Records-through-COQL-Query.html), and for a module called Users;
 * - a step the metadata cannot place (an unknown field, a lookup with no module) is refused:
 *   what the gateway cannot prove allowed, it does not allow.
 */

/** Field data types that point at CRM users (Zoho's names). */
const USER_LOOKUPS = new Set(['ownerlookup', 'userlookup']);

function requireModule(caller: Caller, module: string): void {
  requireScope(caller, 'records:read', module);
  if (module.toLowerCase() === 'users') requireScope(caller, 'users:read');
}

/**
 * A custom view in FROM (v7+, Kaizen #183) names no module: which one it reads, and so what its
 * paths reach, only Zoho knows (resolving it would cost a metadata call per module). So it needs
 * the scopes that leave nothing out of reach: records:read for every module and users:read.
 */
function customViewRefused(caller: Caller, view: string): GatewayError | undefined {
  for (const scope of ['records:read', 'users:read'] as const) {
    if (!hasScope(caller, scope)) {
      return new GatewayError('FORBIDDEN', `a custom view in FROM (${view}) may read any module, so it needs the scope "${scope}" (not narrowed to modules)`, {
        scope,
        reason: 'coql-custom-view',
      });
    }
  }
  return undefined;
}

/** FORBIDDEN unless the caller may read every FROM module. No metadata needed. */
export function requireCoqlModuleScopes(caller: Caller, selects: readonly CoqlSelect[]): void {
  for (const s of selects) {
    if (s.customView !== undefined) {
      const refused = customViewRefused(caller, s.customView);
      if (refused) throw refused;
    } else requireModule(caller, s.module);
  }
}

function cannotPlace(module: string, path: readonly PathStep[], step: string, why: string): GatewayError {
  const text = path.map((s, i) => ('module' in s ? `->${s.module}` : `${i > 0 ? '.' : ''}${s.field}`)).join('');
  return new GatewayError('FORBIDDEN', `the gateway cannot tell what ${JSON.stringify(text)} reads: ${step} ${why} in ${module}; it refuses what it cannot check`, {
    argument: 'query',
    reason: 'coql-unresolved-path',
    path: text,
  });
}

/**
 * FORBIDDEN unless the caller may read every module and user a path of `selects` reaches.
 * `fields(module)` gives a module's field metadata; it is asked only for paths with a lookup
 * step, and not at all when the caller holds both records:read and users:read (nothing is
 * then out of reach).
 */
export async function requireCoqlPathScopes(caller: Caller, selects: readonly CoqlSelect[], fields: (module: string) => Promise<FieldMeta[]>): Promise<void> {
  if (hasScope(caller, 'records:read') && hasScope(caller, 'users:read')) return;
  for (const select of selects) {
    if (select.customView !== undefined) throw customViewRefused(caller, select.customView)!;
    for (const path of select.paths) {
      let module = select.module;
      for (let i = 0; i < path.length - 1; i++) {
        const step = path[i]!;
        if ('module' in step) continue; // already entered by the step before it
        const next = path[i + 1]!;
        const field = (await fields(module)).find((f) => f.apiName === step.field);
        if (!field) throw cannotPlace(module, path, step.field, 'is no field');
        if (USER_LOOKUPS.has(field.dataType)) {
          requireScope(caller, 'users:read');
          // Users, their roles and profiles: users:read covers the rest of the path.
          if (!('module' in next)) break;
        }
        // A `->Module` hop names the module only of a lookup that has none of its own (What_Id);
        // on any other field it would let the query name a module other than the one it reads.
        if ('module' in next && !(field.dataType === 'lookup' && (field.lookupModule === null || field.lookupModule === next.module))) {
          throw cannotPlace(module, path, step.field, `cannot be followed into ${next.module}`);
        }
        const target = 'module' in next ? next.module : field.lookupModule;
        if (!target) throw cannotPlace(module, path, step.field, `is a ${field.dataType} field, not a lookup to one module`);
        requireModule(caller, target);
        module = target;
      }
    }
  }
}
