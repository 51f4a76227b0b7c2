// The order accounts are shown in, everywhere: the active one first, then by name, then email, so
// Ctrl/Cmd+1…9 always reach the same accounts however Pieces OS happens to list them.
import type { Account } from './domain';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function compareAccounts(a: Account, b: Account): number {
  return (
    collator.compare(a.displayName, b.displayName) ||
    collator.compare(a.email ?? '', b.email ?? '') ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** A new array: `activeId`'s account first, the rest sorted by compareAccounts. */
export function displayOrder(accounts: readonly Account[], activeId: string | null): Account[] {
  const sorted = [...accounts].sort(compareAccounts);
  const i = activeId === null ? -1 : sorted.findIndex((a) => a.id === activeId);
  if (i > 0) sorted.unshift(...sorted.splice(i, 1));
  return sorted;
}
