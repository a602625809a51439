/**
 * The one format rule for the identifiers callers choose and the gateway puts into store keys,
 * log lines and URLs (tenant ids, connection names). Keeping it narrow means none of those places
 * has to escape anything.
 */
const IDENTIFIER = /^[A-Za-z0-9._-]{1,64}$/;

/** True when `value` is a string of 1-64 characters from `A-Z a-z 0-9 . _ -`. */
export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}
