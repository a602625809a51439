import { randomBytes } from 'node:crypto';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

/**
 * GraphiQL served whole by the gateway: @graphql-yoga/render-graphiql inlines its bundle (one
 * <style>, one <script> of ~9 MB holding the app and the three Monaco workers as strings), so the
 * page loads nothing from a CDN and works on a machine with no network.
 *
 * Each answer carries a Content-Security-Policy that allows only the gateway's origin, with a
 * fresh nonce for the page's two inline blocks (never 'unsafe-inline' for scripts or style
 * elements, never 'unsafe-eval'). The nonce, not a hash, because the editor inserts <style>
 * elements of its own at run time (Monaco's theme colours, which change with the light/dark
 * theme; Radix's scroll lock): the page's script gives each one the nonce as it is created (see
 * `PRELUDE`), while a <style> smuggled in as markup has none and is refused. What else the policy
 * grants, and why:
 * - `worker-src blob:`: the inline script turns each Monaco worker's source into a blob: URL
 *   (render-graphiql's own loader); a blob: URL is made by the page itself, never fetched.
 * - `img-src data:`, `font-src data:`: the favicon, icons and codicon font are data: URLs.
 * - `style-src-attr 'unsafe-inline'`: Monaco renders its lines as HTML strings whose style
 *   attributes hold pixel offsets that change as one scrolls and types, so no hash can list them.
 *   An attribute runs no script, and img-src/font-src keep a url() in one on the gateway.
 */
export interface GraphiQLPage {
  /** The page without its nonce, for Yoga's renderGraphiQL: refused by the browser until `withGraphiQLPolicy` stamps it. */
  template: string;
  /** The answer for one GraphiQL request: the page with a fresh nonce, and its CSP header value. */
  render(): { html: string; csp: string };
}

const NONCE = '__GATEWAY_CSP_NONCE__';

/**
 * Runs first in the page's script: gives every <style> the page's scripts create the page's
 * nonce (Monaco creates them with document.createElement; Radix's react-style-singleton reads
 * `__webpack_nonce__`). Markup parsed from a string never goes through createElement.
 */
const PRELUDE = `(function () {
  var nonce = document.currentScript.nonce;
  window.__webpack_nonce__ = nonce;
  var create = Document.prototype.createElement;
  Document.prototype.createElement = function (name, options) {
    var el = create.call(this, name, options);
    if (String(name).toLowerCase() === 'style') el.nonce = nonce;
    return el;
  };
})();
`;

export function graphiqlPage(options: GraphiQLOptions): GraphiQLPage {
  const rendered = renderGraphiQL(options);
  // The first <style> and <script> are the page's own (the bundle's text holds more of both,
  // inside strings). A new render-graphiql that loads other blocks or assets would be refused by
  // the CSP: fail at start, not in the browser.
  const script = rendered.indexOf('<script>');
  const head = rendered.slice(0, script);
  if (script < 0 || head.split('<style>').length !== 2 || /<script|<link[^>]+stylesheet/.test(head))
    throw new Error('render-graphiql page changed shape: expected one inline <style>, then one inline <script>');
  const template = rendered.replace('<script>', `<script nonce="${NONCE}">${PRELUDE}`).replace('<style>', `<style nonce="${NONCE}">`);
  const parts = template.split(NONCE);
  return {
    template,
    render() {
      const nonce = randomBytes(16).toString('base64');
      const csp = [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        `style-src 'self' 'nonce-${nonce}'`,
        `style-src-elem 'self' 'nonce-${nonce}'`,
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
      ].join('; ');
      return { html: parts.join(nonce), csp };
    },
  };
}

/**
 * Answers Yoga's GraphiQL page (the only text/html the gateway serves) with a fresh nonce and its
 * CSP. Called from yoga.ts' one onResponse hook; Yoga's renderGraphiQL option only marks the page.
 */
export function withGraphiQLPolicy(page: GraphiQLPage, request: Request, response: Response, setResponse: (r: Response) => void): void {
  if (request.method !== 'GET' || response.headers.get('content-type') !== 'text/html') return;
  const { html, csp } = page.render();
  const headers = new Headers(response.headers);
  // Yoga's length is the template's, shorter than the stamped page.
  headers.delete('content-length');
  headers.set('content-type', 'text/html; charset=utf-8');
  headers.set('content-security-policy', csp);
  headers.set('x-content-type-options', 'nosniff');
  setResponse(new Response(html, { status: response.status, headers }));
}
