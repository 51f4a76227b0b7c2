import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/domain';
import { displayOrder } from '../../../shared/order';
import {
  actionHint,
  initialSelection,
  moveSelection,
  PALETTE_ROWS,
  paletteAction,
  paletteKey,
  paletteList,
} from './palette';

const account = (
  id: string,
  displayName: string,
  email: string,
  state: Account['state'] = 'ready',
): Account => ({ id, displayName, email, connected: true, hasToken: true, state });

const ada = account('a', 'Ada Lovelace', 'ada@example.com');
const grace = account('g', 'Grace Hopper', 'grace@navy.example', 'active');
const linus = account('l', 'Linus Torvalds', 'linus@example.com', 'sign-in-needed');
const zoe = account('z', 'Zoë Adams', 'zoe@example.com');
const all = [zoe, linus, ada, grace];
const names = (list: readonly Account[]) => list.map((a) => a.displayName);

describe('paletteList', () => {
  it('lists the active account first, then the window’s order, when nothing is typed', () => {
    const { shown, total } = paletteList(displayOrder(all, 'g'), '');
    expect(names(shown)).toEqual(['Grace Hopper', 'Ada Lovelace', 'Linus Torvalds', 'Zoë Adams']);
    expect(total).toBe(4);
  });

  it('keeps that order among matches: every word must match name, email or username', () => {
    const ordered = displayOrder(all, 'g');
    expect(names(paletteList(ordered, 'ad').shown)).toEqual(['Ada Lovelace', 'Zoë Adams']);
    expect(names(paletteList(ordered, 'example zoe').shown)).toEqual(['Zoë Adams']);
    expect(names(paletteList(ordered, 'navy').shown)).toEqual(['Grace Hopper']);
    expect(names(paletteList(ordered, 'ZOE').shown)).toEqual(['Zoë Adams']);
    expect(paletteList(ordered, 'nobody')).toEqual({ shown: [], total: 0 });
  });

  it('shows at most PALETTE_ROWS matches and says how many there are', () => {
    const many = Array.from({ length: PALETTE_ROWS + 7 }, (_, i) =>
      account(`id-${i}`, `Person ${i}`, `p${i}@example.com`),
    );
    const { shown, total } = paletteList(displayOrder(many, null), 'person');
    expect(shown).toHaveLength(PALETTE_ROWS);
    expect(total).toBe(PALETTE_ROWS + 7);
    expect(shown[0]!.displayName).toBe('Person 0');
    expect(shown[1]!.displayName).toBe('Person 1');
  });
});

describe('initialSelection', () => {
  it('starts on the first account that is not active: the palette is for switching away', () => {
    expect(initialSelection(displayOrder(all, 'g'), 'g')).toBe(1);
    expect(initialSelection([ada, zoe], 'g')).toBe(0);
    expect(initialSelection([ada, zoe], null)).toBe(0);
  });

  it('selects the active account when it is the only match, and nothing in an empty list', () => {
    expect(initialSelection([grace], 'g')).toBe(0);
    expect(initialSelection([], 'g')).toBe(-1);
  });
});

describe('paletteKey', () => {
  it('names the keys the palette handles', () => {
    expect(paletteKey({ key: 'ArrowDown' })).toBe('down');
    expect(paletteKey({ key: 'ArrowUp' })).toBe('up');
    expect(paletteKey({ key: 'PageUp' })).toBe('first');
    expect(paletteKey({ key: 'PageDown' })).toBe('last');
    expect(paletteKey({ key: 'Enter' })).toBe('enter');
    expect(paletteKey({ key: 'Escape' })).toBe('escape');
  });

  it('leaves typing and combinations alone', () => {
    expect(paletteKey({ key: 'a' })).toBeNull();
    expect(paletteKey({ key: 'Home' })).toBeNull(); // the search field's own caret key
    expect(paletteKey({ key: 'Enter', shiftKey: true })).toBeNull();
    expect(paletteKey({ key: 'ArrowDown', altKey: true })).toBeNull();
    expect(paletteKey({ key: 'Enter', ctrlKey: true })).toBeNull();
    expect(paletteKey({ key: 'Escape', metaKey: true })).toBeNull();
  });
});

describe('moveSelection', () => {
  it('moves down and up, wrapping at both ends', () => {
    expect(moveSelection(0, 3, 'down')).toBe(1);
    expect(moveSelection(2, 3, 'down')).toBe(0);
    expect(moveSelection(1, 3, 'up')).toBe(0);
    expect(moveSelection(0, 3, 'up')).toBe(2);
  });

  it('jumps to the ends, and starts from nothing selected', () => {
    expect(moveSelection(1, 3, 'first')).toBe(0);
    expect(moveSelection(1, 3, 'last')).toBe(2);
    expect(moveSelection(-1, 3, 'down')).toBe(0);
    expect(moveSelection(-1, 3, 'up')).toBe(2);
  });

  it('has nothing to select in an empty list', () => {
    expect(moveSelection(0, 0, 'down')).toBe(-1);
    expect(moveSelection(-1, 0, 'up')).toBe(-1);
  });
});

describe('paletteAction', () => {
  it('switches to a ready account, signs in as one that needs it, and only closes on the active one', () => {
    expect(paletteAction(ada, 'g')).toEqual({ kind: 'switch', account: ada });
    expect(paletteAction(linus, 'g')).toEqual({ kind: 'sign-in', account: linus });
    expect(paletteAction(grace, 'g')).toEqual({ kind: 'close' });
    const signedOutElsewhere = { ...zoe, state: 'not-in-pieces-os' as const, connected: false };
    expect(paletteAction(signedOutElsewhere, 'g')).toEqual({
      kind: 'switch',
      account: signedOutElsewhere,
    });
  });

  it('says on each row what Enter does there', () => {
    expect(actionHint(ada, 'g')).toBe('Switch');
    expect(actionHint(linus, 'g')).toBe('Sign in as Linus Torvalds…');
    expect(actionHint(grace, 'g')).toBe('Active');
  });
});
