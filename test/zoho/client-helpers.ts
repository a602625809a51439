/**
 * A ZohoClient wired to an emulator with a stub token manager (a token minted straight in the
 * emulator's book), a recording observer, and real (short) sleeps that are recorded too.
 */
import { createLogger } from '../../src/log.js';
import type { ZohoEmulator } from '../../src/sandbox/emulator.js';
import type { Connection } from '../../src/tokens/connection.js';
import { ZohoClient, type AccessTokens, type ZohoAttempt, type ZohoClientOptions } from '../../src/zoho/client.js';
import { mintToken } from '../helpers/emulator.js';

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
