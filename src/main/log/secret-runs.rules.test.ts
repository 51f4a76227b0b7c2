// Echoes of a secret in the less common encodings, and text the decoder must pass over without
// failing: a redactor that throws would lose the log line or the error it was cleaning.
import { describe, expect, it } from 'vitest';
import { SecretRuns } from './secret-runs';

const SECRET = 'emu_at_Zq7.Kx2-Pw9/Lm4+Rt8=Vb3~Nc6';
const UNICODE = 'tökén-Ünïcödé-pässwört-ß€-123456';
const MASK = '[cut]';

const runs = (...secrets: string[]): SecretRuns => {
  const r = new SecretRuns();
  for (const s of secrets) r.add(s);
  return r;
};

describe('SecretRuns: less common encodings', () => {
  it.each([
    ['JSON with escaped slashes', SECRET.replace('/', '\\/')],
    ['HTML with an upper-case hex reference', SECRET.replace('/', '&#X2F;')],
    ['HTML with a decimal reference', SECRET.replace('+', '&#43;')],
    ['HTML with a named reference in capitals', SECRET.replace('=', '&EQUALS;')],
  ])('cuts the echo written as %s', (_, echo) => {
    expect(runs(SECRET).redact(`said "${echo}" then`, MASK)).toBe(`said "${MASK}" then`);
  });

  it('cuts a URL-encoded echo of a secret with characters beyond ASCII', () => {
    const echo = encodeURIComponent(UNICODE);
    expect(runs(UNICODE).redact(`q=${echo}&next=1`, MASK)).toBe(`q=${MASK}&next=1`);
  });

  it('cuts only the encoded secret, not the encoded text right beside it', () => {
    const url = (t: string) =>
      [...t].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    expect(runs(SECRET).redact(`${url('id=7&')}${url(SECRET)}${url('&x')}`, MASK)).toBe(
      `${url('id=7&')}${MASK}${url('&x')}`,
    );
    expect(runs(SECRET).redact(`${SECRET.replace('/', '\\/')}\\n`, MASK)).toBe(`${MASK}\\n`);
  });

  it('cuts a JSON echo that ends in an escaped character, escape included', () => {
    const secret = 'refresh-Zq7Kx2Pw9Lm4/';
    expect(runs(secret).redact(`{"t":"refresh-Zq7Kx2Pw9Lm4\\/"}`, MASK)).toBe(`{"t":"${MASK}"}`);
  });

  it('cuts an echo at the very start of the text, whole, and the next one too', () => {
    expect(runs(SECRET).redact(`${SECRET} tail`, MASK)).toBe(`${MASK} tail`);
    expect(runs(SECRET).redact(`${SECRET} then ${SECRET}`, MASK)).toBe(`${MASK} then ${MASK}`);
  });

  it('a secret shorter than a run is nothing to cut', () => {
    expect(runs('short-secret').redact('short-secret', MASK)).toBe(MASK);
    expect(runs('short-secre').redact('short-secre and more text', MASK)).toBe(
      'short-secre and more text',
    );
  });
});

describe('SecretRuns: text the decoder passes over', () => {
  it.each([
    ['an ampersand that starts no reference', 'a & b'],
    ['an unknown named reference', 'a &bogus; b'],
    ['a reference beyond the last code point', 'a &#9999999; b'],
    ['a backslash that escapes nothing known', 'a \\q \\u12 b'],
    ['a percent sign that encodes nothing', 'a %zz %4 b'],
  ])('keeps %s as it is and still cuts the secret', (_, odd) => {
    const text = `${odd} ${SECRET} ${odd}`;
    expect(runs(SECRET).redact(text, MASK)).toBe(`${odd} ${MASK} ${odd}`);
  });
});
