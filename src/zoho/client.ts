import { Agent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Connection } from '../tokens/connection.js';
import { mapZohoError, type ZohoErrorBody } from './errors.js';

/**
 * The one way in and out of Zoho CRM: every CRM call goes through `ZohoClient.call`, which takes
 * a fresh access token from the token manager, sends it to the connection's own API domain with
 * Zoho's header, and turns Zoho's answers into values or typed errors. Resolvers never build URLs
 * or headers.
 */

/** What the client needs from the token manager. */
export interface AccessTokens {
  /** The connection with an access token valid for at least two more minutes. */
  getAccessToken(tenantId: string, connectionName: string): Promise<Connection>;
  /** Refreshes once after Zoho rejected `rejectedAccessToken` (unless someone already did). */
  forceRefresh(tenantId: string, connectionName: string, rejectedAccessToken: string): Promise<Connection>;
}

export interface ZohoCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under `/crm/v8`, e.g. `/org`, `/Deals/search`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export interface ZohoResult<T> {
  status: number;
  /** Parsed JSON, or `null` for Zoho's empty 204. */
  body: T | null;
  headers: Record<string, string | string[] | undefined>;
}

/** Observes every upstream call (for per-request figures and metrics). */
export type CallObserver = (call: { method: string; path: string; status: number; apiDomain: string }) => void;

export interface ZohoClientOptions {
  tokens: AccessTokens;
  log: Logger;
  dispatcher?: Dispatcher;
  /** Per-call timeouts (ms). */
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
}

const API_PREFIX = '/crm/v8';

export class ZohoClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(private readonly options: ZohoClientOptions) {
    const t = options.timeouts ?? {};
    this.ownsDispatcher = !options.dispatcher;
    // One Agent keeps a keep-alive pool per API domain (one per Zoho DC in use).
    this.dispatcher =
      options.dispatcher ??
      new Agent({ connections: 32, keepAliveTimeout: 30_000, connectTimeout: t.connectMs ?? 5_000, headersTimeout: t.headersMs ?? 30_000, bodyTimeout: t.bodyMs ?? 30_000 });
  }

  /**
   * A CRM call for a tenant's connection. A 401 INVALID_TOKEN triggers one forced refresh and one
   * retry (Zoho revokes tokens early, e.g. past 15 live tokens per refresh token).
   */
  async call<T>(tenantId: string, connectionName: string, call: ZohoCall, observe?: CallObserver): Promise<ZohoResult<T>> {
    let connection = await this.options.tokens.getAccessToken(tenantId, connectionName);
    let res = await this.send<T>(connection.apiDomain, connection.accessToken, call, observe);
    if (res.status === 401 && (res.body as ZohoErrorBody | null)?.code === 'INVALID_TOKEN') {
      connection = await this.options.tokens.forceRefresh(tenantId, connectionName, connection.accessToken);
      res = await this.send<T>(connection.apiDomain, connection.accessToken, call, observe);
    }
    return this.check(res, call);
  }

  /** A CRM call with a token the caller holds (the connect flow, before a connection exists). */
  async callWithToken<T>(apiDomain: string, accessToken: string, call: ZohoCall, observe?: CallObserver): Promise<ZohoResult<T>> {
    return this.check(await this.send<T>(apiDomain, accessToken, call, observe), call);
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private check<T>(res: ZohoResult<T>, call: ZohoCall): ZohoResult<T> {
    if (res.status < 400 && res.status !== 207) return res;
    if (res.status === 207) return res; // per-record outcomes: the caller reads them
    throw mapZohoError(res.status, res.body as ZohoErrorBody | null, res.headers, `${call.method} ${call.path}`);
  }

  private async send<T>(apiDomain: string, accessToken: string, call: ZohoCall, observe?: CallObserver): Promise<ZohoResult<T>> {
    const url = new URL(`${API_PREFIX}${call.path}`, apiDomain);
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Zoho-oauthtoken ${accessToken}`, accept: 'application/json' };
    let body: string | undefined;
    if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, { method: call.method, headers, body, dispatcher: this.dispatcher });
    } catch (err) {
      this.options.log.warn({ err: describe(err), path: call.path, apiDomain }, 'zoho call failed');
      throw new GatewayError('ZOHO_UNAVAILABLE', 'Zoho CRM could not be reached; try again shortly', {}, { cause: err });
    }
    const text = await res.body.text();
    observe?.({ method: call.method, path: call.path, status: res.statusCode, apiDomain });
    let parsed: T | null = null;
    if (text) {
      try {
        parsed = JSON.parse(text) as T;
      } catch {
        if (res.statusCode < 500) throw new GatewayError('ZOHO_ERROR', `Zoho answered ${call.method} ${call.path} with a body that is not JSON`, { status: res.statusCode });
      }
    }
    return { status: res.statusCode, body: parsed, headers: res.headers };
  }
}

/** Error facts safe to log (undici errors carry no credentials, but keep only the shape). */
function describe(err: unknown): Record<string, unknown> {
  if (err instanceof undiciErrors.UndiciError) return { name: err.name, code: err.code };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { value: String(err) };
}
