import { describe, expect, it } from 'vitest';
import { nextBackoff } from './backoff';

describe('nextBackoff', () => {
  const limits = { initialMs: 1_000, maxMs: 30_000 };

  it('starts at the initial delay after no delay (or a nonsense negative one)', () => {
    expect(nextBackoff(0, limits)).toBe(1_000);
    expect(nextBackoff(-5, limits)).toBe(1_000);
  });

  it('doubles each time, and stops at the cap', () => {
    const delays = [0];
    for (let i = 0; i < 7; i++) delays.push(nextBackoff(delays.at(-1)!, limits));
    expect(delays).toEqual([0, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(nextBackoff(1, limits)).toBe(2);
  });
});
