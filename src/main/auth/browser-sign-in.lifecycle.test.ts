// How a browser sign-in starts and ends. Not told to allow an http issuer on loopback, it refuses
// one; started twice, it says so in words. Once it has ended, however it ended, it leaves nothing
// running: its timeout timer is cleared (a pending timer would keep Node's event loop alive for up
// to the whole timeout, and fire later on a finished sign-in); and the first reason it stopped is
// the one it tells. Against the real OpenID test provider on loopback. The timer tests watch the
// real setTimeout/clearTimeout for the sign-in's (distinctive) timeout; the stop test fakes them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBrowserSignIn } from './browser-sign-in';
import { useTestProvider } from '../../../test/support/use-test-provider';

const provider = useTestProvider();
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

const TIMEOUT_MS = 7 * 60_000 + 123;

/** The timers set with the sign-in's timeout, and those of them not cleared since. */
function watchSignInTimers(): { set: unknown[]; pending: () => unknown[] } {
  const set: unknown[] = [];
  const cleared = new Set<unknown>();
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
    const handle = realSet(fn, ms);
    if (ms === TIMEOUT_MS) set.push(handle);
    return handle;
  }) as typeof setTimeout);
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation((handle) => {
    cleared.add(handle);
    realClear(handle);
  });
  return { set, pending: () => set.filter((h) => !cleared.has(h)) };
}

describe('browser sign-in: nothing left running once it has ended', () => {
  it('signed in: its timer is cleared', async () => {
    const timers = watchSignInTimers();
    const signIn = createBrowserSignIn({
      provider: provider().settings(),
      allowLoopbackIssuer: true,
      timeoutMs: TIMEOUT_MS,
      openExternal: async (url) => {
        // The browser runs on its own: the person approves, the provider redirects to the app.
        void provider()
          .respond(url, { login: 'ada' })
          .then((back) => fetch(back));
      },
    });
    const token = await signIn.start();
    expect(token.access_token).toBeTruthy();
    expect(timers.set).toHaveLength(1);
    expect(timers.pending()).toEqual([]);
  });

  it('the browser could not be opened: its timer is cleared', async () => {
    const timers = watchSignInTimers();
    const signIn = createBrowserSignIn({
      provider: provider().settings(),
      allowLoopbackIssuer: true,
      timeoutMs: TIMEOUT_MS,
      openExternal: () => Promise.reject(new Error('no browser')),
    });
    await expect(signIn.start()).rejects.toMatchObject({ kind: 'auth' });
    expect(timers.set).toHaveLength(1);
    expect(timers.pending()).toEqual([]);
  });
});

describe('browser sign-in: the first reason to stop is the one told', () => {
  it('a cancel just after it gave up waiting (before it has closed) does not turn the timeout into a cancel', async () => {
    let opened!: () => void;
    const browserOpened = new Promise<void>((resolve) => (opened = resolve));
    const signIn = createBrowserSignIn({
      provider: provider().settings(),
      allowLoopbackIssuer: true,
      timeoutMs: 60_000,
      // The browser opens and never comes back.
      openExternal: async () => opened(),
    });
    // Faked before start(): the sign-in sets its timer there.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const outcome = signIn.start().then(
      () => undefined,
      (e: unknown) => e,
    );
    await browserOpened;
    // The timeout fires synchronously here; the cancel comes in the same turn, while the sign-in
    // is still closing its listener.
    vi.advanceTimersByTime(60_000);
    signIn.cancel();
    expect(await outcome).toMatchObject({
      kind: 'auth',
      message:
        'The sign-in timed out: nothing came back from the browser within 1 minute. If the browser was closed, start again.',
    });
  });
});

describe('browser sign-in: starting', () => {
  it('refuses an http issuer on loopback unless told to allow one (the default), before opening anything', async () => {
    const opened: string[] = [];
    const signIn = createBrowserSignIn({
      provider: provider().settings(),
      // Fails at once if it is ever reached, so a sign-in that goes too far does not wait.
      openExternal: async (url) => {
        opened.push(url);
        throw new Error('no browser');
      },
    });
    await expect(signIn.start()).rejects.toMatchObject({ kind: 'invalid-input' });
    expect(opened).toEqual([]);
  });

  it('started a second time, it says it has been started already', async () => {
    const signIn = createBrowserSignIn({
      provider: provider().settings(),
      allowLoopbackIssuer: true,
      openExternal: () => Promise.reject(new Error('no browser')),
    });
    await expect(signIn.start()).rejects.toMatchObject({ kind: 'auth' });
    await expect(signIn.start()).rejects.toMatchObject({
      kind: 'busy',
      message: 'This sign-in has already been started.',
    });
  });
});
