// What went wrong in a browser sign-in or a refresh, in words. The provider's own texts
// (error_description) are not passed on: they are not ours to vouch for. Only its error code is,
// when it looks like one.
import { AuthorizationResponseError, ClientError, ResponseBodyError } from 'openid-client';
import { PiecesError } from '../pieces/errors';

const code = (value: unknown): string | undefined =>
  typeof value === 'string' && /^[\w.-]{1,64}$/.test(value) ? value : undefined;

/** The authorization response carried `error=...` (RFC 6749 section 4.1.2.1). */
function authorizationError(error: string): PiecesError {
  switch (error) {
    case 'access_denied':
      return new PiecesError(
        'auth',
        'The sign-in was declined at the provider, so no account was added.',
      );
    case 'login_required':
    case 'interaction_required':
    case 'consent_required':
    case 'account_selection_required':
      return new PiecesError(
        'auth',
        'The provider needs you to finish signing in in the browser. Try again.',
      );
    case 'temporarily_unavailable':
    case 'server_error':
      return new PiecesError('auth', 'The sign-in provider had a problem. Try again in a moment.');
    default:
      return new PiecesError('auth', `The sign-in provider refused the sign-in (${error}).`);
  }
}

function causeMessage(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : '';
}

/** Any error from a sign-in's provider phase as a PiecesError with a message for people. */
export function toSignInError(err: unknown, issuer: string): PiecesError {
  if (err instanceof PiecesError) return err;
  if (err instanceof AuthorizationResponseError) {
    return authorizationError(code(err.error) ?? 'unknown_error');
  }
  if (err instanceof ResponseBodyError) {
    const which = code(err.error);
    return new PiecesError(
      'auth',
      `The sign-in provider refused to complete the sign-in${which ? ` (${which})` : ''}. Try again.`,
    );
  }
  if (err instanceof ClientError && /"state"/.test(causeMessage(err))) {
    return new PiecesError(
      'auth',
      'The answer that reached the app does not belong to this sign-in (its state does not match), so it was refused. Try again.',
    );
  }
  if (err instanceof TypeError) {
    // fetch() failed: refused, reset, DNS, TLS.
    return new PiecesError(
      'auth',
      `The sign-in provider at ${issuer} could not be reached. Check the connection and the provider setting.`,
    );
  }
  if (err instanceof ClientError) {
    const which = code(err.code);
    return new PiecesError(
      'auth',
      `The sign-in provider at ${issuer} answered something the app cannot use${which ? ` (${which})` : ''}.`,
    );
  }
  return new PiecesError('auth', 'The sign-in with the browser failed.');
}
