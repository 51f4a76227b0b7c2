import { describe, expect, it } from 'vitest';
import { userIdForEmail } from './ids';
import { startEmulator } from './server';
import type { WireUserProfile } from './wire';
import { useEmulator } from '../test/support/shared-emulator';

const emu = useEmulator();

interface Users {
  schema: unknown;
  iterable: WireUserProfile[];
}

const get = (path: string, method = 'GET'): Promise<Response> =>
  fetch(emu().url + path, { method });
const post = (path: string, body?: unknown): Promise<Response> =>
  fetch(emu().url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
  });

async function okJson<T>(res: Response): Promise<T> {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/json');
  return (await res.json()) as T;
}

/** Errors are text/plain, never JSON, and say something. */
async function expectTextError(res: Response, status: number, words?: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const body = await res.text();
  expect(body.length).toBeGreaterThan(0);
  expect(() => JSON.parse(body)).toThrow();
  if (words) expect(body).toMatch(words);
}

const listUsers = async (): Promise<WireUserProfile[]> =>
  (await okJson<Users>(await get('/users'))).iterable;
const currentUser = async (): Promise<{ schema: unknown; user?: WireUserProfile }> =>
  okJson(await get('/user'));
const signIn = (token: unknown): Promise<Response> => post('/users/authenticate/from_token', token);

describe('GET /users', () => {
  it('lists the seeded users in the Users wire shape', async () => {
    const body = await okJson<Users>(await get('/users'));
    expect(body.schema).toEqual({ migration: 0, semantic: 'MAJOR_0_MINOR_0_PATCH_1' });
    expect(body.iterable).toHaveLength(3);
    expect(body.iterable).toEqual(emu().users());
    expect(emu().requestCount('listUsers')).toBe(1);
  });
});

describe('GET /users/{user}', () => {
  it('returns the profile, also for an upper-case id', async () => {
    const [first] = await listUsers();
    expect(await okJson(await get(`/users/${first?.id}`))).toEqual(first);
    expect(await okJson(await get(`/users/${first?.id.toUpperCase()}`))).toEqual(first);
  });

  it('answers 400 for an id that is not a UUID', async () => {
    await expectTextError(await get('/users/not-a-uuid'), 400, /not a user id/);
    await expectTextError(await get('/users/%E0%A4%A'), 400);
  });

  it('answers 404 for an unknown user and 410 for one disconnected earlier', async () => {
    await expectTextError(await get(`/users/${userIdForEmail('nobody@example.com')}`), 404);
    const [first] = await listUsers();
    await okJson(await post(`/users/${first?.id}/disconnect`));
    await expectTextError(await get(`/users/${first?.id}`), 410, /disconnected/);
  });
});

describe('POST /users/authenticate/from_token', () => {
  it('signs in a new user: added to the users and made current', async () => {
    const token = emu().mintToken({ email: 'New.Person@Example.com', name: 'New Person' });
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const profile = await okJson<WireUserProfile>(await signIn(token));
    expect(profile).toMatchObject({
      id: userIdForEmail('new.person@example.com'),
      email: 'new.person@example.com',
      name: 'New Person',
      aesthetics: { theme: { dark: expect.any(Boolean) }, font: { size: expect.any(Number) } },
    });
    expect((await listUsers()).map((u) => u.id)).toContain(profile.id);
    expect((await currentUser()).user).toEqual(profile);
    expect(emu().currentUserId()).toBe(profile.id);
  });

  it('maps the same email to the same user, listed once', async () => {
    const a = await okJson<WireUserProfile>(
      await signIn(emu().mintToken({ email: 'x@example.org' })),
    );
    const b = await okJson<WireUserProfile>(
      await signIn(emu().mintToken({ email: 'X@example.org' })),
    );
    expect(b).toEqual(a);
    expect((await listUsers()).filter((u) => u.id === a.id)).toHaveLength(1);
  });

  it('signs in a seeded user as themselves, without adding anyone', async () => {
    const users = await listUsers();
    const second = users[1] as WireUserProfile;
    const token = emu().mintToken({ email: second.email ?? '', name: 'Another Name' });
    expect(await okJson(await signIn(token))).toEqual(second);
    expect(await listUsers()).toEqual(users);
    expect(emu().currentUserId()).toBe(second.id);
  });

  it('gives a returning user their previous profile', async () => {
    const first = await okJson<WireUserProfile>(
      await signIn(emu().mintToken({ email: 'r@x.org' })),
    );
    await okJson(await post(`/users/${first.id}/disconnect`));
    const again = await okJson<WireUserProfile>(
      await signIn(emu().mintToken({ email: 'r@x.org' })),
    );
    expect(again).toEqual(first);
    expect(await okJson(await get(`/users/${first.id}`))).toEqual(first);
  });

  it('accepts a token minted through the control endpoint', async () => {
    const token = await okJson<{ access_token: string }>(
      await post('/__emulator/tokens', { email: 'ctl@example.com', expires_in: 60 }),
    );
    expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 60 });
    const profile = await okJson<WireUserProfile>(await signIn(token));
    expect(profile.id).toBe(userIdForEmail('ctl@example.com'));
  });

  it('answers 400 for a body that is not a valid OAuthToken', async () => {
    const good = emu().mintToken({ email: 'v@example.com' });
    const bad: [unknown, RegExp][] = [
      ['{"access_token":', /not valid JSON/],
      ['[]', /OAuthToken/],
      [{ ...good, access_token: undefined }, /access_token/],
      [{ ...good, access_token: 42 }, /access_token/],
      [{ ...good, token_type: undefined }, /token_type/],
      [{ ...good, token_type: 'Basic' }, /token_type/],
      [{ ...good, expires_in: '3600' }, /expires_in/],
      [{ ...good, expires_in: undefined }, /expires_in/],
      [{ ...good, scope: 7 }, /scope/],
    ];
    for (const [body, words] of bad) await expectTextError(await signIn(body), 400, words);
    expect(emu().users()).toHaveLength(3);
  });

  it('answers 401 for a token it did not mint and for an expired one', async () => {
    const stranger = { access_token: 'eyJhbGciOi.fake', token_type: 'Bearer', expires_in: 3600 };
    await expectTextError(await signIn(stranger), 401, /not valid/);
    const expired = emu().mintToken({ email: 'late@example.com', expires_in: 0 });
    await expectTextError(await signIn(expired), 401, /expired/);
    expect(emu().users()).toHaveLength(3);
  });
});

describe('POST /users/{user}/disconnect', () => {
  it('removes the current user, returns those left, and leaves nobody current', async () => {
    const [first, ...rest] = await listUsers();
    expect(emu().currentUserId()).toBe(first?.id);
    const left = await okJson<Users>(await post(`/users/${first?.id}/disconnect`));
    expect(left.iterable).toEqual(rest);
    expect(emu().currentUserId()).toBeNull();
    const current = await currentUser();
    expect(current).toEqual({ schema: { migration: 0, semantic: 'MAJOR_0_MINOR_0_PATCH_1' } });
    expect('user' in current).toBe(false);
  });

  it('keeps the current user when someone else is disconnected', async () => {
    const [first, second] = await listUsers();
    await okJson(await post(`/users/${second?.id}/disconnect`));
    expect((await currentUser()).user?.id).toBe(first?.id);
  });

  it('answers 400 / 404 / 410 / 405 as documented', async () => {
    await expectTextError(await post('/users/nope/disconnect'), 400);
    await expectTextError(await post(`/users/${userIdForEmail('no@example.com')}/disconnect`), 404);
    const [first] = await listUsers();
    await okJson(await post(`/users/${first?.id}/disconnect`));
    await expectTextError(await post(`/users/${first?.id}/disconnect`), 410);
    const wrong = await get(`/users/${first?.id}/disconnect`);
    expect(wrong.headers.get('allow')).toBe('POST');
    await expectTextError(wrong, 405);
  });
});

describe('GET /user and the well-known endpoints', () => {
  it('starts with the first seeded user current', async () => {
    const [first] = await listUsers();
    expect(await currentUser()).toEqual({
      schema: { migration: 0, semantic: 'MAJOR_0_MINOR_0_PATCH_1' },
      user: first,
    });
  });

  it('answers health and version as text/plain', async () => {
    const health = await get('/.well-known/health');
    expect(health.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await health.text()).toBe('ok');
    expect(await (await get('/.well-known/version')).text()).toBe('12.0.0');
    const other = await startEmulator({ version: '11.2.3', users: 0 });
    try {
      expect(await (await fetch(`${other.url}/.well-known/version`)).text()).toBe('11.2.3');
    } finally {
      await other.close();
    }
  });

  it('answers 404 for unknown paths and 405 for wrong methods, as text', async () => {
    await expectTextError(await get('/assets'), 404, /Not found/);
    await expectTextError(await get('/users/'), 404);
    const wrong = await post('/users');
    expect(wrong.headers.get('allow')).toBe('GET');
    await expectTextError(wrong, 405);
    await expectTextError(await get('/user', 'DELETE'), 405);
    expect(emu().requestCount()).toBe(0);
  });
});

describe('test controls over HTTP', () => {
  it('refuses a bad token request with 400 text', async () => {
    await expectTextError(await post('/__emulator/tokens', { email: 'no-at-sign' }), 400, /email/);
    await expectTextError(
      await post('/__emulator/tokens', { email: 'a@b.c', expires_in: -1 }),
      400,
    );
    await expectTextError(await post('/__emulator/tokens', 'nope'), 400);
  });

  it('sets faults, reports state and resets', async () => {
    const set = await okJson<unknown>(
      await post('/__emulator/faults', { listUsers: { status: 503 } }),
    );
    expect(set).toEqual({ faults: { listUsers: { status: 503 } } });
    expect((await get('/users')).status).toBe(503);
    await expectTextError(await post('/__emulator/faults', { listUser: { status: 503 } }), 400);
    await expectTextError(await post(`/users/${userIdForEmail('x@y.z')}/disconnect`), 404);
    await okJson(await get('/user'));
    const state = await okJson<Record<string, unknown>>(await get('/__emulator/state'));
    expect(state).toMatchObject({
      users: emu().users(),
      currentUserId: emu().currentUserId(),
      requestCounts: { listUsers: 1, disconnect: 1, currentUser: 1, signIn: 0 },
      faults: { listUsers: { status: 503 } },
    });
    expect(await okJson(await post('/__emulator/reset'))).toEqual({ ok: true });
    expect((await get('/users')).status).toBe(200);
    expect(emu().requestCount()).toBe(1);
  });
});

describe('library API', () => {
  it('returns deep copies from users()', () => {
    const copy = emu().users() as WireUserProfile[];
    (copy[0] as WireUserProfile).aesthetics.theme.dark = !copy[0]?.aesthetics.theme.dark;
    copy.pop();
    expect(emu().users()).toHaveLength(3);
    expect(emu().users()[0]).not.toEqual(copy[0]);
  });

  it('counts requests per endpoint and in total', async () => {
    await get('/users');
    await get('/users');
    await get('/.well-known/health');
    await get('/users/bad');
    expect(emu().requestCount('listUsers')).toBe(2);
    expect(emu().requestCount('getUser')).toBe(1);
    expect(emu().requestCount('signIn')).toBe(0);
    expect(emu().requestCount()).toBe(4);
  });

  it('refuses bad input with an error', () => {
    expect(() => emu().mintToken({ email: '' })).toThrow(/email/);
    expect(() => emu().mintToken({ email: 'a@b.c', expires_in: 1.5 })).toThrow(/expires_in/);
    expect(() => emu().setFaults({ '*': { staus: 500 } as never })).toThrow(/staus/);
    expect(() => emu().setFaults({ '*': { rate: 2 } })).toThrow(/rate/);
  });

  it('reset restores users, current user, faults and counts; minted tokens stay valid', async () => {
    const token = emu().mintToken({ email: 'keep@example.com' });
    const seeded = emu().users();
    const firstId = emu().currentUserId();
    await okJson(await signIn(token));
    await okJson(await post(`/users/${firstId}/disconnect`));
    emu().setFaults({ currentUser: { status: 500 } });
    emu().reset();
    expect(emu().users()).toEqual(seeded);
    expect(emu().currentUserId()).toBe(firstId);
    expect(emu().requestCount()).toBe(0);
    expect((await get('/user')).status).toBe(200);
    // The disconnected seeded user is back, not "gone".
    expect((await get(`/users/${firstId}`)).status).toBe(200);
    await okJson(await signIn(token));
  });

  it('stop() refuses connections but keeps state and port; start() brings it back', async () => {
    const other = await startEmulator({ users: 1 });
    try {
      const { port, url } = other;
      const profile = await okJson<WireUserProfile>(
        await fetch(`${url}/users/authenticate/from_token`, {
          method: 'POST',
          body: JSON.stringify(other.mintToken({ email: 'stays@example.com' })),
        }),
      );
      await other.stop();
      await expect(fetch(`${url}/users`)).rejects.toThrow();
      await other.start();
      expect(other.port).toBe(port);
      const users = await okJson<Users>(await fetch(`${url}/users`));
      expect(users.iterable.map((u) => u.id)).toContain(profile.id);
      expect(other.currentUserId()).toBe(profile.id);
    } finally {
      await other.close();
    }
    await expect(other.start()).rejects.toThrow(/closed/);
  });
});

describe('seeding', () => {
  it('is deterministic per seed and differs between seeds', async () => {
    const [a, b, c] = await Promise.all([
      startEmulator({ users: 20, seed: 42 }),
      startEmulator({ users: 20, seed: 42 }),
      startEmulator({ users: 20, seed: 43 }),
    ]);
    try {
      expect(a.users()).toEqual(b.users());
      expect(a.users()).not.toEqual(c.users());
      const aIds = (a.users() as WireUserProfile[]).map((u) => u.id);
      const cIds = (c.users() as WireUserProfile[]).map((u) => u.id);
      expect(aIds).not.toEqual(cIds);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('derives every seeded id from the email, so a minted token signs that user in', async () => {
    const users = emu().users() as WireUserProfile[];
    for (const user of users) expect(user.id).toBe(userIdForEmail(user.email ?? ''));
    const last = users[2] as WireUserProfile;
    const profile = await okJson<WireUserProfile>(
      await signIn(emu().mintToken({ email: last.email ?? '' })),
    );
    expect(profile.id).toBe(last.id);
  });

  it('seeds nobody when asked for 0 users', async () => {
    const empty = await startEmulator({ users: 0 });
    try {
      expect(await okJson(await fetch(`${empty.url}/users`))).toEqual({
        schema: { migration: 0, semantic: 'MAJOR_0_MINOR_0_PATCH_1' },
        iterable: [],
      });
      expect(empty.currentUserId()).toBeNull();
    } finally {
      await empty.close();
    }
  });

  // A volume test: seconds of CPU, many more on a busy machine (the bound is not a wait).
  it('seeds 10,000 users with unique ids and emails', { timeout: 60_000 }, async () => {
    const big = await startEmulator({ users: 10_000, seed: 9 });
    try {
      const users = (await okJson<Users>(await fetch(`${big.url}/users`))).iterable;
      expect(users).toHaveLength(10_000);
      expect(new Set(users.map((u) => u.id)).size).toBe(10_000);
      expect(new Set(users.map((u) => u.email)).size).toBe(10_000);
    } finally {
      await big.close();
    }
  });
});
