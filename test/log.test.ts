import { describe, expect, it } from 'vitest';
import { createLogger, isoTimeField } from '../src/log.js';
import { LogCapture, startTestApp } from './helpers/app.js';

describe('logs', () => {
  it('redact token-bearing keys at any depth', () => {
    const out = new LogCapture();
    const log = createLogger({ destination: out });
    log.info({ accessToken: 'AT-SECRET-1', connection: { refreshToken: 'RT-SECRET-2', dc: 'eu' }, headers: { authorization: 'Bearer JWT-3' } }, 'x');
    expect(out.text).not.toMatch(/AT-SECRET-1|RT-SECRET-2|JWT-3/);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ connection: { refreshToken: '[redacted]', dc: 'eu' } });
  });

  it('never contain the configured secrets while the gateway runs', async () => {
    const secrets = { ZOHO_CLIENT_SECRET: 'client-secret-value-123', TOKEN_ENCRYPTION_KEY: 'b'.repeat(64), JWT_SECRET: 'jwt-secret-value-0123456789abcdef' };
    const { app, logs } = await startTestApp({ ZOHO_CLIENT_ID: 'client-id', STORE_URL: 'memory://', ...secrets });
    try {
      await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.JWT_SECRET}` },
        body: '{"query":"{ dataCentres { key } }"}',
      });
    } finally {
      await app.close();
    }
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const s of Object.values(secrets)) expect(logs.text).not.toContain(s);
  });

  it("writes the time as pino's isoTime does, at every millisecond of a second and across seconds", () => {
    const time = isoTimeField();
    const base = Date.UTC(2026, 11, 31, 23, 59, 58);
    // Forward through two second boundaries and a year's end, then back to an earlier second.
    const instants = [0, 1, 9, 10, 99, 100, 999, 1000, 1005, 1999, 2000, 2042, 1500, 7].map((d) => base + d);
    for (const ms of instants) expect(time(ms)).toBe(`,"time":"${new Date(ms).toISOString()}"`);
  });
});
