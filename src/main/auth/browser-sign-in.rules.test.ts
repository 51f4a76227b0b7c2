// How long a browser sign-in waits for the browser to come back, and how the person is told when
// it gives up. The sign-in runs against the real OpenID test provider on loopback; only the clock
// is faked (setTimeout), so minutes pass without waiting for them.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PiecesError } from '../pieces/errors';
import { createBrowserAuth } from './browser-auth';
import { createBrowserSignIn, type BrowserSignIn } from './browser-sign-in';
import { useTestProvider } from '../../../test/support/use-test-provider';
import { connectionRefused } from '../../../test/support/ports';

const provider = useTestProvider();
afterEach(() => {
  vi.useRealTimers();
});

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
  expect(await connectionRefused(port)).toBe(false);
  await vi.advanceTimersByTimeAsync(1);
  expect(await connectionRefused(port)).toBe(true);
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
    [1_000, '1 second'],
  ])('waiting %s ms, it gives up and says "within %s"', async (timeoutMs, within) => {
    const browser = abandoned();
    const signIn = createBrowserSignIn({
      provider: provider().settings(),
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
        provider: provider().settings(),
        allowLoopbackIssuer: true,
        openExternal: browser.openExternal,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
      const err = await givesUpAfter(auth.signIn(), browser, timeoutMs ?? 5 * 60_000);
      expect(err).toMatchObject(timedOut(within));
    },
  );
});

describe('browser sign-in: stopping', () => {
  it('cancelled before it began, it starts nothing: no listener, no browser', async () => {
    const started: number[] = [];
    const opened: string[] = [];
    const signIn = createBrowserSignIn({
      provider: provider().settings(),
      allowLoopbackIssuer: true,
      onListening: (r) => started.push(r.port),
      openExternal: async (url) => {
        opened.push(url);
      },
    });
    signIn.cancel();
    signIn.cancel(); // twice is still just cancelled
    await expect(signIn.start()).rejects.toMatchObject({
      kind: 'cancelled',
      message: 'The sign-in was cancelled.',
    });
    expect(started).toEqual([]);
    expect(opened).toEqual([]);
  });

  it('cancelled while its listener starts, it opens no browser and closes the listener', async () => {
    let port = 0;
    const opened: string[] = [];
    const signIn: BrowserSignIn = createBrowserSignIn({
      provider: provider().settings(),
      allowLoopbackIssuer: true,
      onListening: (r) => {
        port = r.port;
        signIn.cancel();
      },
      openExternal: async (url) => {
        opened.push(url);
      },
    });
    await expect(signIn.start()).rejects.toMatchObject({ kind: 'cancelled' });
    expect(opened).toEqual([]);
    expect(port).toBeGreaterThan(0);
    expect(await connectionRefused(port)).toBe(true);
  });
});

/**
 * A provider that publishes only its discovery document (with the given metadata): enough for the
 * app to build and open its sign-in page, which is all these tests look at.
 */
async function metadataOnly(
  metadata: (issuer: string) => Record<string, unknown>,
): Promise<{ issuer: string; close(): Promise<void> }> {
  let issuer = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer, ...metadata(issuer) }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Starts a sign-in at `issuer`; resolves with the sign-in page it opened (then cancels), or the error. */
async function openedPage(issuer: string): Promise<URL | unknown> {
  let page: URL | undefined;
  const signIn: BrowserSignIn = createBrowserSignIn({
    provider: { issuer, clientId: 'app', scopes: ['openid'] },
    allowLoopbackIssuer: true,
    openExternal: async (url) => {
      page = new URL(url);
      signIn.cancel();
    },
  });
  const err = await signIn.start().then(
    () => undefined,
    (e: unknown) => e,
  );
  return page ?? err;
}

describe('browser sign-in: the page it opens', () => {
  it.each<[string, string[] | undefined, string | null]>([
    ['says nothing about prompts', undefined, 'select_account'],
    ['offers select_account', ['none', 'login', 'select_account'], 'select_account'],
    ['offers other prompts only', ['none', 'login'], null],
  ])('asks to pick an account when the provider %s', async (_, prompts, prompt) => {
    const p = await metadataOnly((issuer) => ({
      authorization_endpoint: `${issuer}/authorize`,
      ...(prompts ? { prompt_values_supported: prompts } : {}),
    }));
    try {
      const page = await openedPage(p.issuer);
      expect(page).toBeInstanceOf(URL);
      expect((page as URL).searchParams.get('prompt')).toBe(prompt);
    } finally {
      await p.close();
    }
  });

  it('opens nothing when the provider puts its sign-in page on another origin, and says so', async () => {
    const p = await metadataOnly(() => ({
      authorization_endpoint: 'https://elsewhere.example/authorize',
    }));
    try {
      const err = await openedPage(p.issuer);
      expect(err).toBeInstanceOf(PiecesError);
      expect(err).toMatchObject({
        kind: 'auth',
        message: `The provider's sign-in page is not at ${p.issuer}, so the app did not open it.`,
      });
    } finally {
      await p.close();
    }
  });
});
