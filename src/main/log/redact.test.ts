// The redactor's edges, one promise per test: which keys and shapes count as secrets, which do not,
// and the limits that keep a log call cheap. (What reaches the log file: logger.test.ts.)
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_LENGTH, REDACTED, createRedactor, isSecretKey } from './redact';

describe('secret keys', () => {
  it('are known whatever their case, underscores or dashes', () => {
    for (const key of [
      'access_token',
      'accessToken',
      'ACCESS-TOKEN',
      'refresh_token',
      'id_token',
      'Authorization',
      'proxy-authorization',
      'cookie',
      'Set-Cookie',
      'password',
      'client_secret',
      'cloudKey',
    ]) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['token_type', 'expires_in', 'email', 'tokens', 'passwordHint', 'id']) {
      expect(isSecretKey(key), key).toBe(false);
    }
  });

  it('blank their values in text: quoted, unquoted, headers, query strings', () => {
    const r = createRedactor();
    const cases: [string, string][] = [
      ['access_token=abc123&x=1', `access_token=${REDACTED}&x=1`],
      ['refresh-token: "r\\"x" rest', `refresh-token: ${REDACTED} rest`],
      ["idToken='i.d' rest", `idToken=${REDACTED} rest`],
      ['client_secret = s3cr3t;', `client_secret = ${REDACTED};`],
      ['clientSecret=s3cr3t', `clientSecret=${REDACTED}`],
      ['cloudkey=ck2', `cloudkey=${REDACTED}`],
      ['cloud_key=ck1}', `cloud_key=${REDACTED}}`],
      ['password: hunter2, next', `password: ${REDACTED}, next`],
      ['Proxy-Authorization: Basic dXNlcg== tail', `Proxy-Authorization: ${REDACTED} tail`],
      ['Authorization: Bearer abc.def-ghi end', `Authorization: ${REDACTED} end`],
      ['Set-Cookie: sid=1', `Set-Cookie: ${REDACTED}`],
      ['Cookie: sid=1', `Cookie: ${REDACTED}`],
      [
        '{"access_token":"a","token_type":"Bearer"}',
        `{"access_token":${REDACTED},"token_type":"Bearer"}`,
      ],
    ];
    for (const [text, expected] of cases) expect(r.redact(text), text).toBe(expected);
  });

  it('leave words that only contain a key name alone', () => {
    const r = createRedactor();
    for (const text of [
      'the access_tokens list',
      'mypassword=x',
      'cookies: 3',
      'token_type=Bearer',
    ]) {
      expect(r.redact(text), text).toBe(text);
    }
  });

  it('in a value keep null and undefined (nothing to hide), blank anything else', () => {
    const r = createRedactor();
    expect(
      JSON.stringify(
        r.redactValue({ access_token: null, refresh_token: undefined, id_token: 0, password: '' }),
      ),
    ).toBe(`{"access_token":null,"id_token":"${REDACTED}","password":"${REDACTED}"}`);
  });
});

describe('JWTs and bearer credentials in free text', () => {
  it('blanks a JWT with or without its signature, and keeps the bearer word', () => {
    const r = createRedactor();
    expect(r.redact('x eyJhbGciOi.eyJzdWIiOi.sig y')).toBe(`x ${REDACTED} y`);
    expect(r.redact('x eyJhbGciOi.eyJzdWIiOi. y')).toBe(`x ${REDACTED} y`);
    expect(r.redact('eyJshort.eyJ.x')).toBe('eyJshort.eyJ.x'); // too short to be one
    expect(r.redact('sent bearer abcdefgh.ij==, done')).toBe(`sent bearer ${REDACTED}, done`);
    expect(r.redact('sent BEARER abcdefgh')).toBe(`sent BEARER ${REDACTED}`);
    expect(r.redact('a bearer of bad news')).toBe('a bearer of bad news');
    expect(r.redact('bearer abcdefg')).toBe('bearer abcdefg'); // seven characters: no credential
  });
});

describe('registered secrets', () => {
  it('count from MIN_SECRET_LENGTH characters, strings only', () => {
    const r = createRedactor();
    const short = 'x'.repeat(MIN_SECRET_LENGTH - 1);
    const long = 'y'.repeat(MIN_SECRET_LENGTH);
    r.addSecret(short);
    r.addSecret(long);
    r.addSecret(12345678);
    expect(r.redact(`${short} ${long} 12345678`)).toBe(`${short} ${REDACTED} 12345678`);
  });

  it('replace every occurrence, a longer secret whole even when it contains a shorter one', () => {
    const r = createRedactor();
    r.addSecret('secret-one');
    r.addSecret('secret-one-and-more');
    r.addSecret('secret-one'); // again: no change
    expect(r.redact('secret-one-and-more, secret-one, secret-one')).toBe(
      `${REDACTED}, ${REDACTED}, ${REDACTED}`,
    );
  });

  it('are every credential of a token, and nothing else of it', () => {
    const r = createRedactor();
    r.addToken({
      access_token: 'access-value-1',
      refresh_token: 'refresh-value-2',
      id_token: 'id-token-value-3',
      token_type: 'Bearer-ish-type',
    });
    r.addToken(null);
    r.addToken('not-a-token-object');
    expect(r.redact('access-value-1 refresh-value-2 id-token-value-3 Bearer-ish-type')).toBe(
      `${REDACTED} ${REDACTED} ${REDACTED} Bearer-ish-type`,
    );
    expect(r.redact('not-a-token-object')).toBe('not-a-token-object');
  });

  it('keep the most recent thousand: the oldest is forgotten first', () => {
    const r = createRedactor();
    const secret = (i: number) => `secret-${String(i).padStart(5, '0')}`;
    for (let i = 0; i <= 1_000; i++) r.addSecret(secret(i));
    expect(r.redact(secret(0))).toBe(secret(0));
    expect(r.redact(secret(1))).toBe(REDACTED);
    expect(r.redact(secret(1_000))).toBe(REDACTED);
  });
});

describe('values', () => {
  it('turn what JSON cannot hold into words', () => {
    const r = createRedactor();
    expect(
      r.redactValue({ big: 12n, fn: () => 1, sym: Symbol('s'), n: 1, b: false, nil: null }),
    ).toEqual({ big: '12n', fn: '[function]', sym: '[symbol]', n: 1, b: false, nil: null });
    const err = new TypeError('bad Bearer abcdefgh123');
    expect(r.redactValue(err)).toEqual({ name: 'TypeError', message: `bad Bearer ${REDACTED}` });
  });

  it('cut nesting at eight levels, and tell a repeated value from a cycle', () => {
    const r = createRedactor();
    const nested = (levels: number): unknown => {
      let value: unknown = 'bottom';
      for (let i = 0; i < levels; i++) value = [value];
      return value;
    };
    expect(JSON.stringify(r.redactValue(nested(8)))).toBe(`[[[[[[[["bottom"]]]]]]]]`);
    expect(JSON.stringify(r.redactValue(nested(9)))).toBe(`[[[[[[[["[nested too deep]"]]]]]]]]`);
    const shared = { a: 1 };
    expect(r.redactValue({ x: shared, y: shared, z: [shared] })).toEqual({
      x: { a: 1 },
      y: { a: 1 },
      z: [{ a: 1 }],
    });
  });
});
