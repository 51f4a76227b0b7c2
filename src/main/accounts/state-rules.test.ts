// The reducer's rules one event at a time: what each event changes, and that an event changing
// nothing returns the very same state (nothing is pushed to the window then). Also how the
// accounts and the snapshot are read from the state. state.test.ts has the whole-story cases.
import { describe, expect, it } from 'vitest';
import type { AppError, Notice, UserProfile } from '../../shared/domain';
import {
  accountsChanged,
  accountsOf,
  initialState,
  reduce,
  snapshotOf,
  type AccountsState,
  type SavedSignIn,
} from './state';

const ada: UserProfile = { id: 'a-1', displayName: 'Ada Lovelace', providers: [] };
const grace: UserProfile = { id: 'g-1', displayName: 'Grace Hopper', providers: [] };
const URL_A = 'http://127.0.0.1:39300';
const URL_B = 'http://127.0.0.1:39301';
const DOWN: AppError = { kind: 'unreachable', message: 'Pieces OS is not running.' };

const empty = (saved: ReadonlyMap<string, SavedSignIn> = new Map()) =>
  initialState({ saved, persist: true });

const refreshed = (
  state: AccountsState,
  extra: Partial<{
    url: string;
    version: string | undefined;
    users: UserProfile[];
    current: UserProfile | null | undefined;
    fallbackCurrentId: string | null;
  }> = {},
) =>
  reduce(state, {
    type: 'refreshed',
    url: URL_A,
    version: '12.0.0',
    users: [ada, grace],
    current: ada,
    fallbackCurrentId: null,
    ...extra,
  });

describe('initialState', () => {
  it('starts connecting, with the saved sign-ins and notices it is given, and nothing else', () => {
    const notice: Notice = { id: 'n', level: 'info', message: 'Hello.' };
    const saved = new Map([['a-1', {}]]);
    const s = initialState({ saved, persist: false, notices: [notice] });
    expect(s).toEqual({
      users: [],
      profiles: new Map(),
      saved,
      refused: new Set(),
      currentId: null,
      connection: { status: 'connecting' },
      operation: null,
      lastError: null,
      notices: [notice],
      tokensPersist: false,
      pendingSignIn: null,
    });
    expect(empty().notices).toEqual([]);
  });
});

describe('reduce: the connection', () => {
  it('a refresh goes online with the url and version; a version Pieces OS does not give is left out', () => {
    expect(refreshed(empty()).connection).toEqual({
      status: 'online',
      url: URL_A,
      version: '12.0.0',
    });
    expect(refreshed(empty(), { version: undefined }).connection).toEqual({
      status: 'online',
      url: URL_A,
    });
    expect(refreshed(empty(), { version: undefined }).connection).not.toHaveProperty('version');
  });

  it('a refresh of the same Pieces OS keeps the connection; another version or address is new', () => {
    const s = refreshed(empty());
    expect(refreshed(s, { users: [ada] }).connection).toBe(s.connection);
    expect(refreshed(s, { version: '12.1.0' }).connection).toEqual({
      status: 'online',
      url: URL_A,
      version: '12.1.0',
    });
  });

  it('the update mode carries over a version change of the same address, not to another address', () => {
    const live = reduce(refreshed(empty()), { type: 'updates', mode: 'live' });
    expect(refreshed(live, { version: '12.1.0' }).connection).toMatchObject({ updates: 'live' });
    expect(refreshed(live, { url: URL_B }).connection).toEqual({
      status: 'online',
      url: URL_B,
      version: '12.0.0',
    });
  });

  it('the update mode: set while online, unchanged when it is the same, ignored when not online', () => {
    const s = refreshed(empty());
    const live = reduce(s, { type: 'updates', mode: 'live' });
    expect(live.connection).toMatchObject({ status: 'online', updates: 'live' });
    expect(reduce(live, { type: 'updates', mode: 'live' })).toBe(live);
    expect(reduce(live, { type: 'updates', mode: 'polling' }).connection).toMatchObject({
      updates: 'polling',
    });
    const connecting = empty();
    expect(reduce(connecting, { type: 'updates', mode: 'live' })).toBe(connecting);
  });

  it('unreachable: offline with what was tried, why, and when it tries again; accounts kept', () => {
    const s = refreshed(empty());
    const off = reduce(s, { type: 'unreachable', tried: [URL_A], error: DOWN, nextRetryAt: 5 });
    expect(off.connection).toEqual({
      status: 'offline',
      tried: [URL_A],
      error: DOWN,
      nextRetryAt: 5,
    });
    expect(off.users).toBe(s.users);
    // The same failure again is no change.
    const again = reduce(off, { type: 'unreachable', tried: [URL_A], error: DOWN, nextRetryAt: 5 });
    expect(again).toBe(off);
  });

  it('connecting: with or without an address; the same again changes nothing', () => {
    const s = refreshed(empty());
    const to = reduce(s, { type: 'connecting', url: URL_B });
    expect(to.connection).toEqual({ status: 'connecting', url: URL_B });
    expect(reduce(to, { type: 'connecting', url: URL_B })).toBe(to);
    const anywhere = reduce(to, { type: 'connecting' });
    expect(anywhere.connection).toEqual({ status: 'connecting' });
    expect(reduce(anywhere, { type: 'connecting' })).toBe(anywhere);
    // Online at an address, then reconnecting to the same one: connecting again.
    expect(reduce(s, { type: 'connecting', url: URL_A }).connection).toEqual({
      status: 'connecting',
      url: URL_A,
    });
  });
});

describe('reduce: who is listed and who is current', () => {
  it('the current user comes from Pieces OS, or the fallback when it cannot say, or nobody', () => {
    expect(refreshed(empty(), { current: grace }).currentId).toBe('g-1');
    expect(refreshed(empty(), { current: null, fallbackCurrentId: 'g-1' }).currentId).toBeNull();
    expect(refreshed(empty(), { current: undefined, fallbackCurrentId: 'g-1' }).currentId).toBe(
      'g-1',
    );
  });

  it('a current user Pieces OS does not list is still known by name', () => {
    const alan: UserProfile = { id: 't-1', displayName: 'Alan Turing', providers: [] };
    const s = refreshed(empty(), { users: [ada], current: alan });
    expect(s.profiles.get('t-1')).toEqual(alan);
    expect(s.users).toEqual([ada]);
  });

  it('a list that differs in one field of one user is a new list', () => {
    const s = refreshed(empty());
    const renamed = { ...grace, displayName: 'Grace B. Hopper' };
    const next = refreshed(s, { users: [ada, renamed] });
    expect(next.users).toEqual([ada, renamed]);
    expect(next.profiles.get('g-1')).toEqual(renamed);
    expect(refreshed(s, { users: [ada] }).users).toEqual([ada]);
    expect(refreshed(s, { users: [grace, ada] }).users).toEqual([grace, ada]);
  });

  it('a sign-in of a listed user updates them in place; of an unlisted one, lists them last', () => {
    const s = refreshed(empty(), { users: [ada, grace], current: null });
    const renamed = { ...ada, displayName: 'Ada K.' };
    const again = reduce(s, { type: 'signed-in', profile: renamed });
    expect(again.users).toEqual([renamed, grace]);
    expect(again.currentId).toBe('a-1');
    const alan: UserProfile = { id: 't-1', displayName: 'Alan Turing', providers: [] };
    const added = reduce(s, { type: 'signed-in', profile: alan });
    expect(added.users).toEqual([ada, grace, alan]);
    expect(added.profiles.get('t-1')).toEqual(alan);
    // Signing in the current user as they are changes nothing.
    const current = refreshed(empty(), { users: [ada], current: ada });
    expect(reduce(current, { type: 'signed-in', profile: { ...ada } })).toBe(current);
  });

  it('the user stream names the current user and adds their profile', () => {
    const s = refreshed(empty(), { users: [ada], current: null });
    const next = reduce(s, { type: 'current-user', profile: grace });
    expect(next.currentId).toBe('g-1');
    expect(next.profiles.get('g-1')).toEqual(grace);
    expect(reduce(next, { type: 'current-user', profile: null }).currentId).toBeNull();
  });

  it('a sign-out drops the user (or takes the list Pieces OS answered) and keeps another current user', () => {
    const s = refreshed(empty(), { users: [ada, grace], current: grace });
    const out = reduce(s, { type: 'signed-out', id: 'a-1' });
    expect(out.users).toEqual([grace]);
    expect(out.currentId).toBe('g-1');
    const answered = reduce(s, { type: 'signed-out', id: 'g-1', users: [ada] });
    expect(answered.users).toEqual([ada]);
    expect(answered.currentId).toBeNull();
    // Signing out someone not listed, not current: nothing changes.
    expect(reduce(s, { type: 'signed-out', id: 'x-1' })).toBe(s);
  });

  it('a profile is remembered once; the same profile again changes nothing', () => {
    const s = empty();
    const next = reduce(s, { type: 'profile', profile: ada });
    expect(next.profiles.get('a-1')).toEqual(ada);
    expect(reduce(next, { type: 'profile', profile: { ...ada } })).toBe(next);
  });
});

describe('reduce: operations, sign-ins kept, notices', () => {
  const op = { kind: 'switch' as const, accountId: 'a-1' };

  it('an operation clears the last error when it starts, and records its own when it ends', () => {
    const failed = reduce(empty(), { type: 'failure', operation: op, error: DOWN });
    expect(failed.lastError).toEqual({ operation: op, error: DOWN });
    const started = reduce(failed, { type: 'operation-started', operation: op });
    expect(started.operation).toEqual(op);
    expect(started.lastError).toBeNull();
    const ended = reduce(started, { type: 'operation-ended', operation: op, error: DOWN });
    expect(ended.operation).toBeNull();
    expect(ended.lastError).toEqual({ operation: op, error: DOWN });
    const fine = reduce(started, { type: 'operation-ended', operation: op });
    expect(fine.lastError).toBeNull();
    expect(fine.operation).toBeNull();
  });

  it('saved sign-ins: the same ones again change nothing; another expiry, another set does', () => {
    const saved = new Map([['a-1', { expiresAt: 10 }]]);
    const s = reduce(empty(), { type: 'saved', saved, persist: true });
    expect(
      reduce(s, { type: 'saved', saved: new Map([['a-1', { expiresAt: 10 }]]), persist: true }),
    ).toBe(s);
    const later = reduce(s, {
      type: 'saved',
      saved: new Map([['a-1', { expiresAt: 20 }]]),
      persist: true,
    });
    expect(later.saved.get('a-1')).toEqual({ expiresAt: 20 });
    const other = reduce(s, {
      type: 'saved',
      saved: new Map([['g-1', { expiresAt: 10 }]]),
      persist: true,
    });
    expect([...other.saved.keys()]).toEqual(['g-1']);
    const more = reduce(s, {
      type: 'saved',
      saved: new Map([
        ['a-1', { expiresAt: 10 }],
        ['g-1', {}],
      ]),
      persist: true,
    });
    expect(more.saved.size).toBe(2);
    expect(reduce(s, { type: 'saved', saved, persist: false }).tokensPersist).toBe(false);
  });

  it('a refusal is kept while the sign-in is saved, once, and lifted when usable again', () => {
    const saved = new Map([
      ['a-1', {}],
      ['g-1', {}],
    ]);
    const s = reduce(empty(), { type: 'saved', saved, persist: true });
    const refused = reduce(s, { type: 'refused', id: 'a-1' });
    expect([...refused.refused]).toEqual(['a-1']);
    expect(reduce(refused, { type: 'refused', id: 'a-1' })).toBe(refused);
    // Saving again with the refused one still kept: the refusal stays.
    const kept = reduce(refused, { type: 'saved', saved: new Map(saved), persist: true });
    expect(kept.refused).toBe(refused.refused);
    expect(reduce(refused, { type: 'usable', id: 'a-1' }).refused.size).toBe(0);
    expect(reduce(refused, { type: 'usable', id: 'g-1' })).toBe(refused);
  });

  it('a pending sign-in is shown until it ends', () => {
    const pending = { via: 'browser' as const, deadline: 99 };
    const s = reduce(empty(), { type: 'pending-sign-in', pending });
    expect(s.pendingSignIn).toEqual(pending);
    expect(reduce(s, { type: 'pending-sign-in', pending: { ...pending } })).toBe(s);
    expect(reduce(s, { type: 'pending-sign-in', pending: null }).pendingSignIn).toBeNull();
  });

  it('notices: one per id, the newest last; dismissing drops exactly that one', () => {
    const a: Notice = { id: 'a', level: 'info', message: 'A' };
    const b: Notice = { id: 'b', level: 'warning', message: 'B' };
    let s = reduce(empty(), { type: 'notice', notice: a });
    s = reduce(s, { type: 'notice', notice: b });
    const a2 = { ...a, message: 'A again' };
    s = reduce(s, { type: 'notice', notice: a2 });
    expect(s.notices).toEqual([b, a2]);
    expect(reduce(s, { type: 'dismiss', id: 'b' }).notices).toEqual([a2]);
    expect(reduce(s, { type: 'dismiss', id: 'nobody-shows-this' })).toBe(s);
  });
});

describe('accountsOf', () => {
  it('everything the window shows of an account, from its profile and its saved sign-in', () => {
    const full: UserProfile = {
      id: 'a-1',
      displayName: 'Ada Lovelace',
      email: 'ada@example.com',
      username: 'ada',
      picture: 'https://example.com/ada.png',
      providers: [
        { type: 'github', userId: '1' },
        { type: 'google-oauth2', userId: '2' },
      ],
    };
    let s = refreshed(empty(), { users: [full], current: null });
    s = reduce(s, {
      type: 'saved',
      saved: new Map([['a-1', { expiresAt: 86_400_000 }]]),
      persist: true,
    });
    expect(accountsOf(s, 0)).toEqual([
      {
        id: 'a-1',
        displayName: 'Ada Lovelace',
        email: 'ada@example.com',
        username: 'ada',
        picture: 'https://example.com/ada.png',
        provider: 'github',
        providerName: 'GitHub',
        connected: true,
        hasToken: true,
        state: 'ready',
        signInExpiresAt: '1970-01-02T00:00:00.000Z',
      },
    ]);
  });

  it('a bare account: no optional fields, a name from its id when no profile is known', () => {
    const s = reduce(empty(), {
      type: 'saved',
      saved: new Map([['0123456789abcdef', {}]]),
      persist: true,
    });
    expect(accountsOf(s, 0)).toEqual([
      {
        id: '0123456789abcdef',
        displayName: 'Account 01234567',
        connected: false,
        hasToken: true,
        state: 'not-in-pieces-os',
      },
    ]);
  });

  it('an unlisted saved account uses the profile seen earlier this session', () => {
    let s = refreshed(empty(), { users: [ada], current: null });
    s = reduce(s, { type: 'saved', saved: new Map([['a-1', {}]]), persist: true });
    s = refreshed(s, { users: [], current: null });
    expect(accountsOf(s, 0)).toMatchObject([
      { id: 'a-1', displayName: 'Ada Lovelace', connected: false },
    ]);
  });

  it('a sign-in expires at its expiry time exactly, and a refused one needs a sign-in', () => {
    let s = refreshed(empty(), { users: [ada, grace], current: null });
    s = reduce(s, {
      type: 'saved',
      saved: new Map([
        ['a-1', { expiresAt: 1_000 }],
        ['g-1', {}],
      ]),
      persist: true,
    });
    const stateOf = (st: AccountsState, now: number, id: string) =>
      accountsOf(st, now).find((a) => a.id === id)?.state;
    expect(stateOf(s, 999, 'a-1')).toBe('ready');
    expect(stateOf(s, 1_000, 'a-1')).toBe('sign-in-needed');
    const refused = reduce(s, { type: 'refused', id: 'g-1' });
    expect(accountsOf(refused, 0).find((a) => a.id === 'g-1')).toMatchObject({
      state: 'sign-in-needed',
      needsSignIn: true,
    });
    expect(accountsOf(s, 0).find((a) => a.id === 'g-1')).not.toHaveProperty('needsSignIn');
  });

  it('the current user comes first when listed or saved', () => {
    const zed: UserProfile = { id: 'z-1', displayName: 'Zed', providers: [] };
    const listed = refreshed(empty(), { users: [ada, zed], current: zed });
    expect(accountsOf(listed, 0).map((a) => a.id)).toEqual(['z-1', 'a-1']);
    let saved = refreshed(empty(), { users: [ada], current: null, fallbackCurrentId: null });
    saved = reduce(saved, { type: 'saved', saved: new Map([['z-1', {}]]), persist: true });
    saved = reduce(saved, { type: 'current-user', profile: zed });
    expect(accountsOf(saved, 0).map((a) => [a.id, a.state])).toEqual([
      ['z-1', 'active'],
      ['a-1', 'sign-in-needed'],
    ]);
  });
});

describe('snapshotOf and accountsChanged', () => {
  it('the snapshot carries the state as the window needs it', () => {
    const notice: Notice = { id: 'n', level: 'info', message: 'Hello.' };
    let s = refreshed(empty(), { users: [ada], current: ada });
    s = reduce(s, { type: 'notice', notice });
    const accounts = accountsOf(s, 0);
    const snap = snapshotOf(s, 3, accounts);
    expect(snap).toEqual({
      revision: 3,
      accounts,
      activeId: 'a-1',
      connection: s.connection,
      operation: null,
      lastError: null,
      notices: [notice],
      tokensPersist: true,
      pendingSignIn: null,
    });
    expect(snap.notices).not.toBe(s.notices);
    expect(
      snapshotOf(reduce(s, { type: 'current-user', profile: null }), 4, accounts).activeId,
    ).toBeNull();
  });

  it('the account list is rebuilt for a change in users, profiles, saved, refused or current, only', () => {
    const s = refreshed(empty(), { users: [ada], current: null });
    const changes: Array<[string, AccountsState]> = [
      ['users', refreshed(s, { users: [ada, grace], current: null })],
      ['profiles', reduce(s, { type: 'profile', profile: grace })],
      ['saved', reduce(s, { type: 'saved', saved: new Map([['a-1', {}]]), persist: true })],
      ['refused', { ...s, refused: new Set(['a-1']) }],
      ['current', reduce(s, { type: 'current-user', profile: ada })],
    ];
    for (const [what, next] of changes) expect(accountsChanged(s, next), what).toBe(true);
    expect(accountsChanged(s, reduce(s, { type: 'updates', mode: 'live' }))).toBe(false);
    expect(accountsChanged(s, { ...s })).toBe(false);
  });
});
