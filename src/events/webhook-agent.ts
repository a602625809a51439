/**
 * The HTTP agent event webhooks are delivered through. It checks the address each connection
 * actually goes to, not just the URL that was set: a name that resolved to a public address when
 * the webhook was set may resolve to 127.0.0.1 at delivery (DNS rebinding), and a URL stored
 * before these rules existed may hold any address. Three checks, each against webhook-address.ts:
 *
 * - an IP literal host is judged before any socket is opened (net.connect never asks the
 *   resolver for one), and so are names the URL rules refuse (`localhost`, a trailing dot);
 * - every address a name resolves to is judged before connecting (`connect.lookup`): one bad
 *   address refuses the name, so the OS cannot fall back to it;
 * - the socket's remote address is judged once connected, and the socket dropped if it is bad.
 *
 * A refusal is a `WebhookAddressRefused` error, which deliveries report as `refused_address`.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { mayConnect } from './webhook-address.js';
import type { WebhookLookup } from './webhook-url.js';

export class WebhookAddressRefused extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_REFUSED';
  constructor() {
    // No host or address in the message: it may end up in a log a tenant can read.
    super('webhook address refused');
    this.name = 'WebhookAddressRefused';
  }
}

export interface WebhookAgentOptions {
  /** EVENT_WEBHOOK_ALLOW_PRIVATE. */
  allowPrivate: boolean;
  /** Resolver (default the system's dns.lookup); tests pass their own. */
  lookup?: WebhookLookup | undefined;
  /** Connect timeout in ms (default 10000). */
  connectTimeoutMs?: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A net.connect `lookup` that refuses the name unless every address it resolves to may be connected to. */
function checkedLookup(resolve: WebhookLookup, allowed: (ip: string) => boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback) => {
    resolve(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (addresses.length === 0 || !addresses.every((a) => allowed(a.address))) return callback(new WebhookAddressRefused(), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/** An undici Agent whose every connection goes only where the webhook rules allow. */
export function createWebhookAgent(options: WebhookAgentOptions): Agent {
  const resolve = options.lookup ?? (dnsLookup as unknown as WebhookLookup);
  const timeout = options.connectTimeoutMs ?? 10_000;
  const policy = (https: boolean) => (ip: string) => mayConnect(ip, { allowPrivate: options.allowPrivate, https });
  // One connector per scheme: plain http may only reach private addresses (with allowPrivate).
  const connectors = {
    https: buildConnector({ timeout, lookup: checkedLookup(resolve, policy(true)) } as buildConnector.BuildOptions),
    http: buildConnector({ timeout, lookup: checkedLookup(resolve, policy(false)) } as buildConnector.BuildOptions),
  };
  const connect: buildConnector.connector = (opts, callback) => {
    const https = opts.protocol === 'https:';
    const allowed = policy(https);
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !allowed(host)) return callback(new WebhookAddressRefused(), null);
    // Names the URL rules refuse are refused here too (a URL stored before them), whatever DNS says.
    const loopbackName = host === 'localhost' || host.endsWith('.localhost');
    if (host.endsWith('.') || (loopbackName && !options.allowPrivate)) return callback(new WebhookAddressRefused(), null);
    (https ? connectors.https : connectors.http)(opts, (err, socket) => {
      if (err || !socket) return callback(err ?? new WebhookAddressRefused(), null);
      const remote = (socket as Socket).remoteAddress;
      if (remote === undefined || !allowed(remote)) {
        socket.destroy();
        return callback(new WebhookAddressRefused(), null);
      }
      callback(null, socket);
    });
  };
  return new Agent({ connect, connections: 10 });
}

/** True when `err` (or what caused it) is a refused webhook address. */
export function isAddressRefused(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === 'ERR_WEBHOOK_ADDRESS_REFUSED') return true;
  }
  return false;
}
