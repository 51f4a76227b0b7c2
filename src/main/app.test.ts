// The main process as a whole, with only Electron's own APIs faked: real settings files in a temp
// dir, the real service, client and IPC handlers, the emulator (or a hostile server) over HTTP.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { startEmulator } from '../../emulator/server';
import { INVOKE_CHANNELS, ipcChannel, ipcEvent } from '../shared/contract';
import type { StateSnapshot } from '../shared/domain';
import { startApp } from './app';
import { startTestProvider } from '../../test/support/oidc-test-provider';
import { APP_OUT_DIR, APP_PAGE_URL, fakeMain } from '../../test/support/fake-main';
import { REPO_RESOURCES_DIR } from '../../test/support/fake-electron';
import { FakeAutoUpdater } from '../../test/support/fake-auto-updater';
import { useMainEnv } from '../../test/support/main-env';
import { pastedToken } from '../../test/support/sign-in-form';

vi.mock('electron', () => ({ default: {} })); // electron-store imports it; with a cwd it needs nothing

const env = useMainEnv('pieces-app-test-', { users: 1 });
const envRef = env;
const envDir = () => env.userData;

const start = async (main: ReturnType<typeof fakeMain>) => {
  env.running = await startApp(main.electron as never, {
    outDir: APP_OUT_DIR,
    // Only read by a packaged app: there, electron-builder puts resources/ into this folder.
    resourcesPath: REPO_RESOURCES_DIR,
  });
  await env.running!.service.refresh();
  return env.running!;
};

describe('main process wiring', () => {
  it('opens the window on the built renderer, registers every channel and pushes state to it', async () => {
    const main = fakeMain(env.userData);
    await start(main);
    const win = main.windows[0]!;
    // How hardened it is: test/window-hardening.test.ts.
    expect(win.options.webPreferences?.preload).toBe(join(APP_OUT_DIR, 'preload', 'index.js'));
    expect(win.loaded).toBe(join(APP_OUT_DIR, 'renderer', 'index.html'));
    expect([...main.handlers.keys()].sort()).toEqual(INVOKE_CHANNELS.map(ipcChannel).sort());
    const states = main.sent.filter(([name]) => name === ipcEvent('state'));
    expect((states.at(-1)![1] as StateSnapshot).connection.status).toBe('online');
    expect(main.tray.trays).toHaveLength(1);
  });

  it('gives the window the app icon on Linux and Windows, from resources/', async () => {
    const main = fakeMain(env.userData);
    await start(main);
    const icon = main.windows[0]!.options.icon;
    if (process.platform === 'darwin') expect(icon).toBeUndefined();
    else {
      expect(icon).toBe(join(REPO_RESOURCES_DIR, 'icon.png'));
      expect(existsSync(icon as string)).toBe(true);
    }
  });

  it('signs in through IPC, keeps the token encrypted on disk, and never sends it to the window', async () => {
    const main = fakeMain(env.userData);
    await start(main);
    const token = env.emulator.mintToken({ email: 'ada@example.com', name: 'Ada Lovelace' });
    const result = await main.invoke('signIn', pastedToken(token));
    expect(result.ok).toBe(true);
    for (const file of readdirSync(env.userData)) {
      expect(readFileSync(join(env.userData, file), 'utf8')).not.toContain(token.access_token);
    }
    expect(JSON.stringify(main.sent)).not.toContain(token.access_token);
    // A fresh start reads the vault back: the account can still be switched to.
    env.running!.service.stop();
    const again = fakeMain(env.userData);
    await start(again);
    const state = env.running!.service.snapshot();
    expect(state.accounts.find((a) => a.displayName === 'Ada Lovelace')?.hasToken).toBe(true);
  });

  it('remembers the last active account on disk, for a Pieces OS without GET /user', async () => {
    env.emulator.setFaults({ currentUser: { status: 404, body: 'Not Found' } });
    const main = fakeMain(env.userData);
    await start(main);
    const ada = env.emulator.mintToken({ email: 'ada@example.com', name: 'Ada Lovelace' });
    const grace = env.emulator.mintToken({ email: 'grace@example.com', name: 'Grace Hopper' });
    const adaId = ((await main.invoke('signIn', pastedToken(ada))) as { value: { id: string } })
      .value.id;
    await main.invoke('signIn', pastedToken(grace));
    const switched = await main.invoke('switchTo', { id: adaId });
    expect(switched.ok).toBe(true);
    // Written in the background (a switch does not wait for the disk), at the latest on quit.
    for (const fn of main.appEvents.get('will-quit') ?? []) fn();
    const saved = JSON.parse(readFileSync(join(env.userData, 'settings.json'), 'utf8')) as {
      lastActiveId: string;
    };
    expect(saved.lastActiveId).toBe(adaId);
    // After a restart the app falls back to that account.
    env.running!.service.stop();
    await start(fakeMain(env.userData));
    expect(env.running!.service.snapshot().activeId).toBe(adaId);
  });

  it('signs in with the browser through IPC: the provider from Settings, the system browser only for its pages', async () => {
    const provider = await startTestProvider();
    const oidcEmulator = await startEmulator({
      users: 0,
      oidc: { issuer: provider.issuer, audience: provider.clientId },
    });
    process.env.PIECES_OS_URL = oidcEmulator.url;
    try {
      const main = fakeMain(env.userData);
      const opened: string[] = [];
      main.electron.shell.openExternal = vi.fn(async (url: string) => {
        opened.push(url);
        void provider.respond(url, { login: 'ada' }).then((back) => fetch(back));
      });
      await start(main);
      expect((await main.invoke('signInWithBrowser')).ok).toBe(false); // no provider yet
      expect(opened).toEqual([]);
      expect((await main.invoke('updateSettings', { oauthProvider: provider.settings() })).ok).toBe(
        true,
      );
      const result = await main.invoke('signInWithBrowser');
      expect(result).toMatchObject({ ok: true, value: { displayName: 'Ada Lovelace' } });
      expect(opened.map((u) => new URL(u).origin)).toEqual([provider.issuer]);
      expect(env.running!.service.snapshot().accounts[0]).toMatchObject({ hasToken: true });
      expect(JSON.stringify(main.sent)).not.toMatch(/refresh_token|access_token|id_token/);

      // A packaged app signs in only with an https provider: nothing is opened.
      env.running!.service.stop();
      const packaged = fakeMain(env.userData);
      (packaged.electron.app as Record<string, unknown>).isPackaged = true;
      packaged.electron.shell.openExternal = vi.fn();
      await start(packaged);
      expect(await packaged.invoke('signInWithBrowser')).toMatchObject({
        ok: false,
        error: { kind: 'invalid-input' },
      });
      expect(packaged.electron.shell.openExternal).not.toHaveBeenCalled();
    } finally {
      await oidcEmulator.close();
      await provider.close();
    }
  });

  // The real page check startApp builds (isAppUrl), seen through IPC: the window's main frame
  // asks, showing each URL in turn. Only the app's own page gets an answer.
  it.each([
    {
      build: 'the built page',
      paths: {},
      accepted: [APP_PAGE_URL, `${APP_PAGE_URL}?view=settings#top`],
      refused: [
        'file:///app/out/renderer/other.html', // another file beside it
        'file:///etc/passwd',
        'file:///elsewhere/out/renderer/index.html', // the same name on another path
        `${APP_PAGE_URL}.evil`, // a prefix lookalike
        'file:///app/out/renderer/', // its folder
        'file://evil.example/app/out/renderer/index.html', // a file URL with a host
        'https://evil.example/app/out/renderer/index.html',
        'about:blank',
      ],
    },
    {
      build: 'the dev server',
      // As electron-vite sets ELECTRON_RENDERER_URL: no trailing slash.
      paths: { devServerUrl: 'http://localhost:5173' },
      // Exactly its origin and path (issue 16): a query or hash may differ, nothing else.
      accepted: ['http://localhost:5173/', 'http://localhost:5173/?view=settings#top'],
      refused: [
        'http://localhost:5173/other.html', // another page the dev server serves
        'http://localhost:5173.evil.example/', // a prefix lookalike
        'http://localhost:51730/',
        'http://localhost:5173@evil.example/',
        'https://localhost:5173/',
        'http://127.0.0.1:5173/',
        APP_PAGE_URL,
        'not a url',
      ],
    },
  ])('answers IPC only from the app page ($build)', async ({ paths, accepted, refused }) => {
    const main = fakeMain(env.userData);
    env.running = await startApp(main.electron as never, { outDir: APP_OUT_DIR, ...paths });
    const frame = main.windows[0]!.mainFrame;
    const answer = async (url: string) => {
      frame.url = url;
      const result = await main.invoke('getState');
      return result.ok ? 'answered' : (result as { error: { kind: string } }).error.kind;
    };
    for (const url of accepted) expect(await answer(url), url).toBe('answered');
    for (const url of refused) expect(await answer(url), url).toBe('forbidden');
    // The window is told why, in words.
    frame.url = refused[0]!;
    expect(await main.invoke('getState')).toMatchObject({
      ok: false,
      error: { message: 'This request did not come from the app window.' },
    });
  });

  it('a packaged app ignores ELECTRON_RENDERER_URL: loads the built page and refuses IPC from that URL', async () => {
    const devUrl = 'http://127.0.0.1:5173/';
    const env = { ELECTRON_RENDERER_URL: devUrl, PIECES_SWITCHER_TEST_HOOKS: '1' };
    const main = fakeMain(envDir());
    (main.electron.app as Record<string, unknown>).isPackaged = true;
    // A packaged app finds its icons in Electron's resources folder (extraResources).
    const proc = process as { resourcesPath?: string };
    const before = proc.resourcesPath;
    proc.resourcesPath = join(APP_OUT_DIR, '..', 'resources');
    onTestFinished(() => {
      proc.resourcesPath = before;
    });
    envRef.running = await startApp(main.electron as never, { outDir: APP_OUT_DIR, env });
    const win = main.windows[0]!;
    expect(win.loaded).toBe(join(APP_OUT_DIR, 'renderer', 'index.html'));
    expect(win.options.webPreferences?.devTools).toBe(false);
    expect((globalThis as Record<string, unknown>).__piecesTestHooks).toBeUndefined();
    const fromDevUrl = await main.invokeAs(
      { sender: win.webContents, senderFrame: Object.assign(win.mainFrame, { url: devUrl }) },
      'getState',
    );
    expect(fromDevUrl).toMatchObject({ ok: false, error: { kind: 'forbidden' } });
    expect(win.permissionCheckHandler?.({}, 'media', devUrl, {})).toBe(false);
  });

  it('a development build loads ELECTRON_RENDERER_URL and trusts exactly that page, not a prefix of it', async () => {
    const devUrl = 'http://127.0.0.1:5173/';
    const main = fakeMain(envDir());
    envRef.running = await startApp(main.electron as never, {
      outDir: APP_OUT_DIR,
      env: { ELECTRON_RENDERER_URL: devUrl },
    });
    const win = main.windows[0]!;
    expect(win.loaded).toBe(devUrl);
    expect(win.options.webPreferences?.devTools).toBe(true);
    const as = (url: string) =>
      main.invokeAs(
        { sender: win.webContents, senderFrame: Object.assign(win.mainFrame, { url }) },
        'getState',
      );
    expect(await as(`${devUrl}?x=1`)).toMatchObject({ ok: true });
    expect(await as(`${devUrl}evil.html`)).toMatchObject({
      ok: false,
      error: { kind: 'forbidden' },
    });
  });

  it('starts with a directory in place of settings.json and tokens.json: defaults, notices, sign-in in memory', async () => {
    mkdirSync(join(env.userData, 'settings.json'));
    mkdirSync(join(env.userData, 'tokens.json'));
    const main = fakeMain(env.userData);
    await start(main);
    const snapshot = env.running!.service.snapshot();
    expect(snapshot.connection.status).toBe('online');
    const notices = snapshot.notices.map((n) => n.message).join(' ');
    expect(notices).toMatch(/settings file .* cannot be read \(EISDIR\)/);
    expect(notices).toMatch(/sign-ins file .* cannot be read \(EISDIR\)/);
    expect(await main.invoke('updateSettings', { theme: 'dark' })).toMatchObject({ ok: true });
    const token = env.emulator.mintToken({ email: 'ada@example.com', name: 'Ada Lovelace' });
    expect(await main.invoke('signIn', pastedToken(token))).toMatchObject({ ok: true });
  });

  it('keeps running on a corrupted settings file: defaults, a backup, and one notice', async () => {
    writeFileSync(join(env.userData, 'settings.json'), '{ "theme": "dark", oops');
    const main = fakeMain(env.userData);
    await start(main);
    const snapshot = env.running!.service.snapshot();
    expect(snapshot.connection.status).toBe('online');
    expect(snapshot.notices).toHaveLength(1);
    expect(readdirSync(env.userData).some((f) => f.startsWith('settings.json.bak-'))).toBe(true);
    expect((await main.invoke('getSettings')).ok).toBe(true);
  });

  it('keeps running against a hostile server: typed errors, state intact', async () => {
    const hostile: Server = createServer((req, res) => {
      if (req.url === '/users') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"iterable":[{"id":42,"__proto__":{"polluted":true}}]}');
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Welcome to nginx</body></html>');
      }
    });
    await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', () => r()));
    const port = (hostile.address() as { port: number }).port;
    process.env.PIECES_OS_URL = `http://127.0.0.1:${port}`;
    try {
      const main = fakeMain(env.userData);
      await start(main);
      const snapshot = env.running!.service.snapshot();
      expect(snapshot.connection).toMatchObject({
        status: 'offline',
        error: { kind: 'bad-response' },
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      const details = await main.invoke('getDetails', {
        id: '3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
      });
      expect(details).toMatchObject({ ok: false, error: { kind: 'bad-response' } });
    } finally {
      hostile.close();
    }
  });

  it('has no update item in development: updates are off', async () => {
    const main = fakeMain(env.userData);
    await start(main);
    expect(main.tray.tray.menu.map((i) => i.label)).not.toContain('Check for updates…');
  });

  it('packaged with a release provider: checks from the tray, offers the update by notification, installs only on its click', async () => {
    // The packaged app's resources folder: the icons, and the app-update.yml electron-builder
    // writes when its config names a publish provider.
    const resources = mkdtempSync(join(tmpdir(), 'pieces-resources-'));
    cpSync(REPO_RESOURCES_DIR, resources, { recursive: true });
    writeFileSync(join(resources, 'app-update.yml'), 'provider: github\nowner: o\nrepo: r\n');
    const auto = new FakeAutoUpdater();
    const main = fakeMain(env.userData);
    Object.assign(main.electron.app, { isPackaged: true, getVersion: () => '0.1.0' });
    try {
      env.running = await startApp(main.electron as never, {
        outDir: APP_OUT_DIR,
        resourcesPath: resources,
        loadAutoUpdater: async () => auto,
      });
      await env.running!.service.refresh();
      expect(auto.autoInstallOnAppQuit).toBe(true);
      const updates = () => main.tray.tray.menu.find((i) => i.id === 'updates');
      expect(updates()?.label).toBe('Check for updates…');
      (updates()!.click as () => void)();
      expect(auto.checks).toBe(1);
      auto.findAndDownload('1.2.0');
      await new Promise((resolve) => setImmediate(resolve));
      expect(main.tray.notifications.at(-1)?.title).toBe('Update ready');
      expect(updates()?.label).toBe('Restart to install version 1.2.0');
      expect(auto.installs).toEqual([]);

      // The person clicks the notification: the window may now close for real, then it installs.
      main.tray.shownNotifications.at(-1)!.click();
      expect(auto.installs).toHaveLength(1);
      const win = main.windows[0]!;
      let prevented = false;
      for (const fn of win.listeners.get('close') ?? [])
        fn({ preventDefault: () => (prevented = true) });
      expect(prevented).toBe(false);
    } finally {
      for (const fn of main.appEvents.get('will-quit') ?? []) fn();
      rmSync(resources, { recursive: true, force: true });
    }
  });

  it('hides the window on close (close to tray) instead of quitting', async () => {
    const main = fakeMain(env.userData);
    await start(main);
    const win = main.windows[0]!;
    win.show();
    let prevented = false;
    for (const fn of win.listeners.get('close') ?? [])
      fn({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(win.visible).toBe(false);
    expect(main.electron.app.quit).not.toHaveBeenCalled();
    const saved = JSON.parse(readFileSync(join(env.userData, 'settings.json'), 'utf8')) as {
      windowBounds: unknown;
    };
    expect(saved.windowBounds).toEqual({ x: 40, y: 50, width: 700, height: 520 });
  });
});
