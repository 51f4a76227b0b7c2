import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { ENDPOINT_NAMES } from '../../../emulator/types';
import type { OAuthTokenInput, StateSnapshot } from '../../shared/domain';
import { createBaseUrlResolver } from '../pieces/base-url';
import { createPiecesClient } from '../pieces/client';
import { closedPort } from '../../../test/support/ports';
import { createAccountService, type AccountService } from './account-service';
import { manualTimers, memoryTokens } from '../../../test/support/account-testing';

let emulator: Emulator;
let tokens: ReturnType<typeof memoryTokens>;
let timers: ReturnType<typeof manualTimers>;
let lastActiveId: string | null;
let service: AccountService;

function makeService(url: string, timeoutMs = 2000): AccountService {
  const resolver = createBaseUrlResolver({ setting: () => url });
  return createAccountService({
    client: createPiecesClient({ resolver, timeoutMs }),
    tokens,
    lastActive: { get: () => lastActiveId, set: (id) => void (lastActiveId = id) },
    timers,
    now: () => 1_000_000,
  });
}

beforeEach(async () => {
  emulator = await startEmulator({ users: 2, seed: 7 });
  tokens = memoryTokens();
  timers = manualTimers();
  lastActiveId = null;
  service = makeService(emulator.url);
});

afterEach(async () => {
  service.stop();
  await emulator.close();
});

const ada = { email: 'ada@example.com', name: 'Ada Lovelace' };
const grace = { email: 'grace@example.com', name: 'Grace Hopper' };

async function signIn(person: {
  email: string;
  name: string;
}): Promise<{ id: string; token: OAuthTokenInput }> {
  const token = emulator.mintToken(person);
  const result = await service.signIn(token);
  if (!result.ok) throw new Error(result.error.message);
  return { id: result.value.id, token };
}

const names = (s: StateSnapshot) => s.accounts.map((a) => a.displayName);
const active = (s: StateSnapshot) =>
  s.accounts.find((a) => a.id === s.activeId)?.displayName ?? null;

describe('AccountService against the emulator', () => {
  it('starts online with the users Pieces OS knows and its current user as active', async () => {
    const s = await service.start();
    expect(s.connection).toMatchObject({ status: 'online', url: emulator.url });
    expect(s.accounts.map((a) => a.id).sort()).toEqual(
      (emulator.users() as { id: string }[]).map((u) => u.id).sort(),
    );
    expect(s.activeId).toBe(emulator.currentUserId());
    expect(s.accounts.every((a) => a.connected && !a.hasToken)).toBe(true);
  });

  it('signs in a token: stores it under the returned id and makes that user active', async () => {
    await service.start();
    const { id, token } = await signIn(ada);
    const s = service.snapshot();
    expect(tokens.get(id)).toEqual(token);
    expect(s.activeId).toBe(id);
    expect(emulator.currentUserId()).toBe(id);
    expect(s.accounts.find((a) => a.id === id)).toMatchObject({
      displayName: 'Ada Lovelace',
      hasToken: true,
    });
    // The snapshot never carries a token.
    expect(JSON.stringify(s)).not.toContain(token.access_token);
  });

  it('switches between two signed-in accounts', async () => {
    await service.start();
    const a = await signIn(ada);
    const g = await signIn(grace);
    expect(service.snapshot().activeId).toBe(g.id);
    const result = await service.switchTo(a.id);
    expect(result.ok).toBe(true);
    expect(service.snapshot().activeId).toBe(a.id);
    expect(emulator.currentUserId()).toBe(a.id);
    // Pieces OS says who is current (GET /user): nothing is written to disk on the way.
    expect(lastActiveId).toBeNull();
  });

  it('a switch asks Pieces OS only what it needs: the sign-in, then the list (no GET /user)', async () => {
    await service.start();
    const a = await signIn(ada);
    await signIn(grace);
    await service.idle();
    const counts = () => ENDPOINT_NAMES.map((e) => [e, emulator.requestCount(e)] as const);
    const before = new Map(counts());
    expect((await service.switchTo(a.id)).ok).toBe(true);
    await service.idle();
    const made = Object.fromEntries(
      counts()
        .map(([e, n]) => [e, n - before.get(e)!] as const)
        .filter(([, n]) => n > 0),
    );
    expect(made).toEqual({ signIn: 1, listUsers: 1 });
    // The list that followed still agrees with Pieces OS about who is current.
    expect(service.snapshot().activeId).toBe(emulator.currentUserId());
  });

  it('a switch is told in two snapshots: its start, then its outcome with the new active account', async () => {
    await service.start();
    const a = await signIn(ada);
    const g = await signIn(grace);
    await service.idle();
    const seen: StateSnapshot[] = [];
    service.subscribe((s) => seen.push(s));
    const result = await service.switchTo(a.id);
    await service.idle();
    expect(seen.map((s) => [s.operation?.kind ?? null, s.activeId])).toEqual([
      ['switch', g.id],
      [null, a.id],
    ]);
    // The reply is the snapshot that was pushed last, not another copy of it.
    expect(result).toEqual({ ok: true, value: seen[1] });
    // Only the two accounts whose state changed are new objects; the others are the same ones.
    const [start, end] = seen as [StateSnapshot, StateSnapshot];
    const was = new Map(start.accounts.map((x) => [x.id, x]));
    const rebuilt = end.accounts.filter((x) => was.get(x.id) !== x).map((x) => x.id);
    expect(rebuilt.sort()).toEqual([a.id, g.id].sort());
  });

  it('where Pieces OS has no GET /user, a switch remembers the account for the next start', async () => {
    emulator.setFaults({ currentUser: { status: 404, body: 'Not Found' } });
    await service.start();
    const a = await signIn(ada);
    await signIn(grace);
    await service.switchTo(a.id);
    expect(lastActiveId).toBe(a.id);
    service.stop();
    service = makeService(emulator.url);
    expect((await service.start()).activeId).toBe(a.id);
  });

  it('refuses to switch to an account without a stored token: needs-sign-in, list unchanged', async () => {
    const before = await service.start();
    const other = before.accounts.find((a) => a.id !== before.activeId)!;
    const result = await service.switchTo(other.id);
    expect(result).toMatchObject({ ok: false, error: { kind: 'needs-sign-in' } });
    expect(names(service.snapshot())).toEqual(names(before));
    expect(service.snapshot().activeId).toBe(before.activeId);
    expect(service.snapshot().lastError?.error.kind).toBe('needs-sign-in');
  });

  it('turns a token Pieces OS refuses into needs-sign-in and keeps the token', async () => {
    await service.start();
    const a = await signIn(ada);
    await signIn(grace);
    emulator.setFaults({ signIn: { status: 401, body: 'token expired' } });
    const result = await service.switchTo(a.id);
    expect(result).toMatchObject({ ok: false, error: { kind: 'needs-sign-in', status: 401 } });
    expect(tokens.get(a.id)).toEqual(a.token);
    expect(service.snapshot().activeId).not.toBe(a.id);
  });

  it('refuses an expired token at sign-in with a clear error and stores nothing', async () => {
    await service.start();
    // expires_in 0: the emulator counts a token as expired from its mint time on (now >= end),
    // so it is expired at once, with no wait.
    const token = emulator.mintToken({ ...ada, expires_in: 0 });
    const result = await service.signIn(token);
    expect(result).toMatchObject({ ok: false, error: { kind: 'http', status: 401 } });
    if (!result.ok) {
      expect(result.error.message).toMatch(
        /^Pieces OS did not accept this token \(401\): it may have expired or belong to another sign-in provider\./,
      );
      expect(result.error.message).not.toContain(token.access_token);
    }
    expect(tokens.ids()).toEqual([]);
  });

  it('signs out an account: disconnects it in Pieces OS and forgets its token', async () => {
    await service.start();
    const a = await signIn(ada);
    const result = await service.signOut(a.id);
    expect(result.ok).toBe(true);
    expect(tokens.has(a.id)).toBe(false);
    expect((emulator.users() as { id: string }[]).some((u) => u.id === a.id)).toBe(false);
    expect(service.snapshot().activeId).toBeNull();
    expect(service.snapshot().accounts.some((a2) => a2.id === a.id)).toBe(false);
  });

  it('signs out of all accounts, going on past a failure and reporting it', async () => {
    await service.start();
    await signIn(ada);
    await signIn(grace);
    const count = service.snapshot().accounts.length;
    emulator.setFaults({ disconnect: { status: 500, body: 'database locked', times: 1 } });
    const result = await service.signOutAll();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.failed).toHaveLength(1);
    expect(result.value.failed[0]!.error).toMatchObject({ kind: 'http', status: 500 });
    expect(result.value.signedOut).toHaveLength(count - 1);
    expect(service.snapshot().accounts).toHaveLength(1);
    expect(service.snapshot().lastError?.operation.kind).toBe('sign-out-all');
  });

  it('a sign-out that fails keeps the token and the account', async () => {
    await service.start();
    const a = await signIn(ada);
    emulator.setFaults({ disconnect: { drop: true } });
    const result = await service.signOut(a.id);
    expect(result).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
    expect(tokens.get(a.id)).toEqual(a.token);
    emulator.clearFaults();
    await service.refresh();
    expect(service.snapshot().accounts.some((x) => x.id === a.id)).toBe(true);
  });

  it('a 404/410 on sign-out keeps the token of a user Pieces OS lists, forgets one it does not', async () => {
    await service.start();
    const a = await signIn(ada);
    const g = await signIn(grace);
    // Listed a moment ago, then a 404: a race or the wrong server; the sign-in is kept.
    emulator.setFaults({ disconnect: { status: 404, body: 'User not found', times: 1 } });
    expect(await service.signOut(a.id)).toMatchObject({
      ok: false,
      error: { kind: 'http', status: 404 },
    });
    expect(tokens.get(a.id)).toEqual(a.token);

    // Disconnected by another app: Pieces OS no longer lists Grace, and answers 410 for her.
    const other = await fetch(`${emulator.url}/users/${g.id}/disconnect`, { method: 'POST' });
    expect(other.status).toBe(200);
    await service.refresh();
    expect(service.snapshot().accounts.find((x) => x.id === g.id)).toMatchObject({
      connected: false,
      hasToken: true,
    });
    expect(await service.signOut(g.id)).toMatchObject({ ok: true });
    expect(tokens.has(g.id)).toBe(false);
    expect(service.snapshot().accounts.some((x) => x.id === g.id)).toBe(false);
    expect(tokens.get(a.id)).toEqual(a.token);
  });

  it('while Pieces OS cannot list users, a 404 on sign-out forgets nothing', async () => {
    await service.start();
    await signIn(ada);
    const g = await signIn(grace);
    await fetch(`${emulator.url}/users/${g.id}/disconnect`, { method: 'POST' });
    await service.refresh(); // Grace is no longer listed
    // Then the wrong server at the URL: 404 to everything, so listing fails and the app is offline.
    emulator.setFaults({ '*': { status: 404, body: 'Not Found' } });
    await service.refresh();
    expect(service.snapshot().connection.status).toBe('offline');
    expect(await service.signOut(g.id)).toMatchObject({ ok: false, error: { status: 404 } });
    expect(tokens.get(g.id)).toEqual(g.token);
  });

  it('a failed token write after sign-in keeps the token for the session, says so, and loses no other', async () => {
    await service.start();
    const a = await signIn(ada);
    tokens.failWrites = true;
    const token = emulator.mintToken(grace);
    const result = await service.signIn(token);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const id = result.ok ? result.value.id : '';
    expect(tokens.get(a.id)).toEqual(a.token);
    expect(tokens.get(id)).toEqual(token);
    const notice = service.snapshot().notices.find((n) => n.id === `unsaved-sign-in-${id}`);
    expect(notice?.message).toMatch(
      /^The sign-in for .+ could not be saved, so it lasts only until the app quits: .* The sign-in could not be saved \(ENOSPC\)\.$/,
    );
    expect(JSON.stringify(service.snapshot())).not.toContain(token.access_token);
  });

  it('a removal that cannot be written is said, and the sign-in stays forgotten for the session', async () => {
    await service.start();
    const a = await signIn(ada);
    tokens.failWrites = true;
    const result = await service.forgetSignIn(a.id);
    expect(result).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(!result.ok && result.error.message).toMatch(
      /could not be removed .*forgotten until the app quits/,
    );
    expect(tokens.has(a.id)).toBe(false);
  });

  it('serializes operations: a second one while the first runs is refused as busy, never interleaved', async () => {
    await service.start();
    const a = await signIn(ada);
    const g = await signIn(grace);
    emulator.setFaults({ signIn: { latencyMs: 150 } });
    const first = service.switchTo(a.id);
    const second = await service.switchTo(g.id);
    const doubleClick = await service.switchTo(a.id);
    expect(second).toMatchObject({ ok: false, error: { kind: 'busy' } });
    expect(doubleClick).toMatchObject({ ok: false, error: { kind: 'busy' } });
    expect((await first).ok).toBe(true);
    expect(emulator.requestCount('signIn')).toBe(3); // two sign-ins + the one switch
    expect(service.snapshot().activeId).toBe(a.id);
  });

  it('pushes every change to subscribers as one snapshot, with the running operation', async () => {
    await service.start();
    const a = await signIn(ada);
    await signIn(grace);
    const seen: StateSnapshot[] = [];
    service.subscribe((s) => seen.push(s));
    await service.switchTo(a.id);
    expect(seen.some((s) => s.operation?.kind === 'switch' && s.operation.accountId === a.id)).toBe(
      true,
    );
    expect(seen.at(-1)).toMatchObject({ operation: null, activeId: a.id });
    // Every snapshot is newer than the one before, so the window can tell which is the latest.
    const revisions = seen.map((s) => s.revision);
    for (let i = 1; i < revisions.length; i++)
      expect(revisions[i]).toBeGreaterThan(revisions[i - 1]!);
    expect(service.snapshot().revision).toBe(revisions.at(-1));
  });

  it('pushes nothing when a refresh finds nothing changed, and one snapshot when something did', async () => {
    await service.start();
    await signIn(ada);
    await service.idle();
    const seen: StateSnapshot[] = [];
    service.subscribe((s) => seen.push(s));
    const before = service.snapshot();
    expect(await service.refresh()).toBe(before);
    expect(seen).toEqual([]);
    emulator.mintToken(grace); // minting alone changes nothing Pieces OS lists
    await service.refresh();
    expect(seen).toEqual([]);
    await fetch(`${emulator.url}/users/authenticate/from_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(emulator.mintToken(grace)),
    });
    await service.refresh();
    expect(seen).toHaveLength(1);
    expect(active(seen[0]!)).toBe('Grace Hopper');
  });

  it('goes offline when Pieces OS stops, backs off, keeps everything, and recovers by itself', async () => {
    await service.start();
    const a = await signIn(ada);
    const before = service.snapshot();
    await emulator.stop();
    await service.refresh();
    let s = service.snapshot();
    expect(s.connection).toMatchObject({ status: 'offline', error: { kind: 'unreachable' } });
    expect(s.connection.status === 'offline' && s.connection.tried).toContain(emulator.url);
    expect(names(s)).toEqual(names(before));
    expect(tokens.get(a.id)).toEqual(a.token);
    // Capped exponential backoff: each failed retry doubles the delay up to the cap.
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      delays.push(...timers.delays());
      timers.fireAll();
      await service.refresh();
    }
    expect(delays.slice(0, 6)).toEqual([1000, 2000, 4000, 8000, 16000, 30000]);
    await emulator.start();
    timers.fireAll();
    s = await service.refresh();
    expect(s.connection).toMatchObject({ status: 'online' });
    expect(active(s)).toBe('Ada Lovelace');
    expect(timers.delays()).toEqual([30_000]); // back to the regular interval
  });

  it('retryNow reconnects at once after Pieces OS returns', async () => {
    await service.start();
    await emulator.stop();
    await service.refresh();
    expect(service.snapshot().connection.status).toBe('offline');
    await emulator.start();
    const result = await service.retryNow();
    expect(result.ok).toBe(true);
    expect(service.snapshot().connection.status).toBe('online');
  });

  describe('when the Pieces OS URL changes while a refresh runs', () => {
    let url: string;
    let other: Emulator | undefined;
    let svc: AccountService;

    beforeEach(() => {
      url = emulator.url;
      // The setting is read on every resolution, as core.ts does; nothing from the environment.
      const resolver = createBaseUrlResolver({ setting: () => url, env: {} });
      svc = createAccountService({
        client: createPiecesClient({ resolver, timeoutMs: 2000 }),
        tokens,
        lastActive: { get: () => null, set: () => undefined },
        timers,
      });
    });
    afterEach(async () => {
      svc.stop();
      await other?.close();
      other = undefined;
    });

    /** Starts a refresh that the old Pieces OS holds open, then changes the URL as Settings does. */
    async function changeUrlDuringRefresh(next: string) {
      emulator.setFaults({ listUsers: { latencyMs: 300, times: 1 } });
      const listed = emulator.requestCount('listUsers');
      const running = svc.refresh();
      await expect.poll(() => emulator.requestCount('listUsers')).toBe(listed + 1);
      url = next;
      // What saving the setting does (core.ts): retryNow re-resolves the URL.
      const retried = await svc.retryNow();
      return { running: await running, retried };
    }

    it('ends offline with the new URL tried, never "online" at a URL nobody contacted', async () => {
      expect((await svc.start()).connection).toMatchObject({ status: 'online', url });
      const closed = `http://127.0.0.1:${await closedPort()}`;
      const { running, retried } = await changeUrlDuringRefresh(closed);
      // The refresh that was running reports the server it talked to.
      expect(running.connection).toMatchObject({ status: 'online', url: emulator.url });
      expect(retried).toMatchObject({ ok: false, error: { kind: 'unreachable' } });
      expect(svc.snapshot().connection).toMatchObject({ status: 'offline', tried: [closed] });
    });

    it('ends online at the new Pieces OS with its own users and version', async () => {
      other = await startEmulator({ users: 1, seed: 99, version: '13.5.0' });
      expect((await svc.start()).connection).toMatchObject({ status: 'online', version: '12.0.0' });
      const { retried } = await changeUrlDuringRefresh(other.url);
      expect(retried.ok).toBe(true);
      const s = svc.snapshot();
      expect(s.connection).toEqual({ status: 'online', url: other.url, version: '13.5.0' });
      expect(s.accounts.map((a) => a.id)).toEqual(
        (other.users() as { id: string }[]).map((u) => u.id),
      );
      expect(other.requestCount('listUsers')).toBe(1);
    });
  });

  it('falls back to the last chosen account where Pieces OS has no GET /user', async () => {
    await service.start();
    const a = await signIn(ada);
    await signIn(grace);
    await service.switchTo(a.id);
    emulator.setFaults({ currentUser: { status: 404, body: 'Not Found' } });
    const s = await service.refresh();
    expect(s.activeId).toBe(a.id);
  });

  it('shows a notice added at run time until it is dismissed; the same id replaces it', async () => {
    await service.start();
    const seen: StateSnapshot[] = [];
    service.subscribe((s) => seen.push(s));
    service.addNotice({ id: 'n1', level: 'error', message: 'First words.' });
    service.addNotice({ id: 'n1', level: 'error', message: 'Second words.' });
    expect(service.snapshot().notices).toEqual([
      { id: 'n1', level: 'error', message: 'Second words.' },
    ]);
    expect(seen).toHaveLength(2);
    expect(service.dismissNotice('n1').notices).toEqual([]);
  });

  it('shows account details from GET /users/{id}', async () => {
    await service.start();
    const a = await signIn(ada);
    const result = await service.details(a.id);
    expect(result).toMatchObject({
      ok: true,
      value: { id: a.id, displayName: 'Ada Lovelace', email: ada.email },
    });
    const missing = await service.details('00000000-0000-4000-8000-000000000000');
    expect(missing).toMatchObject({ ok: false, error: { kind: 'http', status: 404 } });
  });
});
