/**
 * Embedded file backend: @keyv/sqlite. For a single gateway instance without Redis; the file
 * survives restarts. Several processes may share the file (SQLite locks it), though Redis is the
 * better choice once there is more than one instance.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Keyv } from 'keyv';
import KeyvSqlite from '@keyv/sqlite';
import { KEYV_OPTIONS, type Backend } from './backend.js';

/** Our table in the SQLite file (Keyv's schema: key VARCHAR PRIMARY KEY, value TEXT). */
const TABLE = 'zgw_store';
/** How long a statement waits for another connection's write lock, in milliseconds. */
const BUSY_TIMEOUT_MS = 5_000;

export function sqliteBackend(path: string): Backend {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: TABLE, busyTimeout: BUSY_TIMEOUT_MS });
  const keyv = new Keyv(adapter, KEYV_OPTIONS);
  // The adapter opens the file at construction; if that fails, its internal promise rejects with
  // nobody listening until the first query. Touch it now so the failure is handled (each later
  // query still rejects with it) instead of crashing the process as an unhandled rejection.
  adapter.query('SELECT 1').catch(() => undefined);
  // Keyv re-emits adapter errors; with no listener they would vanish anyway, but an explicit
  // no-op documents that errors reach callers as rejections (throwOnErrors), not as events.
  keyv.on('error', () => undefined);

  return {
    kind: 'sqlite',
    keyv,
    redis: undefined,
    async setIfAbsent(fullKey, serialized) {
      // One statement, so SQLite's write lock makes it atomic even across processes: insert, or
      // replace a row whose envelope has expired (Keyv keeps expiry inside the JSON value, and
      // treats `now > expires` as expired). RETURNING yields a row only when we wrote.
      const rows = (await adapter.query(
        `INSERT INTO ${TABLE} (key, value) VALUES (?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value
         WHERE json_valid(${TABLE}.value)
           AND json_type(${TABLE}.value, '$.expires') IN ('integer', 'real')
           AND json_extract(${TABLE}.value, '$.expires') < ?
         RETURNING key`,
        fullKey,
        serialized,
        Date.now(),
      )) as unknown[];
      return rows.length === 1;
    },
    async delete(fullKey) {
      // @keyv/sqlite's delete is a SELECT then a DELETE, so two racing callers both see "deleted";
      // single-use values (OAuth states, connect tickets) need exactly one winner. One statement.
      const rows = (await adapter.query(`DELETE FROM ${TABLE} WHERE key = ? RETURNING key`, fullKey)) as unknown[];
      return rows.length > 0;
    },
    async ping() {
      try {
        await adapter.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await adapter.disconnect();
    },
  };
}

/** The table name, for tests that read the file directly. */
export const SQLITE_TABLE = TABLE;
