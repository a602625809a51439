/**
 * Which URLs a tenant may have its events POSTed to. The gateway makes these requests from inside
 * its own network, so a webhook URL must not become a way to reach internal services (SSRF). The
 * rules, checked when the URL is set (here) and again on every connection (webhook-agent.ts):
 *
 * - https only; plain http only to a loopback or private host, and only with
 *   EVENT_WEBHOOK_ALLOW_PRIVATE (tests, closed networks);
 * - no credentials in the URL (`https://user:pass@…`): they would be stored and shown in plain
 *   text; use the signature to authenticate the gateway instead;
 * - no host name ending in a dot (`localhost.`, a spelling that slips past name checks);
 * - the host, an IP literal in any spelling (decimal, hex, IPv4 inside IPv6) or a name and every
 *   address it resolves to, must be public (webhook-address.ts); loopback and private ones only
 *   with EVENT_WEBHOOK_ALLOW_PRIVATE.
 *
 * A name's addresses may change after it was set (DNS rebinding): the delivery checks the address
 * it actually connects to. Redirects are never followed, so a public URL cannot bounce inward.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { GatewayError } from '../errors.js';
import { addressKind, mayConnect, type AddressKind } from './webhook-address.js';

/** How long setting a webhook waits for its host to resolve, in ms. */
const LOOKUP_TIMEOUT_MS = 5_000;

/** Longest accepted URL, in characters. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** A dns.lookup-shaped resolver (tests pass their own; production uses the system's). */
export type WebhookLookup = (hostname: string, options: { all: true }, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

export interface WebhookUrlPolicy {
  /** EVENT_WEBHOOK_ALLOW_PRIVATE: loopback and private addresses (and http to them) allowed. */
  allowPrivate: boolean;
}

function refuse(reason: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', `url ${reason}`, { argument: 'url' });
}

const INTERNAL = 'must not point at a loopback, private, link-local or reserved address';

/** The host as an address kind when the URL alone settles it (IP literal, `localhost`), else undefined. */
function literalKind(host: string): AddressKind | undefined {
  if (isIP(host)) return addressKind(host);
  // RFC 6761: these names are loopback whatever a resolver says.
  if (host === 'localhost' || host.endsWith('.localhost')) return 'private';
  return undefined;
}

/**
 * Checks `text` against what the URL alone settles; returns the normalised URL or throws
 * BAD_USER_INPUT. A host name's addresses are checked by `vetWebhookUrl`.
 */
export function checkWebhookUrl(text: string, policy: WebhookUrlPolicy): string {
  if (text.length > MAX_WEBHOOK_URL_LENGTH) throw refuse(`must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('must be an absolute https URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('must use https');
  if (url.username || url.password) throw refuse('must not contain credentials');
  if (url.hash) throw refuse('must not contain a fragment');
  // URL keeps brackets around IPv6 hosts, and has already turned 2130706433, 0x7f.1 and the like
  // into dotted IPv4: the checks see the address, whatever its spelling.
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host.endsWith('.')) throw refuse('host must not end with a dot');
  const kind = literalKind(host);
  const https = url.protocol === 'https:';
  if (kind === 'forbidden' || (kind === 'private' && !policy.allowPrivate)) throw refuse(INTERNAL);
  if (!https && !(policy.allowPrivate && kind !== 'public')) {
    throw refuse('must use https (http only to a loopback or private host, with EVENT_WEBHOOK_ALLOW_PRIVATE)');
  }
  return url.toString();
}

/**
 * `checkWebhookUrl`, then, for a host name, resolves it and refuses it if any address it resolves
 * to may not be connected to. A name that does not resolve now is accepted over https (delivery
 * checks again) and refused over http (only a private host may take http).
 */
export async function vetWebhookUrl(text: string, policy: WebhookUrlPolicy & { lookup?: WebhookLookup }): Promise<string> {
  const normalised = checkWebhookUrl(text, policy);
  const url = new URL(normalised);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (literalKind(host) !== undefined) return normalised;
  const https = url.protocol === 'https:';
  const lookup = policy.lookup ?? (dnsLookup as unknown as WebhookLookup);
  const addresses = await new Promise<LookupAddress[] | undefined>((resolve) => {
    // A resolver that hangs must not hang the mutation: unanswered counts as unresolvable.
    const timer = setTimeout(() => resolve(undefined), LOOKUP_TIMEOUT_MS);
    lookup(host, { all: true }, (err, list) => {
      clearTimeout(timer);
      resolve(err ? undefined : list);
    });
  });
  if (!addresses || addresses.length === 0) {
    if (https) return normalised;
    throw refuse('must use https (http only to a loopback or private host, with EVENT_WEBHOOK_ALLOW_PRIVATE)');
  }
  // The resolved addresses are never echoed: they would map the gateway's network for the caller.
  if (!addresses.every((a) => mayConnect(a.address, { allowPrivate: policy.allowPrivate, https }))) {
    throw refuse(https ? INTERNAL : 'must use https (http only to a loopback or private host, with EVENT_WEBHOOK_ALLOW_PRIVATE)');
  }
  return normalised;
}
