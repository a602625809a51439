/**
 * `returnTo` must match ALLOWED_RETURN_URLS: an entry that is a bare origin allows any path on
 * that origin; an entry with a path allows that path and below. Anything else (another origin,
 * `javascript:`, a look-alike host) is refused, so the connect flow cannot become an open redirect.
 */
export function isAllowedReturnUrl(candidate: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username || url.password) return false;
  return allowed.some((entry) => {
    const a = new URL(entry);
    if (a.origin !== url.origin) return false;
    const base = a.pathname.replace(/\/+$/, '');
    return base === '' || url.pathname === base || url.pathname.startsWith(`${base}/`);
  });
}
