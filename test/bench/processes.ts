import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_CLIENT } from '../../src/sandbox/emulator.js';
import { freePort } from '../helpers/net.js';

/**
 * The latency and memory parts run the gateway and the emulator as separate processes, as in
 * production, so the load generator shares a CPU thread with neither and the gateway's RSS is its
 * own (read from /proc).
 */

export const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123';


function waitFor(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${out}`)), 30_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}):\n${out}`)));
  });
}

export interface Proc {
  url: string;
  pid: number;
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>;
  /** SIGKILL: the process dies where it stands (no shutdown hooks, leases left behind). */
  kill?(): Promise<void>;
  /** Everything the process wrote to stdout and stderr so far (the gateway's log lines). */
  output?(): string;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

function killer(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
}

/** `latencyMs`: extra delay on every CRM answer, to compare against Zoho's real round trips. */
export async function startEmulatorProcess(dc = 'us', latencyMs = 0, extraArgs: string[] = []): Promise<Proc> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', '--dc', dc, '--latency', String(latencyMs), ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const m = await waitFor(child, /on (http:\/\/127\.0\.0\.1:\d+)/, 'emulator');
  return { url: m[1]!, pid: child.pid!, stop: stopper(child) };
}

export interface GatewayProcessOptions {
  nodeArgs?: string[];
  maxConcurrency?: number;
  /**
   * Run src/main.ts through tsx instead of the compiled dist/main.js: tests use it so that they
   * need no build step (the bench measures the build, as production runs it).
   */
  fromSource?: boolean;
  /** Extra or overriding environment, e.g. one TOKEN_ENCRYPTION_KEY shared by several instances. */
  env?: Record<string, string>;
}

/** A production-configured gateway (not the demo) whose `us` data centre is the emulator. */
export async function startGatewayProcess(emulatorUrl: string, redisUrl: string, opts: GatewayProcessOptions = {}): Promise<Proc> {
  const port = await freePort();
  // The compiled build, as production runs it (`npm run bench` builds first).
  const entry = opts.fromSource ? ['--import', 'tsx', 'src/main.ts'] : ['dist/main.js'];
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...entry], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      ZOHO_CLIENT_ID: DEFAULT_CLIENT.clientId,
      ZOHO_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
      ZOHO_DATA_CENTERS: JSON.stringify({ us: { accounts: emulatorUrl, api: emulatorUrl } }),
      STORE_URL: redisUrl,
      TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      JWT_SECRET,
      ...(opts.maxConcurrency ? { ZOHO_MAX_CONCURRENCY: String(opts.maxConcurrency) } : {}),
      // The bench drives one tenant far past any per-tenant limit: measure the gateway, not the limiter.
      RATE_LIMIT_PER_MINUTE: '0',
      ...opts.env,
    },
  });
  // Stdout stays quiet at warn, so readiness is polled; the output is kept for the error message.
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`gateway exited (${child.exitCode ?? child.signalCode}):\n${out}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: stopper(child), kill: killer(child), output: () => out };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`gateway did not become ready within 30 s:\n${out}`);
}

/** Resident set size of a process (MiB), from /proc. */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : Number.NaN;
}

/**
 * CPU time (user + system, ms) a process has used, from /proc/<pid>/stat (fields 14 and 15, in
 * clock ticks of 1/100 s on Linux). Per request, it varies far less than throughput on a machine
 * whose cores are shared with other work.
 */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
