// Keyboard handling as pure functions: a key event in, an intent out.

/** The parts of a KeyboardEvent the app looks at. */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
}

export type ListMove = 'prev' | 'next' | 'first' | 'last' | 'page-prev' | 'page-next';

export type ListIntent = { kind: 'move'; move: ListMove } | { kind: 'switch' };

const MOVES: Record<string, ListMove> = {
  ArrowUp: 'prev',
  ArrowDown: 'next',
  Home: 'first',
  End: 'last',
  PageUp: 'page-prev',
  PageDown: 'page-next',
};

/** A key pressed on an account row: move the selection, or switch to the selected account. */
export function listIntent(e: KeyLike): ListIntent | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.key === 'Enter') return e.shiftKey ? null : { kind: 'switch' };
  const move = MOVES[e.key];
  return move && !e.shiftKey ? { kind: 'move', move } : null;
}

/**
 * Ctrl+1..9 (Cmd+1..9 on macOS): the 0-based index of the account to switch to, else null.
 * `key` covers most layouts; `code` covers layouts where the digit row types other characters
 * (AZERTY types "&" for Digit1 without Shift).
 */
export function shortcutIndex(e: KeyLike): number | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  if (/^[1-9]$/.test(e.key)) return Number(e.key) - 1;
  const code = !e.shiftKey && e.code ? /^(?:Digit|Numpad)([1-9])$/.exec(e.code) : null;
  return code ? Number(code[1]) - 1 : null;
}

/** The row a move lands on, clamped to the list (no wrapping). `current` is -1 when none is selected. */
export function moveIndex(
  current: number,
  count: number,
  move: ListMove,
  pageSize: number,
): number {
  if (count <= 0) return -1;
  const last = count - 1;
  const page = Math.max(1, pageSize);
  const from = Math.min(current, last);
  switch (move) {
    case 'first':
      return 0;
    case 'last':
      return last;
    case 'next':
      return from < 0 ? 0 : Math.min(last, from + 1);
    case 'prev':
      return from < 0 ? 0 : Math.max(0, from - 1);
    case 'page-next':
      return from < 0 ? Math.min(last, page - 1) : Math.min(last, from + page);
    case 'page-prev':
      return from < 0 ? 0 : Math.max(0, from - page);
  }
}
