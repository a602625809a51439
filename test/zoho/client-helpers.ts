import { afterAll, afterEach, beforeAll } from 'vitest';
/**
 * A ZohoClient wired to an emulator with a stub token manager (a token minted straight in the
 * emulator's book), a recording observer, and real (short) sleeps that are recorded too.
 */
import { createLogger } from '../../src/log.js';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import type { Connection } from '../../src/tokens/connection.js';
import { ZohoClient, type AccessTokens, type ZohoAttempt, type ZohoClientOptions } from '../../src/zoho/client.js';
import { mintToken, startTestEmulator } from '../helpers/emulator.js';
import { deadPort } from './helpers.js';

export const TENANT = 'acme';
export const CONNECTION = 'default';

export interface ClientRig {
  client: ZohoClient;
  /** Every attempt the observer saw, in order. */
  attempts: ZohoAttempt[];
  /** Every wait the client asked for (ms). */
  sleeps: number[];
  /** Tokens handed out (the second is the forced refresh's). */
  tokens: { gets: number; refreshes: number };
}

export function clientFor(emu: ZohoEmulator, options: Partial<Omit<ZohoClientOptions, 'tokens' | 'log'>> = {}): ClientRig {
  const tokens = { gets: 0, refreshes: 0 };
  const connection = (): Connection => ({ tenantId: TENANT, connectionName: CONNECTION, apiDomain: emu.url, accessToken: mintToken(emu) }) as Connection;
  const stub: AccessTokens = {
    async getAccessToken() {
      tokens.gets++;
      return connection();
    },
    async forceRefresh() {
      tokens.refreshes++;
      return connection();
    },
  };
  const sleeps: number[] = [];
  const realSleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const client = new ZohoClient({
    tokens: stub,
    log: createLogger({ level: 'silent' }),
    ...options,
    sleep: (ms) => {
      sleeps.push(ms);
      return realSleep(ms);
    },
  });
  const attempts: ZohoAttempt[] = [];
  const call = client.call.bind(client);
  // Every call of the rig records its attempts unless the test passes its own observer.
  client.call = ((tenantId, connectionName, c, observe) => call(tenantId, connectionName, c, observe ?? ((a) => attempts.push(a)))) as ZohoClient['call'];
  return { client, attempts, sleeps, tokens };
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

/**
 * One emulator for a describe block: started before its tests, closed after, with faults and
 * call counters reset between tests. Read it through the returned getter inside tests.
 */
export function sharedEmulator(): () => ZohoEmulator {
  let emu: ZohoEmulator | undefined;
  beforeAll(async () => {
    ({ emu } = await startTestEmulator());
  });
  afterAll(() => emu?.close());
  afterEach(() => {
    emu?.faults.clear();
    emu?.resetCalls();
  });
  return () => emu!;
}

/** A client whose connection points at a port nobody listens on (connection refused). */
export async function clientToDeadPort(options: Partial<Omit<ZohoClientOptions, 'tokens' | 'log'>> = {}): Promise<ZohoClient> {
  const connection = { tenantId: TENANT, connectionName: CONNECTION, apiDomain: `http://127.0.0.1:${await deadPort()}`, accessToken: 'x' } as Connection;
  return new ZohoClient({
    tokens: { getAccessToken: async () => connection, forceRefresh: async () => connection },
    log: createLogger({ level: 'silent' }),
    ...options,
  });
}
