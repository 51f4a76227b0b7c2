// The account state and its transitions: a pure function from (state, event) to the next state,
// and the snapshot the window and the tray render. No I/O, no timers, no clocks: the service
// (account-service.ts) performs the effects and feeds their results in as events.
//
// `reduce` returns the very same object when an event changes nothing, so "did anything change"
// is `next !== state`, and nothing is pushed to the window or the tray for an unchanged refresh.
import { isDeepStrictEqual } from 'node:util';
import type {
  Account,
  AppError,
  ConnectionState,
  Notice,
  Operation,
  PendingSignIn,
  StateSnapshot,
  UserProfile,
} from '../../shared/domain';
import { accountList } from './account-list';
import { triedRanges } from './tried-ranges';

/** What the app knows of a saved sign-in, without the token itself. */
export interface SavedSignIn {
  /** Epoch milliseconds when it expires, where known. */
  expiresAt?: number;
}

export interface AccountsState {
  /** The users Pieces OS listed last, in its order. */
  readonly users: readonly UserProfile[];
  /** Every profile seen this session, for names of saved accounts Pieces OS no longer lists. */
  readonly profiles: ReadonlyMap<string, UserProfile>;
  /** Accounts whose sign-in the app keeps. */
  readonly saved: ReadonlyMap<string, SavedSignIn>;
  /** Saved sign-ins Pieces OS refused (and that could not be renewed). */
  readonly refused: ReadonlySet<string>;
  readonly currentId: string | null;
  readonly connection: ConnectionState;
  readonly operation: Operation | null;
  readonly lastError: { operation: Operation; error: AppError } | null;
  readonly notices: readonly Notice[];
  readonly tokensPersist: boolean;
  readonly pendingSignIn: PendingSignIn | null;
}

export type AccountsEvent =
  /** A refresh read the list (and, where Pieces OS has GET /user, the current user). */
  | {
      type: 'refreshed';
      url: string;
      version: string | undefined;
      users: readonly UserProfile[];
      /** null: nobody; undefined: this Pieces OS cannot say (then `fallbackCurrentId`). */
      current: UserProfile | null | undefined;
      fallbackCurrentId: string | null;
    }
  | { type: 'unreachable'; tried: string[]; error: AppError; nextRetryAt: number }
  | { type: 'connecting'; url?: string }
  /** How the app follows this Pieces OS: its streams, or polling. */
  | { type: 'updates'; mode: 'live' | 'polling' }
  | { type: 'operation-started'; operation: Operation }
  | { type: 'operation-ended'; operation: Operation; error?: AppError }
  /** Pieces OS signed this user in (a switch, a sign-in, or another client seen on the stream). */
  | { type: 'signed-in'; profile: UserProfile }
  /** The current user, as the user stream says (null: nobody is signed in). */
  | { type: 'current-user'; profile: UserProfile | null }
  /** Pieces OS no longer has this user; `users` is the list it answered, if it did. */
  | { type: 'signed-out'; id: string; users?: readonly UserProfile[] }
  | { type: 'profile'; profile: UserProfile }
  | { type: 'saved'; saved: ReadonlyMap<string, SavedSignIn>; persist: boolean }
  | { type: 'refused'; id: string }
  | { type: 'usable'; id: string }
  | { type: 'pending-sign-in'; pending: PendingSignIn | null }
  | { type: 'notice'; notice: Notice }
  | { type: 'dismiss'; id: string }
  | { type: 'failure'; operation: Operation; error: AppError };

export function initialState(init: {
  saved: ReadonlyMap<string, SavedSignIn>;
  persist: boolean;
  notices?: readonly Notice[];
}): AccountsState {
  return {
    users: [],
    profiles: new Map(),
    saved: init.saved,
    refused: new Set(),
    currentId: null,
    connection: { status: 'connecting' },
    operation: null,
    lastError: null,
    notices: [...(init.notices ?? [])],
    tokensPersist: init.persist,
    pendingSignIn: null,
  };
}

/** The next state; the same object when the event changes nothing. */
export function reduce(state: AccountsState, event: AccountsEvent): AccountsState {
  switch (event.type) {
    case 'refreshed': {
      const users = sameUsers(state.users, event.users) ? state.users : event.users;
      const currentId =
        event.current === undefined ? event.fallbackCurrentId : (event.current?.id ?? null);
      // An unchanged list was merged into `profiles` when it came: only what is new is looked at.
      const listed = users === state.users ? [] : users;
      const profiles = withProfiles(
        state.profiles,
        event.current ? [...listed, event.current] : listed,
      );
      const previous = state.connection;
      const connection: ConnectionState =
        previous.status === 'online' &&
        previous.url === event.url &&
        previous.version === event.version
          ? previous
          : {
              status: 'online',
              url: event.url,
              ...(event.version === undefined ? {} : { version: event.version }),
              ...(previous.status === 'online' && previous.url === event.url && previous.updates
                ? { updates: previous.updates }
                : {}),
            };
      return patch(state, { users, currentId, profiles, connection });
    }
    case 'unreachable':
      return patch(state, {
        connection: {
          status: 'offline',
          tried: triedRanges(event.tried),
          error: event.error,
          nextRetryAt: event.nextRetryAt,
        },
      });
    case 'connecting':
      if (state.connection.status === 'connecting' && state.connection.url === event.url)
        return state;
      return patch(state, {
        connection: event.url ? { status: 'connecting', url: event.url } : { status: 'connecting' },
      });
    case 'updates': {
      const c = state.connection;
      if (c.status !== 'online' || c.updates === event.mode) return state;
      return patch(state, { connection: { ...c, updates: event.mode } });
    }
    case 'operation-started':
      return patch(state, { operation: event.operation, lastError: null });
    case 'operation-ended':
      return patch(state, {
        operation: null,
        lastError: event.error ? { operation: event.operation, error: event.error } : null,
      });
    case 'failure':
      return patch(state, { lastError: { operation: event.operation, error: event.error } });
    case 'signed-in': {
      const p = event.profile;
      const listed = state.users.some((u) => u.id === p.id);
      const users = listed ? state.users.map((u) => (u.id === p.id ? p : u)) : [...state.users, p];
      return patch(state, {
        users: sameUsers(state.users, users) ? state.users : users,
        profiles: withProfiles(state.profiles, [p]),
        currentId: p.id,
        refused: without(state.refused, p.id),
      });
    }
    case 'current-user': {
      const p = event.profile;
      if (!p) return patch(state, { currentId: null });
      return patch(state, { currentId: p.id, profiles: withProfiles(state.profiles, [p]) });
    }
    case 'signed-out': {
      const users = event.users ?? state.users.filter((u) => u.id !== event.id);
      return patch(state, {
        users: sameUsers(state.users, users) ? state.users : users,
        profiles: withProfiles(state.profiles, users),
        currentId: state.currentId === event.id ? null : state.currentId,
      });
    }
    case 'profile':
      return patch(state, { profiles: withProfiles(state.profiles, [event.profile]) });
    case 'saved': {
      const saved = sameSaved(state.saved, event.saved) ? state.saved : event.saved;
      // A sign-in the app no longer keeps cannot be refused any more.
      const refused = new Set([...state.refused].filter((id) => saved.has(id)));
      return patch(state, {
        saved,
        refused: refused.size === state.refused.size ? state.refused : refused,
        tokensPersist: event.persist,
      });
    }
    case 'refused':
      if (state.refused.has(event.id)) return state;
      return patch(state, { refused: new Set([...state.refused, event.id]) });
    case 'usable':
      return patch(state, { refused: without(state.refused, event.id) });
    case 'pending-sign-in':
      return patch(state, { pendingSignIn: event.pending });
    case 'notice': {
      const notices = [...state.notices.filter((n) => n.id !== event.notice.id), event.notice];
      return patch(state, { notices });
    }
    case 'dismiss':
      if (!state.notices.some((n) => n.id === event.id)) return state;
      return patch(state, { notices: state.notices.filter((n) => n.id !== event.id) });
  }
}

/** A copy with `changes`, or `state` itself when every change is equal to what is there. */
function patch(state: AccountsState, changes: Partial<AccountsState>): AccountsState {
  let changed = false;
  for (const key of Object.keys(changes) as (keyof AccountsState)[]) {
    const value = changes[key];
    if (value === state[key]) continue;
    if (
      typeof value === 'object' &&
      value !== null &&
      !(value instanceof Map) &&
      !(value instanceof Set) &&
      !Array.isArray(value) &&
      sameData(value, state[key])
    ) {
      (changes as Record<string, unknown>)[key] = state[key];
      continue;
    }
    changed = true;
  }
  return changed ? { ...state, ...changes } : state;
}

function without(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  if (!set.has(id)) return set;
  const next = new Set(set);
  next.delete(id);
  return next;
}

/** `profiles` with these added; the same map when none of them is new or different. */
function withProfiles(
  profiles: ReadonlyMap<string, UserProfile>,
  more: readonly UserProfile[],
): ReadonlyMap<string, UserProfile> {
  let next: Map<string, UserProfile> | undefined;
  for (const p of more) {
    const known = profiles.get(p.id);
    if (known === p || (known && sameData(known, p))) continue;
    next ??= new Map(profiles);
    next.set(p.id, p);
  }
  return next ?? profiles;
}

function sameUsers(a: readonly UserProfile[], b: readonly UserProfile[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i] && !sameData(a[i], b[i])) return false;
  }
  return true;
}

/**
 * isDeepStrictEqual, made for what the decoders build (plain objects, arrays, strings, numbers,
 * booleans): a switch compares a few profiles, and node's general version costs several times
 * this for them. Anything else (a Date, a Map, a class) is left to isDeepStrictEqual.
 */
function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (
    Object.getPrototypeOf(a) !== Object.prototype ||
    Object.getPrototypeOf(b) !== Object.prototype
  )
    return isDeepStrictEqual(a, b);
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const k of keys) if (!Object.hasOwn(y, k) || !sameData(x[k], y[k])) return false;
  return true;
}

function sameSaved(a: ReadonlyMap<string, SavedSignIn>, b: ReadonlyMap<string, SavedSignIn>) {
  if (a === b) return true;
  if (a.size !== b.size) return false;
  for (const [id, info] of a) {
    const other = b.get(id);
    if (!other || other.expiresAt !== info.expiresAt) return false;
  }
  return true;
}

/**
 * The accounts the window and the tray show: every user Pieces OS lists, then every saved sign-in
 * it does not list, each with its one state, in display order (active first, then by name). The
 * service keeps an `accountList()` instead, which reuses what did not change.
 */
export function accountsOf(state: AccountsState, now: number): Account[] {
  return accountList().build(state, now);
}

/** The snapshot of `state`; `accounts` is passed in so the service can reuse an unchanged list. */
export function snapshotOf(
  state: AccountsState,
  revision: number,
  accounts: Account[],
): StateSnapshot {
  const id = state.currentId;
  // In display order the active account comes first; the search is only for a list built otherwise.
  const shown = id !== null && (accounts[0]?.id === id || accounts.some((a) => a.id === id));
  return {
    revision,
    accounts,
    activeId: shown ? id : null,
    connection: state.connection,
    operation: state.operation,
    lastError: state.lastError,
    notices: [...state.notices],
    tokensPersist: state.tokensPersist,
    pendingSignIn: state.pendingSignIn,
  };
}

/** Whether the account list must be rebuilt: only these parts of the state feed it. */
export const accountsChanged = (a: AccountsState, b: AccountsState): boolean =>
  a.users !== b.users ||
  a.profiles !== b.profiles ||
  a.saved !== b.saved ||
  a.refused !== b.refused ||
  a.currentId !== b.currentId;
