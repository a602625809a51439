import type { ZohoFetch } from '../zoho/client.js';

/**
 * A module's custom views, as `GET /crm/v8/settings/custom_views?module=` lists them (crm-oas
 * v8.0/custom_views.json, getCustomViews response-200-successresponse.md). Pages of 200 views are
 * followed while `info.more_records` says so, up to MAX_VIEW_PAGES.
 */
export interface CustomViewView {
  id: string;
  name: string;
  displayValue: string | null;
  systemName: string | null;
  /** `created_by_me`, `public_views`, `shared_with_me`, `other_users_views`. */
  category: string | null;
  isDefault: boolean;
  systemDefined: boolean;
  /** The field the view sorts by (its api name), when Zoho says. */
  sortBy: string | null;
  sortOrder: 'asc' | 'desc' | null;
}

interface ZohoCustomView {
  id?: string | number;
  name?: string;
  display_value?: string | null;
  system_name?: string | null;
  category?: string | null;
  default?: boolean;
  system_defined?: boolean;
  sort_by?: { api_name?: string } | null;
  sort_order?: string | null;
}

interface ZohoCustomViewsBody {
  custom_views?: ZohoCustomView[];
  info?: { more_records?: boolean };
}

/** Pages of 200 views read at most (a module with more than 1,000 views is not expected). */
export const MAX_VIEW_PAGES = 5;

export async function listCustomViews(fetch: ZohoFetch, module: string): Promise<CustomViewView[]> {
  const out: CustomViewView[] = [];
  for (let page = 1; page <= MAX_VIEW_PAGES; page++) {
    const res = await fetch<ZohoCustomViewsBody>({ method: 'GET', path: '/settings/custom_views', query: { module, page, per_page: 200 } });
    for (const v of res.body?.custom_views ?? []) {
      if (v.id === undefined || v.id === null) continue;
      out.push({
        id: String(v.id),
        name: v.name ?? v.display_value ?? String(v.id),
        displayValue: v.display_value ?? null,
        systemName: v.system_name ?? null,
        category: v.category ?? null,
        isDefault: v.default === true,
        systemDefined: v.system_defined === true,
        sortBy: v.sort_by?.api_name ?? null,
        sortOrder: v.sort_order === 'asc' || v.sort_order === 'desc' ? v.sort_order : null,
      });
    }
    if (!res.body?.info?.more_records) break;
  }
  return out;
}
