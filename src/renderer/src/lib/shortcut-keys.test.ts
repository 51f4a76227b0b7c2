import { describe, expect, it } from 'vitest';
import { shortcutFromKey } from './shortcut-keys';

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
});
