// What the account service promises around switching, token sign-ins, Pieces sign-ins, the
// operation lock and the live streams: the rules a person would notice when broken. Against the
// emulator over real HTTP and WebSockets; only time ("now") is fixed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { ENDPOINT_NAMES, type EndpointName } from '../../../emulator/types';
import type { StateSnapshot } from '../../shared/domain';
import {
  manualTimers,
  memoryTokens,
  signInWithPiecesAs,
  snapshotWhere,
} from '../../../test/support/account-testing';
import { createBaseUrlResolver } from '../pieces/base-url';
import { createPiecesClient } from '../pieces/client';
import { createLiveUpdates } from '../pieces/live';
import { piecesOsSession } from '../pieces/session';
import { createAccountService, type AccountService } from './account-service';

const NOW = 1_000_000;
const LIMIT = 60_000;

let emulator: Emulator;
let tokens: ReturnType<typeof memoryTokens>;
let lastActiveId: string | null;
let service: AccountService;

interface Seeded {
  id: string;
  email: string;
  name: string;
}

function makeService(opts: { live?: boolean; session?: boolean } = {}): AccountService {
  const resolver = createBaseUrlResolver({ setting: () => emulator.url });
  const client = createPiecesClient({ resolver, timeoutMs: 2_000 });
  return createAccountService({
    client,
    tokens,
    lastActive: { get: () => lastActiveId, set: (id) => void (lastActiveId = id) },
    ...(opts.session === false ? {} : { session: piecesOsSession(client) }),
    ...(opts.live
      ? {
          live: createLiveUpdates({
            resolve: () => resolver.resolve(),
            invalidate: () => resolver.invalidate(),
          }),
        }
      : { timers: manualTimers() }),
    now: () => NOW,
    signInTimeoutMs: () => LIMIT,
  });
}

beforeEach(async () => {
  emulator = await startEmulator({ users: 3, seed: 5 });
  tokens = memoryTokens();
  lastActiveId = null;
});

afterEach(async () => {
  service?.stop();
  await emulator.close();
});

const seeded = (): Seeded[] => emulator.users() as Seeded[];
const ada = { email: 'ada@example.com', name: 'Ada Lovelace' };
const grace = { email: 'grace@example.com', name: 'Grace Hopper' };

/** Signs in a freshly minted token for `person`; returns their id. */
async function signInToken(person: { email: string; name: string }): Promise<string> {
  const result = await service.signIn(emulator.mintToken(person));
  if (!result.ok) throw new Error(result.error.message);
  return result.value.id;
}

/** Requests made to each endpoint while `run` ran (and the refresh it started settled). */
async function requestsDuring(
  run: () => Promise<unknown>,
): Promise<Partial<Record<EndpointName, number>>> {
  const counts = () => new Map(ENDPOINT_NAMES.map((e) => [e, emulator.requestCount(e)] as const));
  await service.idle();
  const before = counts();
  await run();
  await service.idle();
  const after = counts();
  return Object.fromEntries(
    ENDPOINT_NAMES.map((e) => [e, after.get(e)! - before.get(e)!] as const).filter(
      ([, n]) => n > 0,
    ),
  );
}

const until = (test: (s: StateSnapshot) => boolean) => snapshotWhere(service, test);

const signInAs = (who: { id?: string; email?: string; name?: string }, accountId?: string) =>
  signInWithPiecesAs(service, emulator, who, accountId);

describe('switching accounts', () => {
  it('switching to the account already active succeeds at once, asking Pieces OS nothing', async () => {
    service = makeService();
    const s = await service.start();
    // The current user has no saved sign-in: a switch that went to Pieces OS would fail.
    const made = await requestsDuring(async () => {
      expect(await service.switchTo(s.activeId!)).toMatchObject({
        ok: true,
        value: { activeId: s.activeId },
      });
    });
    expect(made).toEqual({});
  });

  it('switching to an account without a saved sign-in says whose sign-in to add', async () => {
    service = makeService();
    const s = await service.start();
    const other = s.accounts.find((a) => a.id !== s.activeId)!;
    expect(await service.switchTo(other.id)).toMatchObject({
      ok: false,
      error: {
        kind: 'needs-sign-in',
        message: `The app has no saved sign-in for ${other.displayName}. Sign in as ${other.displayName} to add it again.`,
      },
    });
    // An account the app does not know by name is still answered in words.
    expect(await service.switchTo('nobody-known')).toMatchObject({
      ok: false,
      error: {
        kind: 'needs-sign-in',
        message:
          'The app has no saved sign-in for this account. Sign in as this account to add it again.',
      },
    });
  });

  it('a saved sign-in that signs in someone else is an error naming both, and the switch is not claimed', async () => {
    service = makeService();
    await service.start();
    const a = await signInToken(ada);
    await signInToken(grace);
    // Ada's saved sign-in has been replaced by one of Grace's (a mix-up on disk).
    tokens.map.set(a, emulator.mintToken(grace));
    const result = await service.switchTo(a);
    const error = {
      kind: 'bad-response',
      message: 'Pieces OS signed in Grace Hopper instead of Ada Lovelace.',
    };
    expect(result).toMatchObject({ ok: false, error });
    expect(service.snapshot().lastError).toMatchObject({ operation: { kind: 'switch' }, error });
    expect(service.snapshot().activeId).not.toBe(a);
  });
});

describe('signing in with a token', () => {
  it('shows a running sign-in, then asks Pieces OS only for the list (it already said who is current)', async () => {
    service = makeService();
    await service.start();
    const seen: (string | null)[] = [];
    service.subscribe((s) => seen.push(s.operation?.kind ?? null));
    const made = await requestsDuring(() => signInToken(ada));
    expect(seen[0]).toBe('sign-in');
    expect(made).toEqual({ signIn: 1, listUsers: 1 });
  });

  it('the next operation asks Pieces OS who is current again', async () => {
    service = makeService();
    await service.start();
    await signInToken(ada);
    const g = await signInToken(grace);
    const made = await requestsDuring(() => service.signOut(g));
    expect(made.currentUser).toBeGreaterThanOrEqual(1);
  });

  it('where Pieces OS has no GET /user, a token sign-in is remembered for the next start', async () => {
    emulator.setFaults({ currentUser: { status: 404, body: 'Not Found' } });
    service = makeService();
    await service.start();
    const a = await signInToken(ada);
    expect(lastActiveId).toBe(a);
  });
});

describe('one operation at a time', () => {
  it('an action during a running one is refused with words saying what the app is doing', async () => {
    service = makeService();
    await service.start();
    emulator.setFaults({ signIn: { latencyMs: 200 } });
    const first = service.signIn(emulator.mintToken(ada));
    const second = await service.signIn(emulator.mintToken(grace));
    expect(second).toMatchObject({ ok: false, error: { kind: 'busy' } });
    if (!second.ok) expect(second.error.message).toMatch(/^Please wait: the app is .+\.$/);
    expect((await first).ok).toBe(true);
  });

  it('signing out of all accounts shows each account leaving as it goes, then lets others act', async () => {
    service = makeService();
    await service.start();
    const a = await signInToken(ada);
    const g = await signInToken(grace);
    await service.idle();
    const seen: StateSnapshot[] = [];
    service.subscribe((s) => seen.push(s));
    expect((await service.signOutAll()).ok).toBe(true);
    const running = seen.filter((s) => s.operation?.kind === 'sign-out-all');
    // While it still runs, a snapshot already shows one of the two gone.
    expect(
      running.some(
        (s) =>
          [a, g].filter((id) => s.accounts.some((x) => x.id === id && x.hasToken)).length === 1,
      ),
    ).toBe(true);
    await service.idle();
    // Nothing stays held: a later change is pushed as it happens.
    const count = seen.length;
    service.addNotice({ id: 'later', level: 'info', message: 'A later change.' });
    expect(seen).toHaveLength(count + 1);
  });
});

describe('sign in with Pieces', () => {
  it('a Pieces OS the app cannot run a sign-in through: refused in words, pointing to a token', async () => {
    service = makeService({ session: false });
    await service.start();
    expect(await service.signInWithPieces()).toEqual({
      ok: false,
      error: {
        kind: 'invalid-input',
        message: 'This Pieces OS cannot run a sign-in for the app. Sign in with a token instead.',
      },
    });
  });

  it('"Sign in as" shows whom the person was asked for, and when the app stops waiting', async () => {
    service = makeService();
    const s = await service.start();
    const target = s.accounts.at(-1)!;
    const result = service.signInWithPieces(target.id);
    await emulator.whenSignInPending();
    expect(service.snapshot().pendingSignIn).toEqual({
      via: 'pieces',
      deadline: NOW + LIMIT,
      forAccount: {
        id: target.id,
        displayName: target.displayName,
        ...(target.email ? { email: target.email } : {}),
      },
    });
    expect(target.email).toBeTruthy();
    emulator.completeSignIn({ id: target.id });
    // The person chose the account they were asked for: no "instead" in the outcome.
    const outcome = await result;
    expect(outcome).toMatchObject({ ok: true, value: { account: { id: target.id } } });
    expect(outcome.ok && 'intended' in outcome.value).toBe(false);
  });

  it('a plain sign-in names no account; the refresh after it asks only for the list', async () => {
    service = makeService();
    await service.start();
    const [a] = seeded();
    const made = await requestsDuring(async () => {
      const result = service.signInWithPieces();
      await emulator.whenSignInPending();
      expect(service.snapshot().pendingSignIn).toEqual({ via: 'pieces', deadline: NOW + LIMIT });
      emulator.completeSignIn({ id: a!.id });
      expect((await result).ok).toBe(true);
    });
    expect(made.currentUser ?? 0).toBe(0);
  });

  it('a failed sign-in is told as a failed sign-in; a second while one waits is refused in words', async () => {
    service = makeService();
    await service.start();
    const first = service.signInWithPieces();
    await emulator.whenSignInPending();
    expect(await service.signInWithPieces()).toEqual({
      ok: false,
      error: {
        kind: 'busy',
        message: 'A sign-in is already waiting in your browser. Finish it there, or cancel it.',
      },
    });
    service.cancelSignIn();
    const error = { kind: 'cancelled', message: 'The sign-in was cancelled.' };
    expect(await first).toEqual({ ok: false, error });
    expect(service.snapshot().lastError).toEqual({ operation: { kind: 'sign-in' }, error });
  });

  it('keeps the token Pieces OS hands out with the lifetime its expiry says', async () => {
    service = makeService();
    await service.start();
    const [a] = seeded();
    expect((await signInAs({ id: a!.id })).ok).toBe(true);
    const kept = tokens.get(a!.id)!;
    const payload = JSON.parse(
      Buffer.from(kept.access_token.split('.')[1]!, 'base64url').toString('utf8'),
    ) as { exp: number };
    expect(kept.obtained_at).toBe(NOW);
    expect(kept.expires_in).toBe(Math.round((payload.exp * 1000 - NOW) / 1000));
  });

  it('when Pieces OS fails to hand out the token, the app says it cannot switch back, and a later sign-in keeps it', async () => {
    service = makeService();
    await service.start();
    const [a] = seeded();
    emulator.setFaults({ accessToken: { status: 500, body: 'broken' } });
    expect((await signInAs({ id: a!.id })).ok).toBe(true);
    expect(tokens.has(a!.id)).toBe(false);
    expect(service.snapshot().notices.map((n) => n.id)).toContain(`no-switch-back-${a!.id}`);
    emulator.setFaults({});
    await service.idle();
    expect((await signInAs({ id: a!.id })).ok).toBe(true);
    expect(tokens.has(a!.id)).toBe(true);
  });
});

describe('live state from the streams', () => {
  it('Pieces OS stopping is told with the address that stopped and when the app tries again', async () => {
    service = makeService({ live: true });
    await service.start();
    await until((s) => s.connection.status === 'online' && s.connection.updates === 'live');
    await emulator.stop();
    const off = await until((s) => s.connection.status === 'offline');
    expect(off.connection).toMatchObject({
      status: 'offline',
      error: { kind: 'unreachable', message: expect.stringContaining('stopped answering') },
    });
    const c = off.connection as unknown as { tried: string[]; nextRetryAt: number };
    expect(c.tried.length).toBeGreaterThan(0);
    expect(c.nextRetryAt).toBeGreaterThan(NOW);
  });

  it('without a way to get tokens, another client signing someone in is shown with no warning', async () => {
    service = makeService({ live: true, session: false });
    await service.start();
    await until((s) => s.connection.status === 'online' && s.connection.updates === 'live');
    const [, b] = seeded();
    await fetch(`${emulator.url}/users/authenticate/from_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(emulator.mintToken({ email: b!.email })),
    });
    await until((s) => s.activeId === b!.id);
    await service.idle();
    expect(service.snapshot().notices.map((n) => n.id)).not.toContain(`no-switch-back-${b!.id}`);
  });
});

describe('who signs in elsewhere, seen on the user stream', () => {
  /** Another Pieces client signs `email` in through Pieces OS; the app did not ask. */
  async function otherClientSignsIn(token: object): Promise<void> {
    const res = await fetch(`${emulator.url}/users/authenticate/from_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(token),
    });
    expect(res.ok).toBe(true);
  }

  async function startLive(): Promise<void> {
    service = makeService({ live: true });
    await service.start();
    await until((s) => s.connection.status === 'online' && s.connection.updates === 'live');
  }

  const others = () => seeded().filter((u) => u.id !== emulator.currentUserId());

  it('only a new sign-in is kept: not the account already current at start, and no extra list', async () => {
    await startLive();
    const first = emulator.currentUserId();
    const [x] = others();
    const before = {
      tokens: emulator.requestCount('accessToken'),
      list: emulator.requestCount('listUsers'),
    };
    await otherClientSignsIn(emulator.mintToken({ email: x!.email }));
    await until(() => tokens.has(x!.id));
    expect(tokens.ids()).toEqual([x!.id]);
    expect(tokens.has(first!)).toBe(false);
    expect(emulator.requestCount('accessToken') - before.tokens).toBe(1);
    // A user already listed needs no new list.
    expect(emulator.requestCount('listUsers') - before.list).toBe(0);
  });

  it('a valid saved sign-in is left as it is; the next new one is kept', async () => {
    const [x, y] = seeded().filter((u) => u.id !== emulator.currentUserId());
    const saved = {
      ...emulator.mintToken({ email: x!.email }),
      obtained_at: NOW,
      expires_in: 3600,
    };
    tokens.map.set(x!.id, saved);
    await startLive();
    const before = emulator.requestCount('accessToken');
    await otherClientSignsIn(emulator.mintToken({ email: x!.email }));
    await until((s) => s.activeId === x!.id);
    await otherClientSignsIn(emulator.mintToken({ email: y!.email }));
    await until(() => tokens.has(y!.id));
    expect(emulator.requestCount('accessToken') - before).toBe(1);
    expect(tokens.get(x!.id)).toEqual(saved);
  });

  it('a saved sign-in that has just run out is replaced by the new one', async () => {
    const [x] = others();
    const stale = {
      ...emulator.mintToken({ email: x!.email }),
      obtained_at: NOW - 10_000,
      expires_in: 10,
    };
    tokens.map.set(x!.id, stale);
    await startLive();
    const fresh = emulator.mintToken({ email: x!.email });
    await otherClientSignsIn(fresh);
    const kept = await new Promise<string>((resolve) => {
      const check = () => {
        const t = tokens.get(x!.id);
        if (t && t.access_token !== stale.access_token) resolve(t.access_token);
      };
      check();
      service.subscribe(check);
    });
    expect(kept).not.toBe(stale.access_token);
    expect(tokens.get(x!.id)?.obtained_at).toBe(NOW);
  });

  it('someone Pieces OS had not listed yet shows up in the list', async () => {
    await startLive();
    await otherClientSignsIn(
      emulator.mintToken({ email: 'newcomer@example.com', name: 'New Comer' }),
    );
    const s = await until((s) => s.accounts.some((a) => a.displayName === 'New Comer'));
    expect(s.activeId).toBe(s.accounts.find((a) => a.displayName === 'New Comer')!.id);
  });
});

describe('keeping the token Pieces OS hands out', () => {
  it('a token with no known expiry is kept as one that does not say when it ends', async () => {
    service = makeService();
    await service.start();
    const [a] = seeded();
    emulator.setFaults({ accessToken: { status: 200, body: 'opaque-token-123' } });
    expect((await signInAs({ id: a!.id })).ok).toBe(true);
    expect(tokens.get(a!.id)).toEqual({
      access_token: 'opaque-token-123',
      token_type: 'Bearer',
      expires_in: 0,
      obtained_at: NOW,
    });
  });

  it('a Pieces OS that has no token to hand out: the person is told, once, in words', async () => {
    service = makeService();
    await service.start();
    const [a] = seeded();
    emulator.setFaults({ accessToken: { status: 404, body: 'Not Found' } });
    expect((await signInAs({ id: a!.id })).ok).toBe(true);
    expect(service.snapshot().notices.filter((n) => n.id === `no-switch-back-${a!.id}`)).toEqual([
      {
        id: `no-switch-back-${a!.id}`,
        level: 'info',
        message: `Pieces OS did not hand the app a sign-in for ${a!.name}, so switching back to this account later needs a new sign-in.`,
      },
    ]);
  });
});

describe('operations and refreshes', () => {
  it('a switch waits for a refresh already running, so the older list cannot undo it', async () => {
    service = makeService();
    await service.start();
    const a = await signInToken(ada);
    await signInToken(grace);
    await service.idle();
    emulator.setFaults({ listUsers: { latencyMs: 150 }, currentUser: { latencyMs: 150 } });
    const seen: (string | null)[] = [];
    service.subscribe((s) => seen.push(s.activeId));
    const refreshing = service.refresh();
    expect((await service.switchTo(a)).ok).toBe(true);
    await refreshing;
    await service.idle();
    expect(service.snapshot().activeId).toBe(a);
    // Once shown, the switch is never taken back on screen.
    expect(seen.slice(seen.indexOf(a))).toEqual(seen.slice(seen.indexOf(a)).map(() => a));
  });
});

it('a Pieces OS without streams says "polling" at once, not at its first poll', async () => {
  emulator.setFeatures({ userStream: false, healthStream: false });
  const resolver = createBaseUrlResolver({ setting: () => emulator.url });
  const client = createPiecesClient({ resolver, timeoutMs: 2_000 });
  const timers = manualTimers();
  service = createAccountService({
    client,
    tokens,
    lastActive: { get: () => null, set: () => undefined },
    live: createLiveUpdates({
      resolve: () => resolver.resolve(),
      invalidate: () => resolver.invalidate(),
    }),
    timers,
    now: () => NOW,
  });
  await service.start();
  // No poll ever fires here (the timers are manual): only the stream's own word can say it.
  await until((s) => s.connection.status === 'online' && s.connection.updates === 'polling');
  expect(timers.pending.size).toBeGreaterThan(0);
});

it('another client signing the current user out shows no active account at once', async () => {
  service = makeService({ live: true });
  await service.start();
  await until((s) => s.connection.status === 'online' && s.connection.updates === 'live');
  expect(service.snapshot().activeId).not.toBeNull();
  const res = await fetch(`${emulator.url}/os/sign_out`, { method: 'POST' });
  expect(res.ok).toBe(true);
  await until((s) => s.activeId === null);
  expect(tokens.ids()).toEqual([]);
});

it('a token that arrives after someone else became current is not kept under the one who signed in', async () => {
  service = makeService();
  await service.start();
  const [x, y] = seeded().filter((u) => u.id !== emulator.currentUserId());
  // Pieces OS is slow to hand out the token: meanwhile another client signs someone else in.
  emulator.setFaults({ accessToken: { latencyMs: 500 } });
  const result = service.signInWithPieces();
  await emulator.whenSignInPending();
  emulator.completeSignIn({ id: x!.id });
  await until((s) => s.activeId === x!.id);
  const res = await fetch(`${emulator.url}/users/authenticate/from_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(emulator.mintToken({ email: y!.email })),
  });
  expect(res.ok).toBe(true);
  expect((await service.refresh()).activeId).toBe(y!.id);
  expect(await result).toMatchObject({ ok: true, value: { account: { id: x!.id } } });
  // The token Pieces OS answered with is the new current user's: kept under nobody.
  expect(tokens.ids()).toEqual([]);
  expect(service.snapshot().notices.map((n) => n.id)).not.toContain(`no-switch-back-${x!.id}`);
});
