import { describe, expect, it } from 'vitest';
import type { UserProfile } from '../../shared/domain';
import {
  accountsChanged,
  accountsOf,
  initialState,
  reduce,
  snapshotOf,
  type AccountsState,
} from './state';
import { refreshedAt } from '../../../test/support/account-testing';

const profile = (id: string, displayName: string, email?: string): UserProfile => ({
  id,
  displayName,
  providers: [],
  ...(email ? { email } : {}),
});

const ada = profile('a-1', 'Ada Lovelace', 'ada@example.com');
const grace = profile('g-1', 'Grace Hopper', 'grace@example.com');
const alan = profile('t-1', 'Alan Turing', 'alan@example.com');
const URL = 'http://127.0.0.1:39300';

function online(users: UserProfile[], current: UserProfile | null = null): AccountsState {
  return reduce(
    initialState({ saved: new Map(), persist: true }),
    refreshedAt(URL, users, current),
  );
}

describe('reduce', () => {
  it('returns the same state when a refresh brings an equal list (nothing to push)', () => {
    const s = online([ada, grace], ada);
    const again = reduce(s, {
      type: 'refreshed',
      url: URL,
      version: '12.0.0',
      users: [{ ...ada }, { ...grace }],
      current: { ...ada },
      fallbackCurrentId: null,
    });
    expect(again).toBe(s);
  });

  it('equal data is no change, however deep; any difference in it is one', () => {
    const withProviders = (p: UserProfile, ...ids: string[]): UserProfile => ({
      ...p,
      providers: ids.map((userId) => ({ type: 'github', userId })),
    });
    const s = online([withProviders(ada, 'x', 'y'), grace], ada);
    const refreshed = (users: UserProfile[]) => reduce(s, refreshedAt(URL, users, ada));
    // Rebuilt objects with the same data: nothing to push.
    expect(refreshed([withProviders(ada, 'x', 'y'), { ...grace }]).users).toBe(s.users);
    // A nested value, an array's length or order, a key missing or added: a change.
    for (const changed of [
      withProviders(ada, 'x', 'z'),
      withProviders(ada, 'x'),
      withProviders(ada, 'y', 'x'),
      { ...withProviders(ada, 'x', 'y'), email: undefined },
      { ...withProviders(ada, 'x', 'y'), picture: 'https://pictures.example/a.png' },
    ]) {
      expect(refreshed([changed as UserProfile, grace]).users).not.toBe(s.users);
    }
  });

  it('a changed list, current user or connection is a new state', () => {
    const s = online([ada, grace], ada);
    expect(reduce(s, { type: 'current-user', profile: grace })).not.toBe(s);
    const moved = reduce(s, {
      type: 'refreshed',
      url: 'http://127.0.0.1:39301',
      version: '12.0.0',
      users: [ada, grace],
      current: ada,
      fallbackCurrentId: null,
    });
    expect(moved.connection).toMatchObject({ status: 'online', url: 'http://127.0.0.1:39301' });
    expect(moved.users).toBe(s.users);
  });

  it('where Pieces OS cannot say who is current, the fallback id is active', () => {
    const s = reduce(initialState({ saved: new Map(), persist: true }), {
      type: 'refreshed',
      url: URL,
      version: undefined,
      users: [ada, grace],
      current: undefined,
      fallbackCurrentId: grace.id,
    });
    expect(s.currentId).toBe(grace.id);
  });

  it('a sign-in makes the user current, lists them, and clears a refusal', () => {
    let s = online([ada], ada);
    s = reduce(s, { type: 'refused', id: grace.id });
    s = reduce(s, { type: 'signed-in', profile: grace });
    expect(s.currentId).toBe(grace.id);
    expect(s.users.map((u) => u.id)).toEqual([ada.id, grace.id]);
    expect(s.refused.has(grace.id)).toBe(false);
  });

  it('the user stream saying nobody is signed in leaves no current user', () => {
    const s = reduce(online([ada], ada), { type: 'current-user', profile: null });
    expect(s.currentId).toBeNull();
  });

  it('a sign-out removes the user and, if current, the current user', () => {
    const s = reduce(online([ada, grace], ada), { type: 'signed-out', id: ada.id });
    expect(s.users.map((u) => u.id)).toEqual([grace.id]);
    expect(s.currentId).toBeNull();
  });

  it('going unreachable keeps the accounts and says what was tried', () => {
    const s = online([ada], ada);
    const off = reduce(s, {
      type: 'unreachable',
      tried: [URL],
      error: { kind: 'unreachable', message: 'gone' },
      nextRetryAt: 5,
    });
    expect(off.connection).toMatchObject({ status: 'offline', tried: [URL] });
    expect(off.users).toBe(s.users);
    expect(accountsChanged(s, off)).toBe(false);
  });

  it('the update mode is kept across refreshes of the same Pieces OS', () => {
    let s = reduce(online([ada]), { type: 'updates', mode: 'live' });
    expect(s.connection).toMatchObject({ updates: 'live' });
    s = reduce(s, {
      type: 'refreshed',
      url: URL,
      version: '12.0.1',
      users: [ada],
      current: null,
      fallbackCurrentId: null,
    });
    expect(s.connection).toMatchObject({ version: '12.0.1', updates: 'live' });
  });

  it('dismissing a notice nobody shows changes nothing; a notice with the same id replaces', () => {
    const s = online([]);
    expect(reduce(s, { type: 'dismiss', id: 'x' })).toBe(s);
    const one = reduce(s, { type: 'notice', notice: { id: 'n', level: 'info', message: 'a' } });
    const two = reduce(one, { type: 'notice', notice: { id: 'n', level: 'info', message: 'b' } });
    expect(two.notices).toEqual([{ id: 'n', level: 'info', message: 'b' }]);
  });

  it('forgetting a saved sign-in drops its refusal too', () => {
    let s = reduce(online([ada]), { type: 'saved', saved: new Map([[ada.id, {}]]), persist: true });
    s = reduce(s, { type: 'refused', id: ada.id });
    s = reduce(s, { type: 'saved', saved: new Map(), persist: true });
    expect(s.refused.size).toBe(0);
  });
});

describe('accountsOf', () => {
  it('one state per account; the active first, then by name; unlisted saved accounts too', () => {
    let s = online([grace, ada, alan], grace);
    s = reduce(s, {
      type: 'saved',
      saved: new Map([
        [ada.id, {}],
        [alan.id, { expiresAt: 1_000 }],
        ['gone-1', {}],
      ]),
      persist: true,
    });
    const accounts = accountsOf(s, 2_000);
    expect(accounts.map((a) => [a.displayName, a.state])).toEqual([
      ['Grace Hopper', 'active'],
      ['Account gone-1', 'not-in-pieces-os'],
      ['Ada Lovelace', 'ready'],
      ['Alan Turing', 'sign-in-needed'], // its sign-in expired at 1000
    ]);
    expect(accounts.find((a) => a.id === alan.id)?.signInExpiresAt).toBe(
      new Date(1_000).toISOString(),
    );
  });

  it('a user listed twice by Pieces OS appears once', () => {
    const s = online([ada, { ...ada, displayName: 'Other' }]);
    expect(accountsOf(s, 0).map((a) => a.displayName)).toEqual(['Ada Lovelace']);
  });

  it('the snapshot names an active account only if it is in the list', () => {
    const s = online([ada], grace);
    const snap = snapshotOf(s, 7, accountsOf(s, 0));
    expect(snap.revision).toBe(7);
    expect(snap.activeId).toBeNull();
  });
});
