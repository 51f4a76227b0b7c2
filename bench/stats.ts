// Summary statistics for benchmark samples. Pure functions, unit-tested in test/bench-stats.test.ts.

export interface Summary {
  /** How many samples (warm-up runs are never passed in). */
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
  mean: number;
}

function sorted(samples: readonly number[]): number[] {
  if (samples.length === 0) throw new RangeError('No samples to summarize.');
  for (const s of samples) {
    if (!Number.isFinite(s)) throw new RangeError(`Not a finite sample: ${s}`);
  }
  return [...samples].sort((a, b) => a - b);
}

/** The middle value; the mean of the two middle values for an even count. */
export function median(samples: readonly number[]): number {
  const s = sorted(samples);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The p-th percentile (0 < p <= 100) by the nearest-rank method: the smallest sample with at
 * least p% of the samples at or below it. Always one of the samples, never an interpolation.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`Percentile must be in (0, 100], got ${p}`);
  const s = sorted(samples);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.max(0, rank - 1)]!;
}

export const p95 = (samples: readonly number[]): number => percentile(samples, 95);

export function summarize(samples: readonly number[]): Summary {
  const s = sorted(samples);
  const mean = s.reduce((sum, x) => sum + x, 0) / s.length;
  return {
    n: s.length,
    median: median(s),
    p95: percentile(s, 95),
    min: s[0]!,
    max: s[s.length - 1]!,
    mean,
  };
}

/** ours / baseline, the way every ratio in the table is defined: median over median. */
export function ratioOfMedians(ours: Summary, baseline: Summary): number {
  if (baseline.median <= 0) throw new RangeError('The baseline median must be positive.');
  return ours.median / baseline.median;
}
