// Account search: case- and accent-insensitive, every word of the query must match a field.
import type { Account } from '../../../shared/domain';

/** Lower-cases and strips accents (é -> e) and compatibility forms (ﬁ -> fi). */
export function normalize(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The text a query is matched against. Fields are joined by a newline so no word spans two. */
export function searchKey(account: Account): string {
  return normalize(
    [account.displayName, account.email, account.username].filter(Boolean).join('\n'),
  );
}

/** The words of a query, normalized; an empty list means "no filter". */
export function queryTerms(query: string): string[] {
  return normalize(query).split(/\s+/).filter(Boolean);
}

const keys = new WeakMap<Account, string>();

/**
 * `searchKey`, normalized once per account object: main's patches keep the objects of accounts
 * that did not change, so a change to one account costs one key, not thousands.
 */
export function cachedSearchKey(account: Account): string {
  let key = keys.get(account);
  if (key === undefined) {
    key = searchKey(account);
    keys.set(account, key);
  }
  return key;
}

/**
 * The accounts whose display name, email or username contain every word of the query; with no
 * words, `accounts` itself. `keys` (from `searchKey`, same order as `accounts`) may be given.
 */
export function filterAccounts(
  accounts: readonly Account[],
  query: string,
  keys?: readonly string[],
): readonly Account[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return accounts;
  return accounts.filter((account, i) => {
    const key = keys ? (keys[i] ?? '') : cachedSearchKey(account);
    return terms.every((term) => key.includes(term));
  });
}

/**
 * `filterAccounts` for one list as the person types: a query that only narrows the last one
 * (every word of it is within a word of the new one) filters the last result instead of the list.
 */
export class AccountFilter {
  #last: { accounts: readonly Account[]; terms: string[]; result: readonly Account[] } | null =
    null;

  apply(accounts: readonly Account[], query: string): readonly Account[] {
    const terms = queryTerms(query);
    const last = this.#last;
    const narrows =
      last !== null &&
      last.accounts === accounts &&
      last.terms.length > 0 &&
      last.terms.every((p) => terms.some((t) => t.includes(p)));
    const result = filterAccounts(narrows ? last.result : accounts, query);
    this.#last = { accounts, terms, result };
    return result;
  }
}
