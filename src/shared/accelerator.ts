// The quick switcher's global shortcut, as text in Electron's accelerator format
// ("CommandOrControl+Alt+P"). Checked the same way in Settings (the window) and in main, so a
// shortcut the window accepts is one main can register, and the other way round.

/** Ctrl+Alt+P on Windows and Linux, Cmd+Option+P on macOS. */
export const DEFAULT_QUICK_SWITCH_SHORTCUT = 'CommandOrControl+Alt+P';

/** Modifiers in the order a normalized shortcut lists them. */
const MODIFIER_ORDER = ['CommandOrControl', 'Command', 'Control', 'Alt', 'AltGr', 'Shift', 'Super'];

/** Every spelling Electron accepts for a modifier (lower case), to its normal name. */
const MODIFIERS: Readonly<Record<string, string>> = {
  commandorcontrol: 'CommandOrControl',
  cmdorctrl: 'CommandOrControl',
  command: 'Command',
  cmd: 'Command',
  control: 'Control',
  ctrl: 'Control',
  alt: 'Alt',
  option: 'Alt',
  altgr: 'AltGr',
  shift: 'Shift',
  super: 'Super',
  meta: 'Super',
};

/** Named keys Electron accepts (lower case), to their normal spelling. */
// Built in a function marked pure, so a bundle that checks no shortcuts (the window's) leaves it out.
const NAMED_KEYS: Readonly<Record<string, string>> = /* @__PURE__ */ (() =>
  Object.fromEntries(
    [
      'Plus',
      'Space',
      'Tab',
      'Capslock',
      'Numlock',
      'Scrolllock',
      'Backspace',
      'Delete',
      'Insert',
      'Return',
      'Up',
      'Down',
      'Left',
      'Right',
      'Home',
      'End',
      'PageUp',
      'PageDown',
      'Escape',
      'VolumeUp',
      'VolumeDown',
      'VolumeMute',
      'MediaNextTrack',
      'MediaPreviousTrack',
      'MediaStop',
      'MediaPlayPause',
      'PrintScreen',
      'numdec',
      'numadd',
      'numsub',
      'nummult',
      'numdiv',
      ...Array.from({ length: 10 }, (_, i) => `num${i}`),
      ...Array.from({ length: 24 }, (_, i) => `F${i + 1}`),
    ].map((k) => [k.toLowerCase(), k]),
  ))();
/** Aliases Electron also reads. */
const KEY_ALIASES: Readonly<Record<string, string>> = { enter: 'Return', esc: 'Escape' };

/** Single characters Electron accepts as a key besides letters and digits ("+" is written Plus). */
export const KEY_CHARACTERS = ')!@#$%^&*(:;=<,_->.?/~`{}[]|\\"\'';
const PUNCTUATION = new Set([...KEY_CHARACTERS]);

export type ShortcutCheck = { ok: true; shortcut: string } | { ok: false; message: string };

const EXAMPLE = 'like CommandOrControl+Alt+P';

function keyName(part: string): string | null {
  if (/^[a-z0-9]$/i.test(part)) return part.toUpperCase();
  if (PUNCTUATION.has(part)) return part;
  const lower = part.toLowerCase();
  return NAMED_KEYS[lower] ?? KEY_ALIASES[lower] ?? null;
}

/**
 * Checks a shortcut the person typed and returns it normalized (modifiers in one order, keys in
 * Electron's spelling); an empty text means "off" and normalizes to ''. A global shortcut needs a
 * modifier other than Shift alone, or it would take a key away from typing in every other app.
 */
export function checkShortcut(text: string): ShortcutCheck {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, shortcut: '' };
  if (trimmed.length > 100) return { ok: false, message: `Enter a short shortcut, ${EXAMPLE}.` };
  const parts = trimmed.split('+').map((p) => p.trim());
  if (parts.some((p) => p === '')) {
    return {
      ok: false,
      message: `Write the keys joined by +, ${EXAMPLE} (the + key itself is written Plus).`,
    };
  }
  const last = parts[parts.length - 1]!;
  const key = keyName(last);
  if (key === null) {
    return MODIFIERS[last.toLowerCase()]
      ? { ok: false, message: `End the shortcut with a key, ${EXAMPLE}.` }
      : {
          ok: false,
          message: `“${last.slice(0, 20)}” is not a key Electron knows; try ${EXAMPLE}.`,
        };
  }
  const modifiers = new Set<string>();
  for (const part of parts.slice(0, -1)) {
    const modifier = MODIFIERS[part.toLowerCase()];
    if (!modifier) {
      return {
        ok: false,
        message: `“${part.slice(0, 20)}” is not a modifier: use CommandOrControl, Control, Alt, Shift or Super, ${EXAMPLE}.`,
      };
    }
    if (modifiers.has(modifier)) {
      return { ok: false, message: `${modifier} is named twice.` };
    }
    modifiers.add(modifier);
  }
  if ([...modifiers].every((m) => m === 'Shift')) {
    return {
      ok: false,
      message: `Add CommandOrControl, Control, Alt or Super, so the shortcut does not take a key from typing, ${EXAMPLE}.`,
    };
  }
  const ordered = MODIFIER_ORDER.filter((m) => modifiers.has(m));
  return { ok: true, shortcut: [...ordered, key].join('+') };
}

/** True when `text` is off ('') or a shortcut checkShortcut accepts. */
export const isShortcutText = (text: string): boolean => checkShortcut(text).ok;

const MAC_SYMBOLS: Readonly<Record<string, string>> = {
  CommandOrControl: '⌘',
  Command: '⌘',
  Super: '⌘',
  Control: '⌃',
  Alt: '⌥',
  AltGr: '⌥',
  Shift: '⇧',
};
const OTHER_NAMES: Readonly<Record<string, string>> = {
  CommandOrControl: 'Ctrl',
  Command: 'Cmd',
  Control: 'Ctrl',
  Super: 'Super',
};

/**
 * A normalized shortcut the way the person's system writes it: "⌘⌥P" on macOS, "Ctrl+Alt+P"
 * elsewhere. `shortcut` must come from checkShortcut.
 */
export function shortcutLabel(shortcut: string, mac: boolean): string {
  if (shortcut === '') return '';
  const parts = shortcut.split('+');
  const key = parts.pop()!;
  if (mac) return parts.map((m) => MAC_SYMBOLS[m] ?? m).join('') + (key === 'Plus' ? '+' : key);
  return [...parts.map((m) => OTHER_NAMES[m] ?? m), key].join('+');
}
