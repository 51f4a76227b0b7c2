// From a body or a status to a value or to words, one rule at a time: what a bad body is called,
// what each documented status means for which request, and how a server's text is cut down. The
// same paths over real HTTP are in client.test.ts.
import { describe, expect, it } from 'vitest';
import { thrownPiecesError } from '../../../test/support/pieces-failure';
import { z } from 'zod';
import { PiecesError, toAppError } from './errors';
import { checkJson, httpError, parseBody, parseJson, summarize } from './response';

const WHAT = 'the user list';
const WHERE = 'GET /users';

describe('parseJson', () => {
  it('parses JSON with whitespace around it', () => {
    expect(parseJson(' \n{"a":1}\n ', WHAT, WHERE)).toEqual({ a: 1 });
  });

  it.each([
    ['', `Pieces OS sent an empty body instead of ${WHAT} (${WHERE}).`],
    [' \r\n ', `Pieces OS sent an empty body instead of ${WHAT} (${WHERE}).`],
    [
      '  <html><body>Bad gateway</body></html>',
      `Pieces OS sent HTML instead of ${WHAT} (${WHERE}).`,
    ],
    ['{"a":', `Pieces OS sent ${WHAT} that is not valid JSON (${WHERE}).`],
  ])('refuses %j in words, as a bad response without a path', (body, message) => {
    const err = thrownPiecesError(() => parseJson(body, WHAT, WHERE));
    expect(err.kind).toBe('bad-response');
    expect(err.message).toBe(message);
    expect(err.path).toBeUndefined();
  });
});

describe('checkJson', () => {
  const Shape = z.object({ id: z.string() });

  it('gives the checked value', () => {
    expect(checkJson({ id: 'a', extra: 1 }, Shape, WHAT, WHERE)).toEqual({ id: 'a' });
    expect(parseBody('{"id":"b"}', Shape, WHAT, WHERE)).toEqual({ id: 'b' });
  });

  it('uses what the salvage makes of a body the strict check refuses', () => {
    const salvage = (json: unknown) => ({ id: String((json as { id: number }).id) });
    expect(checkJson({ id: 7 }, Shape, WHAT, WHERE, salvage)).toEqual({ id: '7' });
  });

  it('names the bad field when the salvage cannot help either', () => {
    const err = thrownPiecesError(() => checkJson({ id: 7 }, Shape, WHAT, WHERE, () => undefined));
    expect(err.kind).toBe('bad-response');
    expect(err.path).toBe('id');
    expect(err.message).toMatch(
      /^Pieces OS sent the user list in an unexpected shape: id: .+ \(GET \/users\)\.$/,
    );
    expect(thrownPiecesError(() => checkJson(null, Shape, WHAT, WHERE)).path).toBe('(root)');
  });
});

describe('httpError', () => {
  const SIGN_IN = 'POST /users/authenticate/from_token';

  it.each([
    [
      401,
      SIGN_IN,
      'Pieces OS did not accept this token (401): it may have expired or belong to another sign-in provider.',
    ],
    [401, WHERE, 'Pieces OS refused GET /users because it is not authenticated (401).'],
    [404, 'GET /users/abc', 'Pieces OS does not know this user (404, GET /users/abc).'],
    [
      404,
      'POST /users/abc/disconnect',
      'Pieces OS does not know this user (404, POST /users/abc/disconnect).',
    ],
    [410, 'GET /users/abc', 'This user is no longer connected to Pieces OS (410, GET /users/abc).'],
    [
      410,
      'POST /users/abc/disconnect',
      'This user is no longer connected to Pieces OS (410, POST /users/abc/disconnect).',
    ],
    [500, WHERE, 'Pieces OS ran into an internal error (500, GET /users).'],
    [511, WHERE, 'Pieces OS needs you to sign in to Pieces OS itself first (511, GET /users).'],
  ])('says what %i to %s means, keeping the status', (status, where, words) => {
    const err = httpError(status, '', where);
    expect(err.kind).toBe('http');
    expect(err.status).toBe(status);
    expect(err.message).toBe(words);
    expect(httpError(status, 'busy', where).message).toBe(`${words} Pieces OS said: busy`);
  });

  it.each([
    [404, WHERE],
    [404, 'GET /users/abc/picture'],
    [410, 'PUT /users/abc'],
    [404, 'xGET /users/abc'],
    [418, 'GET /users/abc'],
  ])('gives only the status and the text for %i to %s', (status, where) => {
    expect(httpError(status, 'teapot', where).kind).toBe('http');
    expect(httpError(status, 'teapot', where).message).toBe(
      `Pieces OS answered ${status} to ${where}: teapot`,
    );
    const bare = httpError(status, '  ', where);
    expect(bare.message).toBe(`Pieces OS answered ${status} to ${where}.`);
    expect(bare.status).toBe(status);
  });

  it('cuts the secrets it is given out of what the server said', () => {
    const err = httpError(500, 'token abc123 is bad', WHERE, ['abc123']);
    expect(err.message).toBe(
      'Pieces OS ran into an internal error (500, GET /users). Pieces OS said: token [redacted] is bad',
    );
  });
});

describe('summarize', () => {
  it('drops tags, scripts and styles, and collapses whitespace', () => {
    expect(
      summarize(
        '<html><head><style>p { x: 1 }</style><SCRIPT>alert(1)</script ></head>\n<body><p>Bad\t\tgateway</p></body></html>',
      ),
    ).toBe('Bad gateway');
  });

  it('keeps the words on both sides of a tag, a script or a style apart', () => {
    expect(summarize('Bad<br>gateway')).toBe('Bad gateway');
    expect(summarize('Bad<script>x()</script>gateway<style>p{}</style>here')).toBe(
      'Bad gateway here',
    );
  });

  it('replaces every copy of each secret, and skips an empty one', () => {
    expect(summarize('a s1 b s1 c s2', ['s1', '', 's2'])).toBe(
      'a [redacted] b [redacted] c [redacted]',
    );
    expect(summarize('abc', [''])).toBe('abc');
  });

  it('keeps 200 characters whole and cuts a longer text to 199 and an ellipsis', () => {
    const exactly = 'x'.repeat(200);
    expect(summarize(exactly)).toBe(exactly);
    expect(summarize(`${'y'.repeat(198)} zz`)).toBe(`${'y'.repeat(198)}…`);
    expect(summarize('z'.repeat(201))).toBe(`${'z'.repeat(199)}…`);
  });
});

describe('errors as values', () => {
  it('keeps the kind, status and path of a PiecesError, and only those it has', () => {
    const full = new PiecesError('http', 'said no', { status: 401, path: 'a.b' });
    expect(full.name).toBe('PiecesError');
    expect(full.toAppError()).toEqual({
      kind: 'http',
      message: 'said no',
      status: 401,
      path: 'a.b',
    });
    const bare = new PiecesError('unreachable', 'not there');
    expect(bare.toAppError()).toStrictEqual({ kind: 'unreachable', message: 'not there' });
  });

  it('says anything else went wrong inside the app, without a stack', () => {
    expect(toAppError(new PiecesError('timeout', 'slow'))).toEqual({
      kind: 'timeout',
      message: 'slow',
    });
    expect(toAppError(new TypeError('x is undefined'))).toStrictEqual({
      kind: 'internal',
      message: 'Something went wrong inside the app: x is undefined',
    });
    expect(toAppError('plain')).toStrictEqual({
      kind: 'internal',
      message: 'Something went wrong inside the app: plain',
    });
  });
});
