/**
 * Attacks at the HTTP layer of /graphql, over real HTTP: cross-site form posts (CSRF), mutations
 * over GET, oversize bodies and CORS from foreign origins. Each is refused before the JWT is
 * checked, and nothing reaches Zoho. The plain routes keep working: the OAuth callback (GET) in
 * test/integration/connect.test.ts, Zoho's webhook (POST JSON) in test/integration/watch.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/gateway.js';
import { codeOf, gql, send } from './http.js';

const APP = 'https://app.example';
const ADMIN = 'https://admin.example';
const EVIL = 'https://evil.example';
const CREATE = 'mutation { createRecords(module: "Leads", records: [{ Last_Name: "CSRF" }]) { id status } }';

describe('HTTP attacks on /graphql', () => {
  let h: Harness;
  let token: string;
  let url: string;
  const zohoCalls = () => h.us.count() + h.eu.count();

  beforeAll(async () => {
    h = await startHarness({ env: { CORS_ORIGINS: `${APP},${ADMIN}` } });
    await h.connect('acme');
    token = await h.token('acme');
    url = `${h.app.url}/graphql`;
    // Warm the metadata cache, so the control mutation below costs exactly its one write.
    await gql(h.app.url, token, '{ fields(module: "Leads") { apiName } }');
  });
  afterAll(() => h?.close());

  describe('CSRF: only JSON bodies are GraphQL requests', () => {
    const simple: [string, string, BodyInit][] = [
      ['a form post (application/x-www-form-urlencoded)', 'application/x-www-form-urlencoded', new URLSearchParams({ query: CREATE }).toString()],
      ['a form post with charset', 'application/x-www-form-urlencoded; charset=UTF-8', new URLSearchParams({ query: CREATE }).toString()],
      ['a plain-text post (text/plain, what fetch sends for a string)', 'text/plain;charset=UTF-8', JSON.stringify({ query: CREATE })],
      ['a multipart form post', 'multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: CREATE })}\r\n--x--\r\n`],
      ['application/graphql (a body Yoga would parse)', 'application/graphql', CREATE],
    ];
    for (const [what, type, body] of simple) {
      it(`refuses ${what} with 415 CSRF_REFUSED and runs nothing`, async () => {
        const before = zohoCalls();
        // Even with a valid bearer (a browser form could not add one): the body type alone decides.
        const res = await send(url, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}`, origin: EVIL }, body });
        expect(res.status).toBe(415);
        expect(codeOf(res)).toBe('CSRF_REFUSED');
        expect(res.headers.get('access-control-allow-origin')).toBeNull();
        expect(zohoCalls()).toBe(before);
      });
    }

    it('refuses a POST without any content type', async () => {
      const before = zohoCalls();
      const res = await send(url, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: new Blob([JSON.stringify({ query: CREATE })]) });
      expect(res.status).toBe(415);
      expect(codeOf(res)).toBe('CSRF_REFUSED');
      expect(zohoCalls()).toBe(before);
    });

    it('refuses a mutation over GET with 405 and runs nothing; a query over GET is answered', async () => {
      const before = zohoCalls();
      const res = await send(`${url}?query=${encodeURIComponent(CREATE)}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
      expect(res.status).toBe(405);
      expect(res.body.data ?? null).toBeNull();
      expect(zohoCalls()).toBe(before);
      const query = await send(`${url}?query=${encodeURIComponent('{ dataCentres { key } }')}`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
      expect(query.status).toBe(200);
      expect(query.body.errors).toBeUndefined();
    });

    it('runs the same mutation as JSON (the control): exactly one Zoho call', async () => {
      const before = zohoCalls();
      const res = await gql(h.app.url, token, CREATE);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(zohoCalls()).toBe(before + 1);
    });
  });

  describe('body size (MAX_BODY_BYTES, default 1,000,000)', () => {
    const big = JSON.stringify({ query: '{ dataCentres { key } }', variables: { pad: 'x'.repeat(1_000_001) } });

    it('refuses a declared Content-Length over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
      const before = zohoCalls();
      const res = await send(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: big });
      expect(res.status).toBe(413);
      expect(codeOf(res)).toBe('PAYLOAD_TOO_LARGE');
      expect(res.body.errors![0]!.extensions).toMatchObject({ maximum: 1_000_000 });
      expect(zohoCalls()).toBe(before);
    });

    it('refuses a chunked body (no length) once it grows past the limit', async () => {
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"query":"{ dataCentres { key } }","variables":{"pad":"'));
        },
        pull(c) {
          if (sent > 2_000_000) return c.close();
          sent += chunk.byteLength;
          c.enqueue(chunk);
        },
      });
      const res = await send(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: stream, duplex: 'half' } as RequestInit);
      expect(res.status).toBe(413);
      expect(codeOf(res)).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers a body just under the limit', async () => {
      const ok = JSON.stringify({ query: '{ dataCentres { key } }', variables: { pad: 'x'.repeat(900_000) } });
      const res = await send(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: ok });
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    });
  });

  describe('CORS from CORS_ORIGINS', () => {
    const preflight = (origin: string) =>
      send(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });

    it('answers an allowed origin’s preflight with that origin, credentials and the headers /graphql needs', async () => {
      for (const origin of [APP, ADMIN]) {
        const res = await preflight(origin);
        expect(res.status).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe(origin);
        expect(res.headers.get('access-control-allow-credentials')).toBe('true');
        expect(res.headers.get('access-control-allow-methods')).toContain('POST');
        expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
        expect(res.headers.get('access-control-allow-headers')).toMatch(/content-type/);
        expect(res.headers.get('vary')).toMatch(/Origin/);
      }
    });

    it('gives a foreign origin (and look-alikes) no CORS header at all', async () => {
      for (const origin of [EVIL, `${APP}.evil.example`, 'http://app.example', 'null', `${APP}:8443`]) {
        const res = await preflight(origin);
        expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
        expect(res.headers.get('vary')).toMatch(/Origin/);
      }
    });

    it('adds the CORS headers to the actual answer for an allowed origin only', async () => {
      const allowed = await gql(h.app.url, token, '{ dataCentres { key } }', undefined, { origin: APP });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(APP);
      expect(allowed.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
      const foreign = await gql(h.app.url, token, '{ dataCentres { key } }', undefined, { origin: EVIL });
      expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
      expect(foreign.headers.get('access-control-allow-credentials')).toBeNull();
    });
  });
});
