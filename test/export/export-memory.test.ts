import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { gql } from '../security/http.js';

/**
 * Constant memory, cheaply: the gateway (in this process) streams a 20,000-record export of every
 * Leads field (tens of MiB of NDJSON) while live memory (JS heap and Buffers), measured after a
 * full collection, grows by far less than the file (measured here: about 4 MiB for 44 MiB; the same
 * test with the records of a page buffered before sending: +51 MiB). A gateway that buffered the CSV, the records or the NDJSON would
 * hold the whole file at its peak. The 100,000-record figure with RSS is `npm run bench -- --only export`.
 */

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const MiB = 2 ** 20;
/** Live memory after a full collection: the JS heap and the Buffers outside it. */
const live = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
/** Live-memory growth allowed while streaming (MiB): a few chunks and buffers, not the file. */
const BOUND_MIB = 16;

describe('bulk export memory', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { leads: 20_000, deals: 10, contacts: 10, accounts: 10 } } });
    await h.connect('acme');
  }, 120_000);
  afterAll(() => h?.close());

  it(`streams 20,000 records of ~80 columns while live memory grows by less than ${BOUND_MIB} MiB`, async () => {
    const token = await h.token('acme');
    const started = await gql(h.app.url, token, 'mutation { startBulkExport(module: "Leads") { id } }');
    const id = (started.body.data as { startBulkExport: { id: string } }).startBulkExport.id;
    let path: string | null = null;
    for (let i = 0; i < 10 && !path; i++) {
      const s = await gql(h.app.url, token, 'query($id: ID!) { bulkExport(id: $id) { downloadPath } }', { id });
      path = (s.body.data as { bulkExport: { downloadPath: string | null } }).bulkExport.downloadPath;
    }
    gc();
    const base = live();
    const res = await fetch(`${h.app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    let peak = base;
    let bytes = 0;
    let lines = 0;
    let chunks = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
      if (++chunks % 50 === 1) {
        gc();
        peak = Math.max(peak, live());
      }
    }
    expect(lines).toBe(20_000);
    // The file must dwarf the bound, or the test proves nothing.
    expect(bytes / MiB).toBeGreaterThan(2 * BOUND_MIB);
    expect((peak - base) / MiB, `live memory grew while streaming ${(bytes / MiB).toFixed(1)} MiB`).toBeLessThan(BOUND_MIB);
  }, 120_000);
});
