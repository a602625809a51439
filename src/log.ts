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
 * the names they have there (`grantCode`, `code_verifier`, …) and by the parameter scrub below,
 * which reads every string a line prints: fields at any depth, arrays, error messages and stacks.
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

/** Parameters whose values are one-time credentials of the connect flow. */
const SECRET_PARAMS = /(^|[?&\s"'])(code|state|ticket|code_verifier)=[^&#\s"']*/g;

/**
 * `text` with the values of SECRET_PARAMS replaced wherever they appear as a parameter: in a URL
 * (`…?code=[redacted]&state=[redacted]`), a form body (`code=[redacted]&grant_type=…`) or prose
 * quoting either. A bare `code: 'ZOHO_RATE_LIMITED'` has no `=` and stays readable.
 */
export function scrubUrlSecrets(text: string): string {
  // Most log strings have no `=`: they cost one scan, no regex.
  return text.includes('=') ? text.replace(SECRET_PARAMS, '$1$2=[redacted]') : text;
}

/**
 * Levels below the merging object (its fields are level 1). pino prints a field's value five
 * levels deep and `"[Object]"` below (its default depthLimit), so nothing deeper reaches a log.
 */
const MAX_DEPTH = 6;

/** The prototype of pino's serialized errors, so nested serialized errors are walked too. */
const SERIALIZED_ERROR_PROTO: unknown = Object.getPrototypeOf(pino.stdSerializers.err(new Error('probe')));

/**
 * `value` with every string in it scrubbed, copied only along the paths that changed: the
 * caller's objects are never mutated and an unchanged value comes back as the same reference.
 */
function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubUrlSecrets(value);
  if (typeof value !== 'object' || value === null) return value;
  // What JSON shows of a URL, a GraphQLError or a Date is its toJSON(): scrub that form.
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const shown: unknown = toJSON.call(value);
    const next = shown === value ? value : scrubValue(shown, depth);
    return next === shown ? value : next;
  }
  if (depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((inner, i) => {
      const next = scrubValue(inner, depth + 1);
      if (next !== inner) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (!isWalkable(value)) return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, inner] of Object.entries(value)) {
    const next = scrubValue(inner, depth + 1);
    // The spread keeps what JSON would show of an Error (its own enumerable fields).
    if (next !== inner) (out ??= { ...value })[key] = next;
  }
  return out ?? value;
}

/** Plain records, Errors (their enumerable fields: a `url`, a `body`) and pino's serialized errors. */
function isWalkable(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || proto === SERIALIZED_ERROR_PROTO || value instanceof Error;
}

/**
 * The merging object, scrubbed. `err` is left for its serializer, which needs the Error itself
 * (message and stack are not enumerable); errorSerializer scrubs what it makes of it.
 */
function scrubMergingObject(object: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, inner] of Object.entries(object)) {
    if (key === 'err') continue;
    const next = scrubValue(inner, 1);
    if (next !== inner) (out ??= { ...object })[key] = next;
  }
  return out ?? object;
}

/**
 * pino's error serializer (type, message and stack including those of its causes, enumerable
 * fields, nested errors serialized alike), then scrubbed: an error message quoting a callback
 * URL or a token request's form body is the likeliest way a grant code reaches a log.
 */
function errorSerializer(err: unknown): unknown {
  return scrubValue(pino.stdSerializers.err(err as Error), 0);
}

/**
 * What the asynchronous destination gathers before it writes: one write per ~4 KiB (a few dozen
 * access lines) instead of one per line, which cost a syscall's worth of CPU per request on the
 * hot path. Not 0: with 0 sonic-boom's flush(cb) answers before the write in flight has
 * finished, and an exit right after could reorder or lose the last lines.
 */
const LOG_BUFFER_BYTES = 4096;
/** At low traffic the buffer may not fill: what it holds is written at least this often. */
const LOG_FLUSH_MS = 1000;

/**
 * pino's `time` field as pino.stdTimeFunctions.isoTime writes it (`,"time":"2026-12-06T13:47:22.507Z"`),
 * for the instant `ms`. Formatting a Date per line was the dearest part of the access line; the
 * text up to the second changes once a second, so only the milliseconds are formatted per line.
 */
export function isoTimeField(): (ms: number) => string {
  let second = Number.NaN;
  let prefix = '';
  return (ms) => {
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      second = s;
      prefix = `,"time":"${new Date(s * 1000).toISOString().slice(0, 19)}.`;
    }
    const rest = ms - s * 1000;
    return `${prefix}${rest < 10 ? '00' : rest < 100 ? '0' : ''}${rest}Z"`;
  };
}

/**
 * The logger. Without a `destination` it writes to stdout through pino's asynchronous destination
 * (sonic-boom, `sync: false`): a line is appended to a buffer, written by the event loop once it
 * holds LOG_BUFFER_BYTES or every LOG_FLUSH_MS, whichever comes first, so logging never blocks a
 * request on the pipe or file behind stdout. What is buffered is written on `flushLogs` (graceful stop) and, synchronously, on the process's `exit` event
 * (pino registers that itself: process.exit and an uncaught exception both emit it), so a stop
 * loses no line. A SIGKILL loses what the buffer held, as it would lose the in-flight requests.
 */
export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  const paths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  const time = isoTimeField();
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'zoho-graphql-gateway' },
      redact: { paths, censor: '[redacted]' },
      formatters: { log: scrubMergingObject },
      serializers: {
        err: errorSerializer,
        // pino passes the message through the serializer named after its message key; unlike a
        // logMethod hook this also sees a message pino took from `err.message` or formatted from args.
        msg: (msg: unknown) => (typeof msg === 'string' ? scrubUrlSecrets(msg) : msg),
      },
      timestamp: () => time(Date.now()),
    },
    options.destination ?? pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS }),
  );
}

/**
 * A logger made by `make` on first use. It stands in wherever a Logger is expected (a call, a
 * level check, a child), and costs one small object until then: for the per-request logger that
 * most requests never use (a pino child costs a few µs).
 */
export function lazyLogger(make: () => Logger): Logger {
  let made: Logger | undefined;
  return new Proxy({} as Logger, {
    get(_, key) {
      made ??= make();
      const value: unknown = Reflect.get(made, key, made);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(made) : value;
    },
    has: (_, key) => Reflect.has((made ??= make()), key),
  });
}

/** Writes out what the logger has buffered (a no-op for a synchronous destination). */
export function flushLogs(log: Logger): Promise<void> {
  return new Promise((resolve) => log.flush(() => resolve()));
}

/** One line of the access log: one per GraphQL operation (http/yoga.ts). */
export interface AccessLine {
  requestId: string;
  /** The verified caller's tenant; absent when the request was refused before that. */
  tenantId: string | undefined;
  /** The operation's name (from the document, else the request's `operationName`), or null. */
  operation: string | null;
  /** `ok` or the first error's code. */
  outcome: string;
  ms: number;
  zoho: { calls: number; credits: number };
}

/** What a GraphQL name looks like: such a string holds no `=`, so it has no parameter to scrub. */
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * The access log. Its line is the most frequent one (every operation), and the key redaction and
 * the scrub walk above cost more than the rest of writing it, so it goes through a child without
 * them: its fields are a fixed set of keys (no secret-named one), numbers, and strings scrubbed
 * here by the same rule (scrubUrlSecrets), so what it prints is what the full path would print.
 */
export function accessLogger(log: Logger): (line: AccessLine) => void {
  const plain = log.child({}, { redact: [], formatters: { log: (o: object) => o } });
  const text = (s: string) => (GRAPHQL_NAME.test(s) ? s : scrubUrlSecrets(s));
  return (line) => {
    if (!plain.isLevelEnabled('info')) return;
    plain.info(
      {
        requestId: text(line.requestId),
        tenantId: line.tenantId === undefined ? undefined : text(line.tenantId),
        operation: line.operation === null ? null : text(line.operation),
        outcome: text(line.outcome),
        ms: line.ms,
        zoho: { calls: line.zoho.calls, credits: line.zoho.credits },
      },
      'graphql operation',
    );
  };
}
