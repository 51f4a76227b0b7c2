// The client against the project's Pieces OS emulator, over real HTTP on an ephemeral loopback port.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import type { OAuthTokenInput } from '../../shared/domain';
import { createBaseUrlResolver } from './base-url';
import { createPiecesClient } from './client';
import { PiecesError } from './errors';
import type { BaseUrlResolver, PiecesClient } from './types';
import { piecesFailure } from '../../../test/support/pieces-failure';
import { closedPort } from '../../../test/support/ports';

let emu: Emulator;
let resolver: BaseUrlResolver;
let client: PiecesClient;

beforeAll(async () => {
  emu = await startEmulator({ users: 3, seed: 7, version: '12.3.4-test' });
});

afterAll(async () => {
  await emu.close();
});

beforeEach(() => {
  emu.reset();
  resolver = createBaseUrlResolver({ setting: () => emu.url, env: {} });
  client = createPiecesClient({ resolver });
});

const seededIds = () => emu.users().map((u) => (u as { id: string }).id);
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('endpoints', () => {
  it('listUsers returns every connected user as a domain profile', async () => {
    const users = await client.listUsers();
    expect(users.map((u) => u.id)).toEqual(seededIds());
    for (const user of users) {
      expect(user.displayName).not.toBe('');
      expect(Array.isArray(user.providers)).toBe(true);
      expect(typeof user.darkTheme).toBe('boolean');
    }
  });

  it('getUser returns that user', async () => {
    const id = seededIds()[1]!;
    const user = await client.getUser(id);
    expect(user.id).toBe(id);
    expect(user.email).toBe((emu.users()[1] as { email: string }).email);
  });

  it('signInWithToken connects the user, makes them current, and returns them', async () => {
    const token = emu.mintToken({ email: 'new.person@example.com', name: 'New Person' });
    const user = await client.signInWithToken(token);
    expect(user).toMatchObject({ email: 'new.person@example.com', displayName: 'New Person' });
    expect(emu.currentUserId()).toBe(user.id);
    expect((await client.listUsers()).map((u) => u.id)).toContain(user.id);
    expect((await client.currentUser())?.id).toBe(user.id);
  });

  it('disconnect removes the user and returns those left', async () => {
    const [first, ...rest] = seededIds();
    const left = await client.disconnect(first!);
    expect(left.map((u) => u.id)).toEqual(rest);
    expect(seededIds()).not.toContain(first);
  });

  it('currentUser returns the current user, then null once nobody is current', async () => {
    const current = emu.currentUserId()!;
    expect((await client.currentUser())?.id).toBe(current);
    await client.disconnect(current);
    expect(await client.currentUser()).toBeNull();
  });

  it('currentUser returns undefined when this Pieces OS has no GET /user (404)', async () => {
    emu.setFaults({ currentUser: { status: 404, body: 'Not Found' } });
    expect(await client.currentUser()).toBeUndefined();
  });

  it('health resolves when Pieces OS says ok', async () => {
    await expect(client.health()).resolves.toBeUndefined();
    expect(emu.requestCount('health')).toBe(1);
  });

  it('health fails with bad-response when the answer is 200 but not ok', async () => {
    emu.setFaults({ health: { status: 200, body: 'degraded: database locked' } });
    const err = await piecesFailure(client.health());
    expect(err.kind).toBe('bad-response');
    expect(err.message).toContain('degraded: database locked');
  });

  it('version returns the trimmed version text', async () => {
    expect(await client.version()).toBe('12.3.4-test');
  });

  it('version returns undefined when the server has no version endpoint (404)', async () => {
    emu.setFaults({ version: { status: 404 } });
    expect(await client.version()).toBeUndefined();
  });

  it('baseUrl and triedUrls report the resolver', async () => {
    expect(await client.baseUrl()).toBe(emu.url);
    expect(client.triedUrls()).toEqual([emu.url]);
  });
});

describe('HTTP errors', () => {
  it('maps a 500 text answer to http with the status and the text', async () => {
    emu.setFaults({
      listUsers: { status: 500, body: 'Internal error:\n\n  database   is locked' },
    });
    const err = await piecesFailure(client.listUsers());
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(err.message).toContain('Internal error: database is locked');
  });

  it('maps an unknown user to http 404 with the server text', async () => {
    const err = await piecesFailure(client.getUser(UNKNOWN_ID));
    expect(err).toMatchObject({ kind: 'http', status: 404 });
    expect(err.message).toContain('No user');
  });

  it('maps a disconnected user to http 410', async () => {
    const id = seededIds()[0]!;
    await client.disconnect(id);
    const err = await piecesFailure(client.disconnect(id));
    expect(err).toMatchObject({ kind: 'http', status: 410 });
    expect(err.message).toMatch(
      new RegExp(
        `^This user is no longer connected to Pieces OS \\(410, POST /users/${id}/disconnect\\)\\.`,
      ),
    );
  });

  it('maps a refused token to http 401', async () => {
    const token: OAuthTokenInput = {
      access_token: 'not-a-minted-token',
      token_type: 'Bearer',
      expires_in: 60,
    };
    const err = await piecesFailure(client.signInWithToken(token));
    expect(err).toMatchObject({ kind: 'http', status: 401 });
    expect(err.message).toMatch(
      /^Pieces OS did not accept this token \(401\): it may have expired or belong to another sign-in provider\.$/,
    );
  });

  it('says in words that an expired token was not accepted, keeping http 401', async () => {
    const token = emu.mintToken({ email: 'late@example.com', expires_in: 0 });
    const err = await piecesFailure(client.signInWithToken(token));
    expect(err).toMatchObject({ kind: 'http', status: 401 });
    expect(err.message).toContain('Pieces OS did not accept this token (401)');
    expect(err.message).not.toContain(token.access_token);
  });

  it.each<[string, () => Promise<unknown>, object, number, RegExp]>([
    [
      '511 (sign in to Pieces OS first)',
      () => client.listUsers(),
      { listUsers: { status: 511, body: 'Login required' } },
      511,
      /^Pieces OS needs you to sign in to Pieces OS itself first \(511, GET \/users\)\. Pieces OS said: Login required$/,
    ],
    [
      '511 on a sign-in',
      () => client.signInWithToken(emu.mintToken({ email: 'x@example.com' })),
      { signIn: { status: 511, body: '' } },
      511,
      /^Pieces OS needs you to sign in to Pieces OS itself first \(511, POST \/users\/authenticate\/from_token\)\.$/,
    ],
    [
      '401 on the user list',
      () => client.listUsers(),
      { listUsers: { status: 401, body: 'Unauthorized' } },
      401,
      /^Pieces OS refused GET \/users because it is not authenticated \(401\)\. Pieces OS said: Unauthorized$/,
    ],
    [
      '500',
      () => client.currentUser(),
      { currentUser: { status: 500, body: 'boom' } },
      500,
      /^Pieces OS ran into an internal error \(500, GET \/user\)\. Pieces OS said: boom$/,
    ],
    [
      '404 for one user',
      () => client.getUser(UNKNOWN_ID),
      {},
      404,
      new RegExp(`^Pieces OS does not know this user \\(404, GET /users/${UNKNOWN_ID}\\)\\.`),
    ],
    [
      'a status it does not document (503), as before',
      () => client.listUsers(),
      { listUsers: { status: 503, body: 'busy' } },
      503,
      /^Pieces OS answered 503 to GET \/users: busy$/,
    ],
  ])('words a documented status: %s', async (_, call, faults, status, message) => {
    emu.setFaults(faults);
    const err = await piecesFailure(call());
    expect(err).toMatchObject({ kind: 'http', status });
    expect(err.message).toMatch(message);
  });

  it('shortens a long HTML error page to text of about 200 characters', async () => {
    const page = `<html><head><style>body{color:red}</style></head><body><h1>Bad Gateway</h1><p>${'x'.repeat(1000)}</p></body></html>`;
    emu.setFaults({ listUsers: { status: 502, body: page } });
    const err = await piecesFailure(client.listUsers());
    expect(err).toMatchObject({ kind: 'http', status: 502 });
    expect(err.message).toContain('Bad Gateway x');
    expect(err.message).not.toMatch(/[<>]|color:red/);
    expect(err.message.length).toBeLessThan(300);
  });
});

describe('bad responses', () => {
  it('reports malformed JSON as bad-response', async () => {
    emu.setFaults({ listUsers: { malformedJson: true } });
    const err = await piecesFailure(client.listUsers());
    expect(err.kind).toBe('bad-response');
    expect(err.message).toMatch(/not valid JSON/);
  });

  it('names the missing required field of the first user in path', async () => {
    emu.setFaults({ listUsers: { missingField: 'id' } });
    expect(await piecesFailure(client.listUsers())).toMatchObject({
      kind: 'bad-response',
      path: 'iterable.0.id',
    });
  });

  it('names a missing aesthetics on a single user', async () => {
    emu.setFaults({ getUser: { missingField: 'aesthetics' } });
    expect(await piecesFailure(client.getUser(seededIds()[0]!))).toMatchObject({
      kind: 'bad-response',
      path: 'aesthetics',
    });
  });

  it('reports an HTML page with status 200 as bad-response', async () => {
    emu.setFaults({ listUsers: { html: true } });
    const err = await piecesFailure(client.listUsers());
    expect(err.kind).toBe('bad-response');
    expect(err.message).toMatch(/HTML/);
  });

  it('reports an empty 200 body as bad-response', async () => {
    emu.setFaults({ getUser: { status: 200, body: '' } });
    const err = await piecesFailure(client.getUser(seededIds()[0]!));
    expect(err.kind).toBe('bad-response');
    expect(err.message).toMatch(/empty/);
  });

  it('accepts unknown extra keys and unknown enum values', async () => {
    emu.setFaults({ '*': { extraFields: true } });
    expect((await client.listUsers()).map((u) => u.id)).toEqual(seededIds());
    expect((await client.currentUser())?.id).toBe(emu.currentUserId());
  });
});

describe('transport errors', () => {
  it('maps a refused connection to unreachable naming the URL, and invalidates the resolver', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    resolver = createBaseUrlResolver({ setting: () => url, env: {} });
    client = createPiecesClient({ resolver });
    const err = await piecesFailure(client.listUsers());
    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe(`Pieces OS is not reachable at ${url}.`);
    expect(resolver.source()).toBeUndefined();
  });

  it('maps a dropped connection to unreachable and invalidates the resolver', async () => {
    emu.setFaults({ listUsers: { drop: true } });
    await client.baseUrl();
    expect(resolver.source()).toBe('setting');
    expect((await piecesFailure(client.listUsers())).kind).toBe('unreachable');
    expect(resolver.source()).toBeUndefined();
  });

  it('maps no answer within the timeout to timeout and invalidates the resolver', async () => {
    emu.setFaults({ listUsers: { latencyMs: 3000 } });
    client.setTimeout(150);
    await client.baseUrl();
    const err = await piecesFailure(client.listUsers());
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain(emu.url);
    expect(resolver.source()).toBeUndefined();
  });

  it('times out a body that trickles in, not only a silent server', async () => {
    // Each chunk arrives well within the timeout; the whole answer does not.
    emu.setFaults({ listUsers: { trickleMs: 100 } });
    client = createPiecesClient({ resolver, timeoutMs: 300 });
    expect((await piecesFailure(client.listUsers())).kind).toBe('timeout');
  });

  it('maps an aborted signal to cancelled', async () => {
    emu.setFaults({ listUsers: { latencyMs: 3000 } });
    const controller = new AbortController();
    const pending = client.listUsers({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect((await piecesFailure(pending)).kind).toBe('cancelled');
  });

  it('sends nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect((await piecesFailure(client.listUsers({ signal: controller.signal }))).kind).toBe(
      'cancelled',
    );
    expect(emu.requestCount()).toBe(0);
  });
});

describe('invalid input is refused before any request', () => {
  it.each(['', '..', 'a\u0000b', 'x'.repeat(257)])(
    'refuses user id %j for getUser and disconnect',
    async (id) => {
      expect(await piecesFailure(client.getUser(id))).toMatchObject({
        kind: 'invalid-input',
        path: 'id',
      });
      expect(await piecesFailure(client.disconnect(id))).toMatchObject({ kind: 'invalid-input' });
      expect(emu.requestCount()).toBe(0);
    },
  );

  it('refuses a token that fails the OAuthToken shape, naming the field', async () => {
    const token = { access_token: 'emu_secret_value', token_type: 'Bearer', expires_in: 'soon' };
    const err = await piecesFailure(client.signInWithToken(token as unknown as OAuthTokenInput));
    expect(err).toMatchObject({ kind: 'invalid-input', path: 'expires_in' });
    expect(err.message).not.toContain('emu_secret_value');
    expect(emu.requestCount('signIn')).toBe(0);
  });

  it('refuses a timeout that is not a positive number', () => {
    expect(() => client.setTimeout(0)).toThrow(PiecesError);
    expect(() => createPiecesClient({ resolver, timeoutMs: Number.NaN })).toThrow(PiecesError);
  });
});

describe('tokens never appear in error messages', () => {
  it.each([
    [
      'a 401 that echoes the token',
      (t: string) => ({ signIn: { status: 401, body: `bad token ${t}` } }),
    ],
    [
      'a 500 HTML page quoting it',
      (t: string) => ({ signIn: { status: 500, body: `<p>${t}</p>` } }),
    ],
    ['malformed JSON', () => ({ signIn: { malformedJson: true } })],
    ['an HTML 200', () => ({ signIn: { html: true } })],
    ['a missing field', () => ({ signIn: { missingField: 'id' } })],
    ['a dropped connection', () => ({ signIn: { drop: true } })],
    ['a slow server', () => ({ signIn: { latencyMs: 2000 } })],
  ])('after %s', async (_label, faults) => {
    const token = emu.mintToken({ email: 'secret.keeper@example.com' });
    const secrets = [token.access_token, 'refresh-secret-1', 'id-secret-1'];
    emu.setFaults(faults(token.access_token));
    client.setTimeout(200);
    const err = await piecesFailure(
      client.signInWithToken({ ...token, refresh_token: secrets[1], id_token: secrets[2] }),
    );
    for (const secret of secrets) {
      expect(err.message).not.toContain(secret);
      expect(JSON.stringify(err.toAppError())).not.toContain(secret);
    }
  });

  it('quotes nothing a server said to a call that carried a token, echo or not', async () => {
    const token = emu.mintToken({ email: 'echo@example.com' });
    const cut = token.access_token.slice(2, 16);
    emu.setFaults({ signIn: { status: 500, body: `Unauthorized: ${encodeURIComponent(cut)}` } });
    const err = await piecesFailure(client.signInWithToken(token));
    expect(err.message).toBe(
      'Pieces OS ran into an internal error (500, POST /users/authenticate/from_token).',
    );
  });

  it('cuts known secrets out of what a server said to other calls', async () => {
    const secret = 'an-earlier-token-Zq7Kx2Pw9Lm4';
    const scrubbing = createPiecesClient({
      resolver: createBaseUrlResolver({ env: { PIECES_OS_URL: emu.url } }),
      redact: (text) => text.split(secret.slice(3, 20)).join('[redacted]'),
    });
    emu.setFaults({ listUsers: { status: 503, body: `busy with ${secret.slice(3, 20)} now` } });
    const err = await piecesFailure(scrubbing.listUsers());
    expect(err.message).toBe('Pieces OS answered 503 to GET /users: busy with [redacted] now');
  });
});
