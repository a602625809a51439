/**
 * Fixtures for token tests: a real Redis store per test (unique namespace, dropped afterwards), a
 * connection made through the emulator's real OAuth flow, and a logger whose lines the test can
 * search for leaked secrets.
 */
import { createCipheriv, randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { createLogger, type Logger } from '../../src/log.js';
import { createStore, type EncryptionKey, type Store } from '../../src/store/index.js';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import type { Connection } from '../../src/tokens/connection.js';
import type { ZohoOAuthClient } from '../../src/zoho/oauth.js';
import { obtainCode, REDIRECT_URI } from '../zoho/helpers.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export function uniqueNamespace(label: string): string {
  return `test_${label}_${process.pid}_${randomUUID().slice(0, 8)}`;
}

/** A Redis store on `namespace`; fails the test (never skips it) when Redis is not there. */
export async function openRedisStore(namespace: string): Promise<Store> {
  const store = createStore(REDIS_URL, { namespace, connectTimeoutMs: 2_000 });
  const up = await store.ping();
  if (!up) await store.close();
  expect(up, `Redis must answer at ${REDIS_URL}`).toBe(true);
  return store;
}

/** Deletes every key under the store's namespace. */
export async function dropNamespace(store: Store): Promise<void> {
  const client = await store.redis!.client();
  for await (const keys of client.scanIterator({ MATCH: `${store.prefix}*`, COUNT: 100 })) {
    if (keys.length > 0) await client.del(keys);
  }
}

export function testKey(keyId = 'test'): EncryptionKey {
  return { key: randomBytes(32), keyId };
}

/** A logger writing into `lines` (debug level, so refresh logging is exercised too). */
export function captureLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: createLogger({ level: 'debug', destination }), lines };
}

/** A connection as the connect flow would store it, obtained through consent and code exchange. */
export async function connectThroughEmulator(emu: ZohoEmulator, oauth: ZohoOAuthClient, ids: { tenantId: string; connectionName?: string }, now: number): Promise<Connection> {
  const tokens = await oauth.exchangeCode({ accountsServer: emu.url, code: await obtainCode(emu), redirectUri: REDIRECT_URI });
  const info = await oauth.userInfo({ accountsServer: emu.url, accessToken: tokens.accessToken });
  return {
    tenantId: ids.tenantId,
    connectionName: ids.connectionName ?? 'default',
    status: 'ACTIVE',
    dc: emu.dc,
    accountsServer: emu.url,
    apiDomain: tokens.apiDomain,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken!,
    expiresAt: now + tokens.expiresInSec * 1000,
    scopes: tokens.scopes,
    zohoUserId: info.zuid,
    email: info.email,
    displayName: info.displayName,
    firstName: info.firstName,
    lastName: info.lastName,
    zohoOrgId: emu.ctx.data.org.id,
    orgName: 'Emulated org',
    connectedAt: now,
    updatedAt: now,
    refreshFailures: 0,
    refreshNotBefore: 0,
  };
}

/** A value sealed in the legacy v1 format (additional data `v1.<kid>` only), as the gateway wrote before values were bound to their record. */
export function legacyV1(plaintext: string, key: EncryptionKey): string {
  const header = `v1.${key.keyId}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(header, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [header, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** A plausible active connection (eu data centre), for repository and cache tests. */
export function sampleConnection(overrides: Partial<Connection> = {}): Connection {
  const now = Date.now();
  return {
    tenantId: 'tenant-1',
    connectionName: 'default',
    status: 'ACTIVE',
    dc: 'eu',
    accountsServer: 'https://accounts.zoho.eu',
    apiDomain: 'https://www.zohoapis.eu',
    accessToken: '1000.access-token-plaintext-aaaa',
    refreshToken: '1000.refresh-token-plaintext-bbbb',
    expiresAt: now + 3_600_000,
    scopes: ['ZohoCRM.modules.ALL'],
    zohoUserId: '123',
    email: 'a@example.com',
    displayName: 'A B',
    firstName: 'A',
    lastName: null,
    zohoOrgId: '456',
    orgName: 'Org',
    connectedAt: now,
    updatedAt: now,
    refreshFailures: 0,
    refreshNotBefore: 0,
    ...overrides,
  };
}
