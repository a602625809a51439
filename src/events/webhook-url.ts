/**
 * Which URLs a tenant may have its events POSTed to. The gateway makes these requests from inside
 * its own network, so a webhook URL must not become a way to reach internal services (SSRF):
 *
 * - https only; http only to a loopback host (localhost, 127.0.0.0/8, ::1) outside production,
 *   for local development and tests;
 * - no credentials in the URL (`https://user:pass@…`): they would be stored and shown in plain
 *   text; use the signature to authenticate the gateway instead;
 * - no IP literal in a private, loopback (in production), link-local (cloud metadata at
 *   169.254.169.254), unspecified or multicast range.
 *
 * Host names are not resolved here: a public name that resolves to a private address is not
 * caught (put the gateway behind an egress proxy if that matters). Redirects are never followed
 * when delivering, so a public URL cannot bounce a delivery inward either.
 */
import { isIP } from 'node:net';
import { GatewayError } from '../errors.js';

/** Longest accepted URL, in characters. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

function refuse(reason: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', `url ${reason}`, { argument: 'url' });
}

function ipv4Octets(host: string): number[] | undefined {
  return isIP(host) === 4 ? host.split('.').map(Number) : undefined;
}

function isLoopback(host: string): boolean {
  const v4 = ipv4Octets(host);
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || v4?.[0] === 127;
}

/** True for IP literals no webhook should point at (loopback is judged separately). */
function isInternalAddress(host: string): boolean {
  const v4 = ipv4Octets(host);
  if (v4) {
    const [a = 0, b = 0] = v4;
    return a === 0 || a === 10 || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a >= 224;
  }
  if (isIP(host) === 6) {
    const h = host.toLowerCase();
    // IPv4-mapped addresses are judged as the IPv4 address they carry; URL writes them in hex
    // (::ffff:10.0.0.1 becomes ::ffff:a00:1).
    const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
    if (mapped) {
      const [hi, lo] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
      const v4 = `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
      return isInternalAddress(v4) || isLoopback(v4);
    }
    return h === '::' || /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith('ff');
  }
  return false;
}

/** Checks `text` against the rules above; returns the normalised URL or throws BAD_USER_INPUT. */
export function checkWebhookUrl(text: string, opts: { production: boolean }): string {
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
  // URL keeps brackets around IPv6 hosts; the address checks want the bare address.
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback = isLoopback(host);
  if (loopback && opts.production) throw refuse('must not point at a loopback address in production');
  if (url.protocol === 'http:' && !loopback) throw refuse('must use https (http is only allowed to a loopback host outside production)');
  if (isInternalAddress(host)) throw refuse('must not point at a private, link-local or reserved address');
  return url.toString();
}
