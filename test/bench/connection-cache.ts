/**
 * `npx tsx test/bench/connection-cache.ts [--seconds N] [--connections N] [--rounds N]`: requests/s
 * and Redis commands per request of a one-record read, with the connection cache off
 * (CONNECTION_CACHE_TTL=0) and on (default 30 s), alternating A/B rounds. The gateway runs from
 * source (tsx) against its own throw-away redis-server (so INFO commandstats counts the gateway's
 * commands only) and the emulator process. Timings depend on the machine and its load; the
 * command counts do not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { GraphQLClient } from 'graphql-request';
import { Redis } from 'ioredis';
import { mintDevToken } from '../../src/auth/mint.js';
import { DEFAULT_CLIENT } from '../../src/emulator/emulator.js';
import { COMPLETE_CONNECT, ticketOf } from '../helpers/gateway.js';
import { freePort } from '../helpers/net.js';
import { cpuMsOf, JWT_SECRET, startEmulatorProcess, startGatewayProcess, type Proc } from './processes.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '4' }, connections: { type: 'string', default: '10' }, rounds: { type: 'string', default: '2' } } });
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const ROUNDS = Number(values.rounds);

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

async function startRedis(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    c.on('error', () => undefined);
    const ok = await c.connect().then(
      () => c.ping().then(() => true),
      () => false,
    );
    c.disconnect();
    if (ok) return { url, child };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('redis-server did not start');
}

async function recordId(emulatorUrl: string): Promise<string> {
  const auth = new URL('/oauth/v2/auth', emulatorUrl);
  for (const [k, v] of Object.entries({ client_id: DEFAULT_CLIENT.clientId, response_type: 'code', scope: 'ZohoCRM.modules.ALL', redirect_uri: 'http://127.0.0.1/cb', access_type: 'offline' }))
    auth.searchParams.set(k, v);
  const code = new URL((await fetch(auth, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
  const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret, redirect_uri: 'http://127.0.0.1/cb', code });
  const { access_token } = (await (await fetch(new URL('/oauth/v2/token', emulatorUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).json()) as {
    access_token: string;
  };
  const res = (await (await fetch(`${emulatorUrl}/crm/v8/Deals?fields=Deal_Name&per_page=1`, { headers: { authorization: `Zoho-oauthtoken ${access_token}` } })).json()) as { data: { id: string }[] };
  return res.data[0]!.id;
}

async function connect(gatewayUrl: string, token: string): Promise<void> {
  const client = new GraphQLClient(`${gatewayUrl}/graphql`, { headers: { authorization: `Bearer ${token}` } });
  const { startZohoConnect } = await client.request<{ startZohoConnect: { authorizeUrl: string } }>('mutation { startZohoConnect(dc: "us") { authorizeUrl } }');
  const consent = await fetch(startZohoConnect.authorizeUrl, { redirect: 'manual' });
  const done = await fetch(consent.headers.get('location')!, { redirect: 'manual' });
  const ticket = ticketOf({ location: undefined, body: await done.text() });
  if (!ticket) throw new Error('connect failed');
  await client.request(COMPLETE_CONNECT, { ticket });
}

async function commandStats(url: string): Promise<{ total: number; get: number }> {
  const c = new Redis(url);
  const info = await c.info('commandstats');
  c.disconnect();
  let total = 0;
  let get = 0;
  for (const m of info.matchAll(/^cmdstat_(\w+(?:\|\w+)?):calls=(\d+)/gm)) {
    if (m[1] === 'info' || m[1] === 'config|resetstat' || m[1] === 'hello' || m[1] === 'client|setname') continue;
    total += Number(m[2]);
    if (m[1] === 'get') get += Number(m[2]);
  }
  return { total, get };
}

async function resetStats(url: string): Promise<void> {
  const c = new Redis(url);
  await c.config('RESETSTAT');
  c.disconnect();
}

const redis = await startRedis();
const emulator = await startEmulatorProcess('us', 0);
const rows: (string | number)[][] = [];
try {
  const id = await recordId(emulator.url);
  for (let round = 0; round < ROUNDS; round++) {
    for (const ttl of ['0', '30']) {
      let gateway: Proc | undefined;
      try {
        gateway = await startGatewayProcess(emulator.url, redis.url, { fromSource: true, maxConcurrency: CONNECTIONS, env: { CONNECTION_CACHE_TTL: ttl } });
        const token = await mintDevToken({ secret: JWT_SECRET, tenant: `bench-${round}-${ttl}`, subject: 'bench', scope: 'zoho:connect records:read' });
        await connect(gateway.url, token);
        const read = {
          url: `${gateway.url}/graphql`,
          method: 'POST' as const,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: `{ record(module: "Deals", id: "${id}") { id name: field(name: "Deal_Name") } }` }),
          connections: CONNECTIONS,
        };
        await run({ ...read, amount: 1_000 }); // warm-up
        await resetStats(redis.url);
        const cpu = cpuMsOf(gateway.pid);
        const r = await run({ ...read, duration: SECONDS });
        const cpuMs = cpuMsOf(gateway.pid) - cpu;
        const stats = await commandStats(redis.url);
        const n = r.requests.total;
        rows.push([
          round + 1,
          ttl === '0' ? 'off (TTL=0)' : 'on (TTL=30 s)',
          Math.round(r.requests.average),
          r.latency.average,
          r.latency.p99,
          (cpuMs / n).toFixed(3),
          (stats.total / n).toFixed(3),
          (stats.get / n).toFixed(3),
          r.non2xx + r.errors,
        ]);
      } finally {
        await gateway?.stop();
      }
    }
  }
} finally {
  await emulator.stop();
  redis.child.kill('SIGKILL');
}
console.log(`\nOne-record read, ${CONNECTIONS} connections, ${SECONDS} s per run, gateway from source (tsx), own redis-server, emulator ~0 ms\n`);
console.log('| round | connection cache | requests/s | mean ms | p99 ms | gateway CPU ms/request | Redis commands/request | Redis GETs/request | non-2xx or errors |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
