import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZohoEmulator } from '../../src/emulator/emulator.js';
import { coqlLimit, creditsFor } from '../../src/zoho/credits.js';
import { retryAfterMs } from '../../src/zoho/errors.js';
import { decideRetry, DEFAULT_RETRY_POLICY, nextDelayMs } from '../../src/zoho/retry.js';
import { startTestEmulator } from '../helpers/emulator.js';
import { clientFor, CONNECTION, TENANT } from './client-helpers.js';

const records = (n: number) => ({ data: Array.from({ length: n }, (_, i) => ({ Last_Name: `R${i}` })) });
const coql = (q: string) => ({ method: 'POST', path: '/coql', body: { select_query: q } });

describe('creditsFor (api-limits.html table)', () => {
  it('charges 1 credit for most calls', () => {
    expect(creditsFor({ method: 'GET', path: '/org' })).toBe(1);
    expect(creditsFor({ method: 'GET', path: '/users', query: { per_page: 200 } })).toBe(1);
    expect(creditsFor({ method: 'GET', path: '/Leads', query: { fields: 'Last_Name', per_page: 200 } })).toBe(1);
    expect(creditsFor({ method: 'GET', path: '/Deals/search', query: { criteria: '(Stage:equals:Won)' } })).toBe(1);
    expect(creditsFor({ method: 'DELETE', path: '/Leads', query: { ids: '1,2,3' } })).toBe(1);
  });

  it('charges Convert Lead 5 credits', () => {
    expect(creditsFor({ method: 'POST', path: '/Leads/4150868000000225013/actions/convert', body: { data: [{}] } })).toBe(5);
  });

  it('charges writes 1 credit per 10 records, at least 1', () => {
    expect(creditsFor({ method: 'POST', path: '/Leads', body: records(1) })).toBe(1);
    expect(creditsFor({ method: 'POST', path: '/Leads', body: records(10) })).toBe(1);
    expect(creditsFor({ method: 'POST', path: '/Leads', body: records(11) })).toBe(2);
    expect(creditsFor({ method: 'PUT', path: '/Contacts', body: records(25) })).toBe(3);
    expect(creditsFor({ method: 'POST', path: '/Deals/upsert', body: records(100) })).toBe(10);
    expect(creditsFor({ method: 'PUT', path: '/Deals/123', body: records(1) })).toBe(1);
  });

  it('charges COQL by LIMIT: ≤200 → 1, ≤1000 → 2, ≤2000 → 3 (default LIMIT 200)', () => {
    expect(creditsFor(coql('select id from Leads where id is not null'))).toBe(1);
    expect(creditsFor(coql('select id from Leads where id is not null limit 200'))).toBe(1);
    expect(creditsFor(coql('select id from Leads where id is not null limit 201'))).toBe(2);
    expect(creditsFor(coql('select id from Leads where id is not null limit 400, 1000'))).toBe(2);
    expect(creditsFor(coql('select id from Leads where id is not null LIMIT 2000 OFFSET 4000'))).toBe(3);
    expect(coqlLimit("select id from Leads where Description = 'limit 5' limit 300")).toBe(300);
  });

  it('counts a 429 as free (refused at the gate)', () => {
    expect(creditsFor({ method: 'GET', path: '/org' }, { status: 429 })).toBe(0);
    expect(creditsFor({ method: 'GET', path: '/org' }, { status: 200 })).toBe(1);
  });
});

describe('the observer prices real calls', () => {
  let emu: ZohoEmulator;
  beforeAll(async () => {
    ({ emu } = await startTestEmulator());
  });
  afterAll(() => emu.close());

  it('reports credits per attempt as the table says', async () => {
    const rig = clientFor(emu);
    await rig.client.call(TENANT, CONNECTION, { method: 'GET', path: '/org' });
    await rig.client.call(TENANT, CONNECTION, { method: 'POST', path: '/coql', body: { select_query: 'select Deal_Name from Deals where Deal_Name is not null limit 500' } });
    await rig.client.call(TENANT, CONNECTION, { method: 'POST', path: '/Leads', body: { data: Array.from({ length: 12 }, (_, i) => ({ Last_Name: `Credit${i}`, Company: 'Acme' })) } });
    expect(rig.attempts.map((a) => [a.method, a.path, a.credits])).toEqual([
      ['GET', '/org', 1],
      ['POST', '/coql', 2],
      ['POST', '/Leads', 2],
    ]);
  });
});

describe('retry policy (pure)', () => {
  const state = { attempt: 1, waitedMs: 0, now: 1_000_000, random: () => 0.5 };
  const answer = (status: number, headers: Record<string, string> = {}, code?: string) => ({ kind: 'response' as const, status, body: code ? { code } : null, headers });

  it('retries reads on 429, 5xx and network failures; writes only on 429', () => {
    expect(decideRetry(answer(503), { ...state, idempotent: true }, DEFAULT_RETRY_POLICY).retry).toBe(true);
    expect(decideRetry({ kind: 'network' }, { ...state, idempotent: true }, DEFAULT_RETRY_POLICY).retry).toBe(true);
    expect(decideRetry(answer(503), { ...state, idempotent: false }, DEFAULT_RETRY_POLICY)).toEqual({ retry: false, reason: 'final' });
    expect(decideRetry({ kind: 'network' }, { ...state, idempotent: false }, DEFAULT_RETRY_POLICY)).toEqual({ retry: false, reason: 'final' });
    expect(decideRetry(answer(429), { ...state, idempotent: false }, DEFAULT_RETRY_POLICY).retry).toBe(true);
    expect(decideRetry(answer(400, {}, 'TOO_MANY_REQUESTS'), { ...state, idempotent: false }, DEFAULT_RETRY_POLICY).retry).toBe(true);
    expect(decideRetry(answer(400), { ...state, idempotent: true }, DEFAULT_RETRY_POLICY)).toEqual({ retry: false, reason: 'final' });
    expect(decideRetry(answer(200), { ...state, idempotent: true }, DEFAULT_RETRY_POLICY)).toEqual({ retry: false, reason: 'final' });
  });

  it('honours Retry-After (s) and X-RATELIMIT-RESET (epoch ms), and stops past the budget', () => {
    expect(retryAfterMs({ 'retry-after': '2' }, state.now)).toBe(2_000);
    expect(retryAfterMs({ 'x-ratelimit-reset': String(state.now + 750) }, state.now)).toBe(750);
    expect(retryAfterMs({ 'x-ratelimit-reset': String(state.now - 5) }, state.now)).toBeUndefined();
    expect(decideRetry(answer(429, { 'retry-after': '2' }), { ...state, idempotent: true }, DEFAULT_RETRY_POLICY)).toEqual({ retry: true, delayMs: 2_100 });
    expect(decideRetry(answer(429, { 'retry-after': '30' }), { ...state, idempotent: true }, DEFAULT_RETRY_POLICY)).toEqual({ retry: false, reason: 'budget', hintMs: 30_000 });
    expect(decideRetry(answer(500), { ...state, attempt: 4, idempotent: true }, DEFAULT_RETRY_POLICY)).toEqual({ retry: false, reason: 'attempts' });
  });

  it('backs off with equal jitter (never under half a step), doubling up to the cap', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1_000 };
    expect(nextDelayMs(1, undefined, p, () => 0.999)).toBe(99);
    expect(nextDelayMs(3, undefined, p, () => 0.999)).toBe(399);
    expect(nextDelayMs(10, undefined, p, () => 0.999)).toBe(999);
    expect(nextDelayMs(2, undefined, p, () => 0)).toBe(100);
  });
});
