// The incremental account list must always equal a fresh build of the same state; a switch must
// rebuild only the two accounts whose state it changed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserProfile } from '../../shared/domain';
import { accountList } from './account-list';
import { refreshedAt } from '../../../test/support/account-testing';
import {
  accountsOf,
  initialState,
  reduce,
  type AccountsEvent,
  type AccountsState,
  type SavedSignIn,
} from './state';

const URL = 'http://127.0.0.1:39300';
const IDS = ['a-1', 'b-2', 'c-3', 'd-4', 'e-5', 'f-6'];
const NAMES = ['Ada', 'ada', 'Grace', 'Alan', 'Émile', 'Zoë 2', 'Zoë 10'];

const profileArb: fc.Arbitrary<UserProfile> = fc
  .record({
    id: fc.constantFrom(...IDS),
    displayName: fc.constantFrom(...NAMES),
    email: fc.option(fc.constantFrom('x@example.com', 'y@example.com'), { nil: undefined }),
    picture: fc.option(fc.constant('https://example.com/p.png'), { nil: undefined }),
  })
  .map(({ email, picture, ...p }) => ({
    ...p,
    providers: [],
    ...(email ? { email } : {}),
    ...(picture ? { picture } : {}),
  }));

const savedArb: fc.Arbitrary<Map<string, SavedSignIn>> = fc
  .array(
    fc.tuple(
      fc.constantFrom(...IDS),
      fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    ),
    { maxLength: 4 },
  )
  .map(
    (entries) =>
      new Map(entries.map(([id, at]) => [id, at === undefined ? {} : { expiresAt: at }])),
  );

const eventArb: fc.Arbitrary<AccountsEvent> = fc.oneof(
  fc.record({
    type: fc.constant('refreshed' as const),
    url: fc.constant(URL),
    version: fc.constant('12.0.0'),
    users: fc.array(profileArb, { maxLength: 6 }),
    current: fc.option(profileArb, { nil: null }),
    fallbackCurrentId: fc.constant(null),
  }),
  fc.record({ type: fc.constant('signed-in' as const), profile: profileArb }),
  fc.record({
    type: fc.constant('current-user' as const),
    profile: fc.option(profileArb, { nil: null }),
  }),
  fc.record({ type: fc.constant('saved' as const), saved: savedArb, persist: fc.boolean() }),
  fc.record({ type: fc.constant('refused' as const), id: fc.constantFrom(...IDS) }),
  fc.record({ type: fc.constant('usable' as const), id: fc.constantFrom(...IDS) }),
  fc.record({ type: fc.constant('signed-out' as const), id: fc.constantFrom(...IDS) }),
);

const start = (): AccountsState => initialState({ saved: new Map(), persist: true });

/** Pieces OS listed `users` (with `current` signed in). */
const refreshed = (
  state: AccountsState,
  users: UserProfile[],
  current: UserProfile | null = null,
) => reduce(state, refreshedAt(URL, users, current));

/** One user for each id, with its own name. */
const oneEach = (): UserProfile[] =>
  IDS.map((id, i) => ({ id, displayName: NAMES[i]!, providers: [] }));

describe('accountList', () => {
  it('after any sequence of changes, at any time, builds exactly what a fresh build gives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(eventArb, fc.integer({ min: 0, max: 120 })), { maxLength: 25 }),
        (steps) => {
          const list = accountList();
          let state = start();
          for (const [event, now] of steps) {
            state = reduce(state, event);
            expect(list.build(state, now)).toEqual(accountsOf(state, now));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a switch keeps every other account object and the order, and builds the two it changed', () => {
    const users = oneEach();
    let state = refreshed(start(), users, users[0]!);
    const list = accountList();
    const before = list.build(state, 0);
    state = reduce(state, { type: 'signed-in', profile: { ...users[3]! } });
    const after = list.build(state, 0);
    expect(after).toEqual(accountsOf(state, 0));
    expect(after[0]).toMatchObject({ id: users[3]!.id, state: 'active' });
    const byId = new Map(before.map((a) => [a.id, a]));
    const rebuilt = after.filter((a) => byId.get(a.id) !== a).map((a) => a.id);
    expect(rebuilt.sort()).toEqual([users[0]!.id, users[3]!.id].sort());
  });

  it('an unchanged state gives the very same account objects', () => {
    const state = refreshed(start(), oneEach());
    const list = accountList();
    const first = list.build(state, 0);
    const again = list.build({ ...state }, 0);
    expect(again).toEqual(first);
    again.forEach((a, i) => expect(a).toBe(first[i]));
  });
});

describe('accountList at scale', () => {
  const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  const FIRST = [
    'Ada',
    'ada',
    'Émile',
    'Zoë',
    'Lucía',
    'Lucia',
    '中',
    'Ωmega',
    'Person 9',
    'Person 10',
  ];
  const many = (n: number, seed: number): UserProfile[] =>
    Array.from({ length: n }, (_, i) => {
      const k = (i * 7919 + seed) % 997;
      return {
        id: `u-${(i * 104729 + seed) % 100003}`,
        displayName: `${FIRST[k % FIRST.length]} ${k % 13}`,
        ...(k % 5 ? { email: `p${k % 31}@example.com` } : {}),
        providers: [],
      };
    });
  /** The order by the collator itself, independent of the keys. */
  const expectedIds = (accounts: { id: string; displayName: string; email?: string }[]) =>
    [...accounts]
      .sort(
        (a, b) =>
          collator.compare(a.displayName, b.displayName) ||
          collator.compare(a.email ?? '', b.email ?? '') ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      .map((a) => a.id);
  it('a list sorted in steps beforehand is built in the collator order, as a fresh build', async () => {
    const users = many(3000, 1);
    const state = refreshed(
      reduce(start(), { type: 'saved', saved: new Map([['saved-only', {}]]), persist: true }),
      users,
    );
    const list = accountList();
    let turns = 0;
    await list.prepare(state.users, async () => void turns++);
    const built = list.build(state, 0);
    expect(turns).toBeGreaterThan(0);
    expect(built.map((a) => a.id)).toEqual(expectedIds(built));
    expect(built).toEqual(accountsOf(state, 0));
    expect(built.map((a) => a.id)).toContain('saved-only');
  });

  it('puts a few changed accounts in place, and sorts again when many changed', () => {
    const users = many(3000, 2);
    const list = accountList();
    let state = refreshed(start(), users);
    const first = list.build(state, 0);
    expect(first.map((a) => a.id)).toEqual(expectedIds(first));
    // A few: one renamed, one gone, one new; the others keep their objects.
    const few = users.slice(1).map((u, i) => (i === 10 ? { ...u, displayName: 'Aaron' } : u));
    few.push({ id: 'new-one', displayName: 'Mid', providers: [] });
    state = refreshed(state, few);
    const second = list.build(state, 0);
    expect(second).toEqual(accountsOf(state, 0));
    expect(second.map((a) => a.id)).toEqual(expectedIds(second));
    const before = new Map(first.map((a) => [a.id, a]));
    expect(second.filter((a) => before.get(a.id) === a)).toHaveLength(few.length - 2);
    // Many: every name changed.
    const renamed = few.map((u) => ({ ...u, displayName: `${u.displayName}x` }));
    state = refreshed(state, renamed);
    const third = list.build(state, 0);
    expect(third).toEqual(accountsOf(state, 0));
    expect(third.map((a) => a.id)).toEqual(expectedIds(third));
  });

  it('keeps the account objects when a refresh brings new profile objects that show the same', () => {
    const users = many(100, 3);
    const list = accountList();
    let state = refreshed(start(), users);
    const first = list.build(state, 0);
    state = refreshed(
      state,
      users.map((u) => ({ ...u, created: '2024-01-01T00:00:00.000Z' })),
    );
    const second = list.build(state, 0);
    second.forEach((a, i) => expect(a).toBe(first[i]));
  });

  it('a saved sign-in stored, refused or forgotten builds only its account, in place', () => {
    const users = many(3000, 5);
    const list = accountList();
    let state = refreshed(start(), users);
    const first = list.build(state, 0);
    const id = first[1234]!.id;
    const events: AccountsEvent[] = [
      {
        type: 'saved',
        saved: new Map([
          [id, {}],
          ['not-listed', {}],
        ]),
        persist: true,
      },
      { type: 'refused', id },
      { type: 'saved', saved: new Map(), persist: true },
    ];
    for (const event of events) {
      state = reduce(state, event);
      const built = list.build(state, 0);
      expect(built).toEqual(accountsOf(state, 0));
      const before = new Map(first.map((a) => [a.id, a]));
      const rebuilt = built.filter((a) => before.get(a.id) !== a).map((a) => a.id);
      expect(rebuilt.filter((x) => x !== id && x !== 'not-listed')).toEqual([]);
    }
  });

  it('leaves a list with an id twice to the build, where the first one counts', async () => {
    const users = many(2500, 4);
    const twice = [...users, { ...users[0]!, displayName: 'Zzz' }];
    const state = refreshed(start(), twice);
    const list = accountList();
    await list.prepare(state.users, async () => undefined);
    const built = list.build(state, 0);
    expect(built).toHaveLength(users.length);
    expect(built).toEqual(accountsOf(state, 0));
    expect(built.find((a) => a.id === users[0]!.id)?.displayName).toBe(users[0]!.displayName);
  });
});

// A refresh that changes one account rebuilds that one only: every other account keeps its object,
// so whoever compares by identity (the snapshot, the tray) sees exactly what changed.
describe('accountList reuse after a refresh', () => {
  it('keeps the objects of the accounts that did not change and rebuilds the one that did', () => {
    const users: UserProfile[] = ['Ada', 'Grace', 'Alan'].map((name, i) => ({
      id: `id-${i}`,
      displayName: name,
      providers: [],
    }));
    const list = accountList();
    let state = refreshed(start(), users);
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
