// Signing in the way Pieces' own clients do (POST /os/sign_in), keeping the token Pieces OS hands
// out (GET /user/access_token) so switching back works, and following Pieces OS live over its
// WebSocket streams: all against the emulator over real HTTP and WebSockets.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
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

let emulator: Emulator;
let tokens: ReturnType<typeof memoryTokens>;
let service: AccountService;

interface Seeded {
  id: string;
  email: string;
}

function makeService(opts: { live?: boolean; signInTimeoutMs?: number } = {}): AccountService {
  const resolver = createBaseUrlResolver({ setting: () => emulator.url });
  const client = createPiecesClient({ resolver, timeoutMs: 2_000 });
  return createAccountService({
    client,
    tokens,
    lastActive: { get: () => null, set: () => undefined },
    session: piecesOsSession(client),
    ...(opts.live
      ? {
          live: createLiveUpdates({
            resolve: () => resolver.resolve(),
            invalidate: () => resolver.invalidate(),
          }),
        }
      : { timers: manualTimers() }),
    signInTimeoutMs: () => opts.signInTimeoutMs ?? 60_000,
  });
}

beforeEach(async () => {
  emulator = await startEmulator({ users: 3, seed: 5 });
  tokens = memoryTokens();
});

afterEach(async () => {
  service?.stop();
  await emulator.close();
});

const seeded = (): Seeded[] => emulator.users() as Seeded[];

const until = (test: (s: StateSnapshot) => boolean) => snapshotWhere(service, test);

const signInAs = (who: { id?: string; email?: string; name?: string }, accountId?: string) =>
  signInWithPiecesAs(service, emulator, who, accountId);

describe('Sign in with Pieces', () => {
  it('with three users and no saved sign-ins: every account needs a sign-in, none offers a switch', async () => {
    service = makeService();
    const s = await service.start();
    expect(s.accounts).toHaveLength(3);
    for (const a of s.accounts.filter((x) => x.id !== s.activeId))
      expect(a.state).toBe('sign-in-needed');
  });

  it('shows the waiting sign-in, then adds the chosen account as active with its token kept', async () => {
    service = makeService();
    await service.start();
    const [first] = seeded();
    const result = service.signInWithPieces();
    await emulator.whenSignInPending();
    expect(service.snapshot().pendingSignIn).toMatchObject({ via: 'pieces' });
    emulator.completeSignIn({ id: first!.id });
    const outcome = await result;
    expect(outcome).toMatchObject({ ok: true, value: { account: { id: first!.id } } });
    const s = service.snapshot();
    expect(s.pendingSignIn).toBeNull();
    expect(s.activeId).toBe(first!.id);
    expect(tokens.has(first!.id)).toBe(true);
    // The token Pieces OS handed out is a JWT: its expiry is known and shown.
    expect(s.accounts.find((a) => a.id === first!.id)?.signInExpiresAt).toMatch(/^\d{4}-/);
  });

  it('switches between two accounts signed in through Pieces, both ways, with no token typed', async () => {
    service = makeService();
    await service.start();
    const [a, b] = seeded();
    expect((await signInAs({ id: a!.id })).ok).toBe(true);
    expect((await signInAs({ id: b!.id })).ok).toBe(true);
    expect(service.snapshot().accounts.find((x) => x.id === a!.id)?.state).toBe('ready');

    expect((await service.switchTo(a!.id)).ok).toBe(true);
    expect(emulator.currentUserId()).toBe(a!.id);
    expect((await service.switchTo(b!.id)).ok).toBe(true);
    expect(emulator.currentUserId()).toBe(b!.id);
    expect(service.snapshot().activeId).toBe(b!.id);
  });

  it('"Sign in as" someone, but the person chose another: that one is added, the intended is not active', async () => {
    service = makeService();
    await service.start();
    const [a, b] = seeded();
    const outcome = await signInAs({ id: b!.id }, a!.id);
    expect(outcome).toMatchObject({
      ok: true,
      value: { account: { id: b!.id }, intended: { id: a!.id } },
    });
    expect(service.snapshot().activeId).toBe(b!.id);
  });

  it('cancel ends the waiting sign-in: nothing added, nothing stored', async () => {
    service = makeService();
    await service.start();
    const result = service.signInWithPieces();
    await emulator.whenSignInPending();
    service.cancelSignIn();
    expect(await result).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    expect(service.snapshot().pendingSignIn).toBeNull();
    expect(tokens.ids()).toEqual([]);
  });

  it('a sign-in the person never finishes ends at the time limit with words, not a status', async () => {
    service = makeService({ signInTimeoutMs: 300 });
    await service.start();
    const result = await service.signInWithPieces();
    expect(result).toMatchObject({ ok: false, error: { kind: 'timeout' } });
    if (!result.ok) expect(result.error.message).toContain('stopped waiting');
    expect(service.snapshot().pendingSignIn).toBeNull();
  });

  it('one sign-in at a time: a second is refused while the first waits', async () => {
    service = makeService();
    await service.start();
    const first = service.signInWithPieces();
    await emulator.whenSignInPending();
    expect(await service.signInWithPieces()).toMatchObject({ ok: false, error: { kind: 'busy' } });
    service.cancelSignIn();
    await first;
  });

  it('POST /os/sign_in answering 500: a clear error, nothing stored, the app still responsive', async () => {
    service = makeService();
    await service.start();
    emulator.setFaults({ osSignIn: { status: 500, body: 'sign in failed' } });
    const result = await service.signInWithPieces();
    expect(result).toMatchObject({ ok: false, error: { kind: 'http', status: 500 } });
    expect(tokens.ids()).toEqual([]);
    expect((await service.refresh()).connection.status).toBe('online');
  });

  it('a Pieces OS without GET /user/access_token: the account is active but the app says it cannot switch back', async () => {
    emulator.setFeatures({ accessToken: false });
    service = makeService();
    await service.start();
    const [a, b] = seeded();
    expect((await signInAs({ id: a!.id })).ok).toBe(true);
    expect(tokens.has(a!.id)).toBe(false);
    expect(service.snapshot().notices.map((n) => n.id)).toContain(`no-switch-back-${a!.id}`);
    await signInAs({ id: b!.id });
    expect(service.snapshot().accounts.find((x) => x.id === a!.id)?.state).toBe('sign-in-needed');
  });

  it('an access token that is not token-shaped is refused: nothing stored, the sign-in still counts', async () => {
    service = makeService();
    await service.start();
    emulator.setFaults({ accessToken: { status: 200, body: 'not a token at all' } });
    const [a] = seeded();
    expect((await signInAs({ id: a!.id })).ok).toBe(true);
    expect(tokens.has(a!.id)).toBe(false);
    expect(service.snapshot().activeId).toBe(a!.id);
  });

  it('signing out the current account goes through POST /os/sign_out; another through disconnect', async () => {
    service = makeService();
    await service.start();
    const [a, b] = seeded();
    await signInAs({ id: a!.id });
    await signInAs({ id: b!.id });
    expect((await service.signOut(b!.id)).ok).toBe(true);
    expect(emulator.requestCount('osSignOut')).toBe(1);
    expect(tokens.has(b!.id)).toBe(false);
    await service.idle();
    expect((await service.signOut(a!.id)).ok).toBe(true);
    expect(emulator.requestCount('disconnect')).toBe(1);
  });
});

describe('live state from the streams', () => {
  it('another client switching the user shows at once, and its sign-in is kept for switching back', async () => {
    service = makeService({ live: true });
    await service.start();
    await until((s) => s.connection.status === 'online' && s.connection.updates === 'live');
    const [, b] = seeded();
    // Another Pieces client signs someone in through Pieces OS: the app did not ask.
    const token = emulator.mintToken({ email: b!.email });
    await fetch(`${emulator.url}/users/authenticate/from_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(token),
    });
    await until((s) => s.activeId === b!.id);
    await until(() => tokens.has(b!.id));
    expect(tokens.get(b!.id)?.access_token).toBe(token.access_token);
  });

  it('Pieces OS stopping shows at once; coming back reconnects by itself', async () => {
    service = makeService({ live: true });
    await service.start();
    await until((s) => s.connection.status === 'online' && s.connection.updates === 'live');
    await emulator.stop();
    const off = await until((s) => s.connection.status === 'offline');
    expect(off.connection).toMatchObject({ status: 'offline', error: { kind: 'unreachable' } });
    await emulator.start();
    await until((s) => s.connection.status === 'online' && s.connection.updates === 'live');
  });

  it('a Pieces OS without streams is polled, and says so', async () => {
    emulator.setFeatures({ userStream: false, healthStream: false });
    service = makeService({ live: true });
    await service.start();
    await until((s) => s.connection.status === 'online' && s.connection.updates === 'polling');
  });
});
