import { describe, expect, it } from 'vitest';
import { listIntent, moveIndex, shortcutIndex } from './keyboard';

describe('listIntent', () => {
  it('maps arrows, Home, End and pages to moves', () => {
    expect(listIntent({ key: 'ArrowDown' })).toEqual({ kind: 'move', move: 'next' });
    expect(listIntent({ key: 'ArrowUp' })).toEqual({ kind: 'move', move: 'prev' });
    expect(listIntent({ key: 'Home' })).toEqual({ kind: 'move', move: 'first' });
    expect(listIntent({ key: 'End' })).toEqual({ kind: 'move', move: 'last' });
    expect(listIntent({ key: 'PageDown' })).toEqual({ kind: 'move', move: 'page-next' });
    expect(listIntent({ key: 'PageUp' })).toEqual({ kind: 'move', move: 'page-prev' });
  });

  it('maps Enter to switch', () => {
    expect(listIntent({ key: 'Enter' })).toEqual({ kind: 'switch' });
  });

  it('leaves modified keys and other keys alone', () => {
    expect(listIntent({ key: 'ArrowDown', ctrlKey: true })).toBeNull();
    expect(listIntent({ key: 'ArrowDown', shiftKey: true })).toBeNull();
    expect(listIntent({ key: 'Enter', altKey: true })).toBeNull();
    expect(listIntent({ key: 'Enter', metaKey: true })).toBeNull();
    expect(listIntent({ key: 'a' })).toBeNull();
    expect(listIntent({ key: 'Tab' })).toBeNull();
  });
});

describe('shortcutIndex', () => {
  it('maps Ctrl+1..9 and Cmd+1..9 to indexes 0..8', () => {
    for (let n = 1; n <= 9; n++) {
      expect(shortcutIndex({ key: String(n), ctrlKey: true })).toBe(n - 1);
      expect(shortcutIndex({ key: String(n), metaKey: true })).toBe(n - 1);
    }
  });

  it('uses the physical key on layouts where the digit row types symbols', () => {
    expect(shortcutIndex({ key: '&', code: 'Digit1', ctrlKey: true })).toBe(0);
    expect(shortcutIndex({ key: 'End', code: 'Numpad3', ctrlKey: true })).toBe(2);
  });

  it('ignores digits without Ctrl/Cmd, with Alt, 0 and Shift+symbol', () => {
    expect(shortcutIndex({ key: '1' })).toBeNull();
    expect(shortcutIndex({ key: '1', ctrlKey: true, altKey: true })).toBeNull();
    expect(shortcutIndex({ key: '0', ctrlKey: true, code: 'Digit0' })).toBeNull();
    expect(shortcutIndex({ key: '!', code: 'Digit1', ctrlKey: true, shiftKey: true })).toBeNull();
    expect(shortcutIndex({ key: 'a', ctrlKey: true, code: 'KeyA' })).toBeNull();
  });
});

describe('moveIndex', () => {
  it('moves by one and clamps at both ends', () => {
    expect(moveIndex(0, 5, 'next', 3)).toBe(1);
    expect(moveIndex(4, 5, 'next', 3)).toBe(4);
    expect(moveIndex(2, 5, 'prev', 3)).toBe(1);
    expect(moveIndex(0, 5, 'prev', 3)).toBe(0);
  });

  it('jumps to the ends and by pages', () => {
    expect(moveIndex(2, 5, 'first', 3)).toBe(0);
    expect(moveIndex(2, 5, 'last', 3)).toBe(4);
    expect(moveIndex(0, 10, 'page-next', 3)).toBe(3);
    expect(moveIndex(9, 10, 'page-next', 3)).toBe(9);
    expect(moveIndex(5, 10, 'page-prev', 3)).toBe(2);
    expect(moveIndex(1, 10, 'page-prev', 3)).toBe(0);
  });

  it('starts at the top when nothing is selected, and handles an empty list', () => {
    expect(moveIndex(-1, 5, 'next', 3)).toBe(0);
    expect(moveIndex(-1, 5, 'prev', 3)).toBe(0);
    expect(moveIndex(-1, 5, 'last', 3)).toBe(4);
    expect(moveIndex(0, 0, 'next', 3)).toBe(-1);
  });

  it('pulls a stale index back into a list that shrank', () => {
    expect(moveIndex(8, 5, 'prev', 3)).toBe(3);
    expect(moveIndex(8, 5, 'next', 3)).toBe(4);
  });
});
