import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setModifiedTime } from '../../src/emulator/modified-since.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codes, connectTyped, gql, ok } from '../typed/typed-harness.js';

/** The typed form of the sync: `crm { dealsChanges(…) { upserted { …Deal fields } deleted syncToken hasMore } }`. */

const Q = `query($since: DateTime, $t: String, $first: Int) { crm { dealsChanges(since: $since, syncToken: $t, first: $first) {
  upserted { id dealName stage modifiedTime owner { email } } deleted { id deletedTime } syncToken hasMore } } }`;

interface DealsChanges {
  crm: {
    dealsChanges: {
      upserted: { id: string; dealName: string; stage: string; modifiedTime: string; owner: { email: string } | null }[];
      deleted: { id: string; deletedTime: string }[];
      syncToken: string;
      hasMore: boolean;
    };
  };
}

describe('typed dealsChanges', () => {
  let h: Harness;
  let token: string;
  const T0 = Math.floor((Date.now() - 3_600_000) / 1000) * 1000;
  beforeAll(async () => {
    h = await startHarness({ emulator: { seed: { deals: 300 } } });
    token = await connectTyped(h, 'acme');
    const ids = [...h.us.ctx.records('Deals').keys()];
    setModifiedTime(h.us.ctx, 'Deals', ids, (i) => T0 + i * 1000);
  });
  afterAll(() => h.close());

  it('walks every Deal in typed values, then reports a deletion; the token is refused by the generic query', async () => {
    const store = h.us.ctx.records('Deals');
    const seen = new Map<string, { dealName: string; stage: string; owner: { email: string } | null }>();
    let t: string | null = null;
    let calls = 0;
    for (;;) {
      const d: DealsChanges = await ok<DealsChanges>(h, token, Q, { t, first: 120 });
      calls++;
      for (const r of d.crm.dealsChanges.upserted) seen.set(r.id, r);
      t = d.crm.dealsChanges.syncToken;
      if (!d.crm.dealsChanges.hasMore) break;
    }
    expect(calls).toBe(3);
    expect(seen.size).toBe(store.size);
    for (const [id, rec] of store)
      expect(seen.get(id)).toEqual({
        id,
        dealName: rec.Deal_Name,
        stage: rec.Stage,
        modifiedTime: new Date(Date.parse(rec.Modified_Time as string)).toISOString(),
        owner: { email: (rec.Owner as { email: string }).email },
      });

    const gone = [...store.keys()][7]!;
    await ok(h, token, 'mutation($ids: [ID!]!) { deleteRecords(module: "Deals", ids: $ids) { status } }', { ids: [gone] });
    const after = await ok<DealsChanges>(h, token, Q, { t });
    expect(after.crm.dealsChanges.upserted).toEqual([]);
    expect(after.crm.dealsChanges.deleted.map((x) => x.id)).toEqual([gone]);
    expect(after.crm.dealsChanges.hasMore).toBe(false);

    // The typed and the generic sync read other fields: one's token is not the other's.
    const generic = await gql(h, token, 'query($t: String) { recordChanges(module: "Deals", syncToken: $t) { syncToken } }', { t: after.crm.dealsChanges.syncToken });
    expect(codes(generic)).toEqual(['BAD_USER_INPUT']);
  });
});
