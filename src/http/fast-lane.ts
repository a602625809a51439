import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { sendNodeResponse } from '@whatwg-node/server';
import type { YogaServerInstance } from 'graphql-yoga';
import type { Logger } from '../log.js';
import { maskError } from './plugins/masked-errors.js';

/**
 * The node:http listener in front of Yoga, with a fast lane for the gateway's commonest request:
 * a JSON `POST /graphql` with a declared body length and a single (not streamed) answer.
 *
 * Under load, the plumbing around the plugin hooks cost more CPU than anything the gateway does
 * itself (docs/performance.md): @whatwg-node/server's Node adapter (a stream over the socket per
 * request, an abort signal, a promise chain) and the hook loops of the adapter and of Yoga, which
 * wrap every hook in a promise helper whether it returns a promise or not. The fast lane calls
 * the same hooks of the same plugins in the same order, and awaits only those that return a
 * promise:
 *
 * 1. onRequest (the adapter's), onRequestParse and onRequestParseDone (Yoga's parseRequest), with
 *    a fetch `Request` built from the bytes already read. If a hook answers, swaps the handler or
 *    throws (CSRF, a refused body), or the body is not a plain JSON object of GraphQL parameters,
 *    the request starts again from the same bytes on Yoga's own `handleRequest`, which answers it
 *    exactly as the adapter would. Nothing has executed yet, so nothing runs twice.
 * 2. Yoga's public `getResultForParams`: onParams, then envelop (parse and validation caches,
 *    query limits, introspection policy, Zoho call budget, masking, rate limit, access log),
 *    then onExecutionResult.
 * 3. onResultProcess (which picks the result processor from `Accept`), then onResponse.
 *
 * Every other request takes the adapter: other paths and methods, a body without a length
 * (chunked: the body limit reads it as a stream), a body over MAX_BODY_BYTES (refused unread), and
 * an `Accept` that asks for a stream (streamed answers stay on the path Yoga itself tests, which
 * ties them to the socket). All requests take it when a plugin brings instrumentation (the fast
 * lane would not call it) or when Yoga's plugin list is not where this reads it (another Yoga
 * version). test/http/fast-lane.test.ts holds both lanes to the same answers.
 */
export interface FastLaneOptions {
  maxBodyBytes: number;
  log: Logger;
}

/** Requests each lane took since start (zgw_http_fast_lane_requests_total, zgw_http_adapter_requests_total). */
export interface LaneStats {
  fast: number;
  adapter: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any user context: only Yoga's entry points are called
type AnyYoga = YogaServerInstance<Record<string, unknown>, any>;
type Hook = (payload: Record<string, unknown>) => unknown;
type Params = Parameters<AnyYoga['getResultForParams']>[0]['params'];
type ResultProcessor = (result: unknown, fetchAPI: AnyYoga['fetchAPI'], mediaType: string) => Response | Promise<Response>;

/** Every fast-lane request has this URL: the path is checked before, nothing reads the host. */
const LANE_URL = 'http://localhost/graphql';
const STREAMING_ACCEPT = /text\/event-stream|multipart\//i;
const DECIMAL = /^\d+$/;
/** Thrown inside the fast lane to start a request again on Yoga's own lane. */
const REPLAY = Symbol('replay');

export function withFastLane(yoga: AnyYoga, options: FastLaneOptions): { listener: RequestListener; lanes: Readonly<LaneStats> } {
  const { maxBodyBytes, log } = options;
  const adapter = yoga as unknown as RequestListener;
  const lanes: LaneStats = { fast: 0, adapter: 0 };
  const adapterOnly = (reason: string) => {
    log.warn({ reason }, 'HTTP fast lane off: every request takes Yoga’s Node adapter');
    const listener: RequestListener = (req, res) => {
      lanes.adapter++;
      adapter(req, res);
    };
    return { listener, lanes };
  };
  // Yoga and the adapter build their hook lists from this array (envelop's, with the plugins that
  // plugins added); the adapter passes Yoga's properties through.
  const plugins = (yoga as unknown as { plugins?: unknown }).plugins;
  if (!Array.isArray(plugins)) return adapterOnly('graphql-yoga changed: its plugin list is not where it was');
  const live = plugins.filter((p): p is Record<string, unknown> => typeof p === 'object' && p !== null);
  if (live.some((p) => p.instrumentation)) return adapterOnly('a plugin brings instrumentation');
  // Called as Yoga and the adapter call them: plain functions, in the plugins' order.
  const hooks = (name: string): Hook[] => live.flatMap((p) => (typeof p[name] === 'function' ? [p[name] as Hook] : []));
  const onRequest = hooks('onRequest');
  const onRequestParse = hooks('onRequestParse');
  const onResultProcess = hooks('onResultProcess');
  const onResponse = hooks('onResponse');
  const { fetchAPI } = yoga;

  const requestOf = (req: IncomingMessage, body: Buffer) => new fetchAPI.Request(LANE_URL, { method: 'POST', headers: headersOf(req), body: body as Uint8Array<ArrayBuffer> });

  /** Before execution: the hooks, the body. Throws REPLAY when Yoga's own lane must answer. */
  const prepare = async (request: Request, serverContext: Record<string, unknown>, body: Buffer): Promise<Params> => {
    const url = new fetchAPI.URL(LANE_URL);
    for (const hook of onRequest) {
      let answered = false;
      const done = hook({
        request,
        setRequest() {
          throw REPLAY;
        },
        serverContext,
        fetchAPI,
        url,
        requestHandler: undefined,
        setRequestHandler() {
          throw REPLAY;
        },
        endResponse(answer: Response | undefined) {
          if (answer) answered = true;
        },
      });
      if (isPromise(done)) await done;
      if (answered) throw REPLAY;
    }
    const parseDone: Hook[] = [];
    // Yoga's parsers offer themselves here, each for the content types it reads (exactly and
    // case-sensitively: `Application/JSON` gets none, and Yoga answers 415). The lane parses the
    // body itself, as the JSON parser would, so it takes only a request exactly one parser
    // offered for; a second offer is a plugin wrapping the parser (a check the lane would skip).
    let parser: unknown;
    let offers = 0;
    for (const hook of onRequestParse) {
      let answered = false;
      const done = hook({
        request,
        url,
        requestParser: parser,
        setRequestParser(next: unknown) {
          parser = next;
          offers++;
        },
        serverContext,
        endResponse() {
          answered = true;
        },
        fetchAPI,
      });
      const after = (isPromise(done) ? await done : done) as { onRequestParseDone?: Hook } | undefined;
      if (answered) throw REPLAY;
      if (after?.onRequestParseDone) parseDone.push(after.onRequestParseDone);
    }
    if (offers !== 1) throw REPLAY;
    let params = paramsOf(body);
    if (!params) throw REPLAY;
    for (const hook of parseDone) {
      const done = hook({
        requestParserResult: params,
        setRequestParserResult(next: unknown) {
          if (!isParams(next)) throw REPLAY;
          params = next;
        },
      });
      if (isPromise(done)) await done;
    }
    return params;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<Response> => {
    const request = requestOf(req, body);
    const serverContext: Record<string, unknown> = { req, res };
    let params: Params;
    try {
      params = await prepare(request, serverContext, body);
    } catch {
      // Refused, answered early, or not plain: Yoga's lane answers it, from a fresh request.
      lanes.fast--;
      lanes.adapter++;
      return yoga.handleRequest(requestOf(req, body), { req, res });
    }
    // From here on the request is answered on this lane, whatever happens.
    let result: unknown;
    try {
      result = await yoga.getResultForParams({ params, request }, serverContext);
    } catch (err) {
      // What Yoga's handle() makes of a throw outside the execution (which catches its own).
      result = { errors: [maskError(err)] };
    }
    let response = await processResult(onResultProcess, request, result, fetchAPI, serverContext);
    for (const hook of onResponse) {
      const done = hook({
        request,
        response,
        serverContext,
        setResponse(next: Response) {
          response = next;
        },
        fetchAPI,
      });
      if (isPromise(done)) await done;
    }
    return response;
  };

  const listener: RequestListener = (req, res) => {
    if (!eligible(req, maxBodyBytes)) {
      lanes.adapter++;
      return adapter(req, res);
    }
    lanes.fast++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A client that goes away mid-body gets no answer, as on the adapter.
    req.on('error', () => undefined);
    req.on('end', () => {
      handle(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
        .then((response) => sendNodeResponse(response, res, req, true))
        .catch((err: unknown) => {
          log.error({ err }, 'HTTP fast lane: no answer could be sent');
          if (res.headersSent) return void res.destroy();
          res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
          res.end(JSON.stringify({ errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL' } }] }));
        });
    });
  };
  return { listener, lanes };
}

function eligible(req: IncomingMessage, maxBodyBytes: number): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql') return false;
  const length = req.headers['content-length'];
  if (length === undefined || !DECIMAL.test(length) || Number(length) > maxBodyBytes) return false;
  const accept = req.headers.accept;
  return accept === undefined || !STREAMING_ACCEPT.test(accept);
}

/** The request's headers as a fetch Headers init (node has joined repeated request headers). */
function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = req.headers;
  for (const name in raw) {
    const value = raw[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * The body as GraphQL parameters when Yoga's JSON parser and parameter check would take it
 * without a word: an object with a string `query` and parameters of the right types. Anything
 * else has an error to answer, and Yoga answers it.
 */
function paramsOf(body: Buffer): Params | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  return isParams(value) ? value : undefined;
}

function isParams(value: unknown): value is Params {
  if (!isObject(value)) return false;
  for (const key in value) if (key !== 'query' && key !== 'variables' && key !== 'operationName' && key !== 'extensions') return false;
  if (typeof value.query !== 'string') return false;
  if (value.operationName != null && typeof value.operationName !== 'string') return false;
  if (value.variables != null && !isObject(value.variables)) return false;
  return value.extensions == null || isObject(value.extensions);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPromise(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Yoga's processResult: the hooks pick the processor (by `Accept`) and may change the result. */
async function processResult(hooks: Hook[], request: Request, result: unknown, fetchAPI: AnyYoga['fetchAPI'], serverContext: unknown): Promise<Response> {
  let processor: ResultProcessor | undefined;
  let mediaType = '*/*';
  const acceptableMediaTypes: string[] = [];
  for (const hook of hooks) {
    const done = hook({
      request,
      acceptableMediaTypes,
      result,
      setResult(next: unknown) {
        result = next;
      },
      resultProcessor: processor,
      setResultProcessor(next: ResultProcessor, type: string) {
        processor = next;
        mediaType = type;
      },
      serverContext,
    });
    if (isPromise(done)) await done;
  }
  if (!processor) return new fetchAPI.Response(null, { status: 406, statusText: 'Not Acceptable', headers: { accept: acceptableMediaTypes.join('; charset=utf-8, ') } });
  return processor(result, fetchAPI, mediaType);
}
