export { SCOPES, type Caller, type Scope } from './caller.js';
export { createJwtVerifier, type JwtVerifier, type JwtVerifierOptions } from './jwt.js';
export { hasScope, requireScope, missingScopeError, isRecordScope, type RecordScope } from './scopes.js';
export {
  authScopesFor,
  unauthorizedError,
  errorForFailure,
  type GatewayAuthScopes,
  type GatewayScopeLoaders,
  type ScopeRequirement,
} from './pothos-scopes.js';
export {
  createOAuthStateService,
  StateError,
  MAX_STATE_CHARS,
  type OAuthStateData,
  type OAuthStateService,
  type OAuthStateServiceOptions,
  type StateErrorReason,
} from './oauth-state.js';
export { mintDevToken, type MintDevTokenInput } from './mint.js';
export { DEFAULT_CONNECTION_NAME } from './claims.js';
