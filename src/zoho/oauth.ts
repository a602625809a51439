/**
 * Zoho Accounts (OAuth 2.0) for the gateway: the consent URL, code exchange, refresh, revoke and
 * user info. The parts live in ./oauth/; import from here.
 */
export { createZohoOAuthClient, type ZohoOAuthClient, type ZohoOAuthClientOptions, type AuthorizeUrlInput } from './oauth/client.js';
export { ZohoOAuthError, ZohoNetworkError, type ZohoOAuthErrorKind, type ZohoOAuthOperation } from './oauth/errors.js';
export { splitScopes, type ZohoTokenSet, type ZohoUserInfo } from './oauth/responses.js';
export { sharedAccountsAgent, CONNECT_TIMEOUT_MS, HEADERS_TIMEOUT_MS, BODY_TIMEOUT_MS } from './oauth/http.js';
export { createPkcePair, s256Challenge, type PkcePair } from './oauth/pkce.js';
