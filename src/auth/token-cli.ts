/**
 * `npm run token -- --tenant acme --sub alice --scope "org:read users:read" [--cid default] [--ttl 3600]`
 *
 * Prints a development JWT for the gateway, signed with the JWT_SECRET (and carrying the
 * JWT_ISSUER / JWT_AUDIENCE) the configuration holds. Only the token goes to stdout, so
 * `TOKEN=$(npm run -s token -- …)` works; every problem goes to stderr with a non-zero exit.
 */
import { errorMessage } from '../errors.js';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config/index.js';
import { mintDevToken } from './mint.js';

const USAGE = `usage: npm run token -- --tenant <tid> --sub <subject> [--scope "<scopes>"] [--cid <connection>] [--ttl <seconds>]

  --tenant  tenant id (tid claim), required
  --sub     subject (sub claim), required
  --scope   space-separated scopes, e.g. "org:read users:read records:read:Leads"
  --cid     connection name (cid claim); the gateway uses "default" when omitted
  --ttl     lifetime in seconds (default 43200, 12 hours)

Reads JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE from the environment, like the gateway.`;

class UsageError extends Error {}

function fail(message: string, exitCode: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(exitCode);
}

/**
 * The configuration, or why a token cannot be minted from it. In demo mode with no key source
 * set, loadConfig makes up a random JWT_SECRET; a token signed with it would be useless to the
 * running gateway (which made up its own). Two loads tell a made-up secret from a set one: only a
 * random one differs between them. (This CLI may not read process.env itself; src/config does.)
 */
function jwtConfig(): Config['jwt'] & { secret: string } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 1);
    throw error;
  }
  const { jwt } = config;
  if (jwt.secret === undefined) {
    fail(
      'JWT_SECRET is not set: this gateway verifies callers with JWT_PUBLIC_KEY or JWT_JWKS_URL, so get a token from that ' +
        'identity provider, or also set JWT_SECRET (at least 32 characters) to the value the gateway uses.',
      1,
    );
  }
  if (config.demo && jwt.secret !== loadConfig().jwt.secret) {
    fail(
      'JWT_SECRET is not set. In demo mode the gateway makes up a random secret at start-up, which this command cannot ' +
        'know. Start the gateway with JWT_SECRET set (at least 32 characters) and run this command with the same value.',
      1,
    );
  }
  return { ...jwt, secret: jwt.secret };
}

function parse(argv: string[]): { tenant: string; sub: string; scope?: string; cid?: string; ttl?: number } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        tenant: { type: 'string' },
        sub: { type: 'string' },
        scope: { type: 'string' },
        cid: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (values.tenant === undefined) throw new UsageError('--tenant is required');
  if (values.sub === undefined) throw new UsageError('--sub is required');
  let ttl: number | undefined;
  if (values.ttl !== undefined) {
    ttl = /^\d+$/.test(values.ttl) ? Number(values.ttl) : NaN;
    if (!Number.isSafeInteger(ttl) || ttl <= 0) throw new UsageError('--ttl must be a positive whole number of seconds');
  }
  return {
    tenant: values.tenant,
    sub: values.sub,
    ...(values.scope !== undefined ? { scope: values.scope } : {}),
    ...(values.cid !== undefined ? { cid: values.cid } : {}),
    ...(ttl !== undefined ? { ttl } : {}),
  };
}

async function main(): Promise<void> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) fail(`${error.message}\n\n${USAGE}`, 2);
    throw error;
  }
  const jwt = jwtConfig();
  try {
    const token = await mintDevToken({
      secret: jwt.secret,
      tenant: args.tenant,
      subject: args.sub,
      ...(args.scope !== undefined ? { scope: args.scope } : {}),
      ...(args.cid !== undefined ? { connection: args.cid } : {}),
      ...(args.ttl !== undefined ? { expiresInSec: args.ttl } : {}),
      ...(jwt.issuer !== undefined ? { issuer: jwt.issuer } : {}),
      ...(jwt.audience !== undefined ? { audience: jwt.audience } : {}),
    });
    process.stdout.write(`${token}\n`);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) fail(error.message, 2);
    throw error;
  }
}

await main();
