// The incremental account list must always equal a fresh build of the same state; a switch must
// rebuild only the two accounts whose state it changed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UserProfile } from '../../shared/domain';
import { accountList } from './account-list';
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
    const users: UserProfile[] = IDS.map((id, i) => ({
      id,
      displayName: NAMES[i]!,
      providers: [],
    }));
    let state = reduce(start(), {
      type: 'refreshed',
      url: URL,
      version: '12.0.0',
      users,
      current: users[0]!,
      fallbackCurrentId: null,
    });
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
    const users: UserProfile[] = IDS.map((id, i) => ({
      id,
      displayName: NAMES[i]!,
      providers: [],
    }));
    const state = reduce(start(), {
      type: 'refreshed',
      url: URL,
      version: '12.0.0',
      users,
      current: null,
      fallbackCurrentId: null,
    });
    const list = accountList();
    const first = list.build(state, 0);
    const again = list.build({ ...state }, 0);
    expect(again).toEqual(first);
    again.forEach((a, i) => expect(a).toBe(first[i]));
  });
});
