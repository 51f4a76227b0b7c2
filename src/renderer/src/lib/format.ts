// Small display helpers: initials, avatar colours, countdowns, lists. (Provider names, dates and
// the details' labels are written in main: src/shared/details-view.ts.)

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const firstGrapheme = (word: string): string =>
  graphemes.segment(word)[Symbol.iterator]().next().value?.segment ?? '';
/** Scripts without letter case, whose one first character is the whole initial (张伟 -> 张). */
const UNCASED = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * An avatar's initials, grapheme by grapheme (an emoji, a flag or a letter with its accents is
 * one character): "Ada Lovelace" -> "AL", "ada@x.io" -> "A", "🦊 Fox" -> "🦊", "张伟" -> "张".
 */
export function initials(name: string): string {
  const words = name
    .replace(/@.*$/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const first = firstGrapheme(words[0] ?? '');
  if (!first) return '?';
  // A symbol or emoji, or a script without case, stands alone.
  if (!/^\p{L}/u.test(first) || UNCASED.test(first)) return first;
  const second = firstGrapheme(words[1] ?? '');
  return (first + (/^\p{L}/u.test(second) && !UNCASED.test(second) ? second : '')).toUpperCase();
}

/**
 * A hue (0..359) from the whole of a key (email, else id), FNV-1a mixed so keys that differ in
 * one character ("ana@a.io", "ana@b.io") land far apart, unlike a first letter or a sum.
 */
export function avatarHue(key: string): number {
  let hash = 0x811c9dc5;
  for (const ch of key) {
    hash ^= ch.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Final avalanche, so the last character also moves the high bits.
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d) >>> 0;
  hash ^= hash >>> 12;
  return (hash >>> 0) % 360;
}

/** "5 seconds", "2 min 5 s": a wait, rounded up to the second. */
function duration(secondsLeft: number): string {
  const s = Math.max(0, Math.ceil(secondsLeft));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const rest = s % 60;
  return `${Math.floor(s / 60)} min${rest ? ` ${rest} s` : ''}`;
}

/** "Retrying in 5 seconds", "Retrying in 2 min 5 s". */
export function retryText(secondsLeft: number): string {
  return secondsLeft > 0 ? `Retrying in ${duration(secondsLeft)}` : 'Retrying now…';
}

/** "a", "a and b", "a, b and c". */
export function listText(items: readonly string[]): string {
  return new Intl.ListFormat('en', { type: 'conjunction' }).format(items);
}

/** "2 min 5 s left", "40 seconds left": the time a sign-in still waits. */
export function timeLeftText(secondsLeft: number): string {
  return `${duration(secondsLeft)} left`;
}
