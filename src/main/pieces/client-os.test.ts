// The Pieces OS sign-in, sign-out and access token calls, against a loopback HTTP server that
// plays each answer (the emulator grows these endpoints on another branch).
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fullWireUser } from '../../../test/support/wire-fixtures';
import { createPiecesClient } from './client';
import type { BaseUrlResolver, PiecesClient } from './types';
import { piecesFailure } from '../../../test/support/pieces-failure';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

const ID = '44444444-4444-4444-8444-444444444444';
let handler: Handler;
let server: http.Server;
let baseUrl: string;
let client: PiecesClient;
let invalidations: number;
/** Requests the server received, as "METHOD path" with their body. */
let received: { where: string; body: string; headers: http.IncomingHttpHeaders }[];
const arrivals = new EventTarget();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ where: `${req.method} ${req.url}`, body, headers: req.headers });
      arrivals.dispatchEvent(new Event('request'));
      handler(req, res, body);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  received = [];
  invalidations = 0;
  const resolver: BaseUrlResolver = {
    resolve: async () => baseUrl,
    invalidate: () => invalidations++,
    tried: () => [baseUrl],
    source: () => 'setting',
  };
  client = createPiecesClient({ resolver });
});

const answer =
  (status: number, text: string, type = 'text/plain'): Handler =>
  (_req, res) =>
    res.writeHead(status, { 'content-type': type }).end(text);

const json = (value: unknown) => answer(200, JSON.stringify(value), 'application/json');

const nextRequest = () =>
  new Promise<void>((resolve) =>
    arrivals.addEventListener('request', () => resolve(), { once: true }),
  );

describe('signInWithPieces', () => {
  it('POSTs /os/sign_in with no body and waits for the person to finish', async () => {
    let finish!: () => void;
    handler = (_req, res) => {
      finish = () =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ...fullWireUser(ID), name: 'Signed In' }));
    };
    const arrived = nextRequest();
    const signIn = client.signInWithPieces();
    await arrived;
    expect(received).toMatchObject([{ where: 'POST /os/sign_in', body: '' }]);
    finish();
    expect(await signIn).toMatchObject({ id: ID, displayName: 'Signed In' });
  });

  it('reports a 500 (seen on some Linux builds) in words, with the status', async () => {
    handler = answer(500, 'sign in failed');
    const err = await piecesFailure(client.signInWithPieces());
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(err.message).toMatch(/internal error.*POST \/os\/sign_in.*sign in failed/);
  });

  it('gives up after its own time limit, and keeps the base URL: Pieces OS is there', async () => {
    handler = () => {}; // never answers
    const err = await piecesFailure(client.signInWithPieces({ timeoutMs: 50 }));
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain('POST /os/sign_in');
    expect(err.message).toContain('50 ms');
    expect(invalidations).toBe(0);
  });

  it('is cancelled by its signal while waiting', async () => {
    handler = () => {};
    const stop = new AbortController();
    const arrived = nextRequest();
    const signIn = piecesFailure(client.signInWithPieces({ signal: stop.signal }));
    await arrived;
    stop.abort();
    expect((await signIn).kind).toBe('cancelled');
  });

  it('refuses an answer that is not a profile', async () => {
    handler = json({ id: '' });
    expect(await piecesFailure(client.signInWithPieces())).toMatchObject({
      kind: 'bad-response',
      path: 'id',
    });
  });

  it('refuses a time limit that is not a positive number before sending', async () => {
    handler = answer(500, 'not reached');
    expect((await piecesFailure(client.signInWithPieces({ timeoutMs: 0 }))).kind).toBe(
      'invalid-input',
    );
    expect(received).toEqual([]);
  });
});

describe('signOutOfOs', () => {
  it('POSTs /os/sign_out and returns the users left', async () => {
    handler = json({ iterable: [fullWireUser(ID)] });
    const left = await client.signOutOfOs();
    expect(left?.map((u) => u.id)).toEqual([ID]);
    expect(received.map((r) => r.where)).toEqual(['POST /os/sign_out']);
  });

  it('returns undefined where Pieces OS has no such endpoint (404)', async () => {
    handler = answer(404, 'Not found');
    expect(await client.signOutOfOs()).toBeUndefined();
  });

  it('reports a 500 with its text', async () => {
    handler = answer(500, 'nobody is signed in');
    const err = await piecesFailure(client.signOutOfOs());
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(err.message).toContain('nobody is signed in');
  });
});

describe('accessToken', () => {
  const SECRET = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl';

  it('GETs /user/access_token and returns the token trimmed', async () => {
    handler = answer(200, `\n${SECRET}\r\n`);
    expect(await client.accessToken()).toBe(SECRET);
    expect(received.map((r) => r.where)).toEqual(['GET /user/access_token']);
  });

  it('returns undefined where Pieces OS has no such endpoint (404)', async () => {
    handler = answer(404, 'Not found');
    expect(await client.accessToken()).toBeUndefined();
  });

  it('reports a 500 with its text', async () => {
    handler = answer(500, 'no user');
    expect(await piecesFailure(client.accessToken())).toMatchObject({ kind: 'http', status: 500 });
  });

  it.each([
    ['empty', '  \n', /is empty/],
    ['huge', 'SECRETpart'.repeat(2000), /larger than 16 KB/],
    ['two words', `SECRET ${SECRET}`, /spaces or control characters/],
    ['a control character', `SECRET\u0000${SECRET}`, /spaces or control characters/],
    ['HTML', `<html><body>SECRET ${SECRET}</body></html>`, /spaces or control characters/],
  ])('refuses a token that is %s, never quoting it', async (_name, body, why) => {
    handler = answer(200, body);
    const err = await piecesFailure(client.accessToken());
    expect(err.kind).toBe('bad-response');
    expect(err.message).toMatch(why);
    expect(err.message).not.toContain('SECRET');
    expect(err.message).not.toContain('eyJ');
  });

  it('accepts a token of exactly 16 KB, and a token that is not a JWT', async () => {
    handler = answer(200, 'a'.repeat(16 * 1024));
    expect(await client.accessToken()).toHaveLength(16 * 1024);
    handler = answer(200, 'opaque-token_123');
    expect(await client.accessToken()).toBe('opaque-token_123');
  });
});
