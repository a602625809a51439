/**
 * The demo is for a laptop: production never falls into it, it listens on loopback, and the
 * all-scopes token it prints is signed with a secret of its own, never with JWT_SECRET.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { mintDevToken } from '../../src/auth/mint.js';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/log.js';
import { LogCapture, startTestApp } from '../helpers/app.js';

const JWT_SECRET = 'operator-jwt-secret-0123456789abcdef';

async function me(app: App, token: string): Promise<{ status: number; body: { data?: { me?: { email: string } }; errors?: unknown[] } }> {
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { email } }' }),
  });
  return { status: res.status, body: await res.json() };
}

describe('demo safety', () => {
  let app: App | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('never signs its token with a configured JWT_SECRET, yet accepts both its own and JWT_SECRET tokens', async () => {
    ({ app } = await startTestApp({ JWT_SECRET }));
    const demoToken = app.demo!.token!;
    // The printed token is worthless anywhere else that trusts JWT_SECRET.
    await expect(jwtVerify(demoToken, new TextEncoder().encode(JWT_SECRET))).rejects.toThrow();
    // It works against the demo gateway itself.
    const own = await me(app, demoToken);
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data?.me?.email).toBeTruthy();
    // `npm run token` with the same JWT_SECRET keeps working in the demo.
    const minted = await mintDevToken({ secret: JWT_SECRET, tenant: 'demo', subject: 'cli-user', scope: 'org:read' });
    expect((await me(app, minted)).body.errors).toBeUndefined();
    // A token signed with neither is refused as before.
    const forged = await mintDevToken({ secret: 'x'.repeat(40), tenant: 'demo', subject: 'mallory', scope: 'org:read' });
    expect((await me(app, forged)).status).toBe(401);
  });

  it('listens on loopback unless HOST is set', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    app = await startApp(config, createLogger({ level: 'silent', destination: new LogCapture() }), { port: 0 });
    expect((app.server.server.address() as AddressInfo).address).toBe('127.0.0.1');
  });

  it('npm start:prod runs with NODE_ENV=production', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start:prod']).toMatch(/^NODE_ENV=production node dist\/main\.js$/);
  });

  it('npm start builds and runs the compiled code, as production does (tsx cost more per failing request)', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prestart).toBe('npm run -s build');
    expect(pkg.scripts.start).toBe('node dist/main.js');
  });
});

describe('production without Zoho credentials', () => {
  it('refuses to start with one clear line instead of running the demo', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', PORT: '1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stdout).not.toContain('demo');
    expect(stderr.trim().split('\n')).toEqual(['Invalid configuration:', '  ZOHO_CLIENT_ID: is required when NODE_ENV=production (without Zoho credentials the gateway would run its demo)']);
  });
});
