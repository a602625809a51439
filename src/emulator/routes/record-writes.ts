import type { AccessToken } from '../accounts.js';
import { crmAuth, type EmulatorContext } from '../emulator.js';
import { bulkStatus, recordError, recordSuccess, zohoError, type RecordOutcome } from '../errors.js';
import type { ModuleDef } from '../metadata.js';
import { actingUser, invalidModule, MAX_IDS, moduleOf, moduleScope } from '../record-helpers.js';
import { insertRecord, parseWriteBody, updateRecord, upsertCheckFields, upsertRecord, type WriteResult } from '../record-writes.js';
import type { EmulatorRequest, EmulatorResponse, Router } from '../router.js';
import { recordDeletion } from '../deleted-records.js';

/**
 * Records API, write side. Every call takes `{"data":[…], "trigger":[…]}` with at most 100
 * records and answers one outcome per record, in input order; HTTP 201 (insert) / 200 (others)
 * when all succeed, 207 when some do, 400 when none do (errors.ts bulkStatus,
 * https://www.zoho.com/crm/developer/docs/api/v8/status-codes.html, crm-oas createRecords.md).
 * Scopes (crm-oas operation files): insert CREATE, update UPDATE, upsert CREATE, delete DELETE.
 */
export function registerRecordWriteRoutes(router: Router, ctx: EmulatorContext): void {
  // https://www.zoho.com/crm/developer/docs/api/v8/upsert-records.html — before `/:module/:id`.
  router.add(
    'POST',
    '/crm/v8/:module/upsert',
    crmAuth(ctx, moduleScope('CREATE'), (req, t) => upsert(ctx, req, t)),
  );
  // https://www.zoho.com/crm/developer/docs/api/v8/insert-records.html
  router.add(
    'POST',
    '/crm/v8/:module',
    crmAuth(ctx, moduleScope('CREATE'), (req, t) => insert(ctx, req, t)),
  );
  // https://www.zoho.com/crm/developer/docs/api/v8/update-records.html
  router.add(
    'PUT',
    '/crm/v8/:module',
    crmAuth(ctx, moduleScope('UPDATE'), (req, t) => update(ctx, req, t)),
  );
  router.add(
    'PUT',
    '/crm/v8/:module/:id',
    crmAuth(ctx, moduleScope('UPDATE'), (req, t) => updateOne(ctx, req, t)),
  );
  // https://www.zoho.com/crm/developer/docs/api/v8/delete-records.html
  router.add(
    'DELETE',
    '/crm/v8/:module',
    crmAuth(ctx, moduleScope('DELETE'), (req, t) => deleteMany(ctx, req, t)),
  );
  router.add(
    'DELETE',
    '/crm/v8/:module/:id',
    crmAuth(ctx, moduleScope('DELETE'), (req, t) => deleteOne(ctx, req, t)),
  );
}

type Prepared = { module: ModuleDef; records: unknown[]; body: Record<string, unknown> } | EmulatorResponse;

function prepare(ctx: EmulatorContext, req: EmulatorRequest): Prepared {
  const module = moduleOf(ctx, req.params.module!);
  if (!module) return invalidModule();
  const parsed = parseWriteBody(req.body);
  if ('error' in parsed) return parsed.error;
  return { module, ...parsed };
}

/** Tells watchers what changed (ctx.recordsChanged drives notifications). */
function notify(ctx: EmulatorContext, module: ModuleDef, results: WriteResult[]): void {
  for (const op of ['insert', 'update'] as const) {
    const changed = results.map((r) => r.changed).filter((c) => c?.op === op);
    if (changed.length === 0) continue;
    const fields = [...new Set(changed.flatMap((c) => c!.fields))];
    ctx.recordsChanged(
      module.api_name,
      op,
      changed.map((c) => c!.id),
      op === 'update' ? fields : undefined,
    );
  }
}

function answer(ctx: EmulatorContext, module: ModuleDef, results: WriteResult[], allOk: number): EmulatorResponse {
  notify(ctx, module, results);
  const outcomes = results.map((r) => r.outcome);
  return { status: bulkStatus(outcomes, allOk), body: { data: outcomes } };
}

function insert(ctx: EmulatorContext, req: EmulatorRequest, token: AccessToken): EmulatorResponse {
  const p = prepare(ctx, req);
  if ('status' in p) return p;
  const user = actingUser(ctx, token);
  return answer(
    ctx,
    p.module,
    p.records.map((r, i) => insertRecord(ctx, p.module, user, r, i)),
    201,
  );
}

/** Each record names its `id`; a missing id → MANDATORY_NOT_FOUND api_name "id" (crm-oas updateRecord examples). */
function update(ctx: EmulatorContext, req: EmulatorRequest, token: AccessToken): EmulatorResponse {
  const p = prepare(ctx, req);
  if ('status' in p) return p;
  const user = actingUser(ctx, token);
  const results = p.records.map((r, i): WriteResult => {
    const id = r && typeof r === 'object' ? (r as { id?: unknown }).id : undefined;
    if (typeof id !== 'string' || id === '') {
      return { outcome: recordError('MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'id', json_path: `$.data[${i}].id` }) };
    }
    return updateRecord(ctx, p.module, user, id, r, i);
  });
  return answer(ctx, p.module, results, 200);
}

/**
 * PUT /{module}/{id}: the path names the record; only `data[0]` is used (UNVERIFIED: Zoho's answer
 * to more entries). Unknown id → `{"data":[{"code":"INVALID_DATA","details":{"resource_path_index":1},…}]}`
 * (crm-oas updateRecord response-400-resourcepathindexerror.md; UNVERIFIED: message).
 */
function updateOne(ctx: EmulatorContext, req: EmulatorRequest, token: AccessToken): EmulatorResponse {
  const p = prepare(ctx, req);
  if ('status' in p) return p;
  const id = req.params.id!;
  if (!ctx.records(p.module.api_name).has(id)) {
    return { status: 400, body: { data: [recordError('INVALID_DATA', 'the id given seems to be invalid', { resource_path_index: 1 })] } };
  }
  return answer(ctx, p.module, [updateRecord(ctx, p.module, actingUser(ctx, token), id, p.records[0], 0)], 200);
}

/**
 * Upsert: `duplicate_check_fields` names the fields to match on, default the module's system
 * duplicate check field, then its user-defined unique fields (record-writes.ts upsertCheckFields;
 * crm-oas upsertRecords operation.md). All ok → 200 (response-200-success.md).
 */
function upsert(ctx: EmulatorContext, req: EmulatorRequest, token: AccessToken): EmulatorResponse {
  const p = prepare(ctx, req);
  if ('status' in p) return p;
  const requested = p.body.duplicate_check_fields;
  let checkFields: string[];
  if (requested === undefined) {
    checkFields = upsertCheckFields(p.module);
  } else {
    const names = p.module.fields.map((f) => f.api_name);
    if (!Array.isArray(requested) || !requested.every((f) => typeof f === 'string' && names.includes(f))) {
      // UNVERIFIED: Zoho's error for an unknown duplicate check field (shape as invalidsupportedvalue).
      return { status: 400, body: { data: [recordError('INVALID_DATA', 'invalid data', { api_name: 'duplicate_check_fields', json_path: '$.duplicate_check_fields' })] } };
    }
    checkFields = requested as string[];
  }
  const user = actingUser(ctx, token);
  return answer(
    ctx,
    p.module,
    p.records.map((r, i) => upsertRecord(ctx, p.module, user, r, i, checkFields)),
    200,
  );
}

/**
 * DELETE /{module}?ids=a,b: per id `{"code":"SUCCESS","details":{"id"},"message":"record deleted"}`
 * or `{"code":"INVALID_DATA","details":{"id"},"message":"record not deleted"}`
 * (crm-oas deleteRecords response-207-mixedresults.md); no `ids` → REQUIRED_PARAM_MISSING
 * (response-400-missingparam.md). UNVERIFIED: the error for more than 100 ids.
 */
function deleteMany(ctx: EmulatorContext, req: EmulatorRequest, token: AccessToken): EmulatorResponse {
  const module = moduleOf(ctx, req.params.module!);
  if (!module) return invalidModule();
  const raw = req.query.get('ids');
  const ids = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) return zohoError(400, 'REQUIRED_PARAM_MISSING', 'One of the expected parameter is missing', { param_name: 'ids' });
  if (ids.length > MAX_IDS) return zohoError(400, 'LIMIT_EXCEEDED', 'limit exceeded', { limit: MAX_IDS, param_name: 'ids' });
  const store = ctx.records(module.api_name);
  const user = actingUser(ctx, token);
  const deleted: string[] = [];
  const outcomes: RecordOutcome[] = ids.map((id) => {
    const rec = store.get(id);
    if (!rec || !store.delete(id)) return recordError('INVALID_DATA', 'record not deleted', { id });
    // Into the recycle bin, listed by GET /{module}/deleted (../deleted-records.ts).
    recordDeletion(ctx, module, rec, user);
    deleted.push(id);
    return recordSuccess('record deleted', { id });
  });
  if (deleted.length) ctx.recordsChanged(module.api_name, 'delete', deleted);
  return { status: bulkStatus(outcomes, 200), body: { data: outcomes } };
}

/**
 * DELETE /{module}/{id}: crm-oas deleteRecord response-200-successfuldeletion.md; unknown id →
 * 400 INVALID_DATA "invalid record id" (response-400-invalidrecordid.md). The sample says
 * resource_path_index 0; we give 1, the id's position (the module is 0) — UNVERIFIED.
 */
function deleteOne(ctx: EmulatorContext, req: EmulatorRequest, token: AccessToken): EmulatorResponse {
  const module = moduleOf(ctx, req.params.module!);
  if (!module) return invalidModule();
  const id = req.params.id!;
  const rec = ctx.records(module.api_name).get(id);
  if (!rec || !ctx.records(module.api_name).delete(id)) return zohoError(400, 'INVALID_DATA', 'invalid record id', { resource_path_index: 1 });
  recordDeletion(ctx, module, rec, actingUser(ctx, token));
  ctx.recordsChanged(module.api_name, 'delete', [id]);
  return { status: 200, body: { data: [recordSuccess('record deleted', { id })] } };
}
