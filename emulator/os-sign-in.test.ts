import { describe, expect, it, vi } from 'vitest';
import { userIdForEmail } from './ids';
import { startEmulator } from './server';
import type { WireUserProfile } from './wire';
import { useEmulator } from '../test/support/shared-emulator';

// Sign-in and sign-out the way Pieces clients do it (POST /os/sign_in, /os/sign_out,
// GET /user/access_token), the emulator's sign-in page, and the switches that play an older build.

const emu = useEmulator();

interface Users {
  iterable: WireUserProfile[];
}

const post = (path: string, body?: unknown, init: RequestInit = {}): Promise<Response> =>
  fetch(emu().url + path, {
    method: 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
    ...init,
  });
const postForm = (path: string, fields: Record<string, string>): Promise<Response> =>
  fetch(emu().url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
const currentId = async (): Promise<string | undefined> =>
  ((await (await fetch(`${emu().url}/user`)).json()) as { user?: { id: string } }).user?.id;
const listed = async (): Promise<string[]> =>
  ((await (await fetch(`${emu().url}/users`)).json()) as Users).iterable.map((u) => u.id);

/** Starts POST /os/sign_in and resolves once the emulator holds it waiting for the person.
 *  (Wrapped, because an async function returning a promise would wait for the answer too.) */
async function startOsSignIn(init: RequestInit = {}): Promise<{ answer: Promise<Response> }> {
  const answer = post('/os/sign_in', undefined, init);
  // A rejected answer (client left) must not count as unhandled while the test is busy.
  answer.catch(() => undefined);
  await emu().whenSignInPending();
  return { answer };
}

async function expectText(res: Response, status: number, words: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(await res.text()).toMatch(words);
}

/** The payload of a JWT, read without checking the signature (as the app does). */
function jwtPayload(token: string): Record<string, unknown> {
  const parts = token.split('.');
  expect(parts).toHaveLength(3);
  for (const part of parts) expect(part).toMatch(/^[A-Za-z0-9_-]+$/);
  const header = JSON.parse(Buffer.from(parts[0] ?? '', 'base64url').toString()) as unknown;
  expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
  return JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
}

describe('POST /os/sign_in', () => {
  it('waits for the person, then answers the new user, who is current and listed', async () => {
    const { answer } = await startOsSignIn();
    expect(emu().pendingSignIns()).toBe(1);
    const user = emu().completeSignIn({ email: 'Fresh.Person@Example.com', name: 'Fresh Person' });
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const profile = (await res.json()) as WireUserProfile;
    expect(profile).toEqual(user);
    expect(profile).toMatchObject({
      id: userIdForEmail('fresh.person@example.com'),
      email: 'fresh.person@example.com',
      name: 'Fresh Person',
    });
    expect(emu().pendingSignIns()).toBe(0);
    expect(await currentId()).toBe(profile.id);
    expect(await listed()).toContain(profile.id);
  });

  it('signs in an existing user by id through the control endpoint, without adding anyone', async () => {
    const [, second] = emu().users() as WireUserProfile[];
    const { answer } = await startOsSignIn();
    const control = await post('/__emulator/sign_in/complete', { id: second?.id });
    expect(control.status).toBe(200);
    expect(await control.json()).toEqual({ user: second, answered: 1 });
    expect(await (await answer).json()).toEqual(second);
    expect(emu().currentUserId()).toBe(second?.id);
    expect(emu().users()).toHaveLength(3);
  });

  it('brings back a disconnected user by email with their old profile', async () => {
    const [first] = emu().users() as WireUserProfile[];
    await post(`/users/${first?.id}/disconnect`);
    const { answer } = await startOsSignIn();
    emu().completeSignIn({ email: first?.email ?? '' });
    expect(await (await answer).json()).toEqual(first);
    expect(await currentId()).toBe(first?.id);
  });

  it('answers every waiting request with the one person who signed in', async () => {
    const one = post('/os/sign_in');
    const two = post('/os/sign_in');
    await vi.waitFor(() => expect(emu().pendingSignIns()).toBe(2));
    emu().completeSignIn({ email: 'both@example.com' });
    const ids = await Promise.all(
      [one, two].map(async (r) => ((await (await r).json()) as WireUserProfile).id),
    );
    expect(ids).toEqual([userIdForEmail('both@example.com'), userIdForEmail('both@example.com')]);
  });

  it('answers 500 text when the person cancels, changing nothing', async () => {
    const before = emu().currentUserId();
    const { answer } = await startOsSignIn();
    const control = await post('/__emulator/sign_in/cancel');
    expect(await control.json()).toEqual({ cancelled: 1 });
    await expectText(await answer, 500, /cancelled/);
    expect(emu().currentUserId()).toBe(before);
    expect(emu().cancelSignIn()).toBe(0);
  });

  it('refuses to complete when nothing waits (409) and bad identities (400 / 404)', async () => {
    expect(() => emu().completeSignIn({ email: 'x@example.com' })).toThrow(/No sign-in is waiting/);
    await expectText(
      await post('/__emulator/sign_in/complete', { email: 'x@example.com' }),
      409,
      /waiting/,
    );
    const { answer } = await startOsSignIn();
    await expectText(await post('/__emulator/sign_in/complete', {}), 400, /"id" or the "email"/);
    await expectText(await post('/__emulator/sign_in/complete', { email: 'nope' }), 400, /email/);
    const ghost = userIdForEmail('ghost@example.com');
    await expectText(await post('/__emulator/sign_in/complete', { id: ghost }), 404, /No user/);
    expect(emu().pendingSignIns()).toBe(1);
    emu().cancelSignIn();
    expect((await answer).status).toBe(500);
  });

  it('forgets a request whose client left', async () => {
    const leave = new AbortController();
    const { answer } = await startOsSignIn({ signal: leave.signal });
    leave.abort();
    await expect(answer).rejects.toThrow();
    await vi.waitFor(() => expect(emu().pendingSignIns()).toBe(0));
    expect(() => emu().completeSignIn({ email: 'late@example.com' })).toThrow(/No sign-in/);
  });

  it('ends a waiting request when the emulator stops (state kept), and works after start', async () => {
    const { answer } = await startOsSignIn();
    await emu().stop();
    await expect(answer).rejects.toThrow();
    expect(emu().pendingSignIns()).toBe(0);
    await emu().start();
    const again = await startOsSignIn();
    emu().completeSignIn({ email: 'after.restart@example.com' });
    expect((await again.answer).status).toBe(200);
  });

  it('takes faults: 500 at once, or never answering', async () => {
    emu().setFaults({ osSignIn: { status: 500, times: 1 } });
    await expectText(await post('/os/sign_in'), 500, /Emulated fault/);
    expect(emu().pendingSignIns()).toBe(0);

    emu().setFaults({ osSignIn: { hang: true } });
    const leave = new AbortController();
    const hanging = post('/os/sign_in', undefined, { signal: leave.signal });
    await vi.waitFor(() => expect(emu().requestCount('osSignIn')).toBe(2));
    // It is not waiting for a person: finishing a sign-in cannot answer it.
    expect(emu().pendingSignIns()).toBe(0);
    leave.abort();
    await expect(hanging).rejects.toThrow();
  });
});

describe('the sign-in page', () => {
  it('lists known users with "Sign in as" buttons, a form for a new identity and a Cancel', async () => {
    expect(emu().signInPageUrl).toBe(`${emu().url}/__emulator/sign_in`);
    const res = await fetch(emu().signInPageUrl);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    for (const user of emu().users() as WireUserProfile[]) {
      expect(page).toContain(`value="${user.id}"`);
      expect(page).toContain(`Sign in as ${user.name ?? user.email}`);
    }
    expect(page).toContain('name="email"');
    expect(page).toContain('>Cancel</button>');
    expect(page).toContain('No sign-in is waiting');
    const { answer } = await startOsSignIn();
    expect(await (await fetch(`${emu().url}/__emulator/sign_in`)).text()).toContain('is waiting');
    emu().cancelSignIn();
    await answer;
  });

  it('signs in whoever the person picks, by button or by typing a new identity', async () => {
    const [, , third] = emu().users() as WireUserProfile[];
    let { answer } = await startOsSignIn();
    const picked = await postForm('/__emulator/sign_in/complete', { id: third?.id ?? '' });
    expect(picked.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await picked.text()).toContain(`Signed in as ${third?.name ?? third?.email}`);
    expect(await (await answer).json()).toEqual(third);

    ({ answer } = await startOsSignIn());
    const typed = await postForm('/__emulator/sign_in/complete', {
      email: 'typed@example.com',
      name: 'Typed <b>Name</b>',
    });
    expect(await typed.text()).toContain('Signed in as Typed &lt;b&gt;Name&lt;/b&gt;');
    expect(((await (await answer).json()) as WireUserProfile).email).toBe('typed@example.com');
  });

  it('refuses its forms from another origin (403), so another site cannot finish a sign-in', async () => {
    const { answer } = await startOsSignIn();
    const foreign = await fetch(`${emu().url}/__emulator/sign_in/complete`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://127.0.0.1:1',
      },
      body: 'email=evil%40example.com',
    });
    expect(foreign.status).toBe(403);
    expect(emu().pendingSignIns()).toBe(1);
    const own = await fetch(`${emu().url}/__emulator/sign_in/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: emu().url },
      body: 'email=own%40example.com',
    });
    expect(own.status).toBe(200);
    expect(((await (await answer).json()) as WireUserProfile).email).toBe('own@example.com');
  });

  it('cancels from its button, and says so when nothing is waiting', async () => {
    const { answer } = await startOsSignIn();
    const cancelled = await postForm('/__emulator/sign_in/cancel', {});
    expect(await cancelled.text()).toContain('Sign-in cancelled');
    expect((await answer).status).toBe(500);
    const late = await postForm('/__emulator/sign_in/complete', { email: 'late@example.com' });
    expect(late.status).toBe(409);
    expect(await late.text()).toContain('No sign-in is waiting');
  });
});

describe('POST /os/sign_out', () => {
  it('signs the current user out: removed from the list, nobody current', async () => {
    const current = emu().currentUserId();
    const res = await post('/os/sign_out');
    expect(res.status).toBe(200);
    const left = ((await res.json()) as Users).iterable.map((u) => u.id);
    expect(left).toHaveLength(2);
    expect(left).not.toContain(current);
    expect(await currentId()).toBeUndefined();
    // Nobody to sign out: the same list again.
    expect(
      ((await (await post('/os/sign_out')).json()) as Users).iterable.map((u) => u.id),
    ).toEqual(left);
  });
});

describe('GET /user/access_token', () => {
  it('answers the token a from_token sign-in used, as text/plain', async () => {
    const token = emu().mintToken({ email: 'opaque@example.com' });
    await post('/users/authenticate/from_token', token);
    const res = await fetch(`${emu().url}/user/access_token`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(token.access_token);
  });

  it('answers a JWT after a Pieces sign-in, which from_token accepts to switch back', async () => {
    const { answer } = await startOsSignIn();
    emu().completeSignIn({ email: 'jwt@example.com', name: 'Jay' });
    const { id } = (await (await answer).json()) as WireUserProfile;
    const jwt = await (await fetch(`${emu().url}/user/access_token`)).text();
    const payload = jwtPayload(jwt);
    expect(payload).toMatchObject({ sub: id, email: 'jwt@example.com', name: 'Jay' });
    const now = Date.now() / 1000;
    expect(payload.exp).toBeGreaterThan(now + 3000);
    expect(payload.exp).toBeLessThanOrEqual(Math.ceil(now) + 3600);

    // Someone else signs in; the saved JWT switches back.
    await post('/users/authenticate/from_token', emu().mintToken({ email: 'other@example.com' }));
    expect(emu().currentUserId()).not.toBe(id);
    const back = await post('/users/authenticate/from_token', {
      access_token: jwt,
      token_type: 'Bearer',
      expires_in: 3600,
    });
    expect(((await back.json()) as WireUserProfile).id).toBe(id);
    expect(emu().currentUserId()).toBe(id);
    expect(await (await fetch(`${emu().url}/user/access_token`)).text()).toBe(jwt);
  });

  it('mints a JWT for a user signed in before the emulator kept track (the seeded one)', async () => {
    const [first] = emu().users() as WireUserProfile[];
    const jwt = await (await fetch(`${emu().url}/user/access_token`)).text();
    expect(jwtPayload(jwt)).toMatchObject({ sub: first?.id, email: first?.email });
    expect(await (await fetch(`${emu().url}/user/access_token`)).text()).toBe(jwt);
  });

  it('an expired Pieces sign-in token is refused with 401', async () => {
    const { answer } = await startOsSignIn();
    emu().completeSignIn({ email: 'short@example.com', expires_in: 0 });
    await answer;
    const jwt = await (await fetch(`${emu().url}/user/access_token`)).text();
    const back = await post('/users/authenticate/from_token', {
      access_token: jwt,
      token_type: 'Bearer',
      expires_in: 0,
    });
    await expectText(back, 401, /expired/);
  });

  it('can answer an empty, huge or non-JWT token through a status fault', async () => {
    const huge = 'x'.repeat(200_000);
    for (const body of ['', huge, 'not-a-jwt']) {
      emu().setFaults({ accessToken: { status: 200, body } });
      const res = await fetch(`${emu().url}/user/access_token`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(body);
    }
  });

  it('answers 500 text when nobody is signed in', async () => {
    await post('/os/sign_out');
    await expectText(await fetch(`${emu().url}/user/access_token`), 500, /No user is signed in/);
  });
});

describe('switches for an older Pieces OS', () => {
  it('answers 404 for each endpoint that is off, as start options and over HTTP', async () => {
    const old = await startEmulator({
      features: { osSignIn: false, osSignOut: false, accessToken: false },
    });
    try {
      for (const [method, path] of [
        ['POST', '/os/sign_in'],
        ['POST', '/os/sign_out'],
        ['GET', '/user/access_token'],
      ] as const) {
        await expectText(await fetch(old.url + path, { method }), 404, /Not found/);
      }
      expect(old.requestCount()).toBe(0);
      expect(old.features()).toMatchObject({ osSignIn: false, userStream: true });
    } finally {
      await old.close();
    }

    const off = await post('/__emulator/features', { osSignOut: false });
    expect(((await off.json()) as { features: unknown }).features).toMatchObject({
      osSignOut: false,
      osSignIn: true,
    });
    expect((await post('/os/sign_out')).status).toBe(404);
    expect(emu().currentUserId()).not.toBeNull();
    emu().reset();
    expect((await post('/os/sign_out')).status).toBe(200);
  });

  it('refuses unknown switches', async () => {
    await expectText(await post('/__emulator/features', { osSignin: false }), 400, /osSignin/);
    expect(() => emu().setFeatures({ userStream: 'no' as never })).toThrow(/boolean/);
  });
});
