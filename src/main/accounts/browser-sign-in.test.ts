// The account service's browser sign-in and token refresh, end to end under Node: a real OpenID
// provider on loopback, the emulator accepting that provider's id tokens, the real Pieces OS
// client. The "browser" is fetch() choosing a person on the provider's page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { userIdForEmail } from '../../../emulator/ids';
import { createBrowserAuth } from '../auth/browser-auth';
import { startTestProvider, type TestProvider } from '../../../test/support/oidc-test-provider';
import { createBaseUrlResolver } from '../pieces/base-url';
import { createPiecesClient } from '../pieces/client';
import { openTokenVault } from '../settings/token-vault';
import { fakeKeychain } from '../../../test/support/fake-safe-storage';
import { createAccountService, type AccountService, type TokenStore } from './account-service';
import { isExpired } from './saved-sign-in';
import { manualTimers, memoryTokens } from '../../../test/support/account-testing';

// electron-store (under the token vault) imports electron at the top; no Electron binary here.
vi.mock('electron', () => ({ default: {} }));

let provider: TestProvider;
let emulator: Emulator;
let tokens: ReturnType<typeof memoryTokens>;
let service: AccountService;
let configured: boolean;
/** Who the "person" picks on the provider's page; null: the browser never comes back. */
let chooses: { login: string } | 'deny' | null;
let opened: string[];
/** The account service's clock: tests move it forward instead of sleeping. */
let clock: number;

const ADA = userIdForEmail('ada@example.com');
const GRACE = userIdForEmail('grace@example.com');

beforeEach(async () => {
  provider = await startTestProvider();
  emulator = await startEmulator({
    users: 1,
    seed: 2,
    oidc: { issuer: provider.issuer, audience: provider.clientId },
  });
  tokens = memoryTokens();
  configured = true;
  chooses = { login: 'ada' };
  opened = [];
  clock = Date.now();
  service = makeService(tokens);
  await service.start();
});

function makeService(store: TokenStore): AccountService {
  const resolver = createBaseUrlResolver({ setting: () => emulator.url });
  return createAccountService({
    client: createPiecesClient({ resolver, timeoutMs: 3000 }),
    tokens: store,
    lastActive: { get: () => null, set: () => undefined },
    timers: manualTimers(),
    now: () => clock,
    auth: () =>
      configured
        ? createBrowserAuth({
            provider: provider.settings(),
            allowLoopbackIssuer: true,
            openExternal: async (url) => {
              opened.push(url);
              const choice = chooses;
              if (choice === null) return;
              void provider.respond(url, choice).then((back) => fetch(back));
            },
          })
        : null,
  });
}

afterEach(async () => {
  service.stop();
  await emulator.close();
  await provider.close();
});

const refreshes = () => provider.tokenRequests.filter((t) => t.grant_type === 'refresh_token');
const account = (id: string) => service.snapshot().accounts.find((a) => a.id === id);

async function signInAs(login: string) {
  chooses = { login };
  const result = await service.signInWithBrowser();
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('sign in with the browser', () => {
  it('adds the account the person chose at the provider and makes it active in Pieces OS', async () => {
    const added = await signInAs('grace');
    expect(added).toMatchObject({ id: GRACE, displayName: 'Grace Hopper', hasToken: true });
    expect(service.snapshot().activeId).toBe(GRACE);
    expect(emulator.currentUserId()).toBe(GRACE);
    const stored = tokens.get(GRACE)!;
    expect(stored.issuer).toBe(provider.issuer);
    expect(stored.obtained_at).toBe(clock); // stamped with the service's clock
    expect(stored.refresh_token).toBeTruthy();
    // Tokens never reach the snapshot the window sees.
    const shown = JSON.stringify(service.snapshot());
    for (const secret of [stored.access_token, stored.refresh_token!, stored.id_token!]) {
      expect(shown).not.toContain(secret);
    }
  });

  it('with no provider configured, says how to configure one and opens nothing', async () => {
    configured = false;
    const result = await service.signInWithBrowser();
    expect(result).toMatchObject({ ok: false, error: { kind: 'invalid-input' } });
    if (!result.ok) expect(result.error.message).toMatch(/issuer URL and client id in Settings/);
    expect(opened).toEqual([]);
  });

  it('one browser sign-in at a time; cancel ends the waiting one and adds nothing', async () => {
    chooses = null;
    const first = service.signInWithBrowser();
    await expect.poll(() => opened.length).toBe(1);
    expect(await service.signInWithBrowser()).toMatchObject({
      ok: false,
      error: { kind: 'busy' },
    });
    // Switching and refreshing still work while the person is in the browser.
    expect((await service.refresh()).connection.status).toBe('online');
    expect(service.cancelBrowserSignIn()).toBeNull();
    expect(await first).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    expect(tokens.ids()).toEqual([]);
  });

  it('a sign-in finishing in the browser while a switch runs waits for it instead of being lost', async () => {
    await signInAs('ada');
    await signInAs('grace');
    chooses = null;
    const browserSignIn = service.signInWithBrowser();
    await expect.poll(() => opened.length).toBe(3);
    emulator.setFaults({ signIn: { latencyMs: 400, times: 1 } });
    const switching = service.switchTo(ADA);
    await expect.poll(() => service.snapshot().operation?.kind).toBe('switch');
    await fetch(await provider.respond(opened[2]!, { login: 'grace' }));
    expect((await switching).ok).toBe(true);
    expect(await browserSignIn).toMatchObject({ ok: true, value: { id: GRACE } });
    expect(emulator.currentUserId()).toBe(GRACE);
  });

  it('a denied consent adds nothing and says so', async () => {
    chooses = 'deny';
    const result = await service.signInWithBrowser();
    expect(result).toMatchObject({ ok: false, error: { kind: 'auth' } });
    if (!result.ok) expect(result.error.message).toMatch(/declined/);
    expect(tokens.ids()).toEqual([]);
  });

  it('stop() cancels a waiting browser sign-in', async () => {
    chooses = null;
    const pending = service.signInWithBrowser();
    await expect.poll(() => opened.length).toBe(1);
    service.stop();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
  });
});

describe('refresh when a switch finds the token expired or refused', () => {
  it('knows a token is expired from when it was obtained and its lifetime, a minute early', () => {
    const t = { access_token: 'a', token_type: 'Bearer' as const, expires_in: 3600 };
    const at = 1_000_000;
    expect(isExpired({ ...t, obtained_at: at }, at + 3_539_000)).toBe(false);
    expect(isExpired({ ...t, obtained_at: at }, at + 3_540_000)).toBe(true);
    // Unknown start or unknown lifetime: left to Pieces OS to refuse.
    expect(isExpired(t, Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(isExpired({ ...t, expires_in: 0, obtained_at: at }, Number.MAX_SAFE_INTEGER)).toBe(
      false,
    );
  });

  it('an expired token is refreshed through the provider, stored, and the switch succeeds', async () => {
    await signInAs('ada');
    await signInAs('grace');
    const old = tokens.get(ADA)!;
    // An hour on by the app's clock: Ada's one-hour token is past its end.
    clock += old.expires_in * 1000;
    expect(isExpired(old, clock)).toBe(true);
    const signInsBefore = emulator.requestCount('signIn');

    const result = await service.switchTo(ADA);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    // Renewed before sending: Pieces OS never saw the expired token.
    expect(emulator.requestCount('signIn')).toBe(signInsBefore + 1);
    expect(emulator.currentUserId()).toBe(ADA);
    expect(refreshes()).toHaveLength(1);
    const renewed = tokens.get(ADA)!;
    expect(renewed.access_token).not.toBe(old.access_token);
    expect(renewed.id_token).not.toBe(old.id_token);
    expect(renewed.refresh_token).not.toBe(old.refresh_token); // rotated by the provider
    expect(renewed.expires_in).toBe(3600);
    expect(renewed.obtained_at!).toBeGreaterThan(old.obtained_at!);
    expect(renewed.obtained_at).toBe(clock);
    expect(account(ADA)?.needsSignIn).toBeUndefined();
  });

  it('a token Pieces OS refuses (401) is refreshed and the switch retried once', async () => {
    await signInAs('ada');
    await signInAs('grace');
    emulator.setFaults({ signIn: { status: 401, body: 'token revoked', times: 1 } });
    const result = await service.switchTo(ADA);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(refreshes()).toHaveLength(1);
    expect(emulator.currentUserId()).toBe(ADA);
  });

  it('retries only once: refused again after the refresh means "Sign in again"', async () => {
    await signInAs('ada');
    await signInAs('grace');
    emulator.setFaults({ signIn: { status: 401, times: 2 } });
    const result = await service.switchTo(ADA);
    expect(result).toMatchObject({ ok: false, error: { kind: 'needs-sign-in', status: 401 } });
    expect(refreshes()).toHaveLength(1);
    expect(emulator.requestCount('signIn')).toBe(2 + 2); // two sign-ins, then the switch and its retry
    expect(account(ADA)?.needsSignIn).toBe(true);
  });

  it('when the refresh fails the account shows "Sign in again", keeps its token, and a new sign-in clears it', async () => {
    await signInAs('ada');
    await signInAs('grace');
    provider.failRefresh = true;
    // An hour on by the app's clock: Ada's one-hour token is past its end.
    clock += tokens.get(ADA)!.expires_in * 1000;
    expect(isExpired(tokens.get(ADA)!, clock)).toBe(true);
    const signInsBefore = emulator.requestCount('signIn');

    const result = await service.switchTo(ADA);
    expect(result).toMatchObject({ ok: false, error: { kind: 'needs-sign-in' } });
    if (!result.ok) {
      expect(result.error.message).toMatch(
        /Ada Lovelace has expired[\s\S]*Sign in to this account again/,
      );
      expect(result.error.message).not.toContain(tokens.get(ADA)!.refresh_token!);
    }
    // The expired token was never sent to Pieces OS.
    expect(emulator.requestCount('signIn')).toBe(signInsBefore);
    expect(account(ADA)?.needsSignIn).toBe(true);
    expect(service.snapshot().lastError?.error.kind).toBe('needs-sign-in');
    expect(service.snapshot().activeId).toBe(GRACE);
    expect(tokens.has(ADA)).toBe(true);

    provider.failRefresh = false;
    await signInAs('ada');
    expect(account(ADA)?.needsSignIn).toBeUndefined();
    expect(service.snapshot().activeId).toBe(ADA);
  });

  /** Ada and Grace signed in, then an hour on by the app's clock: Ada's token is past its end. */
  async function withAdaExpired() {
    await signInAs('ada');
    await signInAs('grace');
    clock += tokens.get(ADA)!.expires_in * 1000;
    expect(isExpired(tokens.get(ADA)!, clock)).toBe(true);
    return tokens.get(ADA)!;
  }

  it.each<[string, (p: TestProvider) => unknown]>([
    ['cannot be reached', (p) => p.close()],
    ['answers 503 with a text page', (p) => (p.tokenFault = { status: 503, body: 'Down' })],
    [
      'answers 500 server_error',
      (p) => (p.tokenFault = { status: 500, json: true, body: '{"error":"server_error"}' }),
    ],
    [
      'answers 502 with an HTML page',
      (p) => (p.tokenFault = { status: 502, body: '<h1>Bad</h1>' }),
    ],
  ])(
    'when the provider %s, the switch fails for now: no "Sign in again", the saved sign-in untouched',
    async (_, trouble) => {
      const saved = await withAdaExpired();
      const signInsBefore = emulator.requestCount('signIn');
      await trouble(provider);

      const result = await service.switchTo(ADA);
      expect(result).toMatchObject({ ok: false, error: { kind: 'auth' } });
      if (!result.ok) {
        expect(result.error.message).toMatch(
          /^The saved sign-in for Ada Lovelace could not be renewed\. The sign-in provider at http:\/\/127\.0\.0\.1:\d+ .+ Try again in a moment\.$/,
        );
        for (const secret of [saved.access_token, saved.refresh_token!, saved.id_token!]) {
          expect(result.error.message).not.toContain(secret);
        }
      }
      expect(account(ADA)?.needsSignIn).toBeUndefined();
      expect(tokens.get(ADA)).toEqual(saved);
      expect(emulator.requestCount('signIn')).toBe(signInsBefore); // the expired token stayed home
      expect(service.snapshot().activeId).toBe(GRACE);
      expect(service.snapshot().lastError?.error.kind).toBe('auth');
    },
  );

  it('after the provider recovers, the same saved sign-in renews and the switch succeeds', async () => {
    await withAdaExpired();
    provider.tokenFault = { status: 503 };
    expect(await service.switchTo(ADA)).toMatchObject({ ok: false, error: { kind: 'auth' } });
    provider.tokenFault = null;
    expect((await service.switchTo(ADA)).ok).toBe(true);
    expect(emulator.currentUserId()).toBe(ADA);
    expect(account(ADA)?.needsSignIn).toBeUndefined();
  });

  it('a provider down while Pieces OS refuses the token (401) does not flag the account either', async () => {
    await signInAs('ada');
    await signInAs('grace');
    const saved = tokens.get(ADA)!;
    emulator.setFaults({ signIn: { status: 401, times: 1 } });
    provider.tokenFault = { status: 503 };
    expect(await service.switchTo(ADA)).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(account(ADA)?.needsSignIn).toBeUndefined();
    expect(tokens.get(ADA)).toEqual(saved);
  });

  it.each<[string, NonNullable<TestProvider['tokenFault']>]>([
    ['401', { status: 401, body: 'Unauthorized' }],
    ['400 invalid_grant', { status: 400, json: true, body: '{"error":"invalid_grant"}' }],
    ['400 without an OAuth body', { status: 400, body: 'Bad Request' }],
  ])('a token endpoint refusal (%s) still means "Sign in again"', async (_, fault) => {
    const saved = await withAdaExpired();
    provider.tokenFault = fault;
    const result = await service.switchTo(ADA);
    expect(result).toMatchObject({ ok: false, error: { kind: 'needs-sign-in' } });
    if (!result.ok) expect(result.error.message).toMatch(/Sign in to this account again\.$/);
    expect(account(ADA)?.needsSignIn).toBe(true);
    expect(tokens.get(ADA)).toEqual(saved);
  });

  /** What a notice or a snapshot must never carry. */
  const secretsOf = (t: { access_token: string; refresh_token?: string; id_token?: string }) =>
    [t.access_token, t.refresh_token, t.id_token].filter((v): v is string => !!v);

  it('a renewed token that cannot be saved is used anyway, kept for the session, and the person is told', async () => {
    const old = await withAdaExpired();
    tokens.failWrites = true;

    const result = await service.switchTo(ADA);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(emulator.currentUserId()).toBe(ADA);
    const renewed = tokens.get(ADA)!;
    expect(renewed.access_token).not.toBe(old.access_token);
    expect(renewed.obtained_at).toBe(clock);
    const notice = service.snapshot().notices.find((n) => n.id === `unsaved-sign-in-${ADA}`);
    expect(notice?.level).toBe('warning');
    expect(notice?.message).toMatch(
      /^The renewed sign-in for Ada Lovelace could not be saved, so it lasts only until the app quits: after a restart you may need to sign in to this account again\. The sign-in could not be saved \(ENOSPC\)\.$/,
    );
    for (const secret of [...secretsOf(old), ...secretsOf(renewed)]) {
      expect(JSON.stringify(service.snapshot())).not.toContain(secret);
    }
    // Still good within the session: switching away and back needs no new renewal for Ada.
    expect((await service.switchTo(GRACE)).ok).toBe(true); // Grace's token, an hour old, renews
    const renewals = refreshes().length;
    expect((await service.switchTo(ADA)).ok).toBe(true);
    expect(refreshes()).toHaveLength(renewals);
    expect(tokens.get(ADA)).toEqual(renewed);

    // A later sign-in that is saved makes the notice untrue: it goes.
    tokens.failWrites = false;
    await signInAs('ada');
    expect(service.snapshot().notices.some((n) => n.id === `unsaved-sign-in-${ADA}`)).toBe(false);
  });

  it('with the real token vault: a failed write keeps the renewed token, and the next write saves it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'renewed-unsaved-'));
    const file = path.join(dir, 'tokens.json');
    const openVault = () =>
      openTokenVault({ cwd: dir, safeStorage: fakeKeychain(), allowPlaintext: () => false });
    service.stop();
    const vault = await openVault();
    service = makeService(vault);
    try {
      await service.start();
      await signInAs('ada');
      await signInAs('grace');
      const old = vault.get(ADA)!;
      clock += old.expires_in * 1000;
      // Writes fail for real, even as root: a non-empty directory stands where the file goes.
      fs.renameSync(file, `${file}.kept`);
      fs.mkdirSync(path.join(file, 'in-the-way'), { recursive: true });

      const result = await service.switchTo(ADA);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(emulator.currentUserId()).toBe(ADA);
      const renewed = vault.get(ADA)!;
      expect(renewed.access_token).not.toBe(old.access_token);
      expect(service.snapshot().notices.map((n) => n.id)).toContain(`unsaved-sign-in-${ADA}`);

      fs.rmSync(file, { recursive: true });
      fs.renameSync(`${file}.kept`, file);
      expect((await openVault()).get(ADA)).toEqual(old); // on disk: still the old one
      // Grace's token is an hour old too: renewing it is the next write, and it carries Ada's.
      expect((await service.switchTo(GRACE)).ok).toBe(true);
      expect((await openVault()).get(ADA)).toEqual(renewed);
      // Saved now: the "lasts only until the app quits" notice is no longer true, so it is gone.
      expect(vault.unsavedIds()).toEqual([]);
      expect(service.snapshot().notices.map((n) => n.id)).not.toContain(`unsaved-sign-in-${ADA}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never sends a refresh token to a provider that did not issue it', async () => {
    await signInAs('ada');
    await signInAs('grace');
    // As if the token had come from elsewhere (pasted, or a provider configured before).
    void tokens.set(ADA, { ...tokens.get(ADA)!, issuer: 'https://other-idp.example' });
    emulator.setFaults({ signIn: { status: 401, times: 1 } });
    const result = await service.switchTo(ADA);
    expect(result).toMatchObject({ ok: false, error: { kind: 'needs-sign-in', status: 401 } });
    expect(refreshes()).toHaveLength(0);
    expect(account(ADA)?.needsSignIn).toBe(true);
  });
});
