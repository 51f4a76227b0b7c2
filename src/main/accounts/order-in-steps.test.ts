// sortInSteps: a long list in display order, sorted a run of 2,048 accounts at a time and the runs
// merged pairwise, yielding between steps. Its answer must be the one sort's (sortAccounts), ties
// included, and it must yield where it says it does, and only there.
import { describe, expect, it } from 'vitest';
import { sortAccounts, type Sortable } from '../../shared/order';
import { sortInSteps } from './order-in-steps';

/** An account to sort; `n` is its place in the list given, to tell equal accounts apart. */
interface Item extends Sortable {
  n: number;
}

/** Accounts sorted at once per step in order-in-steps.ts. */
const RUN = 2048;

const NAMES = ['Ada', 'ada', 'Émile', 'Grace', 'Alan', 'Zoë 2', 'Zoë 10', 'Bo', 'Łukasz', 'Ørjan'];

/** `count` accounts in a scrambled but fixed order (names repeat; emails and ids tell them apart). */
function scrambled(count: number): Item[] {
  const items: Item[] = [];
  let seed = 12345;
  for (let n = 0; n < count; n++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const k = seed % 997;
    items.push({
      n,
      id: `u-${seed.toString(36)}-${n}`,
      displayName: `${NAMES[k % NAMES.length]!} ${k % 7}`,
      ...(k % 5 === 0 ? {} : { email: `p${k}@example.com` }),
    });
  }
  return items;
}

const item = (n: number, displayName: string): Item => ({ n, id: `id-${n}`, displayName });

/** A pause that only counts how often it was asked for. */
function countingPause() {
  const counter = { pauses: 0, pause: () => Promise.resolve(void counter.pauses++) };
  return counter;
}

describe('sortInSteps', () => {
  it('gives an empty list as an empty array', async () => {
    expect(await sortInSteps([], countingPause().pause)).toEqual([]);
  });

  it('sorts a list that fits one run in one step, without pausing', async () => {
    const items = scrambled(RUN);
    const counter = countingPause();
    const sorted = await sortInSteps(items, counter.pause);
    expect(sorted.map((a) => a.n)).toEqual(sortAccounts(items).map((a) => a.n));
    expect(counter.pauses).toBe(0);
  });

  it('gives a list of many runs in the order one sort gives it', async () => {
    // Nine runs: merges of equal runs, an odd run carried up, and a short last one.
    const items = scrambled(8 * RUN + 700);
    const sorted = await sortInSteps(items, countingPause().pause);
    expect(sorted.map((a) => a.n)).toEqual(sortAccounts(items).map((a) => a.n));
  });

  it('puts an account that comes after all others last, though it is alone in the last run', async () => {
    const items = [...scrambled(RUN), item(RUN, 'Zz last')];
    const sorted = await sortInSteps(items, countingPause().pause);
    expect(sorted).toHaveLength(RUN + 1);
    expect(sorted.at(-1)).toBe(items[RUN]);
    expect(sorted.map((a) => a.n)).toEqual(sortAccounts(items).map((a) => a.n));
  });

  it('puts an account that comes before all others first, though it is alone in the last run', async () => {
    const items = [...scrambled(RUN), item(RUN, 'Aa first')];
    const sorted = await sortInSteps(items, countingPause().pause);
    expect(sorted).toHaveLength(RUN + 1);
    expect(sorted[0]).toBe(items[RUN]);
    expect(sorted.map((a) => a.n)).toEqual(sortAccounts(items).map((a) => a.n));
  });

  it('keeps equal accounts in the order they were listed, as one sort does, across runs', async () => {
    // The same account (name, email, id) listed twice, once in each run: a tie in the merge.
    const first = { n: 0, id: 'same', displayName: 'Grace', email: 'g@example.com' };
    const second = { ...first, n: RUN };
    const items = [first, ...scrambled(RUN - 1).map((a) => ({ ...a, n: a.n + 1 })), second];
    const sorted = await sortInSteps(items, countingPause().pause);
    const at = sorted.indexOf(first);
    expect(sorted[at + 1]).toBe(second);
    expect(sorted.map((a) => a.n)).toEqual(sortAccounts(items).map((a) => a.n));
  });

  it('pauses before each run after the first and once per 16,384 comparisons of a merge', async () => {
    // Nine runs: eight pauses before runs 2 to 9. The merges of 4,096, 8,192 and 16,384 accounts
    // compare fewer than 16,384 times each; the last merge (16,384 with 2,048) compares at least
    // 16,384 times, as the account after all others is in its second run: one pause there.
    const items = [...scrambled(9 * RUN - 1), item(9 * RUN - 1, 'Zz last')];
    const counter = countingPause();
    const sorted = await sortInSteps(items, counter.pause);
    expect(counter.pauses).toBe(9);
    expect(sorted.map((a) => a.n)).toEqual(sortAccounts(items).map((a) => a.n));
  });

  it('by default lets the event loop run between steps', async () => {
    const items = scrambled(RUN + 1);
    let ranBetween = false;
    // Queued before the sort starts: it runs at the first turn of the event loop the sort yields.
    setImmediate(() => (ranBetween = true));
    const sorted = await sortInSteps(items);
    expect(ranBetween).toBe(true);
    expect(sorted.map((a) => a.n)).toEqual(sortAccounts(items).map((a) => a.n));
  });
});
