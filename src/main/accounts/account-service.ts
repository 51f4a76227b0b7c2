import type {
  Account,
  ConnectionState,
  Notice,
  OAuthTokenInput,
  Operation,
  Result,
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
import type { AccountActions } from './types';
import { accountState } from './account-state';
import { nextBackoff } from './backoff';
import { signInWithSaved } from './saved-sign-in';

/** The part of the token vault the service needs. */
export interface TokenStore {
  get(userId: string): StoredToken | undefined;
  set(userId: string, token: StoredToken): void;
  /** Keeps a renewed token even when it cannot be written; returns that error (see token-vault.ts). */
  setRenewed(userId: string, token: StoredToken): PiecesError | null;
  /** Accounts whose renewed token is not in the file yet (see setRenewed). */
  unsavedIds?(): string[];
  delete(userId: string): void;
  has(userId: string): boolean;
  ids(): string[];
  readonly persistent: boolean;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AccountServiceDeps {
  client: PiecesClient;
  tokens: TokenStore;
  /** The account the person last switched to, for a Pieces OS without `GET /user`. */
  lastActive: { get(): string | null; set(id: string | null): void };
  notices?: Notice[];
  now?: () => number;
  timers?: Timers;
  /** How often to refresh while online. */
  refreshIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** The sign-in provider as currently configured; null (or absent) when there is none. */
  auth?: () => BrowserAuth | null;
}

export interface AccountService extends AccountActions {
  /** First refresh, then the refresh interval. */
  start(): Promise<StateSnapshot>;
  /** Stop timers; pending requests finish but schedule nothing. */
  stop(): void;
  /** Refresh state from Pieces OS (shared if one is already running). */
  refresh(): Promise<StateSnapshot>;
  /** Shows a notice (replacing one with the same id) until the person dismisses it. */
  addNotice(notice: Notice): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

function toAccount(
  p: UserProfile,
  hasToken: boolean,
  connected: boolean,
  needsSignIn = false,
  active = false,
): Account {
  const state = accountState({ active, listed: connected, hasToken, unusable: needsSignIn });
  const a: Account = { id: p.id, displayName: p.displayName, connected, hasToken, state };
  if (needsSignIn) a.needsSignIn = true;
  if (p.email) a.email = p.email;
  if (p.username) a.username = p.username;
  if (p.picture) a.picture = p.picture;
  if (p.providers[0]) a.provider = p.providers[0].type;
  return a;
}

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

/**
 * The one owner of account state. Window and tray render its snapshots and call its actions;
 * operations that change Pieces OS or stored tokens run one at a time.
 */
const UNSAVED_NOTICE_PREFIX = 'unsaved-sign-in-';

export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { client, tokens, lastActive } = deps;
  const now = deps.now ?? Date.now;
  const timers = deps.timers ?? realTimers;
  const refreshIntervalMs = deps.refreshIntervalMs ?? 30_000;
  const backoff = deps.backoff ?? { initialMs: 1_000, maxMs: 30_000 };

  // Profiles seen this session: names for accounts whose token we keep but Pieces OS no longer lists.
  const profiles = new Map<string, UserProfile>();
  let users: UserProfile[] = [];
  let currentId: string | null = null;
  let connection: ConnectionState = { status: 'connecting' };
  let operation: Operation | null = null;
  let lastError: StateSnapshot['lastError'] = null;
  let notices: Notice[] = [...(deps.notices ?? [])];
  let version: string | undefined;
  /** Accounts whose saved sign-in Pieces OS refused and that could not be renewed. */
  const needsSignIn = new Set<string>();
  /** The browser sign-in waiting for the person, if any. */
  let browser: BrowserSignIn | null = null;
  /** Settles when the running operation has ended (and its refresh with it). */
  let operationDone: Promise<void> = Promise.resolve();

  let revision = 0;
  let snapshot = build();
  const listeners = new Set<(s: StateSnapshot) => void>();
  let inflightRefresh: Promise<StateSnapshot> | null = null;
  let timer: unknown = null;
  let retryDelay = 0;
  let running = false;

  function build(): StateSnapshot {
    const listed = new Set(users.map((u) => u.id));
    const accounts = users.map((u) =>
      toAccount(u, tokens.has(u.id), true, needsSignIn.has(u.id), u.id === currentId),
    );
    for (const id of tokens.ids()) {
      if (listed.has(id)) continue;
      const p = profiles.get(id);
      const flagged = needsSignIn.has(id);
      const active = id === currentId;
      accounts.push(
        p
          ? toAccount(p, true, false, flagged, active)
          : {
              id,
              displayName: `Account ${id.slice(0, 8)}`,
              connected: false,
              hasToken: true,
              ...(flagged ? { needsSignIn: true } : {}),
              state: accountState({ active, listed: false, hasToken: true, unusable: flagged }),
            },
      );
    }
    const ids = new Set(accounts.map((a) => a.id));
    return {
      revision: ++revision,
      accounts,
      activeId: currentId !== null && ids.has(currentId) ? currentId : null,
      connection,
      operation,
      lastError,
      notices,
      tokensPersist: tokens.persistent,
      pendingSignIn: null,
    };
  }

  function emit(): void {
    withdrawSavedNotices();
    snapshot = build();
    for (const l of listeners) {
      try {
        l(snapshot);
      } catch {
        // A broken listener (a closed window) must not stop the others.
      }
    }
  }

  function nameOf(id: string | undefined): string | undefined {
    if (id === undefined) return undefined;
    return snapshot.accounts.find((a) => a.id === id)?.displayName ?? profiles.get(id)?.displayName;
  }

  /** The notice that a renewed sign-in lives only until the app quits. */
  const unsavedNoticeId = (id: string): string => `${UNSAVED_NOTICE_PREFIX}${id}`;

  function dropNotice(id: string): void {
    if (notices.some((n) => n.id === id)) notices = notices.filter((n) => n.id !== id);
  }

  /** A renewed sign-in that a later write did save no longer needs its "lasts until quit" notice. */
  function withdrawSavedNotices(): void {
    if (!tokens.unsavedIds) return;
    const unsaved = new Set(tokens.unsavedIds().map(unsavedNoticeId));
    const stale = (n: Notice) => n.id.startsWith(UNSAVED_NOTICE_PREFIX) && !unsaved.has(n.id);
    if (notices.some(stale)) notices = notices.filter((n) => !stale(n));
  }

  function schedule(ms: number): void {
    if (!running) return;
    if (timer !== null) timers.clearTimeout(timer);
    timer = timers.setTimeout(() => {
      timer = null;
      void refresh();
    }, ms);
  }

  function applyUsers(list: UserProfile[]): void {
    users = list;
    for (const u of list) profiles.set(u.id, u);
  }

  async function doRefresh(): Promise<StateSnapshot> {
    // Resolved once, and every request of this refresh sent there: if the URL changes meanwhile
    // (a new setting), this refresh still reports only the server it actually talked to.
    let url: string | undefined;
    try {
      url = await client.baseUrl();
      const at = { baseUrl: url };
      const [list, current] = await Promise.all([client.listUsers(at), client.currentUser(at)]);
      if (connection.status !== 'online' || connection.url !== url || version === undefined) {
        version = await client.version(at).catch(() => undefined);
      }
      applyUsers(list);
      if (current === undefined) {
        // This Pieces OS has no GET /user: the account the person last chose is the active one.
        currentId = lastActive.get();
      } else {
        currentId = current?.id ?? null;
        if (current) profiles.set(current.id, current);
      }
      connection =
        version === undefined ? { status: 'online', url } : { status: 'online', url, version };
      retryDelay = 0;
      schedule(refreshIntervalMs);
    } catch (err) {
      const error = toAppError(err);
      retryDelay = nextBackoff(retryDelay, backoff);
      version = undefined;
      // The resolver's list, unless it has moved on to another URL since this refresh began.
      const tried = client.triedUrls();
      connection = {
        status: 'offline',
        tried: url === undefined || tried.includes(url) ? tried : [url],
        error,
        nextRetryAt: now() + retryDelay,
      };
      schedule(retryDelay);
    }
    emit();
    return snapshot;
  }

  function refresh(): Promise<StateSnapshot> {
    // An operation refreshes when it ends; a timer or focus refresh meanwhile would only race it.
    if (operation) return Promise.resolve(snapshot);
    inflightRefresh ??= doRefresh().finally(() => {
      inflightRefresh = null;
    });
    return inflightRefresh;
  }

  /** Run one state-changing operation; a second one while it runs is refused. */
  async function exclusive<T>(op: Operation, body: () => Promise<T>): Promise<Result<T>> {
    if (operation) {
      const running = describe(operation, nameOf(operation.accountId));
      return fail({ kind: 'busy', message: `Please wait: the app is ${running}.` });
    }
    // Claimed before waiting for a running refresh, so an operation arriving meanwhile is refused
    // instead of running alongside this one.
    operation = op;
    let finished!: () => void;
    operationDone = new Promise<void>((resolve) => (finished = resolve));
    lastError = null;
    emit();
    if (inflightRefresh) await inflightRefresh.catch(() => undefined);
    let result: Result<T>;
    try {
      result = ok(await body());
    } catch (err) {
      result = fail(toAppError(err));
    }
    operation = null;
    if (!result.ok) lastError = { operation: op, error: result.error };
    // A tracked refresh, so the next operation waits for this list rather than racing it: read
    // before that operation's change, it would be applied after it and undo it on screen.
    await refresh();
    finished();
    return result;
  }

  /** The fresh snapshot after an operation, in place of what its body returned. */
  const withSnapshot = (r: Result<unknown>): Result<StateSnapshot> => (r.ok ? ok(snapshot) : r);

  async function switchTo(id: string): Promise<Result<StateSnapshot>> {
    if (snapshot.activeId === id && !operation) return ok(snapshot);
    const result = await exclusive({ kind: 'switch', accountId: id }, async () => {
      const token = tokens.get(id);
      const name = nameOf(id) ?? 'this account';
      if (!token) {
        throw new PiecesError(
          'needs-sign-in',
          `The app has no saved sign-in for ${name}. Sign in to this account again.`,
        );
      }
      const profile = await signInWithSaved(
        {
          client,
          // The renewed token is used even if it cannot be saved: the one it replaces may no
          // longer work, so failing here would leave the person with neither. They are told.
          store: (userId, t) => {
            const unsaved = tokens.setRenewed(userId, t);
            if (!unsaved) return;
            const notice: Notice = {
              id: unsavedNoticeId(userId),
              level: 'warning',
              message: `The renewed sign-in for ${name} could not be saved, so it lasts only until the app quits: after a restart you may need to sign in to this account again. ${unsaved.message}`,
            };
            notices = [...notices.filter((n) => n.id !== notice.id), notice];
          },
          now,
          ...(deps.auth ? { auth: deps.auth } : {}),
        },
        id,
        token,
        name,
        () => needsSignIn.add(id),
      );
      needsSignIn.delete(id);
      profiles.set(profile.id, profile);
      if (profile.id !== id) {
        throw new PiecesError(
          'bad-response',
          `Pieces OS signed in ${profile.displayName} instead of ${name}.`,
        );
      }
      lastActive.set(id);
    });
    return withSnapshot(result);
  }

  /** Hands the token to Pieces OS, stores it under the user it signed in, makes them active. */
  async function signInStored(token: StoredToken): Promise<Result<Account>> {
    const result = await exclusive({ kind: 'sign-in' }, async () => {
      const profile = await client.signInWithToken(token);
      profiles.set(profile.id, profile);
      tokens.set(profile.id, token);
      dropNotice(unsavedNoticeId(profile.id));
      needsSignIn.delete(profile.id);
      lastActive.set(profile.id);
      return profile;
    });
    if (!result.ok) return result;
    const account = snapshot.accounts.find((a) => a.id === result.value.id);
    return ok(account ?? toAccount(result.value, true, true));
  }

  const signIn = (token: OAuthTokenInput): Promise<Result<Account>> => signInStored(token);

  /**
   * The browser part waits for a person, for minutes: it is not held as the running operation
   * (that would stop refreshes and every other action meanwhile). Only the Pieces OS part is.
   */
  async function signInWithBrowser(): Promise<Result<Account>> {
    if (browser) {
      return fail({
        kind: 'busy',
        message: 'A sign-in is already waiting in the browser. Finish it there, or cancel it.',
      });
    }
    if (operation) {
      const running = describe(operation, nameOf(operation.accountId));
      return fail({ kind: 'busy', message: `Please wait: the app is ${running}.` });
    }
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
    let token: OAuthTokenInput;
    try {
      token = await flow.start();
    } catch (err) {
      return fail(toAppError(err));
    } finally {
      browser = null;
    }
    // The person is done in the browser: a switch from the tray meanwhile must not lose this token.
    while (operation) await operationDone;
    return signInStored({ ...token, obtained_at: now(), issuer: auth.issuer });
  }

  function cancelBrowserSignIn(): null {
    browser?.cancel();
    return null;
  }

  /**
   * Disconnect in Pieces OS, then forget the token. A failure keeps the token, with one exception:
   * a user Pieces OS neither lists nor knows (404/410) has only the saved sign-in left to forget.
   * "Lists" means in its last good user list: a server that could not even list users (the wrong
   * server answering 404 to everything) leaves the app offline, and then nothing is forgotten.
   */
  async function signOutOne(id: string): Promise<void> {
    try {
      applyUsers(await client.disconnect(id));
    } catch (err) {
      const unknown =
        err instanceof PiecesError &&
        err.kind === 'http' &&
        (err.status === 404 || err.status === 410) &&
        connection.status === 'online' &&
        !users.some((u) => u.id === id);
      if (!unknown) throw err;
    }
    tokens.delete(id);
    dropNotice(unsavedNoticeId(id));
    needsSignIn.delete(id);
    if (lastActive.get() === id) lastActive.set(null);
    if (currentId === id) currentId = null;
  }

  async function signOut(id: string): Promise<Result<StateSnapshot>> {
    if (!snapshot.accounts.some((a) => a.id === id)) {
      return fail({ kind: 'invalid-input', message: 'That account is not in the list any more.' });
    }
    return withSnapshot(await exclusive({ kind: 'sign-out', accountId: id }, () => signOutOne(id)));
  }

  /** Sign out of every account, going on past failures; the report names who failed and why. */
  const signOutAll = (): Promise<Result<SignOutAllReport>> =>
    signOutMany(snapshot.accounts.map((a) => a.id));

  async function signOutMany(ids: string[]): Promise<Result<SignOutAllReport>> {
    const wanted = new Set(ids);
    const result = await exclusive({ kind: 'sign-out-all' }, async () => {
      const report: SignOutAllReport = { signedOut: [], failed: [] };
      for (const account of snapshot.accounts.filter((a) => wanted.has(a.id))) {
        try {
          await signOutOne(account.id);
          report.signedOut.push(account.id);
        } catch (err) {
          const error = toAppError(err);
          report.failed.push({ id: account.id, displayName: account.displayName, error });
        }
      }
      return report;
    });
    if (result.ok && result.value.failed.length > 0) {
      const names = result.value.failed.map((f) => f.displayName).join(', ');
      lastError = {
        operation: { kind: 'sign-out-all' },
        error: { ...result.value.failed[0]!.error, message: `Could not sign out of ${names}.` },
      };
      emit();
    }
    return result;
  }

  async function forgetSignIn(id: string): Promise<Result<StateSnapshot>> {
    return withSnapshot(
      await exclusive({ kind: 'sign-out', accountId: id }, async () => {
        tokens.delete(id);
        dropNotice(unsavedNoticeId(id));
        needsSignIn.delete(id);
      }),
    );
  }

  async function details(id: string): Promise<Result<UserProfile>> {
    try {
      const profile = await client.getUser(id);
      profiles.set(profile.id, profile);
      return ok(profile);
    } catch (err) {
      return fail(toAppError(err));
    }
  }

  async function retryNow(): Promise<Result<StateSnapshot>> {
    retryDelay = 0;
    client.invalidate();
    if (connection.status === 'offline') {
      connection = { status: 'connecting' };
      emit();
    }
    // A refresh already running talks to the URL from before: its answer says nothing about the
    // URL now in force, so let it finish and then look afresh.
    if (inflightRefresh) await inflightRefresh.catch(() => undefined);
    const s = await refresh();
    return s.connection.status === 'offline' ? fail(s.connection.error) : ok(s);
  }

  function dismissNotice(id: string): StateSnapshot {
    notices = notices.filter((n) => n.id !== id);
    emit();
    return snapshot;
  }

  function addNotice(notice: Notice): void {
    notices = [...notices.filter((n) => n.id !== notice.id), { ...notice }];
    emit();
  }

  return {
    snapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      running = true;
      return refresh();
    },
    stop() {
      running = false;
      browser?.cancel(); // closes its loopback listener
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
    },
    refresh,
    switchTo,
    signIn,
    signInWithBrowser,
    cancelBrowserSignIn,
    // Replaced by the Pieces OS sign-in (POST /os/sign_in) in the service rewrite.
    signInWithPieces: () =>
      Promise.resolve(
        fail({ kind: 'internal', message: 'Sign in with Pieces is not available in this build.' }),
      ),
    cancelSignIn: cancelBrowserSignIn,
    signOutMany,
    forgetSignIn,
    signOut,
    signOutAll,
    details,
    retryNow,
    dismissNotice,
    addNotice,
  };
}
