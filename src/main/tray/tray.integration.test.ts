// The tray driving the real account service against the Pieces OS emulator over real HTTP.
// Only Electron is faked; it cannot run here.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator, type Emulator } from '../../../emulator/server';
import type { OAuthTokenInput } from '../../shared/domain';
import { createAccountService, type AccountService } from '../accounts/account-service';
import { manualTimers, memoryTokens } from '../../../test/support/account-testing';
import type { AccountActions } from '../accounts/types';
import { createBaseUrlResolver } from '../pieces/base-url';
import { createPiecesClient } from '../pieces/client';
import {
  fakeElectron,
  trayIconStateOf,
  REPO_RESOURCES_DIR,
  type FakeElectron,
} from '../../../test/support/fake-electron';
import { TRAY_ITEM } from './menu-template';
import { createTrayController, type TrayController } from './tray';
import { click, item } from '../../../test/support/tray-testing';

vi.mock(
  'electron',
  async () => (await import('../../../test/support/fake-electron')).fakeElectron().electron,
);

let emulator: Emulator;
let tokens: ReturnType<typeof memoryTokens>;
let service: AccountService;
let world: FakeElectron;
let tray: TrayController;
/** Every action promise the tray started, so a test can wait for them without a clock. */
let started: Promise<unknown>[];

/** The service as the tray sees it, recording the promises of the actions it calls. */
function recorded(actions: AccountActions): AccountActions {
  const track =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const p = fn(...args);
      started.push(p);
      return p;
    };
  return {
    ...actions,
    switchTo: track(actions.switchTo),
    signOut: track(actions.signOut),
    signOutAll: track(actions.signOutAll),
    retryNow: track(actions.retryNow),
  };
}

/** Waits for the actions the tray started, then for the tray's own follow-up (notifications). */
async function settle(): Promise<void> {
  await Promise.all(started);
  await new Promise((resolve) => setImmediate(resolve));
}

async function signIn(person: { email: string; name: string }) {
  const token: OAuthTokenInput = emulator.mintToken(person);
  const result = await service.signIn(token);
  if (!result.ok) throw new Error(result.error.message);
  return { id: result.value.id, token };
}

const emulatorIds = () => (emulator.users() as { id: string }[]).map((u) => u.id);

beforeEach(async () => {
  emulator = await startEmulator({ users: 2, seed: 7 });
  tokens = memoryTokens();
  let lastActiveId: string | null = null;
  service = createAccountService({
    client: createPiecesClient({
      resolver: createBaseUrlResolver({ setting: () => emulator.url }),
      timeoutMs: 2000,
    }),
    tokens,
    lastActive: { get: () => lastActiveId, set: (id) => void (lastActiveId = id) },
    timers: manualTimers(),
  });
  await service.start();
  world = fakeElectron();
  started = [];
  tray = createTrayController({
    electron: world.electron,
    service: recorded(service),
    showWindow: () => undefined,
    quit: () => undefined,
    notificationsEnabled: () => true,
    resourcesDir: REPO_RESOURCES_DIR,
    platform: 'linux',
  });
});

afterEach(async () => {
  tray.destroy();
  service.stop();
  await emulator.close();
});

describe('tray with the account service and the emulator', () => {
  it('"Sign out <active>" disconnects the user in Pieces OS and the tray follows', async () => {
    const ada = await signIn({ email: 'ada@example.com', name: 'Ada Lovelace' });
    expect(world.tray.menu[0]?.label).toBe('Ada Lovelace — ada@example.com');
    const signOut = item(world.tray.menu, TRAY_ITEM.signOut);
    expect(signOut?.label).toBe('Sign out Ada Lovelace');

    click(signOut);
    await settle();

    expect(emulatorIds()).not.toContain(ada.id);
    expect(tokens.get(ada.id)).toBeUndefined();
    const s = service.snapshot();
    expect(s.accounts.map((a) => a.id)).not.toContain(ada.id);
    expect(s.activeId).not.toBe(ada.id);
    expect(item(world.tray.menu, TRAY_ITEM.account(ada.id))).toBeUndefined();
    expect(world.tray.menu[0]?.label).not.toContain('Ada Lovelace');
    expect(world.notifications).toEqual([
      { title: 'Pieces Account Switcher', body: 'Signed out of Ada Lovelace' },
    ]);
  });

  it('with Pieces OS stopped, sign-out keeps the account and its token and says why', async () => {
    const ada = await signIn({ email: 'ada@example.com', name: 'Ada Lovelace' });
    await emulator.stop();

    click(item(world.tray.menu, TRAY_ITEM.signOut));
    await settle();

    expect(tokens.get(ada.id)).toEqual(ada.token);
    const s = service.snapshot();
    expect(s.accounts.find((a) => a.id === ada.id)).toMatchObject({ hasToken: true });
    expect(s.connection.status).toBe('offline');
    expect(world.notifications).toHaveLength(1);
    expect(world.notifications[0]?.title).toBe('Could not sign out of Ada Lovelace');
    expect(world.notifications[0]?.body).toBe(s.lastError?.error.message);
    expect(item(world.tray.menu, TRAY_ITEM.connection)?.label).toBe('Pieces OS is not reachable');
    expect(world.tray.images.map(trayIconStateOf).at(-1)).toBe('offline');

    // Pieces OS never got the disconnect: the user is still there when it comes back.
    await emulator.start();
    expect(emulatorIds()).toContain(ada.id);
  });
});
