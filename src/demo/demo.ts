import type { Logger } from '../log.js';
import { startEmulator, type ZohoEmulator } from '../sandbox/emulator.js';

/** The demo's emulated Zoho: two data centres on loopback, each with its own seeded org. */
export interface Demo {
  /** Emulators by data-centre key. */
  dataCentres: Record<'us' | 'eu', ZohoEmulator>;
  close(): Promise<void>;
}

export async function startDemo(log: Logger): Promise<Demo> {
  const [us, eu] = await Promise.all([startEmulator({ dc: 'us' }), startEmulator({ dc: 'eu' })]);
  log.info({ us: us.url, eu: eu.url }, 'demo: emulated Zoho data centres started');
  return {
    dataCentres: { us, eu },
    async close() {
      await Promise.all([us.close(), eu.close()]);
    },
  };
}
