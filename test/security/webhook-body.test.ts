/**
 * Attack: a stranger streams a huge chunked body (no Content-Length) at Zoho's webhook route, for
 * a channel that exists, hoping the gateway buffers it all. The route runner reads at most the
 * route's limit (1 MB), answers 413 and closes the connection; the process's memory barely moves.
 */
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WatchRecordsDocument } from '../gql/graphql.js';
import { startHarness, type Harness } from '../helpers/gateway.js';

const MB = 1024 * 1024;

/** A gc() when V8 lets us have one (settles the baseline; the test holds without it). */
function gcIfPossible(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // no gc: the bound below is wide enough either way
  }
}

/**
 * POSTs `total` bytes with Transfer-Encoding: chunked, 64 KiB at a time, honouring backpressure,
 * and stops writing once the server answers or drops the connection. Resolves with the status
 * (undefined when the connection died first) and the bytes written.
 */
async function chunkedPost(url: string, total: number, method = 'POST'): Promise<{ status: number | undefined; written: number; body: string }> {
  const req = request(url, { method, headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
  let response: IncomingMessage | undefined;
  let dead = false;
  const answered = new Promise<void>((resolve) => {
    req.on('response', (res) => {
      response = res;
      resolve();
    });
    req.on('error', () => {
      dead = true;
      resolve();
    });
    req.on('close', () => resolve());
  });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  req.write('{"pad":"');
  let written = 0;
  while (written < total && !response && !dead) {
    written += chunk.byteLength;
    if (!req.write(chunk)) await Promise.race([once(req, 'drain').catch(() => undefined), answered]);
  }
  if (!response && !dead) req.end('"}');
  await answered;
  let body = '';
  if (response) {
    response.setEncoding('utf8');
    try {
      for await (const part of response) body += part;
    } catch {
      // the server closed the connection after its answer
    }
  }
  req.destroy();
  return { status: response?.statusCode, written, body };
}

describe('a 50 MB chunked body at /webhooks/zoho/<channel>', () => {
  let h: Harness;
  let channelId: string;

  beforeAll(async () => {
    h = await startHarness();
    await h.connect('acme');
    const acme = await h.client('acme');
    channelId = (await acme.request(WatchRecordsDocument, { modules: ['Leads'] })).watchRecords.id;
  });
  afterAll(() => h?.close());

  it('is refused with 413 after at most the route’s limit, and the gateway’s memory grows by less than 20 MB', async () => {
    gcIfPossible();
    const before = process.memoryUsage().rss;
    // Peak, not just the end: buffered bytes may be freed again before the answer is read.
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
    let result;
    try {
      result = await chunkedPost(`${h.app.url}/webhooks/zoho/${channelId}`, 50 * MB);
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(result.status).toBe(413);
    // The client was stopped long before its 50 MB (TCP backpressure once the server stopped reading).
    expect(result.written).toBeLessThan(20 * MB);
    expect(peak - before).toBeLessThan(20 * MB);
    expect(JSON.parse(result.body)).toMatchObject({ errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE', maximum: 1_000_000 } }] });
  });

  it('still takes a normal-sized notification on the same route (the control)', async () => {
    const res = await fetch(`${h.app.url}/webhooks/zoho/${channelId}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel_id: channelId, token: 'wrong' }),
    });
    // Read and parsed: the wrong token is what is refused.
    expect(res.status).toBe(401);
  });
});
