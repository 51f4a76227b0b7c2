// Renewing a saved sign-in with its refresh token (RFC 6749 section 6) at the provider that
// issued it.
import { refreshTokenGrant } from 'openid-client';
import type { OAuthProviderSettings, OAuthTokenInput } from '../../shared/domain';
import { PiecesError } from '../pieces/errors';
import { toSignInError } from './errors';
import { discoverProvider, toTokenInput, type ProviderOptions } from './provider-client';

/**
 * The renewed token; the refresh token and id token carry over when the provider sends none.
 * Throws PiecesError('needs-sign-in') with the reason when the provider will not renew it.
 */
export async function refreshWithProvider(
  provider: OAuthProviderSettings,
  token: OAuthTokenInput,
  opts: ProviderOptions = {},
): Promise<OAuthTokenInput> {
  const refreshToken = token.refresh_token;
  if (!refreshToken) {
    throw new PiecesError('needs-sign-in', 'This sign-in cannot be renewed (no refresh token).');
  }
  try {
    const config = await discoverProvider(provider, opts);
    return toTokenInput(await refreshTokenGrant(config, refreshToken), token);
  } catch (err) {
    const reason = toSignInError(err, provider.issuer);
    throw new PiecesError('needs-sign-in', `The sign-in could not be renewed. ${reason.message}`);
  }
}
