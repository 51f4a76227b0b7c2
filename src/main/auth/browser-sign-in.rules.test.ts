// How long a browser sign-in waits for the browser to come back, and how the person is told when
// it gives up. The sign-in runs against the real OpenID test provider on loopback; only the clock
// is faked (setTimeout), so minutes pass without waiting for them.
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PiecesError } from '../pieces/errors';
import { createBrowserAuth } from './browser-auth';
import { createBrowserSignIn, type BrowserSignIn } from './browser-sign-in';
import { startTestProvider, type TestProvider } from '../../../test/support/oidc-test-provider';

let provider: TestProvider;
beforeAll(async () => {
  provider = await startTestProvider();
});
afterAll(async () => {
  await provider.close();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Resolves true when nothing listens on the port any more. */
function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** The browser opens and never comes back (the person closed it). */
interface Abandoned {
  openExternal(url: string): Promise<void>;
  /** Resolves with the port of the sign-in's loopback listener once the browser was opened. */
  opened: Promise<number>;
}
function abandoned(): Abandoned {
  let open!: (port: number) => void;
  return {
    opened: new Promise<number>((resolve) => (open = resolve)),
    openExternal: async (url) => {
      open(Number(new URL(new URL(url).searchParams.get('redirect_uri')!).port));
    },
  };
}

/**
 * Starts `signIn` under a fake clock; once the browser is open, lets `ms - 1` milliseconds pass
 * (it is still waiting), then one more (it has given up and closed its listener). Resolves with
 * the error the sign-in ended with.
 */
async function givesUpAfter(
  signIn: BrowserSignIn,
  browser: Abandoned,
  ms: number,
): Promise<PiecesError> {
  // Faked before start(): the sign-in sets its timer there. expect.poll is not used after this
  // point: it advances a fake clock.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const outcome = signIn.start().then(
    () => undefined,
    (e: unknown) => e,
  );
  const port = await browser.opened;
  await vi.advanceTimersByTimeAsync(ms - 1);
  expect(await portClosed(port)).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(await portClosed(port)).toBe(true);
  const err = await outcome;
  expect(err).toBeInstanceOf(PiecesError);
  return err as PiecesError;
}

const timedOut = (within: string) => ({
  kind: 'auth',
  message: `The sign-in timed out: nothing came back from the browser within ${within}. If the browser was closed, start again.`,
});

describe('browser sign-in: how long it waits for the browser', () => {
  it.each<[number | undefined, string]>([
    [undefined, '5 minutes'],
    [60_000, '1 minute'],
    [3 * 60_000, '3 minutes'],
    [20_000, '20 seconds'],
  ])('waiting %s ms, it gives up and says "within %s"', async (timeoutMs, within) => {
    const browser = abandoned();
    const signIn = createBrowserSignIn({
      provider: provider.settings(),
      allowLoopbackIssuer: true,
      openExternal: browser.openExternal,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    const err = await givesUpAfter(signIn, browser, timeoutMs ?? 5 * 60_000);
    expect(err).toMatchObject(timedOut(within));
  });
});

describe('the app’s browser auth: how long its sign-ins wait', () => {
  it.each<[number | undefined, string]>([
    [undefined, '5 minutes'],
    [60_000, '1 minute'],
  ])(
    'told %s ms, a sign-in gives up after that and says "within %s"',
    async (timeoutMs, within) => {
      const browser = abandoned();
      const auth = createBrowserAuth({
        provider: provider.settings(),
        allowLoopbackIssuer: true,
        openExternal: browser.openExternal,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
      const err = await givesUpAfter(auth.signIn(), browser, timeoutMs ?? 5 * 60_000);
      expect(err).toMatchObject(timedOut(within));
    },
  );
});
