/**
 * The bearer-JWT verifier against real keys: an HS256 secret, RSA/EC/Ed25519 PEM public keys and
 * a real JWKS endpoint on loopback.
 */
import { randomBytes } from 'node:crypto';
import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../src/auth/jwt.js';
import type { Config } from '../../src/config/index.js';
import { GatewayError } from '../../src/errors.js';
import { startJwksServer, type JwksServer } from './jwks-server.js';

const SECRET = randomBytes(36).toString('base64url');
const NOW_SEC = Math.floor(Date.now() / 1000);
const CLAIMS = { sub: 'alice', tid: 'acme', scope: 'org:read records:read:Leads' };

function jwtConfig(parts: Partial<Config['jwt']>): Config['jwt'] {
  return { secret: undefined, publicKey: undefined, jwksUrl: undefined, issuer: undefined, audience: undefined, ...parts };
}

interface SignOptions {
  alg?: string;
  kid?: string;
  exp?: number | null;
}

/** A JWT over `claims` (exp one hour ahead unless given; `exp: null` leaves it out). */
async function sign(key: CryptoKey | Uint8Array, claims: JWTPayload = CLAIMS, options: SignOptions = {}): Promise<string> {
  const jwt = new SignJWT({ ...claims }).setProtectedHeader({
    alg: options.alg ?? 'HS256',
    ...(options.kid !== undefined ? { kid: options.kid } : {}),
  });
  if (options.exp !== null && claims.exp === undefined) jwt.setExpirationTime(options.exp ?? NOW_SEC + 3600);
  return jwt.sign(key);
}

const secretBytes = new TextEncoder().encode(SECRET);
const bearer = (token: string) => `Bearer ${token}`;

/** The GatewayError `promise` rejects with, checked to be UNAUTHENTICATED and not to echo `token`. */
async function refusal(promise: Promise<unknown>, token?: string): Promise<GatewayError> {
  const error = await promise.then(
    () => expect.fail('expected the token to be refused'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  const gatewayError = error as GatewayError;
  expect(gatewayError.extensions.code).toBe('UNAUTHENTICATED');
  expect(gatewayError.extensions.http).toEqual({ status: 401 });
  if (token !== undefined) {
    expect(gatewayError.message).not.toContain(token);
    // No part of the token either: not the payload, not the signature.
    for (const part of token.split('.').filter((p) => p.length > 8)) expect(gatewayError.message).not.toContain(part);
  }
  return gatewayError;
}

describe('HS256 (JWT_SECRET)', () => {
  const verifier = createJwtVerifier(jwtConfig({ secret: SECRET }));

  it('accepts a valid token and builds the Caller from its claims', async () => {
    const caller = await verifier.verify(bearer(await sign(secretBytes)));
    expect(caller.subject).toBe('alice');
    expect(caller.tenantId).toBe('acme');
    expect(caller.connectionName).toBe('default');
    expect([...caller.scopes].sort()).toEqual(['org:read', 'records:read:Leads']);
  });

  it('reads cid, and a token without scope has no scopes', async () => {
    const caller = await verifier.verify(bearer(await sign(secretBytes, { sub: 'svc', tid: 'acme', cid: 'eu-sales' })));
    expect(caller.connectionName).toBe('eu-sales');
    expect(caller.scopes.size).toBe(0);
  });

  it('accepts the scheme in any case and HS384/HS512', async () => {
    await expect(verifier.verify(`bearer ${await sign(secretBytes)}`)).resolves.toMatchObject({ tenantId: 'acme' });
    await expect(verifier.verify(`BEARER ${await sign(secretBytes, CLAIMS, { alg: 'HS512' })}`)).resolves.toMatchObject({ subject: 'alice' });
    await expect(verifier.verify(bearer(await sign(secretBytes, CLAIMS, { alg: 'HS384' })))).resolves.toMatchObject({ subject: 'alice' });
  });

  it('refuses a token signed with another secret', async () => {
    const token = await sign(new TextEncoder().encode(randomBytes(36).toString('base64url')));
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('invalid signature');
  });

  it('refuses a tampered payload', async () => {
    const token = await sign(secretBytes);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${base64url.encode(JSON.stringify({ ...CLAIMS, tid: 'other', exp: NOW_SEC + 3600 }))}.${signature}`;
    expect((await refusal(verifier.verify(bearer(forged)), forged)).message).toBe('invalid signature');
  });

  it('refuses alg "none"', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify({ ...CLAIMS, exp: NOW_SEC + 3600 }));
    const token = `${header}.${payload}.`;
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('unsigned tokens (alg "none") are not accepted');
  });

  it('refuses an asymmetric algorithm when only a secret is configured', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await sign(privateKey, CLAIMS, { alg: 'RS256' });
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('token algorithm RS256 is not accepted by this gateway');
  });

  it('refuses a token without exp', async () => {
    const token = await sign(secretBytes, CLAIMS, { exp: null });
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('token has no exp claim');
  });

  it('refuses missing or malformed sub, tid and cid', async () => {
    const cases: [JWTPayload, string][] = [
      [{ sub: 'alice', scope: 'org:read' }, 'token has no tid claim'],
      [{ tid: 'acme' }, 'token has no sub claim'],
      [{ sub: '', tid: 'acme' }, 'token sub claim must be a non-empty string'],
      [{ sub: 'alice', tid: 'ac me' }, 'token tid claim must be 1-64 characters of letters, digits, ".", "_" or "-"'],
      [{ sub: 'alice', tid: 'a'.repeat(65) }, 'token tid claim must be 1-64 characters of letters, digits, ".", "_" or "-"'],
      [{ sub: 'alice', tid: 7 }, 'token tid claim must be 1-64 characters of letters, digits, ".", "_" or "-"'],
      [{ sub: 'alice', tid: 'acme', cid: 'a/b' }, 'token cid claim must be 1-64 characters of letters, digits, ".", "_" or "-"'],
      [{ sub: 'alice', tid: 'acme', scope: ['org:read'] }, 'token scope claim must be a space-separated string'],
    ];
    for (const [claims, message] of cases) {
      const token = await sign(secretBytes, claims);
      expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe(message);
    }
  });

  it('refuses missing and malformed Authorization headers', async () => {
    const token = await sign(secretBytes);
    const cases: [string | null, string][] = [
      [null, 'missing bearer token'],
      ['', 'missing bearer token'],
      ['Bearer', 'missing bearer token'],
      ['Bearer    ', 'missing bearer token'],
      [`Basic ${token}`, 'the Authorization header must use the Bearer scheme'],
      [token, 'the Authorization header must use the Bearer scheme'],
      ['Bearer not-a-jwt', 'bearer token is not a well-formed JWT'],
      [`Bearer ${token} extra`, 'bearer token is not a well-formed JWT'],
      ['Bearer e30.e30.sig', 'token header has no alg'],
      ['Bearer !!!.e30.sig', 'bearer token is not a well-formed JWT'],
      [`Bearer ${'a'.repeat(9000)}`, 'bearer token is too long'],
    ];
    for (const [header, message] of cases) {
      expect((await refusal(verifier.verify(header), token)).message, String(header).slice(0, 40)).toBe(message);
    }
  });
});

describe('time claims', () => {
  const now = NOW_SEC * 1000;
  const verifier = createJwtVerifier(jwtConfig({ secret: SECRET }), { now: () => now, clockToleranceSec: 5 });

  it('refuses an expired token, beyond the clock tolerance', async () => {
    const token = await sign(secretBytes, { ...CLAIMS, exp: NOW_SEC - 6 });
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('token expired');
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    await expect(verifier.verify(bearer(await sign(secretBytes, { ...CLAIMS, exp: NOW_SEC - 3 })))).resolves.toBeDefined();
  });

  it('refuses a token not yet valid (nbf), beyond the tolerance; accepts within it', async () => {
    const token = await sign(secretBytes, { ...CLAIMS, nbf: NOW_SEC + 60 });
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('token is not yet valid (nbf)');
    await expect(verifier.verify(bearer(await sign(secretBytes, { ...CLAIMS, nbf: NOW_SEC + 3 })))).resolves.toBeDefined();
  });

  it('uses the injected clock, not the wall clock', async () => {
    const later = createJwtVerifier(jwtConfig({ secret: SECRET }), { now: () => now + 7200_000 });
    const token = await sign(secretBytes, { ...CLAIMS, exp: NOW_SEC + 3600 });
    expect((await refusal(later.verify(bearer(token)), token)).message).toBe('token expired');
  });
});

describe('issuer and audience', () => {
  const verifier = createJwtVerifier(jwtConfig({ secret: SECRET, issuer: 'https://id.example.com', audience: 'crm-gateway' }));
  const good = { ...CLAIMS, iss: 'https://id.example.com', aud: 'crm-gateway' };

  it('accepts the configured iss and aud (aud may be a list)', async () => {
    await expect(verifier.verify(bearer(await sign(secretBytes, good)))).resolves.toMatchObject({ subject: 'alice' });
    await expect(verifier.verify(bearer(await sign(secretBytes, { ...good, aud: ['other', 'crm-gateway'] })))).resolves.toBeDefined();
  });

  it('refuses a wrong or missing iss', async () => {
    let token = await sign(secretBytes, { ...good, iss: 'https://evil.example.com' });
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('token issuer is not accepted');
    token = await sign(secretBytes, { ...good, iss: undefined });
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('token has no iss claim');
  });

  it('refuses a wrong or missing aud', async () => {
    let token = await sign(secretBytes, { ...good, aud: 'someone-else' });
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('token audience is not accepted');
    token = await sign(secretBytes, { ...good, aud: undefined });
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('token has no aud claim');
  });
});

describe('PEM public key (JWT_PUBLIC_KEY)', () => {
  let rsa: CryptoKeyPair;
  let rsaPem: string;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    rsaPem = await exportSPKI(rsa.publicKey);
  });

  it('accepts RS256 and PS256 with an RSA key', async () => {
    const verifier = createJwtVerifier(jwtConfig({ publicKey: rsaPem }));
    await expect(verifier.verify(bearer(await sign(rsa.privateKey, CLAIMS, { alg: 'RS256' })))).resolves.toMatchObject({ tenantId: 'acme' });
    const ps = await generateKeyPair('PS256', { extractable: true });
    const psVerifier = createJwtVerifier(jwtConfig({ publicKey: await exportSPKI(ps.publicKey) }));
    await expect(psVerifier.verify(bearer(await sign(ps.privateKey, CLAIMS, { alg: 'PS256' })))).resolves.toBeDefined();
  });

  it('accepts ES256 with a P-256 key and EdDSA with an Ed25519 key, and nothing else with them', async () => {
    const ec = await generateKeyPair('ES256', { extractable: true });
    const ecVerifier = createJwtVerifier(jwtConfig({ publicKey: await exportSPKI(ec.publicKey) }));
    await expect(ecVerifier.verify(bearer(await sign(ec.privateKey, CLAIMS, { alg: 'ES256' })))).resolves.toBeDefined();
    const rsToken = await sign(rsa.privateKey, CLAIMS, { alg: 'RS256' });
    expect((await refusal(ecVerifier.verify(bearer(rsToken)), rsToken)).message).toBe('token algorithm RS256 is not accepted by this gateway');

    const ed = await generateKeyPair('EdDSA', { extractable: true });
    const edVerifier = createJwtVerifier(jwtConfig({ publicKey: await exportSPKI(ed.publicKey) }));
    await expect(edVerifier.verify(bearer(await sign(ed.privateKey, CLAIMS, { alg: 'EdDSA' })))).resolves.toBeDefined();
    await expect(edVerifier.verify(bearer(await sign(ed.privateKey, CLAIMS, { alg: 'Ed25519' })))).resolves.toBeDefined();
  });

  it('binds ES384 to P-384 keys and ES512 to P-521 keys', async () => {
    for (const alg of ['ES384', 'ES512'] as const) {
      const pair = await generateKeyPair(alg, { extractable: true });
      const verifier = createJwtVerifier(jwtConfig({ publicKey: await exportSPKI(pair.publicKey) }));
      await expect(verifier.verify(bearer(await sign(pair.privateKey, CLAIMS, { alg })))).resolves.toBeDefined();
    }
  });

  it('refuses a token signed by another RSA key', async () => {
    const other = await generateKeyPair('RS256');
    const verifier = createJwtVerifier(jwtConfig({ publicKey: rsaPem }));
    const token = await sign(other.privateKey, CLAIMS, { alg: 'RS256' });
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('invalid signature');
  });

  it('refuses HS256 signed with the public key PEM as the HMAC secret (algorithm confusion)', async () => {
    const token = await sign(new TextEncoder().encode(rsaPem), CLAIMS, { alg: 'HS256' });
    const pemOnly = createJwtVerifier(jwtConfig({ publicKey: rsaPem }));
    expect((await refusal(pemOnly.verify(bearer(token)), token)).message).toBe('token algorithm HS256 is not accepted by this gateway');
    // With a secret configured too, HS256 is checked against the secret only, never the PEM.
    const both = createJwtVerifier(jwtConfig({ secret: SECRET, publicKey: rsaPem }));
    expect((await refusal(both.verify(bearer(token)), token)).message).toBe('invalid signature');
    await expect(both.verify(bearer(await sign(secretBytes)))).resolves.toBeDefined();
    await expect(both.verify(bearer(await sign(rsa.privateKey, CLAIMS, { alg: 'RS256' })))).resolves.toBeDefined();
  });
});

describe('JWKS (JWT_JWKS_URL)', () => {
  let jwks: JwksServer;
  let first: CryptoKeyPair;
  let firstJwk: JWK;

  beforeAll(async () => {
    first = await generateKeyPair('ES256', { extractable: true });
    firstJwk = { ...(await exportJWK(first.publicKey)), kid: 'key-1', alg: 'ES256', use: 'sig' };
    jwks = await startJwksServer([firstJwk]);
  });
  afterAll(async () => {
    await jwks?.close();
  });

  it('accepts ES256 from the key set, fetching it once', async () => {
    const verifier = createJwtVerifier(jwtConfig({ jwksUrl: jwks.url }));
    const before = jwks.fetches;
    const token = await sign(first.privateKey, CLAIMS, { alg: 'ES256', kid: 'key-1' });
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ subject: 'alice', tenantId: 'acme' });
    await expect(verifier.verify(bearer(token))).resolves.toBeDefined();
    expect(jwks.fetches - before).toBe(1);
  });

  it('picks up a rotated key: a new kid after the old set was cached triggers a refetch', async () => {
    jwks.setKeys([firstJwk]);
    const verifier = createJwtVerifier(jwtConfig({ jwksUrl: jwks.url }), { jwksCooldownMs: 0 });
    await verifier.verify(bearer(await sign(first.privateKey, CLAIMS, { alg: 'ES256', kid: 'key-1' })));
    const cachedAt = jwks.fetches;

    const second = await generateKeyPair('RS256', { extractable: true });
    jwks.setKeys([{ ...(await exportJWK(second.publicKey)), kid: 'key-2', alg: 'RS256', use: 'sig' }]);
    const rotated = await sign(second.privateKey, CLAIMS, { alg: 'RS256', kid: 'key-2' });
    await expect(verifier.verify(bearer(rotated))).resolves.toMatchObject({ subject: 'alice' });
    expect(jwks.fetches).toBe(cachedAt + 1);

    // The retired key is gone from the set: its tokens stop working.
    const retired = await sign(first.privateKey, CLAIMS, { alg: 'ES256', kid: 'key-1' });
    expect((await refusal(verifier.verify(bearer(retired)), retired)).message).toBe('no signing key matches the token');
  });

  it('refuses HS256 (a JWKS verifies asymmetric algorithms only) and alg none', async () => {
    jwks.setKeys([firstJwk]);
    const verifier = createJwtVerifier(jwtConfig({ jwksUrl: jwks.url }));
    const hs = await sign(secretBytes);
    expect((await refusal(verifier.verify(bearer(hs)), hs)).message).toBe('token algorithm HS256 is not accepted by this gateway');
    const none = `${base64url.encode('{"alg":"none"}')}.${base64url.encode(JSON.stringify({ ...CLAIMS, exp: NOW_SEC + 60 }))}.`;
    expect((await refusal(verifier.verify(bearer(none)), none)).message).toBe('unsigned tokens (alg "none") are not accepted');
  });

  it('refuses a token whose kid is known but whose signature is not from that key', async () => {
    jwks.setKeys([firstJwk]);
    const verifier = createJwtVerifier(jwtConfig({ jwksUrl: jwks.url }));
    const impostor = await generateKeyPair('ES256');
    const token = await sign(impostor.privateKey, CLAIMS, { alg: 'ES256', kid: 'key-1' });
    expect((await refusal(verifier.verify(bearer(token)), token)).message).toBe('invalid signature');
  });

  it('with a PEM key and a JWKS both configured, each verifies its own tokens', async () => {
    jwks.setKeys([firstJwk]);
    const pinned = await generateKeyPair('ES256', { extractable: true });
    const verifier = createJwtVerifier(jwtConfig({ publicKey: await exportSPKI(pinned.publicKey), jwksUrl: jwks.url, secret: SECRET }));
    await expect(verifier.verify(bearer(await sign(pinned.privateKey, CLAIMS, { alg: 'ES256' })))).resolves.toBeDefined();
    await expect(verifier.verify(bearer(await sign(first.privateKey, CLAIMS, { alg: 'ES256', kid: 'key-1' })))).resolves.toBeDefined();
    await expect(verifier.verify(bearer(await sign(secretBytes)))).resolves.toBeDefined();
  });

  it('reports an unreachable key set as a verification failure', async () => {
    const verifier = createJwtVerifier(jwtConfig({ jwksUrl: 'http://127.0.0.1:1/jwks.json' }), { jwksTimeoutMs: 2000 });
    const token = await sign(first.privateKey, CLAIMS, { alg: 'ES256', kid: 'key-1' });
    const error = await refusal(verifier.verify(bearer(token)), token);
    expect(error.message).toMatch(/could not/);
  });
});

describe('configuration', () => {
  it('needs at least one key source', () => {
    expect(() => createJwtVerifier(jwtConfig({}))).toThrow(/no JWT key source/);
  });
});
