import { createJwtVerifier, type JwtVerifier } from '../auth/jwt.js';
import { isGatewayError } from '../errors.js';

/**
 * The demo gateway's verifier: the configured key sources (so `npm run token` with JWT_SECRET
 * keeps working in the demo), and beside them the demo's own random secret, which signs the token
 * the demo prints. A token the configured sources refuse is tried against the demo secret; when
 * both refuse, the configured sources' reason is the one reported.
 */
export function acceptDemoTokens(configured: JwtVerifier, demoSecret: string): JwtVerifier {
  const demo = createJwtVerifier({ secret: demoSecret, publicKey: undefined, jwksUrl: undefined, issuer: undefined, audience: undefined });
  return {
    async verify(authorizationHeader) {
      try {
        return await configured.verify(authorizationHeader);
      } catch (error) {
        if (!isGatewayError(error, 'UNAUTHENTICATED')) throw error;
        try {
          return await demo.verify(authorizationHeader);
        } catch {
          throw error;
        }
      }
    },
  };
}
