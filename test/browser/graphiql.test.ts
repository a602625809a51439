import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { startTestApp } from '../helpers/app.js';

/**
 * What a developer sees at `npm start`: GraphiQL on /graphql, prefilled with the demo query and
 * the demo tenant's Authorization header, running the query in a real (headless) Chromium.
 *
 * Chromium is Debian's (`apt-get install chromium`; .ci/run installs it). A missing browser
 * fails this test: a skipped browser test would look green while testing nothing.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// As the machine's notes prescribe: without the background-networking flags Chromium keeps
// trying to reach Google's hosts, which a closed network refuses.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Yoga's GraphiQL page loads its bundle from unpkg.com. CI has no internet, so the browser is
 * served the same files from the @graphql-yoga/graphiql package (a devDependency) instead; every
 * other off-machine request is refused, so the page can reach nothing but the gateway.
 */
const require = createRequire(import.meta.url);
const GRAPHIQL_DIST = join(dirname(require.resolve('@graphql-yoga/graphiql/package.json')), 'dist');
const GRAPHIQL_VERSION = (JSON.parse(readFileSync(join(GRAPHIQL_DIST, '..', 'package.json'), 'utf8')) as { version: string }).version;
const UNPKG = /^https:\/\/unpkg\.com\/@graphql-yoga\/graphiql@([^/]+)\/dist\/(.+)$/;

describe('GraphiQL in a browser', () => {
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

  it('opens with the typed demo query and shows deals and the organization after Run', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const offline: string[] = [];
    const versions = new Set<string>();
    await context.route(/^https?:\/\//, async (route) => {
      const url = route.request().url();
      if (url.startsWith(app.url)) return route.continue();
      const m = UNPKG.exec(url);
      if (m) {
        versions.add(m[1]!);
        const file = join(GRAPHIQL_DIST, m[2]!);
        if (existsSync(file)) return route.fulfill({ path: file, headers: { 'access-control-allow-origin': '*' } });
      }
      offline.push(url);
      return route.abort();
    });

    await page.goto(`${app.url}/graphql`);
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ timeout: 20_000 });
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

    // The files served stand in for the version Yoga asks for (same major and minor).
    expect([...versions].map((v) => v.split('.').slice(0, 2).join('.'))).toEqual([GRAPHIQL_VERSION.split('.').slice(0, 2).join('.')]);
    // Only the favicon (GitHub) is left unserved; nothing the page needs.
    expect(offline.filter((u) => !u.endsWith('favicon.ico'))).toEqual([]);
    await context.close();
  });

  it('autocompletes the connection’s own Deal fields inside crm { deals { nodes { … } } }', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await context.route(/^https?:\/\//, async (route) => {
      const url = route.request().url();
      if (url.startsWith(app.url)) return route.continue();
      const m = UNPKG.exec(url);
      if (m && existsSync(join(GRAPHIQL_DIST, m[2]!))) return route.fulfill({ path: join(GRAPHIQL_DIST, m[2]!), headers: { 'access-control-allow-origin': '*' } });
      return route.abort();
    });
    await page.goto(`${app.url}/graphql`);
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 20_000 });
    const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    // Monaco closes brackets itself: type the opening half only.
    await page.keyboard.type('{ crm { deals { nodes { dealN', { delay: 20 });
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget .monaco-list-row');
    // Introspection ran with the demo token: the typed schema of the demo's connection.
    await expect.poll(async () => (await suggestions.allInnerTexts()).join(' '), { timeout: 15_000 }).toContain('dealName');
    await context.close();
  });
});
