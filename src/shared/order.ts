// The one order accounts are shown in, by main (snapshot, tray) and the window alike, so the
// Ctrl/Cmd+number shortcuts and the tray's rows never move between refreshes.
import type { Account } from './domain';

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** The order of accounts other than the active one: by name, then email, then id. */
export function compareAccounts(a: Account, b: Account): number {
  return (
    collator.compare(a.displayName, b.displayName) ||
    collator.compare(a.email ?? '', b.email ?? '') ||
    // Ties (same name and email) still need one answer, or the order depends on Pieces OS's.
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * The active account first, then the rest alphabetically by name, then email (case- and
 * accent-insensitive, numbers in numeric order). Returns a new array; the input is not changed.
 */
export function displayOrder(accounts: readonly Account[], activeId: string | null): Account[] {
  const rest = accounts.filter((a) => a.id !== activeId).sort(compareAccounts);
  const active = activeId === null ? undefined : accounts.find((a) => a.id === activeId);
  return active ? [active, ...rest] : rest;
}
