// Signing a user in again from the token the app saved for them, renewing it once through the
// provider that issued it when it is known to be expired or Pieces OS refuses it.
import type { OAuthTokenInput, UserProfile } from '../../shared/domain';
import type { BrowserAuth } from '../auth/browser-auth';
import { sameIssuer } from '../auth/provider';
import { PiecesError } from '../pieces/errors';
import type { PiecesClient } from '../pieces/types';
import type { StoredToken } from '../settings/token-vault';

/** A token is treated as expired this long before its end, so it does not expire in flight. */
const EXPIRY_MARGIN_MS = 60_000;

/** Known to be expired: obtained at a known time with a known lifetime (0 means unknown). */
export function isExpired(token: StoredToken, nowMs: number): boolean {
  if (token.obtained_at === undefined || token.expires_in <= 0) return false;
  return token.obtained_at + token.expires_in * 1000 - EXPIRY_MARGIN_MS <= nowMs;
}

const refused = (err: unknown): err is PiecesError =>
  err instanceof PiecesError && err.kind === 'http' && (err.status === 401 || err.status === 403);

export interface SavedSignInDeps {
  client: Pick<PiecesClient, 'signInWithToken'>;
  /** Stores a renewed token (kept even when it cannot be written). */
  store(userId: string, token: StoredToken): Promise<void>;
  /** The sign-in provider as currently configured, if any. */
  auth?: () => BrowserAuth | null;
  now: () => number;
}

/**
 * Sign `id` in with its saved token. Throws `needs-sign-in` (and reports it through
 * `flagNeedsSignIn`) when the person has to sign in again; `auth` when the provider could not
 * renew the token for now (nothing flagged, nothing stored); other failures pass through.
 */
export async function signInWithSaved(
  deps: SavedSignInDeps,
  id: string,
  saved: StoredToken,
  name: string,
  flagNeedsSignIn: () => void,
): Promise<UserProfile> {
  const needsSignIn = (message: string, status?: number): PiecesError => {
    flagNeedsSignIn();
    return new PiecesError('needs-sign-in', message, status === undefined ? {} : { status });
  };

  // Only the provider that issued the token may renew it, and only with a refresh token.
  const current = deps.auth?.() ?? null;
  const auth =
    saved.refresh_token &&
    saved.issuer !== undefined &&
    current &&
    sameIssuer(current.issuer, saved.issuer)
      ? current
      : null;

  async function renew(token: StoredToken, renewer: BrowserAuth): Promise<StoredToken> {
    let fresh: OAuthTokenInput;
    try {
      fresh = await renewer.refresh(token);
    } catch (err) {
      const why = err instanceof PiecesError ? ` ${err.message}` : '';
      // Only a refusal of the refresh token means a new sign-in; a provider that is down or slow
      // leaves the saved sign-in as it is, to be renewed on a later try.
      if (err instanceof PiecesError && err.kind === 'needs-sign-in') {
        throw needsSignIn(
          `The saved sign-in for ${name} has expired.${why} Sign in to this account again.`,
        );
      }
      throw new PiecesError(
        'auth',
        `The saved sign-in for ${name} could not be renewed.${why} Try again in a moment.`,
      );
    }
    const stored: StoredToken = { ...fresh, obtained_at: deps.now(), issuer: renewer.issuer };
    await deps.store(id, stored);
    return stored;
  }

  // An expired token is renewed before it is sent; one Pieces OS refuses is renewed once.
  let token = saved;
  let renewed = false;
  if (auth && isExpired(token, deps.now())) {
    token = await renew(token, auth);
    renewed = true;
  }
  try {
    return await deps.client.signInWithToken(token);
  } catch (err) {
    if (!refused(err)) throw err;
    if (!auth || renewed) {
      throw needsSignIn(
        `Pieces OS no longer accepts the saved sign-in for ${name}. Sign in to this account again.`,
        err.status,
      );
    }
  }
  token = await renew(token, auth);
  try {
    return await deps.client.signInWithToken(token);
  } catch (err) {
    if (!refused(err)) throw err;
    throw needsSignIn(
      `Pieces OS does not accept the renewed sign-in for ${name}. Sign in to this account again.`,
      err.status,
    );
  }
}
