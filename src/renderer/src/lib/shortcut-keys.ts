// Settings' shortcut field records a combination as it is pressed. Only combinations the text
// field has no use of its own for are taken: Ctrl+C, Ctrl+V, Ctrl+A and the like still edit text.
// It writes the shortcut in the normal form checkShortcut (shared/accelerator.ts) gives, without
// that check's tables in the window's bundle: main checks what is saved.
import { KEY_CHARACTERS } from '../../../shared/accelerator';
import type { KeyLike } from './keyboard';

/** Keys by KeyboardEvent.code that are not a letter, digit or F-key. */
const CODES: Readonly<Record<string, string>> = {
  Space: 'Space',
  Enter: 'Return',
  NumpadEnter: 'Return',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
};

/** The key in Electron's words: by position (code) for letters and digits, so layouts agree. */
function keyOf(e: KeyLike): { key: string; typing: boolean } | null {
  const code = e.code ?? '';
  const letter = /^Key([A-Z])$/.exec(code) ?? /^Digit([0-9])$/.exec(code);
  if (letter) return { key: letter[1]!, typing: true };
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(code)) return { key: code, typing: false };
  const numpad = /^Numpad([0-9])$/.exec(code);
  if (numpad) return { key: `num${numpad[1]}`, typing: false };
  const named = CODES[code];
  if (named) return { key: named, typing: false };
  if (e.key.length === 1) return { key: e.key, typing: true };
  return null;
}

/**
 * The shortcut a key press names, normalized, or null to let the field handle the key. `mac`:
 * Cmd is CommandOrControl (so the setting means Ctrl on Windows and Linux) and Ctrl is Control;
 * elsewhere Ctrl is CommandOrControl and the Windows key is Super. Modifiers come in the order
 * checkShortcut puts them in: CommandOrControl, Control, Alt, Shift, Super.
 */
export function shortcutFromKey(e: KeyLike, mac: boolean): string | null {
  const modifiers = [
    ...((mac ? e.metaKey : e.ctrlKey) ? ['CommandOrControl'] : []),
    ...(mac && e.ctrlKey ? ['Control'] : []),
    ...(e.altKey ? ['Alt'] : []),
    ...(e.shiftKey ? ['Shift'] : []),
    ...(!mac && e.metaKey ? ['Super'] : []),
  ];
  const key = keyOf(e);
  if (!key || !(e.ctrlKey || e.metaKey || e.altKey)) return null;
  // One modifier with a letter or digit is text editing (copy, paste, undo...), not a recording.
  if (key.typing && modifiers.length < 2) return null;
  let name = key.key;
  if (name === '+') name = 'Plus';
  else if (/^[a-z0-9]$/i.test(name)) name = name.toUpperCase();
  // Any other character must be one Electron knows as a key.
  else if (key.typing && !KEY_CHARACTERS.includes(name)) return null;
  return [...modifiers, name].join('+');
}
