// More of the reducer's rules, and of the snapshot's: cases state-rules.test.ts does not reach
// (what a refresh does to profiles and to a connection still being made, what "unchanged" means,
// which account the snapshot calls active).
import { describe, expect, it } from 'vitest';
import type { Account, AppError, UserProfile } from '../../shared/domain';
import { accountsChanged, initialState, reduce, snapshotOf, type AccountsState } from './state';
import { refreshedAt } from '../../../test/support/account-testing';

const ada: UserProfile = { id: 'a-1', displayName: 'Ada Lovelace', providers: [] };
const grace: UserProfile = { id: 'g-1', displayName: 'Grace Hopper', providers: [] };
const URL_A = 'http://127.0.0.1:39300';
const DOWN: AppError = { kind: 'unreachable', message: 'Pieces OS is not running.' };

const empty = (): AccountsState => initialState({ saved: new Map(), persist: true });
const online = (users: UserProfile[], current: UserProfile | null = null) =>
  reduce(empty(), refreshedAt(URL_A, users, current));

const shown = (id: string, displayName: string): Account => ({
  id,
  displayName,
  connected: true,
  hasToken: true,
  state: 'ready',
});

describe('reduce: a refresh', () => {
  it('with an unchanged list keeps a profile learnt since from the user stream', () => {
    const s = online([ada, grace]);
    const newer = { ...ada, email: 'ada@example.com' };
    const learnt = reduce(s, { type: 'profile', profile: newer });
    const again = reduce(learnt, refreshedAt(URL_A, [{ ...ada }, { ...grace }], null));
    expect(again).toBe(learnt);
    expect(again.profiles.get('a-1')).toBe(newer);
  });

  it('goes online from a connection being made to the same url, with no version given', () => {
    const connecting = reduce(empty(), { type: 'connecting', url: URL_A });
    const s = reduce(connecting, {
      type: 'refreshed',
      url: URL_A,
      version: undefined,
      users: [ada],
      current: ada,
      fallbackCurrentId: null,
    });
    expect(s.connection).toEqual({ status: 'online', url: URL_A });
  });
});

describe('reduce: nothing new is no change', () => {
  it('a profile equal to the one known changes nothing', () => {
    const s = online([ada, grace]);
    expect(reduce(s, { type: 'profile', profile: { ...grace } })).toBe(s);
  });

  it('a failure with no failure before is recorded, and the same failure again changes nothing', () => {
    const s = online([ada]);
    const failed = reduce(s, { type: 'failure', operation: { kind: 'refresh' }, error: DOWN });
    expect(failed.lastError).toEqual({ operation: { kind: 'refresh' }, error: DOWN });
    const again = reduce(failed, {
      type: 'failure',
      operation: { kind: 'refresh' },
      error: { ...DOWN },
    });
    expect(again).toBe(failed);
  });
  it('a profile that no longer has its cloud allocation is a change', () => {
    const withCloud: UserProfile = { ...ada, allocation: { status: 'RUNNING' } };
    const s = online([withCloud]);
    const next = reduce(s, refreshedAt(URL_A, [{ ...ada, allocation: undefined }], null));
    expect(next.users[0]?.allocation).toBeUndefined();
    expect(next.profiles.get('a-1')?.allocation).toBeUndefined();
  });

  it('a profile that gains a sign-in provider is a change', () => {
    const github = { type: 'github', userId: 'x' };
    const s = online([{ ...ada, providers: [github] }]);
    const more: UserProfile = { ...ada, providers: [github, { type: 'google', userId: 'y' }] };
    const next = reduce(s, refreshedAt(URL_A, [more], null));
    expect(next.users).toEqual([more]);
    expect(next.profiles.get('a-1')).toBe(more);
  });

  it('a profile that gains a cloud allocation is a change', () => {
    const s = online([{ ...ada, allocation: undefined }]);
    const withCloud: UserProfile = { ...ada, allocation: { status: 'RUNNING' } };
    const next = reduce(s, refreshedAt(URL_A, [withCloud], null));
    expect(next.users).toEqual([withCloud]);
    expect(next.profiles.get('a-1')).toBe(withCloud);
  });
});

describe('reduce: going unreachable', () => {
  it('keeps an address that is not a bare origin and port as it is', () => {
    const tried = [
      'http://127.0.0.1:39300/v1',
      'via http://127.0.0.1:39301',
      'http://127.0.0.1:39302',
    ];
    const s = reduce(empty(), { type: 'unreachable', tried, error: DOWN, nextRetryAt: 5 });
    expect(s.connection).toEqual({
      status: 'offline',
      tried: ['http://127.0.0.1:39302', 'http://127.0.0.1:39300/v1', 'via http://127.0.0.1:39301'],
      error: DOWN,
      nextRetryAt: 5,
    });
  });
});

describe('snapshotOf', () => {
  it('calls the current user active wherever the list has it, and nobody when it is not there', () => {
    const s = online([ada, grace], grace);
    // A list built in another order than display order: the active account is not first.
    const list = [shown('a-1', 'Ada Lovelace'), shown('g-1', 'Grace Hopper')];
    expect(snapshotOf(s, 1, list).activeId).toBe('g-1');
    expect(snapshotOf(s, 2, []).activeId).toBeNull();
    expect(snapshotOf(s, 3, [shown('a-1', 'Ada Lovelace')]).activeId).toBeNull();
  });
});

describe('accountsChanged', () => {
  it('a new user list alone is a change of the accounts', () => {
    const s = online([ada, grace]);
    expect(accountsChanged(s, { ...s, users: [ada] })).toBe(true);
    expect(accountsChanged(s, { ...s })).toBe(false);
  });
});
