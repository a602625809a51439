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

/** Our table in the SQLite file (Keyv's schema: key VARCHAR PRIMARY KEY, value TEXT); tests count its rows through a connection of their own. */
export const SQLITE_TABLE = 'zgw_store';
/** How long a statement waits for another connection's write lock, in milliseconds. */
const BUSY_TIMEOUT_MS = 5_000;
/**
 * Time between sweeps of expired rows, in milliseconds. Keyv only drops an expired row when that
 * key is read again, and most short-lived keys (OAuth states, locks, counters) never are.
 */
export const SWEEP_INTERVAL_MS = 5 * 60_000;
/** Rows deleted per statement, so one sweep never holds the file's write lock for long. */
const SWEEP_BATCH_ROWS = 500;

export interface SqliteBackend extends Backend {
  /** Deletes every expired row of the table (all namespaces); resolves with how many. */
  sweepExpired(): Promise<number>;
  /** The sweep started when the file was opened (rows it removed; 0 if it failed). */
  readonly openingSweep: Promise<number>;
}

export function sqliteBackend(path: string, options: { sweepIntervalMs?: number } = {}): SqliteBackend {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table: SQLITE_TABLE, busyTimeout: BUSY_TIMEOUT_MS });
  const keyv = new Keyv(adapter, KEYV_OPTIONS);
  // The adapter opens the file at construction; if that fails, its internal promise rejects with
  // nobody listening until the first query. Touch it now so the failure is handled (each later
  // query still rejects with it) instead of crashing the process as an unhandled rejection.
  adapter.query('SELECT 1').catch(() => undefined);
  // Keyv re-emits adapter errors; with no listener they would vanish anyway, but an explicit
  // no-op documents that errors reach callers as rejections (throwOnErrors), not as events.
  keyv.on('error', () => undefined);

  // Expired as Keyv judges it (`now > expires`), the same test setIfAbsent uses.
  const sweepExpired = async (): Promise<number> => {
    let removed = 0;
    for (;;) {
      const rows = (await adapter.query(
        `DELETE FROM ${SQLITE_TABLE} WHERE rowid IN (
           SELECT rowid FROM ${SQLITE_TABLE}
           WHERE json_valid(value)
             AND json_type(value, '$.expires') IN ('integer', 'real')
             AND json_extract(value, '$.expires') < ?
           LIMIT ${SWEEP_BATCH_ROWS})
         RETURNING key`,
        Date.now(),
      )) as unknown[];
      removed += rows.length;
      if (rows.length < SWEEP_BATCH_ROWS) return removed;
    }
  };
  // A failed sweep is retried by the next one; the store's own calls report a broken file.
  let running: Promise<number> = Promise.resolve(0);
  const quietSweep = () => (running = sweepExpired().catch(() => 0));
  const openingSweep = quietSweep();
  const timer = setInterval(() => void quietSweep(), options.sweepIntervalMs ?? SWEEP_INTERVAL_MS);
  // The sweep is housekeeping: it must never keep a process (a CLI, a test) alive.
  timer.unref();

  return {
    sweepExpired,
    openingSweep,
    kind: 'sqlite',
    keyv,
    redis: undefined,
    async setIfAbsent(fullKey, serialized) {
      // One statement, so SQLite's write lock makes it atomic even across processes: insert, or
      // replace a row whose envelope has expired (Keyv keeps expiry inside the JSON value, and
      // treats `now > expires` as expired). RETURNING yields a row only when we wrote.
      const rows = (await adapter.query(
        `INSERT INTO ${SQLITE_TABLE} (key, value) VALUES (?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value
         WHERE json_valid(${SQLITE_TABLE}.value)
           AND json_type(${SQLITE_TABLE}.value, '$.expires') IN ('integer', 'real')
           AND json_extract(${SQLITE_TABLE}.value, '$.expires') < ?
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
      const rows = (await adapter.query(`DELETE FROM ${SQLITE_TABLE} WHERE key = ? RETURNING key`, fullKey)) as unknown[];
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
      clearInterval(timer);
      // Let a sweep in progress finish: closing the file under it would fail its statement.
      await running;
      await adapter.disconnect();
    },
  };
}
