// Renewing a saved sign-in with its refresh token (RFC 6749 section 6) at the provider that
// issued it.
import {
  ClientError,
  refreshTokenGrant,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
  type Configuration,
} from 'openid-client';
import type { OAuthProviderSettings, OAuthTokenInput } from '../../shared/domain';
import { PiecesError } from '../pieces/errors';
import { toSignInError } from './errors';
import { discoverProvider, toTokenInput, type ProviderOptions } from './provider-client';

/**
 * The renewed token; the refresh token and id token carry over when the provider sends none.
 * Throws PiecesError('needs-sign-in') when the provider refuses the refresh token itself
 * (`invalid_grant`, or a 400/401 from its token endpoint): only a new sign-in helps then. Anything
 * that may pass (the provider unreachable, slow, or failing with 5xx) is PiecesError('auth'), so
 * the caller can keep the sign-in and try again later.
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
  let config: Configuration;
  try {
    config = await discoverProvider(provider, opts);
  } catch (err) {
    throw notNow(err, provider.issuer);
  }
  try {
    return toTokenInput(await refreshTokenGrant(config, refreshToken), token);
  } catch (err) {
    const refusal = refused(err);
    if (refusal === undefined) throw notNow(err, provider.issuer);
    throw new PiecesError(
      'needs-sign-in',
      `The sign-in provider no longer accepts this sign-in (${refusal}).`,
    );
  }
}

const code = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined;

/** The HTTP status of the token endpoint's answer, when the error came from one. */
function statusOf(err: unknown): number | undefined {
  if (err instanceof ResponseBodyError || err instanceof WWWAuthenticateChallengeError) {
    return err.status;
  }
  // An answer that is not an OAuth error body (a text 503 page): openid-client keeps the Response.
  if (err instanceof ClientError && err.cause instanceof Response) return err.cause.status;
  return undefined;
}

/** Why the provider refused the refresh token for good (`invalid_grant`, `401`), if it did. */
function refused(err: unknown): string | undefined {
  if (err instanceof ResponseBodyError && err.error === 'invalid_grant') return 'invalid_grant';
  const status = statusOf(err);
  if (status === 400 || status === 401) {
    return (err instanceof ResponseBodyError ? code(err.error) : undefined) ?? String(status);
  }
  return undefined;
}

/** A failure that may pass: the words say what happened, never what the provider wrote. */
function notNow(err: unknown, issuer: string): PiecesError {
  let reason: string;
  const status = statusOf(err);
  if (status !== undefined) {
    const which = err instanceof ResponseBodyError ? code(err.error) : undefined;
    reason = `The sign-in provider at ${issuer} answered ${status}${which ? ` (${which})` : ''}.`;
  } else if (err instanceof ClientError && err.code === 'OAUTH_TIMEOUT') {
    reason = `The sign-in provider at ${issuer} did not answer in time.`;
  } else {
    reason = toSignInError(err, issuer).message;
  }
  return new PiecesError('auth', reason);
}
