import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { GraphQLClient } from 'graphql-request';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createGateway } from '../../src/http/yoga.js';
import type { Services } from '../../src/services.js';
import { listen } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { dataCentreTable } from '../../src/zoho/datacenters.js';
import { DataCentresDocument } from '../gql/graphql.js';
import { LogCapture, startTestApp } from '../helpers/app.js';
import { freePort } from '../helpers/net.js';

describe('the gateway server', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers /healthz, /readyz and /graphql (typed client) with a request id', async () => {
    ({ app } = await startTestApp());
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    const client = new GraphQLClient(`${app.url}/graphql`, { headers: { authorization: `Bearer ${app.demo!.token}` } });
    const data = await client.request(DataCentresDocument);
    const ca = data.dataCentres.find((d) => d.key === 'ca')!;
    // Canada: accounts on zohocloud.ca, API on zohoapis.ca (no hostname pattern links them).
    expect(ca).toEqual({ key: 'ca', location: 'ca', accountsServer: 'https://accounts.zohocloud.ca', apiDomain: 'https://www.zohoapis.ca', environment: 'PRODUCTION' });
    expect(data.dataCentres.map((d) => d.key)).toEqual(expect.arrayContaining(['us', 'eu', 'in', 'au', 'jp', 'cn', 'ca', 'sa', 'uk', 'eu-sandbox', 'eu-developer']));
  });

  it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
    ({ app } = await startTestApp());
    expect((await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'trace-abc-12345' } })).headers.get('x-request-id')).toBe('trace-abc-12345');
    expect((await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'bad id\twith spaces' } })).headers.get('x-request-id')).not.toContain(' ');
  });

  it('serves GraphiQL to a browser on /graphql', async () => {
    ({ app } = await startTestApp());
    const res = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Zoho CRM GraphQL gateway');
  });

  it('turns /readyz to 503 when the store is unreachable (Redis on a dead port)', async () => {
    ({ app } = await startTestApp({ STORE_URL: 'redis://127.0.0.1:1', ZOHO_CLIENT_ID: 'id', ZOHO_CLIENT_SECRET: 'secret', TOKEN_ENCRYPTION_KEY: 'a'.repeat(64), JWT_SECRET: 'x'.repeat(32) }));
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(503);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  it('is ready against the real Redis', async () => {
    const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    ({ app } = await startTestApp({ STORE_URL: redis }));
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });

  it('finishes in-flight requests on close and refuses new connections', async () => {
    const log = createLogger({ level: 'silent', destination: new LogCapture() });
    const gateway = createGateway({
      log,
      // This test never reaches GraphQL: only the plain route and the listener matter.
      verifier: { verify: async () => Promise.reject(new Error('unused')) },
      services: {} as Services,
      dataCentres: Object.values(dataCentreTable()),
      ready: async () => true,
      security: loadConfig({}).security,
      routes: [{ method: 'GET', path: '/slow', handle: () => new Promise<Response>((r) => setTimeout(() => r(new Response('done')), 300)) }],
    });
    const server = await listen(gateway, { port: 0, host: '127.0.0.1', log });
    const inflight = fetch(`${server.url}/slow`).then(async (r) => [r.status, await r.text()] as const);
    await new Promise((r) => setTimeout(r, 50));
    const closed = server.close();
    await new Promise((r) => setTimeout(r, 20));
    const refused = await new Promise<string>((resolve) => {
      const req = httpRequest(`${server.url}/healthz`, { agent: false }, () => resolve('accepted'));
      req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      req.end();
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(await inflight).toEqual([200, 'done']);
    await closed;
  });
});

describe('npm start', () => {
  it('runs the zero-config demo and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner:\n${out}`)), 20_000);
      child.stdout.on('data', () => {
        const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
        if (m && out.includes('GraphiQL:')) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    expect(out).toContain('demo mode');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // The printed token works: tenant "demo" was connected through the real OAuth flow.
    const token = /Bearer (ey[\w-]+\.[\w-]+\.[\w-]+)/.exec(out)![1]!;
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { email connection { dc status } } organization { name } users(perPage: 2) { count } }' }),
    });
    const body = await res.json();
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ me: { connection: { dc: 'us', status: 'ACTIVE' } }, organization: { name: 'Zylker US' }, users: { count: 2 } });
    // GraphiQL opens with the example query and the header filled in.
    const page = await (await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain(token);
    expect(page).toContain('organization');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(out).toContain('gateway stopped');
  });
});
