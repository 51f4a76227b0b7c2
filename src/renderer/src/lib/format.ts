// Small display helpers: labels, dates, initials, countdowns.

const PROVIDERS: Record<string, string> = {
  github: 'GitHub',
  'google-oauth2': 'Google',
  google: 'Google',
  gitlab: 'GitLab',
  bitbucket: 'Bitbucket',
  apple: 'Apple',
  microsoft: 'Microsoft',
  windowslive: 'Microsoft',
  linkedin: 'LinkedIn',
  twitter: 'Twitter',
  facebook: 'Facebook',
  discord: 'Discord',
  slack: 'Slack',
  waad: 'Microsoft Entra ID',
  username_email: 'Email',
  auth0: 'Email',
  'Username-Password-Authentication': 'Email',
};

/** "google-oauth2" -> "Google"; unknown provider types pass through unchanged. */
export function providerLabel(type: string): string {
  return PROVIDERS[type] ?? PROVIDERS[type.toLowerCase()] ?? type;
}

const ALLOCATION: Record<string, string> = {
  UNKNOWN: 'Unknown',
  PENDING: 'Being set up',
  RUNNING: 'Running',
  FAILED: 'Failed',
  SUCCEEDED: 'Ready',
  DISCONNECTED: 'Disconnected',
};

export function allocationLabel(status: string): string {
  return ALLOCATION[status] ?? status;
}

/** An ISO date in the person's locale, or the raw text when it is not a date. */
export function formatDate(iso: string, locale?: string | string[]): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Up to two letters for an avatar: "Ada Lovelace" -> "AL", "ada@x.io" -> "A". */
export function initials(name: string): string {
  const words = name
    .replace(/@.*$/, '')
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters = words
    .slice(0, 2)
    .map((w) => Array.from(w)[0] ?? '')
    .join('');
  return letters.toUpperCase() || '?';
}

/** A stable palette slot (0..count-1) for an id, so an account keeps its colour. */
export function paletteIndex(id: string, count: number): number {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) >>> 0;
  return hash % count;
}

/** "Retrying in 5 seconds", "Retrying in 2 min 5 s". */
export function retryText(secondsLeft: number): string {
  const s = Math.max(0, Math.ceil(secondsLeft));
  if (s === 0) return 'Retrying now…';
  if (s < 60) return `Retrying in ${s} second${s === 1 ? '' : 's'}`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return `Retrying in ${m} min${rest ? ` ${rest} s` : ''}`;
}

/** "a", "a and b", "a, b and c". */
export function listText(items: readonly string[]): string {
  return new Intl.ListFormat('en', { type: 'conjunction' }).format(items);
}

/**
 * The URLs a connection attempt tried, short enough for a banner: runs of consecutive ports on the
 * same host become one range ("http://127.0.0.1:39300–39333"), so a 34-port probe reads as one item.
 */
export function triedText(urls: readonly string[]): string {
  const parts: { base: string; from: number; to: number }[] = [];
  const plain: string[] = [];
  for (const url of urls) {
    const m = /^(https?:\/\/[^/]+):(\d+)\/?$/.exec(url);
    if (!m) {
      plain.push(url);
      continue;
    }
    const base = m[1]!;
    const port = Number(m[2]);
    const last = parts.at(-1);
    if (last && last.base === base && last.to + 1 === port) last.to = port;
    else parts.push({ base, from: port, to: port });
  }
  const ranges = parts.map((p) =>
    p.from === p.to ? `${p.base}:${p.from}` : `${p.base}:${p.from}–${p.to}`,
  );
  return listText([...ranges, ...plain]);
}
