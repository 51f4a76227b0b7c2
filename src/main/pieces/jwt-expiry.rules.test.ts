// The edges of reading `exp` from a JWT: the size cap, the base64url alphabet, what JSON can hold.
import { describe, expect, it } from 'vitest';
import { jwtExpiry } from './jwt-expiry';

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const header = b64(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
const withPayload = (payload: string) => `${header}.${payload}.c2ln`;
/** A payload of exactly `chars` base64url characters (a multiple of 4) holding `exp`. */
const paddedPayload = (chars: number, exp: number) => {
  const start = `{"exp":${exp},"pad":"`;
  const bytes = (chars / 4) * 3;
  return b64(start + 'x'.repeat(bytes - start.length - 2) + '"}');
};

describe('jwtExpiry: edges', () => {
  it('reads a payload of up to 16 KB of base64url and nothing larger, even with a valid exp', () => {
    const atCap = paddedPayload(16 * 1024, 1_900_000_000);
    expect(atCap).toHaveLength(16 * 1024);
    expect(jwtExpiry(withPayload(atCap))).toBe(1_900_000_000_000);
    const over = paddedPayload(16 * 1024 + 4, 1_900_000_000);
    expect(jwtExpiry(withPayload(over))).toBeUndefined();
  });

  it.each([
    ['a character outside base64url', (p: string) => `${p.slice(0, 4)}!${p.slice(4)}`],
    ['a space', (p: string) => `${p.slice(0, 4)} ${p.slice(4)}`],
    ['base64 padding', (p: string) => `${p}==`],
  ])('refuses a payload with %s, though a lenient decoder would read its exp', (_name, spoil) => {
    const payload = spoil(b64('{"exp":1900000000}'));
    // Node's decoder skips what it does not know: only the alphabet check refuses this.
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual({
      exp: 1_900_000_000,
    });
    expect(jwtExpiry(withPayload(payload))).toBeUndefined();
  });

  it('is undefined for a payload that is JSON null, not an object', () => {
    expect(jwtExpiry(withPayload(b64('null')))).toBeUndefined();
  });

  it('is undefined for exp 0 (not a date after the epoch)', () => {
    expect(jwtExpiry(withPayload(b64('{"exp":0}')))).toBeUndefined();
  });

  it('reads the last date a Date can hold, and nothing after it', () => {
    expect(jwtExpiry(withPayload(b64('{"exp":8640000000000}')))).toBe(8.64e15);
    expect(new Date(8.64e15).getTime()).toBe(8.64e15);
    expect(jwtExpiry(withPayload(b64('{"exp":8640000000001}')))).toBeUndefined();
  });
});
