import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkShortcut } from '../../../shared/accelerator';
import type { KeyLike } from './keyboard';
import { shortcutFromKey } from './shortcut-keys';

/** The modifiers a press names, in the event's order, checked and normalized by checkShortcut. */
function normalizedByCheck(e: KeyLike, mac: boolean, key: string): string | null {
  const modifiers = [
    ...(e.metaKey ? [mac ? 'CommandOrControl' : 'Super'] : []),
    ...(e.ctrlKey ? [mac ? 'Control' : 'CommandOrControl'] : []),
    ...(e.altKey ? ['Alt'] : []),
    ...(e.shiftKey ? ['Shift'] : []),
  ];
  const checked = checkShortcut([...modifiers, key === '+' ? 'Plus' : key].join('+'));
  return checked.ok ? checked.shortcut : null;
}

describe('shortcutFromKey', () => {
  it('records Ctrl+Alt+P as the portable default on Windows and Linux, Cmd+Option+P on macOS', () => {
    expect(shortcutFromKey({ key: 'p', code: 'KeyP', ctrlKey: true, altKey: true }, false)).toBe(
      'CommandOrControl+Alt+P',
    );
    expect(shortcutFromKey({ key: 'π', code: 'KeyP', metaKey: true, altKey: true }, true)).toBe(
      'CommandOrControl+Alt+P',
    );
    expect(shortcutFromKey({ key: 'p', code: 'KeyP', ctrlKey: true, altKey: true }, true)).toBe(
      'Control+Alt+P',
    );
    expect(shortcutFromKey({ key: 'P', code: 'KeyP', metaKey: true, shiftKey: true }, false)).toBe(
      'Shift+Super+P',
    );
  });

  it('reads letters by position, so a layout that types other characters records the same key', () => {
    expect(
      shortcutFromKey({ key: '&', code: 'Digit1', ctrlKey: true, shiftKey: true }, false),
    ).toBe('CommandOrControl+Shift+1');
  });

  it('records one modifier with a key that types nothing', () => {
    expect(shortcutFromKey({ key: ' ', code: 'Space', altKey: true }, false)).toBe('Alt+Space');
    expect(shortcutFromKey({ key: 'F5', code: 'F5', ctrlKey: true }, false)).toBe(
      'CommandOrControl+F5',
    );
    expect(shortcutFromKey({ key: 'ArrowUp', code: 'ArrowUp', metaKey: true }, true)).toBe(
      'CommandOrControl+Up',
    );
  });

  it('leaves text editing and plain typing to the field', () => {
    for (const e of [
      { key: 'v', code: 'KeyV', ctrlKey: true },
      { key: 'c', code: 'KeyC', metaKey: true },
      { key: 'a', code: 'KeyA' },
      { key: 'A', code: 'KeyA', shiftKey: true },
      { key: 'Backspace', code: 'Backspace' },
      { key: 'Tab', code: 'Tab', shiftKey: true },
      { key: 'Control', code: 'ControlLeft', ctrlKey: true },
      { key: 'Alt', code: 'AltLeft', altKey: true, ctrlKey: true },
    ]) {
      expect(shortcutFromKey(e, false), JSON.stringify(e)).toBeNull();
    }
  });

  it('writes every shortcut it records as checkShortcut normalizes it, and only ones it accepts', () => {
    const codes = fc.constantFrom(
      ...['KeyA', 'KeyZ', 'Digit0', 'Digit9', 'F1', 'F12', 'F24', 'F25', 'Numpad3', 'NumpadEnter'],
      ...['Space', 'Enter', 'Tab', 'Backspace', 'Delete', 'Insert', 'Home', 'End', 'PageUp'],
      ...['PageDown', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Minus', 'Unknown', ''],
    );
    // Characters typed by keys whose code says nothing (a layout's own keys), and named keys.
    const keys = fc.oneof(
      fc.constantFrom(...'+-=,./;[]\\`\'"!@#~{}|<>?:_aZ5é§ '),
      fc.constantFrom('Enter', 'Escape', 'Dead', 'Unidentified'),
      fc.string({ maxLength: 2 }),
    );
    fc.assert(
      fc.property(
        fc.record({
          key: keys,
          code: codes,
          ctrlKey: fc.boolean(),
          metaKey: fc.boolean(),
          altKey: fc.boolean(),
          shiftKey: fc.boolean(),
        }),
        fc.boolean(),
        (e, mac) => {
          const recorded = shortcutFromKey(e, mac);
          if (recorded === null) return;
          // What the field recorded is what Settings saves: main must accept it as it is.
          expect(checkShortcut(recorded)).toEqual({ ok: true, shortcut: recorded });
          const key = recorded.split('+').pop()!;
          expect(normalizedByCheck(e, mac, key === 'Plus' ? '+' : key)).toBe(recorded);
        },
      ),
      { numRuns: 3000 },
    );
    // Punctuation a layout types is recorded when Electron knows it, and left alone when not.
    const withKey = (key: string) =>
      shortcutFromKey({ key, code: 'Unknown', ctrlKey: true, altKey: true }, false);
    expect(withKey(',')).toBe('CommandOrControl+Alt+,');
    expect(withKey('+')).toBe('CommandOrControl+Alt+Plus');
    expect(withKey('a')).toBe('CommandOrControl+Alt+A');
    expect(withKey('§')).toBeNull();
    expect(withKey('é')).toBeNull();
  });
});
