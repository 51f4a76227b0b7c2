// Wires the Electron pieces to the plain-TypeScript core. Everything with logic lives elsewhere;
// this file takes the electron module as a parameter so a test can hand it a mock.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as ElectronModule from 'electron';
import type { BrowserWindow } from 'electron';
import { ipcEvent } from '../shared/contract';
import type { OAuthTokenInput } from '../shared/domain';
import type { AccountService } from './accounts/account-service';
import { createCore } from './core';
import { registerIpc, senderIsAppWindow } from './ipc/register';
import { createLogger, type Log } from './log/logger';
import { createTrayController } from './tray/tray';
import { createQuitGuard } from './quit-guard';
import {
  platformHasTray,
  setLaunchAtLogin,
  shouldHideOnClose,
  shouldQuitWhenAllClosed,
} from './tray/lifecycle';
import { boundsToSave, lockDownNavigation, secureWindowOptions } from './window/main-window';

type Electron = typeof ElectronModule;

export interface AppPaths {
  /** Folder holding out/main, out/preload, out/renderer. */
  outDir: string;
  /** Dev server URL from electron-vite, if running `npm run dev`. */
  devServerUrl?: string;
  /** Expose `globalThis.__piecesTestHooks` for the _electron end-to-end suite. */
  testHooks?: boolean;
  /** How long a quit waits for a running operation to end (tests shorten it). Default 5 s. */
  quitWaitMs?: number;
}

export interface RunningApp {
  service: AccountService;
  /** The app's redacting log (main.log in the profile). */
  log: Log;
  showWindow(opts?: { addAccount?: boolean }): void;
  quit(): void;
}

/** `npm run demo` hands over demo tokens in a file; sign them in the normal way, then delete it. */
async function signInFromFile(service: AccountService, file: string | undefined): Promise<void> {
  if (!file) return;
  try {
    const tokens = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    rmSync(file, { force: true });
    if (!Array.isArray(tokens)) return;
    for (const token of tokens) await service.signIn(token as OAuthTokenInput);
  } catch {
    // A demo convenience only: the app works the same without it.
  }
}

/** The origin of a URL, or null when it does not parse. */
function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export async function startApp(electron: Electron, paths: AppPaths): Promise<RunningApp | null> {
  const { app, BrowserWindow, ipcMain, shell, safeStorage } = electron;

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  await app.whenReady();

  const userData = app.getPath('userData');
  // Beside the settings, so a temp profile (tests, a second profile) keeps its log too. Rotated at
  // 1 MB to main.old.log; every entry is redacted on the way in (see log/logger.ts).
  const log = createLogger({
    file: join(userData, 'main.log'),
    console: Boolean(paths.devServerUrl),
  });
  // A packaged app signs in only with an https provider; development and test builds may also use
  // one running on this computer over http (a loopback issuer).
  const { settings, service, handlers } = createCore({
    dataDir: userData,
    safeStorage,
    allowLoopbackIssuer: !app.isPackaged,
    // Reviewed (Electronegativity OPEN_EXTERNAL_JS_CHECK): createCore() calls this only for URLs
    // canOpenForSignIn() allows, the provider's own pages; allow-listed in scripts/security-allowlist.json.
    openExternal: (url) => shell.openExternal(url),
    log,
    onLaunchAtLogin: (enabled) => setLaunchAtLogin(app, enabled),
  });

  const rendererFile = join(paths.outDir, 'renderer', 'index.html');
  const rendererFileUrl = pathToFileURL(rendererFile).href;
  // The app's page and nothing else: the built index.html (any query or hash), or in development
  // the dev server's own origin. A prefix is not enough: http://localhost:5173.evil.example starts
  // with http://localhost:5173.
  const devOrigin = paths.devServerUrl ? new URL(paths.devServerUrl).origin : null;
  const isAppUrl = (url: string): boolean => {
    if (devOrigin) return originOf(url) === devOrigin;
    return url.split(/[?#]/)[0] === rendererFileUrl;
  };

  let win: BrowserWindow | null = null;
  let quitting = false;
  const hasTray = platformHasTray(process.platform);

  function createWindow(): BrowserWindow {
    // Electronegativity reports contextIsolation, sandbox and auxclick here because it cannot see
    // into secureWindowOptions(); allow-listed and verified by scripts/security-audit.ts.
    const w = new BrowserWindow(
      secureWindowOptions(join(paths.outDir, 'preload', 'index.js'), settings.get().windowBounds),
    );
    lockDownNavigation(w, shell, isAppUrl, log);
    w.once('ready-to-show', () => w.show());
    w.on('focus', () => void service.refresh());
    w.on('close', (event) => {
      const bounds = boundsToSave(w);
      try {
        if (bounds) settings.update({ windowBounds: bounds });
      } catch {
        // Odd bounds (a huge multi-monitor span) are not worth keeping the window open for.
      }
      if (
        shouldHideOnClose({
          closeToTray: settings.get().closeToTray,
          quitting,
          platformHasTray: hasTray,
        })
      ) {
        event.preventDefault();
        w.hide();
      }
    });
    w.on('closed', () => {
      win = null;
    });
    // Rejects (ERR_ABORTED, ERR_FAILED) when the window closes or the app quits while loading.
    const loading = paths.devServerUrl ? w.loadURL(paths.devServerUrl) : w.loadFile(rendererFile);
    loading.catch((err: unknown) =>
      log.warn('The window did not finish loading the app page', {
        error: err instanceof Error ? err.message : String(err),
      }),
    );
    return w;
  }

  function showWindow(opts: { addAccount?: boolean } = {}): void {
    win ??= createWindow();
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    if (opts.addAccount) {
      const w = win;
      // A fresh window has no listener until its page has loaded.
      if (w.webContents.isLoading())
        w.webContents.once('did-finish-load', () =>
          w.webContents.send(ipcEvent('command'), 'add-account'),
        );
      else w.webContents.send(ipcEvent('command'), 'add-account');
    }
  }

  function quit(): void {
    quitting = true;
    app.quit();
  }

  registerIpc(ipcMain, handlers, (event) =>
    senderIsAppWindow(event, () => win?.webContents, isAppUrl),
  );

  service.subscribe((snapshot) => {
    if (win && !win.isDestroyed()) win.webContents.send(ipcEvent('state'), snapshot);
  });

  const tray = createTrayController({
    electron,
    service,
    showWindow,
    quit,
    notificationsEnabled: () => settings.get().notifications,
  });

  if (paths.testHooks) {
    // The _electron suite clicks tray items by label: a native menu is outside any page.
    (globalThis as Record<string, unknown>).__piecesTestHooks = {
      clickTrayItem(label: string) {
        const item = tray.currentMenu().find((i) => i.label === label);
        if (!item?.click) throw new Error(`No tray menu item "${label}"`);
        (item.click as () => void)();
      },
    };
  }

  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  // macOS and Linux announce a shutdown or logout; a quit then must not be held (see quit-guard).
  let systemEnding = false;
  electron.powerMonitor?.on('shutdown', () => {
    systemEnding = true;
  });
  const holdQuit = createQuitGuard({
    service,
    quit: () => app.quit(),
    systemEnding: () => systemEnding,
    ...(paths.quitWaitMs !== undefined ? { limitMs: paths.quitWaitMs } : {}),
    log,
  });
  app.on('before-quit', (event) => {
    quitting = true;
    holdQuit(event);
  });
  app.on('will-quit', () => {
    tray.destroy();
    service.stop();
  });
  // The window closed for real (a hidden one does not count): quit unless it belongs in the tray.
  app.on('window-all-closed', () => {
    if (
      shouldQuitWhenAllClosed({ closeToTray: settings.get().closeToTray, platformHasTray: hasTray })
    )
      app.quit();
  });
  // Nothing in this app needs a second window or a webview; refuse them everywhere.
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  showWindow();
  void service
    .start()
    .then(() => signInFromFile(service, process.env.PIECES_SWITCHER_SIGN_IN_FILE));
  return { service, log, showWindow, quit };
}
