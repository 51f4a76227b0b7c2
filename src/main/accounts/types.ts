import type {
  Account,
  OAuthTokenInput,
  Result,
  SignOutAllReport,
  SignInOutcome,
  StateSnapshot,
  UserProfile,
} from '../../shared/domain';

/**
 * What the window (through IPC) and the tray may ask of the account service. Every action
 * resolves to a Result value; none throws.
 */
export interface AccountActions {
  snapshot(): StateSnapshot;
  /** Called with every new snapshot. Returns an unsubscribe function. */
  subscribe(listener: (snapshot: StateSnapshot) => void): () => void;
  switchTo(id: string): Promise<Result<StateSnapshot>>;
  signIn(token: OAuthTokenInput): Promise<Result<Account>>;
  /** Sign in through Pieces OS (POST /os/sign_in), optionally asking for one account. */
  signInWithPieces(accountId?: string): Promise<Result<SignInOutcome>>;
  /** Ends whichever sign-in is waiting for the person; no-op when none is. */
  cancelSignIn(): null;
  /** Sign in through the system browser with the configured provider. */
  signInWithBrowser(): Promise<Result<Account>>;
  /** Ends a browser sign-in that is waiting; no-op when none is. */
  cancelBrowserSignIn(): null;
  signOut(id: string): Promise<Result<StateSnapshot>>;
  signOutAll(): Promise<Result<SignOutAllReport>>;
  signOutMany(ids: string[]): Promise<Result<SignOutAllReport>>;
  /** Forgets the saved sign-in for `id`; Pieces OS is not asked to sign it out. */
  forgetSignIn(id: string): Promise<Result<StateSnapshot>>;
  details(id: string): Promise<Result<UserProfile>>;
  /** Refresh now, resetting any backoff. */
  retryNow(): Promise<Result<StateSnapshot>>;
  dismissNotice(id: string): StateSnapshot;
}
