import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from '../../src/events/webhook-signature.js';
import { checkWebhookUrl } from '../../src/events/webhook-url.js';
import { isGatewayError } from '../../src/errors.js';

describe('webhook signatures', () => {
  const secret = 'zgwhs_test';
  const now = () => 1_700_000_000_000;
  const ts = 1_700_000_000;
  const body = '{"id":"e1"}';

  it('signs "<timestamp>.<body>" with HMAC-SHA256 as sha256=<hex>', () => {
    // Known answer (as `printf '1.x' | openssl dgst -sha256 -hmac key` gives), so receivers in
    // other languages can check their implementation.
    expect(signPayload('key', 1, 'x')).toBe('sha256=fc4913c41a7bf793267e2a384f3261c9436ec2cd097bd745e7b0d99113f510ec');
    expect(signPayload(secret, ts, body)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('verifies the signature, and refuses a changed body, timestamp, secret or a stale timestamp', () => {
    const header = signPayload(secret, ts, body);
    expect(verifySignature(secret, ts, body, header, { now })).toBe(true);
    expect(verifySignature(secret, String(ts), Buffer.from(body), header, { now })).toBe(true);
    expect(verifySignature(secret, ts, body + ' ', header, { now })).toBe(false);
    expect(verifySignature(secret, ts + 1, body, header, { now })).toBe(false);
    expect(verifySignature('other', ts, body, header, { now })).toBe(false);
    expect(verifySignature(secret, ts, body, null, { now })).toBe(false);
    expect(verifySignature(secret, ts, body, 'sha256=00', { now })).toBe(false);
    expect(verifySignature(secret, ts, body, header, { now: () => (ts + 301) * 1000 })).toBe(false);
    expect(verifySignature(secret, ts, body, header, { now: () => (ts + 301) * 1000, toleranceSeconds: Infinity })).toBe(true);
    expect(verifySignature(secret, 'abc', body, header, { now })).toBe(false);
  });
});

describe('webhook URLs', () => {
  const ok = (url: string, production = false) => checkWebhookUrl(url, { production });
  const refused = (url: string, production = false) => {
    try {
      ok(url, production);
    } catch (err) {
      return isGatewayError(err, 'BAD_USER_INPUT');
    }
    return false;
  };

  it('accepts public https URLs, and http to loopback outside production', () => {
    expect(ok('https://hooks.example.com/zoho?x=1')).toBe('https://hooks.example.com/zoho?x=1');
    expect(ok('https://hooks.example.com/zoho', true)).toBe('https://hooks.example.com/zoho');
    expect(ok('http://127.0.0.1:8080/hook')).toBe('http://127.0.0.1:8080/hook');
    expect(ok('http://localhost:8080/hook')).toBe('http://localhost:8080/hook');
    expect(ok('http://[::1]:8080/hook')).toBe('http://[::1]:8080/hook');
  });

  it('refuses other schemes, credentials, plain http, and private, link-local or reserved addresses', () => {
    for (const url of [
      'ftp://example.com/x',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pass@example.com/x',
      'https://user@example.com/x',
      'http://example.com/x',
      'https://10.1.2.3/x',
      'https://172.16.0.1/x',
      'https://192.168.1.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/x',
      'https://0.0.0.0/x',
      'https://224.0.0.1/x',
      'https://[fd00::1]/x',
      'https://[fe80::1]/x',
      'https://[::ffff:10.0.0.1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://0x0a.1/x',
      'https://example.com/x#frag',
      'relative/path',
      `https://example.com/${'a'.repeat(2100)}`,
    ]) {
      expect(refused(url), url).toBe(true);
    }
    expect(refused('http://127.0.0.1:8080/hook', true)).toBe(true);
    expect(refused('https://localhost/hook', true)).toBe(true);
  });
});
