import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema as base } from '../../src/graphql/schema/index.js';
import { estimateZohoCalls } from '../../src/records/estimate.js';
import { buildTypedSchema } from '../../src/typed/build.js';
import { createTypedResolvers } from '../../src/typed/resolve.js';
import type { OrgShape } from '../../src/typed/shape.js';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codeOf, gql } from '../security/http.js';
import { field, typedModule } from '../typed/typed-fixture.js';

/** ZOHO_CALL_BUDGET and recordChanges: an honest estimate (2 calls, plus lookups below the records) and a refusal before any call. */

const accounts = typedModule('Accounts', 'Account', [field('accountName', 'Account_Name', 'string', 'text')]);
const deals = typedModule('Deals', 'Deal', [
  field('dealName', 'Deal_Name', 'string', 'text', { mandatory: true }),
  field('accountName', 'Account_Name', 'lookup', 'lookup', { lookupModule: 'Accounts', idName: 'accountNameId' }),
]);
const shape: OrgShape = { modules: [accounts, deals] };
const typed = buildTypedSchema(base, shape, createTypedResolvers(shape, { staleShape: () => undefined }));
const calls = (query: string, schema = typed) => estimateZohoCalls({ document: parse(query), schema }).calls;

describe('the estimate of recordChanges', () => {
  it('prices a page at 2 calls (records, then deleted records), and lookups below at 100 ids per call', () => {
    expect(calls('{ recordChanges(module: "Deals") { upserted { id modifiedTime } syncToken hasMore } }', base)).toBe(2);
    expect(calls('{ recordChanges(module: "Deals", first: 150) { upserted { id lookup(field: "Account_Name") { field(name: "Account_Name") } } } }', base)).toBe(2 + 2);
    expect(calls('{ crm { dealsChanges { upserted { id dealName } deleted { id } syncToken } } }')).toBe(2);
    expect(calls('{ crm { dealsChanges(first: 100) { upserted { accountName { accountName } } } } }')).toBe(2 + 1);
    expect(calls('{ crm { dealsChanges { syncToken } accountsChanges { hasMore } } }')).toBe(4);
  });
});

describe('ZOHO_CALL_BUDGET refuses a sync it cannot afford', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ZOHO_CALL_BUDGET: '1' }, emulator: { seed: { deals: 20 } } });
    await h.connect('acme');
  });
  afterAll(() => h.close());

  it('before any Zoho call, naming the budget', async () => {
    h.us.resetCalls();
    const a = await gql(h.app.url, await h.token('acme'), '{ recordChanges(module: "Deals") { upserted { id } syncToken } }');
    expect(codeOf(a)).toBe('ZOHO_CALL_BUDGET_EXCEEDED');
    expect(a.body.errors![0]!.extensions).toMatchObject({ budget: 1, estimate: 2 });
    expect(h.us.count((c) => c.path.startsWith('/crm/v8/Deals'))).toBe(0);
  });
});
