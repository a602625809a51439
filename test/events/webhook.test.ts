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

describe('webhook URLs (what the URL alone settles)', () => {
  const ok = (url: string, allowPrivate = false) => checkWebhookUrl(url, { allowPrivate });
  const refused = (url: string, allowPrivate = false) => {
    try {
      ok(url, allowPrivate);
    } catch (err) {
      return isGatewayError(err, 'BAD_USER_INPUT');
    }
    return false;
  };

  it('accepts public https URLs; loopback and http to it only with EVENT_WEBHOOK_ALLOW_PRIVATE', () => {
    expect(ok('https://hooks.example.com/zoho?x=1')).toBe('https://hooks.example.com/zoho?x=1');
    expect(ok('https://93.184.216.34/zoho')).toBe('https://93.184.216.34/zoho');
    expect(ok('http://127.0.0.1:8080/hook', true)).toBe('http://127.0.0.1:8080/hook');
    expect(ok('http://localhost:8080/hook', true)).toBe('http://localhost:8080/hook');
    expect(ok('http://[::1]:8080/hook', true)).toBe('http://[::1]:8080/hook');
    expect(ok('https://10.1.2.3/x', true)).toBe('https://10.1.2.3/x');
  });

  it('refuses other schemes, credentials, plain http, trailing dots, and loopback, private, link-local or reserved addresses in any spelling', () => {
    for (const url of [
      'ftp://example.com/x',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'https://user:pass@example.com/x',
      'https://user@example.com/x',
      'http://example.com/x',
      'https://example.com./x',
      'http://localhost./',
      'https://localhost./',
      'https://localhost/x',
      'https://a.localhost/x',
      'https://127.0.0.1/x',
      'https://2130706433/x',
      'https://0x7f000001/x',
      'https://0x7f.1/x',
      'https://0177.0.0.1/x',
      'https://[::1]/x',
      'http://[::ffff:127.0.0.1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::127.0.0.1]/x',
      'https://[::ffff:0:127.0.0.1]/x',
      'https://[64:ff9b::127.0.0.1]/x',
      'https://[64:ff9b::a9fe:a9fe]/x',
      'https://[2002:7f00:1::]/x',
      'https://10.1.2.3/x',
      'https://172.16.0.1/x',
      'https://192.168.1.1/x',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/x',
      'https://198.18.0.1/x',
      'https://198.19.255.255/x',
      'https://0.0.0.0/x',
      'https://0/x',
      'https://224.0.0.1/x',
      'https://240.0.0.1/x',
      'https://255.255.255.255/x',
      'https://[fd00::1]/x',
      'https://[fc00::1]/x',
      'https://[fe80::1]/x',
      'https://[fec0::1]/x',
      'https://[ff02::1]/x',
      'https://[::]/x',
      'https://[::ffff:10.0.0.1]/x',
      'https://0x0a.1/x',
      'https://example.com/x#frag',
      'relative/path',
      `https://example.com/${'a'.repeat(2100)}`,
    ]) {
      expect(refused(url), url).toBe(true);
    }
    // Even with the escape hatch: link-local (cloud metadata), unspecified, multicast, benchmark, and http to a public host.
    for (const url of ['https://169.254.169.254/x', 'http://[fe80::1]/x', 'https://0.0.0.0/x', 'https://[ff02::1]/x', 'https://198.18.0.1/x', 'http://93.184.216.34/x', 'http://localhost./x']) {
      expect(refused(url, true), url).toBe(true);
    }
  });
});
