/**
 * The HTTP side of the Zoho Accounts client: one shared keep-alive Agent with bounded timeouts,
 * and one function that sends a request and hands back parsed JSON or a ZohoNetworkError.
 */
import { errorName } from '../../errors.js';
import { Agent, request, type Dispatcher } from 'undici';
import { ZohoNetworkError, type ZohoOAuthOperation } from './errors.js';

/** TCP + TLS connect timeout, ms. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** Time to the response headers, and between body chunks, ms. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const BODY_TIMEOUT_MS = 10_000;
/** How long an idle keep-alive socket is kept, ms (Zoho's servers may close sooner; undici copes). */
const KEEP_ALIVE_MS = 30_000;

let shared: Agent | undefined;

/**
 * The process-wide Agent for Accounts calls (one keep-alive pool per accounts server). Created on
 * first use so importing this module opens nothing; it lives as long as the process, so tests and
 * the server never need to close it (its idle sockets do not keep Node alive).
 */
export function sharedAccountsAgent(): Agent {
  shared ??= new Agent({
    connect: { timeout: CONNECT_TIMEOUT_MS },
    headersTimeout: HEADERS_TIMEOUT_MS,
    bodyTimeout: BODY_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_MS,
    connections: 16,
  });
  return shared;
}

export interface AccountsRequest {
  operation: ZohoOAuthOperation;
  dispatcher: Dispatcher;
  url: URL;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Form fields, sent as application/x-www-form-urlencoded so secrets stay out of URLs and access logs. */
  form?: Record<string, string>;
  signal?: AbortSignal;
}

export interface AccountsResponse {
  status: number;
  /** The body parsed as a JSON object. */
  json: Record<string, unknown>;
}

/**
 * Sends one request and reads the JSON answer. Never retries: a code is single use, and a refresh
 * whose answer got lost may still have counted against Zoho's 10-per-10-minutes quota; whether to
 * try again is the caller's decision.
 *
 * Throws ZohoNetworkError when no answer came (connect failure, timeout, reset, abort), on a 5xx,
 * and when the body is not a JSON object. Any other status returns, for the caller to interpret.
 */
export async function sendAccountsRequest(req: AccountsRequest): Promise<AccountsResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...(req.headers ?? {}) };
  let body: string | undefined;
  if (req.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(req.form).toString();
  }
  let status: number;
  let text: string;
  try {
    const res = await request(req.url, {
      method: req.method,
      headers,
      body,
      dispatcher: req.dispatcher,
      ...(req.signal ? { signal: req.signal } : {}),
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (err) {
    // undici's messages name the host and the failure (ECONNREFUSED, timeout), never our body.
    throw new ZohoNetworkError({ operation: req.operation, reason: err instanceof Error ? errorName(err) : 'request failed', cause: err });
  }
  if (status >= 500) throw new ZohoNetworkError({ operation: req.operation, reason: `HTTP ${status}`, status });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    // A 4xx without a JSON body is still Zoho refusing; let the caller map it by status.
    if (status >= 400) return { status, json: {} };
    throw new ZohoNetworkError({ operation: req.operation, reason: `HTTP ${status} with a body that is not a JSON object`, status });
  }
  return { status, json: json as Record<string, unknown> };
}
