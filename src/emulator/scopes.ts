/**
 * Zoho OAuth scope matching, as Zoho documents scopes: `Service.scope_name.operation` where the
 * scope may name a sub-scope (`ZohoCRM.settings.fields.READ`, `ZohoCRM.modules.Leads.CREATE`) and
 * `ALL` grants every operation. A broader granted scope covers a narrower one:
 * `ZohoCRM.modules.ALL` covers `ZohoCRM.modules.Leads.READ`, `ZohoCRM.settings.READ` covers
 * `ZohoCRM.settings.fields.READ`.
 * `WRITE` is create + update: a `…Leads.WRITE` token may insert, update and upsert Leads, but not
 * read or delete them (D/upsert-records.html lists ALL, WRITE and CREATE for upsert;
 * D/insert-records.html the same for insert; D/update-records.html ALL, WRITE and UPDATE for
 * update; ../shared/zoho-api.md "Scopes").
 * Source: https://www.zoho.com/crm/developer/docs/api/v8/scopes.html
 */

export interface RequiredScope {
  service: string;
  group: string;
  sub?: string;
  op: 'READ' | 'CREATE' | 'UPDATE' | 'DELETE' | 'ALL';
}

export function scopeName(r: RequiredScope): string {
  return [r.service, r.group, r.sub, r.op].filter(Boolean).join('.');
}

export function covers(granted: string, required: RequiredScope): boolean {
  const parts = granted.split('.');
  if (parts.length < 3) return false;
  const [service, group] = parts as [string, string];
  if (service.toLowerCase() !== required.service.toLowerCase()) return false;
  if (group.toLowerCase() !== required.group.toLowerCase()) return false;
  const op = parts[parts.length - 1]!.toUpperCase();
  const sub = parts.length > 3 ? parts.slice(2, -1).join('.') : undefined;
  if (sub !== undefined && sub.toLowerCase() !== (required.sub ?? '').toLowerCase()) return false;
  return op === 'ALL' || op === required.op || (op === 'WRITE' && WRITE_COVERS.has(required.op));
}

/** The operations a granted `WRITE` stands for. */
const WRITE_COVERS = new Set<RequiredScope['op']>(['CREATE', 'UPDATE']);

export function hasScope(granted: readonly string[], required: RequiredScope): boolean {
  return granted.some((g) => covers(g, required));
}

/** Zoho's scope parameter is comma separated; be lenient with spaces like Zoho's consent page. */
export function parseScopes(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
