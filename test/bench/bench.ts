/**
 * `npm run bench`: what the gateway costs, against the Zoho emulator on loopback and the real
 * Redis. Prints one markdown table per part. Options: `--seconds N` per latency run (default 5),
 * `--connections N` (default 10; the instance comparison uses twice as many), `--requests N` for
 * the memory run (default 20000); typed vs generic: `--tenants N` (4), `--clients N` (32),
 * `--rounds N` (10 A/B rounds) of `--ab-seconds N` (3) per side; `--only schema,typed` runs just
 * those parts (calls, schema, typed, latency, instances).
 *
 * Timings depend on the machine; call and refresh counts do not (the tests assert those). The
 * latency and memory parts run the compiled gateway (`dist/`), as production does.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { GraphQLClient } from 'graphql-request';
import { request } from 'undici';
import { DealsWithOwnerAndAccountDocument, ModulesAndFieldsDocument } from '../gql/graphql.js';
import { mintDevToken } from '../../src/auth/mint.js';
import { DEFAULT_CLIENT } from '../../src/sandbox/emulator.js';
import { COMPLETE_CONNECT, REDIS_URL, startHarness, ticketOf, type Harness } from '../helpers/gateway.js';
import { cpuMsOf, JWT_SECRET, rssOf, startEmulatorProcess, startGatewayProcess } from './processes.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    requests: { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '10' },
    'ab-seconds': { type: 'string', default: '3' },
    clients: { type: 'string', default: '32' },
    tenants: { type: 'string', default: '4' },
    only: { type: 'string' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const REQUESTS = Number(values.requests);
const ROUNDS = Number(values.rounds);
const AB_SECONDS = Number(values['ab-seconds']);
const CLIENTS = Number(values.clients);
const TENANTS = Number(values.tenants);
/** `--only schema,typed`: run just those parts (schema, typed, calls, latency, instances). */
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
  table('Upstream Zoho calls: 200 Deals with owner email and account name', ['client', 'Zoho calls'], [
    ['gateway (metadata cached)', warm],
    ['gateway (first query, metadata cold)', cold],
    [`lower bound (1 list + ceil(${distinct} accounts / 100))`, lowerBound],
    ['naive client (one call per lookup)', naive],
  ]);
}

async function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** An access token straight from the emulator's OAuth endpoints, for the direct-call baseline. */
async function directToken(emulatorUrl: string): Promise<string> {
  const auth = new URL('/oauth/v2/auth', emulatorUrl);
  for (const [k, v] of Object.entries({ client_id: DEFAULT_CLIENT.clientId, response_type: 'code', scope: 'ZohoCRM.modules.ALL', redirect_uri: 'http://127.0.0.1/cb', access_type: 'offline' })) auth.searchParams.set(k, v);
  const code = new URL((await fetch(auth, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
  const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret, redirect_uri: 'http://127.0.0.1/cb', code });
  const res = (await (await fetch(new URL('/oauth/v2/token', emulatorUrl), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })).json()) as { access_token: string };
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

async function separateProcesses(latencyMs: number, withMemory: boolean) {
  const emulator = await startEmulatorProcess('us', latencyMs);
  // The per-connection cap (default 5, Zoho's Free edition) would queue the load generator's
  // connections; set it to their number so the table shows the gateway's own cost.
  const gateway = await startGatewayProcess(emulator.url, REDIS_URL, { maxConcurrency: CONNECTIONS });
  try {
    const token = await mintDevToken({ secret: JWT_SECRET, tenant: 'bench', subject: 'bench', scope: 'zoho:connect records:read' });
    await connectThroughGateway(gateway.url, emulator.url, token);
    const zohoToken = await directToken(emulator.url);
    const ids = (
      (await (await fetch(`${emulator.url}/crm/v8/Deals?fields=Deal_Name&per_page=2`, { headers: { authorization: `Zoho-oauthtoken ${zohoToken}` } })).json()) as {
        data: { id: string }[];
      }
    ).data.map((d) => d.id);
    const id = ids[0]!;
    const graphql = {
      url: `${gateway.url}/graphql`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: `{ record(module: "Deals", id: "${id}") { id name: field(name: "Deal_Name") } }` }),
      connections: CONNECTIONS,
    };
    const direct = { url: `${emulator.url}/crm/v8/Deals?ids=${id}&fields=Deal_Name`, headers: { authorization: `Zoho-oauthtoken ${zohoToken}` }, connections: CONNECTIONS };

    // Warm-up (JIT, keep-alive pools, caches) before anything is measured.
    const warm = latencyMs ? 200 : 2_000;
    await run({ ...direct, amount: warm });
    await run({ ...graphql, amount: warm });
    const d = await run({ ...direct, duration: SECONDS });
    const g = await run({ ...graphql, duration: SECONDS });
    const bad = g.non2xx + g.errors + d.non2xx + d.errors;
    table(`Latency of one record read, emulator answering in ${latencyMs ? `${latencyMs} ms (a realistic Zoho round trip)` : '~0 ms (pure gateway overhead)'} (${CONNECTIONS} connections, ZOHO_MAX_CONCURRENCY=${CONNECTIONS}, ${SECONDS} s each; non-2xx or errors: ${bad})`, ['path', 'mean ms', 'p50 ms', 'p99 ms', 'requests/s'], [
      ['direct Zoho call (HTTP → emulator)', d.latency.average, d.latency.p50, d.latency.p99, Math.round(d.requests.average)],
      ['through the gateway (GraphQL → emulator)', g.latency.average, g.latency.p50, g.latency.p99, Math.round(g.requests.average)],
      ['gateway ÷ direct', (g.latency.average / d.latency.average).toFixed(2), '', '', (g.requests.average / d.requests.average).toFixed(2)],
      ['gateway − direct (ms added per request)', (g.latency.average - d.latency.average).toFixed(2), g.latency.p50 - d.latency.p50, g.latency.p99 - d.latency.p99, ''],
    ]);

    if (!withMemory) return;
    const before = rssOf(gateway.pid);
    const result = await run({ ...graphql, amount: REQUESTS });
    const after = rssOf(gateway.pid);
    table('Memory of the gateway process (RSS)', ['requests', 'RSS before MiB', 'RSS after MiB', 'growth MiB', 'non-2xx'], [
      [REQUESTS, before, after, (after - before).toFixed(1), result.non2xx + result.errors],
    ]);
  } finally {
    await gateway.stop();
    await emulator.stop();
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
    const id = ((await (await fetch(`${emulator.url}/crm/v8/Deals?fields=Deal_Name&per_page=1`, { headers: { authorization: `Zoho-oauthtoken ${zohoToken}` } })).json()) as { data: { id: string }[] }).data[0]!.id;
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
      const mean = results.reduce((sum, r) => sum + r.latency.average * r.requests.total, 0) / Math.max(1, results.reduce((sum, r) => sum + r.requests.total, 0));
      const bad = results.reduce((sum, r) => sum + r.non2xx + r.errors, 0);
      rows.push([label, gateways.length * per, Math.round(rps), mean.toFixed(2), Math.max(...results.map((r) => r.latency.p99)), bad]);
      return rps;
    };
    const one = await measure('1 instance');
    gateways.push(await startGatewayProcess(emulator.url, REDIS_URL, { maxConcurrency: CONNECTIONS * 2, env }));
    const two = await measure('2 instances, same Redis, load split evenly');
    rows.push(['2 ÷ 1', '', (two / one).toFixed(2), '', '', '']);
    table(`Throughput of one record read, 1 vs 2 gateway instances, emulator answering in ${latencyMs ? `${latencyMs} ms` : '~0 ms'} (${SECONDS} s each; ${os.cpus().length} CPU cores shared by load generator, gateways, emulator and Redis)`, ['setup', 'connections', 'requests/s', 'mean ms', 'p99 ms', 'non-2xx or errors'], rows);
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
    const id = ((await (await fetch(`${emulator.url}/crm/v8/Deals?fields=Deal_Name&per_page=1`, { headers: { authorization: `Zoho-oauthtoken ${zohoToken}` } })).json()) as { data: { id: string }[] }).data[0]!.id;
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
        return [sc.name, `${v}: \`${query.replace(id, '…').replace(/\s+/g, ' ').slice(0, 90)}${query.length > 90 ? '…' : ''}\``, Math.round(mean(rs.map((x) => x.requests.average))), mean(rs.map((x) => x.latency.average)).toFixed(2), median(rs.map((x) => x.latency.p99)), median(cpu[v]).toFixed(3), calls[v], `${bad} / ${tally[v].generic}`];
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
if (part('latency')) {
  await separateProcesses(0, true);
  await separateProcesses(100, false);
}
if (part('instances')) {
  await instances(0);
  await instances(100);
}
