// The client's smaller rules, each checked against the emulator or a loopback server over real
// HTTP: what an error names (the call and the thing expected), which status counts as success,
// when the resolver is told to look again, and what the version and health answers may be.
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createBaseUrlResolver } from './base-url';
import { createPiecesClient, type PiecesClientOptions } from './client';
import type { BaseUrlResolver } from './types';
import { useEmulator } from '../../../test/support/shared-emulator';
import { useLoopbackServers } from '../../../test/support/loopback-servers';
import { piecesFailure, thrownPiecesError } from '../../../test/support/pieces-failure';
import { IN_STEPS_ABOVE_BYTES } from './users-in-steps';

const emu = useEmulator({ users: 3, seed: 11, version: '7.0.0-rules' });
const servers = useLoopbackServers();

/** The emulator's resolver, counting how often the client asks it to look again. */
function countingResolver(): BaseUrlResolver & { invalidations: number } {
  const inner = createBaseUrlResolver({ setting: () => emu().url, env: {} });
  const counting = {
    ...inner,
    invalidations: 0,
    invalidate() {
      counting.invalidations += 1;
      inner.invalidate();
    },
  };
  return counting;
}

const clientOf = (extra: Partial<PiecesClientOptions> = {}) =>
  createPiecesClient({ resolver: countingResolver(), ...extra });

const firstId = () => (emu().users()[0] as { id: string }).id;

describe('what a bad answer names', () => {
  it('names the user list, a user, the current user and the remaining users', async () => {
    const client = clientOf();
    const id = firstId();
    emu().setFaults({
      listUsers: { malformedJson: true },
      getUser: { malformedJson: true },
      currentUser: { malformedJson: true },
      disconnect: { malformedJson: true },
    });
    expect((await piecesFailure(client.listUsers())).message).toBe(
      'Pieces OS sent the user list that is not valid JSON (GET /users).',
    );
    expect((await piecesFailure(client.getUser(id))).message).toBe(
      `Pieces OS sent a user that is not valid JSON (GET /users/${id}).`,
    );
    expect((await piecesFailure(client.currentUser())).message).toBe(
      'Pieces OS sent the current user that is not valid JSON (GET /user).',
    );
    expect((await piecesFailure(client.disconnect(id))).message).toBe(
      `Pieces OS sent the remaining users that is not valid JSON (POST /users/${id}/disconnect).`,
    );
  });

  it('names the signed-in user and the remaining users of the sign-in calls', async () => {
    const client = clientOf();
    emu().setFaults({ signIn: { malformedJson: true } });
    const token = emu().mintToken({ email: 'rules@example.com', name: 'Rules' });
    expect((await piecesFailure(client.signInWithToken(token))).message).toBe(
      'Pieces OS sent the signed-in user that is not valid JSON (POST /users/authenticate/from_token).',
    );
    // A loopback server answers the Pieces OS sign-in at once, where the emulator waits for a form.
    const { url } = await servers.serve((_req, res) => res.end('{not json'));
    expect((await piecesFailure(client.signInWithPieces({ baseUrl: url }))).message).toBe(
      'Pieces OS sent the signed-in user that is not valid JSON (POST /os/sign_in).',
    );
    expect((await piecesFailure(client.signOutOfOs({ baseUrl: url }))).message).toBe(
      'Pieces OS sent the remaining users that is not valid JSON (POST /os/sign_out).',
    );
  });

  it('names the user list when a list too long for one go is not JSON', async () => {
    const body = `{"iterable":[${' '.repeat(IN_STEPS_ABOVE_BYTES)}nope]}`;
    const { url } = await servers.serve((_req, res) => res.end(body));
    const err = await piecesFailure(clientOf().listUsers({ baseUrl: url }));
    expect(err.kind).toBe('bad-response');
    expect(err.message).toContain('the user list');
    expect(err.message).toContain('(GET /users)');
  });

  it('names the call of an error status as its method and path', async () => {
    const client = clientOf();
    emu().setFaults({
      health: { status: 418, body: 'ok' },
      version: { status: 418, body: '1.2.3' },
      accessToken: { status: 418, body: 'teapot' },
    });
    // The body "ok" or a version number does not make an error status a success.
    const health = await piecesFailure(client.health());
    expect(health).toMatchObject({ kind: 'http', status: 418 });
    expect(health.message).toBe('Pieces OS answered 418 to GET /.well-known/health: ok');
    const version = await piecesFailure(client.version());
    expect(version).toMatchObject({ kind: 'http', status: 418 });
    expect(version.message).toBe('Pieces OS answered 418 to GET /.well-known/version: 1.2.3');
    const token = await piecesFailure(client.accessToken());
    expect(token.message).toBe('Pieces OS answered 418 to GET /user/access_token: teapot');
  });
});

describe('success is a 2xx status', () => {
  it('takes a 300 as an error, not as the user', async () => {
    const user = emu().users()[0];
    const { url } = await servers.serve((_req, res) => {
      res.writeHead(300, { 'content-type': 'application/json' });
      res.end(JSON.stringify(user));
    });
    const err = await piecesFailure(clientOf().getUser(firstId(), { baseUrl: url }));
    expect(err).toMatchObject({ kind: 'http', status: 300 });
  });
});

describe('health and version answers', () => {
  it('says "nothing" when a 200 health answer is empty', async () => {
    emu().setFaults({ health: { status: 200, body: '' } });
    const err = await piecesFailure(clientOf().health());
    expect(err.kind).toBe('bad-response');
    expect(err.message).toBe('Pieces OS is not healthy: it said nothing.');
  });

  it('trims the version text and refuses an HTML page in its place', async () => {
    const client = clientOf();
    emu().setFaults({ version: { status: 200, body: '  9.8.7 \n' } });
    expect(await client.version()).toBe('9.8.7');
    emu().setFaults({ version: { status: 200, body: '<html><body>Welcome</body></html>' } });
    const err = await piecesFailure(client.version());
    expect(err.kind).toBe('bad-response');
    expect(err.message).toBe(
      'Pieces OS sent HTML instead of its version (GET /.well-known/version).',
    );
  });
});

describe('when the resolver is told to look again', () => {
  it('keeps the URL when the caller cancels a request in flight', async () => {
    const resolver = countingResolver();
    const client = createPiecesClient({ resolver });
    const arrived = new EventTarget();
    // Answers nothing: the request stays in flight until the caller gives up.
    const { url } = await servers.serve(() => arrived.dispatchEvent(new Event('request')));
    const controller = new AbortController();
    const arrival = once(arrived, 'request');
    const pending = piecesFailure(client.listUsers({ baseUrl: url, signal: controller.signal }));
    await arrival;
    controller.abort();
    const err = await pending;
    expect(err.kind).toBe('cancelled');
    expect(resolver.invalidations).toBe(0);
  });
});

describe('clear words for what the caller got wrong', () => {
  it('says a request cancelled before sending was cancelled, naming the call', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await piecesFailure(clientOf().listUsers({ signal: controller.signal }));
    expect(err.message).toBe('The request was cancelled (GET /users).');
  });

  it('says what a user id must be', async () => {
    const err = await piecesFailure(clientOf().getUser(''));
    expect(err.kind).toBe('invalid-input');
    expect(err.message).toBe(
      'A Pieces OS user id must be 1 to 256 characters without control characters.',
    );
  });

  it('says which token field is wrong and what it must be', async () => {
    const token = { ...emu().mintToken({ email: 'x@example.com' }), expires_in: 'soon' };
    const err = await piecesFailure(clientOf().signInWithToken(token as never));
    expect(err.kind).toBe('invalid-input');
    expect(err.message).toMatch(/^The token is not valid: expires_in: .+\.$/);
  });

  it('accepts a valid token that is not a plain object', async () => {
    // An object without Object.prototype skips the fast check and goes through the schema.
    const token = Object.assign(
      Object.create(null) as object,
      emu().mintToken({ email: 'plain@example.com', name: 'Not Plain' }),
    );
    const user = await clientOf().signInWithToken(token as never);
    expect(user).toMatchObject({ email: 'plain@example.com', displayName: 'Not Plain' });
  });

  it('says what a timeout must be', () => {
    const err = thrownPiecesError(() => clientOf({ timeoutMs: 0 }));
    expect(err.message).toBe('The request timeout must be a positive number of milliseconds.');
  });
});

describe('what the client tolerates without a warn callback', () => {
  it('keeps the first of a repeated user id even when nobody listens for warnings', async () => {
    const list = (await (await fetch(`${emu().url}/users`)).json()) as { iterable: unknown[] };
    const repeated = { ...list, iterable: [...list.iterable, list.iterable[0]] };
    const { url } = await servers.serve((_req, res) => res.end(JSON.stringify(repeated)));
    const users = await clientOf().listUsers({ baseUrl: url });
    expect(users.map((u) => u.id)).toEqual(
      emu()
        .users()
        .map((u) => (u as { id: string }).id),
    );
  });
});
