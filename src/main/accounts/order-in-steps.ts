// The display order of a long list (100,000 users) without holding the main process: sorted a
// run of accounts at a time, then the runs merged pairwise, letting the event loop run between
// steps. The order is compareAccounts' (order.ts), the same as one sort would give.
import { compareAccounts, sortAccounts, type Sortable } from '../../shared/order';

/** Accounts sorted at once per step (their collation keys are made then too). */
const RUN = 2048;
/** Comparisons per step of a merge. */
const MERGE_STEP = 16_384;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `items` in display order (compareAccounts), as a new array, in steps. */
export async function sortInSteps<T extends Sortable>(
  items: readonly T[],
  pause: () => Promise<void> = nextTurn,
): Promise<T[]> {
  let runs: T[][] = [];
  for (let at = 0; at < items.length; at += RUN) {
    if (at > 0) await pause();
    runs.push(sortAccounts(items.slice(at, at + RUN)));
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const b = runs[i + 1];
      merged.push(b ? await merge(runs[i]!, b, pause) : runs[i]!);
    }
    runs = merged;
  }
  return runs[0] ?? [];
}

/** Two sorted runs as one; on a tie the first run's account comes first. */
async function merge<T extends Sortable>(
  a: readonly T[],
  b: readonly T[],
  pause: () => Promise<void>,
): Promise<T[]> {
  const out = new Array<T>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  let budget = MERGE_STEP;
  while (i < a.length && j < b.length) {
    if (--budget === 0) {
      await pause();
      budget = MERGE_STEP;
    }
    out[k++] = compareAccounts(b[j]!, a[i]!) < 0 ? b[j++]! : a[i++]!;
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
