// Finds echoes of known secrets in text, also partial or encoded ones: any run of RUN_LENGTH or
// more characters of a secret, in the text as it is or after URL (%XX), JSON (\uXXXX, \/) or HTML
// (&amp;, &#x2F;) decoding. A server that echoes part of a token, or an escaped copy, is caught.

/** Shorter runs are too likely to occur by chance; 12 characters of a token identify it. */
export const RUN_LENGTH = 12;

/** The text decoded one escape at a time, with where each decoded character came from. */
interface Decoded {
  text: string;
  /** For decoded character i: its start and end in the original text. */
  from: number[];
  to: number[];
}

const HTML_NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  sol: '/',
  equals: '=',
  plus: '+',
};
const JSON_SIMPLE: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Decodes %XX runs, JSON backslash escapes and HTML character references in one pass. */
function decodeAll(text: string): Decoded {
  let out = '';
  const from: number[] = [];
  const to: number[] = [];
  const emit = (chars: string, start: number, end: number) => {
    for (let k = 0; k < chars.length; k++) {
      out += chars[k];
      from.push(start);
      to.push(end);
    }
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '%') {
      // A run of %XX bytes, decoded together so multi-byte UTF-8 survives.
      let j = i;
      const bytes: number[] = [];
      while (
        j + 2 < text.length &&
        text[j] === '%' &&
        /^[0-9a-fA-F]{2}$/.test(text.slice(j + 1, j + 3))
      ) {
        bytes.push(parseInt(text.slice(j + 1, j + 3), 16));
        j += 3;
      }
      if (bytes.length > 0) {
        if (bytes.every((b) => b < 0x80)) {
          for (let k = 0; k < bytes.length; k++)
            emit(String.fromCharCode(bytes[k]!), i + 3 * k, i + 3 * k + 3);
        } else emit(Buffer.from(bytes).toString('utf8'), i, j);
        i = j;
        continue;
      }
    } else if (c === '\\') {
      const next = text[i + 1];
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        emit(String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), i, i + 6);
        i += 6;
        continue;
      }
      if (next !== undefined && next in JSON_SIMPLE) {
        emit(JSON_SIMPLE[next]!, i, i + 2);
        i += 2;
        continue;
      }
    } else if (c === '&') {
      const m = /^&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});/.exec(text.slice(i, i + 12));
      if (m) {
        const ref = m[1]!;
        const code =
          ref[0] !== '#'
            ? undefined
            : ref[1] === 'x' || ref[1] === 'X'
              ? parseInt(ref.slice(2), 16)
              : parseInt(ref.slice(1), 10);
        const ch =
          code !== undefined
            ? code <= 0x10ffff
              ? String.fromCodePoint(code)
              : undefined
            : HTML_NAMED[ref.toLowerCase()];
        if (ch !== undefined) {
          emit(ch, i, i + m[0].length);
          i += m[0].length;
          continue;
        }
      }
    }
    emit(c, i, i + 1);
    i++;
  }
  return { text: out, from, to };
}

/** Every RUN_LENGTH-character piece of the secrets: a run of a secret is a chain of these. */
export class SecretRuns {
  readonly #pieces = new Set<string>();

  add(secret: string): void {
    for (let i = 0; i + RUN_LENGTH <= secret.length; i++) {
      this.#pieces.add(secret.slice(i, i + RUN_LENGTH));
    }
  }

  clear(): void {
    this.#pieces.clear();
  }

  /** `text` with each run of a secret (as sent, or encoded) replaced by `mask`. */
  redact(text: string, mask: string): string {
    if (this.#pieces.size === 0 || text.length < RUN_LENGTH) return text;
    // Spans of the original text to cut, from the plain text and from its decoded form.
    const spans: [number, number][] = [];
    this.#collect(text, (s, e) => spans.push([s, e]));
    const decoded = decodeAll(text);
    if (decoded.text !== text) {
      this.#collect(decoded.text, (s, e) => spans.push([decoded.from[s]!, decoded.to[e - 1]!]));
    }
    if (spans.length === 0) return text;
    spans.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [s, e] of spans) {
      const last = merged.at(-1);
      if (last && s <= last[1]) last[1] = Math.max(last[1], e);
      else merged.push([s, e]);
    }
    let out = '';
    let at = 0;
    for (const [s, e] of merged) {
      out += text.slice(at, s) + mask;
      at = e;
    }
    return out + text.slice(at);
  }

  /** Calls `hit(start, end)` for each maximal stretch of `text` covered by secret pieces. */
  #collect(text: string, hit: (start: number, end: number) => void): void {
    let start = -1;
    let end = -1;
    for (let i = 0; i + RUN_LENGTH <= text.length; i++) {
      if (!this.#pieces.has(text.slice(i, i + RUN_LENGTH))) continue;
      if (start >= 0 && i <= end) end = i + RUN_LENGTH;
      else {
        if (start >= 0) hit(start, end);
        start = i;
        end = i + RUN_LENGTH;
      }
    }
    if (start >= 0) hit(start, end);
  }
}
