// The window's state: the snapshot main pushes (the truth) plus UI-only state (selection, filter,
// open dialog, per-row progress and errors). Every change of truth goes to main as an intent.
import type { PiecesBridge, WindowCommand } from '../../../shared/contract';
import type {
  Account,
  AccountDetails,
  AppError,
  ConnectionState,
  PublicSettings,
  PendingSignIn,
  Result,
  SettingsView,
  SignInOutcome,
  SignOutAllReport,
  StateSnapshot,
  Theme,
} from '../../../shared/domain';
import type { SettingsCheck, SettingsDraft } from '../../../shared/settings-form';
import { applyUpdate, type StateUpdate } from '../../../shared/state-patch';
import type { TokenForm } from '../../../shared/token-form';
import { AccountFilter } from './filter';
import { call } from './call';

/** The search box appears once there are more accounts than this. */
export const SEARCH_THRESHOLD = 5;

export type Dialog =
  /** `otherWays`: open with "Other ways to sign in" shown (from the empty state's link). */
  | { kind: 'add-account'; otherWays?: boolean }
  | { kind: 'sign-out'; id: string; displayName: string }
  | { kind: 'sign-out-all' }
  | { kind: 'forget'; id: string; displayName: string }
  /** `advanced`: open with the Advanced part shown (from "Change address…"). */
  | { kind: 'settings'; advanced?: boolean };

export type Details =
  | { id: string; status: 'loading' }
  | { id: string; status: 'ready'; profile: AccountDetails }
  | { id: string; status: 'error'; error: AppError }
  /** Not fetched: Pieces OS is not reachable. Fetched when it comes back. */
  | { id: string; status: 'offline' };

export type RowActivity = 'switch' | 'sign-out';

export type SignOutAllState =
  | { status: 'pending'; retry?: boolean }
  | { status: 'done'; report: SignOutAllReport }
  | { status: 'error'; error: AppError };

/** The last "Sign in with Pieces" that ended without signing the asked-for account in. */
export type PiecesSignInResult =
  | { status: 'error'; error: AppError; accountId?: string }
  /** The person chose another account than the one asked for. */
  | { status: 'other'; outcome: SignInOutcome & { intended: { id: string; displayName: string } } };

export interface AppStateOptions {
  /** Wait this long after a selection change before fetching details (arrowing through rows). */
  detailsDelayMs?: number;
}

const CONNECTING: ConnectionState = { status: 'connecting' };

const BUSY: AppError = { kind: 'busy', message: 'Another action is still running.' };

type LastError = NonNullable<StateSnapshot['lastError']>;
const lastErrorKey = (e: LastError): string =>
  JSON.stringify([e.operation.kind, e.operation.accountId, e.error.kind, e.error.message]);

export class AppState {
  // State the components only read is a private field behind a getter: a public $state or
  // $derived field also compiles a setter, dead code in the window's bundle (issue 15, figure 5).
  /**
   * The last snapshot from main, its accounts in display order; null until the first arrives.
   * Raw: thousands of accounts get no deep proxies, and a new snapshot is one new value.
   */
  #snapshot = $state.raw<StateSnapshot | null>(null);
  get snapshot(): StateSnapshot | null {
    return this.#snapshot;
  }
  #settings = $state.raw<SettingsView | null>(null);
  get settings(): SettingsView | null {
    return this.#settings;
  }
  /** The first getState failed, so there is nothing to show. */
  #loadError = $state.raw<AppError | null>(null);
  get loadError(): AppError | null {
    return this.#loadError;
  }
  query = $state('');
  #selectedId = $state<string | null>(null);
  get selectedId(): string | null {
    return this.#selectedId;
  }
  #dialog = $state.raw<Dialog | null>(null);
  get dialog(): Dialog | null {
    return this.#dialog;
  }
  #details = $state.raw<Details | null>(null);
  get details(): Details | null {
    return this.#details;
  }
  #signOutAllState = $state.raw<SignOutAllState | null>(null);
  get signOutAllState(): SignOutAllState | null {
    return this.#signOutAllState;
  }
  #retrying = $state(false);
  get retrying(): boolean {
    return this.#retrying;
  }
  #retryError = $state.raw<AppError | null>(null);
  get retryError(): AppError | null {
    return this.#retryError;
  }
  /** Settings could not be read; the Settings button tries again. */
  #settingsError = $state.raw<AppError | null>(null);
  get settingsError(): AppError | null {
    return this.#settingsError;
  }
  /** A polite screen-reader announcement of switch progress. */
  #announcement = $state('');
  get announcement(): string {
    return this.#announcement;
  }
  /** A "Sign in with Pieces" started here is waiting for its answer. */
  #piecesSigningIn = $state(false);
  get piecesSigningIn(): boolean {
    return this.#piecesSigningIn;
  }
  #piecesResult = $state.raw<PiecesSignInResult | null>(null);
  get piecesResult(): PiecesSignInResult | null {
    return this.#piecesResult;
  }
  /** Asks the details pane to take focus ("Show details"); counts up per request. */
  #detailsFocusRequest = $state(0);
  get detailsFocusRequest(): number {
    return this.#detailsFocusRequest;
  }
  /** In a narrow window the details pane covers the list only when asked for. */
  #detailsShown = $state(false);
  get detailsShown(): boolean {
    return this.#detailsShown;
  }

  #rowErrors = $state.raw<Readonly<Record<string, AppError>>>({});
  #pending = $state.raw<Readonly<Record<string, RowActivity>>>({});
  /** Notice ids hidden here; a handful, replaced on change. */
  #dismissedNotices = $state.raw<readonly string[]>([]);
  readonly #filter = new AccountFilter();
  /** snapshot.lastError the person has moved past (retried or succeeded since). */
  #seenLastError = $state<string | null>(null);
  /** A dialog asked for (by the tray) while Settings was open: opened when Settings closes. */
  #nextDialog: Dialog | null = null;
  /**
   * Main's answer per account: its picture URL then, and the picture (null: initials). A plain
   * Map: `#picturesChanged` counts its changes, which the rows in view read.
   */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- on purpose: see #picturesChanged
  readonly #pictures = new Map<string, { url: string; data: string | null }>();
  #picturesChanged = $state(0);
  /** `id url` pairs asked of main and not answered yet (not state: rendering reads it). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- on purpose: rendering adds to it
  readonly #picturesAsked = new Set<string>();

  readonly #activeId: string | null = $derived(this.snapshot?.activeId ?? null);
  get activeId(): string | null {
    return this.#activeId;
  }
  /** Active first, then by name and email: the order the number shortcuts follow. */
  readonly #accounts: readonly Account[] = $derived(this.snapshot?.accounts ?? []);
  get accounts(): readonly Account[] {
    return this.#accounts;
  }
  readonly #active: Account | null = $derived(
    this.accounts[0] !== undefined && this.accounts[0].id === this.activeId
      ? this.accounts[0]
      : null,
  );
  get active(): Account | null {
    return this.#active;
  }
  /** A sign-in waiting for the person in the browser (main's word; it ends it, or Cancel does). */
  readonly #pendingSignIn: PendingSignIn | null = $derived(this.snapshot?.pendingSignIn ?? null);
  get pendingSignIn(): PendingSignIn | null {
    return this.#pendingSignIn;
  }
  readonly #connection: ConnectionState = $derived(this.snapshot?.connection ?? CONNECTING);
  get connection(): ConnectionState {
    return this.#connection;
  }
  readonly #online: boolean = $derived(this.connection.status === 'online');
  get online(): boolean {
    return this.#online;
  }
  readonly #tokensPersist: boolean = $derived(this.snapshot?.tokensPersist ?? true);
  get tokensPersist(): boolean {
    return this.#tokensPersist;
  }
  readonly #theme: Theme = $derived(this.settings?.theme ?? 'system');
  get theme(): Theme {
    return this.#theme;
  }
  /** A sign-in provider is set up, so "Sign in with browser" is offered. */
  readonly #canSignInWithBrowser: boolean = $derived(!!this.settings?.oauthProvider);
  get canSignInWithBrowser(): boolean {
    return this.#canSignInWithBrowser;
  }
  /** The filter field shows for long lists, and for any list once the person types into it. */
  readonly #searchable: boolean = $derived(
    this.accounts.length > SEARCH_THRESHOLD || (this.accounts.length > 0 && this.query !== ''),
  );
  get searchable(): boolean {
    return this.#searchable;
  }
  /** The accounts the list shows, in order: filtered by `query` once the search box is shown. */
  readonly #visibleAccounts: readonly Account[] = $derived(
    this.searchable ? this.#filter.apply(this.accounts, this.query) : this.accounts,
  );
  get visibleAccounts(): readonly Account[] {
    return this.#visibleAccounts;
  }
  /** Index of the selection in `visibleAccounts`, or -1. */
  readonly #selectedIndex: number = $derived(
    this.selectedId === null ? -1 : this.visibleAccounts.findIndex((a) => a.id === this.selectedId),
  );
  get selectedIndex(): number {
    return this.#selectedIndex;
  }
  readonly #selected: Account | null = $derived(
    this.accounts.find((a) => a.id === this.selectedId) ?? null,
  );
  get selected(): Account | null {
    return this.#selected;
  }
  /** Sign out of all accounts is running, started here or from the tray. */
  readonly #signingOutAll: boolean = $derived(
    this.signOutAllState?.status === 'pending' || this.snapshot?.operation?.kind === 'sign-out-all',
  );
  get signingOutAll(): boolean {
    return this.#signingOutAll;
  }
  /**
   * An action is running (here, or in main from the tray): others would only be refused as busy,
   * so the window shows them as unavailable until it ends.
   */
  readonly #busy: boolean = $derived(
    this.signingOutAll || !!this.snapshot?.operation || Object.keys(this.#pending).length > 0,
  );
  get busy(): boolean {
    return this.#busy;
  }
  /**
   * A saved sign-in that main would not send because the Pieces OS address is not trusted yet:
   * the banner that names the address and offers "Trust this address…". From a switch here, or
   * main's last failed operation (a switch from the tray).
   */
  readonly #untrusted: AppError | null = $derived.by(() => {
    const here = Object.values(this.#rowErrors).find((e) => e.kind === 'untrusted');
    if (here) return here;
    const last = this.snapshot?.lastError;
    return last?.error.kind === 'untrusted' && lastErrorKey(last) !== this.#seenLastError
      ? last.error
      : null;
  });
  get untrusted(): AppError | null {
    return this.#untrusted;
  }
  /** Why the address could not be confirmed (another user's listener, no dialog), if it failed. */
  #trustError = $state.raw<AppError | null>(null);
  get trustError(): AppError | null {
    return this.#trustError;
  }
  /** The confirmation dialog is open in main. */
  #trusting = $state(false);
  get trusting(): boolean {
    return this.#trusting;
  }
  readonly #notices = $derived(
    (this.snapshot?.notices ?? []).filter((n) => !this.#dismissedNotices.includes(n.id)),
  );
  get notices() {
    return this.#notices;
  }

  readonly #bridge: PiecesBridge;
  readonly #detailsDelayMs: number;
  #unsubscribe: (() => void) | null = null;
  #detailsTimer: ReturnType<typeof setTimeout> | undefined;
  #detailsRequest = 0;

  constructor(bridge: PiecesBridge, options: AppStateOptions = {}) {
    this.#bridge = bridge;
    this.#detailsDelayMs = options.detailsDelayMs ?? 150;
  }

  /** Subscribes to pushed snapshots and commands, then asks for the current state and settings. */
  async start(): Promise<void> {
    if (!this.#unsubscribe) {
      const offState = this.#bridge.onState((u) => this.#update(u));
      const offCommand = this.#bridge.onCommand((c) => this.#command(c));
      this.#unsubscribe = () => {
        offState();
        offCommand();
      };
    }
    const [state, settings] = await Promise.all([
      call(() => this.#bridge.getState()),
      call(() => this.#bridge.getSettings()),
    ]);
    if (settings.ok) {
      this.#settings = settings.value;
      this.#settingsError = null;
    }
    if (state.ok) {
      this.#loadError = null;
      this.#update(state.value);
    } else if (!this.snapshot) {
      this.#loadError = state.error;
    }
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    clearTimeout(this.#detailsTimer);
  }

  // ---- per-row state -------------------------------------------------------------------------

  /**
   * The account's picture as a data: URL main fetched and cached, or null (initials instead).
   * Asked of main the first time a row shows it, so a long list asks only for the rows in view.
   * Takes the account the row shows, so no lookup over thousands is rebuilt per snapshot.
   */
  pictureOf({ id, picture: url }: Pick<Account, 'id' | 'picture'>): string | null {
    if (!url) return null;
    void this.#picturesChanged; // a dependency: re-read when an answer lands
    const known = this.#pictures.get(id);
    if (known?.url !== url) this.#askPicture(id, url);
    // A new picture URL keeps showing the old picture until the new one is there.
    return known?.data ?? null;
  }

  #askPicture(id: string, url: string): void {
    const key = `${id} ${url}`;
    if (this.#picturesAsked.has(key)) return;
    this.#picturesAsked.add(key);
    // Called while rendering: the answer lands later, outside it.
    void call(() => this.#bridge.getPicture({ id })).then((result) => {
      this.#picturesAsked.delete(key);
      // No answer counts as no picture until Pieces OS is back (see #show).
      this.#pictures.set(id, { url, data: result.ok ? result.value : null });
      this.#picturesChanged++;
    });
  }

  /** What is running on a row: started here, or reported by main (e.g. a switch from the tray). */
  rowActivity(id: string): RowActivity | null {
    // Own keys only: an account id may be "__proto__" (ids are any string Pieces OS sends).
    const local = Object.hasOwn(this.#pending, id) ? this.#pending[id] : undefined;
    if (local) return local;
    const op = this.snapshot?.operation;
    if (op?.accountId !== id) return null;
    return op.kind === 'switch' ? 'switch' : op.kind === 'sign-out' ? 'sign-out' : null;
  }

  /** The error to show on a row: from an action here, or main's last failed operation on it. */
  rowError(id: string): AppError | null {
    const local = Object.hasOwn(this.#rowErrors, id) ? this.#rowErrors[id] : undefined;
    if (local) return local;
    const last = this.snapshot?.lastError;
    if (
      last &&
      last.operation.accountId === id &&
      (last.operation.kind === 'switch' || last.operation.kind === 'sign-out') &&
      lastErrorKey(last) !== this.#seenLastError
    ) {
      return last.error;
    }
    return null;
  }

  /**
   * The filter text (the list's search field and type-ahead). A method, so the list does not
   * write into its `app` prop: a prop a component mutates brings Svelte's prop runtime along.
   */
  setQuery(query: string): void {
    this.query = query;
  }

  // ---- selection and details -----------------------------------------------------------------

  select(id: string | null): void {
    if (id === this.selectedId && this.details?.id === id) return;
    this.#selectedId = id;
    this.#loadDetails(id, this.#detailsDelayMs);
  }

  reloadDetails(): void {
    this.#loadDetails(this.selectedId, 0);
  }

  #loadDetails(id: string | null, delayMs: number): void {
    clearTimeout(this.#detailsTimer);
    const request = ++this.#detailsRequest;
    if (id === null) {
      this.#details = null;
      return;
    }
    if (!this.online) {
      this.#details = { id, status: 'offline' };
      return;
    }
    this.#details = { id, status: 'loading' };
    const fetchDetails = async (): Promise<void> => {
      const result = await call(() => this.#bridge.getDetails({ id }));
      if (request !== this.#detailsRequest) return; // the selection moved on
      this.#details = result.ok
        ? { id, status: 'ready', profile: result.value }
        : { id, status: 'error', error: result.error };
    };
    if (delayMs > 0) this.#detailsTimer = setTimeout(() => void fetchDetails(), delayMs);
    else void fetchDetails();
  }

  // ---- intents ---------------------------------------------------------------------------------

  async switchTo(id: string): Promise<void> {
    const account = this.accounts.find((a) => a.id === id);
    if (!account || id === this.activeId || !this.online || this.busy) return;
    if (account.state === 'sign-in-needed') return void this.signInWithPieces(id);
    this.#beginRow(id, 'switch');
    this.#announcement = `Switching to ${account.displayName}…`;
    const result = await call(() => this.#bridge.switchTo({ id }));
    this.#endRow(id);
    if (result.ok) {
      this.#rowErrors = {};
      this.#update(result.value);
      this.#announcement = `Switched to ${account.displayName}.`;
    } else {
      this.#rowErrors = { ...this.#rowErrors, [id]: result.error };
      this.#announcement = `Could not switch to ${account.displayName}.`;
    }
  }

  /**
   * What a click or Enter on a row does: switch to it, or sign in as it when its saved sign-in is
   * missing or refused; on the active account, show its details.
   */
  async activate(id: string): Promise<void> {
    this.select(id);
    if (id === this.activeId) this.showDetails(id);
    else await this.switchTo(id);
  }

  /** Enter in the filter: the top match. */
  async activateTopMatch(): Promise<void> {
    const top = this.visibleAccounts[0];
    if (!top) return;
    await this.activate(top.id);
    this.query = '';
  }

  showDetails(id: string): void {
    this.select(id);
    this.#detailsShown = true;
    this.#detailsFocusRequest++;
  }

  hideDetails(): void {
    this.#detailsShown = false;
  }

  /**
   * Pieces OS runs the sign-in in the system browser (aimed at `accountId` when given); the
   * window shows the wait from the snapshot's pendingSignIn, and the outcome here.
   */
  async signInWithPieces(accountId?: string): Promise<void> {
    if (this.piecesSigningIn || !this.online) return;
    this.#piecesSigningIn = true;
    this.#piecesResult = null;
    this.#announcement = 'Finish signing in in your browser.';
    const result = await call(() =>
      this.#bridge.signInWithPieces(accountId === undefined ? {} : { accountId }),
    );
    this.#piecesSigningIn = false;
    if (result.ok) {
      const { account, intended } = result.value;
      this.#signedIn(account.id);
      if (intended) {
        this.#piecesResult = { status: 'other', outcome: { account, intended } };
        this.#announcement = `Signed in as ${account.displayName}, not ${intended.displayName}.`;
      } else {
        this.#announcement = `Signed in as ${account.displayName}.`;
      }
    } else if (result.error.kind === 'cancelled') {
      this.#announcement = 'The sign-in was cancelled.';
    } else {
      this.#piecesResult = {
        status: 'error',
        error: result.error,
        ...(accountId !== undefined ? { accountId } : {}),
      };
    }
  }

  /** Ends the sign-in waiting in the browser (Pieces or the app's own provider). */
  async cancelSignIn(): Promise<void> {
    await call(() => this.#bridge.cancelSignIn());
  }

  dismissPiecesResult(): void {
    this.#piecesResult = null;
  }

  requestForget(id: string): void {
    const account = this.accounts.find((a) => a.id === id);
    if (account) this.#dialog = { kind: 'forget', id, displayName: account.displayName };
  }

  async confirmForget(): Promise<void> {
    const dialog = this.dialog;
    if (dialog?.kind !== 'forget') return;
    this.#dialog = null;
    const result = await call(() => this.#bridge.forgetSignIn({ id: dialog.id }));
    if (result.ok) {
      this.#update(result.value);
      this.#announcement = `The saved sign-in for ${dialog.displayName} is forgotten.`;
    } else {
      this.#rowErrors = { ...this.#rowErrors, [dialog.id]: result.error };
    }
  }

  /** Ctrl/Cmd+1..9: selects and switches to the nth account the list shows. */
  async switchToIndex(index: number): Promise<void> {
    const account = this.visibleAccounts[index];
    if (!account) return;
    this.select(account.id);
    await this.switchTo(account.id);
  }

  openAddAccount(otherWays = false): void {
    this.#dialog = otherWays ? { kind: 'add-account', otherWays } : { kind: 'add-account' };
  }

  requestSignOut(id: string): void {
    const account = this.accounts.find((a) => a.id === id);
    if (account) this.#dialog = { kind: 'sign-out', id, displayName: account.displayName };
  }

  requestSignOutAll(): void {
    if (this.accounts.length > 0) this.#dialog = { kind: 'sign-out-all' };
  }

  closeDialog(): void {
    this.#dialog = this.#nextDialog;
    this.#nextDialog = null;
  }

  /** Opens Settings, reading them first if the start could not. */
  async openSettings(advanced = false): Promise<void> {
    if (!this.settings) {
      const result = await call(() => this.#bridge.getSettings());
      if (!result.ok) {
        this.#settingsError = result.error;
        return;
      }
      this.#settings = result.value;
    }
    this.#settingsError = null;
    this.#dialog = advanced ? { kind: 'settings', advanced } : { kind: 'settings' };
  }

  /** Main validates and stores the patch; the window keeps main's answer as its settings. */
  /** Main checks the Settings form against the settings in force; nothing is saved. */
  checkSettings(draft: SettingsDraft): Promise<Result<SettingsCheck>> {
    return call(() => this.#bridge.checkSettings(draft));
  }

  async saveSettings(patch: Partial<PublicSettings>): Promise<Result<SettingsView>> {
    const result = await call(() => this.#bridge.updateSettings(patch));
    if (result.ok) this.#settings = result.value;
    return result;
  }

  /**
   * "Trust this address…": main shows its own dialog naming the address (the window cannot
   * confirm anything itself). Once confirmed, the refusal is moved past and the next switch
   * sends the saved sign-in.
   */
  async trustAddress(): Promise<void> {
    if (this.trusting) return;
    this.#trusting = true;
    this.#trustError = null;
    const result = await call(() => this.#bridge.confirmPiecesOsAddress());
    this.#trusting = false;
    if (!result.ok) {
      this.#trustError = result.error;
      return;
    }
    if (!result.value.confirmed) return; // the person said no: the banner stays
    this.#rowErrors = Object.fromEntries(
      Object.entries(this.#rowErrors).filter(([, e]) => e.kind !== 'untrusted'),
    );
    const last = this.snapshot?.lastError;
    if (last) this.#seenLastError = lastErrorKey(last);
    this.#announcement = `${result.value.url} is now trusted as your Pieces OS. Switch again to use a saved sign-in.`;
  }

  /** Sends the Add account form as the person filled it in; the dialog shows the result. */
  async signIn(form: TokenForm): Promise<Result<Account>> {
    const result = await call(() => this.#bridge.signIn({ form }));
    if (result.ok) this.#signedIn(result.value.id);
    return result;
  }

  /** Signs in through the system browser; resolves when the person is done there (or cancels). */
  async signInWithBrowser(): Promise<Result<Account>> {
    const result = await call(() => this.#bridge.signInWithBrowser());
    if (result.ok) this.#signedIn(result.value.id);
    return result;
  }

  /** Ends a browser sign-in that is waiting; its signInWithBrowser() then reports 'cancelled'. */
  async cancelBrowserSignIn(): Promise<void> {
    await call(() => this.#bridge.cancelBrowserSignIn());
  }

  async confirmSignOut(): Promise<void> {
    const dialog = this.dialog;
    if (dialog?.kind !== 'sign-out') return;
    this.#dialog = null;
    await this.signOut(dialog.id);
  }

  async signOut(id: string): Promise<void> {
    if (!this.accounts.some((a) => a.id === id)) return;
    if (this.busy) {
      // Confirmed in a dialog while something else started (a switch from the tray, say): say
      // so on the row rather than close the dialog as if it had been done.
      this.#rowErrors = { ...this.#rowErrors, [id]: BUSY };
      return;
    }
    this.#beginRow(id, 'sign-out');
    const result = await call(() => this.#bridge.signOut({ id }));
    this.#endRow(id);
    if (result.ok) this.#update(result.value);
    else this.#rowErrors = { ...this.#rowErrors, [id]: result.error };
  }

  async confirmSignOutAll(): Promise<void> {
    if (this.dialog?.kind !== 'sign-out-all') return;
    this.#dialog = null;
    this.#signOutAllState = { status: 'pending' };
    this.#announcement = 'Signing out of all accounts…';
    await this.#reportSignOut(() => this.#bridge.signOutAll());
  }

  /** "Retry the 3 that failed": signs out of just those, and reports on them. */
  async retrySignOut(ids: string[]): Promise<void> {
    if (ids.length === 0 || this.busy) return;
    this.#signOutAllState = { status: 'pending', retry: true };
    this.#announcement = `Signing out of ${ids.length} account${ids.length === 1 ? '' : 's'}…`;
    await this.#reportSignOut(() => this.#bridge.signOutMany({ ids }));
  }

  async #reportSignOut(run: () => Promise<Result<SignOutAllReport>>): Promise<void> {
    const result = await call(run);
    this.#signOutAllState = result.ok
      ? { status: 'done', report: result.value }
      : { status: 'error', error: result.error };
    // Failures are an alert where the report shows; success is only announced.
    if (result.ok && result.value.failed.length === 0) {
      const n = result.value.signedOut.length;
      this.#announcement = `Signed out of ${n} account${n === 1 ? '' : 's'}.`;
    }
  }

  dismissSignOutAll(): void {
    this.#signOutAllState = null;
  }

  async retryConnection(): Promise<void> {
    if (this.retrying) return;
    this.#retrying = true;
    this.#retryError = null;
    const result = await call(() => this.#bridge.retryConnection());
    this.#retrying = false;
    if (result.ok) this.#update(result.value);
    else this.#retryError = result.error;
  }

  /** Hides the notice at once; main drops it and pushes the next snapshot. */
  async dismissNotice(id: string): Promise<void> {
    this.#dismissedNotices = [...this.#dismissedNotices, id];
    const result = await call(() => this.#bridge.dismissNotice({ id }));
    if (result.ok) this.#update(result.value);
  }

  // ---- internals -------------------------------------------------------------------------------

  /** A request from main, e.g. the tray's "Add account…". */
  #command(command: WindowCommand): void {
    switch (command) {
      case 'add-account':
        if (this.dialog?.kind === 'settings') {
          // Unsaved settings are not thrown away: Add account follows when Settings closes.
          this.#nextDialog = { kind: 'add-account' };
        } else {
          // Replaces an open confirmation: leaving it unanswered is the same as Cancel.
          this.openAddAccount();
        }
        break;
    }
  }

  /**
   * A snapshot or patch from main, pushed or an action's answer (the two roads need not arrive in
   * order: the newest stays).
   */
  #update(update: StateUpdate): void {
    const next = applyUpdate(this.snapshot, update);
    if (next === 'resync') void this.#resync();
    else if (next !== 'same') this.#show(next);
  }

  #resyncing = false;

  /** A push went missing (the window was reloaded, say): ask for the whole state instead. */
  async #resync(): Promise<void> {
    if (this.#resyncing) return;
    this.#resyncing = true;
    const state = await call(() => this.#bridge.getState());
    this.#resyncing = false;
    if (state.ok) this.#update(state.value);
  }

  /** Shows `snapshot`, its accounts in display order already. */
  #show(snapshot: StateSnapshot): void {
    const wasOnline = this.online;
    this.#snapshot = snapshot;
    // Notice ids main no longer lists need no hiding.
    const listed = this.#dismissedNotices.filter((id) => snapshot.notices.some((n) => n.id === id));
    if (listed.length < this.#dismissedNotices.length) this.#dismissedNotices = listed;
    // With the search box gone, a query left in it must not filter the list later.
    if (!this.searchable) this.query = '';
    const selectedId = this.selectedId;
    if (selectedId === null || !snapshot.accounts.some((a) => a.id === selectedId)) {
      this.select(snapshot.activeId ?? snapshot.accounts[0]?.id ?? null);
    } else if (!wasOnline && this.online && this.details?.status !== 'ready') {
      this.#loadDetails(selectedId, 0);
    }
    // Back online: pictures that could not be had are asked for again as their rows show.
    if (!wasOnline && this.online) {
      for (const [id, picture] of this.#pictures) if (!picture.data) this.#pictures.delete(id);
      this.#picturesChanged++;
    }
  }

  /** A new or renewed sign-in: select it, and drop the "sign in again" error its row showed. */
  #signedIn(id: string): void {
    this.#dropRowError(id);
    this.select(id);
  }

  /** Clears the error a row shows, whether it came from here or from main's last operation. */
  #dropRowError(id: string): void {
    const { [id]: _dropped, ...rest } = this.#rowErrors;
    this.#rowErrors = rest;
    const last = this.snapshot?.lastError;
    if (last) this.#seenLastError = lastErrorKey(last);
  }

  #beginRow(id: string, activity: RowActivity): void {
    this.#dropRowError(id);
    this.#pending = { ...this.#pending, [id]: activity };
  }

  #endRow(id: string): void {
    const { [id]: _done, ...rest } = this.#pending;
    this.#pending = rest;
  }
}
