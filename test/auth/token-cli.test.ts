/**
 * Development tokens: mintDevToken, and the `npm run token` CLI run as a real process whose
 * output the gateway's verifier must accept.
 */
import { runCli } from '../helpers/cli.js';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../src/auth/jwt.js';
import { mintDevToken } from '../../src/auth/mint.js';
import type { Config } from '../../src/config/index.js';

const SECRET = randomBytes(36).toString('base64url');
const BASE_ENV = {
  ZOHO_CLIENT_ID: '1000.TESTCLIENT',
  ZOHO_CLIENT_SECRET: 'test-client-secret',
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
};

function jwtConfig(parts: Partial<Config['jwt']>): Config['jwt'] {
  return { secret: undefined, publicKey: undefined, jwksUrl: undefined, issuer: undefined, audience: undefined, ...parts };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the token CLI with only `env` (plus PATH) in its environment. */
function runTokenCli(args: string[], env: Record<string, string>): Promise<Run> {
  return runCli('src/auth/token-cli.ts', args, env);
}

describe('mintDevToken', () => {
  it('mints an HS256 token the verifier accepts, with every claim', async () => {
    const token = await mintDevToken({
      secret: SECRET,
      tenant: 'acme',
      subject: 'alice',
      scope: ' org:read   records:read:Leads ',
      connection: 'eu-sales',
      expiresInSec: 60,
      issuer: 'dev',
      audience: 'gateway',
    });
    const verifier = createJwtVerifier(jwtConfig({ secret: SECRET, issuer: 'dev', audience: 'gateway' }));
    const caller = await verifier.verify(`Bearer ${token}`);
    expect(caller).toEqual({
      subject: 'alice',
      tenantId: 'acme',
      connectionName: 'eu-sales',
      scopes: new Set(['org:read', 'records:read:Leads']),
      expiresAt: expect.any(Number),
    });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, number>;
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
  });

  it('defaults to 12 hours, no scopes, no cid', async () => {
    const token = await mintDevToken({ secret: SECRET, tenant: 'acme', subject: 'alice' });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect((payload.exp as number) - (payload.iat as number)).toBe(43_200);
    expect(payload).not.toHaveProperty('scope');
    expect(payload).not.toHaveProperty('cid');
  });

  it('refuses what the gateway would refuse', async () => {
    await expect(mintDevToken({ secret: 'short', tenant: 'acme', subject: 'a' })).rejects.toThrow(RangeError);
    await expect(mintDevToken({ secret: SECRET, tenant: 'a b', subject: 'a' })).rejects.toThrow(TypeError);
    await expect(mintDevToken({ secret: SECRET, tenant: 'acme', subject: ' ' })).rejects.toThrow(TypeError);
    await expect(mintDevToken({ secret: SECRET, tenant: 'acme', subject: 'a', expiresInSec: 0 })).rejects.toThrow(RangeError);
  });
});

describe('token CLI', () => {
  it('prints only a token that the verifier accepts', async () => {
    const run = await runTokenCli(['--tenant', 'acme', '--sub', 'alice', '--scope', 'org:read'], { ...BASE_ENV, JWT_SECRET: SECRET });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\n$/);
    const caller = await createJwtVerifier(jwtConfig({ secret: SECRET })).verify(`Bearer ${run.stdout.trim()}`);
    expect(caller).toEqual({ subject: 'alice', tenantId: 'acme', connectionName: 'default', scopes: new Set(['org:read']), expiresAt: expect.any(Number) });
  });

  it('carries --cid, --ttl and the configured issuer and audience', async () => {
    const run = await runTokenCli(['--tenant', 'acme', '--sub', 'svc', '--cid', 'eu', '--ttl', '120'], {
      ...BASE_ENV,
      JWT_SECRET: SECRET,
      JWT_ISSUER: 'https://id.example.com',
      JWT_AUDIENCE: 'crm-gateway',
    });
    expect(run.code).toBe(0);
    const verifier = createJwtVerifier(jwtConfig({ secret: SECRET, issuer: 'https://id.example.com', audience: 'crm-gateway' }));
    await expect(verifier.verify(`Bearer ${run.stdout.trim()}`)).resolves.toMatchObject({ connectionName: 'eu', scopes: new Set() });
    const payload = JSON.parse(Buffer.from(run.stdout.trim().split('.')[1] ?? '', 'base64url').toString()) as Record<string, number>;
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(120);
  });

  it('in demo mode without JWT_SECRET, says to set it instead of minting a useless token', async () => {
    const run = await runTokenCli(['--tenant', 'acme', '--sub', 'alice'], {});
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/JWT_SECRET is not set/);
    expect(run.stderr).toMatch(/same value/);
  });

  it('in demo mode with JWT_SECRET set, mints with it', async () => {
    const run = await runTokenCli(['--tenant', 'acme', '--sub', 'alice'], { JWT_SECRET: SECRET });
    expect(run.code).toBe(0);
    await expect(createJwtVerifier(jwtConfig({ secret: SECRET })).verify(`Bearer ${run.stdout.trim()}`)).resolves.toBeDefined();
  });

  it('reports bad configuration without echoing secrets, and bad arguments with usage', async () => {
    const short = 'too-short-secret';
    const config = await runTokenCli(['--tenant', 'acme', '--sub', 'alice'], { ...BASE_ENV, JWT_SECRET: short });
    expect(config.code).toBe(1);
    expect(config.stderr).toMatch(/JWT_SECRET: must be at least 32 characters/);
    expect(config.stderr).not.toContain(short);
    expect(config.stdout).toBe('');

    const usage = await runTokenCli(['--sub', 'alice'], { ...BASE_ENV, JWT_SECRET: SECRET });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--tenant is required/);
    expect(usage.stdout).toBe('');
  });
});
