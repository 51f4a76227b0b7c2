// The app's life with Electron faked: closing the window with "close to tray" off, quitting while
// an operation runs, and pages or links that fail to open. Real settings in a temp profile, the
// real service and the emulator over HTTP on loopback.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startApp, type AppPaths } from './app';
import { APP_OUT_DIR, fakeMain, type FakeMain } from '../../test/support/fake-main';
import { useMainEnv } from '../../test/support/main-env';
import { trackUnhandled } from '../../test/support/invariants';
import { pastedToken } from '../../test/support/sign-in-form';
import type { OAuthTokenInput } from '../shared/domain';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const env = useMainEnv('pieces-lifecycle-test-', { users: 1 });

const start = async (main: FakeMain, extra: Partial<AppPaths> = {}) => {
  env.running = await startApp(main.electron as never, { outDir: APP_OUT_DIR, ...extra });
  await env.running!.service.refresh();
  return env.running!;
};

/**
 * app.quit() as Electron does it: 'before-quit' first, and the app ends only if no listener
 * prevented it. Each real end is recorded with what the service was doing at that moment.
 */
function quitLikeElectron(main: FakeMain, state: () => Record<string, unknown> = () => ({})) {
  const ended: Record<string, unknown>[] = [];
  let held = 0;
  main.electron.app.quit = vi.fn(() => {
    let prevented = false;
    for (const fn of main.appEvents.get('before-quit') ?? [])
      fn({ preventDefault: () => (prevented = true) });
    if (prevented) held++;
    else
      ended.push({
        operation: env.running?.service.snapshot().operation?.kind ?? null,
        ...state(),
      });
  });
  return { ended, held: () => held };
}

/** The person closes the window: 'close', then (unless prevented) 'closed' and, with no other window, 'window-all-closed'. */
function closeWindow(main: FakeMain): boolean {
  const win = main.windows[0]!;
  let prevented = false;
  for (const fn of win.listeners.get('close') ?? [])
    fn({ preventDefault: () => (prevented = true) });
  if (prevented) return false;
  for (const fn of win.listeners.get('closed') ?? []) fn();
  for (const fn of main.appEvents.get('window-all-closed') ?? []) fn();
  return true;
}

async function twoAccounts(main: FakeMain): Promise<{ adaId: string; graceId: string }> {
  const ada = env.emulator.mintToken({ email: 'ada@example.com', name: 'Ada Lovelace' });
  const grace = env.emulator.mintToken({ email: 'grace@example.com', name: 'Grace Hopper' });
  const id = async (token: OAuthTokenInput) =>
    ((await main.invoke('signIn', pastedToken(token))) as { value: { id: string } }).value.id;
  const adaId = await id(ada);
  const graceId = await id(grace); // Grace is active now
  return { adaId, graceId };
}

describe('closing the window', () => {
  it('with "close to tray" off, closing the window quits the app', async () => {
    const main = fakeMain(env.userData);
    const quits = quitLikeElectron(main);
    await start(main);
    expect((await main.invoke('updateSettings', { closeToTray: false })).ok).toBe(true);
    expect(closeWindow(main)).toBe(true);
    expect(quits.ended).toHaveLength(1);
  });

  it('with "close to tray" on, closing the window hides it and the app keeps running', async () => {
    const main = fakeMain(env.userData);
    const quits = quitLikeElectron(main);
    await start(main);
    expect(closeWindow(main)).toBe(false);
    expect(main.windows[0]!.visible).toBe(false);
    expect(main.electron.app.quit).not.toHaveBeenCalled();
    expect(quits.ended).toEqual([]);
  });
});

describe('quitting while an operation runs', () => {
  it('waits for a running switch to end, then quits once', async () => {
    const main = fakeMain(env.userData);
    let switchEnded = false;
    const quits = quitLikeElectron(main, () => ({ switchEnded }));
    const app = await start(main, { quitWaitMs: 10_000 });
    const { adaId } = await twoAccounts(main);

    env.emulator.setFaults({ signIn: { latencyMs: 300, times: 1 } });
    const switching = app.service.switchTo(adaId).finally(() => (switchEnded = true));
    expect(app.service.snapshot().operation).toMatchObject({ kind: 'switch' });
    app.quit(); // the tray's Quit
    app.quit(); // clicked again meanwhile: the same quit, still held
    expect(quits.held()).toBe(2);
    expect(quits.ended).toEqual([]);

    expect((await switching).ok).toBe(true);
    await expect.poll(() => quits.ended.length, { timeout: 5_000 }).toBe(1);
    expect(quits.ended).toEqual([{ operation: null, switchEnded: true }]);
    expect(app.service.snapshot().activeId).toBe(adaId);
    expect(env.emulator.currentUserId()).toBe(adaId);
  });

  it('quits anyway once the time limit has passed when the operation hangs', async () => {
    const main = fakeMain(env.userData);
    const quits = quitLikeElectron(main);
    const app = await start(main, { quitWaitMs: 20 });
    const { adaId } = await twoAccounts(main);

    env.emulator.setFaults({ signIn: { latencyMs: 1_000, times: 1 } });
    const switching = app.service.switchTo(adaId);
    app.quit();
    expect(quits.ended).toEqual([]);
    await expect.poll(() => quits.ended.length, { timeout: 5_000 }).toBe(1);
    // The limit, not the operation, let it go.
    expect(quits.ended).toEqual([{ operation: 'switch' }]);
    await switching;
  });

  it('does not hold the quit of a system shutdown or logout, even with a switch running', async () => {
    const main = fakeMain(env.userData);
    const quits = quitLikeElectron(main);
    const app = await start(main, { quitWaitMs: 10_000 });
    const { adaId } = await twoAccounts(main);
    env.emulator.setFaults({ signIn: { latencyMs: 300, times: 1 } });
    const switching = app.service.switchTo(adaId);
    main.electron.powerMonitor.emit('shutdown');
    app.quit();
    expect(quits.held()).toBe(0);
    expect(quits.ended).toEqual([{ operation: 'switch' }]);
    await switching;
  });

  it('quits at once when nothing runs', async () => {
    const main = fakeMain(env.userData);
    const quits = quitLikeElectron(main);
    const app = await start(main, { quitWaitMs: 10_000 });
    app.quit();
    expect(quits.held()).toBe(0);
    expect(quits.ended).toEqual([{ operation: null }]);
  });
});

describe('pages and links that fail to open', () => {
  it.each([
    ['the built page (loadFile)', {}],
    ['the dev server (loadURL)', { devServerUrl: 'http://127.0.0.1:5173/' }],
  ])(
    'a window closed while loading %s, and a link with no browser to open it, are logged, not unhandled',
    async (_what, extra: Partial<AppPaths>) => {
      const unhandled = trackUnhandled();
      try {
        const main = fakeMain(env.userData);
        const aborted = () => Promise.reject(new Error('ERR_ABORTED (-3) loading the app page'));
        main.electron.BrowserWindow.prototype.loadFile = aborted;
        main.electron.BrowserWindow.prototype.loadURL = aborted;
        main.electron.shell.openExternal = vi.fn(() =>
          Promise.reject(new Error('No application found to open the URL')),
        );
        await start(main, extra);
        const win = main.windows[0]!;
        expect(win.windowOpenHandler?.({ url: 'https://pieces.app/' })).toEqual({
          action: 'deny',
        });
        expect(main.electron.shell.openExternal).toHaveBeenCalledWith('https://pieces.app/');
        await unhandled.settle();
        expect(unhandled.seen).toEqual([]);
        await env.running!.log.settled?.();
        const log = readFileSync(join(env.userData, 'main.log'), 'utf8');
        expect(log).toContain('ERR_ABORTED (-3)');
        expect(log).toContain('No application found to open the URL');
      } finally {
        unhandled.dispose();
      }
    },
  );
});
