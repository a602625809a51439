import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Anything that may hold a secret is redacted by key wherever it appears,
 * so a careless `log.info({ connection })` cannot leak a token: the redaction list is the
 * safety net, not a licence to log secrets.
 *
 * Keys only ever used for secrets are listed; `code` is not, because error codes
 * (`code: 'ZOHO_RATE_LIMITED'`, `err.code`) are what an operator reads first. The OAuth grant
 * code, state and connect ticket travel in URLs and form bodies instead, so those are covered by
 * the names they have there (`grantCode`, `code_verifier`, …) and by the URL scrub below.
 */
export const REDACTED_KEYS = [
  'authorization',
  'Authorization',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'grantCode',
  'authorizationCode',
  'codeVerifier',
  'code_verifier',
  'state',
  'ticket',
  'token',
  'password',
  'secret',
];

/** Query parameters whose values are one-time credentials of the connect flow. */
const SECRET_PARAMS = /([?&](?:code|state|ticket|code_verifier)=)[^&#\s"']*/g;

/** `text` with the values of SECRET_PARAMS replaced, e.g. a callback URL `…?code=[redacted]&state=[redacted]`. */
export function scrubUrlSecrets(text: string): string {
  return text.includes('=') ? text.replace(SECRET_PARAMS, '$1[redacted]') : text;
}

/**
 * Scrubs string values at the depths the key redaction covers (top level and two below), so a
 * URL logged under any name (`url`, `location`, an error message) never carries a grant code.
 */
function scrubObject(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, inner] of Object.entries(value)) {
    let next = inner;
    if (typeof inner === 'string') next = scrubUrlSecrets(inner);
    // Errors keep their class for pino's serializer; their fields are its business.
    else if (depth < 2 && isPlainRecord(inner)) {
      next = scrubObject(inner, depth + 1);
    }
    if (next !== inner) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'zoho-graphql-gateway' },
      redact: { paths, censor: '[redacted]' },
      formatters: { log: (object) => scrubObject(object, 0) },
      hooks: {
        // The message is the one string the formatter does not see.
        logMethod(args, method) {
          const last = args.length - 1;
          if (typeof args[last] === 'string') args[last] = scrubUrlSecrets(args[last] as string);
          return method.apply(this, args);
        },
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? process.stdout,
  );
}
