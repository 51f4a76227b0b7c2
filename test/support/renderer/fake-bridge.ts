// A PiecesBridge that behaves like a tiny main process: it keeps one snapshot, answers every
// channel, records each call, and lets a test push snapshots or replace any channel's answer.
import type {
  ArgsOf,
  InvokeChannel,
  PiecesBridge,
  ResultOf,
  WindowCommand,
} from '../../../src/shared/contract';
import {
  DEFAULT_PUBLIC_SETTINGS,
  fail,
  type Account,
  type SettingsView,
  type Result,
  type StateSnapshot,
  type UserProfile,
} from '../../../src/shared/domain';
import { draftFrom, settingsPatch } from '../../../src/shared/settings-form';
import { changeBetween, type StatePatch, type StateUpdate } from '../../../src/shared/state-patch';
import { checkTokenForm } from '../../../src/shared/token-form';
import { accountDetails } from '../../../src/shared/details-view';

/** Main's words for a profile, as its getDetails answers (for tests that shape the profile). */
export { accountDetails };

type Handler<C extends InvokeChannel> = (
  args: ArgsOf<C>,
) => Result<ResultOf<C>> | Promise<Result<ResultOf<C>>>;

export interface Call {
  channel: InvokeChannel;
  args: unknown;
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
// For an id main does not know, the answers main's account service gives.
const notInList = <T>(): Result<T> => ({
  ok: false,
  error: { kind: 'invalid-input', message: 'That account is not in the list any more.' },
});
const noSavedSignIn = <T>(): Result<T> => ({
  ok: false,
  error: {
    kind: 'needs-sign-in',
    message: 'The app has no saved sign-in for this account. Sign in to this account again.',
  },
});
const unknownUser = <T>(id: string): Result<T> => ({
  ok: false,
  error: {
    kind: 'http',
    status: 404,
    message: `Pieces OS answered 404 to GET /users/${id}: User not found`,
  },
});

export function profileOf(account: Account): UserProfile {
  return {
    id: account.id,
    displayName: account.displayName,
    email: account.email,
    username: account.username,
    picture: account.picture,
    providers: account.provider ? [{ type: account.provider, userId: `${account.id}-p` }] : [],
  };
}

export class FakeBridge {
  state: StateSnapshot;
  settings: Omit<SettingsView, 'form'>;
  readonly calls: Call[] = [];
  /** Replace a channel's answer; the default answers act like main. */
  readonly handlers: { [C in InvokeChannel]?: Handler<C> } = {};
  /** What getPicture answers for a picture URL (as data: URLs); unlisted URLs have none. */
  readonly pictures = new Map<string, string>();
  readonly #listeners = new Set<(u: StateUpdate) => void>();
  readonly #commandListeners = new Set<(c: WindowCommand) => void>();

  constructor(state: StateSnapshot, settings: Partial<Omit<SettingsView, 'form'>> = {}) {
    this.state = state;
    this.settings = { ...DEFAULT_PUBLIC_SETTINGS, ...settings };
  }

  /** Main pushes a new snapshot. */
  push(next: Partial<StateSnapshot>): void {
    this.state = { ...this.state, ...next, revision: this.state.revision + 1 };
    for (const listener of this.#listeners) listener(this.state);
  }

  /**
   * Main pushes `next` (as push() does) and answers the action with what changed since `before`,
   * the way main's handlers answer (a patch, never the whole list).
   */
  change(before: StateSnapshot, next: Partial<StateSnapshot>): Result<StatePatch> {
    this.push(next);
    return ok(changeBetween(before, this.state));
  }

  /** An action's answer for `next`, as main gives it: the change from the state held now. */
  answer(next: StateSnapshot): StatePatch {
    return changeBetween(this.state, next);
  }

  /** Main pushes `update` as it is (a patch, say); `state` is left for the test to keep. */
  pushUpdate(update: StateUpdate): void {
    for (const listener of this.#listeners) listener(update);
  }

  /** Main sends the window a command (the tray's "Add account…"). */
  command(command: WindowCommand): void {
    for (const listener of this.#commandListeners) listener(command);
  }

  callsTo(channel: InvokeChannel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.args);
  }

  get listenerCount(): number {
    return this.#listeners.size + this.#commandListeners.size;
  }

  #invoke<C extends InvokeChannel>(
    channel: C,
    args: ArgsOf<C>,
    fallback: Handler<C>,
  ): Promise<Result<ResultOf<C>>> {
    this.calls.push({ channel, args });
    const handler = (this.handlers[channel] as Handler<C> | undefined) ?? fallback;
    return Promise.resolve(handler(args));
  }

  #settingsView(): SettingsView {
    return { ...this.settings, form: draftFrom(this.settings) };
  }

  readonly bridge: PiecesBridge = {
    getState: () => this.#invoke('getState', undefined, () => ok(this.state)),
    switchTo: (args) =>
      this.#invoke('switchTo', args, ({ id }) => {
        if (!this.state.accounts.some((a) => a.id === id)) return noSavedSignIn();
        return this.change(this.state, { activeId: id });
      }),
    signIn: (args) =>
      this.#invoke('signIn', args, ({ form }) => {
        // Main checks the form before anything goes to Pieces OS, and names what to fix.
        const checked = checkTokenForm(form);
        if (!checked.ok) {
          return fail({
            kind: 'invalid-input',
            message: 'The token was not sent to Pieces OS.',
            fields: checked.errors,
          });
        }
        const n = this.state.accounts.length + 1;
        const account: Account = {
          id: `new-${n}`,
          displayName: `New Person ${n}`,
          email: `new${n}@example.com`,
          connected: true,
          hasToken: true,
          state: 'ready',
        };
        this.push({ accounts: [...this.state.accounts, account] });
        return ok(account);
      }),
    signInWithBrowser: () =>
      this.#invoke('signInWithBrowser', undefined, () => {
        const n = this.state.accounts.length + 1;
        const account: Account = {
          id: `browser-${n}`,
          displayName: `Browser Person ${n}`,
          email: `browser${n}@example.com`,
          connected: true,
          hasToken: true,
          state: 'ready',
        };
        this.push({ accounts: [...this.state.accounts, account], activeId: account.id });
        return ok(account);
      }),
    cancelBrowserSignIn: () => this.#invoke('cancelBrowserSignIn', undefined, () => ok(null)),
    signInWithPieces: (args) =>
      this.#invoke('signInWithPieces', args, () => {
        const n = this.state.accounts.length + 1;
        const account: Account = {
          id: `pieces-${n}`,
          displayName: `Pieces Person ${n}`,
          email: `pieces${n}@example.com`,
          connected: true,
          hasToken: true,
          state: 'active',
        };
        this.push({ accounts: [...this.state.accounts, account], activeId: account.id });
        return ok({ account });
      }),
    cancelSignIn: () => this.#invoke('cancelSignIn', undefined, () => ok(null)),
    signOut: (args) =>
      this.#invoke('signOut', args, ({ id }) => {
        if (!this.state.accounts.some((a) => a.id === id)) return notInList();
        return this.change(this.state, {
          accounts: this.state.accounts.filter((a) => a.id !== id),
          activeId: this.state.activeId === id ? null : this.state.activeId,
        });
      }),
    signOutAll: () =>
      this.#invoke('signOutAll', undefined, () => {
        const signedOut = this.state.accounts.map((a) => a.id);
        this.push({ accounts: [], activeId: null });
        return ok({ signedOut, failed: [] });
      }),
    signOutMany: (args) =>
      this.#invoke('signOutMany', args, ({ ids }) => {
        const wanted = new Set(ids);
        const signedOut = this.state.accounts.filter((a) => wanted.has(a.id)).map((a) => a.id);
        this.push({ accounts: this.state.accounts.filter((a) => !wanted.has(a.id)) });
        return ok({ signedOut, failed: [] });
      }),
    forgetSignIn: (args) =>
      this.#invoke('forgetSignIn', args, ({ id }) => {
        if (!this.state.accounts.some((a) => a.id === id)) return notInList();
        return this.change(this.state, {
          accounts: this.state.accounts.map((a) =>
            a.id === id ? { ...a, hasToken: false, state: 'sign-in-needed' as const } : a,
          ),
        });
      }),
    getDetails: (args) =>
      this.#invoke('getDetails', args, ({ id }) => {
        const account = this.state.accounts.find((a) => a.id === id);
        return account ? ok(accountDetails(profileOf(account))) : unknownUser(id);
      }),
    getPicture: (args) =>
      this.#invoke('getPicture', args, ({ id }) => {
        const url = this.state.accounts.find((a) => a.id === id)?.picture;
        return ok(url ? (this.pictures.get(url) ?? null) : null);
      }),
    retryConnection: () =>
      this.#invoke('retryConnection', undefined, () => ok(changeBetween(this.state, this.state))),
    dismissNotice: (args) =>
      this.#invoke('dismissNotice', args, ({ id }) => {
        return this.change(this.state, {
          notices: this.state.notices.filter((n) => n.id !== id),
        });
      }),
    // As main answers: the settings with the Settings form as it opens.
    getSettings: () => this.#invoke('getSettings', undefined, () => ok(this.#settingsView())),
    updateSettings: (args) =>
      this.#invoke('updateSettings', args, (patch) => {
        this.settings = { ...this.settings, ...patch };
        return ok(this.#settingsView());
      }),
    confirmPiecesOsAddress: () =>
      this.#invoke('confirmPiecesOsAddress', undefined, () =>
        ok({ url: this.settings.piecesOsUrl ?? 'http://127.0.0.1:39300', confirmed: true }),
      ),
    closePalette: () => this.#invoke('closePalette', undefined, () => ok(null)),
    // Main's own checks, as its handlers run them.
    checkSettings: (args) =>
      this.#invoke('checkSettings', args, (draft) => ok(settingsPatch(draft, this.settings))),
    onState: (cb) => {
      this.#listeners.add(cb);
      return () => this.#listeners.delete(cb);
    },
    onCommand: (cb) => {
      this.#commandListeners.add(cb);
      return () => this.#commandListeners.delete(cb);
    },
  };
}

/** A promise the test resolves by hand, to look at the UI while a call is in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
