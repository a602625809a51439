import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { startTestApp } from '../helpers/app.js';

/**
 * What a developer sees at `npm start`: GraphiQL on /graphql, prefilled with the demo query and
 * the demo tenant's Authorization header, running the query in a real (headless) Chromium.
 *
 * The page must be whole without any network but the gateway's (an air-gapped machine) and must
 * run under the gateway's strict Content-Security-Policy: every request that leaves the gateway's
 * origin is failed at the browser's network layer (CDP Fetch), host names do not resolve, and any
 * console error (a CSP violation is one) or page error fails the test.
 *
 * Chromium is Debian's (`apt-get install chromium`; .ci/run installs it). A missing browser
 * fails this test: a skipped browser test would look green while testing nothing.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps trying to reach Google's hosts. The
// resolver rule makes every host name but the loopback unresolvable: a second wall behind CDP's.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

interface Offline {
  page: Page;
  context: BrowserContext;
  /** Every URL the page tried outside the gateway's origin (each was failed). */
  blocked: string[];
  /** Console errors, page errors and CSP violations, as text. */
  errors: string[];
}

describe('GraphiQL in a browser, offline, under the gateway’s CSP', () => {
  let app: App;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    ({ app } = await startTestApp());
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A page whose every request off the gateway's origin fails, with its errors recorded. */
  async function offlinePage(): Promise<Offline> {
    const origin = new URL(app.url).origin;
    const context = await browser.newContext();
    const page = await context.newPage();
    const blocked: string[] = [];
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    // CSP violations also reach the console; this names the directive, whatever the message says.
    await page.exposeFunction('reportViolation', (v: string) => errors.push(`csp: ${v}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const cdp = await context.newCDPSession(page);
    cdp.on('Fetch.requestPaused', (e: { requestId: string; request: { url: string } }) => {
      const url = e.request.url;
      if (/^https?:/.test(url) && new URL(url).origin === origin) void cdp.send('Fetch.continueRequest', { requestId: e.requestId });
      else {
        blocked.push(url);
        void cdp.send('Fetch.failRequest', { requestId: e.requestId, errorReason: 'InternetDisconnected' });
      }
    });
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*' }] });
    return { page, context, blocked, errors };
  }

  it('the wall holds: a page cannot reach an outside URL, and the attempt is recorded', async () => {
    const { page, context, blocked } = await offlinePage();
    await expect(page.goto('https://unpkg.com/graphiql/graphiql.min.js')).rejects.toThrow();
    expect(blocked).toEqual(['https://unpkg.com/graphiql/graphiql.min.js']);
    await context.close();
  });

  it('serves the page with a strict CSP: its own origin, inline blocks by a fresh nonce, no unsafe-* for scripts', async () => {
    const page = async () => {
      const res = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      return { csp: res.headers.get('content-security-policy') ?? '', html: await res.text() };
    };
    const first = await page();
    const directives = new Map(first.csp.split(/;\s*/).map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(directives.get('script-src')!.join(' '))?.[1];
    expect(directives.get('script-src')).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(directives.get('style-src-elem')).toEqual(["'self'", `'nonce-${nonce}'`]);
    // The one allowance: style attributes (Monaco's pixel offsets), which run no script.
    expect(first.csp.replace("style-src-attr 'unsafe-inline'", '')).not.toMatch(/unsafe-|\*|https?:/);
    // The page's inline blocks carry that nonce, and nothing in it names a CDN: the bundle is inline.
    expect(first.html).toContain(`<script nonce="${nonce}">`);
    expect(first.html).toContain(`<style nonce="${nonce}">`);
    expect(first.html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|unpkg|jsdelivr|cdnjs/);
    // Whole: the nonce makes the page longer than the one Yoga rendered.
    expect(first.html.trimEnd().endsWith('</html>')).toBe(true);
    // A fresh nonce per answer.
    expect((await page()).csp).not.toContain(nonce);
  });

  it('opens with the typed demo query and shows deals and the organization after Run', async () => {
    const { page, context, blocked, errors } = await offlinePage();

    await page.goto(`${app.url}/graphql`);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ timeout: 30_000 });
    // The editor holds the demo query, and the header editor the demo tenant's token.
    await expect.poll(() => page.locator('.graphiql-query-editor').innerText(), { timeout: 10_000 }).toContain('organization');
    // The demo's first example is typed: the connection's own Deals fields under `crm`.
    expect(await page.locator('.graphiql-query-editor').innerText()).toContain('dealName');
    await expect.poll(() => page.locator('.graphiql-editor-tool').innerText(), { timeout: 10_000 }).toMatch(/Authorization/);
    await run.click();

    // The result pane is a Monaco editor, which renders spaces as no-break spaces.
    const resultText = async () => (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');
    await expect.poll(resultText, { timeout: 15_000 }).toContain('"name": "Zylker US"');
    const text = await resultText();
    expect(text).toContain('"organization"');
    expect(text).toContain('"dealName"');
    expect(text).toContain('"amount"');
    expect(text).not.toContain('"errors"');
    await page.screenshot({ path: '/tmp/graphiql.png', fullPage: true });

    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('autocompletes the connection’s own Deal fields inside crm { deals { nodes { … } } }', async () => {
    const { page, context, blocked, errors } = await offlinePage();
    await page.goto(`${app.url}/graphql`);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // Monaco closes brackets itself: type the opening half only.
    await page.keyboard.type('{ crm { deals { nodes { dealN', { delay: 20 });
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget .monaco-list-row');
    // Introspection ran with the demo token: the typed schema of the demo's connection. The
    // suggestions come from the GraphQL worker, so the blob: workers ran under the CSP.
    await expect.poll(async () => (await suggestions.allInnerTexts()).join(' '), { timeout: 15_000 }).toContain('dealName');
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
