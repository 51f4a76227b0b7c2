import { describe, expect, it } from 'vitest';
import type { Account } from '../../shared/domain';
import { describeAccount, matchAccount } from './match-account';

const account = (id: string, displayName: string, email?: string, username?: string): Account => ({
  id,
  displayName,
  ...(email ? { email } : {}),
  ...(username ? { username } : {}),
  connected: true,
  hasToken: true,
  state: 'ready',
});

const ada = account(
  'a1111111-1111-4111-8111-11111111111a',
  'Ada Lovelace',
  'ada@example.com',
  'ada',
);
const ada2 = account('22222222-2222-4222-8222-222222222222', 'Ada Lovelace', 'ada@work.example');
const grace = account('33333333-3333-4333-8333-333333333333', 'Grace Hopper', 'Grace@Example.com');
// Someone whose name is another's email: the email tier wins.
const tricky = account('44444444-4444-4444-8444-444444444444', 'grace@example.com');
const all = [ada, ada2, grace, tricky];

describe('matchAccount', () => {
  it('an exact id wins', () => {
    expect(matchAccount(all, ada.id)).toEqual({ kind: 'one', account: ada });
  });

  it('then an email, whatever its case', () => {
    expect(matchAccount(all, 'ADA@example.com')).toEqual({ kind: 'one', account: ada });
    expect(matchAccount(all, 'grace@example.com')).toEqual({ kind: 'one', account: grace });
  });

  it('then a name or a user name, whatever its case', () => {
    expect(matchAccount(all, 'grace hopper')).toEqual({ kind: 'one', account: grace });
    expect(matchAccount(all, 'ADA')).toEqual({ kind: 'one', account: ada });
  });

  it('lists the candidates when a name fits several accounts', () => {
    expect(matchAccount(all, 'ada lovelace')).toEqual({
      kind: 'ambiguous',
      candidates: [ada, ada2],
    });
  });

  it('finds nothing for a part of a name, an id in another case, or an empty query', () => {
    expect(matchAccount(all, 'Ada Love')).toEqual({ kind: 'none' });
    expect(matchAccount(all, ada.id.toUpperCase())).toEqual({ kind: 'none' });
    expect(matchAccount(all, '  ')).toEqual({ kind: 'none' });
    expect(matchAccount([], 'ada')).toEqual({ kind: 'none' });
  });
});

describe('describeAccount', () => {
  it('names the account with its email and id', () => {
    expect(describeAccount(ada)).toBe(`Ada Lovelace <ada@example.com> (${ada.id})`);
    expect(describeAccount(tricky)).toBe(`grace@example.com (${tricky.id})`);
  });
});
