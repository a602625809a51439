import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.js';

/** `npm run emulator -- --dc eu --port 4100 [--latency ms]`: one emulated Zoho data centre, until Ctrl-C. */
const { values } = parseArgs({
  options: {
    dc: { type: 'string', default: 'us' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    latency: { type: 'string', default: '0' },
  },
});
const emu = await startEmulator({ dc: values.dc, port: Number(values.port), host: values.host });
// `--latency 120`: every CRM answer waits that long (ms), like a real Zoho round trip.
if (Number(values.latency) > 0) emu.faults.latency(Number(values.latency), { match: /^[A-Z]+ \/crm\// });
process.stdout.write(`Zoho emulator (${emu.dc}) on ${emu.url}: accounts server and API domain\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void emu.close().then(() => process.exit(0)));
