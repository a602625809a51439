import type { ConnectService } from '../../connect/connect-service.js';
import type { Logger } from '../../log.js';
import type { Route } from '../plugins/routes.js';

export const CALLBACK_PATH = '/oauth/zoho/callback';

/**
 * Zoho redirects the user's browser here after consent. The outcome goes back to the product as
 * a redirect to `returnTo` with `zoho=connected` or `zoho=error&reason=…`, or, when there is no
 * trustworthy `returnTo` (none given, or the state itself is bad), as a small HTML page.
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
        if (outcome.ok) to.searchParams.set('zoho', 'connected');
        else {
          to.searchParams.set('zoho', 'error');
          to.searchParams.set('reason', outcome.reason);
        }
        return new Response(null, { status: 302, headers: { location: to.toString(), 'cache-control': 'no-store' } });
      }
      if (outcome.ok) return page(200, 'Zoho CRM connected', `Connected as ${outcome.connection.email} (${outcome.connection.orgName}). You can close this window.`, 'connected');
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
  invalid_code: 'Zoho did not accept the authorization code (it may have expired). Please try again.',
  no_refresh_token: 'Zoho granted no offline access. Please try again and accept the consent screen.',
  zoho_unavailable: 'Zoho could not be reached. Please try again shortly.',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, text: string, reason: string): Response {
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(title)}</title><body style="font-family:system-ui;margin:3rem"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p><p><small>zoho=${status === 200 ? 'connected' : 'error'} reason=${escapeHtml(reason)}</small></p></body></html>`;
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}
