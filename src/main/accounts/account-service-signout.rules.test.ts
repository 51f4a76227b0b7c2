// Rules of the account service a person would notice, from the sign-in errors on to sign-out,
// forgetting a sign-in, retrying and stopping: against the emulator over real HTTP, as
// account-service.test.ts does.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import type { OAuthTokenInput, StateSnapshot } from '../../shared/domain';
import { createBrowserAuth } from '../auth/browser-auth';
import { createBaseUrlResolver } from '../pieces/base-url';
import { createPiecesClient } from '../pieces/client';
import { createLiveUpdates } from '../pieces/live';
import { piecesOsSession } from '../pieces/session';
import { startTestProvider } from '../../../test/support/oidc-test-provider';
import { manualTimers, memoryTokens } from '../../../test/support/account-testing';
import {
  createAccountService,
  type AccountService,
  type AccountServiceDeps,
} from './account-service';

// electron-store (under the browser sign-in's imports) loads electron; no Electron binary here.
vi.mock('electron', () => ({ default: {} }));

let emulator: Emulator;
let tokens: ReturnType<typeof memoryTokens>;
let timers: ReturnType<typeof manualTimers>;
let lastActiveId: string | null;
let service: AccountService;
const NOW = 1_000_000;

function makeService(extra: Partial<AccountServiceDeps> = {}): AccountService {
  const resolver = createBaseUrlResolver({ setting: () => emulator.url });
  return createAccountService({
    client: createPiecesClient({ resolver, timeoutMs: 2000 }),
    tokens,
    lastActive: { get: () => lastActiveId, set: (id) => void (lastActiveId = id) },
    timers,
    now: () => NOW,
    ...extra,
  });
}

beforeEach(async () => {
  emulator = await startEmulator({ users: 2, seed: 7 });
  tokens = memoryTokens();
  timers = manualTimers();
  lastActiveId = null;
  service = makeService();
});

afterEach(async () => {
  service.stop();
  await emulator.close();
});

const ada = { email: 'ada@example.com', name: 'Ada Lovelace' };
const grace = { email: 'grace@example.com', name: 'Grace Hopper' };

async function signIn(person: typeof ada): Promise<{ id: string; token: OAuthTokenInput }> {
  const token = emulator.mintToken(person);
  const result = await service.signIn(token);
  if (!result.ok) throw new Error(result.error.message);
  return { id: result.value.id, token };
}

/** Every snapshot pushed from now on. */
function record(): StateSnapshot[] {
  const seen: StateSnapshot[] = [];
  service.subscribe((s) => seen.push(s));
  return seen;
}

const listed = (id: string) => service.snapshot().accounts.some((a) => a.id === id);

/** Signs Grace in, then has another app disconnect her: Pieces OS no longer lists her. */
async function graceDisconnectedElsewhere() {
  const g = await signIn(grace);
  const res = await fetch(`${emulator.url}/users/${g.id}/disconnect`, { method: 'POST' });
  expect(res.status).toBe(200);
  await service.refresh();
  expect(service.snapshot().accounts.find((a) => a.id === g.id)).toMatchObject({
    connected: false,
    hasToken: true,
  });
  return g;
}

describe('a sign-in that runs out of time', () => {
  /** The session's own request gives up after 200 ms; the app's limit is `limitMs`. */
  async function timedOut(limitMs: number, requestMs: number): Promise<string> {
    const resolver = createBaseUrlResolver({ setting: () => emulator.url });
    const client = createPiecesClient({ resolver, timeoutMs: 2000 });
    const session = piecesOsSession(client);
    service.stop();
    service = makeService({
      client,
      session: {
        ...session,
        signIn: ({ signal }) => session.signIn({ signal, timeoutMs: requestMs }),
      },
      signInTimeoutMs: () => limitMs,
    });
    await service.start();
    const result = await service.signInWithPieces();
    expect(result).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    expect(service.snapshot().pendingSignIn).toBeNull();
    return result.ok ? '' : result.error.message;
  }

  it('says how long the app waited, in whole minutes, or "too long" under half a minute', async () => {
    expect(await timedOut(300, 300)).toBe(
      'The sign-in was not finished within too long, so the app stopped waiting. Try again when you are ready.',
    );
    expect(await timedOut(60_000, 200)).toBe(
      'The sign-in was not finished within 1 minute, so the app stopped waiting. Try again when you are ready.',
    );
    expect(await timedOut(150_000, 200)).toMatch(
      /^The sign-in was not finished within 3 minutes, /,
    );
  });
});

describe('sign in with the browser', () => {
  it('where the app has no sign-in provider at all, says how to set one up', async () => {
    await service.start();
    const result = await service.signInWithBrowser();
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    expect(!result.ok && result.error.message).toMatch(/issuer URL and client id in Settings/);
    expect(service.snapshot().pendingSignIn).toBeNull();
  });

  it('cancelling when no browser sign-in waits does nothing', async () => {
    await service.start();
    expect(service.cancelBrowserSignIn()).toBeNull();
    expect(service.cancelSignIn()).toBeNull();
  });

  it('a sign-in waiting in the browser shows as pending, with a deadline five minutes on', async () => {
    const provider = await startTestProvider();
    try {
      let opened = 0;
      service = makeService({
        auth: () =>
          createBrowserAuth({
            provider: provider.settings(),
            allowLoopbackIssuer: true,
            openExternal: async () => void opened++,
          }),
      });
      await service.start();
      const waiting = service.signInWithBrowser();
      await expect.poll(() => opened).toBe(1);
      expect(service.snapshot().pendingSignIn).toEqual({ via: 'browser', deadline: NOW + 300_000 });
      service.cancelBrowserSignIn();
      expect(await waiting).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
      expect(service.snapshot().pendingSignIn).toBeNull();
    } finally {
      service.stop();
      await provider.close();
    }
  });
});

describe('signing out one account', () => {
  it('a server error for a user Pieces OS no longer lists keeps the sign-in', async () => {
    await service.start();
    const g = await graceDisconnectedElsewhere();
    emulator.setFaults({ disconnect: { status: 500, body: 'database locked', times: 1 } });
    expect(await service.signOut(g.id)).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 500 },
    });
    expect(tokens.get(g.id)).toEqual(g.token);
    expect(listed(g.id)).toBe(true);
  });

  it('a 404 for a user Pieces OS no longer lists forgets the saved sign-in', async () => {
    await service.start();
    const g = await graceDisconnectedElsewhere();
    emulator.setFaults({ disconnect: { status: 404, body: 'User not found', times: 1 } });
    expect(await service.signOut(g.id)).toMatchObject({ ok: true });
    expect(tokens.has(g.id)).toBe(false);
    expect(listed(g.id)).toBe(false);
  });

  it('forgets the remembered last account only when that account signs out', async () => {
    // No GET /user: the app remembers the account it switched to.
    emulator.setFaults({ currentUser: { status: 404, body: 'Not Found' } });
    await service.start();
    const a = await signIn(ada);
    const g = await signIn(grace);
    expect((await service.switchTo(a.id)).ok).toBe(true);
    expect(lastActiveId).toBe(a.id);
    await service.idle();
    expect((await service.signOut(g.id)).ok).toBe(true);
    expect(lastActiveId).toBe(a.id);
    await service.idle();
    expect((await service.signOut(a.id)).ok).toBe(true);
    expect(lastActiveId).toBeNull();
  });

  it('refuses an account that is not in the list, and asks Pieces OS nothing', async () => {
    await service.start();
    await signIn(ada);
    const before = emulator.requestCount('disconnect');
    const result = await service.signOut('00000000-0000-4000-8000-000000000000');
    expect(result).toEqual({
      ok: false,
      error: { kind: 'invalid-input', message: 'That account is not in the list any more.' },
    });
    expect(emulator.requestCount('disconnect')).toBe(before);
  });

  it('shows "signing out" that account while it runs', async () => {
    await service.start();
    const a = await signIn(ada);
    await service.idle();
    const seen = record();
    expect((await service.signOut(a.id)).ok).toBe(true);
    expect(seen[0]?.operation).toEqual({ kind: 'sign-out', accountId: a.id });
    expect(seen.at(-1)?.operation).toBeNull();
  });
});

describe('signing out of several accounts', () => {
  it('shows each account leaving as it goes, and ends with every one out and no error', async () => {
    await service.start();
    await signIn(ada);
    await signIn(grace);
    await service.idle();
    const count = service.snapshot().accounts.length;
    const seen = record();
    const result = await service.signOutAll();
    expect(result.ok && result.value).toMatchObject({ failed: [] });
    expect(result.ok && result.value.signedOut).toHaveLength(count);
    expect(seen[0]?.operation).toEqual({ kind: 'sign-out-all' });
    // Not held until the end: a snapshot in between already lacks an account.
    expect(
      seen.some(
        (s) =>
          s.operation?.kind === 'sign-out-all' &&
          s.accounts.length < count &&
          s.accounts.length > 0,
      ),
    ).toBe(true);
    expect(service.snapshot().accounts).toEqual([]);
    expect(service.snapshot().lastError).toBeNull();
  });

  it('signs out only the accounts asked for', async () => {
    await service.start();
    const a = await signIn(ada);
    const g = await signIn(grace);
    await service.idle();
    const others = service
      .snapshot()
      .accounts.map((x) => x.id)
      .filter((id) => id !== a.id);
    const result = await service.signOutMany([a.id]);
    expect(result.ok && result.value).toEqual({ signedOut: [a.id], failed: [] });
    expect(listed(a.id)).toBe(false);
    expect(others.every(listed)).toBe(true);
    expect(tokens.get(g.id)).toEqual(g.token);
  });

  it('names every account it could not sign out, in one error', async () => {
    await service.start();
    const a = await signIn(ada);
    const g = await signIn(grace);
    await service.idle();
    emulator.setFaults({ disconnect: { status: 500, body: 'database locked', times: 2 } });
    const names = service
      .snapshot()
      .accounts.filter((x) => x.id === a.id || x.id === g.id)
      .map((x) => x.displayName);
    expect([...names].sort()).toEqual(['Ada Lovelace', 'Grace Hopper']);
    const result = await service.signOutMany([a.id, g.id]);
    expect(result.ok && result.value.failed.map((f) => f.id).sort()).toEqual([a.id, g.id].sort());
    expect(service.snapshot().lastError).toMatchObject({
      operation: { kind: 'sign-out-all' },
      error: {
        kind: 'http',
        status: 500,
        // In the order of the list.
        message: `Could not sign out of ${names.join(', ')}.`,
      },
    });
    expect(tokens.has(a.id) && tokens.has(g.id)).toBe(true);
  });

  it('is refused while another operation runs, and signs nobody out', async () => {
    await service.start();
    const a = await signIn(ada);
    await signIn(grace);
    await service.idle();
    emulator.setFaults({ signIn: { latencyMs: 150, times: 1 } });
    const switching = service.switchTo(a.id);
    expect(await service.signOutAll()).toMatchObject({ ok: false, error: { kind: 'busy' } });
    expect((await switching).ok).toBe(true);
    expect(emulator.requestCount('disconnect')).toBe(0);
  });
});

describe('forgetting a saved sign-in', () => {
  it('refuses an account the app keeps no sign-in for', async () => {
    const s = await service.start();
    const result = await service.forgetSignIn(s.accounts[0]!.id);
    expect(result).toEqual({
      ok: false,
      error: { kind: 'invalid-input', message: 'The app keeps no sign-in for that account.' },
    });
    expect(service.snapshot().lastError).toBeNull();
  });

  it('shows "signing out" that account while it runs, and keeps the account in Pieces OS', async () => {
    await service.start();
    const a = await signIn(ada);
    await service.idle();
    const seen = record();
    expect((await service.forgetSignIn(a.id)).ok).toBe(true);
    expect(seen[0]?.operation).toEqual({ kind: 'sign-out', accountId: a.id });
    expect(tokens.has(a.id)).toBe(false);
    expect(listed(a.id)).toBe(true);
  });
});

describe('retrying, subscribing, stopping', () => {
  it('retry while offline shows "connecting" at once, then online', async () => {
    await service.start();
    await emulator.stop();
    await service.refresh();
    await emulator.start();
    const seen = record();
    expect((await service.retryNow()).ok).toBe(true);
    expect(seen.map((s) => s.connection.status)).toEqual(['connecting', 'online']);
  });

  it('retry while online never shows "connecting"', async () => {
    await service.start();
    const seen = record();
    expect((await service.retryNow()).ok).toBe(true);
    expect(seen.some((s) => s.connection.status !== 'online')).toBe(false);
  });

  it('retry works with live updates that cannot be told to retry', async () => {
    const resolver = createBaseUrlResolver({ setting: () => emulator.url });
    const live = createLiveUpdates({
      resolve: () => resolver.resolve(),
      invalidate: () => resolver.invalidate(),
    });
    service = makeService({ live: { start: (l) => live.start(l), stop: () => live.stop() } });
    await service.start();
    expect((await service.retryNow()).ok).toBe(true);
  });

  it('a listener that unsubscribed is told nothing more', async () => {
    await service.start();
    const seen: StateSnapshot[] = [];
    const off = service.subscribe((s) => seen.push(s));
    service.addNotice({ id: 'n1', level: 'info', message: 'One.' });
    off();
    service.addNotice({ id: 'n2', level: 'info', message: 'Two.' });
    expect(seen).toHaveLength(1);
  });

  it('stop leaves no refresh scheduled, and a refresh after it schedules none', async () => {
    await service.start();
    expect(timers.delays()).toEqual([30_000]);
    service.stop();
    expect(timers.delays()).toEqual([]);
    await service.refresh();
    expect(timers.delays()).toEqual([]);
  });

  it('idle waits for a refresh that is running', async () => {
    await service.start();
    emulator.setFaults({ listUsers: { latencyMs: 100, times: 1 } });
    let done = false;
    void service.refresh().then(() => (done = true));
    await service.idle();
    expect(done).toBe(true);
  });
});
