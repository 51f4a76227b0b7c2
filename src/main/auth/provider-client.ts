// openid-client set up for one provider: discovery (with http allowed only for a loopback issuer
// the caller allows), and the provider's token response in the shape Pieces OS takes.
import {
  allowInsecureRequests,
  enableNonRepudiationChecks,
  discovery,
  None,
  type Configuration,
  type TokenEndpointResponse,
} from 'openid-client';
import type { OAuthProviderSettings, OAuthTokenInput } from '../../shared/domain';
import { PiecesError } from '../pieces/errors';
import { isLoopbackHttpUrl } from './provider';
import { toSignInError } from './errors';

export interface ProviderOptions {
  /** Allow an http:// issuer on a loopback address (tests, development). */
  allowLoopbackIssuer?: boolean;
  /** Per provider request, in seconds. Default 15. */
  requestTimeoutSec?: number;
}

/** Discovers the provider from its issuer URL. Throws PiecesError ('invalid-input' or 'auth'). */
export async function discoverProvider(
  provider: OAuthProviderSettings,
  opts: ProviderOptions = {},
): Promise<Configuration> {
  let issuer: URL;
  try {
    issuer = new URL(provider.issuer);
  } catch {
    throw new PiecesError('invalid-input', 'The sign-in provider setting is not a URL.');
  }
  const insecure = isLoopbackHttpUrl(issuer);
  if (issuer.protocol !== 'https:' && !(insecure && opts.allowLoopbackIssuer)) {
    throw new PiecesError(
      'invalid-input',
      'The sign-in provider must be an https:// address (http:// is only allowed for a provider on this computer in development builds).',
    );
  }
  try {
    // A public client (RFC 8252 section 8.4): no client secret, PKCE instead.
    return await discovery(issuer, provider.clientId, undefined, None(), {
      timeout: opts.requestTimeoutSec ?? 15,
      // Non-repudiation: id_token signatures are checked against the provider's JWKS, not only
      // trusted because they came over TLS.
      execute: insecure
        ? [allowInsecureRequests, enableNonRepudiationChecks]
        : [enableNonRepudiationChecks],
    });
  } catch (err) {
    throw toSignInError(err, provider.issuer);
  }
}

/**
 * A token endpoint response as the OAuthToken Pieces OS takes. A refresh response may leave out
 * the refresh token and id token (RFC 6749 section 6, OpenID Connect Core 12.2): then the
 * previous ones are kept.
 */
export function toTokenInput(
  response: TokenEndpointResponse,
  previous?: OAuthTokenInput,
): OAuthTokenInput {
  const token: OAuthTokenInput = {
    access_token: response.access_token,
    token_type: response.token_type.toLowerCase() === 'bearer' ? 'Bearer' : 'UNKNOWN',
    // Unknown lifetime: 0, which the app reads as "not known to expire" and leaves to Pieces OS.
    expires_in:
      typeof response.expires_in === 'number' && Number.isInteger(response.expires_in)
        ? Math.max(0, response.expires_in)
        : 0,
  };
  const scope = response.scope ?? previous?.scope;
  const refresh = response.refresh_token ?? previous?.refresh_token;
  const idToken = response.id_token ?? previous?.id_token;
  if (scope !== undefined) token.scope = scope;
  if (refresh !== undefined) token.refresh_token = refresh;
  if (idToken !== undefined) token.id_token = idToken;
  return token;
}
