// The live module and the Pieces OS sign-in calls against the project's emulator, which speaks
// both streams and the /os endpoints as Pieces OS does. Waits are on events, never on time.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { createBaseUrlResolver } from './base-url';
import { createPiecesClient } from './client';
import { jwtExpiry } from './jwt-expiry';
import { createLiveUpdates, type LiveEvent, type LiveUpdates } from './live';
import type { BaseUrlResolver, PiecesClient } from './types';

let emu: Emulator;
let resolver: BaseUrlResolver;
let client: PiecesClient;
let live: LiveUpdates | undefined;

beforeAll(async () => {
  emu = await startEmulator({ users: 3, seed: 11 });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.reset();
  emu.setStreamFaults({});
  emu.setFeatures({
    osSignIn: true,
    osSignOut: true,
    accessToken: true,
    userStream: true,
    healthStream: true,
  });
  resolver = createBaseUrlResolver({ setting: () => emu.url, env: {} });
  client = createPiecesClient({ resolver });
});
afterEach(async () => {
  // Resolves once every socket is closed (live.test.ts checks that nothing is left behind).
  await live?.stop();
  live = undefined;
});

/** Starts the live module; `next` waits for the first event from now on of a type (and test). */
function follow() {
  const waiters: { test: (e: LiveEvent) => boolean; resolve: (e: LiveEvent) => void }[] = [];
  const events: LiveEvent[] = [];
  live = createLiveUpdates({ resolve: resolver.resolve, invalidate: resolver.invalidate });
  live.start((event) => {
    events.push(event);
    for (const w of [...waiters]) {
      if (!w.test(event)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(event);
    }
  });
  const next = <T extends LiveEvent['type']>(
    type: T,
    test: (e: Extract<LiveEvent, { type: T }>) => boolean = () => true,
  ) =>
    new Promise<Extract<LiveEvent, { type: T }>>((resolve) =>
      waiters.push({
        test: (e) => e.type === type && test(e as Extract<LiveEvent, { type: T }>),
        resolve: resolve as (e: LiveEvent) => void,
      }),
    );
  return { events, next };
}

describe('live updates from the emulator', () => {
  it('reports the current user, a switch made by another client, and Pieces OS stopping and starting', async () => {
    const current = emu.currentUserId();
    const f = follow();
    const connected = f.next('connected');
    const first = f.next('user');
    expect(await connected).toEqual({ type: 'connected', url: emu.url, mode: 'live' });
    expect((await first).profile?.id ?? null).toBe(current);

    // Another Pieces client signs someone else in.
    const switched = f.next('user', (e) => e.profile?.id !== current);
    const other = await client.signInWithToken(emu.mintToken({ email: 'other@example.com' }));
    expect((await switched).profile?.id).toBe(other.id);

    const lost = f.next('lost');
    const back = f.next('connected');
    await emu.stop();
    expect((await lost).url).toBe(emu.url);
    await emu.start();
    expect((await back).url).toBe(emu.url);
  });

  it('coalesces a burst of 1,000 user messages the emulator sends at once', async () => {
    const f = follow();
    await f.next('connected');
    const users = emu.users() as { id: string }[];
    const last = f.next('user', (e) => e.profile?.id === users[2]!.id);
    const message = (i: number) => JSON.stringify(users[i % 2]);
    for (let i = 0; i < 999; i++) emu.sendToStream('user', message(i));
    emu.sendToStream('user', JSON.stringify(users[2]));
    await last;
    expect(f.events.filter((e) => e.type === 'user').length).toBeLessThan(100);
  });

  it('does not trust a health stream that never says ok: it polls', async () => {
    emu.setStreamFaults({ health: { silent: true } });
    const events: LiveEvent[] = [];
    const polling = new Promise<LiveEvent>((resolve) => {
      live = createLiveUpdates({
        resolve: resolver.resolve,
        invalidate: resolver.invalidate,
        healthOkTimeoutMs: 100,
      });
      live.start((e) => {
        events.push(e);
        if (e.type === 'polling') resolve(e);
      });
    });
    expect(await polling).toMatchObject({ reason: expect.stringMatching(/said nothing/) });
    expect(events.map((e) => e.type)).toEqual(['polling']);
  });

  it('polls an emulator playing an older Pieces OS without streams', async () => {
    emu.setFeatures({ healthStream: false, userStream: false });
    const f = follow();
    const polling = await f.next('polling');
    expect(polling.reason).toMatch(/404/);
    expect(f.events.map((e) => e.type)).toEqual(['polling']);
  });
});

describe('Pieces OS sign-in calls against the emulator', () => {
  it('signs in through Pieces OS, reads the access token and its expiry, and signs out', async () => {
    const signIn = client.signInWithPieces({ timeoutMs: 60_000 });
    await emu.whenSignInPending();
    emu.completeSignIn({ email: 'new.person@example.com', name: 'New Person' });
    const user = await signIn;
    expect(user).toMatchObject({ email: 'new.person@example.com', displayName: 'New Person' });
    expect(emu.currentUserId()).toBe(user.id);

    const token = await client.accessToken();
    expect(typeof token).toBe('string');
    expect(jwtExpiry(token!)).toBeGreaterThan(Date.now());

    const left = await client.signOutOfOs();
    expect(left).toBeDefined();
    expect(emu.currentUserId()).not.toBe(user.id);
  });

  it('reports a cancelled sign-in, and an older Pieces OS without the calls', async () => {
    const signIn = client.signInWithPieces({ timeoutMs: 60_000 }).catch((err: unknown) => err);
    await emu.whenSignInPending();
    emu.cancelSignIn();
    expect(await signIn).toMatchObject({ kind: 'http', status: 500 });

    emu.setFeatures({ osSignOut: false, accessToken: false });
    expect(await client.accessToken()).toBeUndefined();
    expect(await client.signOutOfOs()).toBeUndefined();
  });
});
