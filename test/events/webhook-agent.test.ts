/**
 * The agent webhooks are delivered through checks the address each connection goes to, against a
 * real receiver on loopback: IP literals in every spelling, names that resolve to loopback (a
 * resolver we control plays DNS), trailing dots. Nothing refused ever reaches the receiver.
 */
import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressKind } from '../../src/events/webhook-address.js';
import { createWebhookAgent, isAddressRefused } from '../../src/events/webhook-agent.js';
import { vetWebhookUrl, type WebhookLookup } from '../../src/events/webhook-url.js';
import { isGatewayError } from '../../src/errors.js';

/** A resolver answering from a table; anything else does not exist. */
function fakeDns(table: Record<string, string[]>): WebhookLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = ((hostname: string, _o: { all: true }, cb: (err: NodeJS.ErrnoException | null, a: LookupAddress[]) => void) => {
    asked.push(hostname);
    const list = table[hostname];
    if (!list) return cb(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
    cb(
      null,
      list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  }) as WebhookLookup & { asked: string[] };
  lookup.asked = asked;
  return lookup;
}

describe('address kinds', () => {
  it('judges IPv4 inside IPv6 as the IPv4 it carries', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '100.64.0.1',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::127.0.0.1',
      '::ffff:0:127.0.0.1',
      '64:ff9b::10.0.0.1',
      '2002:c0a8:101::1',
      'fd12::1',
    ]) {
      expect(addressKind(ip), ip).toBe('private');
    }
    for (const ip of [
      '0.0.0.0',
      '169.254.169.254',
      '198.18.0.1',
      '192.0.2.1',
      '224.0.0.1',
      '255.255.255.255',
      '::',
      'fe80::1',
      'fe80::1%eth0',
      'fec0::1',
      'ff02::1',
      '::ffff:169.254.169.254',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b:1::1',
      '2001::1',
      '2001:db8::1',
      'not-an-ip',
    ]) {
      expect(addressKind(ip), ip).toBe('forbidden');
    }
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      expect(addressKind(ip), ip).toBe('public');
    }
  });
});

describe('the webhook agent, against a receiver on loopback', () => {
  let server: Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const dns = fakeDns({ 'rebind.example': ['127.0.0.1'], 'mixed.example': ['93.184.216.34', '127.0.0.1'], 'localhost.': ['127.0.0.1'], localhost: ['127.0.0.1'] });

  async function post(url: string, allowPrivate: boolean): Promise<'refused' | 'failed' | number> {
    const agent = createWebhookAgent({ allowPrivate, lookup: dns });
    try {
      const res = await request(url, { method: 'POST', body: '{}', dispatcher: agent });
      await res.body.dump();
      return res.statusCode;
    } catch (err) {
      return isAddressRefused(err) ? 'refused' : 'failed';
    } finally {
      await agent.close();
    }
  }

  it('refuses loopback in every spelling, and names resolving to it, before anything reaches the receiver', async () => {
    hits = 0;
    for (const host of ['127.0.0.1', '[::ffff:127.0.0.1]', '2130706433', '0x7f000001', '0x7f.1', '0177.0.0.1', 'localhost', 'localhost.', 'rebind.example', 'mixed.example']) {
      expect(await post(`http://${host}:${port}/hook`, false), host).toBe('refused');
    }
    expect(hits).toBe(0);
  });

  it('with EVENT_WEBHOOK_ALLOW_PRIVATE, connects to loopback through the same resolver (the control)', async () => {
    hits = 0;
    expect(await post(`http://rebind.example:${port}/hook`, true)).toBe(200);
    expect(await post(`http://127.0.0.1:${port}/hook`, true)).toBe(200);
    expect(hits).toBe(2);
    // Still never link-local or unspecified.
    expect(await post(`http://169.254.169.254:${port}/`, true)).toBe('refused');
    expect(await post(`http://0.0.0.0:${port}/`, true)).toBe('refused');
  });

  it('vets a URL at set time by what its name resolves to now, without echoing the addresses', async () => {
    const refusedWith = async (url: string) => {
      try {
        await vetWebhookUrl(url, { allowPrivate: false, lookup: dns });
      } catch (err) {
        expect(isGatewayError(err, 'BAD_USER_INPUT')).toBe(true);
        return (err as Error).message;
      }
      return undefined;
    };
    expect(await refusedWith('https://rebind.example/hook')).toMatch(/must not point at a loopback, private/);
    expect(await refusedWith('https://mixed.example/hook')).not.toContain('127.0.0.1');
    expect(await refusedWith('https://mixed.example/hook')).toBeDefined();
    // Not resolvable now: accepted over https (every delivery checks again).
    expect(await refusedWith('https://nowhere.example/hook')).toBeUndefined();
  });
});
