/**
 * Attacks on the bearer JWT, over real HTTP against the real gateway. Each is refused with 401
 * UNAUTHENTICATED before anything reaches Zoho. (The verifier's unit tests, with every key type,
 * are in test/auth/jwt.test.ts; this file proves the same refusals end to end.)
 */
import { base64url, exportSPKI, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { getNamedType, isInputObjectType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema/index.js';
import { JWT_SECRET, startHarness, type Harness } from '../helpers/gateway.js';
import { codeOf, gql } from './http.js';

const ISSUER = 'https://idp.example';
const AUDIENCE = 'zoho-gateway';
const now = () => Math.floor(Date.now() / 1000);
const secret = new TextEncoder().encode(JWT_SECRET);

function sign(claims: JWTPayload, key: Parameters<SignJWT['sign']>[0] = secret, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

function zohoCalls(h: Harness): number {
  return h.us.count() + h.eu.count();
}

describe('JWT attacks (JWT_SECRET + JWT_PUBLIC_KEY, JWT_ISSUER, JWT_AUDIENCE)', () => {
  let h: Harness;
  let rsa: Awaited<ReturnType<typeof generateKeyPair>>;
  let pem: string;
  const good = (extra: JWTPayload = {}): JWTPayload => ({ sub: 'mallory', tid: 'acme', iss: ISSUER, aud: AUDIENCE, exp: now() + 600, scope: 'org:read', ...extra });

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256', { extractable: true });
    pem = await exportSPKI(rsa.publicKey);
    h = await startHarness({ env: { JWT_PUBLIC_KEY: pem, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE } });
  });
  afterAll(() => h?.close());

  async function refused(token: string) {
    const before = zohoCalls(h);
    const res = await gql(h.app.url, token, '{ dataCentres { key } organization { id } }');
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.body.data ?? null).toBeNull();
    expect(zohoCalls(h)).toBe(before);
    return res.body.errors![0]!.message;
  }

  it('accepts the well-formed control tokens (HS256 with the secret, RS256 with the key pair)', async () => {
    for (const token of [await sign(good()), await sign(good(), rsa.privateKey, 'RS256')]) {
      const res = await gql(h.app.url, token, '{ dataCentres { key } }');
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
    }
  });

  it('refuses alg "none" (an unsigned token)', async () => {
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify(good()));
    expect(await refused(`${header}.${payload}.`)).toMatch(/none/);
  });

  it('refuses algorithm confusion: HS256 signed with the RSA public key as the HMAC secret', async () => {
    await refused(await sign(good(), new TextEncoder().encode(pem)));
    // And with the key as JWK-less raw bytes of the PEM body.
    await refused(await sign(good(), new TextEncoder().encode(pem.replace(/-----[^-]+-----|\s/g, ''))));
  });

  it('refuses a token signed with another key', async () => {
    const other = await generateKeyPair('RS256');
    await refused(await sign(good(), other.privateKey, 'RS256'));
    await refused(await sign(good(), new TextEncoder().encode('another-secret-0123456789abcdef-0123')));
  });

  it('refuses an expired token and one not valid yet (beyond the 5 s leeway)', async () => {
    await refused(await sign(good({ exp: now() - 60 })));
    await refused(await sign(good({ nbf: now() + 120 })));
  });

  it('refuses a token without exp', async () => {
    const { exp: _exp, ...noExp } = good();
    await refused(await sign(noExp));
  });

  it('refuses a wrong or missing issuer and audience', async () => {
    await refused(await sign(good({ iss: 'https://evil.example' })));
    await refused(await sign(good({ aud: 'another-api' })));
    const { iss: _iss, ...noIss } = good();
    await refused(await sign(noIss));
    const { aud: _aud, ...noAud } = good();
    await refused(await sign(noAud));
  });

  it('refuses a token without tid, or with a tid or cid that is not a plain identifier', async () => {
    const { tid: _tid, ...noTid } = good();
    expect(await refused(await sign(noTid))).toBe('token has no tid claim');
    for (const tid of ['', 'acme:default', 'acme/../globex', 'a'.repeat(65), '*']) await refused(await sign(good({ tid })));
    await refused(await sign(good({ tid: ['acme', 'globex'] as unknown as string })));
    for (const cid of ['acme:default', '../default', 'default\n', '*']) await refused(await sign(good({ cid })));
  });

  it('refuses a missing, empty or non-Bearer authorization header', async () => {
    const before = zohoCalls(h);
    for (const authorization of [undefined, '', 'Bearer', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', `Token ${await sign(good())}`]) {
      const res = await gql(h.app.url, undefined, '{ dataCentres { key } }', undefined, authorization === undefined ? {} : { authorization });
      expect(res.status).toBe(401);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    }
    expect(zohoCalls(h)).toBe(before);
  });
});

describe('tenant isolation through the token', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.connect('acme');
  });
  afterAll(() => h?.close());

  it('a tenant’s token reaches only its own connections, whatever cid it names', async () => {
    // acme is connected; globex is not. Globex's token naming acme's connection in every way a
    // claim allows still reads globex's (absent) connection: 0 Zoho calls.
    const before = h.us.count() + h.eu.count();
    for (const cid of ['default', 'acme', 'acme.default', '..', 'DEFAULT']) {
      const token = await sign({ sub: 'mallory', tid: 'globex', cid, exp: now() + 600, scope: 'org:read records:read', tenant: 'acme', tenantId: 'acme', org: 'acme' });
      const res = await gql(h.app.url, token, '{ connection { orgId } organization { id } }');
      expect(res.body.data).toBeNull();
      expect(codeOf(res)).toBe('ZOHO_NOT_CONNECTED');
    }
    expect(h.us.count() + h.eu.count()).toBe(before);
    // The same claims for acme reach acme's connection (the control).
    const acme = await sign({ sub: 'alice', tid: 'acme', exp: now() + 600, scope: 'org:read' });
    expect((await gql(h.app.url, acme, '{ organization { id } }')).body.errors).toBeUndefined();
  });

  it('no argument anywhere in the schema can name a tenant', () => {
    const args: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__')) continue;
      if (isObjectType(type)) for (const f of Object.values(type.getFields())) for (const a of f.args) args.push(`${type.name}.${f.name}(${a.name})`);
      if (isInputObjectType(type)) for (const f of Object.values(type.getFields())) args.push(`${type.name}.${f.name}: ${getNamedType(f.type).name}`);
    }
    expect(args.length).toBeGreaterThan(10);
    expect(args.filter((a) => /\((tid|tenant|tenantId|cid|connection|connectionName)\)/i.test(a))).toEqual([]);
  });
});
