/**
 * Caps on live recordEvents streams (MAX_SUBSCRIPTIONS_PER_TENANT, MAX_SUBSCRIPTIONS_PER_USER),
 * counted across two gateway instances on the real Redis, freed when a stream closes, and not
 * held forever by an instance that died with streams open.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { mintDevToken } from '../../src/auth/mint.js';
import { JWT_SECRET, startHarness, type Harness } from '../helpers/gateway.js';

const SUBSCRIPTION = JSON.stringify({ query: 'subscription { recordEvents { id } }' });

interface Opened {
  /** Resolves when the stream ends: with the error a refused subscription answered with. */
  refusal(): Promise<{ code?: unknown; limit?: unknown; maximum?: unknown } | undefined>;
  close(): void;
}

/** Opens a subscription over SSE; a refusal is one `event: next` block with the error, then the end. */
async function open(app: App, token: string): Promise<Opened> {
  const abort = new AbortController();
  const res = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: SUBSCRIPTION,
    signal: abort.signal,
  });
  const ended = (async () => {
    let text = '';
    try {
      const reader = res.body!.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) text += Buffer.from(r.value).toString('utf8');
    } catch {
      // closed by us
    }
    const data = /event: next\ndata: (.*)\n/.exec(text);
    return data ? (JSON.parse(data[1]!).errors?.[0]?.extensions ?? {}) : undefined;
  })();
  return { refusal: () => ended, close: () => abort.abort() };
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; !(await check()); i++) {
    if (i > 500) throw new Error('condition never held');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const tokenFor = (tenant: string, subject: string) => mintDevToken({ secret: JWT_SECRET, tenant, subject, scope: 'records:read' });

describe('subscription caps across two instances', () => {
  let h: Harness;
  const opened: Opened[] = [];
  beforeAll(async () => {
    h = await startHarness({ instances: 2, env: { MAX_SUBSCRIPTIONS_PER_TENANT: '3', MAX_SUBSCRIPTIONS_PER_USER: '2' } });
  });
  afterAll(async () => {
    for (const o of opened) o.close();
    await h?.close();
  });
  const live = (tenant: string) => h.app.services.subscriptionLimits.count(tenant);
  const openOn = async (app: App, tenant: string, subject: string) => {
    const o = await open(app, await tokenFor(tenant, subject));
    opened.push(o);
    return o;
  };

  it('refuses the third stream of one user and the fourth of the tenant, whichever instance they reach; a closed stream frees its slot', async () => {
    const [one, two] = h.apps as [App, App];
    const a1 = await openOn(one, 'acme', 'alice');
    await openOn(two, 'acme', 'alice');
    await until(async () => (await live('acme')) === 2);
    expect(await (await openOn(one, 'acme', 'alice')).refusal()).toMatchObject({ code: 'RATE_LIMITED', limit: 'subscriptionsPerUser', maximum: 2 });

    await openOn(two, 'acme', 'bob');
    await until(async () => (await live('acme')) === 3);
    expect(await (await openOn(one, 'acme', 'carol')).refusal()).toMatchObject({ code: 'RATE_LIMITED', limit: 'subscriptionsPerTenant', maximum: 3 });
    // Another tenant has its own count.
    await openOn(two, 'globex', 'carol');
    await until(async () => (await live('globex')) === 1);

    a1.close();
    await until(async () => (await live('acme')) === 2);
    await openOn(two, 'acme', 'carol');
    await until(async () => (await live('acme')) === 3);
  });

  it('does not count the leases of an instance that died with streams open', async () => {
    const client = await h.app.store.redis!.client();
    const key = h.app.store.keyFor('subscriptions:initech');
    // Two streams of a crashed instance: their leases ran out and nobody refreshes them.
    await client.zAdd(key, [
      { score: 1, value: `dave ${randomUUID()}` },
      { score: 1, value: `erin ${randomUUID()}` },
    ]);
    await client.zAdd(key, { score: Date.now() + 600_000, value: `frank ${randomUUID()}` });
    expect(await live('initech')).toBe(1);
    await openOn(h.apps[1]!, 'initech', 'dave');
    await openOn(h.apps[0]!, 'initech', 'dave');
    await until(async () => (await live('initech')) === 3);
    expect(await (await openOn(h.apps[0]!, 'initech', 'gina')).refusal()).toMatchObject({ code: 'RATE_LIMITED', limit: 'subscriptionsPerTenant' });
  });
});

describe('subscription cap at its default', () => {
  let h: Harness;
  const opened: Opened[] = [];
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    for (const o of opened) o.close();
    await h?.close();
  });

  it('serves 100 live streams of a tenant and refuses the 101st (RATE_LIMITED)', async () => {
    // Five users, 20 streams each: the per-user default (20) is not what refuses the 101st.
    const tokens = await Promise.all(['u1', 'u2', 'u3', 'u4', 'u5'].map((s) => tokenFor('acme', s)));
    for (let i = 0; i < 100; i++) opened.push(await open(h.app, tokens[i % 5]!));
    await until(async () => (await h.app.services.subscriptionLimits.count('acme')) === 100);
    const extra = await open(h.app, await tokenFor('acme', 'u6'));
    opened.push(extra);
    expect(await extra.refusal()).toMatchObject({ code: 'RATE_LIMITED', limit: 'subscriptionsPerTenant', maximum: 100 });
  }, 60_000);
});
