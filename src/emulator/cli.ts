import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.js';

/**
 * `npm run emulator -- --dc eu --port 4100 [--latency ms] [--token-latency ms] [--token-ttl s] [--max-concurrency n] [--max-sub-concurrency n] [--max-credits-per-day n] [--search-index-lag ms] [--leads n] [--bulk-per-page n]`:
 * one emulated Zoho data centre, until Ctrl-C.
 */
const { values } = parseArgs({
  options: {
    dc: { type: 'string', default: 'us' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    latency: { type: 'string', default: '0' },
    'token-latency': { type: 'string', default: '0' },
    'token-ttl': { type: 'string' },
    'max-concurrency': { type: 'string' },
    'max-sub-concurrency': { type: 'string' },
    leads: { type: 'string' },
    'bulk-per-page': { type: 'string' },
    'max-credits-per-day': { type: 'string' },
    'search-index-lag': { type: 'string' },
  },
});
// `--token-ttl 200`: access tokens live that long (s) instead of Zoho's 3600, so a separate
// gateway process meets an expiry without a test having to reach into this process.
const ttl = values['token-ttl'] === undefined ? undefined : Number(values['token-ttl']);
// `--max-concurrency 5`: the org's concurrency limit (Zoho Free edition: 5); calls over it get 429.
// `--max-sub-concurrency 10`: the same for heavy calls (COQL, convert, writes of >10 records).
const maxConcurrency = values['max-concurrency'] === undefined ? undefined : Number(values['max-concurrency']);
const maxSubConcurrency = values['max-sub-concurrency'] === undefined ? undefined : Number(values['max-sub-concurrency']);
// `--max-credits-per-day 5000`: the org's API credits per rolling 24 hours (Zoho Free edition: 5,000).
const maxCreditsPerDay = values['max-credits-per-day'] === undefined ? undefined : Number(values['max-credits-per-day']);
// `--search-index-lag 2000`: a created or edited record is found by the Search API that much later (ms).
const searchIndexLagMs = values['search-index-lag'] === undefined ? undefined : Number(values['search-index-lag']);
const emu = await startEmulator({
  dc: values.dc,
  port: Number(values.port),
  host: values.host,
  ...(ttl ? { accessTokenTtlSeconds: ttl } : {}),
  ...(maxConcurrency ? { maxConcurrency } : {}),
  ...(maxSubConcurrency ? { maxSubConcurrency } : {}),
  // `--leads 100000`: seed that many Leads (the export bench); `--bulk-per-page n`: bulk read pages of n records.
  ...(values.leads ? { seed: { leads: Number(values.leads) } } : {}),
  ...(values['bulk-per-page'] ? { bulkRead: { perPage: Number(values['bulk-per-page']) } } : {}),
  ...(searchIndexLagMs !== undefined && Number.isFinite(searchIndexLagMs) ? { searchIndexLagMs } : {}),
  ...(maxCreditsPerDay !== undefined && Number.isFinite(maxCreditsPerDay) ? { maxCreditsPerDay } : {}),
});
// `--latency 120`: every CRM answer waits that long (ms), like a real Zoho round trip.
if (Number(values.latency) > 0) emu.faults.latency(Number(values.latency), { match: /^[A-Z]+ \/crm\// });
// `--token-latency 3000`: refreshes answer that late (ms), which leaves a window to
// kill a gateway in the middle of a refresh.
const refreshGrant = (req: { route: string; body: string }) => req.route === 'POST /oauth/v2/token' && new URLSearchParams(req.body).get('grant_type') === 'refresh_token';
if (Number(values['token-latency']) > 0) emu.faults.latency(Number(values['token-latency']), { match: refreshGrant });
process.stdout.write(`Zoho emulator (${emu.dc}) on ${emu.url}: accounts server and API domain\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void emu.close().then(() => process.exit(0)));
