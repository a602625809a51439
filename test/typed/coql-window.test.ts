import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCoqlCursor, queryKey } from '../../src/typed/cursor.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { connectTyped, typedClient, type TypedClient } from './typed-client.js';

/**
 * Zoho's COQL reaches at most 100,000 records of one query (offset + limit). A filtered typed list
 * must say where its walk ends, not promise a next page that Zoho cannot give.
 */
describe('a filtered list at the end of COQL’s 100,000-record window', () => {
  let h: Harness;
  let c: TypedClient;
  const RECORDS = 100_050;
  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { deals: 10, leads: 10, contacts: 10, accounts: 5, fieldVisits: 1 } } });
    h.us.metadata.addModule({ api_name: 'Meter_Reads', singular_label: 'Meter Read', plural_label: 'Meter Reads' }, { records: RECORDS });
    await connectTyped(h, 'acme');
    c = await typedClient(h, 'acme');
  }, 120_000);
  afterAll(() => h?.close());

  it('ends the walk at record 100,000 (hasNextPage false) though Zoho has more', async () => {
    const where = { name: { startsWith: 'Meter' } };
    // A cursor 200 records before the window's end, as the walk's 499th page would hand out.
    const after = encodeCoqlCursor('Meter_Reads', queryKey(where, null), 99_800);
    const q = 'query($after: String, $where: MeterRead_Filter) { crm { meterReads(first: 200, after: $after, where: $where) { nodes { id } pageInfo { hasNextPage endCursor count } } } }';
    const page = await c.run<{ crm: { meterReads: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string; count: number } } } }>(q, { after, where });
    expect(page.errors).toBeUndefined();
    expect(page.data!.crm.meterReads.pageInfo.count).toBe(200);
    expect(page.data!.crm.meterReads.pageInfo.hasNextPage).toBe(false);
    // Following the cursor anyway is refused before any Zoho call, naming the limit.
    h.us.resetCalls();
    const beyond = await c.run(q, { after: page.data!.crm.meterReads.pageInfo.endCursor, where });
    expect(beyond.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', maximum: 100_000 });
    expect(h.us.count()).toBe(0);
  }, 60_000);
});
