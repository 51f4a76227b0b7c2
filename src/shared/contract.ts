// The IPC contract: every invoke channel with its argument and result, and every event main pushes.
// Main validates arguments at runtime (src/main/ipc/validators.ts); the preload exposes exactly one
// function per channel. Nothing else crosses the bridge.
import type {
  PublicSettings,
  SettingsView,
  Result,
  SignOutAllReport,
  StateSnapshot,
  AccountDetails,
  Account,
  SignInOutcome,
} from './domain';
import type { SettingsCheck, SettingsDraft } from './settings-form';
import type { StatePatch, StateUpdate } from './state-patch';
import type { TokenForm } from './token-form';

// The answer of an action that changes the state is a StatePatch: what changed while it ran (the
// accounts it touched and the small fields), never the whole list, so a switch at 10,000 accounts
// answers in a message of a few hundred bytes. Only getState answers with the whole snapshot.
export interface InvokeContract {
  getState: { args: void; result: StateSnapshot };
  switchTo: { args: { id: string }; result: StatePatch };
  /**
   * Signs in with the Add account form as the person filled it in: main checks it (the window
   * has none of the checks), tidies the token and sends it to Pieces OS. A form main refuses
   * comes back as 'invalid-input' with a message for each field to fix (`error.fields`), and
   * nothing is sent. The token crosses from the window once; no token ever comes back to it.
   */
  signIn: { args: { form: TokenForm }; result: Account };
  /**
   * Sign in the way Pieces' own clients do: Pieces OS runs the sign-in in the system browser
   * (POST /os/sign_in). `accountId`: the account the person is asked to choose ("Sign in as").
   */
  signInWithPieces: { args: { accountId?: string }; result: SignInOutcome };
  /** Ends whichever sign-in is waiting for the person (Pieces or browser); no-op when none is. */
  cancelSignIn: { args: void; result: null };
  /** Sign in through the system browser with the configured provider; resolves when done. */
  signInWithBrowser: { args: void; result: Account };
  /** Ends a browser sign-in that is waiting (it then fails with kind 'cancelled'). */
  cancelBrowserSignIn: { args: void; result: null };
  signOut: { args: { id: string }; result: StatePatch };
  signOutAll: { args: void; result: SignOutAllReport };
  /** Sign out of these accounts (e.g. "Retry the 3 that failed"), going on past failures. */
  signOutMany: { args: { ids: string[] }; result: SignOutAllReport };
  /** Forgets the app's saved sign-in for an account, without signing it out of Pieces OS. */
  forgetSignIn: { args: { id: string }; result: StatePatch };
  getDetails: { args: { id: string }; result: AccountDetails };
  /**
   * The account's profile picture as a `data:` URL, fetched and cached by main (the window makes
   * no request of its own), or null: the window shows initials. Main picks the URL from the account.
   */
  getPicture: { args: { id: string }; result: string | null };
  retryConnection: { args: void; result: StatePatch };
  dismissNotice: { args: { id: string }; result: StatePatch };
  getSettings: { args: void; result: SettingsView };
  updateSettings: { args: Partial<PublicSettings>; result: SettingsView };
  /**
   * Checks the Settings form against the settings in force, saving nothing: the patch to give
   * updateSettings (empty when nothing changed), or a message for each field to fix.
   */
  checkSettings: { args: SettingsDraft; result: SettingsCheck };
  /**
   * Asks main to show a dialog naming the current Pieces OS address, so the person can confirm it
   * is their Pieces OS; only then are saved sign-ins sent to an address from Settings or a port
   * scan. The window cannot confirm on its own: main asks the person.
   */
  confirmPiecesOsAddress: { args: void; result: AddressConfirmation };
  /** Hides the quick switcher (Escape, or after a switch); main also hides it when it loses focus. */
  closePalette: { args: void; result: null };
}

export interface AddressConfirmation {
  /** The address the dialog named. */
  url: string;
  /** True when the person confirmed it (or it was already trusted). */
  confirmed: boolean;
}

/** Requests from main for the window, e.g. the tray's "Add account…". */
export type WindowCommand = 'add-account';

export interface EventContract {
  /** The whole snapshot, or what changed since the one pushed before (see state-patch.ts). */
  state: StateUpdate;
  command: WindowCommand;
}

export type InvokeChannel = keyof InvokeContract;
export type EventName = keyof EventContract;
export type ArgsOf<C extends InvokeChannel> = InvokeContract[C]['args'];
export type ResultOf<C extends InvokeChannel> = InvokeContract[C]['result'];

/** Every channel, in one list, so preload and main cannot forget one. */
export const INVOKE_CHANNELS = [
  'getState',
  'switchTo',
  'signIn',
  'signInWithPieces',
  'cancelSignIn',
  'signInWithBrowser',
  'cancelBrowserSignIn',
  'signOut',
  'signOutAll',
  'signOutMany',
  'forgetSignIn',
  'getDetails',
  'getPicture',
  'retryConnection',
  'dismissNotice',
  'getSettings',
  'updateSettings',
  'checkSettings',
  'confirmPiecesOsAddress',
  'closePalette',
] as const satisfies readonly InvokeChannel[];

export const EVENT_NAMES = ['state', 'command'] as const satisfies readonly EventName[];

/** The wire name of a channel. Prefixed so the app's channels never collide with Electron's. */
export const ipcChannel = (c: InvokeChannel): string => `pieces:${c}`;
export const ipcEvent = (e: EventName): string => `pieces:event:${e}`;

type Fn<C extends InvokeChannel> =
  ArgsOf<C> extends void
    ? () => Promise<Result<ResultOf<C>>>
    : (args: ArgsOf<C>) => Promise<Result<ResultOf<C>>>;

/** `window.pieces`: what the preload (or the web preview's transport) gives the renderer. */
export type PiecesBridge = { [C in InvokeChannel]: Fn<C> } & {
  onState(cb: (update: StateUpdate) => void): () => void;
  onCommand(cb: (command: WindowCommand) => void): () => void;
};

// Compile-time check that INVOKE_CHANNELS names every channel.
type Missing = Exclude<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>;
export const ALL_CHANNELS_LISTED: [Missing] extends [never] ? true : never = true;
