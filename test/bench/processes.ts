import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { DEFAULT_CLIENT } from '../../src/emulator/emulator.js';
import { freePort } from '../helpers/net.js';

/**
 * The latency and memory parts run the gateway and the emulator as separate processes, as in
 * production, so the load generator shares a CPU thread with neither and the gateway's RSS is its
 * own (read from /proc).
 */

export const JWT_SECRET = 'bench-jwt-secret-0123456789abcdef0123';

/**
 * Children still running when this process exits (a crash skips every `finally`): killed then, so
 * a failed bench leaves no gateway, glue or emulator behind. A negative pid is a process group.
 */
const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
});
function track(child: ChildProcess, group = false): void {
  const id = group ? -child.pid! : child.pid!;
  running.add(id);
  child.once('exit', () => running.delete(id));
}

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
  /** ms from spawn until it answered (the gateway: until /readyz said ready). */
  startMs?: number;
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
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/emulator/cli.ts', '--dc', dc, '--latency', String(latencyMs), ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
  const m = await waitFor(child, /on (http:\/\/127\.0\.0\.1:\d+)/, 'emulator');
  return { url: m[1]!, pid: child.pid!, stop: stopper(child) };
}

/**
 * Contender B of the bench: the yoga + undici glue of test/bench/glue.ts, its tenants' Zoho access
 * tokens given at start (`x-tenant` header → token).
 */
export async function startGlueProcess(zohoUrl: string, tokens: Record<string, string>, nodeArgs: string[] = []): Promise<Proc> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'test/bench/glue.ts'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, NODE_ENV: 'production', ZOHO: zohoUrl, GLUE_TOKENS: JSON.stringify(tokens) },
  });
  track(child);
  const m = await waitFor(child, /glue on (http:\/\/127\.0\.0\.1:\d+)/, 'glue');
  return { url: m[1]!, pid: child.pid!, stop: stopper(child) };
}

/**
 * How the gateway is launched: `compiled` is `node dist/main.js` (the Docker image, `npm run
 * start:prod`); `npm-start` runs `npm start` itself, the README's start command (today `tsx
 * src/main.ts`: npm → sh → tsx → node), so whatever that script does is what is measured;
 * `source` is `node --import tsx src/main.ts`, for tests that need no build step.
 */
export type Launch = 'compiled' | 'npm-start' | 'source';

export interface GatewayProcessOptions {
  /** Node flags (`--cpu-prof`…); with `npm-start` they go through NODE_OPTIONS, so every node process of the chain gets them. */
  nodeArgs?: string[];
  maxConcurrency?: number;
  /**
   * Run src/main.ts through tsx instead of the compiled dist/main.js: tests use it so that they
   * need no build step (the bench measures the build, as production runs it). Same as `launch: 'source'`.
   */
  fromSource?: boolean;
  launch?: Launch;
  /**
   * Send the gateway's stdout (the access log at LOG_LEVEL=info) to this file rather than a pipe
   * nobody reads, so a full pipe never blocks the process being measured.
   */
  logFile?: string;
  /** Extra or overriding environment, e.g. one TOKEN_ENCRYPTION_KEY shared by several instances. */
  env?: Record<string, string>;
}

/** Pids of a process's descendants, from the parent field of /proc/<pid>/stat. */
function descendantsOf(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    for (const [child, p] of parent) if (p === pid) out.push(child), walk(child);
  };
  walk(root);
  return out;
}

/** The node process that runs the gateway under `npm start` (the leaf of npm → sh → node; tsx in older scripts). */
function gatewayLeaf(root: number): number | undefined {
  const cmd = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  };
  const running = descendantsOf(root).filter((pid) => /main\.(ts|js)\b/.test(cmd(pid)));
  // The innermost one: the tsx CLI's own process also names main.ts but has a child that does too.
  return running.find((pid) => !descendantsOf(pid).some((c) => /main\.(ts|js)\b/.test(cmd(c))));
}

/** A production-configured gateway (not the demo) whose `us` data centre is the emulator. */
export async function startGatewayProcess(emulatorUrl: string, redisUrl: string, opts: GatewayProcessOptions = {}): Promise<Proc> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const launch: Launch = opts.launch ?? (opts.fromSource ? 'source' : 'compiled');
  const logFd = opts.logFile ? openSync(opts.logFile, 'a') : undefined;
  const stdout = logFd ?? 'pipe';
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    // npm wants a home for its config and cache.
    ...(launch === 'npm-start' ? { HOME: process.env.HOME, ...(opts.nodeArgs?.length ? { NODE_OPTIONS: opts.nodeArgs.join(' ') } : {}) } : {}),
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
  };
  const child =
    launch === 'npm-start'
      ? // Its own process group, so that stopping it reaches npm, sh, tsx and the gateway alike.
        spawn('npm', ['start', '--silent'], { stdio: ['ignore', stdout, 'pipe'], env, detached: true })
      : spawn(process.execPath, [...(opts.nodeArgs ?? []), ...(launch === 'source' ? ['--import', 'tsx', 'src/main.ts'] : ['dist/main.js'])], { stdio: ['ignore', stdout, 'pipe'], env });
  if (logFd !== undefined) closeSync(logFd);
  track(child, launch === 'npm-start');
  // Readiness is polled; the output is kept for the error message.
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  // npm may exit before the gateway has finished its graceful stop: wait for the gateway too.
  const group = (signal: NodeJS.Signals, leaf: number) => async () => {
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const signalGroup = (s: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, s);
      } catch {
        // the group is gone already
      }
    };
    signalGroup(signal);
    for (let i = 0; i < 100 && alive(leaf); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive(leaf)) signalGroup('SIGKILL');
  };
  // `npm start` builds first (prestart): give it the build's time too.
  const polls = launch === 'npm-start' ? 1_200 : 300;
  for (let i = 0; i < polls; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`gateway exited (${child.exitCode ?? child.signalCode}):\n${out}${opts.logFile ? `\n(stdout in ${opts.logFile})` : ''}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) {
      const url = `http://127.0.0.1:${port}`;
      const startMs = Math.round(performance.now() - spawnedAt);
      const output = () => out;
      if (launch !== 'npm-start') return { url, pid: child.pid!, startMs, stop: stopper(child), kill: killer(child), output };
      // RSS and CPU are the gateway's own, not npm's: the node process that runs the gateway.
      const pid = gatewayLeaf(child.pid!);
      if (!pid) throw new Error('npm start: no node process running the gateway found');
      return { url, pid, startMs, stop: group('SIGTERM', pid), kill: group('SIGKILL', pid), output };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (launch === 'npm-start') process.kill(-child.pid!, 'SIGKILL');
  else child.kill('SIGKILL');
  throw new Error(`gateway did not become ready within ${polls / 10} s:\n${out}`);
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
