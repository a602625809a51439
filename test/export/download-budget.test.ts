/**
 * Review 13 F2: a download has a Zoho call budget of its own. A later page Zoho never completes
 * must not be polled for as long as the wait allows: the download fails with
 * ZOHO_CALL_BUDGET_EXCEEDED after DOWNLOAD_CALLS_PER_PAGE calls a page. The service is driven
 * directly (real ZohoClient, real emulator) with polls that do not wait, so the bound shows in
 * call counts rather than in half an hour of polling.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOWNLOAD_CALLS_PER_PAGE, ExportService } from '../../src/export/export-service.js';
import { createLogger } from '../../src/log.js';
import { createStore, type Store } from '../../src/store/index.js';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { clientFor, CONNECTION, TENANT, type ClientRig } from '../zoho/client-helpers.js';

describe('a download’s own Zoho call budget', () => {
  let emu: ZohoEmulator;
  let rig: ClientRig;
  let store: Store;
  beforeAll(async () => {
    // Jobs complete only when the test says so (page 1), never by polling (page 2).
    ({ emu } = await startTestEmulator({ seed: { leads: 2000 }, bulkRead: { perPage: 1000, pollsToComplete: 1_000_000 } }));
    rig = clientFor(emu);
    store = createStore('memory://');
  });
  afterAll(async () => {
    await rig?.client.close();
    await store?.close();
    await emu?.close();
  });

  it('stops polling a page Zoho never completes after DOWNLOAD_CALLS_PER_PAGE calls a page', async () => {
    const service = new ExportService({ store, keys: [randomBytes(32)], zoho: rig.client, log: createLogger({ level: 'silent' }), sleep: async () => undefined });
    const send = <T>(call: Parameters<typeof rig.client.call>[2]) => rig.client.call<T>(TENANT, CONNECTION, call);
    const job = await service.start(TENANT, CONNECTION, { module: 'Leads', fields: ['Last_Name'], types: {} }, send);
    const bulk = emu.bulkReads as unknown as { jobs: Map<string, unknown>; finish(job: unknown): void };
    bulk.finish(bulk.jobs.get(job.zohoJobId));
    expect((await service.status(TENANT, CONNECTION, job.id, send))?.state).toBe('COMPLETED');
    const before = emu.count();
    const opened = await service.open(TENANT, CONNECTION, job.id, () => true);
    expect('body' in opened).toBe(true);
    let lines = 0;
    let error: { extensions?: { code?: string } } | undefined;
    try {
      for await (const chunk of (opened as { body: AsyncGenerator<Buffer> }).body) lines += chunk.toString().split('\n').filter(Boolean).length;
    } catch (err) {
      error = err as typeof error;
    }
    expect(lines).toBe(1000); // page 1 went through
    expect(error?.extensions?.code).toBe('ZOHO_CALL_BUDGET_EXCEEDED');
    const calls = emu.count() - before;
    expect(calls).toBe(2 * DOWNLOAD_CALLS_PER_PAGE);
  }, 60_000);
});
