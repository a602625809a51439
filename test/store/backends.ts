/**
 * The backends every store test runs against. Redis is real: REDIS_URL or the local default. A
 * missing Redis fails the Redis tests (requireRedis) instead of skipping them, so a green run
 * always means all three backends were exercised.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { expect } from 'vitest';
import type { Store } from '../../src/store/index.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A namespace no other run (or parallel test file) shares. */
export function uniqueNamespace(label: string): string {
  return `test_${label}_${process.pid}_${randomUUID().slice(0, 8)}`;
}

export interface BackendFixture {
  readonly name: 'memory' | 'sqlite' | 'redis';
  /** The STORE_URL to open; the same URL reopens the same data (except memory). */
  readonly url: string;
  /** Whether data survives closing the store and opening a new one on the same URL. */
  readonly persistent: boolean;
  /** Removes everything the tests wrote. */
  cleanup(namespace: string): Promise<void>;
}

export function memoryFixture(): BackendFixture {
  return { name: 'memory', url: 'memory://', persistent: false, cleanup: async () => undefined };
}

export function sqliteFixture(): BackendFixture & { readonly path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'zgw-store-'));
  // A nested directory that doesn't exist yet, to check the factory creates it.
  const path = join(dir, 'nested', 'gateway.sqlite');
  return {
    name: 'sqlite',
    url: `sqlite://${path}`,
    path,
    persistent: true,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function redisFixture(): BackendFixture {
  return {
    name: 'redis',
    url: REDIS_URL,
    persistent: true,
    cleanup: async (namespace) => {
      const client = createClient({ url: REDIS_URL });
      await client.connect();
      try {
        for await (const keys of client.scanIterator({ MATCH: `zgw:v1:${namespace}*`, COUNT: 100 })) {
          if (keys.length > 0) await client.del(keys);
        }
      } finally {
        client.destroy();
      }
    },
  };
}

/** Fails (never skips) when the store cannot reach its backend. */
export async function requireReachable(store: Store, url: string): Promise<void> {
  expect(await store.ping(), `backend at ${url} must be reachable (is Redis running?)`).toBe(true);
}
