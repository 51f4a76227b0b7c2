import { describe, expect, it } from 'vitest';
import { jwtExpiry } from './jwt-expiry';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const jwt = (claims: unknown) => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2ln`;

describe('jwtExpiry', () => {
  it('reads exp (seconds) as epoch milliseconds, unsigned or not: only its date is used', () => {
    expect(jwtExpiry(jwt({ sub: 'ada', exp: 1_900_000_000 }))).toBe(1_900_000_000_000);
    expect(jwtExpiry(jwt({ exp: 1_900_000_000.5 }))).toBe(1_900_000_000_500);
    expect(jwtExpiry(`${b64({ alg: 'none' })}.${b64({ exp: 1_800_000_000 })}.`)).toBe(
      1_800_000_000_000,
    );
  });

  it.each([
    ['an opaque token', 'opaque-token_123'],
    ['an empty string', ''],
    ['two parts', `${b64({})}.${b64({ exp: 1 })}`],
    ['five parts (an encrypted JWE)', 'a.b.c.d.e'],
    ['a payload that is not base64url', `${b64({})}.***.sig`],
    ['a payload that is not JSON', `${b64({})}.${b64('not json')}.sig`],
    ['a payload that is not an object', `${b64({})}.${b64('42')}.sig`],
    ['no exp', jwt({ sub: 'ada' })],
    ['exp as a string', jwt({ exp: '1900000000' })],
    ['exp zero or negative', jwt({ exp: -5 })],
    ['exp beyond any date', jwt({ exp: 1e300 })],
    ['a huge payload', `${b64({})}.${'A'.repeat(20_000)}.sig`],
  ])('is undefined for %s', (_name, token) => {
    expect(jwtExpiry(token)).toBeUndefined();
  });
});
