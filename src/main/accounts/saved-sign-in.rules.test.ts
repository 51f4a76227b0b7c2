// Signing in again from a saved token: which errors mean "sign in again", which pass through,
// and when the token is renewed through the provider. A real OpenID provider on loopback, the
// emulator accepting its id tokens, the real Pieces OS client.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { createBrowserAuth } from '../auth/browser-auth';
import type { BrowserAuth } from '../auth/browser-auth';
import { createBaseUrlResolver } from '../pieces/base-url';
import { createPiecesClient } from '../pieces/client';
import { PiecesError } from '../pieces/errors';
import type { StoredToken } from '../settings/token-vault';
import { startTestProvider, type TestProvider } from '../../../test/support/oidc-test-provider';
import { signInWithSaved, type SavedSignInDeps } from './saved-sign-in';

// electron-store (under the token vault's imports) loads electron; no Electron binary here.
vi.mock('electron', () => ({ default: {} }));

let provider: TestProvider;
let emulator: Emulator;
let auth: BrowserAuth;
let flagged: number;
let stored: StoredToken[];
/** What the store callback does besides keeping the token (a test's hook into the order). */
let onStore: () => void;
/** The caller's clock: a test moves it on to make a token expired. */
let clock: number;

beforeEach(async () => {
  provider = await startTestProvider();
  emulator = await startEmulator({
    users: 1,
    seed: 3,
    oidc: { issuer: provider.issuer, audience: provider.clientId },
  });
  auth = createBrowserAuth({
    provider: provider.settings(),
    allowLoopbackIssuer: true,
    openExternal: async (url) => {
      void provider.respond(url, { login: 'ada' }).then((back) => fetch(back));
    },
  });
  flagged = 0;
  stored = [];
  onStore = () => undefined;
  clock = Date.now();
});

afterEach(async () => {
  await emulator.close();
  await provider.close();
});

function deps(withAuth: boolean): SavedSignInDeps {
  const resolver = createBaseUrlResolver({ setting: () => emulator.url });
  return {
    client: createPiecesClient({ resolver, timeoutMs: 3000 }),
    store: async (_id, token) => {
      stored.push(token);
      onStore();
    },
    now: () => clock,
    ...(withAuth ? { auth: () => auth } : {}),
  };
}

const ID = 'the-account-id';
const signInAgain = (token: StoredToken, withAuth = true) =>
  signInWithSaved(deps(withAuth), ID, token, 'Ada', () => void flagged++);

const refreshes = () => provider.tokenRequests.filter((t) => t.grant_type === 'refresh_token');

/** A token from the provider, as a browser sign-in saves it. */
async function providerToken(): Promise<StoredToken> {
  const token = await auth.signIn().start();
  return { ...token, obtained_at: clock, issuer: provider.issuer };
}

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected the sign-in to fail');
    },
    (err: unknown) => err as PiecesError,
  );

describe('a saved token Pieces OS does not take', () => {
  it('a server error passes through as it is: no "sign in again", nothing flagged', async () => {
    emulator.setFaults({ signIn: { status: 500, body: 'database locked' } });
    const err = await rejection(
      signInAgain(emulator.mintToken({ email: 'ada@example.com' }), false),
    );
    expect(err).toBeInstanceOf(PiecesError);
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(flagged).toBe(0);
  });

  it('a 403 means "sign in again", with the status and words', async () => {
    emulator.setFaults({ signIn: { status: 403, body: 'forbidden' } });
    const err = await rejection(
      signInAgain(emulator.mintToken({ email: 'ada@example.com' }), false),
    );
    expect(err).toMatchObject({ kind: 'needs-sign-in', status: 403 });
    expect(err.message).toBe(
      'Pieces OS no longer accepts the saved sign-in for Ada. Sign in to this account again.',
    );
    expect(flagged).toBe(1);
  });
});

describe('which tokens are renewed through the provider', () => {
  it('a token with no known issuer is sent as it is, even with a provider set up', async () => {
    const typed = emulator.mintToken({ email: 'ada@example.com' });
    expect(await signInAgain(typed)).toMatchObject({ email: 'ada@example.com' });
    // A refresh token, but no record of who issued it: still never sent to the provider.
    const withRefresh = { ...emulator.mintToken({ email: 'ada@example.com' }), refresh_token: 'r' };
    expect(await signInAgain(withRefresh)).toMatchObject({ email: 'ada@example.com' });
    expect(refreshes()).toHaveLength(0);
  });

  it('a token from the provider without a refresh token is sent as it is, even past its end', async () => {
    const { refresh_token: _, ...token } = await providerToken();
    clock += token.expires_in * 1000;
    expect(await signInAgain(token)).toMatchObject({ email: 'ada@example.com' });
    expect(refreshes()).toHaveLength(0);
    expect(stored).toEqual([]);
  });

  it('an expired token renewed and then refused is not renewed a second time', async () => {
    const token = await providerToken();
    clock += token.expires_in * 1000;
    emulator.setFaults({ signIn: { status: 401, body: 'token expired' } });
    const err = await rejection(signInAgain(token));
    expect(err).toMatchObject({ kind: 'needs-sign-in', status: 401 });
    expect(err.message).toBe(
      'Pieces OS no longer accepts the saved sign-in for Ada. Sign in to this account again.',
    );
    expect(refreshes()).toHaveLength(1);
    expect(flagged).toBe(1);
  });

  it('a token refused, renewed and refused again means "sign in again", with words', async () => {
    const token = await providerToken();
    emulator.setFaults({ signIn: { status: 401, body: 'token expired' } });
    const err = await rejection(signInAgain(token));
    expect(err).toMatchObject({ kind: 'needs-sign-in', status: 401 });
    expect(err.message).toBe(
      'Pieces OS does not accept the renewed sign-in for Ada. Sign in to this account again.',
    );
    expect(refreshes()).toHaveLength(1);
    expect(stored).toHaveLength(1);
  });

  it('a server error on the renewed token passes through: the renewed token is kept, nothing flagged', async () => {
    const token = await providerToken();
    emulator.setFaults({ signIn: { status: 401, body: 'token expired', times: 1 } });
    // Pieces OS fails for another reason once the renewed token is stored.
    onStore = () => emulator.setFaults({ signIn: { status: 500, body: 'database locked' } });
    const err = await rejection(signInAgain(token));
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(flagged).toBe(0);
    expect(stored).toHaveLength(1);
  });
});
