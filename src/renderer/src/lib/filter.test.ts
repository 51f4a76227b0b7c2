import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/domain';
import { alice, bob, chloe } from '../../../../test/support/renderer/fixtures';
import { AccountFilter, filterAccounts, normalize, queryTerms, searchKey } from './filter';

const ids = (accounts: readonly Account[]) => accounts.map((a) => a.id);
const all = [alice, bob, chloe];

describe('filterAccounts', () => {
  it('returns every account for an empty or blank query', () => {
    expect(ids(filterAccounts(all, ''))).toEqual(ids(all));
    expect(ids(filterAccounts(all, '   '))).toEqual(ids(all));
  });

  it('matches the display name, the email and the username', () => {
    expect(ids(filterAccounts(all, 'builder'))).toEqual([bob.id]);
    expect(ids(filterAccounts(all, 'example.org'))).toEqual([bob.id]);
    expect(ids(filterAccounts(all, 'bobb'))).toEqual([bob.id]);
  });

  it('ignores case and accents, in the query and in the account', () => {
    expect(ids(filterAccounts(all, 'CHLOE'))).toEqual([chloe.id]);
    expect(ids(filterAccounts(all, 'chloé'))).toEqual([chloe.id]);
    const jose: Account = { ...alice, id: 'j', displayName: 'JOSÉ Müller', email: undefined };
    expect(ids(filterAccounts([jose, bob], 'jose muller'))).toEqual(['j']);
  });

  it('needs every word of the query, each may match a different field', () => {
    expect(ids(filterAccounts(all, 'alice github'))).toEqual([]); // provider is not searched
    expect(ids(filterAccounts(all, 'alice example.com'))).toEqual([alice.id]);
    expect(ids(filterAccounts(all, 'alice example.org'))).toEqual([]);
  });

  it('does not match ids or providers', () => {
    expect(filterAccounts(all, 'u-bob')).toEqual([]);
    expect(filterAccounts(all, 'gitlab')).toEqual([]);
  });

  it('uses precomputed keys when given', () => {
    const keys = all.map(searchKey);
    expect(ids(filterAccounts(all, 'zhang', keys))).toEqual([chloe.id]);
  });
});

describe('normalize', () => {
  it('folds case, accents and compatibility forms', () => {
    expect(normalize('Ångström ﬁle')).toBe('angstrom file');
    expect(queryTerms('  Éva   Núñez ')).toEqual(['eva', 'nunez']);
  });
});

describe('AccountFilter', () => {
  it('answers as filterAccounts does while a query is typed, widened and changed', () => {
    const filter = new AccountFilter();
    const queries = [
      'a',
      'al',
      'ali',
      'alice ex',
      'alice',
      'b',
      'bo',
      '',
      'example',
      'example.org',
    ];
    for (const q of queries) expect(ids(filter.apply(all, q))).toEqual(ids(filterAccounts(all, q)));
  });

  it('filters a new list afresh, not the last result', () => {
    const filter = new AccountFilter();
    expect(ids(filter.apply([alice], 'b'))).toEqual([]);
    expect(ids(filter.apply(all, 'bo'))).toEqual([bob.id]);
  });
});
