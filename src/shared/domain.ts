// Domain types shared by every process. No runtime dependencies: the renderer imports these as types.
import { DEFAULT_QUICK_SWITCH_SHORTCUT } from './accelerator';
import type { SettingsDraft } from './settings-form';
import type { TokenFormErrors } from './token-form';

/** The closed set of error kinds that cross process boundaries. The UI maps each to words. */
export type ErrorKind =
  | 'unreachable' // connection refused / reset / DNS: Pieces OS is not running
  | 'timeout' // Pieces OS did not answer in time
  | 'http' // Pieces OS answered with an error status
  | 'bad-response' // Pieces OS answered with something that is not the documented shape
  | 'invalid-input' // the caller's input was refused before anything was sent
  | 'needs-sign-in' // no usable token for this account: the person has to sign in again
  | 'busy' // another operation is running
  | 'cancelled' // the request was cancelled
  | 'forbidden' // an IPC sender that is not the app's own window
  | 'auth' // the sign-in with the browser did not finish; the message says why, in words
  | 'untrusted' // a saved sign-in was not sent: the Pieces OS address is not trusted (message names it)
  | 'internal'; // a bug; the message says what failed, never a stack

export interface AppError {
  kind: ErrorKind;
  /** A sentence for people. Never contains a token. */
  message: string;
  /** HTTP status, for kind 'http' (and 'needs-sign-in' when the server refused a token). */
  status?: number;
  /** The path of the bad field, for kind 'bad-response' and 'invalid-input'. */
  path?: string;
  /**
   * What to fix in each field of a form main refused (kind 'invalid-input' from signIn): the
   * window shows each message at its field. Messages name fields, never what was typed.
   */
  fields?: TokenFormErrors;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: AppError): Result<T> => ({ ok: false, error });

/**
 * Pieces OS is running but answered with an error (a status, or an answer the app cannot read),
 * as opposed to nothing answering at all: the window and the tray say which.
 */
export const answeredWithError = (error: AppError): boolean =>
  error.kind === 'http' || error.kind === 'bad-response';

export interface Provider {
  /** Pieces OS provider type, e.g. "github", "google-oauth2"; unknown values pass through. */
  type: string;
  userId: string;
}

export interface Allocation {
  /** Cloud status: UNKNOWN, PENDING, RUNNING, FAILED, SUCCEEDED, DISCONNECTED, or a newer value. */
  status: string;
  project?: string;
  region?: string;
  url?: string;
}

/** A Pieces OS user as the app sees it: camelCase, ISO date strings, a display name derived once. */
export interface UserProfile {
  id: string;
  displayName: string;
  email?: string;
  username?: string;
  name?: string;
  vanityName?: string;
  picture?: string;
  /** ISO-8601 */
  created?: string;
  /** ISO-8601 */
  updated?: string;
  providers: Provider[];
  allocation?: Allocation;
  darkTheme?: boolean;
}

/**
 * An account's details as the window shows them, written by main from the profile Pieces OS
 * answered (src/shared/details-view.ts): the window adds no words of its own.
 */
export interface AccountDetails {
  displayName: string;
  /** Label and value, in order ("Created", "5 Mar 2024, 14:30"); empty values are left out. */
  fields: [label: string, value: string][];
}

/**
 * The one state of an account, decided in main (src/main/accounts/account-state.ts) and shown the
 * same in the window and the tray:
 * - active: the account Pieces OS has signed in now;
 * - ready: the app keeps a sign-in it can switch with;
 * - sign-in-needed: no saved sign-in, or it expired or was refused: the person has to sign in;
 * - not-in-pieces-os: signed out elsewhere; the app still keeps a usable sign-in for it, so a
 *   switch signs it in again (information, not an error).
 */
export type AccountState = 'active' | 'ready' | 'sign-in-needed' | 'not-in-pieces-os';

/** One row of the switcher. Never carries a token. */
export interface Account {
  id: string;
  displayName: string;
  email?: string;
  username?: string;
  picture?: string;
  /** The first provider's type, if any. */
  provider?: string;
  /** That provider's name for people ("google-oauth2" -> "Google"), written by main. */
  providerName?: string;
  /** Pieces OS currently lists this user. */
  connected: boolean;
  /** The app keeps a token for this account, so it can switch to it. */
  hasToken: boolean;
  /** The saved sign-in was refused and could not be renewed: the person has to sign in again. */
  needsSignIn?: boolean;
  /** What the window and tray show and offer for this account (see AccountState). */
  state: AccountState;
  /** When the saved sign-in expires (ISO-8601), where known (a JWT's `exp`, or a token's lifetime). */
  signInExpiresAt?: string;
}

export type ConnectionState =
  | { status: 'connecting'; url?: string }
  | {
      status: 'online';
      url: string;
      version?: string;
      /**
       * How the app follows Pieces OS: 'live' while its WebSocket streams are open, 'polling'
       * for a Pieces OS without them. Absent until known.
       */
      updates?: 'live' | 'polling';
    }
  | {
      status: 'offline';
      /**
       * The addresses that were tried, in order, runs of consecutive ports on one host as one range
       * ("http://127.0.0.1:39300–39333"): main writes them for the banner.
       */
      tried: string[];
      error: AppError;
      /** Epoch milliseconds of the next automatic retry. */
      nextRetryAt: number;
    };

export type OperationKind = 'switch' | 'sign-in' | 'sign-out' | 'sign-out-all' | 'refresh';

export interface Operation {
  kind: OperationKind;
  accountId?: string;
}

export interface Notice {
  id: string;
  level: 'info' | 'warning' | 'error';
  message: string;
}

/** A sign-in waiting for the person, shown with a Cancel until it ends. */
export interface PendingSignIn {
  /**
   * 'pieces': Pieces OS runs the sign-in in the system browser (POST /os/sign_in);
   * 'browser': the app's own OpenID provider flow.
   */
  via: 'pieces' | 'browser';
  /** The account the person was asked to choose ("Sign in as <name>…"), if any. */
  forAccount?: { id: string; displayName: string; email?: string };
  /** Epoch milliseconds when the app gives up waiting. */
  deadline: number;
}

/** What a Pieces sign-in ended with. */
export interface SignInOutcome {
  /** The account Pieces OS signed in (now active). */
  account: Account;
  /** Set when the person was asked for one account and chose another: that one is not active. */
  intended?: { id: string; displayName: string };
}

/** Everything a window or tray needs to render, pushed by main as one value on every change. */
export interface StateSnapshot {
  /**
   * Counts up with every snapshot main builds. Snapshots reach the window by two roads (pushed,
   * and as an action's answer) that need not arrive in order: the window keeps the newest.
   */
  revision: number;
  accounts: Account[];
  activeId: string | null;
  connection: ConnectionState;
  /** The operation in progress (refreshes in the background are not listed). */
  operation: Operation | null;
  /** The last failed operation, so the UI can show it next to what failed. */
  lastError: { operation: Operation; error: AppError } | null;
  notices: Notice[];
  /** Whether tokens survive a restart (safeStorage available, or plaintext opted in). */
  tokensPersist: boolean;
  /** The sign-in waiting for the person in the browser, if any. */
  pendingSignIn: PendingSignIn | null;
}

export type Theme = 'system' | 'light' | 'dark';

/** The OpenID provider the app signs in with through the browser. Not a secret: a public client. */
export interface OAuthProviderSettings {
  /** https:// issuer URL (http:// only for a loopback issuer, in tests). */
  issuer: string;
  clientId: string;
  /** e.g. ["openid", "email", "profile", "offline_access"] */
  scopes: string[];
}

/** Settings the renderer may read and change. Tokens are not settings. */
export interface PublicSettings {
  piecesOsUrl: string | null;
  requestTimeoutMs: number;
  closeToTray: boolean;
  theme: Theme;
  notifications: boolean;
  launchAtLogin: boolean;
  /** Keep tokens in plaintext on disk when the OS offers no encryption. */
  allowPlaintextTokens: boolean;
  /** How long a sign-in in the browser may take before the app stops waiting. */
  signInTimeoutMs: number;
  /** Where "Sign in with browser" goes; null: only token sign-in is offered. */
  oauthProvider: OAuthProviderSettings | null;
  /**
   * The global shortcut that opens the quick switcher, in Electron's accelerator format
   * (src/shared/accelerator.ts); '' turns it off.
   */
  quickSwitchShortcut: string;
}

/** The settings as the window reads them: the saved ones, plus what overrides them this run. */
export interface SettingsView extends PublicSettings {
  /**
   * Read-only, never saved: an address that wins over `piecesOsUrl` for this run (the web
   * preview's --emulator), so Settings can say the field is overridden instead of ignoring it.
   */
  piecesOsUrlOverride?: string;
  /**
   * The Settings form as it opens, each field's text written by main (`draftFrom` in
   * src/shared/settings-form.ts), so the window holds no conversions of its own.
   */
  form: SettingsDraft;
}

/** What a new install starts with (main's settings file adds its private fields to these). */
// Marked pure so a bundle that does not use it (the window's) leaves it out.
export const DEFAULT_PUBLIC_SETTINGS: Readonly<PublicSettings> = /* @__PURE__ */ Object.freeze({
  piecesOsUrl: null,
  requestTimeoutMs: 4000,
  closeToTray: true,
  theme: 'system',
  notifications: true,
  launchAtLogin: false,
  allowPlaintextTokens: false,
  signInTimeoutMs: 180_000,
  oauthProvider: null,
  quickSwitchShortcut: DEFAULT_QUICK_SWITCH_SHORTCUT,
});

/** What the person types in the Add account dialog: the wire OAuthToken, minus the schema. */
export interface OAuthTokenInput {
  access_token: string;
  token_type: 'Bearer' | 'UNKNOWN';
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
}

export interface SignOutAllReport {
  signedOut: string[];
  failed: { id: string; displayName: string; error: AppError }[];
}
