import type { Account, StateSnapshot } from '../../../src/shared/domain';

export const alice: Account = {
  id: 'u-alice',
  displayName: 'Alice Example',
  email: 'alice@example.com',
  username: 'alice',
  provider: 'github',
  providerName: 'GitHub',
  connected: true,
  hasToken: true,
  state: 'ready',
};

export const bob: Account = {
  id: 'u-bob',
  displayName: 'Bob Builder',
  email: 'bob@example.org',
  username: 'bobb',
  provider: 'google-oauth2',
  providerName: 'Google',
  connected: true,
  hasToken: true,
  state: 'ready',
};

export const chloe: Account = {
  id: 'u-chloe',
  displayName: 'Chloé Zhang',
  email: 'chloe@example.net',
  provider: 'gitlab',
  providerName: 'GitLab',
  connected: true,
  hasToken: true,
  state: 'ready',
};

/** Accounts "Person 0001" … with predictable emails. */
export function manyAccounts(count: number): Account[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(5, '0');
    return {
      id: `u-${n}`,
      displayName: `Person ${n}`,
      email: `person${n}@example.com`,
      connected: true,
      hasToken: true,
      state: 'ready',
    };
  });
}

export function snapshot(overrides: Partial<StateSnapshot> = {}): StateSnapshot {
  return {
    revision: 1,
    accounts: [alice, bob, chloe],
    activeId: alice.id,
    connection: { status: 'online', url: 'http://localhost:39300', version: '12.3.0' },
    operation: null,
    lastError: null,
    notices: [],
    tokensPersist: true,
    pendingSignIn: null,
    ...overrides,
  };
}
