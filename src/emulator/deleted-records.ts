import type { AccessToken } from './accounts.js';
import { crmAuth, type EmulatorContext } from './emulator.js';
import { zohoError } from './errors.js';
import type { ModuleDef } from './metadata.js';
import { modifiedSince, NOT_MODIFIED } from './modified-since.js';
import { displayName, intParam, invalidModule, moduleScope, userRef, viewOf } from './record-helpers.js';
import type { EmulatorRequest, EmulatorResponse, Router } from './router.js';
import { toZohoDateTime, type ZRecord, type ZUser } from './seed.js';

/**
 * Deleted records: `GET /crm/v8/{module}/deleted?type=all|recycle|permanent&page&per_page`, with
 * the optional `If-Modified-Since` header (deleted after it).
 * Source: crm-oas v8.0/record/operations/getDeletedRecords/operation.md and its example
 * response-200-deletedrecords.md: `{"data":[{deleted_by{name,id}, id, display_name, type,
 * created_by{name,id}, deleted_time}], "info":{per_page, count, page, more_records}}`; permanently
 * deleted entries carry `deleted_by`, `display_name` and `created_by` as null; 204 when none;
 * scope ZohoCRM.modules.READ; per_page ≤ 200. Deleting a record puts it in the recycle bin, where
 * Zoho keeps it 60 days before deleting it for good
 * (https://www.zoho.com/crm/help/miscellaneous/recycle-bin.html).
 * UNVERIFIED: the order of the list (here newest deletion first, as the example's recycle entries),
 * how long permanent entries stay listed (here for ever), and the message of PATTERN_NOT_MATCHED.
 */

export const RECYCLE_BIN_DAYS = 60;

interface Deletion {
  id: string;
  /** Epoch ms. */
  at: number;
  displayName: string;
  deletedBy: { name: string; id: string };
  createdBy: { name: string; id: string } | null;
  /** Emptied from the recycle bin by hand (else permanent once 60 days have passed). */
  purged: boolean;
}

const logs = new WeakMap<EmulatorContext, Map<string, Deletion[]>>();

function log(ctx: EmulatorContext, module: string): Deletion[] {
  let byModule = logs.get(ctx);
  if (!byModule) logs.set(ctx, (byModule = new Map()));
  let list = byModule.get(module);
  if (!list) byModule.set(module, (list = []));
  return list;
}

/** Called by the delete handlers for every record they removed. */
export function recordDeletion(ctx: EmulatorContext, module: ModuleDef, record: ZRecord, by: ZUser): void {
  const created = record.Created_By as { name?: unknown; id?: unknown } | null | undefined;
  log(ctx, module.api_name).push({
    id: record.id,
    at: ctx.now(),
    displayName: displayName(module, record),
    deletedBy: userRef(by),
    createdBy: created && typeof created.id === 'string' ? { name: String(created.name ?? ''), id: created.id } : null,
    purged: false,
  });
}

/** Test hook: empties a record from the recycle bin (it is then listed as `permanent`). */
export function purgeDeleted(ctx: EmulatorContext, module: string, id: string): boolean {
  const entry = log(ctx, module).find((d) => d.id === id);
  if (entry) entry.purged = true;
  return entry !== undefined;
}

/** Test hook: what the deleted-records API lists for a module (newest first), types as of now. */
export function deletedRecords(ctx: EmulatorContext, module: string): { id: string; deleted_time: string; type: 'recycle' | 'permanent' }[] {
  return [...log(ctx, module)].reverse().map((d) => ({ id: d.id, deleted_time: toZohoDateTime(d.at), type: typeOf(ctx, d) }));
}

function typeOf(ctx: EmulatorContext, d: Deletion): 'recycle' | 'permanent' {
  return d.purged || ctx.now() - d.at >= RECYCLE_BIN_DAYS * 86_400_000 ? 'permanent' : 'recycle';
}

export function registerDeletedRoutes(router: Router, ctx: EmulatorContext): void {
  // Before `/:module/:id`, which would read `deleted` as a record id.
  router.add(
    'GET',
    '/crm/v8/:module/deleted',
    crmAuth(ctx, moduleScope('READ'), (req, t) => listDeleted(ctx, req, t)),
  );
}

const TYPES = ['all', 'recycle', 'permanent'];

function listDeleted(ctx: EmulatorContext, req: EmulatorRequest, token: AccessToken): EmulatorResponse {
  const module = viewOf(ctx, req.params.module!, token);
  if (!module) return invalidModule();
  const type = req.query.get('type') ?? 'all';
  if (!TYPES.includes(type)) return zohoError(400, 'PATTERN_NOT_MATCHED', 'Please check whether the input values are correct', { param_name: 'type' });
  const perPage = intParam(req.query.get('per_page'), 1, 200);
  if (perPage === null) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'per_page' });
  const page = intParam(req.query.get('page'), 1, Number.MAX_SAFE_INTEGER);
  if (page === null) return zohoError(400, 'INVALID_DATA', 'invalid data', { param_name: 'page' });
  const since = modifiedSince(req);
  if (since !== null && typeof since === 'object') return since;
  const per = perPage ?? 200;
  const p = page ?? 1;
  const all = [...log(ctx, module.api_name)].reverse().filter((d) => (since === null || Math.floor(d.at / 1000) > since) && (type === 'all' || typeOf(ctx, d) === type));
  const rows = all.slice((p - 1) * per, p * per);
  if (rows.length === 0) return since !== null && all.length === 0 ? NOT_MODIFIED : { status: 204 };
  return {
    status: 200,
    body: {
      data: rows.map((d) => {
        const permanent = typeOf(ctx, d) === 'permanent';
        return {
          deleted_by: permanent ? null : d.deletedBy,
          id: d.id,
          display_name: permanent ? null : d.displayName,
          type: permanent ? 'permanent' : 'recycle',
          created_by: permanent ? null : d.createdBy,
          deleted_time: toZohoDateTime(d.at),
        };
      }),
      info: { per_page: per, count: rows.length, page: p, more_records: p * per < all.length },
    },
  };
}
