// The effects around the account state: HTTP to Pieces OS, the token vault, timers and the live
// streams. Every result becomes an event for the pure `reduce` (state.ts); a snapshot is pushed to
// the window and the tray only when the state actually changed.
import type {
  Account,
  AppError,
  Notice,
  OAuthTokenInput,
  Operation,
  PendingSignIn,
  Result,
  SignInOutcome,
  SignOutAllReport,
  StateSnapshot,
  UserProfile,
} from '../../shared/domain';
import { fail, ok } from '../../shared/domain';
import type { BrowserAuth } from '../auth/browser-auth';
import type { BrowserSignIn } from '../auth/browser-sign-in';
import { PiecesError, toAppError } from '../pieces/errors';
import type { PiecesClient } from '../pieces/types';
import type { StoredToken } from '../settings/token-vault';
import { accountList } from './account-list';
import { nextBackoff } from './backoff';
import { signInWithSaved } from './saved-sign-in';
import {
  accountsChanged,
  initialState,
  reduce,
  snapshotOf,
  type AccountsEvent,
  type AccountsState,
  type SavedSignIn,
} from './state';
import type { AccountActions } from './types';

/** The part of the token vault the service needs. */
export interface TokenStore {
  get(userId: string): StoredToken | undefined;
  /**
   * Keeps the token (in memory at once) and resolves once it is written, or with the write's
   * error: the token is kept even then, until the app quits (see token-vault.ts).
   */
  set(userId: string, token: StoredToken): Promise<PiecesError | null>;
  /** Accounts whose token is kept in memory but not in the file yet (see set). */
  unsavedIds?(): string[];
  /** Forgets the token; resolves with the write's error, if any (the file still holds it). */
  delete(userId: string): Promise<PiecesError | null>;
  has(userId: string): boolean;
  ids(): string[];
  readonly persistent: boolean;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Sign-in and sign-out the way Pieces' own clients do them (feature-detected: absent on older builds). */
export interface PiecesOsSession {
  /** POST /os/sign_in: Pieces OS runs the sign-in in the browser; resolves with who signed in. */
  signIn(opts: { signal: AbortSignal; timeoutMs: number }): Promise<UserProfile>;
  /** POST /os/sign_out: the users left, or undefined when this Pieces OS has no such endpoint. */
  signOut(): Promise<UserProfile[] | undefined>;
  /**
   * GET /user/access_token: the current user's token and, for a JWT, when it expires; undefined
   * when this Pieces OS has no such endpoint.
   */
  accessToken(): Promise<{ token: string; expiresAt?: number } | undefined>;
}

/** What the live link to Pieces OS (its WebSocket streams) tells the service. */
export type LiveEvent =
  | { type: 'connected'; url: string }
  | { type: 'user'; profile: UserProfile | null }
  | { type: 'lost'; url: string; reason: string }
  | { type: 'polling'; url: string; reason: string };

export interface LiveLink {
  start(listener: (event: LiveEvent) => void): void;
  /** Look for Pieces OS again now (the person asked to retry). */
  retryNow?(): void;
  stop(): void;
}

export interface AccountServiceDeps {
  client: PiecesClient;
  tokens: TokenStore;
  /** The account the person last switched to, for a Pieces OS without `GET /user`. */
  lastActive: { get(): string | null; set(id: string | null): void };
  notices?: Notice[];
  now?: () => number;
  timers?: Timers;
  /** How often to refresh while polling (no streams). Default 30 s. */
  refreshIntervalMs?: number;
  /** The safety refresh while the streams are up. Default 5 minutes. */
  liveRefreshIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** The sign-in provider as currently configured; null (or absent) when there is none. */
  auth?: () => BrowserAuth | null;
  /** Pieces OS's own sign-in and sign-out, where it has them. */
  session?: PiecesOsSession;
  /** The live streams; without them the service polls. */
  live?: LiveLink;
  /** How long a sign-in in the browser may take. Default 3 minutes. */
  signInTimeoutMs?: () => number;
}

export interface AccountService extends AccountActions {
  /** First refresh, then the live streams or the refresh interval. */
  start(): Promise<StateSnapshot>;
  /** Stop timers and streams; pending requests finish but schedule nothing. */
  stop(): void;
  /** Refresh state from Pieces OS (shared if one is already running). */
  refresh(): Promise<StateSnapshot>;
  /** Shows a notice (replacing one with the same id) until the person dismisses it. */
  addNotice(notice: Notice): void;
  /**
   * Resolves once no operation runs and no refresh is in flight: an operation answers as soon as
   * its own work is done, and the list refresh after it lands a moment later.
   */
  idle(): Promise<void>;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

const DEFAULT_SIGN_IN_TIMEOUT_MS = 180_000;
const UNSAVED_NOTICE_PREFIX = 'unsaved-sign-in-';
const unsavedNoticeId = (id: string): string => `${UNSAVED_NOTICE_PREFIX}${id}`;

const describe = (op: Operation, name: string | undefined): string => {
  switch (op.kind) {
    case 'switch':
      return `switching to ${name ?? 'another account'}`;
    case 'sign-in':
      return 'signing in';
    case 'sign-out':
      return `signing out ${name ?? 'an account'}`;
    case 'sign-out-all':
      return 'signing out of all accounts';
    case 'refresh':
      return 'refreshing';
  }
};

/** When a saved token expires, where that is known. */
function expiryOf(token: StoredToken | undefined): number | undefined {
  if (!token || token.obtained_at === undefined || !(token.expires_in > 0)) return undefined;
  return token.obtained_at + token.expires_in * 1000;
}

const renewable = (token: StoredToken | undefined): boolean =>
  Boolean(token?.refresh_token && token.issuer !== undefined);

/**
 * The one owner of account state. Window and tray render its snapshots and call its actions;
 * operations that change Pieces OS or stored tokens run one at a time.
 */
export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { client, tokens, lastActive } = deps;
  const now = deps.now ?? Date.now;
  const timers = deps.timers ?? realTimers;
  const pollMs = deps.refreshIntervalMs ?? 30_000;
  const liveMs = deps.liveRefreshIntervalMs ?? 300_000;
  const backoff = deps.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
  const signInTimeout = deps.signInTimeoutMs ?? (() => DEFAULT_SIGN_IN_TIMEOUT_MS);

  /** What the account list needs to know of the saved sign-ins (never the tokens). */
  function savedInfo(): Map<string, SavedSignIn> {
    const saved = new Map<string, SavedSignIn>();
    for (const id of tokens.ids()) {
      const token = tokens.get(id);
      const expiresAt = renewable(token) ? undefined : expiryOf(token);
      saved.set(id, expiresAt === undefined ? {} : { expiresAt });
    }
    return saved;
  }

  let state: AccountsState = initialState({
    saved: savedInfo(),
    persist: tokens.persistent,
    ...(deps.notices ? { notices: deps.notices } : {}),
  });
  let revision = 0;
  const list = accountList();
  let accounts: Account[] = list.build(state, now());
  let snapshot: StateSnapshot = snapshotOf(state, ++revision, accounts);
  /** The state changed since `snapshot` (or `accounts`) was built: built again when next read. */
  let stale = false;
  let accountsStale = false;
  /** A change the subscribers have not been told yet. */
  let unpushed = false;
  /**
   * While an operation's own work runs, changes are held and then told in one snapshot with its
   * end (a switch is one change: the sign-in's answer, the user stream's word on it, the end).
   */
  let held = 0;
  const listeners = new Set<(s: StateSnapshot) => void>();

  function currentAccounts(): Account[] {
    if (accountsStale) {
      accounts = list.build(state, now());
      accountsStale = false;
    }
    return accounts;
  }

  /** The snapshot of the state now, built once per change however often it is read. */
  function current(): StateSnapshot {
    if (stale) {
      snapshot = snapshotOf(state, ++revision, currentAccounts());
      stale = false;
    }
    return snapshot;
  }

  /** Applies events; pushes one snapshot if, and only if, anything changed (unless held). */
  function apply(...events: AccountsEvent[]): void {
    let next = state;
    for (const event of events) next = reduce(next, event);
    next = withdrawSavedNotices(next);
    if (next === state) return;
    const wasStatus = state.connection.status;
    accountsStale ||= accountsChanged(state, next);
    state = next;
    stale = true;
    unpushed = true;
    // Pieces OS going away is said at once, held or not: the window must not show it connected.
    if (held === 0 || next.connection.status !== wasStatus) publish();
  }

  function publish(): void {
    if (!unpushed) return;
    unpushed = false;
    const s = current();
    for (const listener of listeners) {
      try {
        listener(s);
      } catch {
        // A broken listener (a closed window) must not stop the others.
      }
    }
  }

  /** The saved sign-ins changed (stored, renewed, forgotten): tell the state. */
  const savedChanged = (): AccountsEvent => ({
    type: 'saved',
    saved: savedInfo(),
    persist: tokens.persistent,
  });

  /** A renewed sign-in that a later write did save no longer needs its "lasts until quit" notice. */
  function withdrawSavedNotices(s: AccountsState): AccountsState {
    if (!tokens.unsavedIds) return s;
    const unsaved = new Set(tokens.unsavedIds().map(unsavedNoticeId));
    let next = s;
    for (const n of s.notices) {
      if (n.id.startsWith(UNSAVED_NOTICE_PREFIX) && !unsaved.has(n.id))
        next = reduce(next, { type: 'dismiss', id: n.id });
    }
    return next;
  }

  function nameOf(id: string | undefined): string | undefined {
    if (id === undefined) return undefined;
    return (
      currentAccounts().find((a) => a.id === id)?.displayName ?? state.profiles.get(id)?.displayName
    );
  }

  // ---- refreshing, polling and the live streams ---------------------------------------------

  let running = false;
  let timer: unknown = null;
  let retryDelay = 0;
  let inflightRefresh: Promise<StateSnapshot> | null = null;
  /** 'live' while the streams are up, 'polling' for a Pieces OS without them. */
  let mode: 'live' | 'polling' | undefined;
  /** Whether this Pieces OS has GET /user (unknown until the first refresh). */
  let hasCurrentUser: boolean | undefined;
  let version: string | undefined;

  function schedule(ms: number): void {
    if (!running) return;
    if (timer !== null) timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      timer = null;
      void refresh();
    }, ms);
  }

  /**
   * `listOnly`: Pieces OS has just said who is current (it answered a sign-in with them), so only
   * the list is asked for, not `GET /user` again; on a server not yet known, everything is.
   */
  async function doRefresh(listOnly: boolean): Promise<StateSnapshot> {
    // Resolved once, and every request of this refresh sent there: if the URL changes meanwhile
    // (a new setting), this refresh still reports only the server it actually talked to.
    let url: string | undefined;
    try {
      url = await client.baseUrl();
      const at = { baseUrl: url };
      const known = state.connection;
      const onlyList =
        listOnly && hasCurrentUser !== undefined && known.status === 'online' && known.url === url;
      const [users, currentUser] = await Promise.all([
        client.listUsers(at),
        onlyList ? undefined : client.currentUser(at),
      ]);
      if (known.status !== 'online' || known.url !== url || version === undefined) {
        version = await client.version(at).catch(() => undefined);
      }
      // A long new list is sorted in steps now, so the build that shows it need not sort at once.
      if (users !== state.users) await list.prepare(users);
      if (!onlyList) hasCurrentUser = currentUser !== undefined;
      retryDelay = 0;
      apply(savedChanged(), {
        type: 'refreshed',
        url,
        version,
        users,
        // Without asking: whoever is current now (the sign-in's answer, or the stream's since).
        current: currentUser,
        // Without GET /user: who the app last made current, this session or (after a restart) before.
        fallbackCurrentId: currentUser === undefined ? (state.currentId ?? lastActive.get()) : null,
      });
      if (mode) apply({ type: 'updates', mode });
      schedule(mode === 'live' ? liveMs : pollMs);
    } catch (err) {
      retryDelay = nextBackoff(retryDelay, backoff);
      version = undefined;
      // The resolver's list, unless it has moved on to another URL since this refresh began.
      const tried = client.triedUrls();
      apply(savedChanged(), {
        type: 'unreachable',
        tried: url === undefined || tried.includes(url) ? tried : [url],
        error: toAppError(err),
        nextRetryAt: now() + retryDelay,
      });
      schedule(retryDelay);
    }
    return current();
  }

  /**
   * `listOnly`: after Pieces OS answered a sign-in (see doRefresh). A refresh asked for while one
   * runs shares it.
   */
  function refresh(listOnly = false): Promise<StateSnapshot> {
    // An operation refreshes when it ends; a timer or focus refresh meanwhile would only race it.
    if (operation) return Promise.resolve(current());
    inflightRefresh ??= doRefresh(listOnly).finally(() => {
      inflightRefresh = null;
    });
    return inflightRefresh;
  }

  /** Ids whose token the app is fetching from Pieces OS right now. */
  const capturing = new Set<string>();
  /**
   * The user the stream last named, since it (re)connected. Its first message tells who is signed
   * in already; only a later change is a sign-in Pieces OS just performed.
   */
  let streamUser: string | null | undefined;

  function onLive(event: LiveEvent): void {
    if (!running) return;
    switch (event.type) {
      case 'connected':
        mode = 'live';
        streamUser = undefined;
        void refresh().then(() => apply({ type: 'updates', mode: 'live' }));
        return;
      case 'polling':
        mode = 'polling';
        apply({ type: 'updates', mode: 'polling' });
        schedule(pollMs);
        return;
      case 'lost':
        // Said at once: the window and the tray must not show "Connected" to a Pieces OS that quit.
        mode = undefined;
        version = undefined;
        client.invalidate();
        retryDelay = nextBackoff(0, backoff);
        apply({
          type: 'unreachable',
          tried: [event.url],
          error: { kind: 'unreachable', message: `Pieces OS at ${event.url} stopped answering.` },
          nextRetryAt: now() + retryDelay,
        });
        schedule(retryDelay);
        return;
      case 'user': {
        const p = event.profile;
        const signedInNow = streamUser !== undefined && p !== null && p.id !== streamUser;
        streamUser = p?.id ?? null;
        apply({ type: 'current-user', profile: p });
        // A user Pieces OS has not listed to us yet (signed in by another client): one refresh.
        if (p && !state.users.some((u) => u.id === p.id)) void refresh();
        if (p && signedInNow && !operation && needsToken(p.id)) void captureToken(p);
        return;
      }
    }
  }

  /** The app keeps no usable sign-in for `id`. */
  function needsToken(id: string): boolean {
    const saved = state.saved.get(id);
    if (!saved || state.refused.has(id)) return true;
    return saved.expiresAt !== undefined && saved.expiresAt <= now();
  }

  /**
   * Right after Pieces OS signed someone in (this app's Pieces sign-in, or another client seen on
   * the user stream), keep their token so that switching back to them later works. Returns
   * whether a token was kept.
   */
  async function captureToken(profile: UserProfile): Promise<boolean> {
    if (!deps.session || capturing.has(profile.id)) return false;
    capturing.add(profile.id);
    try {
      const got = await deps.session.accessToken();
      // Nobody else became current meanwhile: the token is the current user's.
      if (!got || state.currentId !== profile.id) {
        if (!got) noSwitchBack(profile);
        return false;
      }
      const obtainedAt = now();
      const token: StoredToken = {
        access_token: got.token,
        token_type: 'Bearer',
        expires_in:
          got.expiresAt === undefined
            ? 0
            : Math.max(1, Math.round((got.expiresAt - obtainedAt) / 1000)),
        obtained_at: obtainedAt,
      };
      const unsaved = await tokens.set(profile.id, token);
      apply(
        savedChanged(),
        { type: 'usable', id: profile.id },
        ...unsavedNotice(profile.id, profile.displayName, unsaved),
      );
      return true;
    } catch {
      noSwitchBack(profile);
      return false;
    } finally {
      capturing.delete(profile.id);
    }
  }

  /** Said once per account: Pieces OS has it, but the app cannot switch back to it by itself. */
  function noSwitchBack(profile: UserProfile): void {
    apply({
      type: 'notice',
      notice: {
        id: `no-switch-back-${profile.id}`,
        level: 'info',
        message: `Pieces OS did not hand the app a sign-in for ${profile.displayName}, so switching back to this account later needs a new sign-in.`,
      },
    });
  }

  // ---- operations ---------------------------------------------------------------------------

  let operation: Operation | null = null;
  /** Settles when the running operation has ended (and its refresh with it). */
  let operationDone: Promise<void> = Promise.resolve();
  /** The browser (OpenID) sign-in waiting for the person, if any. */
  let browser: BrowserSignIn | null = null;
  /** The Pieces sign-in waiting for the person, if any. */
  let piecesSignIn: AbortController | null = null;

  /** An operation is running: another one would race it. */
  const busy = (): Result<never> | null => {
    if (!operation) return null;
    const running = describe(operation, nameOf(operation.accountId));
    return fail({ kind: 'busy', message: `Please wait: the app is ${running}.` });
  };

  /** A sign-in is waiting for the person: one at a time. */
  const signInWaiting = (): Result<never> | null =>
    piecesSignIn || browser
      ? fail({
          kind: 'busy',
          message: 'A sign-in is already waiting in your browser. Finish it there, or cancel it.',
        })
      : null;

  /**
   * Runs one state-changing operation; a second one while it runs is refused. It answers as soon
   * as its own work is done; the refresh that follows is tracked, so the next operation waits for
   * that list rather than racing it (read before its change, it would undo it on screen).
   */
  async function exclusive<T>(
    op: Operation,
    body: () => Promise<T>,
    { hold = true }: { hold?: boolean } = {},
  ): Promise<Result<T>> {
    const refused = busy();
    if (refused) return refused;
    // Claimed before waiting for a running refresh, so an operation arriving meanwhile is refused
    // instead of running alongside this one.
    operation = op;
    currentSaid = false;
    let finished!: () => void;
    operationDone = new Promise<void>((resolve) => (finished = resolve));
    apply({ type: 'operation-started', operation: op });
    if (inflightRefresh) await inflightRefresh.catch(() => undefined);
    let result: Result<T>;
    if (hold) held++;
    try {
      result = ok(await body());
    } catch (err) {
      result = fail(toAppError(err));
    } finally {
      if (hold) held--;
    }
    operation = null;
    apply({
      type: 'operation-ended',
      operation: op,
      ...(result.ok ? {} : { error: result.error }),
    });
    publish();
    void refresh(currentSaid).finally(finished);
    return result;
  }

  /**
   * Set by an operation once Pieces OS has answered a sign-in: it named the current user, so the
   * refresh after the operation needs only the list.
   */
  let currentSaid = false;

  /** The current snapshot, in place of what an operation's body returned. */
  const withSnapshot = (r: Result<unknown>): Result<StateSnapshot> => (r.ok ? ok(current()) : r);

  /**
   * The notice for a token kept in memory because its write failed, or, once one was written,
   * the withdrawal of an earlier one.
   */
  function unsavedNotice(
    userId: string,
    name: string,
    unsaved: PiecesError | null,
    renewed = false,
  ): AccountsEvent[] {
    if (!unsaved) return [{ type: 'dismiss', id: unsavedNoticeId(userId) }];
    return [
      {
        type: 'notice',
        notice: {
          id: unsavedNoticeId(userId),
          level: 'warning',
          message: `The ${renewed ? 'renewed ' : ''}sign-in for ${name} could not be saved, so it lasts only until the app quits: after a restart you may need to sign in to this account again. ${unsaved.message}`,
        },
      },
    ];
  }

  async function storeRenewed(userId: string, name: string, t: StoredToken): Promise<void> {
    // The renewed token is used even if it cannot be saved: the one it replaces may no longer
    // work, so failing here would leave the person with neither. They are told.
    const unsaved = await tokens.set(userId, t);
    apply(savedChanged(), ...(unsaved ? unsavedNotice(userId, name, unsaved, true) : []));
  }

  async function switchTo(id: string): Promise<Result<StateSnapshot>> {
    if (state.currentId === id && !operation) return ok(current());
    const result = await exclusive({ kind: 'switch', accountId: id }, async () => {
      const token = tokens.get(id);
      const name = nameOf(id) ?? 'this account';
      if (!token) {
        throw new PiecesError(
          'needs-sign-in',
          `The app has no saved sign-in for ${name}. Sign in as ${name} to add it again.`,
        );
      }
      const profile = await signInWithSaved(
        {
          client,
          store: (userId, t) => storeRenewed(userId, name, t),
          now,
          ...(deps.auth ? { auth: deps.auth } : {}),
        },
        id,
        token,
        name,
        () => apply({ type: 'refused', id }),
      );
      apply({ type: 'signed-in', profile });
      currentSaid = true;
      if (profile.id !== id) {
        throw new PiecesError(
          'bad-response',
          `Pieces OS signed in ${profile.displayName} instead of ${name}.`,
        );
      }
      // Read only where Pieces OS cannot say who is current: no disk write on the usual path.
      if (hasCurrentUser === false) lastActive.set(id);
    });
    return withSnapshot(result);
  }

  /** Hands the token to Pieces OS, stores it under the user it signed in, makes them active. */
  async function signInStored(token: StoredToken): Promise<Result<Account>> {
    const result = await exclusive({ kind: 'sign-in' }, async () => {
      const profile = await client.signInWithToken(token);
      // Pieces OS has signed them in: a token that cannot be written is kept for the session.
      const unsaved = await tokens.set(profile.id, token);
      apply(savedChanged(), ...unsavedNotice(profile.id, profile.displayName, unsaved), {
        type: 'signed-in',
        profile,
      });
      currentSaid = true;
      if (hasCurrentUser === false) lastActive.set(profile.id);
      return profile;
    });
    if (!result.ok) return result;
    return ok(accountOf(result.value.id));
  }

  /** The account as the snapshot shows it (it is there: it was just signed in). */
  function accountOf(id: string): Account {
    return currentAccounts().find((a) => a.id === id)!;
  }

  const signIn = (token: OAuthTokenInput): Promise<Result<Account>> => signInStored(token);

  /**
   * Sign in the way Pieces' own clients do: Pieces OS runs the sign-in in the system browser and
   * answers when the person is done. That wait is not held as the running operation (it would stop
   * refreshes and every other action for minutes); the person can cancel it.
   */
  async function signInWithPieces(accountId?: string): Promise<Result<SignInOutcome>> {
    const refused = signInWaiting() ?? busy();
    if (refused) return refused;
    if (!deps.session) {
      return fail({
        kind: 'invalid-input',
        message: 'This Pieces OS cannot run a sign-in for the app. Sign in with a token instead.',
      });
    }
    const limit = signInTimeout();
    const controller = new AbortController();
    piecesSignIn = controller;
    const intended =
      accountId === undefined ? undefined : currentAccounts().find((a) => a.id === accountId);
    const pending: PendingSignIn = {
      via: 'pieces',
      deadline: now() + limit,
      ...(intended
        ? {
            forAccount: {
              id: intended.id,
              displayName: intended.displayName,
              ...(intended.email ? { email: intended.email } : {}),
            },
          }
        : {}),
    };
    apply({ type: 'pending-sign-in', pending });
    let profile: UserProfile;
    try {
      profile = await deps.session.signIn({ signal: controller.signal, timeoutMs: limit });
    } catch (err) {
      const error = signInError(err, controller.signal.aborted, limit);
      apply(
        { type: 'pending-sign-in', pending: null },
        { type: 'failure', operation: { kind: 'sign-in' }, error },
      );
      return fail(error);
    } finally {
      piecesSignIn = null;
    }
    apply({ type: 'pending-sign-in', pending: null }, { type: 'signed-in', profile });
    // The token is what lets the app switch back to this account later.
    await captureToken(profile);
    // Pieces OS answered who signed in: the list is all that is left to ask.
    void refresh(true);
    const account = accountOf(profile.id);
    if (intended && intended.id !== profile.id) {
      return ok({ account, intended: { id: intended.id, displayName: intended.displayName } });
    }
    return ok({ account });
  }

  function signInError(err: unknown, cancelled: boolean, limitMs: number): AppError {
    if (cancelled) return { kind: 'cancelled', message: 'The sign-in was cancelled.' };
    const error = toAppError(err);
    if (error.kind === 'timeout') {
      const minutes = Math.round(limitMs / 60_000);
      const took = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : 'too long';
      return {
        kind: 'timeout',
        message: `The sign-in was not finished within ${took}, so the app stopped waiting. Try again when you are ready.`,
      };
    }
    return error;
  }

  /**
   * The browser part waits for a person, for minutes: it is not held as the running operation
   * (that would stop refreshes and every other action meanwhile). Only the Pieces OS part is.
   */
  async function signInWithBrowser(): Promise<Result<Account>> {
    const refused = signInWaiting() ?? busy();
    if (refused) return refused;
    const auth = deps.auth?.() ?? null;
    if (!auth) {
      return fail({
        kind: 'invalid-input',
        message:
          'No sign-in provider is set up. Add its issuer URL and client id in Settings, or sign in with a token.',
      });
    }
    const flow = auth.signIn();
    browser = flow;
    apply({ type: 'pending-sign-in', pending: { via: 'browser', deadline: now() + 300_000 } });
    let token: OAuthTokenInput;
    try {
      token = await flow.start();
    } catch (err) {
      return fail(toAppError(err));
    } finally {
      browser = null;
      apply({ type: 'pending-sign-in', pending: null });
    }
    // The person is done in the browser: a switch from the tray meanwhile must not lose this token.
    while (operation) await operationDone;
    return signInStored({ ...token, obtained_at: now(), issuer: auth.issuer });
  }

  function cancelBrowserSignIn(): null {
    browser?.cancel();
    return null;
  }

  function cancelSignIn(): null {
    piecesSignIn?.abort();
    browser?.cancel();
    return null;
  }

  /**
   * Signs `id` out of Pieces OS, then forgets the token. The current account goes through
   * `POST /os/sign_out` where Pieces OS has it, as Pieces' own clients do; any other account through
   * `POST /users/{id}/disconnect`. A failure keeps the token, with one exception: a user Pieces
   * OS neither lists nor knows (404/410) has only the saved sign-in left to forget. "Lists" means
   * in its last good user list: a server that could not even list users (the wrong server
   * answering 404 to everything) leaves the app offline, and then nothing is forgotten.
   */
  async function signOutOne(id: string): Promise<void> {
    try {
      const left =
        id === state.currentId && deps.session ? await deps.session.signOut() : undefined;
      const users = left ?? (await client.disconnect(id));
      apply({ type: 'signed-out', id, users });
    } catch (err) {
      const unknown =
        err instanceof PiecesError &&
        err.kind === 'http' &&
        (err.status === 404 || err.status === 410) &&
        state.connection.status === 'online' &&
        !state.users.some((u) => u.id === id);
      if (!unknown) throw err;
      apply({ type: 'signed-out', id });
    }
    await forget(id);
    if (lastActive.get() === id) lastActive.set(null);
  }

  async function forget(id: string): Promise<void> {
    const error = await tokens.delete(id);
    apply(savedChanged(), { type: 'dismiss', id: unsavedNoticeId(id) }, { type: 'usable', id });
    // Forgotten for this session, but the file still holds it until a later write succeeds.
    if (error) {
      throw new PiecesError(
        'internal',
        `${error.message} It is forgotten until the app quits; the app tries to remove it again with the next change.`,
      );
    }
  }

  async function signOut(id: string): Promise<Result<StateSnapshot>> {
    if (!currentAccounts().some((a) => a.id === id)) {
      return fail({ kind: 'invalid-input', message: 'That account is not in the list any more.' });
    }
    return withSnapshot(await exclusive({ kind: 'sign-out', accountId: id }, () => signOutOne(id)));
  }

  /** Sign out of every account, going on past failures; the report names who failed and why. */
  const signOutAll = (): Promise<Result<SignOutAllReport>> =>
    signOutMany(currentAccounts().map((a) => a.id));

  async function signOutMany(ids: string[]): Promise<Result<SignOutAllReport>> {
    const wanted = new Set(ids);
    const targets = currentAccounts().filter((a) => wanted.has(a.id));
    const result = await exclusive(
      { kind: 'sign-out-all' },
      async () => {
        const report: SignOutAllReport = { signedOut: [], failed: [] };
        for (const account of targets) {
          try {
            await signOutOne(account.id);
            report.signedOut.push(account.id);
          } catch (err) {
            const error = toAppError(err);
            report.failed.push({ id: account.id, displayName: account.displayName, error });
          }
        }
        return report;
      },
      // Not held: each account leaving shows as it goes, however long the whole takes.
      { hold: false },
    );
    if (result.ok && result.value.failed.length > 0) {
      const names = result.value.failed.map((f) => f.displayName).join(', ');
      apply({
        type: 'failure',
        operation: { kind: 'sign-out-all' },
        error: { ...result.value.failed[0]!.error, message: `Could not sign out of ${names}.` },
      });
    }
    return result;
  }

  async function forgetSignIn(id: string): Promise<Result<StateSnapshot>> {
    if (!tokens.has(id)) {
      return fail({ kind: 'invalid-input', message: 'The app keeps no sign-in for that account.' });
    }
    return withSnapshot(await exclusive({ kind: 'sign-out', accountId: id }, () => forget(id)));
  }

  async function details(id: string): Promise<Result<UserProfile>> {
    try {
      const profile = await client.getUser(id);
      apply({ type: 'profile', profile });
      return ok(profile);
    } catch (err) {
      return fail(toAppError(err));
    }
  }

  async function retryNow(): Promise<Result<StateSnapshot>> {
    retryDelay = 0;
    client.invalidate();
    deps.live?.retryNow?.();
    if (state.connection.status === 'offline') apply({ type: 'connecting' });
    // A refresh already running talks to the URL from before: its answer says nothing about the
    // URL now in force, so let it finish and then look afresh.
    if (inflightRefresh) await inflightRefresh.catch(() => undefined);
    const s = await refresh();
    return s.connection.status === 'offline' ? fail(s.connection.error) : ok(s);
  }

  function dismissNotice(id: string): StateSnapshot {
    apply({ type: 'dismiss', id });
    return current();
  }

  function addNotice(notice: Notice): void {
    apply({ type: 'notice', notice: { ...notice } });
  }

  return {
    snapshot: current,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      running = true;
      deps.live?.start(onLive);
      return refresh();
    },
    stop() {
      running = false;
      deps.live?.stop();
      cancelSignIn(); // closes the OpenID loopback listener
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
    refresh: () => refresh(),
    async idle() {
      while (operation || inflightRefresh) {
        await operationDone;
        await inflightRefresh?.catch(() => undefined);
      }
    },
    switchTo,
    signIn,
    signInWithPieces,
    cancelSignIn,
    signInWithBrowser,
    cancelBrowserSignIn,
    signOut,
    signOutAll,
    signOutMany,
    forgetSignIn,
    details,
    retryNow,
    dismissNotice,
    addNotice,
  };
}
