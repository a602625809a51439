/**
 * `npm run keys:rotate [-- --migrate-v1] [-- --namespace <ns>]`
 *
 * Re-seals every stored secret under TOKEN_ENCRYPTION_KEY (see key-rotation.ts for the procedure),
 * reading older values with the keys in TOKEN_ENCRYPTION_KEYS. With `--migrate-v1`, also the
 * one-time upgrade step that migrates secrets sealed before they were bound to their record
 * (`v1`), which the gateway refuses to open; without it they count as failed. Give it the gateway's own environment (STORE_URL, TOKEN_ENCRYPTION_KEY,
 * TOKEN_ENCRYPTION_KEYS, and ZOHO_DATA_CENTERS if set: connections are checked against the DC
 * table before they are re-sealed). Prints one line of counts
 * per kind to stdout and never a secret; exits 1 when anything failed (details in the log on
 * stderr), so a deploy script can wait for a clean run before dropping the old key.
 */
import { errorMessage } from '../errors.js';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { createLogger } from '../log.js';
import { createStore } from '../store/index.js';
import { rotateSecrets } from './key-rotation.js';

const USAGE = `usage: npm run keys:rotate [-- [--migrate-v1] [--namespace <ns>]]

  --migrate-v1  also migrate secrets sealed before they were bound to their record (v1), which the
                gateway refuses to open: once, right after upgrading. Without it they count as failed.
  --namespace   the store namespace the gateway uses (tests only; production has none)

Reads STORE_URL, TOKEN_ENCRYPTION_KEY, TOKEN_ENCRYPTION_KEYS and ZOHO_DATA_CENTERS from the environment, like the gateway.`;

function fail(message: string, exitCode: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(exitCode);
}

function options(): { namespace?: string; migrateLegacy: boolean } {
  try {
    const { values } = parseArgs({ options: { namespace: { type: 'string' }, 'migrate-v1': { type: 'boolean' }, help: { type: 'boolean' } }, strict: true });
    if (values.help) fail(USAGE, 0);
    return { migrateLegacy: values['migrate-v1'] === true, ...(values.namespace === undefined ? {} : { namespace: values.namespace }) };
  } catch (error) {
    fail(`${errorMessage(error)}\n\n${USAGE}`, 2);
  }
}

function config(): Config {
  let loaded: Config;
  try {
    loaded = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 1);
    throw error;
  }
  // In demo mode a missing key is made up at random per load; two loads tell a made-up key from a
  // set one. Rotating to a random key would make every stored secret unreadable.
  if (loaded.demo && loaded.tokenEncryption.keyId !== loadConfig().tokenEncryption.keyId) {
    fail('TOKEN_ENCRYPTION_KEY is not set: set it (and the old key in TOKEN_ENCRYPTION_KEYS) to what the gateway uses.', 1);
  }
  return loaded;
}

const opts = options();
const cfg = config();
if (cfg.store.kind === 'memory') {
  fail('STORE_URL is memory://: that store lives inside the gateway process, so there is nothing here to rotate.', 1);
}
// The log goes to stderr, so stdout carries only the counts.
const log = createLogger({ level: cfg.logLevel, destination: process.stderr });
const store = createStore(cfg.store.url, opts.namespace === undefined ? {} : { namespace: opts.namespace });
try {
  const report = await rotateSecrets({ store, key: cfg.tokenEncryption, retiredKeys: cfg.tokenEncryption.retiredKeys, dataCentres: cfg.zoho.dataCentres, log, migrateLegacy: opts.migrateLegacy });
  let failed = 0;
  for (const [kind, c] of Object.entries(report)) {
    process.stdout.write(`${kind}: ${c.reEncrypted} re-encrypted, ${c.alreadyCurrent} already current, ${c.failed} failed\n`);
    failed += c.failed;
  }
  process.stdout.write(`current key id: ${cfg.tokenEncryption.keyId}\n`);
  process.exitCode = failed > 0 ? 1 : 0;
} finally {
  await store.close();
}
// The Redis adapter's connect timer outlives the connection by seconds; nothing is left to do.
process.stdout.write('', () => process.exit());
