#!/usr/bin/env node
/**
 * `node bin/cli.mjs <name> [args…]`: runs one of the gateway's command-line tools (package.json's
 * `token`, `keys:rotate`) from source when the source is there (a checkout: through tsx, always
 * the current code) or compiled from dist/ when it is not (the Docker image, which ships dist/ and
 * no src/). `<name>` is the tool's path under src/ without extension, e.g. `auth/token-cli`.
 * Standard output, standard error and the exit code are the tool's own, so
 * `TOKEN=$(npm run -s token -- …)` works in both.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z-]+\/[a-z-]+-cli$/.test(name)) {
  process.stderr.write('usage: node bin/cli.mjs <folder>/<name>-cli [args…]\n');
  process.exit(2);
}
const source = join(root, 'src', `${name}.ts`);
const compiled = join(root, 'dist', `${name}.js`);
const argv = existsSync(source) ? ['--import', 'tsx', source, ...args] : existsSync(compiled) ? [compiled, ...args] : undefined;
if (!argv) {
  process.stderr.write(`neither ${source} nor ${compiled} exists (run npm run build)\n`);
  process.exit(2);
}
const run = spawnSync(process.execPath, argv, { stdio: 'inherit', cwd: process.cwd() });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
