import { describe, expect, it } from 'vitest';
import { checkShortcut, DEFAULT_QUICK_SWITCH_SHORTCUT, shortcutLabel } from './accelerator';

const normalized = (text: string): string => {
  const r = checkShortcut(text);
  if (!r.ok) throw new Error(`refused ${text}: ${r.message}`);
  return r.shortcut;
};
const refusal = (text: string): string => {
  const r = checkShortcut(text);
  if (r.ok) throw new Error(`accepted ${text} as ${r.shortcut}`);
  return r.message;
};

describe('checkShortcut', () => {
  it('accepts the default as it is', () => {
    expect(normalized(DEFAULT_QUICK_SWITCH_SHORTCUT)).toBe('CommandOrControl+Alt+P');
  });

  it('reads every spelling Electron reads, and writes one: modifiers in one order, keys capitalised', () => {
    expect(normalized('ctrl+alt+p')).toBe('Control+Alt+P');
    expect(normalized(' alt + CmdOrCtrl + p ')).toBe('CommandOrControl+Alt+P');
    expect(normalized('Option+Shift+Cmd+k')).toBe('Command+Alt+Shift+K');
    expect(normalized('Meta+space')).toBe('Super+Space');
    expect(normalized('Control+Shift+f12')).toBe('Control+Shift+F12');
    expect(normalized('Ctrl+Enter')).toBe('Control+Return');
    expect(normalized('Ctrl+Esc')).toBe('Control+Escape');
    expect(normalized('Ctrl+Alt+Plus')).toBe('Control+Alt+Plus');
    expect(normalized('Ctrl+/')).toBe('Control+/');
    expect(normalized('Super+num5')).toBe('Super+num5');
    expect(normalized('AltGr+Shift+9')).toBe('AltGr+Shift+9');
  });

  it('treats an empty text as "off"', () => {
    expect(normalized('')).toBe('');
    expect(normalized('   ')).toBe('');
  });

  it.each([
    ['P', /modifier|CommandOrControl/],
    ['Shift+P', /does not take a key from typing/],
    ['Ctrl+Alt', /End the shortcut with a key/],
    ['Ctrl++', /Plus/],
    ['Ctrl+Alt+PP', /not a key/],
    ['Hyper+P', /not a modifier/],
    ['Ctrl+Ctrl+P', /named twice/],
    ['Control+Ctrl+P', /named twice/],
    ['P+Ctrl', /End the shortcut with a key/],
    ['Ctrl+F25', /not a key/],
    ['Ctrl+' + 'A'.repeat(200), /short/],
  ])('refuses %j with a sentence that says what to change', (text, message) => {
    expect(refusal(text)).toMatch(message);
  });

  it('never quotes a long piece of what was typed back', () => {
    expect(refusal(`${'x'.repeat(60)}+P`).length).toBeLessThan(160);
  });
});

describe('shortcutLabel', () => {
  it('writes the shortcut the way each system does', () => {
    expect(shortcutLabel('CommandOrControl+Alt+P', true)).toBe('⌘⌥P');
    expect(shortcutLabel('CommandOrControl+Alt+P', false)).toBe('Ctrl+Alt+P');
    expect(shortcutLabel('Control+Shift+Space', true)).toBe('⌃⇧Space');
    expect(shortcutLabel('Super+Alt+Plus', false)).toBe('Super+Alt+Plus');
    expect(shortcutLabel('Control+Plus', true)).toBe('⌃+');
    expect(shortcutLabel('', false)).toBe('');
  });
});
