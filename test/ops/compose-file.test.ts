/**
 * The compose file's Redis must not be open to anyone on its network: it requires a password,
 * compose refuses to start without one, and every gateway's STORE_URL carries it. (Checked on the
 * file's text: no YAML parser is a dependency, and no Docker engine runs in tests.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
/** `${REDIS_PASSWORD:?message}`: compose stops with the message when the variable is unset or empty. */
const REQUIRED = /\$\{REDIS_PASSWORD:\?[^}]+\}/;

describe('docker-compose.yml', () => {
  it('starts Redis with a required password', () => {
    const command = compose.split('\n').find((line) => line.includes('redis-server'));
    expect(command).toBeDefined();
    expect(command).toContain('"--requirepass"');
    expect(command).toMatch(REQUIRED);
  });

  it('gives the gateways a STORE_URL carrying that password', () => {
    const urls = compose.split('\n').filter((line) => /^\s*STORE_URL:/.test(line));
    expect(urls.length).toBeGreaterThan(0);
    for (const line of urls) expect(line).toMatch(new RegExp(`redis://:${REQUIRED.source}@redis:6379`));
  });

  it('lets the health check authenticate', () => {
    expect(compose).toMatch(new RegExp(`REDISCLI_AUTH: ${REQUIRED.source}`));
  });
});
