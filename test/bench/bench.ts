/**
 * `npm run bench`: what the gateway costs, against the Zoho emulator on loopback and the real
 * Redis. Prints one markdown table per part. Parts (`--only contenders,typed`): calls, schema,
 * typed, contenders, instances, export.
 *
 * export (issue 13): a bulk export of `--export-records N` (100000) Leads through the compiled
 * gateway process, in pages of 40,000 (three Zoho bulk read jobs), downloaded as NDJSON; prints
 * the gateway's RSS before and at its peak during the download, against a bound of 64 MiB growth.
 *
 * contenders (issue 12): the gateway (G) against hand-rolled yoga + undici glue (B,
 * test/bench/glue.ts) and a direct HTTP call to the emulator (D), reading one Deal by id, generic
 * and typed, in interleaved rounds; prints G/B and G/D ratios and the gateway's RSS growth.
 * `--modes compiled,start` (`node dist/main.js`; `npm start`), `--latencies 0,50` (emulator ms),
 * `--reads generic,typed`, `--rounds N` (6), `--ab-seconds N` (3) per contender and round,
 * `--clients N` (32) over `--tenants N` (8), `--requests N` (20000: the RSS baseline is taken
 * after that many gateway requests), `--redis-trips N` (0: off; else MONITOR the gateway's Redis
 * commands over N sequential requests), `--cpu-prof DIR` (profile the compiled gateway at 0 ms, and the glue into DIR/glue;
 * summarise with `npx tsx test/bench/cpuprofile-summary.ts DIR/*.cpuprofile`).
 * Others: `--seconds N` per instances run (5), `--connections N` (10, doubled for instances).
 *
 * Timings depend on the machine; call and refresh counts do not (the tests assert those).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { GraphQLClient } from 'graphql-request';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { DealsWithOwnerAndAccountDocument, ModulesAndFieldsDocument } from '../gql/graphql.js';
import { mintDevToken } from '../../src/auth/mint.js';
import { DEFAULT_CLIENT } from '../../src/emulator/emulator.js';
import { COMPLETE_CONNECT, REDIS_URL, startHarness, ticketOf, type Harness } from '../helpers/gateway.js';
import { cpuMsOf, JWT_SECRET, rssOf, startEmulatorProcess, startGatewayProcess, startGlueProcess, type Proc } from './processes.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    requests: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '6' },
    'ab-seconds': { type: 'string', default: '3' },
    clients: { type: 'string', default: '32' },
    tenants: { type: 'string', default: '8' },
    modes: { type: 'string', default: 'compiled,start' },
    latencies: { type: 'string', default: '0,50' },
    reads: { type: 'string', default: 'generic,typed' },
    'redis-trips': { type: 'string', default: '0' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
    'export-records': { type: 'string', default: '100000' },
  },
});
type Mode = 'compiled' | 'start';
const MODES = values.modes.split(',') as Mode[];
const LATENCIES = values.latencies.split(',').map(Number);
const READS = values.reads.split(',') as ('generic' | 'typed')[];
const REDIS_TRIPS = Number(values['redis-trips']);
const CPU_PROF = values['cpu-prof'];
for (const m of MODES) if (m !== 'compiled' && m !== 'start') throw new Error(`--modes: unknown mode ${m}`);
for (const r of READS) if (r !== 'generic' && r !== 'typed') throw new Error(`--reads: unknown read ${r}`);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const REQUESTS = Number(values.requests);
const ROUNDS = Number(values.rounds);
const AB_SECONDS = Number(values['ab-seconds']);
const CLIENTS = Number(values.clients);
const TENANTS = Number(values.tenants);
/** `--only schema,typed`: run just those parts (calls, schema, typed, contenders, instances). */
const ONLY = values.only ? new Set(values.only.split(',')) : null;
const part = (name: string) => !ONLY || ONLY.has(name);

function table(title: string, head: string[], rows: (string | number)[][]): void {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  process.stdout.write(`\n### ${title}\n\n${line(head)}\n${line(head.map(() => '---'))}\n${rows.map(line).join('\n')}\n`);
}

async function calls(h: Harness, client: GraphQLClient) {
  const deals = () => client.request(DealsWithOwnerAndAccountDocument, { first: 200 });
  h.us.resetCalls();
  await client.request(ModulesAndFieldsDocument, { module: 'Deals' });
  await deals();
  const cold = h.us.count();
  h.us.resetCalls();
  const res = await deals();
  const warm = h.us.count();
  const distinct = new Set(res.records.nodes.map((n) => n.account?.id).filter(Boolean)).size;
  const lowerBound = 1 + Math.ceil(distinct / 100);

  // A naive client: list the Deals, then one call per Account lookup (owner emails come embedded).
  const conn = (await h.app.services.connections.get('bench', 'default'))!;
  const auth = { authorization: `Zoho-oauthtoken ${conn.accessToken}` };
  let naive = 0;
  const list = await request(`${h.us.url}/crm/v8/Deals?fields=Deal_Name,Owner,Account_Name&per_page=200`, { headers: auth });
  naive++;
  const body = (await list.body.json()) as { data: { Account_Name: { id: string } | null }[] };
  for (const d of body.data) {
    if (!d.Account_Name) continue;
    const r = await request(`${h.us.url}/crm/v8/Accounts/${d.Account_Name.id}?fields=Account_Name`, { headers: auth });
    await r.body.dump();
    naive++;
  }
  table(
    'Upstream Zoho calls: 200 Deals with owner email and account name',
    ['client', 'Zoho calls'],
    [
      ['gateway (metadata cached)', warm],
      ["gateway (first query, metadata cold; includes the typed schema build it starts in the background: the modules and each module's fields)", cold],
      [`lower bound (1 list + ceil(${distinct} accounts / 100))`, lowerBound],
      ['naive client (one call per lookup)', naive],
    ],
  );
}

async function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** An access token straight from the emulator's OAuth endpoints, for the direct-call baseline. */
async function directToken(emulatorUrl: string): Promise<string> {
  const auth = new URL('/oauth/v2/auth', emulatorUrl);
  for (const [k, v] of Object.entries({ client_id: DEFAULT_CLIENT.clientId, response_type: 'code', scope: 'ZohoCRM.modules.ALL', redirect_uri: 'http://127.0.0.1/cb', access_type: 'offline' }))
    auth.searchParams.set(k, v);
  const code = new URL((await fetch(auth, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
  const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret, redirect_uri: 'http://127.0.0.1/cb', code });
  const res = (await (await fetch(new URL('/oauth/v2/token', emulatorUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).json()) as {
    access_token: string;
  };
  return res.access_token;
}

/** Connects the token's tenant to the emulator through the gateway process's real OAuth flow. */
async function connectThroughGateway(gatewayUrl: string, emulatorUrl: string, token: string): Promise<void> {
  const client = new GraphQLClient(`${gatewayUrl}/graphql`, { headers: { authorization: `Bearer ${token}` } });
  const { startZohoConnect } = await client.request<{ startZohoConnect: { authorizeUrl: string } }>('mutation { startZohoConnect(dc: "us") { authorizeUrl } }');
  const consent = await fetch(startZohoConnect.authorizeUrl, { redirect: 'manual' });
  const done = await fetch(consent.headers.get('location')!, { redirect: 'manual' });
  const ticket = ticketOf({ location: undefined, body: await done.text() });
  if (!ticket) throw new Error(`connecting through the gateway failed (${done.status}) via ${emulatorUrl}`);
  await client.request(COMPLETE_CONNECT, { ticket });
}

type Who = 'G' | 'B' | 'D';
type Read = 'generic' | 'typed';
const WHO: Record<Who, string> = { G: 'G: the gateway', B: 'B: yoga + undici glue', D: 'D: direct HTTP call to the emulator' };

/** What one timed run of one contender gave. */
interface Run {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  /** Non-2xx answers and socket errors/timeouts. */
  failed: number;
  /** HTTP 200 bodies with GraphQL `errors`. */
  gqlErrors: number;
  /** Bodies without the Deal's name. */
  wrong: number;
}

/**
 * autocannon, keeping every response's latency: its own histogram counts whole milliseconds,
 * too coarse for a 5 % goal on a 50 ms round trip.
 */
async function timed(opts: autocannon.Options): Promise<{ result: autocannon.Result; latencies: number[] }> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const inst = autocannon(opts, (err, r) => (err ? reject(err) : resolve(r)));
    inst.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  return { result, latencies };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : Number.NaN);
const ratioCell = (xs: number[]) => (xs.length ? `${median(xs).toFixed(3)} (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})` : 'n/a');

/** The gateway's event-loop delay (ms) since the previous scrape: prom-client resets its histogram on every collect. */
async function loopDelay(gatewayUrl: string): Promise<{ p50: number; p99: number }> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^zgw_nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1]) * 1000;
  return { p50: read('p50'), p99: read('p99') };
}

/** Local ports of a process's TCP connections to `remotePort`, from /proc (socket inodes of its fds matched in /proc/net/tcp*). */
function tcpPortsOf(pid: number, remotePort: number): Set<number> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !inodes.has(f[9]!)) continue;
      if (parseInt(f[2]!.split(':')[1]!, 16) === remotePort) ports.add(parseInt(f[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/**
 * Redis commands the gateway sends per request (MONITOR, filtered to the gateway's own
 * connections, so other Redis users do not count), over `n` sequential requests cycling through
 * the tenants. Commands, not round trips: a pipeline or MULTI sends several in one.
 */
async function redisCommandsPerRequest(gateway: Proc, jwts: string[], query: string, n: number): Promise<{ perRequest: number; byCommand: string }> {
  const ports = tcpPortsOf(gateway.pid, Number(new URL(REDIS_URL).port || 6379));
  const client = new Redis(REDIS_URL);
  const monitor = await client.monitor();
  const counts = new Map<string, number>();
  // ioredis reports a MONITOR line that arrives after disconnect() as an 'error': harmless once counting is over.
  let counting = true;
  let failure: unknown;
  monitor.on('error', (err: unknown) => {
    if (counting) failure ??= err;
  });
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (!ports.has(Number(source.split(':').pop()))) return;
    const name = String(args[0]).toUpperCase();
    counts.set(name, (counts.get(name) ?? 0) + 1);
  });
  try {
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < n; i++) {
      const res = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${jwts[i % jwts.length]}` },
        body: JSON.stringify({ query }),
      });
      await res.text();
    }
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    counting = false;
    monitor.disconnect();
    client.disconnect();
  }
  if (failure) throw failure;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const byCommand = [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([c, k]) => `${c} ${(k / n).toFixed(2)}`)
    .join(', ');
  return { perRequest: total / n, byCommand: ports.size ? byCommand : 'no Redis connection of the gateway found' };
}

/** Per (mode, latency, read): the medians of per-round ratios, for the goals table at the end. */
const goals: { mode: Mode; latency: number; read: Read; gbRps: number; gbP50: number; gbP99: number; gdP50: number; cpuG: number; cpuB: number; gbCpu: number }[] = [];
const rssGrowth: { mode: Mode; latency: number; ratio: number; reached: boolean }[] = [];

/**
 * Issue 12's comparison: G (the gateway, every production feature on), B (the glue of
 * test/bench/glue.ts) and D (a direct HTTP call to the emulator), reading one Deal by id with three
 * fields, in interleaved rounds (G B D, D B G, …) so that the drift of a shared machine falls on
 * all three; each round's clients cycle through the tenants request by request.
 */
async function contenders(mode: Mode, latencyMs: number): Promise<void> {
  const emulator = await startEmulatorProcess('us', latencyMs);
  const logFile = join(os.tmpdir(), `bench-gateway-${mode}-${latencyMs}ms-${process.pid}.log`);
  const profile = CPU_PROF && mode === 'compiled' && latencyMs === 0;
  /** When each profiled process started and when the load began: what the summary should skip. */
  const gatewaySpawned = performance.now();
  let glueSpawned = 0;
  let loadBegan = 0;
  const gateway = await startGatewayProcess(emulator.url, REDIS_URL, {
    launch: mode === 'compiled' ? 'compiled' : 'npm-start',
    // The gateway's per-connection Zoho queue would otherwise hold the clients back: the table
    // shows the gateway's own cost, not that queue (its title says so).
    maxConcurrency: CLIENTS,
    logFile,
    ...(profile ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] } : {}),
    // Every production feature on: the access log (one line per operation), a per-tenant rate
    // limit far above the load (so it is checked, never refusing), metrics.
    env: { LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '1000000', METRICS: 'true' },
  });
  let glue: Proc | undefined;
  try {
    const jwts: string[] = [];
    const zohoTokens: Record<string, string> = {};
    for (let i = 0; i < TENANTS; i++) {
      const jwt = await mintDevToken({ secret: JWT_SECRET, tenant: `bench-${i + 1}`, subject: 'bench', scope: 'zoho:connect records:read' });
      await connectThroughGateway(gateway.url, emulator.url, jwt);
      jwts.push(jwt);
      zohoTokens[`t${i + 1}`] = await directToken(emulator.url);
    }
    glueSpawned = performance.now();
    glue = await startGlueProcess(emulator.url, zohoTokens, profile ? ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROF!, 'glue')}`] : []);
    const anyToken = Object.values(zohoTokens)[0]!;
    const id = ((await (await fetch(`${emulator.url}/crm/v8/Deals?fields=Deal_Name&per_page=1`, { headers: { authorization: `Zoho-oauthtoken ${anyToken}` } })).json()) as { data: { id: string }[] })
      .data[0]!.id;
    const dealPath = `/crm/v8/Deals/${id}?fields=Deal_Name,Amount,Stage`;
    const deal = ((await (await fetch(`${emulator.url}${dealPath}`, { headers: { authorization: `Zoho-oauthtoken ${anyToken}` } })).json()) as { data: Record<string, unknown>[] }).data[0]!;
    const expected = JSON.stringify([id, deal.Deal_Name, deal.Amount, deal.Stage].map(String));
    const nameInBody = JSON.stringify(deal.Deal_Name);

    const queries: Record<Read, string> = {
      generic: `{ record(module: "Deals", id: "${id}") { id dealName: field(name: "Deal_Name") amount: field(name: "Amount") stage: field(name: "Stage") } }`,
      typed: `{ crm { deal(id: "${id}") { id dealName amount stage } } }`,
    };
    const glueQuery = `{ deal(id: "${id}") { id Deal_Name Amount Stage } }`;
    if (READS.includes('typed')) {
      // Each tenant's first request starts its schema build (all of one shape: built once, shared).
      for (const jwt of jwts) {
        for (let i = 0; ; i++) {
          const res = await fetch(`${gateway.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
            body: JSON.stringify({ query: '{ crm { __typename } }' }),
          });
          const body = (await res.json()) as { errors?: unknown };
          if (res.headers.get('x-schema-hash') && !body.errors) break;
          if (i > 100) throw new Error(`no typed schema: ${JSON.stringify(body.errors ?? null)}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }

    // Every contender's answer, for every tenant, once before any timing.
    const answerOf = async (who: Who, read: Read, i: number): Promise<string> => {
      const post = (url: string, headers: Record<string, string>, query: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) }).then((r) => r.json() as Promise<{ data?: any; errors?: unknown }>);
      let row: Record<string, unknown> | undefined;
      if (who === 'G') {
        const body = await post(`${gateway.url}/graphql`, { authorization: `Bearer ${jwts[i]}` }, queries[read]);
        if (body.errors) throw new Error(`G ${read}: ${JSON.stringify(body.errors)}`);
        const r = read === 'typed' ? body.data?.crm?.deal : body.data?.record;
        row = r && { id: r.id, Deal_Name: r.dealName, Amount: r.amount, Stage: r.stage };
      } else if (who === 'B') {
        const body = await post(`${glue!.url}/graphql`, { 'x-tenant': `t${i + 1}` }, glueQuery);
        if (body.errors) throw new Error(`B: ${JSON.stringify(body.errors)}`);
        row = body.data?.deal;
      } else {
        row = ((await (await fetch(`${emulator.url}${dealPath}`, { headers: { authorization: `Zoho-oauthtoken ${zohoTokens[`t${i + 1}`]}` } })).json()) as { data: Record<string, unknown>[] }).data[0];
      }
      return JSON.stringify([row?.id, row?.Deal_Name, row?.Amount, row?.Stage].map(String));
    };

    let counting: Pick<Run, 'gqlErrors' | 'wrong'> = { gqlErrors: 0, wrong: 0 };
    const onResponse = (_status: number, body: string) => {
      if (body.includes('"errors"')) counting.gqlErrors++;
      if (!body.includes(nameInBody)) counting.wrong++;
    };
    const targets = (read: Read): Record<Who, autocannon.Options> => ({
      G: {
        url: gateway.url,
        connections: CLIENTS,
        requests: jwts.map((jwt) => ({
          method: 'POST' as const,
          path: '/graphql',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}` },
          body: JSON.stringify({ query: queries[read] }),
          onResponse,
        })),
      },
      B: {
        url: glue!.url,
        connections: CLIENTS,
        requests: Object.keys(zohoTokens).map((tenant) => ({
          method: 'POST' as const,
          path: '/graphql',
          headers: { 'content-type': 'application/json', 'x-tenant': tenant },
          body: JSON.stringify({ query: glueQuery }),
          onResponse,
        })),
      },
      D: {
        url: emulator.url,
        connections: CLIENTS,
        requests: Object.values(zohoTokens).map((token) => ({ method: 'GET' as const, path: dealPath, headers: { authorization: `Zoho-oauthtoken ${token}` }, onResponse })),
      },
    });

    // Gateway RSS after its first REQUESTS requests (warm-ups included), then after all rounds.
    let gatewayRequests = 0;
    /** Requests B served (warm-ups included), to put its CPU profile per request next to the gateway's. */
    let glueRequests = 0;
    let rssFirst: { rss: number; at: number } | undefined;
    const countGateway = (n: number) => {
      gatewayRequests += n;
      if (!rssFirst && gatewayRequests >= REQUESTS) rssFirst = { rss: rssOf(gateway.pid), at: gatewayRequests };
    };
    const rssAfterWarmUp: { rss: number; at: number }[] = [];

    for (const read of READS) {
      for (const who of ['G', 'B', 'D'] as Who[]) {
        for (let i = 0; i < TENANTS; i++) {
          const got = await answerOf(who, read, i);
          if (got !== expected) throw new Error(`${who} (${read}, tenant ${i + 1}) answered ${got}, expected ${expected}`);
        }
      }
      const t = targets(read);
      // Warm-up (JIT, keep-alive pools, caches) before anything is timed.
      loadBegan ||= performance.now();
      for (const who of ['G', 'B', 'D'] as Who[]) {
        const { result } = await timed({ ...t[who], amount: latencyMs ? CLIENTS * 20 : 3_000 });
        if (who === 'G') countGateway(result.requests.total);
        if (who === 'B') glueRequests += result.requests.total;
      }
      rssAfterWarmUp.push({ rss: rssOf(gateway.pid), at: gatewayRequests });
      const runs: Record<Who, Run[]> = { G: [], B: [], D: [] };
      const delays: { p50: number; p99: number }[] = [];
      /** CPU ms per request of the gateway and of the glue, per round (from /proc: steadier than req/s on a shared machine). */
      const cpuPerRequest: Record<'G' | 'B', number[]> = { G: [], B: [] };
      for (let r = 0; r < ROUNDS; r++) {
        for (const who of (r % 2 === 0 ? ['G', 'B', 'D'] : ['D', 'B', 'G']) as Who[]) {
          counting = { gqlErrors: 0, wrong: 0 };
          if (who === 'G') await loopDelay(gateway.url);
          const pid = who === 'G' ? gateway.pid : who === 'B' ? glue.pid : undefined;
          const cpuBefore = pid ? cpuMsOf(pid) : 0;
          const { result, latencies } = await timed({ ...t[who], duration: AB_SECONDS });
          latencies.sort((a, b) => a - b);
          runs[who].push({
            rps: result.requests.total / AB_SECONDS,
            p50: quantile(latencies, 0.5),
            p99: quantile(latencies, 0.99),
            total: result.requests.total,
            failed: result.non2xx + result.errors + result.timeouts,
            ...counting,
          });
          if (pid) cpuPerRequest[who as 'G' | 'B'].push((cpuMsOf(pid) - cpuBefore) / Math.max(1, result.requests.total));
          if (who === 'B') glueRequests += result.requests.total;
          if (who === 'G') {
            delays.push(await loopDelay(gateway.url));
            countGateway(result.requests.total);
          }
        }
      }
      const rows: (string | number)[][] = (['G', 'B', 'D'] as Who[]).map((who) => {
        const rs = runs[who];
        const sum = (f: (x: Run) => number) => rs.reduce((n, x) => n + f(x), 0);
        return [
          WHO[who],
          Math.round(median(rs.map((x) => x.rps))),
          median(rs.map((x) => x.p50)).toFixed(2),
          median(rs.map((x) => x.p99)).toFixed(2),
          sum((x) => x.total),
          `${sum((x) => x.failed)} / ${sum((x) => x.gqlErrors)} / ${sum((x) => x.wrong)}`,
        ];
      });
      const per = (f: (g: Run, other: Run) => number, other: Who) => runs.G.map((g, i) => f(g, runs[other][i]!));
      goals.push({
        mode,
        latency: latencyMs,
        read,
        gbRps: median(per((g, b) => g.rps / b.rps, 'B')),
        gbP50: median(per((g, b) => g.p50 / b.p50, 'B')),
        gbP99: median(per((g, b) => g.p99 / b.p99, 'B')),
        gdP50: median(per((g, d) => g.p50 / d.p50, 'D')),
        cpuG: median(cpuPerRequest.G),
        cpuB: median(cpuPerRequest.B),
        gbCpu: median(cpuPerRequest.G.map((g, i) => g / cpuPerRequest.B[i]!)),
      });
      table(
        `${mode === 'compiled' ? 'Compiled build (`node dist/main.js`)' : '`npm start` (the README command: build, then `node dist/main.js`)'}, ${read} read of one Deal by id (3 fields), emulator answering in ${latencyMs} ms: ${CLIENTS} clients over ${TENANTS} tenants, ${ROUNDS} interleaved rounds of ${AB_SECONDS} s per contender; gateway with Redis store, JWT, scopes, rate limit, access log, metrics, ZOHO_MAX_CONCURRENCY=${CLIENTS} (its Zoho queue is not what is measured)`,
        ['contender', 'requests/s (median of rounds)', 'p50 ms (median)', 'p99 ms (median)', 'requests timed', 'non-2xx or socket errors / GraphQL errors / wrong answers'],
        rows,
      );
      table(
        `Ratios (${mode}, ${read}, ${latencyMs} ms): median of per-round ratios (min–max over rounds)`,
        ['G/B requests/s', 'G/B p50', 'G/B p99', 'G/D p50', 'CPU ms / request G; B (median)', 'G/B CPU per request', 'gateway event-loop delay p50 / p99 ms (median of G rounds)'],
        [
          [
            ratioCell(per((g, b) => g.rps / b.rps, 'B')),
            ratioCell(per((g, b) => g.p50 / b.p50, 'B')),
            ratioCell(per((g, b) => g.p99 / b.p99, 'B')),
            ratioCell(per((g, d) => g.p50 / d.p50, 'D')),
            `${median(cpuPerRequest.G).toFixed(3)}; ${median(cpuPerRequest.B).toFixed(3)}`,
            ratioCell(cpuPerRequest.G.map((g, i) => g / cpuPerRequest.B[i]!)),
            `${median(delays.map((d) => d.p50)).toFixed(2)} / ${median(delays.map((d) => d.p99)).toFixed(2)}`,
          ],
        ],
      );
      if (REDIS_TRIPS) {
        const trips = await redisCommandsPerRequest(gateway, jwts, queries[read], REDIS_TRIPS);
        process.stdout.write(
          `\nRedis commands per gateway request (${mode}, ${read}, ${REDIS_TRIPS} sequential requests over ${TENANTS} tenants, MONITOR on the gateway's own connections): ${trips.perRequest.toFixed(2)} — ${trips.byCommand}\n`,
        );
      }
    }
    const rssEnd = rssOf(gateway.pid);
    if (profile) {
      const summary = 'npx tsx test/bench/cpuprofile-summary.ts';
      process.stdout.write(
        `\nCPU profiles (written when the processes stop), load only:\n  ${summary} ${CPU_PROF}/CPU.*.cpuprofile --skip-ms ${Math.round(loadBegan - gatewaySpawned)} --requests ${gatewayRequests}\n  ${summary} ${CPU_PROF}/glue/CPU.*.0.001.cpuprofile --skip-ms ${Math.round(loadBegan - glueSpawned)} --requests ${glueRequests}\n`,
      );
    }
    const logLines = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"graphql operation"')).length;
    const base = rssFirst ?? rssAfterWarmUp[0]!;
    rssGrowth.push({ mode, latency: latencyMs, ratio: rssEnd / base.rss, reached: !!rssFirst });
    table(
      `Gateway memory (${mode}, ${latencyMs} ms): RSS after the first ${REQUESTS} requests vs after all rounds`,
      ['RSS after first requests MiB (at request #)', 'RSS after all rounds MiB (at request #)', 'ratio', 'access-log lines written', 'requests served G / B (load only)', 'gateway ready after ms'],
      [
        [
          `${base.rss} (#${base.at}${rssFirst ? '' : `: fewer than ${REQUESTS} sent, taken after the first warm-up`})`,
          `${rssEnd} (#${gatewayRequests})`,
          (rssEnd / base.rss).toFixed(3),
          logLines,
          `${gatewayRequests} / ${glueRequests}`,
          gateway.startMs ?? '',
        ],
      ],
    );
  } finally {
    await glue?.stop();
    await gateway.stop();
    await emulator.stop();
    rmSync(logFile, { force: true });
  }
}

/**
 * Throughput of one gateway process, then of two on the same Redis with the load split evenly
 * between them (one autocannon run per instance, side by side, summed), the way a round-robin
 * balancer spreads it. The emulator answers in `latencyMs`, so with a realistic Zoho round trip
 * the gateways wait more than they compute, and a second instance shows what it adds.
 */
async function instances(latencyMs: number) {
  const emulator = await startEmulatorProcess('us', latencyMs);
  // One TOKEN_ENCRYPTION_KEY for both, as replicas share their secrets.
  const env = { TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex') };
  const gateways = [await startGatewayProcess(emulator.url, REDIS_URL, { maxConcurrency: CONNECTIONS * 2, env })];
  try {
    const token = await mintDevToken({ secret: JWT_SECRET, tenant: 'bench-scale', subject: 'bench', scope: 'zoho:connect records:read' });
    await connectThroughGateway(gateways[0]!.url, emulator.url, token);
    const zohoToken = await directToken(emulator.url);
    const id = ((await (await fetch(`${emulator.url}/crm/v8/Deals?fields=Deal_Name&per_page=1`, { headers: { authorization: `Zoho-oauthtoken ${zohoToken}` } })).json()) as { data: { id: string }[] })
      .data[0]!.id;
    const target = (url: string, connections: number) => ({
      url: `${url}/graphql`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ record(module: "Deals", id: "${id}") { id name: field(name: "Deal_Name") } }` }),
      connections,
    });
    const rows: (string | number)[][] = [];
    const measure = async (label: string) => {
      // The same total number of connections, split evenly over the instances.
      const per = Math.max(1, Math.floor((CONNECTIONS * 2) / gateways.length));
      await Promise.all(gateways.map((g) => run({ ...target(g.url, per), amount: latencyMs ? 200 : 2_000 })));
      const results = await Promise.all(gateways.map((g) => run({ ...target(g.url, per), duration: SECONDS })));
      const rps = results.reduce((sum, r) => sum + r.requests.average, 0);
      const mean =
        results.reduce((sum, r) => sum + r.latency.average * r.requests.total, 0) /
        Math.max(
          1,
          results.reduce((sum, r) => sum + r.requests.total, 0),
        );
      const bad = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
      rows.push([label, gateways.length * per, Math.round(rps), mean.toFixed(2), Math.max(...results.map((r) => r.latency.p99)), bad]);
      return rps;
    };
    const one = await measure('1 instance');
    gateways.push(await startGatewayProcess(emulator.url, REDIS_URL, { maxConcurrency: CONNECTIONS * 2, env }));
    const two = await measure('2 instances, same Redis, load split evenly');
    rows.push(['2 ÷ 1', '', (two / one).toFixed(2), '', '', '']);
    table(
      `Throughput of one record read, 1 vs 2 gateway instances, emulator answering in ${latencyMs ? `${latencyMs} ms` : '~0 ms'} (${SECONDS} s each; ${os.cpus().length} CPU cores shared by load generator, gateways, emulator and Redis)`,
      ['setup', 'connections', 'requests/s', 'mean ms', 'p99 ms', 'non-2xx or errors'],
      rows,
    );
  } finally {
    for (const g of gateways) await g.stop();
    await emulator.stop();
  }
}

async function refreshes(h: Harness) {
  const client = await h.client('bench');
  const rows: (string | number)[][] = [];
  for (const n of [1, 50, 200]) {
    h.us.expireAccessTokens();
    h.clock.now += 3600_000;
    const before = h.us.refreshGrants();
    await Promise.all(Array.from({ length: n }, () => client.request('{ organization { id } }')));
    rows.push([n, h.us.refreshGrants() - before]);
  }
  table('Refreshes per expiry (concurrent requests on an expired token)', ['concurrent requests', 'refresh calls'], rows);
}

/**
 * Schema build time and memory for synthetic orgs (test/bench/schema-build.ts), in a process of
 * its own with `--expose-gc`, so that its heap figures are not this process's autocannon and
 * harness. NODE_ENV=production as the gateway runs (graphql-js skips its development checks).
 */
async function schemaBuild(): Promise<void> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/bench/schema-build.ts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`schema build bench exited with ${code}`);
}

interface Scenario {
  name: string;
  typed: string;
  generic: string;
}

interface Tally {
  errors: number;
  generic: number;
}

/**
 * Per-request cost of the typed API against the same read on the generic API, under load, on the
 * production-configured gateway: several tenants (one connection each, all of one shape, so one
 * shared schema) and dozens of clients, each client cycling through the tenants. Both queries run
 * on the tenant's typed schema (once built it answers every request of the connection), so the
 * difference is the typed resolvers, not the schema choice. A/B rounds alternate (ABBA) so that
 * the drift of a shared 2-core machine falls on both sides.
 */
async function typedVsGeneric(): Promise<void> {
  const emulator = await startEmulatorProcess('us', 0);
  const gateway = await startGatewayProcess(emulator.url, REDIS_URL, { maxConcurrency: CLIENTS });
  try {
    const tokens: string[] = [];
    for (let i = 0; i < TENANTS; i++) {
      const token = await mintDevToken({ secret: JWT_SECRET, tenant: `bench-typed-${i + 1}`, subject: 'bench', scope: 'zoho:connect records:read' });
      await connectThroughGateway(gateway.url, emulator.url, token);
      tokens.push(token);
    }
    const post = async (token: string, query: string) => {
      const res = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
      return { hash: res.headers.get('x-schema-hash'), body: (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[]; extensions?: { zoho?: { calls: number } } } };
    };
    // Each tenant's first request starts its schema build (all of one shape: built once, shared).
    for (const token of tokens) {
      for (let i = 0; ; i++) {
        const r = await post(token, '{ crm { __typename } }');
        if (r.hash && !r.body.errors) break;
        if (i > 100) throw new Error(`no typed schema: ${JSON.stringify(r.body.errors ?? null)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const zohoToken = await directToken(emulator.url);
    const id = ((await (await fetch(`${emulator.url}/crm/v8/Deals?fields=Deal_Name&per_page=1`, { headers: { authorization: `Zoho-oauthtoken ${zohoToken}` } })).json()) as { data: { id: string }[] })
      .data[0]!.id;
    const typedSel = 'id dealName amount stage';
    const genericSel = 'id dealName: field(name: "Deal_Name") amount: field(name: "Amount") stage: field(name: "Stage")';
    const scenarios: Scenario[] = [
      { name: 'one Deal by id', typed: `{ crm { deal(id: "${id}") { ${typedSel} } } }`, generic: `{ record(module: "Deals", id: "${id}") { ${genericSel} } }` },
      { name: 'a page of 50 Deals', typed: `{ crm { deals(first: 50) { nodes { ${typedSel} } } } }`, generic: `{ records(module: "Deals", first: 50) { nodes { ${genericSel} } } }` },
    ];

    const rows: (string | number)[][] = [];
    for (const sc of scenarios) {
      // The same answer and the same Zoho calls both ways, for every tenant, before any timing.
      const calls: Record<'typed' | 'generic', number> = { typed: 0, generic: 0 };
      for (const token of tokens) {
        // Twice: the first generic read of a tenant also loads the module's field metadata (cached after).
        await post(token, sc.generic);
        const t = await post(token, sc.typed);
        const g = await post(token, sc.generic);
        if (t.body.errors || g.body.errors) throw new Error(`${sc.name}: ${JSON.stringify(t.body.errors ?? g.body.errors)}`);
        const typedData = (t.body.data!.crm as Record<string, unknown>)[sc.typed.includes('deals(') ? 'deals' : 'deal'];
        const genericData = g.body.data![sc.generic.includes('records(') ? 'records' : 'record'];
        if (JSON.stringify(typedData) !== JSON.stringify(genericData)) throw new Error(`${sc.name}: typed and generic answers differ`);
        calls.typed = t.body.extensions?.zoho?.calls ?? Number.NaN;
        calls.generic = g.body.extensions?.zoho?.calls ?? Number.NaN;
      }
      const tally: Record<'typed' | 'generic', Tally> = { typed: { errors: 0, generic: 0 }, generic: { errors: 0, generic: 0 } };
      const target = (variant: 'typed' | 'generic') => ({
        url: gateway.url,
        connections: CLIENTS,
        // Each client cycles through the tenants, request by request.
        requests: tokens.map((token) => ({
          method: 'POST' as const,
          path: '/graphql',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: sc[variant] }),
          // GraphQL errors come with HTTP 200, and a generic-schema fallback would make the typed query fail: count both.
          onResponse: (_status: number, body: string, _ctx: object, headers: Record<string, unknown> | undefined) => {
            if (body.includes('"errors"')) tally[variant].errors++;
            if (!headers?.['x-schema-hash'] && !headers?.['X-Schema-Hash']) tally[variant].generic++;
          },
        })),
      });
      await run({ ...target('typed'), amount: 2_000 });
      await run({ ...target('generic'), amount: 2_000 });
      const results: Record<'typed' | 'generic', autocannon.Result[]> = { typed: [], generic: [] };
      /** Gateway CPU ms per request, per round. */
      const cpu: Record<'typed' | 'generic', number[]> = { typed: [], generic: [] };
      for (let r = 0; r < ROUNDS; r++) {
        const order: ('typed' | 'generic')[] = r % 2 === 0 ? ['typed', 'generic'] : ['generic', 'typed'];
        for (const v of order) {
          const before = cpuMsOf(gateway.pid);
          const res = await run({ ...target(v), duration: AB_SECONDS });
          cpu[v].push((cpuMsOf(gateway.pid) - before) / Math.max(1, res.requests.total));
          results[v].push(res);
        }
      }
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const median = (xs: number[]) => {
        const s = [...xs].sort((a, b) => a - b);
        return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
      };
      const row = (v: 'typed' | 'generic', query: string) => {
        const rs = results[v];
        const bad = rs.reduce((n, x) => n + x.non2xx + x.errors, 0) + tally[v].errors;
        return [
          sc.name,
          `${v}: \`${query.replace(id, '…').replace(/\s+/g, ' ').slice(0, 90)}${query.length > 90 ? '…' : ''}\``,
          Math.round(mean(rs.map((x) => x.requests.average))),
          mean(rs.map((x) => x.latency.average)).toFixed(2),
          median(rs.map((x) => x.latency.p99)),
          median(cpu[v]).toFixed(3),
          calls[v],
          `${bad} / ${tally[v].generic}`,
        ];
      };
      rows.push(row('typed', sc.typed), row('generic', sc.generic));
      const rps = results.typed.map((t, i) => t.requests.average / results.generic[i]!.requests.average);
      const lat = results.typed.map((t, i) => t.latency.average / results.generic[i]!.latency.average);
      const cpuRatio = cpu.typed.map((t, i) => t / cpu.generic[i]!);
      const range = (xs: number[]) => `${median(xs).toFixed(3)} (rounds ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
      rows.push([sc.name, '**typed ÷ generic** (median of per-round ratios)', range(rps), range(lat), '', range(cpuRatio), '', '']);
    }
    table(
      `Typed vs generic read under load: ${TENANTS} tenants, ${CLIENTS} concurrent clients, emulator ~0 ms, ${ROUNDS} alternating rounds of ${AB_SECONDS} s per side (${os.cpus().length} CPU cores shared by load generator, gateway, emulator and Redis)`,
      ['read', 'query', 'requests/s (mean of rounds)', 'mean ms', 'p99 ms (median)', 'gateway CPU ms / request (median)', 'Zoho calls / request', 'errors / answered without typed schema'],
      rows,
    );
  } finally {
    await gateway.stop();
    await emulator.stop();
  }
}

/** Issue 12's goals, one row per launch mode and read; ✗ marks a ratio on the wrong side of its goal. */
/** Bound on the gateway's RSS growth while it streams an export (MiB): constant memory, not a file's size. */
const EXPORT_RSS_BOUND_MIB = 64;

async function exportBench(): Promise<void> {
  const records = Number(values['export-records']);
  const perPage = 40_000;
  const emulator = await startEmulatorProcess('us', 0, ['--leads', String(records), '--bulk-per-page', String(perPage)]);
  const gateway = await startGatewayProcess(emulator.url, REDIS_URL, { env: { LOG_LEVEL: 'warn' } });
  try {
    const jwt = await mintDevToken({ secret: JWT_SECRET, tenant: 'bench-export', subject: 'bench', scope: 'zoho:connect records:read' });
    await connectThroughGateway(gateway.url, emulator.url, jwt);
    const client = new GraphQLClient(`${gateway.url}/graphql`, { headers: { authorization: `Bearer ${jwt}` } });
    const fields = [
      'First_Name',
      'Last_Name',
      'Email',
      'Phone',
      'Company',
      'City',
      'Lead_Status',
      'Lead_Source',
      'Industry',
      'Annual_Revenue',
      'No_of_Employees',
      'Email_Opt_Out',
      'Description',
      'Owner',
      'Created_Time',
      'Modified_Time',
      'Custom_Text_01',
      'Custom_Text_02',
      'Custom_Text_03',
      'Custom_Text_04',
    ];
    const { startBulkExport } = await client.request<{ startBulkExport: { id: string } }>('mutation($f: [String!]) { startBulkExport(module: "Leads", fields: $f) { id } }', { f: fields });
    let path: string | null = null;
    for (let i = 0; !path; i++) {
      const { bulkExport } = await client.request<{ bulkExport: { state: string; downloadPath: string | null } }>('query($id: ID!) { bulkExport(id: $id) { state downloadPath } }', {
        id: startBulkExport.id,
      });
      if (bulkExport.state === 'FAILED' || i > 50) throw new Error(`export did not complete: ${bulkExport.state}`);
      path = bulkExport.downloadPath;
    }
    const before = rssOf(gateway.pid);
    let peak = before;
    let bytes = 0;
    let lines = 0;
    const started = performance.now();
    const res = await fetch(`${gateway.url}${path}`, { headers: { authorization: `Bearer ${jwt}` } });
    if (res.status !== 200) throw new Error(`download answered ${res.status}: ${await res.text()}`);
    let chunks = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines++;
      if (++chunks % 50 === 0) peak = Math.max(peak, rssOf(gateway.pid));
    }
    peak = Math.max(peak, rssOf(gateway.pid));
    const seconds = (performance.now() - started) / 1000;
    const growth = peak - before;
    if (lines !== records) throw new Error(`expected ${records} NDJSON lines, got ${lines}`);
    table(
      `Bulk export: ${records} Leads × ${fields.length + 1} columns in pages of ${perPage}, streamed as NDJSON by the compiled gateway (${os.cpus().length} cores shared with the emulator and Redis)`,
      ['records', 'NDJSON MiB', 'seconds', 'records/s', 'gateway RSS before MiB', 'peak during MiB', 'growth MiB', `bound (< ${EXPORT_RSS_BOUND_MIB} MiB)`],
      [
        [
          lines,
          (bytes / 2 ** 20).toFixed(1),
          seconds.toFixed(1),
          Math.round(lines / seconds),
          before.toFixed(1),
          peak.toFixed(1),
          growth.toFixed(1),
          growth < EXPORT_RSS_BOUND_MIB ? 'met' : 'NOT MET',
        ],
      ],
    );
  } finally {
    await gateway.stop();
    await emulator.stop();
  }
}

function goalsTable(): void {
  // The issue reads throughput at 0 ms and latency at 50 ms: the fastest and slowest upstream run.
  const FAST = Math.min(...LATENCIES);
  const SLOW = Math.max(...LATENCIES);
  const at = (mode: Mode, latency: number, read: Read) => goals.find((g) => g.mode === mode && g.latency === latency && g.read === read);
  const cell = (x: number | undefined, ok: (x: number) => boolean) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${x.toFixed(2)} ${ok(x) ? '✓' : '✗'}`);
  const rows: (string | number)[][] = [];
  for (const mode of MODES) {
    for (const read of READS) {
      const z = at(mode, FAST, read);
      // Latency goals need a slow upstream: with only 0 ms they stay n/a.
      const f = SLOW > 0 ? at(mode, SLOW, read) : undefined;
      const rss = rssGrowth.filter((r) => r.mode === mode);
      const worst = rss.length ? Math.max(...rss.map((r) => r.ratio)) : undefined;
      rows.push([
        mode,
        read,
        cell(z?.gbRps, (x) => x >= 1),
        cell(f?.gbP50, (x) => x <= 1),
        cell(f?.gbP99, (x) => x <= 1.1),
        cell(f?.gdP50, (x) => x <= 1.05),
        `${cell(worst, (x) => x <= 1.1)}${rss.some((r) => !r.reached) ? ` (baseline before ${REQUESTS} requests)` : ''}`,
        z ? `${z.cpuG.toFixed(3)} / ${z.cpuB.toFixed(3)}` : 'n/a',
      ]);
    }
  }
  if (MODES.includes('compiled') && MODES.includes('start')) {
    for (const read of READS) {
      // Each mode ran at its own time: compare them through B, which ran in the same rounds as each.
      const c = at('compiled', FAST, read);
      const s = at('start', FAST, read);
      if (c && s) rows.push(['npm start ÷ compiled', read, (s.gbRps / c.gbRps).toFixed(2), '', '', '', '', `G/B CPU: ${(s.gbCpu / c.gbCpu).toFixed(2)}`]);
    }
  }
  table(
    `Issue 12 goals (medians of per-round ratios; ${os.cpus().length} cores shared by all processes)`,
    [
      'launch',
      'read',
      `G/B requests/s at ${FAST} ms (≥ 1.0)`,
      `G/B p50 at ${SLOW} ms (≤ 1.00)`,
      `G/B p99 at ${SLOW} ms (≤ 1.10)`,
      `G/D p50 at ${SLOW} ms (≤ 1.05)`,
      'RSS end ÷ after first requests (≤ 1.10)',
      `CPU ms / request at ${FAST} ms, G / B`,
    ],
    rows,
  );
}

process.stdout.write(`# npm run bench — ${new Date().toISOString()}, Node ${process.version}, ${os.cpus().length} CPU cores\n`);
if (part('calls')) {
  const h = await startHarness({ env: { LOG_LEVEL: 'warn' } });
  try {
    await h.connect('bench');
    await calls(h, await h.client('bench'));
    await refreshes(h);
  } finally {
    await h.close();
  }
}
if (part('schema')) await schemaBuild();
if (part('typed')) await typedVsGeneric();
if (part('contenders')) {
  for (const mode of MODES) for (const latency of LATENCIES) await contenders(mode, latency);
  goalsTable();
}
if (part('instances')) {
  await instances(0);
  await instances(100);
}
if (part('export')) await exportBench();
