import { describe, expect, it } from 'vitest';
import { accountState, canSwitchWithSaved, type AccountFacts } from './account-state';

const facts = (f: Partial<AccountFacts>): AccountFacts => ({
  active: false,
  listed: true,
  hasToken: true,
  unusable: false,
  ...f,
});

describe('accountState', () => {
  it('the current user is active, whether or not the app keeps a sign-in for it', () => {
    expect(accountState(facts({ active: true }))).toBe('active');
    expect(accountState(facts({ active: true, hasToken: false }))).toBe('active');
    expect(accountState(facts({ active: true, unusable: true }))).toBe('active');
  });

  it('a listed user with a usable saved sign-in is ready', () => {
    expect(accountState(facts({}))).toBe('ready');
  });

  it('no saved sign-in, or a refused/expired one, needs a sign-in (listed or not)', () => {
    expect(accountState(facts({ hasToken: false }))).toBe('sign-in-needed');
    expect(accountState(facts({ unusable: true }))).toBe('sign-in-needed');
    expect(accountState(facts({ listed: false, unusable: true }))).toBe('sign-in-needed');
  });

  it('a user Pieces OS no longer lists, with a usable sign-in, is not in Pieces OS', () => {
    expect(accountState(facts({ listed: false }))).toBe('not-in-pieces-os');
  });

  it('only ready and not-in-pieces-os accounts can be switched to with the saved sign-in', () => {
    expect(canSwitchWithSaved('ready')).toBe(true);
    expect(canSwitchWithSaved('not-in-pieces-os')).toBe(true);
    expect(canSwitchWithSaved('sign-in-needed')).toBe(false);
    expect(canSwitchWithSaved('active')).toBe(false);
  });
});
