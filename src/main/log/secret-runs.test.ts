import { beforeAll, describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from './redact';

const SECRET = 'emu_at_Zq7.Kx2-Pw9/Lm4+Rt8=Vb3~Nc6';

/** Each character as the encoder would write it, so no plain run of the secret is left. */
const url = (s: string) =>
  [...s].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
const json = (s: string) =>
  [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
const html = (s: string) => [...s].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join('');

describe('redacting echoes of a registered secret', () => {
  // Registered in a hook, not while the tests are collected: code that runs during collection is
  // invisible to mutation testing's per-test coverage, so mutants there looked "survived".
  const r = createRedactor();
  beforeAll(() => r.addSecret(SECRET));

  it.each([
    ['exact', SECRET],
    ['truncated', SECRET.slice(5, 19)],
    ['URL-encoded', url(SECRET)],
    ['URL-encoded as a browser does', encodeURIComponent(SECRET)],
    ['JSON-escaped', json(SECRET)],
    ['HTML-escaped', html(SECRET)],
    ['HTML-escaped with names', SECRET.replace(/\//g, '&sol;').replace(/\+/g, '&plus;')],
    ['a truncated, URL-encoded piece', url(SECRET.slice(10, 24))],
  ])('cuts out the %s echo', (_form, echo) => {
    const out = r.redact(`Pieces OS said: bad token "${echo}" (try again)`);
    expect(out).toBe(`Pieces OS said: bad token "${REDACTED}" (try again)`);
  });

  it('leaves short coincidences and other text alone', () => {
    const text = `emu_at_Zq7. GET /users/497f6eca-6276-4993-bfeb-53cbbbba6f08 %41%42 &amp; \\n`;
    expect(r.redact(text)).toBe(text);
  });

  it('cuts every echo in one text, and keeps the text around them', () => {
    const out = r.redact(`a ${SECRET} b ${url(SECRET)} c ${SECRET.slice(0, 12)} d`);
    expect(out).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED} d`);
  });
});
