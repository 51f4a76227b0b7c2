/** Capped exponential backoff: 0 -> initial, then doubling up to max. */
export function nextBackoff(
  previous: number,
  { initialMs, maxMs }: { initialMs: number; maxMs: number },
): number {
  if (previous <= 0) return initialMs;
  return Math.min(previous * 2, maxMs);
}
