// The one order accounts are shown in, by main (snapshot, tray) and the window alike, so the
// Ctrl/Cmd+number shortcuts and the tray's rows never move between refreshes.
//
// The order is the collator's (display-order.ts). Asking the collator inside a sort of 100,000
// accounts costs millions of calls and held the main process for seconds, so most accounts get a
// collation key once instead: a string whose plain comparison (`<`) gives exactly the collator's
// answer, cached per account object. A name the key cannot speak for (anything but printable
// ASCII and accented Latin letters) gets no key, and those comparisons go to the collator itself:
// the order is the same either way, only its cost differs. The window uses display-order.ts alone.
import {
  activeFirst,
  collator,
  compareByCollator as byCollator,
  placeInOrder,
  type Sortable,
} from './display-order';

export type { Sortable } from './display-order';

/** The order of accounts other than the active one: by name, then email, then id. */
export function compareAccounts(a: Sortable, b: Sortable): number {
  const ka = keyOf(a);
  const kb = ka === null ? null : keyOf(b);
  if (ka === null || kb === null) return byCollator(a, b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** Index at which `account` goes in `sorted` (ascending by compareAccounts): before its equals. */
export const placeIn = <T extends Sortable>(sorted: readonly T[], account: T): number =>
  placeInOrder(sorted, account, compareAccounts);

/**
 * The active account first, then the rest alphabetically by name, then email (case- and
 * accent-insensitive, numbers in numeric order). Returns a new array; the input is not changed.
 */
export const displayOrder = <T extends Sortable>(
  accounts: readonly T[],
  activeId: string | null,
): T[] => activeFirst(accounts, activeId, sortAccounts);

/**
 * `accounts` in compareAccounts' order, as a new array. Those with a key are sorted by it (one
 * string comparison each), those without by the collator, and the two runs merged: the
 * collator is asked about a number of pairs in proportion to the list, not to its sort.
 */
export function sortAccounts<T extends Sortable>(accounts: readonly T[]): T[] {
  const keyed: { key: string; account: T }[] = [];
  const unkeyed: T[] = [];
  for (const account of accounts) {
    const key = keyOf(account);
    if (key === null) unkeyed.push(account);
    else keyed.push({ key, account });
  }
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (unkeyed.length === 0) return keyed.map((k) => k.account);
  unkeyed.sort(byCollator);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < keyed.length && j < unkeyed.length) {
    // A keyed account and one without a key: only the collator can say.
    if (byCollator(keyed[i]!.account, unkeyed[j]!) <= 0) out.push(keyed[i++]!.account);
    else out.push(unkeyed[j++]!);
  }
  while (i < keyed.length) out.push(keyed[i++]!.account);
  while (j < unkeyed.length) out.push(unkeyed[j++]!);
  return out;
}

// ---- collation keys ---------------------------------------------------------------------------

/** A key and what it was made from, so an account object changed in place is keyed again. */
interface Cached {
  displayName: string;
  email: string | undefined;
  id: string;
  key: string | null;
}

const cache = new WeakMap<Sortable, Cached>();

/** The account's collation key (name, email, id), or null: compare it with the collator. */
export function keyOf(account: Sortable): string | null {
  const { displayName, email, id } = account;
  const cached = cache.get(account);
  if (cached && cached.displayName === displayName && cached.email === email && cached.id === id) {
    return cached.key;
  }
  const key = accountKey(displayName, email ?? '', id);
  cache.set(account, { displayName, email, id, key });
  return key;
}

/** Below every character a text key uses: a shorter name sorts before a longer one it begins. */
const SEPARATOR = 1;

/** Where a key is written before it becomes one flat string; longer keys are left to the collator. */
const buffer = new Uint16Array(2048);

function accountKey(name: string, email: string, id: string): string | null {
  const table = weights();
  if (!table || id.length > buffer.length) return null;
  let at = textKey(name, table, 0);
  if (at < 0) return null;
  buffer[at++] = SEPARATOR;
  at = textKey(email, table, at);
  if (at < 0 || at + 1 + id.length > buffer.length) return null;
  buffer[at++] = SEPARATOR;
  // The id last and whole: as the collator's tie-break, compared by code unit.
  for (let i = 0; i < id.length; i++) buffer[at++] = id.charCodeAt(i);
  // One flat string (concatenation would make a rope that each comparison has to walk).
  return String.fromCharCode.apply(null, buffer.subarray(0, at) as unknown as number[]);
}

/**
 * What each printable ASCII character weighs to the collator (its primary weight, as a character
 * code from WEIGHT_BASE up: case ignored), learnt from the collator itself, so the keys follow the ICU
 * the app runs on. Digits share one weight, NUMBER: a run of digits is keyed as its number.
 */
interface Weights {
  chars: number[];
  number: number;
}

const WEIGHT_BASE = 0x20;
/** Longer runs of digits are left to the collator (ICU splits runs of over 254 digits). */
const MAX_DIGITS = 40;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/**
 * Combining diacritical marks, ignored by a base-sensitivity collator ('é' is 'e'); not the combining
 * Latin letters after them (U+0363 on), which weigh as letters.
 */
const MARKS = /[\u0300-\u0362]/g;

let learnt: Weights | null | undefined;

function weights(): Weights | null {
  if (learnt === undefined) learnt = learnWeights();
  return learnt;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** The weights, or null if this collator does not behave as the keys assume (then no keys). */
function learnWeights(): Weights | null {
  const all: string[] = [];
  for (let c = 0x20; c <= 0x7e; c++) all.push(String.fromCharCode(c));
  all.sort(collator.compare);
  const chars: number[] = [];
  let number: number | undefined;
  let weight = WEIGHT_BASE - 1;
  let digitsSeen = 0;
  for (let i = 0; i < all.length; i++) {
    const ch = all[i]!;
    // Every printable character must weigh something (none is ignored).
    if (collator.compare(ch, '') <= 0) return null;
    const code = ch.charCodeAt(0);
    if (isDigit(code)) {
      // The digits must come together, in order: their run is one place in the order.
      if (code !== 0x30 + digitsSeen) return null;
      if (digitsSeen === 0) number = ++weight;
      digitsSeen++;
      continue;
    }
    if (digitsSeen > 0 && digitsSeen < 10) return null;
    if (i === 0 || collator.compare(all[i - 1]!, ch) !== 0 || isDigit(all[i - 1]!.charCodeAt(0)))
      weight++;
    chars[code] = weight;
  }
  if (number === undefined || digitsSeen !== 10) return null;
  // Numbers by value, leading zeros not counted: what the number keys below assume.
  if (collator.compare('2', '10') >= 0 || collator.compare('a01', 'a1') !== 0) return null;
  return { chars, number };
}

/**
 * Writes the collation key of `text` into `buffer` from `at`; returns where it ends, or -1 when
 * `text` has characters the keys do not cover (or its key does not fit).
 */
function textKey(text: string, w: Weights, at: number): number {
  if (!PRINTABLE_ASCII.test(text)) {
    // Accented letters as letter and marks, the marks left out: what the collator weighs.
    text = text.normalize('NFD').replace(MARKS, '');
    if (!PRINTABLE_ASCII.test(text)) return -1;
  }
  const end = text.length;
  // A digit takes at most three places (a one-digit number).
  if (at + end * 3 > buffer.length) return -1;
  for (let i = 0; i < end;) {
    const c = text.charCodeAt(i);
    if (!isDigit(c)) {
      buffer[at++] = w.chars[c]!;
      i++;
      continue;
    }
    // A number: NUMBER, then how many digits it has without its leading zeros, then those
    // digits, so that a longer number is a larger one and equal lengths compare digit by digit.
    let j = i;
    while (j < end && isDigit(text.charCodeAt(j))) j++;
    if (j - i > MAX_DIGITS) return -1;
    let k = i;
    while (k < j && text.charCodeAt(k) === 0x30) k++;
    buffer[at++] = w.number;
    buffer[at++] = WEIGHT_BASE + j - k;
    while (k < j) buffer[at++] = text.charCodeAt(k++);
    i = j;
  }
  return at;
}
