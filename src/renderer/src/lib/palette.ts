// The quick switcher's decisions as plain functions: which accounts it lists, which one is
// selected, and what a key or Enter does. The component only renders them.
import type { Account } from '../../../shared/domain';
import { filterAccounts } from './filter';
import type { KeyLike } from './keyboard';

/** The palette shows this many matches at most; typing narrows the rest down. */
export const PALETTE_ROWS = 50;

export interface PaletteList {
  /** The matches shown, at most PALETTE_ROWS. */
  shown: Account[];
  /** How many accounts match in all. */
  total: number;
}

/**
 * The accounts the palette lists: `ordered` is displayOrder's list (active first, then by name
 * and email, as in the window and the tray), narrowed to those matching every word of `query`.
 * Matches keep that order, so a row does not jump while the person types. `keys`: searchKey of
 * each account in `ordered`, computed once per snapshot rather than per keystroke.
 */
export function paletteList(
  ordered: readonly Account[],
  query: string,
  keys?: readonly string[],
): PaletteList {
  const matches = filterAccounts(ordered, query, keys);
  return { shown: matches.slice(0, PALETTE_ROWS), total: matches.length };
}

/**
 * Where the selection starts (on opening, and after every keystroke in the search field): the
 * first account that is not the active one, because the palette is for switching away. With only
 * the active account listed, that one; with none, -1.
 */
export function initialSelection(shown: readonly Account[], activeId: string | null): number {
  if (shown.length === 0) return -1;
  const other = shown.findIndex((a) => a.id !== activeId);
  return other >= 0 ? other : 0;
}

export type PaletteKey = 'up' | 'down' | 'first' | 'last' | 'enter' | 'escape';

/** The keys the palette handles; anything else is typing (or left to the browser). */
export function paletteKey(e: KeyLike): PaletteKey | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  switch (e.key) {
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    case 'PageUp':
      return 'first';
    case 'PageDown':
      return 'last';
    case 'Enter':
      return e.shiftKey ? null : 'enter';
    case 'Escape':
      return 'escape';
    default:
      return null;
  }
}

/** Up and Down wrap around, as in most launchers; the list is short. */
export function moveSelection(current: number, count: number, key: PaletteKey): number {
  if (count <= 0) return -1;
  switch (key) {
    case 'up':
      return current <= 0 ? count - 1 : current - 1;
    case 'down':
      return current < 0 || current >= count - 1 ? 0 : current + 1;
    case 'first':
      return 0;
    case 'last':
      return count - 1;
    default:
      return Math.min(Math.max(current, 0), count - 1);
  }
}

/** What Enter on an account does. */
export type PaletteAction =
  /** It is already active: nothing to do but close. */
  | { kind: 'close' }
  | { kind: 'switch'; account: Account }
  /** No saved sign-in: "Sign in as <name>…" through Pieces OS. */
  | { kind: 'sign-in'; account: Account };

export function paletteAction(account: Account, activeId: string | null): PaletteAction {
  if (account.id === activeId) return { kind: 'close' };
  if (account.state === 'sign-in-needed') return { kind: 'sign-in', account };
  return { kind: 'switch', account };
}

/** The words at the end of a row: what Enter would do there. */
export function actionHint(account: Account, activeId: string | null): string {
  const action = paletteAction(account, activeId);
  switch (action.kind) {
    case 'close':
      return 'Active';
    case 'sign-in':
      return `Sign in as ${account.displayName}…`;
    case 'switch':
      return 'Switch';
  }
}
