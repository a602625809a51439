import type { ConnectService } from '../../connect/connect-service.js';
import type { Logger } from '../../log.js';
import type { Route } from '../plugins/routes.js';

export const CALLBACK_PATH = '/oauth/zoho/callback';

/**
 * Zoho redirects the user's browser here after consent. Nothing is connected yet: the outcome
 * goes back to the product as a redirect to `returnTo` with `zoho=confirm&ticket=…` (the product
 * then calls completeZohoConnect as the user who started) or `zoho=error&reason=…`, or, when
 * there is no trustworthy `returnTo` (none given, or the state itself is bad), as a small HTML
 * page that shows the ticket for a GraphiQL user to complete.
 */
export function oauthCallbackRoute(connect: ConnectService, log: Logger): Route {
  return {
    method: 'GET',
    path: CALLBACK_PATH,
    async handle(_request, url) {
      let outcome;
      try {
        outcome = await connect.callback(url.searchParams);
      } catch (err) {
        log.error({ error: err instanceof Error ? err.name : 'unknown' }, 'zoho callback crashed');
        return page(500, 'Connecting Zoho failed', 'Something went wrong on our side. Please try again.', 'internal_error');
      }
      if (outcome.returnTo) {
        const to = new URL(outcome.returnTo);
        if (outcome.ok) {
          to.searchParams.set('zoho', 'confirm');
          to.searchParams.set('ticket', outcome.ticket);
        } else {
          to.searchParams.set('zoho', 'error');
          to.searchParams.set('reason', outcome.reason);
        }
        // no-referrer: the product's page need not learn the callback URL (code, state) either.
        return new Response(null, { status: 302, headers: { location: to.toString(), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
      }
      if (outcome.ok) return confirmPage(outcome.ticket, outcome.email, outcome.orgName);
      return page(400, 'Connecting Zoho failed', EXPLAIN[outcome.reason] ?? 'Please start again.', outcome.reason);
    },
  };
}

const EXPLAIN: Record<string, string> = {
  access_denied: 'Access was not granted on Zoho’s consent page.',
  invalid_state: 'This link is not valid. Please start connecting again from the app.',
  expired_state: 'This link has expired. Please start connecting again from the app.',
  replayed_state: 'This link was already used. Please start connecting again from the app.',
  unknown_accounts_server: 'Zoho sent us to an accounts server we do not know, so nothing was sent to it.',
  environment_mismatch: 'The Zoho account belongs to another environment (production, sandbox or developer) than the one chosen. Please connect again choosing the matching data centre.',
  invalid_code: 'Zoho did not accept the authorization code (it may have expired). Please try again.',
  no_refresh_token: 'Zoho granted no offline access. Please try again and accept the consent screen.',
  zoho_unavailable: 'Zoho could not be reached. Please try again shortly.',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The confirm page carries a ticket: it must not leak through a Referer or be framed.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

function page(status: number, title: string, text: string, reason: string): Response {
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title><body style="font-family:system-ui;margin:3rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><small>zoho=error reason=${escapeHtml(reason)}</small></p></body></html>`;
  return new Response(html, { status, headers: HEADERS });
}

/**
 * No returnTo: the ticket is shown so whoever started (in GraphiQL, say) can complete it. It is
 * useless to anyone else, and the page says not to hand it over.
 */
function confirmPage(ticket: string, email: string, orgName: string): Response {
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Confirm the Zoho CRM connection</title><body style="font-family:system-ui;margin:3rem"><h1>One more step</h1><p>Zoho granted access to ${escapeHtml(email)} (${escapeHtml(orgName)}). Nothing is connected yet: the user who started connecting must confirm within 10 minutes by calling</p><pre>mutation { completeZohoConnect(ticket: "<span id="ticket">${escapeHtml(ticket)}</span>") { email orgName } }</pre><p>with their own token. Only that user can use this ticket. If you did not start connecting yourself, close this window and give the ticket to no one.</p><p><small>zoho=confirm</small></p></body></html>`;
  return new Response(html, { status: 200, headers: HEADERS });
}

/** The ticket on a confirm page (for the demo and tests, which read the page like a user would). */
export function ticketOnPage(html: string): string | undefined {
  return /<span id="ticket">([A-Za-z0-9_-]+)<\/span>/.exec(html)?.[1];
}
