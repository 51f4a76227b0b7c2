// Rules of the account service a person notices, against the emulator over real HTTP: the words
// of "please wait", which account a message names, when a saved sign-in shows as expiring, when
// the next retry is, what the service asks Pieces OS and when it schedules the next refresh.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import type { Notice, OAuthTokenInput, StateSnapshot } from '../../shared/domain';
import { manualTimers, memoryTokens, snapshotWhere } from '../../../test/support/account-testing';
import { closedPort } from '../../../test/support/ports';
import { createBaseUrlResolver } from '../pieces/base-url';
import { createPiecesClient } from '../pieces/client';
import { createLiveUpdates } from '../pieces/live';
import { piecesOsSession } from '../pieces/session';
import {
  createAccountService,
  type AccountService,
  type AccountServiceDeps,
} from './account-service';

const NOW = 1_000_000;

let emulator: Emulator;
let tokens: ReturnType<typeof memoryTokens>;
let timers: ReturnType<typeof manualTimers>;
let service: AccountService;

function makeService(extra: Partial<AccountServiceDeps> = {}): AccountService {
  const resolver = createBaseUrlResolver({ setting: () => emulator.url, env: {} });
  const client = createPiecesClient({ resolver, timeoutMs: 2000 });
  return createAccountService({
    client,
    tokens,
    lastActive: { get: () => null, set: () => undefined },
    timers,
    now: () => NOW,
    ...extra,
  });
}

beforeEach(async () => {
  emulator = await startEmulator({ users: 2, seed: 7 });
  tokens = memoryTokens();
  timers = manualTimers();
  service = makeService();
});

afterEach(async () => {
  service.stop();
  await emulator.close();
});

const ada = { email: 'ada@example.com', name: 'Ada Lovelace' };
const grace = { email: 'grace@example.com', name: 'Grace Hopper' };

async function signIn(person: { email: string; name: string }): Promise<string> {
  const result = await service.signIn(emulator.mintToken(person));
  if (!result.ok) throw new Error(result.error.message);
  await service.idle();
  return result.value.id;
}

/** The words another action gets while the running one is not finished. */
async function busyWords(): Promise<string> {
  const result = await service.signOutAll();
  if (result.ok) throw new Error('expected the app to be busy');
  return result.error.message;
}

const UNKNOWN_ID = '0badc0de-0000-4000-8000-000000000000';

describe('"please wait" names what the app is doing', () => {
  it('a switch, a sign-in, a sign-out and signing out of all, each in its own words', async () => {
    await service.start();
    const a = await signIn(ada);
    await signIn(grace);

    emulator.setFaults({ signIn: { latencyMs: 150, times: 1 } });
    let running: Promise<unknown> = service.switchTo(a);
    expect(await busyWords()).toBe('Please wait: the app is switching to Ada Lovelace.');
    await running;
    await service.idle();

    emulator.setFaults({ signIn: { latencyMs: 150, times: 1 } });
    running = service.signIn(emulator.mintToken(grace));
    expect(await busyWords()).toBe('Please wait: the app is signing in.');
    await running;
    await service.idle();

    emulator.setFaults({ disconnect: { latencyMs: 150, times: 1 } });
    running = service.signOut(a);
    expect(await busyWords()).toBe('Please wait: the app is signing out Ada Lovelace.');
    await running;
    await service.idle();

    emulator.setFaults({ disconnect: { latencyMs: 150, times: 1 } });
    running = service.signOutAll();
    const refused = await service.switchTo(a);
    expect(!refused.ok && refused.error.message).toBe(
      'Please wait: the app is signing out of all accounts.',
    );
    await running;
  });

  it('an account the app cannot name is "another account" / "an account" / "this account"', async () => {
    await service.start();
    // A refresh that Pieces OS holds open: the operation waits for it, and meanwhile it runs.
    emulator.setFaults({ listUsers: { latencyMs: 150, times: 1 } });
    void service.refresh();
    const switching = service.switchTo(UNKNOWN_ID);
    expect(await busyWords()).toBe('Please wait: the app is switching to another account.');
    expect(await switching).toMatchObject({
      ok: false,
      error: {
        kind: 'needs-sign-in',
        message:
          'The app has no saved sign-in for this account. Sign in as this account to add it again.',
      },
    });
    await service.idle();

    // A sign-in kept for someone the account list does not show.
    await tokens.set(UNKNOWN_ID, emulator.mintToken(ada));
    emulator.setFaults({ listUsers: { latencyMs: 150, times: 1 } });
    void service.refresh();
    const forgetting = service.forgetSignIn(UNKNOWN_ID);
    expect(await busyWords()).toBe('Please wait: the app is signing out an account.');
    expect((await forgetting).ok).toBe(true);
    expect(tokens.has(UNKNOWN_ID)).toBe(false);
  });

  it('a saved sign-in that Pieces OS does not list is named as the list shows it', async () => {
    // Saved under an id Pieces OS does not know; its token signs in Ada.
    tokens.map.set(UNKNOWN_ID, emulator.mintToken(ada));
    service.stop();
    service = makeService();
    const s = await service.start();
    const shown = s.accounts.find((x) => x.id === UNKNOWN_ID)?.displayName;
    expect(shown).toBe('Account 0badc0de');
    const result = await service.switchTo(UNKNOWN_ID);
    expect(result).toMatchObject({
      ok: false,
      error: {
        kind: 'bad-response',
        message: 'Pieces OS signed in Ada Lovelace instead of Account 0badc0de.',
      },
    });
  });
});

describe('saved sign-ins in the list', () => {
  const token = (extra: Partial<OAuthTokenInput & { obtained_at: number; issuer: string }>) => ({
    access_token: 'secret-access',
    token_type: 'Bearer',
    ...extra,
  });

  it('shows when a sign-in expires only where it cannot renew itself and its lifetime is known', async () => {
    const [one, two, three, four] = [1, 2, 3, 4].map(
      (n) => `00000000-0000-4000-8000-00000000000${n}`,
    ) as [string, string, string, string];
    // Known lifetime, nothing to renew it with: shown.
    tokens.map.set(one, token({ expires_in: 3600, obtained_at: NOW }) as OAuthTokenInput);
    // Lifetime unknown (0): not shown.
    tokens.map.set(two, token({ expires_in: 0, obtained_at: NOW }) as OAuthTokenInput);
    // Renewable (a refresh token and the provider that issued it): not shown.
    tokens.map.set(
      three,
      token({
        expires_in: 3600,
        obtained_at: NOW,
        refresh_token: 'secret-refresh',
        issuer: 'https://id.example.com',
      }) as OAuthTokenInput,
    );
    // A refresh token, but no known provider to renew it at: shown.
    tokens.map.set(
      four,
      token({
        expires_in: 3600,
        obtained_at: NOW,
        refresh_token: 'secret-refresh',
      }) as OAuthTokenInput,
    );
    service.stop();
    service = makeService();
    const s = await service.start();
    const expiry = (id: string) => s.accounts.find((x) => x.id === id)?.signInExpiresAt ?? null;
    const at = new Date(NOW + 3_600_000).toISOString();
    expect([one, two, three, four].map(expiry)).toEqual([at, null, null, at]);
    expect(JSON.stringify(s)).not.toContain('secret-');
  });
});

describe('state the window is told', () => {
  it('the first snapshot is revision 1, read as often as wanted without becoming a new one', () => {
    const first = service.snapshot();
    expect(first.revision).toBe(1);
    expect(service.snapshot()).toBe(first);
  });

  it('notices given at creation show from the first snapshot on', () => {
    const notices: Notice[] = [
      { id: 'vault', level: 'warning', message: 'Sign-ins are not saved.' },
    ];
    service = makeService({ notices });
    expect(service.snapshot().notices).toEqual(notices);
  });

  it('offline, the next automatic retry is said as a time after now', async () => {
    await service.start();
    await emulator.stop();
    const s = await service.refresh();
    expect(s.connection).toMatchObject({ status: 'offline', nextRetryAt: NOW + 1000 });
  });

  it('asks Pieces OS its version again after it could not say it', async () => {
    emulator.setFaults({ version: { status: 500, body: 'busy', times: 1 } });
    const first = await service.start();
    expect(first.connection).toEqual({ status: 'online', url: emulator.url });
    const again = await service.refresh();
    expect(again.connection).toMatchObject({ status: 'online', version: '12.0.0' });
  });
});

describe('refresh scheduling', () => {
  it('a service not started schedules nothing; a stopped one schedules nothing more', async () => {
    const s = await service.refresh();
    expect(s.connection.status).toBe('online');
    expect(timers.delays()).toEqual([]);
    await service.start();
    expect(timers.delays()).toEqual([30_000]);
    service.stop();
    expect(timers.delays()).toEqual([]);
    await service.refresh();
    expect(timers.delays()).toEqual([]);
  });

  it('the scheduled refresh, when due, asks Pieces OS and shows what changed', async () => {
    await service.start();
    // Another client signs Grace in; nobody tells the app.
    await fetch(`${emulator.url}/users/authenticate/from_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(emulator.mintToken(grace)),
    });
    const listed = emulator.requestCount('listUsers');
    expect(timers.fireAll()).toEqual([30_000]);
    await service.idle();
    expect(emulator.requestCount('listUsers')).toBe(listed + 1);
    const s = service.snapshot();
    expect(s.accounts.find((x) => x.id === s.activeId)?.displayName).toBe('Grace Hopper');
  });

  it('a refresh asked for while an operation runs asks Pieces OS nothing and shows the operation', async () => {
    await service.start();
    const a = await signIn(ada);
    await signIn(grace);
    emulator.setFaults({ signIn: { latencyMs: 150, times: 1 } });
    const switching = service.switchTo(a);
    const listed = emulator.requestCount('listUsers');
    const current = emulator.requestCount('currentUser');
    const s: StateSnapshot = await service.refresh();
    expect(s.operation).toMatchObject({ kind: 'switch', accountId: a });
    expect([emulator.requestCount('listUsers'), emulator.requestCount('currentUser')]).toEqual([
      listed,
      current,
    ]);
    expect((await switching).ok).toBe(true);
  });
});

describe('with the live streams', () => {
  function liveService(extra: Partial<AccountServiceDeps> = {}): AccountService {
    const resolver = createBaseUrlResolver({ setting: () => emulator.url, env: {} });
    const client = createPiecesClient({ resolver, timeoutMs: 2000 });
    return createAccountService({
      client,
      tokens,
      lastActive: { get: () => null, set: () => undefined },
      timers,
      now: () => NOW,
      session: piecesOsSession(client),
      live: createLiveUpdates({
        resolve: () => resolver.resolve(),
        invalidate: () => resolver.invalidate(),
      }),
      ...extra,
    });
  }

  const until = (test: (s: StateSnapshot) => boolean) => snapshotWhere(service, test);

  it('while the streams are up, the safety refresh comes at the configured live interval', async () => {
    service.stop();
    service = liveService({ liveRefreshIntervalMs: 45_000 });
    await service.start();
    await until((s) => s.connection.status === 'online' && s.connection.updates === 'live');
    await service.idle();
    expect(timers.delays()).toEqual([45_000]);
  });

  it('a Pieces sign-in waits three minutes unless told otherwise', async () => {
    service.stop();
    service = liveService();
    await service.start();
    const waiting = service.signInWithPieces();
    await emulator.whenSignInPending();
    expect(service.snapshot().pendingSignIn).toMatchObject({
      via: 'pieces',
      deadline: NOW + 180_000,
    });
    service.cancelSignIn();
    expect(await waiting).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
  });
});

describe('which Pieces OS a refresh names', () => {
  let url: string;
  let resolver: ReturnType<typeof createBaseUrlResolver>;
  let svc: AccountService;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'k1-home-'));

  function serviceAt(opts: Parameters<typeof createBaseUrlResolver>[0]): AccountService {
    resolver = createBaseUrlResolver(opts);
    return createAccountService({
      client: createPiecesClient({ resolver, timeoutMs: 2000 }),
      tokens,
      lastActive: { get: () => null, set: () => undefined },
      timers,
      now: () => NOW,
    });
  }

  afterEach(() => {
    svc?.stop();
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

  it('a refresh that fails where Pieces OS was found by probing lists every address probed', async () => {
    const closed = await closedPort();
    const port = Number(new URL(emulator.url).port);
    svc = serviceAt({ env: {}, homeDir: home, probePorts: [closed, port], legacyPorts: [] });
    emulator.setFaults({ listUsers: { status: 500, body: 'database locked' } });
    const s = await svc.start();
    expect(s.connection.status).toBe('offline');
    const tried = s.connection.status === 'offline' ? [...s.connection.tried].sort() : [];
    expect(tried).toEqual([`http://127.0.0.1:${closed}`, emulator.url].sort());
  });

  /** Holds the next user list open, then points the setting at `next` and looks it up there. */
  async function moveDuringRefresh(next: string, running: () => Promise<StateSnapshot>) {
    emulator.setFaults({ listUsers: { latencyMs: 200, times: 1 } });
    const listed = emulator.requestCount('listUsers');
    const result = running();
    await expect.poll(() => emulator.requestCount('listUsers')).toBe(listed + 1);
    url = next;
    const retried = svc.retryNow();
    // Another request meanwhile finds the new address (and fails there).
    expect((await svc.details(UNKNOWN_ID)).ok).toBe(false);
    return { result: await result, retried: await retried };
  }

  it('a refresh that failed at the old address names that address, not the one set since', async () => {
    url = emulator.url;
    svc = serviceAt({ setting: () => url, env: {} });
    await svc.start();
    const closed = `http://127.0.0.1:${await closedPort()}`;
    emulator.setFaults({ listUsers: { latencyMs: 200, status: 500, body: 'busy', times: 1 } });
    const listed = emulator.requestCount('listUsers');
    const running = svc.refresh();
    await expect.poll(() => emulator.requestCount('listUsers')).toBe(listed + 1);
    url = closed;
    const retried = svc.retryNow();
    expect((await svc.details(UNKNOWN_ID)).ok).toBe(false);
    expect((await running).connection).toMatchObject({ status: 'offline', tried: [emulator.url] });
    expect(await retried).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    expect(svc.snapshot().connection).toMatchObject({ status: 'offline', tried: [closed] });
  });

  it('the first refresh asks the version of the Pieces OS it listed, even if the setting moved on', async () => {
    url = emulator.url;
    svc = serviceAt({ setting: () => url, env: {} });
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const { result } = await moveDuringRefresh(closed, () => svc.start());
    expect(result.connection).toEqual({ status: 'online', url: emulator.url, version: '12.0.0' });
  });
  it('after a sign-in at a Pieces OS that moved, asks the new one who is current, not only its list', async () => {
    const other = await startEmulator({ users: 1, seed: 99, version: '13.5.0' });
    try {
      url = emulator.url;
      svc = serviceAt({ setting: () => url, env: {} });
      await svc.start();
      // Pieces OS quits and comes back elsewhere; the app has not refreshed since.
      await emulator.stop();
      url = other.url;
      expect(await svc.details(UNKNOWN_ID)).toMatchObject({
        ok: false,
        error: { kind: 'unreachable' },
      });
      const result = await svc.signIn(other.mintToken(ada));
      expect(result.ok).toBe(true);
      await svc.idle();
      expect(other.requestCount('currentUser')).toBe(1);
      expect(svc.snapshot().connection).toEqual({
        status: 'online',
        url: other.url,
        version: '13.5.0',
      });
    } finally {
      await other.close();
    }
  });
});

describe('said at once', () => {
  it('looking for Pieces OS again while a switch runs shows at once, not when the switch ends', async () => {
    await service.start();
    const a = await signIn(ada);
    await signIn(grace);
    emulator.setFaults({ listUsers: { status: 500, body: 'busy', times: 1 } });
    expect((await service.refresh()).connection.status).toBe('offline');
    emulator.setFaults({ signIn: { latencyMs: 150, times: 1 } });
    const seen: StateSnapshot[] = [];
    service.subscribe((s) => seen.push(s));
    const switching = service.switchTo(a);
    await service.retryNow();
    expect(
      seen.some((s) => s.connection.status === 'connecting' && s.operation?.kind === 'switch'),
    ).toBe(true);
    expect((await switching).ok).toBe(true);
  });

  it('with the real clock, the regular refresh comes by itself', async () => {
    service.stop();
    const resolver = createBaseUrlResolver({ setting: () => emulator.url, env: {} });
    service = createAccountService({
      client: createPiecesClient({ resolver, timeoutMs: 2000 }),
      tokens,
      lastActive: { get: () => null, set: () => undefined },
      refreshIntervalMs: 20,
    });
    await service.start();
    await fetch(`${emulator.url}/users/authenticate/from_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(emulator.mintToken(grace)),
    });
    // Nothing asks: only the app's own timer can bring Grace to the screen.
    const graceActive = (s: StateSnapshot) =>
      s.accounts.find((x) => x.id === s.activeId)?.displayName === 'Grace Hopper';
    const s = await new Promise<StateSnapshot>((resolve) => {
      const off = service.subscribe((next) => {
        if (!graceActive(next)) return;
        off();
        resolve(next);
      });
    });
    expect(s.connection.status).toBe('online');
  });
});
