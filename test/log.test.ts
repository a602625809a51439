import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
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
      await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.JWT_SECRET}` }, body: '{"query":"{ dataCentres { key } }"}' });
    } finally {
      await app.close();
    }
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const s of Object.values(secrets)) expect(logs.text).not.toContain(s);
  });
});
