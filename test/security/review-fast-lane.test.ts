/**
 * Holes a hostile review of the HTTP fast lane found (issue 12). None came from the lane itself:
 * each was there on Yoga's own lane too, and each test failed on both lanes before its fix.
 * - A subscription answered 406 (no stream processor for its `Accept`), or whose client left
 *   before the answer, kept its subscription slot until the instance restarted: three such
 *   requests locked a user out of subscriptions (http/plugins/end-unread-streams.ts).
 * - A mutation with an `Accept` nothing can serve ran, then was answered 406: a client retrying
 *   with a corrected header wrote twice (http/plugins/accept.ts).
 */
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';

interface Raw {
  status: number;
  text: string;
}

/** A POST with a Content-Length (fast lane) or chunked (Yoga's adapter). */
function post(base: string, headers: Record<string, string>, body: string, chunked: boolean): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.from(body);
    const req = httpRequest(`${base}/graphql`, { method: 'POST', agent: false, headers: chunked ? headers : { ...headers, 'content-length': String(bytes.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (chunked) req.write(bytes);
    req.end(chunked ? undefined : bytes);
  });
}

/** What an SSE answer says in its first second (then the socket is dropped). */
function firstSecond(base: string, headers: Record<string, string>, body: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const req = httpRequest(`${base}/graphql`, { method: 'POST', agent: false, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve(text));
    });
    req.on('error', () => resolve(text));
    req.end(body);
    setTimeout(() => (req.destroy(), resolve(text)), 1000);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SUB = JSON.stringify({ query: 'subscription { recordEvents { id } }' });

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await sleep(10);
  }
  throw new Error(`never: ${what}`);
}

describe('review of the HTTP fast lane: streams nobody reads, and Accept checked too late', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness({ env: { LOG_LEVEL: 'warn', MAX_SUBSCRIPTIONS_PER_USER: '3' } });
    await h.connect('acme');
    token = await h.token('acme');
  });
  afterAll(() => h?.close());
  const slots = () => h.app.services.subscriptionLimits.count('acme');

  it('attack: subscriptions answered 406 give their slot back, so the user can still subscribe (both lanes)', async () => {
    const t = await h.token('acme', undefined, { subject: 'acme-406' });
    const json = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${t}` };
    const before = await slots();
    expect((await post(h.app.url, json, SUB, false)).status).toBe(406);
    expect((await post(h.app.url, json, SUB, true)).status).toBe(406);
    expect((await post(h.app.url, json, SUB, false)).status).toBe(406);
    await until(async () => (await slots()) === before, 'the three slots come back');
    const sse = await firstSecond(h.app.url, { ...json, accept: 'text/event-stream' }, SUB);
    expect(sse).not.toMatch(/too many live subscriptions/);
  });

  it('attack: a subscription whose client leaves before the answer gives its slot back (both lanes)', async () => {
    const { port } = new URL(h.app.url);
    const fire = async (subject: string, chunked: boolean) => {
      const t = await h.token('acme', undefined, { subject });
      const head = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${t}\r\n`;
      const bytes = chunked ? `${head}Transfer-Encoding: chunked\r\n\r\n${SUB.length.toString(16)}\r\n${SUB}\r\n0\r\n\r\n` : `${head}Content-Length: ${SUB.length}\r\n\r\n${SUB}`;
      await new Promise<void>((resolve) => {
        const s = connect(Number(port), '127.0.0.1', () => s.write(bytes, () => setTimeout(() => (s.destroy(), resolve()), 0)));
        s.on('error', () => resolve());
      });
    };
    const before = await slots();
    for (let i = 0; i < 3; i++) await fire('early-fast', false);
    for (let i = 0; i < 3; i++) await fire('early-adapter', true);
    await sleep(500);
    // `<=`: the previous test's stream may still be ending when `before` was read.
    await until(async () => (await slots()) <= before, 'every slot comes back');
  });

  it('attack: a mutation with an Accept nothing can serve is refused 406 before it runs (both lanes)', async () => {
    const deals = () => h.us.count((c) => c.method === 'POST' && c.path.endsWith('/Deals'));
    const before = deals();
    const create = JSON.stringify({ query: 'mutation { createRecords(module: "Deals", records: [{ Deal_Name: "406", Stage: "Qualification" }]) { status } }' });
    for (const accept of ['text/csv', 'application/xml, text/html', 'application/json; charset=latin1']) {
      const headers = { 'content-type': 'application/json', accept, authorization: `Bearer ${token}` };
      expect((await post(h.app.url, headers, create, false)).status).toBe(406);
      expect((await post(h.app.url, headers, create, true)).status).toBe(406);
    }
    expect(deals() - before).toBe(0);
    // What the gateway serves still runs: a wildcard, a type list, graphql-response+json.
    for (const accept of ['*/*', 'text/html, application/*;q=0.9', 'application/graphql-response+json']) {
      const res = await post(h.app.url, { 'content-type': 'application/json', accept, authorization: `Bearer ${token}` }, JSON.stringify({ query: '{ organization { id } }' }), false);
      expect(res.status).toBe(200);
    }
  });
});
