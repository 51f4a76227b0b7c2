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

/**
 * The accounts whose display name, email or username contain every word of the query.
 * `keys` (from `searchKey`, same order as `accounts`) avoids normalizing thousands of rows per keystroke.
 */
export function filterAccounts(
  accounts: readonly Account[],
  query: string,
  keys: readonly string[] = accounts.map(searchKey),
): Account[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [...accounts];
  return accounts.filter((_, i) => {
    const key = keys[i] ?? '';
    return terms.every((term) => key.includes(term));
  });
}
