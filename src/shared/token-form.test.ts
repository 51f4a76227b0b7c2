import { describe, expect, it } from 'vitest';
import { parseTokenJson, validateTokenFields, type TokenFields } from './token-form';

const good: TokenFields = { accessToken: 'abc.def.ghi', tokenType: 'Bearer', expiresIn: '3600' };

describe('validateTokenFields', () => {
  it('accepts a complete form and trims the token', () => {
    expect(validateTokenFields({ ...good, accessToken: '  abc.def.ghi \n' })).toEqual({
      ok: true,
      token: { access_token: 'abc.def.ghi', token_type: 'Bearer', expires_in: 3600 },
    });
  });

  it('requires an access token', () => {
    const r = validateTokenFields({ ...good, accessToken: '   ' });
    expect(r).toEqual({ ok: false, errors: { access_token: 'Access token is required.' } });
  });

  it('refuses a token with spaces, and explains a pasted "Bearer " prefix', () => {
    const spaced = validateTokenFields({ ...good, accessToken: 'abc def' });
    expect(!spaced.ok && spaced.errors.access_token).toMatch(/cannot contain spaces/);
    const bearer = validateTokenFields({ ...good, accessToken: 'Bearer abc' });
    expect(!bearer.ok && bearer.errors.access_token).toMatch(/leave out the word “Bearer”/);
  });

  it('refuses a token type other than Bearer', () => {
    const r = validateTokenFields({ ...good, tokenType: 'MAC' });
    expect(r).toEqual({ ok: false, errors: { token_type: 'Token type must be Bearer.' } });
  });

  it('requires the expiry', () => {
    const r = validateTokenFields({ ...good, expiresIn: '' });
    expect(!r.ok && r.errors.expires_in).toMatch(/Expiry is required/);
  });

  it('refuses a negative, fractional, zero or non-numeric expiry', () => {
    const error = (expiresIn: string) => {
      const r = validateTokenFields({ ...good, expiresIn });
      return r.ok ? null : r.errors.expires_in;
    };
    expect(error('-5')).toBe('Expiry cannot be negative.');
    expect(error('1.5')).toBe('Expiry must be a whole number of seconds.');
    expect(error('0')).toBe('Expiry must be at least 1 second.');
    expect(error('soon')).toBe('Expiry must be a number of seconds, for example 3600.');
    expect(error('1e3')).toBe('Expiry must be a number of seconds, for example 3600.');
  });

  it('reports every bad field at once', () => {
    const r = validateTokenFields({ accessToken: '', tokenType: 'x', expiresIn: '-1' });
    expect(r.ok).toBe(false);
    expect(Object.keys(!r.ok ? r.errors : {}).sort()).toEqual([
      'access_token',
      'expires_in',
      'token_type',
    ]);
  });
});

describe('parseTokenJson', () => {
  it('accepts a pasted token JSON', () => {
    const r = parseTokenJson(
      ' {"access_token": "eyJ.abc.def", "token_type": "Bearer", "expires_in": 3600, "scope": "openid", "id_token": "x.y.z"} ',
    );
    expect(r).toEqual({
      ok: true,
      token: {
        access_token: 'eyJ.abc.def',
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'openid',
        id_token: 'x.y.z',
      },
    });
  });

  it('reads token_type case-insensitively and defaults it to Bearer', () => {
    const lower = parseTokenJson('{"access_token":"t","token_type":"bearer","expires_in":60}');
    expect(lower.ok && lower.token.token_type).toBe('Bearer');
    const missing = parseTokenJson('{"access_token":"t","expires_in":60}');
    expect(missing.ok && missing.token.token_type).toBe('Bearer');
  });

  it('accepts expires_in given as a numeric string', () => {
    const r = parseTokenJson('{"access_token":"t","expires_in":"3600"}');
    expect(r.ok && r.token.expires_in).toBe(3600);
  });

  it('asks for something when the field is empty', () => {
    expect(parseTokenJson('  ')).toEqual({
      ok: false,
      errors: { json: 'Paste the OAuth token JSON.' },
    });
  });

  it('refuses garbage that is not JSON', () => {
    const r = parseTokenJson('{"access_token": "abc", ');
    expect(r).toEqual({
      ok: false,
      errors: { json: 'This is not valid JSON. Paste the whole token, from { to }.' },
    });
  });

  it('points a bare token to the "Enter fields" mode', () => {
    const r = parseTokenJson('eyJhbGciOiJSUzI1NiJ9.payload.sig');
    expect(!r.ok && r.errors.json).toMatch(/bare access token.*Enter fields/);
  });

  it('refuses JSON that is not an object', () => {
    for (const text of ['[1,2]', '"token"', '42', 'null']) {
      const r = parseTokenJson(text);
      expect(!r.ok && r.errors.json).toMatch(/must be a JSON object/);
    }
  });

  it('refuses a token without access_token', () => {
    const r = parseTokenJson('{"token_type":"Bearer","expires_in":3600}');
    expect(r).toEqual({ ok: false, errors: { access_token: 'The token has no access_token.' } });
  });

  it('refuses a non-string or blank access_token', () => {
    const number = parseTokenJson('{"access_token":42,"expires_in":3600}');
    expect(!number.ok && number.errors.access_token).toBe('access_token must be a string.');
    const blank = parseTokenJson('{"access_token":"  ","expires_in":3600}');
    expect(!blank.ok && blank.errors.access_token).toBe('access_token is required.');
  });

  it('refuses a negative or missing expires_in', () => {
    const negative = parseTokenJson('{"access_token":"t","expires_in":-3600}');
    expect(negative).toEqual({
      ok: false,
      errors: { expires_in: 'expires_in cannot be negative.' },
    });
    const missing = parseTokenJson('{"access_token":"t"}');
    expect(!missing.ok && missing.errors.expires_in).toMatch(/has no expires_in/);
    const text = parseTokenJson('{"access_token":"t","expires_in":"soon"}');
    expect(!text.ok && text.errors.expires_in).toMatch(/number of seconds/);
  });

  it('refuses an unknown token_type and non-string optional fields', () => {
    const r = parseTokenJson('{"access_token":"t","expires_in":1,"token_type":"MAC","scope":[1]}');
    expect(r).toEqual({
      ok: false,
      errors: { token_type: 'token_type must be "Bearer".', scope: 'scope must be a string.' },
    });
  });
});

describe('an expired token', () => {
  const jwt = (payload: object): string =>
    ['{"alg":"none"}', JSON.stringify(payload), 'sig']
      .map((part, i) => (i === 2 ? part : btoa(part).replace(/=+$/, '')))
      .join('.');

  it('says it expired, in words, before anything is sent', async () => {
    const { parseTokenJson, expiredTokenError } = await import('./token-form');
    const old = jwt({ sub: 'u1', exp: 1_600_000_000 });
    const result = parseTokenJson(JSON.stringify({ access_token: old, expires_in: 3600 }));
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors.access_token).toMatch(/^This token expired on .+\. Get a new one/);
    expect(expiredTokenError(jwt({ exp: 4_000_000_000 }))).toBeNull();
    expect(expiredTokenError('opaque-token')).toBeNull();
  });
});
