import { describe, expect, it } from 'vitest';
import { pathOf, type ZohoCall } from '../../src/zoho/client.js';

/** What the client sent before it skipped the URL object: `new URL` and `searchParams.set`. */
function viaUrl(call: Pick<ZohoCall, 'path' | 'query'>): string {
  const url = new URL(`/crm/v8${call.path}`, 'https://www.zohoapis.com');
  for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.pathname + url.search;
}

describe('the request target the Zoho client sends', () => {
  const calls: Pick<ZohoCall, 'path' | 'query'>[] = [
    { path: '/Deals/4876876000000123001', query: { fields: 'Deal_Name,Amount,Stage' } },
    { path: '/Deals', query: { fields: 'Deal_Name', per_page: 200, page_token: undefined, sort_by: 'Modified_Time' } },
    { path: '/Deals/search', query: { criteria: '((Deal_Name:equals:Müller & Sons, GmbH)and(Amount:greater_than:5))', word: 'a b+c/d?e#f' } },
    { path: '/Leads/1%2F2', query: {} },
    { path: '/org' },
    // Never built by the gateway (ids are validated), but must still leave as URL would send it:
    { path: '/Deals/a b/ü' },
    { path: '/Deals/../settings/modules' },
    { path: '/Deals/./x' },
  ];
  it.each(calls)('$path is sent exactly as a URL object would send it', (call) => {
    expect(pathOf(call)).toBe(viaUrl(call));
  });
});
