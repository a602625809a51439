import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.js';

/** `npm run emulator -- --dc eu --port 4100`: one emulated Zoho data centre, until Ctrl-C. */
const { values } = parseArgs({
  options: {
    dc: { type: 'string', default: 'us' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const emu = await startEmulator({ dc: values.dc, port: Number(values.port), host: values.host });
process.stdout.write(`Zoho emulator (${emu.dc}) on ${emu.url}: accounts server and API domain\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void emu.close().then(() => process.exit(0)));
