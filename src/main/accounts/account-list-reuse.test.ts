// A refresh that changes one account rebuilds that one only: every other account keeps its object,
// so whoever compares by identity (the snapshot, the tray) sees exactly what changed.
import { describe, expect, it } from 'vitest';
import type { UserProfile } from '../../shared/domain';
import { accountList } from './account-list';
import { initialState, reduce, type AccountsState } from './state';

const URL = 'http://127.0.0.1:39300';
const refreshed = (state: AccountsState, users: UserProfile[]): AccountsState =>
  reduce(state, {
    type: 'refreshed',
    url: URL,
    version: '12.0.0',
    users,
    current: null,
    fallbackCurrentId: null,
  });

describe('accountList reuse after a refresh', () => {
  it('keeps the objects of the accounts that did not change and rebuilds the one that did', () => {
    const users: UserProfile[] = ['Ada', 'Grace', 'Alan'].map((name, i) => ({
      id: `id-${i}`,
      displayName: name,
      providers: [],
    }));
    const list = accountList();
    let state = refreshed(initialState({ saved: new Map(), persist: true }), users);
    const before = list.build(state, 0);
    const renamed = { ...users[1]!, displayName: 'Grace Hopper' };
    state = refreshed(state, [users[0]!, renamed, users[2]!]);
    const after = list.build(state, 0);
    const old = new Map(before.map((a) => [a.id, a]));
    expect(
      after
        .filter((a) => old.get(a.id) === a)
        .map((a) => a.id)
        .sort(),
    ).toEqual(['id-0', 'id-2']);
    expect(after.find((a) => a.id === 'id-1')?.displayName).toBe('Grace Hopper');
  });
});
