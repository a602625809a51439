/**
 * `tsx test/bench/profile-load.ts`: drives the production-configured gateway (Redis store, JWT,
 * scopes, per-tenant rate limit on but never reached, access log at info) with one Deal read by
 * id, the way issue 12 measured it, and prints what one request costs the gateway: CPU ms (from
 * /proc), requests/s, latency and Redis commands per request (`INFO commandstats` delta).
 *
 * Options: `--seconds N` (20), `--connections N` (32), `--tenants N` (8), `--query record|typed|error|both`
 * (both; `error` is a resolver error, answered without a Zoho call), `--profile DIR` (run the gateway with --cpu-prof into DIR; summarise it with
 * profile-summary.ts), `--source` (run src/main.ts through tsx instead of dist/), `--redis-requests N`
 * (200: requests counted for the Redis figure, sent one at a time so nothing else runs), `--env K=V`.
 *
 * Figures depend on the machine and on what else runs on it; compare runs taken side by side.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { GraphQLClient } from 'graphql-request';
import { mintDevToken } from '../../src/auth/mint.js';
import { COMPLETE_CONNECT, REDIS_URL, ticketOf } from '../helpers/gateway.js';
import { cpuMsOf, JWT_SECRET, startEmulatorProcess, startGatewayProcess } from './processes.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    connections: { type: 'string', default: '32' },
    tenants: { type: 'string', default: '8' },
    query: { type: 'string', default: 'both' },
    profile: { type: 'string' },
    source: { type: 'boolean', default: false },
    'redis-requests': { type: 'string', default: '200' },
    'log-level': { type: 'string', default: 'info' },
    env: { type: 'string', multiple: true, default: [] },
  },
});

async function connectThroughGateway(gatewayUrl: string, token: string): Promise<void> {
  const client = new GraphQLClient(`${gatewayUrl}/graphql`, { headers: { authorization: `Bearer ${token}` } });
  const { startZohoConnect } = await client.request<{ startZohoConnect: { authorizeUrl: string } }>('mutation { startZohoConnect(dc: "us") { authorizeUrl } }');
  const consent = await fetch(startZohoConnect.authorizeUrl, { redirect: 'manual' });
  const done = await fetch(consent.headers.get('location')!, { redirect: 'manual' });
  const ticket = ticketOf({ location: undefined, body: await done.text() });
  if (!ticket) throw new Error(`connecting through the gateway failed (${done.status})`);
  await client.request(COMPLETE_CONNECT, { ticket });
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

function commandStats(): Map<string, number> {
  const out = execFileSync('redis-cli', ['-u', REDIS_URL, 'info', 'commandstats'], { encoding: 'utf8' });
  const stats = new Map<string, number>();
  for (const m of out.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) stats.set(m[1]!, Number(m[2]));
  return stats;
}

const extraEnv = Object.fromEntries((values.env ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const emulator = await startEmulatorProcess('us', 0);
const gateway = await startGatewayProcess(emulator.url, REDIS_URL, {
  maxConcurrency: Number(values.connections),
  fromSource: values.source,
  nodeArgs: values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [],
  env: { LOG_LEVEL: values['log-level']!, RATE_LIMIT_PER_MINUTE: '1000000', ...extraEnv },
});
try {
  const tokens: string[] = [];
  for (let i = 0; i < Number(values.tenants); i++) {
    const token = await mintDevToken({ secret: JWT_SECRET, tenant: `hotpath-${i + 1}`, subject: 'bench', scope: 'zoho:connect records:read' });
    await connectThroughGateway(gateway.url, token);
    tokens.push(token);
  }
  const post = async (token: string, query: string) => {
    const res = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    return { hash: res.headers.get('x-schema-hash'), body: (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] } };
  };
  for (const token of tokens) {
    for (let i = 0; ; i++) {
      const r = await post(token, '{ crm { __typename } }');
      if (r.hash && !r.body.errors) break;
      if (i > 100) throw new Error('no typed schema');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const first = await post(tokens[0]!, '{ records(module: "Deals", first: 1) { nodes { id } } }');
  const id = (first.body.data as { records: { nodes: { id: string }[] } }).records.nodes[0]!.id;
  const queries: Record<string, string> = {
    record: `{ record(module: "Deals", id: "${id}") { id name: field(name: "Deal_Name") amount: field(name: "Amount") stage: field(name: "Stage") } }`,
    typed: `{ crm { deal(id: "${id}") { id dealName amount stage } } }`,
    // A resolver error (an unknown module): graphql-js reads the error's stack, which costs more
    // with source maps on (tsx turns them on).
    error: `{ record(module: "NoSuchModule", id: "${id}") { id } }`,
  };
  const chosen = values.query === 'both' ? ['record', 'typed'] : [values.query!];
  for (const q of chosen) {
    for (const token of tokens) {
      const r = await post(token, queries[q]!);
      if (r.body.errors && q !== 'error') throw new Error(`${q}: ${JSON.stringify(r.body.errors)}`);
    }
  }
  let errors = 0;
  const target = (q: string, connections: number) => ({
    url: gateway.url,
    connections,
    requests: tokens.map((token) => ({
      method: 'POST' as const,
      path: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: queries[q] }),
      onResponse: (_status: number, body: string) => {
        if (body.includes('"errors"')) errors++;
      },
    })),
  });
  const redisRequests = Number(values['redis-requests']);
  const seconds = Number(values.seconds);
  for (const q of chosen) {
    await run({ ...target(q, Number(values.connections)), amount: 2_000 });
    // Redis commands per request: sequential requests over tenants, nothing else running.
    const before = commandStats();
    await run({ ...target(q, 1), amount: redisRequests });
    const after = commandStats();
    const perRequest = [...after].map(([cmd, n]) => [cmd, (n - (before.get(cmd) ?? 0)) / redisRequests] as const).filter(([, n]) => n > 0);
    const cpu0 = cpuMsOf(gateway.pid);
    const r = await run({ ...target(q, Number(values.connections)), duration: seconds });
    const cpu = cpuMsOf(gateway.pid) - cpu0;
    process.stdout.write(
      `${q}: ${Math.round(r.requests.average)} req/s, mean ${r.latency.average} ms, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ` +
        `CPU ${(cpu / r.requests.total).toFixed(3)} ms/request, non-2xx ${r.non2xx}, errors ${r.errors + errors}; ` +
        `Redis/request ${perRequest.map(([c, n]) => `${c} ${n.toFixed(2)}`).join(', ') || 'none'} (counted while only this ran; other Redis users add noise)\n`,
    );
  }
} finally {
  await gateway.stop();
  await emulator.stop();
}
