/**
 * The Docker image's tools: it ships dist/, package.json, bin/ and the production node_modules but
 * no src/, and `npm run token` / `npm run keys:rotate` must still work there. This lays out that
 * tree (a real `tsc` build of the gateway into it), then runs both scripts through npm as an
 * operator would inside the container, with only the environment given (plus PATH).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../src/auth/jwt.js';
import type { CliRun } from '../helpers/cli.js';

const ROOT = resolve('.');
const SECRET = randomBytes(36).toString('base64url');
const ENV = {
  NODE_ENV: 'production',
  ZOHO_CLIENT_ID: '1000.TESTCLIENT',
  ZOHO_CLIENT_SECRET: 'test-client-secret',
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  JWT_SECRET: SECRET,
};

function run(cwd: string, command: string, args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((done, reject) => {
    const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('the image’s npm run token and npm run keys:rotate (compiled, no src/)', () => {
  let image: string;

  beforeAll(async () => {
    image = mkdtempSync(join(tmpdir(), 'gateway-image-'));
    const build = await run(
      ROOT,
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(image, 'dist'), '--incremental', 'false', '--tsBuildInfoFile', 'null'],
      {},
    );
    expect(build.stdout + build.stderr).toBe('');
    // What the Dockerfile copies into the final stage.
    cpSync(join(ROOT, 'package.json'), join(image, 'package.json'));
    cpSync(join(ROOT, 'bin'), join(image, 'bin'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(image, 'node_modules'));
    expect(existsSync(join(image, 'src'))).toBe(false);
  }, 120_000);
  afterAll(() => {
    if (image) rmSync(image, { recursive: true, force: true });
  });

  it('npm run token prints only a JWT the gateway accepts', async () => {
    const r = await run(image, 'npm', ['run', '-s', 'token', '--', '--tenant', 'acme', '--sub', 'alice', '--scope', 'org:read'], ENV);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const caller = await createJwtVerifier({ secret: SECRET, publicKey: undefined, jwksUrl: undefined, issuer: undefined, audience: undefined }).verify(`Bearer ${r.stdout.trim()}`);
    expect(caller).toMatchObject({ tenantId: 'acme', subject: 'alice', scopes: new Set(['org:read']) });
  }, 30_000);

  it('npm run token refuses a missing --tenant with its usage and exit 2', async () => {
    const r = await run(image, 'npm', ['run', '-s', 'token', '--', '--sub', 'alice'], ENV);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('usage: npm run token');
  }, 30_000);

  it('npm run keys:rotate re-seals a store (an empty SQLite one here) and prints its counts', async () => {
    const r = await run(image, 'npm', ['run', '-s', 'keys:rotate'], { ...ENV, STORE_URL: `sqlite://${join(image, 'gateway.sqlite')}` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^connections: 0 re-encrypted, 0 already current, 0 failed$/m);
    expect(r.stdout).toMatch(/^current key id: [0-9a-f]{8}$/m);
  }, 30_000);
});
