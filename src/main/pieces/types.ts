import type { PeerCheck } from './http-adapter';
import type { OAuthTokenInput, UserProfile } from '../../shared/domain';

export interface RequestOptions {
  signal?: AbortSignal;
  /**
   * Send to this base URL instead of resolving one, so that requests belonging together (one
   * refresh) all reach the server they are reported for, even if the URL changes meanwhile.
   */
  baseUrl?: string;
  /**
   * Asked about the connection before the request is written on it, once per connection: the
   * reason not to send, or undefined (./trust.ts checks who holds the other end this way).
   */
  peer?: PeerCheck;
}

/**
 * The Pieces OS Users API as the rest of the main process sees it. Every method validates the
 * response and throws `PiecesError` (kinds: unreachable, timeout, http, bad-response,
 * invalid-input, cancelled) on failure.
 */
export interface PiecesClient {
  /**
   * When Pieces OS answers with the same bytes as last time, the same array (same objects) as
   * last time: unchanged by identity. Callers treat it as read-only.
   */
  listUsers(opts?: RequestOptions): Promise<UserProfile[]>;
  getUser(id: string, opts?: RequestOptions): Promise<UserProfile>;
  signInWithToken(token: OAuthTokenInput, opts?: RequestOptions): Promise<UserProfile>;
  /** Returns the users left. */
  disconnect(id: string, opts?: RequestOptions): Promise<UserProfile[]>;
  /** `null`: nobody is current. `undefined`: this Pieces OS has no `GET /user`. */
  currentUser(opts?: RequestOptions): Promise<UserProfile | null | undefined>;
  /** Resolves when `GET /.well-known/health` says ok; throws otherwise. */
  health(opts?: RequestOptions): Promise<void>;
  /** `GET /.well-known/version`, or undefined when the server has none. */
  version(opts?: RequestOptions): Promise<string | undefined>;
  /** The base URL in use (resolving it if needed), e.g. http://127.0.0.1:39300 */
  baseUrl(): Promise<string>;
  /** The URLs the last resolution tried, for the "not reachable" banner. */
  triedUrls(): string[];
  /** Forget the resolved base URL so the next call resolves again (after the server stopped answering). */
  invalidate(): void;
  setTimeout(ms: number): void;
  /**
   * `POST /os/sign_in`: Pieces OS runs the sign-in in the system browser and answers when the
   * person is done, with whoever signed in (now the current user). Waits up to `timeoutMs`
   * (default 180 s), then throws kind 'timeout'; `signal` cancels (kind 'cancelled').
   */
  signInWithPieces(opts?: SignInWithPiecesOptions): Promise<UserProfile>;
  /**
   * `POST /os/sign_out`: signs the current user out of Pieces OS; returns the users left.
   * undefined: this Pieces OS has no such endpoint (404).
   */
  signOutOfOs(opts?: RequestOptions): Promise<UserProfile[] | undefined>;
  /**
   * `GET /user/access_token`: the current user's access token, checked to be one token-shaped
   * string (else 'bad-response', never quoting it). undefined: this Pieces OS has no such endpoint.
   */
  accessToken(opts?: RequestOptions): Promise<string | undefined>;
}

export interface SignInWithPiecesOptions extends RequestOptions {
  /** How long to wait for the person. Default 180 000 ms. */
  timeoutMs?: number;
}

/** Where a resolved base URL came from, in the order they are tried. */
export type BaseUrlSource = 'setting' | 'env' | 'port-file' | 'probe' | 'legacy';

/** Finds the Pieces OS base URL once and caches it until `invalidate()`. */
export interface BaseUrlResolver {
  /** The base URL without a trailing slash, e.g. http://127.0.0.1:39300. Never rejects. */
  resolve(): Promise<string>;
  /** Forget the cached URL; the next `resolve()` looks again. */
  invalidate(): void;
  /** The URLs the last resolution tried, in order. */
  tried(): string[];
  /** Where the cached URL came from; undefined before the first resolution completes. */
  source(): BaseUrlSource | undefined;
  /** Candidates the last resolution skipped and why (a malformed setting, an unreadable port file). */
  skipped?(): string[];
}
