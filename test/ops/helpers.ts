/**
 * Helpers for the operations tests: reading Prometheus text, restarting a harness's gateway with
 * other keys on the same store namespace, and running the key-rotation CLI as a real process.
 */
import { runCli, type CliRun } from '../helpers/cli.js';
import { startApp, type App } from '../../src/app.js';
import { loadConfig, type Env } from '../../src/config/index.js';
import { createLogger } from '../../src/log.js';
import { DEFAULT_CLIENT } from '../../src/emulator/emulator.js';
import { JWT_SECRET, REDIS_URL, RETURN_ORIGIN, type Harness } from '../helpers/gateway.js';

/** The value of the sample `name{labels}` in Prometheus text (labels matched exactly, any order); 0 when absent. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1]!, x[2]!] as const).sort(([a], [b]) => a.localeCompare(b));
    if (JSON.stringify(have) === JSON.stringify(want)) return Number(m[3]);
  }
  return 0;
}

export async function scrape(app: App): Promise<{ status: number; contentType: string | null; text: string }> {
  const res = await fetch(`${app.url}/metrics`);
  return { status: res.status, contentType: res.headers.get('content-type'), text: await res.text() };
}

/** The environment the harness configures its gateways with, plus `env`. */
export function harnessEnv(h: Harness, env: Env = {}): Record<string, string> {
  return {
    ZOHO_CLIENT_ID: DEFAULT_CLIENT.clientId,
    ZOHO_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    ZOHO_DATA_CENTERS: JSON.stringify({ us: { accounts: h.us.url, api: h.us.url }, eu: { accounts: h.eu.url, api: h.eu.url } }),
    STORE_URL: REDIS_URL,
    JWT_SECRET,
    PUBLIC_URL: h.publicUrl,
    ALLOWED_RETURN_URLS: RETURN_ORIGIN,
    LOG_LEVEL: 'debug',
    ...(env as Record<string, string>),
  };
}

/** Stops the harness's gateways and starts one with `env` on the same store namespace (a restart). */
export async function restart(h: Harness, env: Env): Promise<App> {
  for (const a of h.apps) await a.close();
  h.apps.length = 0;
  const config = loadConfig(harnessEnv(h, env));
  const app = await startApp(config, createLogger({ level: config.logLevel, destination: h.logs }), { port: 0, host: '127.0.0.1', namespace: h.namespace, now: () => h.clock.now });
  h.apps.push(app); // closed by h.close()
  return app;
}

/** Runs `npm run keys:rotate`'s script as a real process with only `env` (plus PATH). */
export function runRotateCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return runCli('src/ops/rotate-cli.ts', args, env);
}
