import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Account } from './domain';
import { activeFirst, placeInOrder } from './display-order';
import { compareAccounts, displayOrder, keyOf, placeIn, sortAccounts } from './order';

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

// The keys must give the collator's order exactly: checked against the collator itself on
// awkward text (accents, case, numbers with leading zeros, punctuation, scripts the keys leave
// to the collator) and on random text.
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
const byCollator = (a: Account, b: Account): number =>
  collator.compare(a.displayName, b.displayName) ||
  collator.compare(a.email ?? '', b.email ?? '') ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const sign = (n: number) => Math.sign(n);

const AWKWARD = [
  '',
  ' ',
  'a',
  'A',
  'á',
  'à',
  'Ä',
  'a\u0301',
  'e',
  'é',
  'É',
  'E\u0301\u0323',
  'ae',
  'æ',
  'Æ',
  'ss',
  'ß',
  'o',
  'ø',
  'Ø',
  'l',
  'ł',
  'i',
  'ı',
  'İ',
  'ﬁ',
  'Ａ',
  '0',
  '00',
  '1',
  '01',
  '001',
  '9',
  '10',
  '010',
  '2',
  '12',
  '1 2',
  '1.5',
  '1.50',
  '1,000',
  '٣',
  '²',
  '½',
  '-',
  '_',
  '.',
  "'",
  '"',
  '@',
  '~',
  '$',
  '`',
  '^',
  '|',
  '\\',
  '\t',
  '\n',
  '\u00ad',
  '\u200b',
  'Ω',
  'ω',
  'я',
  'Я',
  'й',
  'и\u0306',
  '中',
  '日本',
  '😀',
  'Ada',
  'ada',
  'Adá',
  'Lucía',
  'Lucia',
  'Person 9',
  'Person 10',
  'Person 010',
  'x9',
  'x10',
  'x09y',
  'x9z',
  'a1b',
  'a01b',
  'a 1',
  'a1',
  'a-1',
  '12345678901234567890123456789012345678901234567890',
  '1234567890123456789012345678901234567890',
];

const awkwardText = fc.oneof(
  fc.constantFrom(...AWKWARD),
  fc.array(fc.constantFrom(...AWKWARD), { maxLength: 4 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.stringMatching(/^[A-Za-zÀ-ÿ0-9 .'@_-]{0,14}$/),
);

const anAccount = fc.record({
  id: fc.oneof(fc.constantFrom('a', 'b', 'A', 'a0', 'é'), fc.string({ maxLength: 6 })),
  displayName: awkwardText,
  email: fc.option(awkwardText, { nil: undefined }),
});
const toAccount = (r: { id: string; displayName: string; email: string | undefined }) =>
  account(r.id, r.displayName, r.email);
/**
 * A list as Pieces OS gives it: ids are unique. (Two accounts with one id and emails the collator
 * cannot tell apart, "" and a soft hyphen, are equal to it and may come in either order.)
 */
const aList = fc.uniqueArray(anAccount, { selector: (r) => r.id, maxLength: 60 });

describe('compareAccounts and its collation keys', () => {
  it('agree with the collator on every pair of awkward names', () => {
    const accounts = AWKWARD.map((name, i) => account(String(i % 3), name, AWKWARD[i % 7]));
    for (const a of accounts) {
      for (const b of accounts) expect(sign(compareAccounts(a, b))).toBe(sign(byCollator(a, b)));
    }
    // Most of them are keyed: the comparison above was not the collator's on both sides.
    expect(accounts.filter((a) => keyOf(a) !== null).length).toBeGreaterThan(AWKWARD.length / 2);
  });

  it('agree with the collator on random names and emails', () => {
    fc.assert(
      fc.property(anAccount, anAccount, (a, b) => {
        const x = toAccount(a);
        const y = toAccount(b);
        expect(sign(compareAccounts(x, y))).toBe(sign(byCollator(x, y)));
      }),
      { numRuns: 3000 },
    );
  });

  it('sort a list exactly as sorting with the collator does, keyed or not', () => {
    fc.assert(
      fc.property(aList, (records) => {
        const list = records.map(toAccount);
        const expected = [...list].sort(byCollator);
        // Equal under the collator means same name, email and id: compare what shows.
        const shown = (xs: Account[]) => xs.map((a) => [a.displayName, a.email, a.id]);
        expect(shown(sortAccounts(list))).toEqual(shown(expected));
        expect(shown(displayOrder(list, null))).toEqual(shown(expected));
      }),
      { numRuns: 400 },
    );
  });

  it('give the window (the collator alone) the order main gives, active first and in place', () => {
    fc.assert(
      fc.property(aList, anAccount, (records, extra) => {
        const list = records.map(toAccount);
        const activeId = list[0]?.id ?? null;
        const shown = (xs: Account[]) => xs.map((a) => [a.displayName, a.email, a.id]);
        const mains = displayOrder(list, activeId);
        expect(shown(activeFirst(list, activeId))).toEqual(shown(mains));
        // Where the window puts a changed account is where main's order has it.
        const rest = sortAccounts(list);
        const added = toAccount(extra);
        expect(placeInOrder(rest, added)).toBe(placeIn(rest, added));
      }),
      { numRuns: 400 },
    );
  });

  it('agree with the collator on every combining mark (U+0300 to U+036F)', () => {
    const bases = [' ', '!', '_', '~', '0', '7', 'a', 'k', 'Z'];
    for (let m = 0x300; m <= 0x36f; m++) {
      const mark = String.fromCharCode(m);
      for (const b of bases) {
        const x = account('1', `${b}${mark}k`);
        for (const other of [`${b}k`, `${b}j`, `${b}l`, `${b}`, `${b}${mark}`]) {
          const y = account('1', other);
          expect(sign(compareAccounts(x, y))).toBe(sign(byCollator(x, y)));
        }
      }
    }
  });

  it('key accented Latin names like their letters, and not other scripts', () => {
    expect(keyOf(account('1', 'Lucía', 'lucia@example.com'))).toBe(
      keyOf(account('1', 'LUCIA', 'Lucia@Example.com')),
    );
    expect(keyOf(account('1', '中文'))).toBeNull();
    expect(keyOf(account('1', 'Ada', 'ø@example.com'))).toBeNull();
  });

  it('keys an account again when its name is changed in place', () => {
    const a = account('1', 'Zed');
    const b = account('2', 'Mia');
    expect(compareAccounts(a, b)).toBeGreaterThan(0);
    a.displayName = 'Abe';
    expect(compareAccounts(a, b)).toBeLessThan(0);
  });
});
