/**
 * Which IP addresses a tenant's event webhook may reach. The gateway POSTs from inside its own
 * network, so a webhook must not become a way in (SSRF): only public unicast addresses, judged on
 * the address itself, in every spelling (an IPv4 address carried in IPv6 is judged as IPv4).
 *
 * - `public`: deliverable.
 * - `private`: loopback, RFC 1918, CGNAT (100.64/10) and unique-local IPv6 (fc00::/7). Refused
 *   unless EVENT_WEBHOOK_ALLOW_PRIVATE (tests and closed networks only).
 * - `forbidden`: everything else that is not public unicast, always refused: 0/8, link-local
 *   (169.254/16 with cloud metadata, fe80::/10), benchmark (198.18/15), documentation, multicast,
 *   reserved (240/4), site-local (fec0::/10), local-use NAT64, Teredo, anything outside 2000::/3.
 */
import { BlockList, isIP } from 'node:net';

export type AddressKind = 'public' | 'private' | 'forbidden';

function v4List(ranges: readonly [string, number][]): BlockList {
  const list = new BlockList();
  for (const [net, prefix] of ranges) list.addSubnet(net, prefix, 'ipv4');
  return list;
}

const PRIVATE_V4 = v4List([
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
]);

const FORBIDDEN_V4 = v4List([
  ['0.0.0.0', 8],
  ['169.254.0.0', 16],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
]);

function kindOfV4(ip: string): AddressKind {
  if (FORBIDDEN_V4.check(ip, 'ipv4')) return 'forbidden';
  if (PRIVATE_V4.check(ip, 'ipv4')) return 'private';
  return 'public';
}

/** The eight 16-bit words of an IPv6 address (zone id dropped, a trailing dotted quad allowed). */
function ipv6Words(ip: string): number[] | undefined {
  let text = ip.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string | undefined) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const words = halves.length === 2 ? [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : undefined;
}

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

function kindOfV6(ip: string): AddressKind {
  const w = ipv6Words(ip);
  if (!w) return 'forbidden';
  const zero = (from: number, to: number) => w.slice(from, to).every((x) => x === 0);
  const [w0 = 0, w1 = 0, w2 = 0] = w;
  const [w4, w5, w6 = 0, w7 = 0] = [w[4], w[5], w[6], w[7]];
  const embedded = kindOfV4(v4Of(w6, w7));
  if (zero(0, 7) && w7 <= 1) return w7 === 1 ? 'private' : 'forbidden'; // ::1 loopback, :: unspecified
  if (zero(0, 5) && w5 === 0xffff) return embedded; // ::ffff:a.b.c.d (IPv4-mapped)
  if (zero(0, 4) && w4 === 0xffff && w5 === 0) return embedded; // ::ffff:0:a.b.c.d (IPv4-translated)
  if (zero(0, 6)) return embedded; // ::a.b.c.d (IPv4-compatible, deprecated)
  if (w0 === 0x64 && w1 === 0xff9b && zero(2, 6)) return embedded; // 64:ff9b::/96 (NAT64)
  if (w0 === 0x2002) return kindOfV4(v4Of(w1, w2)); // 6to4 2002:AABB:CCDD::/48
  if ((w0 & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((w0 & 0xe000) !== 0x2000) return 'forbidden'; // not global unicast: fe80::/10, fec0::/10, ff00::/8, 64:ff9b:1::/48, 100::/64, …
  if (w0 === 0x2001 && w1 < 0x200) return 'forbidden'; // 2001::/23 protocol assignments (Teredo 2001::/32 included)
  if (w0 === 0x2001 && w1 === 0xdb8) return 'forbidden'; // documentation
  if ((w0 & 0xfff0) === 0x3ff0) return 'forbidden'; // 3fff::/20 documentation
  return 'public';
}

/** What `ip` (an IPv4 or IPv6 address, as a resolver or a socket gives it) is; non-addresses are forbidden. */
export function addressKind(ip: string): AddressKind {
  const family = isIP(ip.replace(/%.*$/, ''));
  if (family === 4) return kindOfV4(ip);
  if (family === 6) return kindOfV6(ip);
  return 'forbidden';
}

/**
 * True when a webhook may connect to `ip`: public addresses over https; private ones only with
 * `allowPrivate`; plain http only to private addresses, and only with `allowPrivate`.
 */
export function mayConnect(ip: string, opts: { allowPrivate: boolean; https: boolean }): boolean {
  const kind = addressKind(ip);
  if (kind === 'forbidden') return false;
  if (kind === 'private') return opts.allowPrivate;
  return opts.https;
}
