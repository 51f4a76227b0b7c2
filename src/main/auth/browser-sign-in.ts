// Sign-in through the system browser (RFC 8252, OAuth 2.0 for native apps): authorization code
// with PKCE, state and nonce, redirected to a loopback listener that lives only for this sign-in.
// openid-client does the protocol work: building the URL, checking the response and state,
// exchanging the code with the verifier, validating the id token.
import {
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
} from 'openid-client';
import type { OAuthProviderSettings, OAuthTokenInput } from '../../shared/domain';
import { PiecesError } from '../pieces/errors';
import { toSignInError } from './errors';
import { startLoopbackRedirect, type LoopbackRedirect } from './loopback-redirect';
import { canOpenForSignIn } from './open-policy';
import { discoverProvider, toTokenInput } from './provider-client';

export const DEFAULT_SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface BrowserSignInOptions {
  provider: OAuthProviderSettings;
  /** Opens the URL in the system browser (Electron's shell.openExternal). */
  openExternal(url: string): Promise<void>;
  /** How long to wait for the browser to come back. Default 5 minutes. */
  timeoutMs?: number;
  /** Allow an http:// issuer on a loopback address (tests, development builds). Default false. */
  allowLoopbackIssuer?: boolean;
  /** Called with the loopback listener once it is up (tests check its port is closed after). */
  onListening?(redirect: LoopbackRedirect): void;
}

export interface BrowserSignIn {
  /** Runs the sign-in once; resolves with the provider's token, or rejects with a PiecesError. */
  start(): Promise<OAuthTokenInput>;
  /** Ends a running sign-in: `start()` rejects with kind 'cancelled'. */
  cancel(): void;
}

type Stop = { kind: 'cancelled' } | { kind: 'timeout' };

const count = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

const minutes = (ms: number): string => {
  const m = Math.round(ms / 60_000);
  return m >= 1 ? count(m, 'minute') : count(Math.max(1, Math.round(ms / 1000)), 'second');
};

export function createBrowserSignIn(opts: BrowserSignInOptions): BrowserSignIn {
  const { provider } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_SIGN_IN_TIMEOUT_MS;
  const allowLoopback = opts.allowLoopbackIssuer ?? false;
  let stop: ((why: Stop) => void) | null = null;
  let stopped: Stop | null = null;
  let started = false;

  const stopError = (why: Stop): PiecesError =>
    why.kind === 'cancelled'
      ? new PiecesError('cancelled', 'The sign-in was cancelled.')
      : new PiecesError(
          'auth',
          `The sign-in timed out: nothing came back from the browser within ${minutes(timeoutMs)}. If the browser was closed, start again.`,
        );

  async function run(abort: Promise<never>): Promise<OAuthTokenInput> {
    const race = <T>(p: Promise<T>): Promise<T> => Promise.race([p, abort]);
    const config = await race(discoverProvider(provider, { allowLoopbackIssuer: allowLoopback }));
    // Not raced: a listener that started must always reach the close() in `finally` below.
    const state = randomState();
    // The listener answers 400 to a callback with another state and keeps waiting: a local
    // process that hits it first cannot end this sign-in.
    const redirect = await startLoopbackRedirect({ expectedState: state });
    opts.onListening?.(redirect);
    let outcome: { ok: true } | { ok: false; message: string } = {
      ok: false,
      message: 'The sign-in was stopped in the app.',
    };
    try {
      if (stopped) throw stopError(stopped);
      const verifier = randomPKCECodeVerifier();
      const nonce = randomNonce();
      const params: Record<string, string> = {
        redirect_uri: redirect.redirectUri,
        scope: provider.scopes.join(' '),
        code_challenge: await calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      };
      // Let the person pick which account to sign in with, unless the provider says it cannot.
      const prompts = config.serverMetadata().prompt_values_supported;
      if (!Array.isArray(prompts) || prompts.includes('select_account')) {
        params.prompt = 'select_account';
      }
      const url = buildAuthorizationUrl(config, params);
      if (!canOpenForSignIn(url.href, provider.issuer, allowLoopback)) {
        throw new PiecesError(
          'auth',
          `The provider's sign-in page is not at ${new URL(provider.issuer).origin}, so the app did not open it.`,
        );
      }
      try {
        // Electronegativity flags this; allow-listed: the URL passed canOpenForSignIn() just above.
        await race(opts.openExternal(url.href));
      } catch (err) {
        if (stopped) throw err;
        throw new PiecesError('auth', 'The browser could not be opened for the sign-in.');
      }
      const callbackUrl = await race(redirect.callback);
      const response = await race(
        authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: verifier,
          expectedState: state,
          expectedNonce: nonce,
        }),
      );
      const token = toTokenInput(response);
      outcome = { ok: true };
      return token;
    } catch (err) {
      const error = stopped ? stopError(stopped) : toSignInError(err, provider.issuer);
      outcome = { ok: false, message: error.message };
      throw error;
    } finally {
      await redirect.close(outcome);
    }
  }

  return {
    async start() {
      if (started) throw new PiecesError('busy', 'This sign-in has already been started.');
      started = true;
      if (stopped) throw stopError(stopped); // cancelled before it began
      let timer: ReturnType<typeof setTimeout> | undefined;
      const abort = new Promise<never>((_, reject) => {
        stop = (why) => {
          if (stopped) return;
          stopped = why;
          reject(stopError(why));
        };
        timer = setTimeout(() => stop?.({ kind: 'timeout' }), timeoutMs);
      });
      abort.catch(() => undefined); // observed through race(); never an unhandled rejection
      try {
        return await run(abort);
      } catch (err) {
        throw stopped ? stopError(stopped) : toSignInError(err, provider.issuer);
      } finally {
        clearTimeout(timer);
        stop = null;
      }
    },
    cancel() {
      if (stop) stop({ kind: 'cancelled' });
      else stopped ??= { kind: 'cancelled' };
    },
  };
}
