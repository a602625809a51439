/**
 * The SQLite store purges expired rows by itself: Keyv only drops an expired row when its key is
 * read again, and OAuth states, locks and counters mostly never are, so without a sweep the file
 * grows with every abandoned connect flow. Rows are counted in the file through a second
 * connection, as an operator would see them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { SQLITE_TABLE, sqliteBackend, type SqliteBackend } from '../../src/store/backends/sqlite.js';
import { createStore } from '../../src/store/index.js';

const dir = mkdtempSync(join(tmpdir(), 'zgw-sweep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => join(dir, `gateway-${++n}.sqlite`);

/** Rows in the store's table, read through a connection of its own. */
async function rowsIn(path: string): Promise<number> {
  const reader = new KeyvSqlite({ uri: `sqlite://${path}`, table: SQLITE_TABLE, busyTimeout: 5_000 });
  try {
    const rows = (await reader.query(`SELECT COUNT(*) AS n FROM ${SQLITE_TABLE}`)) as { n: number }[];
    return rows[0]!.n;
  } finally {
    await reader.disconnect();
  }
}

/** Waits until every key written with `ttlMs` has passed its expiry (not an assertion). */
const outlive = (ttlMs: number) => new Promise((r) => setTimeout(r, ttlMs + 5));

describe('sqlite store sweeps expired rows', () => {
  const open: SqliteBackend[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });

  it('a sweep deletes every expired row, in every namespace, and keeps the live ones', async () => {
    const path = freshFile();
    const a = createStore(`sqlite://${path}`, { namespace: 'oauth-state' });
    const b = createStore(`sqlite://${path}`, { namespace: 'locks' });
    try {
      await Promise.all(Array.from({ length: 600 }, (_, i) => (i % 2 ? a : b).set(`state-${i}`, { i }, 5)));
      await a.set('live', 'kept', 60_000);
      await b.set('forever', 'kept');
      expect(await rowsIn(path)).toBe(602);
      await outlive(5);

      const backend = sqliteBackend(path);
      open.push(backend);
      await backend.openingSweep;
      // The sweep on open already ran; an explicit one finds nothing left.
      expect(await backend.sweepExpired()).toBe(0);
      expect(await rowsIn(path)).toBe(2);
      expect(await a.get('live')).toBe('kept');
      expect(await b.get('forever')).toBe('kept');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('sweepExpired reports the rows it removed (more than one batch)', async () => {
    const path = freshFile();
    const backend = sqliteBackend(path);
    open.push(backend);
    await backend.openingSweep;
    const store = createStore(`sqlite://${path}`, { namespace: 'n' });
    try {
      await Promise.all(Array.from({ length: 600 }, (_, i) => store.set(`k${i}`, i, 5)));
      await store.set('live', 1, 60_000);
      await outlive(5);
      expect(await backend.sweepExpired()).toBe(600);
      expect(await rowsIn(path)).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('sweeps on its own timer while open', async () => {
    const path = freshFile();
    const backend = sqliteBackend(path, { sweepIntervalMs: 20 });
    open.push(backend);
    const store = createStore(`sqlite://${path}`, { namespace: 'n' });
    try {
      await store.set('live', 1, 600_000);
      await Promise.all(Array.from({ length: 300 }, (_, i) => store.set(`k${i}`, i, 5)));
      // Only the live row is left once the timer has run (however many rounds that took).
      await expect.poll(() => rowsIn(path), { timeout: 10_000, interval: 25 }).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('stops its timer on close (the process is not held open, later sweeps do not run)', async () => {
    // Only the interval is faked: the sweep itself is real SQLite work.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const backend = sqliteBackend(freshFile(), { sweepIntervalMs: 10 });
      expect(vi.getTimerCount()).toBe(1);
      await backend.openingSweep;
      await backend.close();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
