// The account service's browser sign-in and token refresh, end to end under Node: a real OpenID
// provider on loopback, the emulator accepting that provider's id tokens, the real Pieces OS
// client. The "browser" is fetch() choosing a person on the provider's page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import { userIdForEmail } from '../../../emulator/ids';
import { createBrowserAuth } from '../auth/browser-auth';
import { startTestProvider, type TestProvider } from '../auth/test-provider';
import { createBaseUrlResolver } from '../pieces/base-url';
import { createPiecesClient } from '../pieces/client';
import { createAccountService, type AccountService } from './account-service';
import { isExpired } from './saved-sign-in';
import { manualTimers, memoryTokens } from './test-support';

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
  const resolver = createBaseUrlResolver({ setting: () => emulator.url });
  service = createAccountService({
    client: createPiecesClient({ resolver, timeoutMs: 3000 }),
    tokens,
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
  await service.start();
});

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

  it('never sends a refresh token to a provider that did not issue it', async () => {
    await signInAs('ada');
    await signInAs('grace');
    // As if the token had come from elsewhere (pasted, or a provider configured before).
    tokens.set(ADA, { ...tokens.get(ADA)!, issuer: 'https://other-idp.example' });
    emulator.setFaults({ signIn: { status: 401, times: 1 } });
    const result = await service.switchTo(ADA);
    expect(result).toMatchObject({ ok: false, error: { kind: 'needs-sign-in', status: 401 } });
    expect(refreshes()).toHaveLength(0);
    expect(account(ADA)?.needsSignIn).toBe(true);
  });
});
