import type { AccessTokens, CallTarget } from '../zoho/client.js';

/**
 * The token manager seen by one GraphQL request: the connection is looked up once per request,
 * not once per Zoho call (usually in the process's cache, see connection-cache.ts). Safe because every token handed out is valid for at least two
 * more minutes, far longer than a request lives; a forced refresh replaces the memo.
 */
export function perRequestTokens(tokens: AccessTokens): AccessTokens {
  let memo: Promise<CallTarget> | undefined;
  return {
    getAccessToken(tenantId, connectionName) {
      memo ??= tokens.getAccessToken(tenantId, connectionName).catch((err: unknown) => {
        memo = undefined; // a failure is not remembered: a later call may succeed
        throw err;
      });
      return memo;
    },
    async forceRefresh(tenantId, connectionName, rejectedAccessToken) {
      const connection = await tokens.forceRefresh(tenantId, connectionName, rejectedAccessToken);
      memo = Promise.resolve(connection);
      return connection;
    },
  };
}
