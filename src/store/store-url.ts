/**
 * Parsing STORE_URL into a backend choice. Pure (no I/O, no backend imports) so the config loader
 * can validate the URL at start-up with exactly the rules the store factory will apply.
 */

/** Which key-value backend a STORE_URL selects. */
export type StoreKind = 'redis' | 'sqlite' | 'memory';

/** A parsed STORE_URL. */
export type StoreLocation =
  /** `redis://…` or `rediss://…` (TLS); `url` is passed to node-redis unchanged. */
  | { readonly kind: 'redis'; readonly url: string }
  /** `sqlite://<path>`; `path` is relative to the working directory unless absolute (`sqlite:///abs`). */
  | { readonly kind: 'sqlite'; readonly url: string; readonly path: string }
  /** `memory://`: a Map in this process; lost on restart, not shared between processes. */
  | { readonly kind: 'memory'; readonly url: string };

/** What a STORE_URL must look like, for error messages. */
export const STORE_URL_FORMS = 'redis://host:port, rediss://host:port, sqlite://path/to/file or memory://';

/**
 * Reads a STORE_URL. Throws a TypeError whose message never contains the URL itself (a Redis URL
 * may carry a password).
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (url === 'memory://' || url === 'memory:') return { kind: 'memory', url };
  if (url.startsWith('sqlite://')) {
    // Not parsed with `new URL`: a relative path such as `./.data/x.sqlite` would become a host.
    const path = url.slice('sqlite://'.length);
    if (path === '') throw new TypeError('sqlite:// needs a file path, e.g. sqlite://./.data/gateway.sqlite');
    return { kind: 'sqlite', url, path };
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TypeError('is not a valid redis:// URL');
    }
    if (parsed.hostname === '') throw new TypeError('redis URL needs a host');
    return { kind: 'redis', url };
  }
  throw new TypeError(`must be one of ${STORE_URL_FORMS}`);
}
