import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { UUID_RE } from './ids';
import { startEmulator } from './server';
import { useEmulator } from '../test/support/shared-emulator';

// What the spec allows but clients often do not expect (duplicate ids, ids that are not UUIDs),
// and malformed optional fields the app never reads, sent over real HTTP.

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const emu = useEmulator({ users: 4, seed: 2 });

const getJson = async (path: string): Promise<Json> => {
  const res = await fetch(emu().url + path);
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
};

describe('duplicate ids', () => {
  it('GET /users repeats the first user, renamed, at the end', async () => {
    const [first] = emu().users() as Json[];
    emu().setOddities({ duplicateIds: true });
    const { iterable } = await getJson('/users');
    expect(iterable).toHaveLength(5);
    expect(iterable[0]).toEqual(first);
    expect(iterable[4]).toEqual({ ...first, name: `${first?.name ?? first?.email} (duplicate)` });
    // The library view and single-user answers stay as they were.
    expect(emu().users()).toHaveLength(4);
    expect(await getJson(`/users/${first?.id}`)).toEqual(first);
  });
});

describe('malformed optional fields', () => {
  it('every profile sent carries them, set over HTTP; reset removes them', async () => {
    const res = await fetch(`${emu().url}/__emulator/oddities`, {
      method: 'POST',
      body: JSON.stringify({ malformed: ['auth0', 'providerDate', 'allocationUrlId'] }),
    });
    expect(await res.json()).toEqual({
      oddities: { malformed: ['auth0', 'providerDate', 'allocationUrlId'] },
    });
    const { iterable } = await getJson('/users');
    const { user } = await getJson('/user');
    for (const profile of [...iterable, user]) {
      expect(profile.auth0).toBeTypeOf('string');
      for (const provider of profile.providers.iterable) {
        expect(Number.isNaN(Date.parse(provider.created.value))).toBe(true);
      }
      expect(profile.allocation.urls.id).toBeTypeOf('string');
      expect(profile.allocation.urls.base.url).toBeTypeOf('string');
      // The fields the app reads are intact.
      expect(profile.id).toMatch(UUID_RE);
      expect(profile.aesthetics.font.size).toBeTypeOf('number');
    }
    emu().reset();
    expect((await getJson('/users')).iterable[0].auth0).toBeTypeOf('object');
  });

  it('the user stream sends them too', async () => {
    emu().setOddities({ malformed: ['auth0'] });
    const socket = new WebSocket(`${emu().url.replace('http:', 'ws:')}/user/stream`);
    const first = await new Promise<string>((resolve) =>
      socket.once('message', (data: Buffer) => resolve(data.toString())),
    );
    socket.close();
    expect((JSON.parse(first) as Json).auth0).toBe('auth0-legacy-metadata');
  });

  it('refuses unknown oddities', async () => {
    expect(() => emu().setOddities({ malformed: ['picture' as never] })).toThrow(/malformed/);
    const res = await fetch(`${emu().url}/__emulator/oddities`, {
      method: 'POST',
      body: JSON.stringify({ duplicates: true }),
    });
    expect(res.status).toBe(400);
  });
});

describe("idStyle 'opaque': ids that are strings but not UUIDs", () => {
  it('is used everywhere: list, lookup, sign-in, disconnect, access token, sign-in page', async () => {
    const opaque = await startEmulator({ idStyle: 'opaque', users: 3 });
    try {
      const base = opaque.url;
      const { iterable } = (await (await fetch(`${base}/users`)).json()) as Json;
      for (const profile of iterable) {
        expect(profile.id).toMatch(/^u_[0-9a-f]{24}$/);
        expect(JSON.stringify(profile)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
      }
      const [first, second] = iterable as Json[];
      expect(await (await fetch(`${base}/users/${second?.id}`)).json()).toEqual(second);

      const token = opaque.mintToken({ email: second?.email });
      const signIn = await fetch(`${base}/users/authenticate/from_token`, {
        method: 'POST',
        body: JSON.stringify(token),
      });
      expect(((await signIn.json()) as Json).id).toBe(second?.id);
      expect(opaque.currentUserId()).toBe(second?.id);

      const pending = fetch(`${base}/os/sign_in`, { method: 'POST' });
      await opaque.whenSignInPending();
      opaque.completeSignIn({ id: first?.id });
      expect(((await (await pending).json()) as Json).id).toBe(first?.id);
      const jwt = await (await fetch(`${base}/user/access_token`)).text();
      const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString());
      expect(payload.sub).toBe(first?.id);

      const left = await fetch(`${base}/users/${first?.id}/disconnect`, { method: 'POST' });
      expect(((await left.json()) as Json).iterable).toHaveLength(2);
      expect((await fetch(`${base}/users/${first?.id}`)).status).toBe(410);
      expect((await fetch(`${base}/users/u_000000000000000000000000`)).status).toBe(404);
    } finally {
      await opaque.close();
    }
  });
});
