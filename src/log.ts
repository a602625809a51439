import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Anything that may hold a secret is redacted by key wherever it appears,
 * so a careless `log.info({ connection })` cannot leak a token: the redaction list is the
 * safety net, not a licence to log secrets.
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
  'code',
  'state',
  'ticket',
  'codeVerifier',
  'code_verifier',
  'token',
  'password',
  'secret',
];

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'zoho-graphql-gateway' },
      redact: { paths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? process.stdout,
  );
}
