import { GraphQLError } from 'graphql';

/**
 * Every error a caller can see has one of these stable codes in `extensions.code`; clients
 * `switch` on it. Messages are for humans and may change; codes do not.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'ZOHO_NOT_CONNECTED'
  | 'ZOHO_RECONNECT_REQUIRED'
  | 'ZOHO_OAUTH_ERROR'
  | 'ZOHO_UNAVAILABLE'
  | 'ZOHO_RATE_LIMITED'
  | 'ZOHO_INVALID_MODULE'
  | 'ZOHO_NO_PERMISSION'
  | 'ZOHO_SCOPE_MISSING'
  | 'ZOHO_ERROR'
  | 'INTERNAL';

/** HTTP status a transport should use when this error ends a request before execution. */
const HTTP_STATUS: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, FORBIDDEN: 403 };

/**
 * The gateway's one error type. It is a GraphQLError, so Yoga shows it to the caller as is
 * (unexpected errors are masked); `details` land in `extensions` beside `code`. Never put a
 * token, secret or authorization code in a message or detail.
 */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options: { cause?: unknown } = {}) {
    const status = HTTP_STATUS[code];
    super(message, {
      extensions: { code, ...details, ...(status ? { http: { status } } : {}) },
      ...(options.cause instanceof Error ? { originalError: options.cause } : {}),
    });
    this.name = 'GatewayError';
    this.code = code;
    this.details = details;
  }
}

export function isGatewayError(err: unknown, code?: ErrorCode): err is GatewayError {
  return err instanceof GatewayError && (code === undefined || err.code === code);
}
