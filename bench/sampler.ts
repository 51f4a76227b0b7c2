// Runs variants interleaved, in a fresh shuffled order every round (seeded, so a run can be
// repeated), with a settle step before every sample, and repeats the whole comparison several
// times in one run so a ratio comes with its spread. Warm-up rounds are run the same way and
// thrown away.
import { performance } from 'node:perf_hooks';
import { createRng, type Rng } from '../emulator/prng';
import { median, summarize, type Summary } from './stats';

export interface Variant {
  name: string;
  /** The timed work. */
  run: () => unknown;
  /** Untimed preparation before each run (e.g. put back the user the last run disconnected). */
  before?: () => unknown;
}

export interface SampleOptions {
  warmup: number;
  /** Timed runs of each variant, per repeat. */
  runs: number;
  /** How many times the whole comparison is taken (default 1); warm-up happens once. */
  repeats?: number;
  /** Seeds the order of the variants; the same seed gives the same orders. */
  seed?: number;
}

/** The default seed: fixed, so two runs of the bench shuffle the same way. */
export const DEFAULT_SEED = 20_261_202;

/** Fisher-Yates with the seeded PRNG; returns a new array. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Lets pending I/O callbacks, timers due now and socket closes run before the next sample. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface Sampled {
  /** Every timed sample of each variant, all repeats together. */
  all: Map<string, number[]>;
  /** The same, one map per repeat. */
  repeats: Map<string, number[]>[];
}

export async function sample(
  variants: readonly Variant[],
  { warmup, runs, repeats = 1, seed = DEFAULT_SEED }: SampleOptions,
): Promise<Sampled> {
  if (variants.length === 0) throw new RangeError('Nothing to run.');
  const ok = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (!(ok(runs, 1) && ok(warmup, 0) && ok(repeats, 1))) {
    throw new RangeError(`Bad run counts: warmup ${warmup}, runs ${runs}, repeats ${repeats}`);
  }
  const rng = createRng(seed);
  const empty = () => new Map(variants.map((v) => [v.name, [] as number[]]));
  const all = empty();
  const perRepeat = Array.from({ length: repeats }, empty);
  const rounds = warmup + runs * repeats;
  for (let round = 0; round < rounds; round++) {
    const into = round < warmup ? undefined : perRepeat[Math.floor((round - warmup) / runs)]!;
    for (const v of shuffled(variants, rng)) {
      if (v.before) await v.before();
      await settle();
      const t0 = performance.now();
      const result = v.run();
      if (result instanceof Promise) await result;
      const ms = performance.now() - t0;
      if (into) {
        into.get(v.name)!.push(ms);
        all.get(v.name)!.push(ms);
      }
    }
  }
  return { all, repeats: perRepeat };
}

/** Samples in milliseconds per variant name, `runs` of each (one repeat), warm-up excluded. */
export async function interleave(
  variants: readonly Variant[],
  opts: SampleOptions,
): Promise<Map<string, number[]>> {
  return (await sample(variants, opts)).all;
}

export interface RatioSpread {
  /** ours / baseline medians, one per repeat, then their min, median and max. */
  perRepeat: number[];
  min: number;
  median: number;
  max: number;
}

/** The ratio of medians in each repeat, and its spread over the repeats. */
export function ratioSpread(s: Sampled, ours: string, baseline: string): RatioSpread {
  const perRepeat = s.repeats.map((r) => median(r.get(ours)!) / median(r.get(baseline)!));
  return {
    perRepeat,
    min: Math.min(...perRepeat),
    median: median(perRepeat),
    max: Math.max(...perRepeat),
  };
}

export const summaryOf = (s: Sampled, name: string): Summary => summarize(s.all.get(name)!);
