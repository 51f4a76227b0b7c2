// What the account service needs from the sign-in provider, bound to the current setting.
import type { OAuthProviderSettings, OAuthTokenInput } from '../../shared/domain';
import { createBrowserSignIn, type BrowserSignIn } from './browser-sign-in';
import { refreshWithProvider } from './refresh';

export interface BrowserAuth {
  /** The configured issuer: only tokens it issued are ever sent back to it. */
  readonly issuer: string;
  /** A new, not yet started, browser sign-in. */
  signIn(): BrowserSignIn;
  /**
   * Renews a token; throws PiecesError('needs-sign-in') when the provider refuses the refresh
   * token, PiecesError('auth') when it could not answer for now (see refresh.ts).
   */
  refresh(token: OAuthTokenInput): Promise<OAuthTokenInput>;
}

export interface BrowserAuthOptions {
  provider: OAuthProviderSettings;
  openExternal(url: string): Promise<void>;
  allowLoopbackIssuer?: boolean;
  timeoutMs?: number;
}

export function createBrowserAuth(opts: BrowserAuthOptions): BrowserAuth {
  const { provider } = opts;
  const allowLoopbackIssuer = opts.allowLoopbackIssuer ?? false;
  return {
    issuer: provider.issuer,
    signIn: () =>
      createBrowserSignIn({
        provider,
        openExternal: opts.openExternal,
        allowLoopbackIssuer,
        ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      }),
    refresh: (token) => refreshWithProvider(provider, token, { allowLoopbackIssuer }),
  };
}
