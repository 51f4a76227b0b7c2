// The order accounts are shown in, told by the collator alone: what the window needs. Main sorts
// thousands of accounts from scratch and so compares collation keys instead (order.ts, the same
// order at a lower cost); the window only re-checks lists main already sorted (one comparison per
// account) and puts the few changed accounts in place, so it leaves the keys' code out of its bundle.
import type { Account } from './domain';

/** Main's collation keys are learnt from this collator, so both give one order. */
export const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** What the order reads of an account (a profile has it too). */
export type Sortable = Pick<Account, 'id' | 'displayName' | 'email'>;

/** The order of accounts other than the active one: by name, then email, then id. */
export function compareByCollator(a: Sortable, b: Sortable): number {
  return (
    collator.compare(a.displayName, b.displayName) ||
    collator.compare(a.email ?? '', b.email ?? '') ||
    // Ties (same name and email) still need one answer, or the order depends on Pieces OS's.
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Index at which `account` goes in `sorted` (ascending by `compare`): before its equals. */
export function placeInOrder<T extends Sortable>(
  sorted: readonly T[],
  account: T,
  compare: (a: Sortable, b: Sortable) => number = compareByCollator,
): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(sorted[mid]!, account) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The active account first, then the rest alphabetically by name, then email (case- and
 * accent-insensitive, numbers in numeric order). Returns a new array; the input is not changed.
 * `sort` returns the accounts it is given in order, as a new array or the same one.
 */
export function activeFirst<T extends Sortable>(
  accounts: readonly T[],
  activeId: string | null,
  // A list already in order (as main sends it) costs the sort one comparison per account.
  sort: (rest: T[]) => T[] = (rest) => rest.sort(compareByCollator),
): T[] {
  let active: T | undefined;
  const rest: T[] = [];
  for (const a of accounts) {
    if (a.id !== activeId) rest.push(a);
    else active ??= a;
  }
  const sorted = sort(rest);
  if (active) sorted.unshift(active);
  return sorted;
}
