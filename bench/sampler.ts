// Runs variants interleaved (A B, B A, A B, ...) so both see the same machine at the same moment;
// warm-up rounds are run the same way and thrown away.
import { performance } from 'node:perf_hooks';

export interface Variant {
  name: string;
  /** The timed work. */
  run: () => unknown;
  /** Untimed preparation before each run (e.g. put back the user the last run disconnected). */
  before?: () => unknown;
}

export interface SampleOptions {
  warmup: number;
  runs: number;
}

/** Samples in milliseconds per variant name, `runs` of each, warm-up excluded. */
export async function interleave(
  variants: readonly Variant[],
  { warmup, runs }: SampleOptions,
): Promise<Map<string, number[]>> {
  if (variants.length === 0) throw new RangeError('Nothing to run.');
  if (!(Number.isInteger(runs) && runs > 0 && Number.isInteger(warmup) && warmup >= 0)) {
    throw new RangeError(`Bad run counts: warmup ${warmup}, runs ${runs}`);
  }
  const samples = new Map(variants.map((v) => [v.name, [] as number[]]));
  for (let round = 0; round < warmup + runs; round++) {
    // Rotate the order every round so no variant always runs first (after an idle gap) or last.
    const shift = round % variants.length;
    const order = [...variants.slice(shift), ...variants.slice(0, shift)];
    for (const v of order) {
      if (v.before) await v.before();
      const t0 = performance.now();
      const result = v.run();
      if (result instanceof Promise) await result;
      const ms = performance.now() - t0;
      if (round >= warmup) samples.get(v.name)!.push(ms);
    }
  }
  return samples;
}
