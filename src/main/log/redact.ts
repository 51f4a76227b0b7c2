// Removes anything token-shaped from text and values bound for a log. Every log entry passes
// through here (see logger.ts), so no caller has to remember to scrub what it logs.
import { SecretRuns } from './secret-runs';

export const REDACTED = '[redacted]';

/** Keys whose values are secrets wherever they appear, compared without case, `_` or `-`. */
const SECRET_KEYS = new Set([
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'password',
  'clientsecret',
  'cloudkey',
]);
const normalizeKey = (key: string): string => key.toLowerCase().replace(/[_-]/g, '');
export const isSecretKey = (key: string): boolean => SECRET_KEYS.has(normalizeKey(key));

/** A registered secret shorter than this is ignored: redacting "a" everywhere would help nobody. */
export const MIN_SECRET_LENGTH = 8;
/** The registry keeps the most recent secrets; a long session signs in a handful of accounts. */
const MAX_SECRETS = 1_000;
/** Nested values deeper than this are cut, so a cyclic or hostile value cannot hang a log call. */
const MAX_DEPTH = 8;

// `"access_token": "x"`, `access_token=x`, `Authorization: Bearer x` in free text (JSON, query
// strings, headers). Group 1 is kept, the rest is the value.
const KEY_VALUE =
  /((?:["']?)\b(?:access[_-]?token|refresh[_-]?token|id[_-]?token|client[_-]?secret|cloud[_-]?key|password|(?:proxy-)?authorization|set-cookie|cookie)\b["']?\s*[:=]\s*)(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|(?:bearer|basic)\s+[^\s"',;&]+|[^\s"',;&}]+)/gi;
// A JWT: base64url header that starts `{"` (eyJ), payload, optional signature.
const JWT = /\beyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*/g;
// A bearer credential anywhere else ("sent Bearer abc.def").
const BEARER = /\b(bearer)\s+[\w.~+/-]{8,}=*/gi;

export interface Redactor {
  /** Never let this value through (a token the app holds). Short or empty values are ignored. */
  addSecret(value: unknown): void;
  /** Registers every credential field of an OAuth token. */
  addToken(token: unknown): void;
  /**
   * `text` with registered secrets (whole, any run of 12 or more of their characters, and URL-,
   * JSON- or HTML-encoded copies), JWTs, bearer credentials and secret key values replaced.
   */
  redact(text: string): string;
  /** A JSON-safe copy of `value` with secret keys blanked and every string redacted. */
  redactValue(value: unknown): unknown;
}

export function createRedactor(): Redactor {
  // Insertion-ordered, so the oldest secret is dropped first when the registry is full.
  const secrets = new Set<string>();
  // Longest first, so a secret that contains another is replaced whole.
  let ordered: string[] = [];
  // Pieces of every secret, so a truncated or encoded echo is caught too.
  const runs = new SecretRuns();

  const addSecret = (value: unknown): void => {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH || secrets.has(value)) return;
    secrets.add(value);
    if (secrets.size > MAX_SECRETS) {
      secrets.delete(secrets.values().next().value as string);
      runs.clear();
      for (const s of secrets) runs.add(s);
    } else runs.add(value);
    ordered = [...secrets].sort((a, b) => b.length - a.length);
  };

  const redact = (text: string): string => {
    let out = text;
    for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return runs
      .redact(out, REDACTED)
      .replace(KEY_VALUE, (_m, key: string) => `${key}${REDACTED}`)
      .replace(JWT, REDACTED)
      .replace(BEARER, (_m, word: string) => `${word} ${REDACTED}`);
  };

  const walk = (value: unknown, depth: number, seen: Set<object>): unknown => {
    if (typeof value === 'string') return redact(value);
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'function' || typeof value === 'symbol') return `[${typeof value}]`;
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[nested too deep]';
    seen.add(value);
    try {
      if (value instanceof Error) {
        return { name: value.name, message: redact(value.message) };
      }
      if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1, seen));
      // A null-prototype object for the copy: a `__proto__` key stays a plain key.
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const [key, v] of Object.entries(value)) {
        out[key] =
          isSecretKey(key) && v !== undefined && v !== null ? REDACTED : walk(v, depth + 1, seen);
      }
      return out;
    } finally {
      seen.delete(value);
    }
  };

  return {
    addSecret,
    addToken(token) {
      if (typeof token !== 'object' || token === null) return;
      const t = token as Record<string, unknown>;
      addSecret(t.access_token);
      addSecret(t.refresh_token);
      addSecret(t.id_token);
    },
    redact,
    redactValue: (value) => walk(value, 0, new Set()),
  };
}
