import { describe, expect, it } from 'vitest';
import { median, p95, percentile, ratioOfMedians, summarize } from '../bench/stats';

describe('bench statistics', () => {
  it('median of an odd count is the middle sample, whatever the input order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
  });

  it('median of an even count is the mean of the two middle samples', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 20])).toBe(15);
  });

  it('p95 is nearest-rank: always one of the samples', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    expect(p95(hundred)).toBe(95);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 100)).toBe(100);
    // 20 samples: rank ceil(0.95 * 20) = 19.
    expect(p95(Array.from({ length: 20 }, (_, i) => i))).toBe(18);
    // Too few samples for a tail: p95 is the maximum.
    expect(p95([3, 1, 2])).toBe(3);
    expect(p95([42])).toBe(42);
  });

  it('does not reorder the caller’s array', () => {
    const samples = [3, 1, 2];
    median(samples);
    p95(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses empty input, non-finite samples and bad percentiles', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => p95([])).toThrow(RangeError);
    expect(() => median([1, Number.NaN])).toThrow(RangeError);
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarize reports count, median, p95, min, max and mean', () => {
    expect(summarize([4, 2, 8, 6])).toEqual({ n: 4, median: 5, p95: 8, min: 2, max: 8, mean: 5 });
  });

  it('ratios are median over median', () => {
    expect(ratioOfMedians(summarize([2, 3, 4]), summarize([1, 2, 3]))).toBe(1.5);
    expect(() => ratioOfMedians(summarize([1]), summarize([0]))).toThrow(RangeError);
  });
});
