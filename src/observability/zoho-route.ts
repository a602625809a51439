/**
 * Turns a Zoho CRM call path into a bounded metric label. Module names stay (there are a few
 * dozen per org and they say what was called); record, user and other numeric ids become `:id`,
 * because one label value per record would grow the series without bound. The raw proxy lets a
 * caller send any path, so anything that does not look like an API name becomes `:param`.
 */

/** The CRM API's path prefix, kept in the label so it reads like Zoho's documentation. */
const API_PREFIX = '/crm/v8';
/** Zoho ids are long runs of digits (e.g. 4150868000000225013). */
const NUMERIC_ID = /^\d+$/;
/** Module and action names: `Deals`, `search`, `Custom_Module1`, `__notification` … */
const API_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** More segments than any documented CRM route has: the rest is folded into one. */
const MAX_SEGMENTS = 6;

export function zohoRouteLabel(path: string): string {
  const bare = path.split('?')[0] ?? '';
  const segments = bare.split('/').filter((s) => s !== '');
  const labelled = segments.slice(0, MAX_SEGMENTS).map((s) => (NUMERIC_ID.test(s) ? ':id' : API_NAME.test(s) ? s : ':param'));
  if (segments.length > MAX_SEGMENTS) labelled.push('…');
  return `${API_PREFIX}/${labelled.join('/')}`.replace(/\/$/, '');
}
