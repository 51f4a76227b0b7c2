import { describe, expect, it } from 'vitest';
import type { Account } from './domain';
import { displayOrder } from './order';

const account = (id: string, displayName: string, email?: string): Account => ({
  id,
  displayName,
  ...(email !== undefined ? { email } : {}),
  connected: true,
  hasToken: true,
  state: 'ready',
});

const names = (list: Account[]): string[] => list.map((a) => `${a.displayName}|${a.email ?? ''}`);

describe('displayOrder', () => {
  it('puts the active account first, the rest alphabetically by name', () => {
    const list = [
      account('1', 'Zoe'),
      account('2', 'adam'),
      account('3', 'Mia'),
      account('4', 'Bo'),
    ];
    expect(names(displayOrder(list, '3'))).toEqual(['Mia|', 'adam|', 'Bo|', 'Zoe|']);
  });

  it('orders equal names by email, then by id, whatever order Pieces OS lists them in', () => {
    const a = account('b', 'Sam', 'sam@b.com');
    const b = account('a', 'Sam', 'sam@a.com');
    const c = account('z', 'Sam', 'sam@a.com');
    const d = account('y', 'Sam', 'sam@a.com');
    const expected = ['a', 'y', 'z', 'b'];
    expect(displayOrder([a, b, c, d], null).map((x) => x.id)).toEqual(expected);
    expect(displayOrder([d, c, b, a], null).map((x) => x.id)).toEqual(expected);
  });

  it('ignores case and accents, and sorts numbers by value', () => {
    const list = [
      account('1', 'Person 10'),
      account('2', 'émile'),
      account('3', 'Person 9'),
      account('4', 'Eve'),
    ];
    expect(names(displayOrder(list, null))).toEqual(['émile|', 'Eve|', 'Person 9|', 'Person 10|']);
  });

  it('leaves the input alone and copes with an active id that is not listed', () => {
    const list = [account('1', 'B'), account('2', 'A')];
    const copy = [...list];
    expect(names(displayOrder(list, 'gone'))).toEqual(['A|', 'B|']);
    expect(list).toEqual(copy);
  });
});
