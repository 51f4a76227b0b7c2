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
import { appResourcesDir, windowIconPath } from './app-resources';
import { createCore } from './core';
import { catchLinks, wireCommandsAndLinks } from './commands/app-wiring';
import { realKeychain } from './settings/keychain';
import { devOptions, isSamePage } from './dev-options';
import { registerIpc, senderIsAppWindow } from './ipc/register';
import { createLogger, type Log } from './log/logger';
import { openPictureCache } from './pictures/picture-cache';
import { createPictureFetcher } from './pictures/fetch-picture';
import { createPictureStore } from './pictures/picture-store';
import { createTrayController } from './tray/tray';
import { loadUpdater } from './update/load-updater';
import type { AutoUpdaterLike, Updater } from './update/updater';
import { createQuitGuard } from './quit-guard';
import { paletteBounds } from './palette/placement';
import { createQuickSwitchShortcut, SHORTCUT_NOTICE_ID, shortcutNotice } from './palette/shortcut';
import { diffSnapshots } from '../shared/state-patch';
import {
  platformHasTray,
  setLaunchAtLogin,
  shouldHideOnClose,
  shouldQuitWhenAllClosed,
} from './tray/lifecycle';
import {
  boundsToSave,
  isAllowedExternal,
  lockDownNavigation,
  secureWindowOptions,
} from './window/main-window';
import { PALETTE_QUERY, paletteUrl, paletteWindowOptions } from './window/palette-window';

type Electron = typeof ElectronModule;

export interface AppPaths {
  /** Folder holding out/main, out/preload, out/renderer. */
  outDir: string;
  /** Dev server URL from electron-vite, if running `npm run dev`. Ignored in a packaged app. */
  devServerUrl?: string;
  /** Expose `globalThis.__piecesTestHooks` for the _electron end-to-end suite. Ignored when packaged. */
  testHooks?: boolean;
  /** Where development switches are read (see dev-options.ts). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How long a quit waits for a running operation to end (tests shorten it). Default 5 s. */
  quitWaitMs?: number;
  /** Electron's `process.resourcesPath` (tests pass one; Node has none). */
  resourcesPath?: string;
  /** Loads electron-updater's autoUpdater when updates are on (tests pass a fake). */
  loadAutoUpdater?: () => Promise<AutoUpdaterLike>;
}

export interface RunningApp {
  service: AccountService;
  /** The app's redacting log (main.log in the profile). */
  log: Log;
  showWindow(opts?: { addAccount?: boolean }): void;
  /** Shows the quick switcher on the active screen (what the global shortcut does). */
  showPalette(): void;
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

export async function startApp(electron: Electron, paths: AppPaths): Promise<RunningApp | null> {
  const { app, BrowserWindow, ipcMain, shell, safeStorage } = electron;

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  const links = catchLinks(app, process.argv);
  await app.whenReady();

  // A packaged app is production: no environment variable or caller turns on a development switch.
  const dev = devOptions(paths.env ?? process.env, app.isPackaged);
  const devServerUrl = app.isPackaged ? undefined : (paths.devServerUrl ?? dev.rendererUrl);
  const testHooks = !app.isPackaged && (paths.testHooks ?? dev.testHooks);

  // Declared before createCore: its closePalette handler hides this window.
  let palette: BrowserWindow | null = null;

  const userData = app.getPath('userData');
  // Beside the settings, so a temp profile (tests, a second profile) keeps its log too. Rotated at
  // 1 MB to main.old.log; every entry is redacted on the way in (see log/logger.ts).
  const log = createLogger({
    file: join(userData, 'main.log'),
    console: Boolean(devServerUrl),
    // No action waits for the log; what is still queued is written on quit (will-quit).
    background: true,
  });
  // A packaged app signs in only with an https provider; development and test builds may also use
  // one running on this computer over http (a loopback issuer).
  const { settings, service, handlers, vault } = await createCore({
    dataDir: userData,
    // Linux's basic_text backend (a hard-coded key) counts as no keychain.
    safeStorage: realKeychain(safeStorage),
    allowLoopbackIssuer: !app.isPackaged,
    // Reviewed (Electronegativity OPEN_EXTERNAL_JS_CHECK): createCore() calls this only for URLs
    // canOpenForSignIn() allows, the provider's own pages; allow-listed in scripts/security-allowlist.json.
    openExternal: (url) => shell.openExternal(url),
    log,
    onLaunchAtLogin: (enabled) => setLaunchAtLogin(app, enabled),
    closePalette: () => hidePalette(),
    // Fetched here, not in the window (its CSP allows only data: images), and kept for offline.
    pictures: createPictureStore({
      cache: openPictureCache({ dir: join(userData, 'pictures') }),
      fetch: createPictureFetcher(),
      log,
    }),
    // The person, not the window, confirms a Pieces OS address: a main-process dialog names it.
    confirmAddress: async (url) => {
      const options: Electron.MessageBoxOptions = {
        type: 'question',
        buttons: ['Cancel', 'Trust this address'],
        defaultId: 0,
        cancelId: 0,
        noLink: true,
        title: 'Pieces OS address',
        message: `Is ${url} your Pieces OS?`,
        detail:
          'The app will send your saved sign-ins to this address. Confirm only if you started Pieces OS there yourself; any program on this computer can listen on a local port.',
      };
      const { response } = win
        ? await electron.dialog.showMessageBox(win, options)
        : await electron.dialog.showMessageBox(options);
      return response === 1;
    },
  });

  const rendererFile = join(paths.outDir, 'renderer', 'index.html');
  const rendererFileUrl = pathToFileURL(rendererFile).href;
  // Exactly the app's page (origin and path), never whatever merely starts like it.
  const isAppUrl = (url: string): boolean => isSamePage(url, devServerUrl ?? rendererFileUrl);

  let win: BrowserWindow | null = null;
  let quitting = false;
  const hasTray = platformHasTray(process.platform);
  const resourcesDir = appResourcesDir({
    isPackaged: app.isPackaged,
    resourcesPath: paths.resourcesPath ?? process.resourcesPath,
    outDir: paths.outDir,
  });

  function createWindow(): BrowserWindow {
    // Electronegativity reports contextIsolation, sandbox and auxclick here because it cannot see
    // into secureWindowOptions(); allow-listed and verified by scripts/security-audit.ts.
    const w = new BrowserWindow(
      secureWindowOptions(join(paths.outDir, 'preload', 'index.js'), settings.get().windowBounds, {
        devTools: !app.isPackaged,
        ...(process.platform === 'darwin' ? {} : { iconPath: windowIconPath(resourcesDir) }),
      }),
    );
    lockDownNavigation(w, shell, isAppUrl, log, (url) =>
      isAllowedExternal(url, settings.get().oauthProvider?.issuer),
    );
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
      // The hidden palette would keep 'window-all-closed' from ever firing: when the app window
      // closed for real (not hidden to the tray), the palette goes too.
      if (
        shouldQuitWhenAllClosed({
          closeToTray: settings.get().closeToTray,
          platformHasTray: hasTray,
        })
      )
        palette?.destroy();
    });
    // Rejects (ERR_ABORTED, ERR_FAILED) when the window closes or the app quits while loading.
    const loading = devServerUrl ? w.loadURL(devServerUrl) : w.loadFile(rendererFile);
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

  /**
   * The quick switcher's window: the same page with ?view=palette, the same hardening and
   * sender checks. Created hidden at start and reused, so the shortcut only shows it.
   */
  function createPalette(): BrowserWindow {
    const p = new BrowserWindow(
      paletteWindowOptions(join(paths.outDir, 'preload', 'index.js'), {
        devTools: !app.isPackaged,
      }),
    );
    lockDownNavigation(p, shell, isAppUrl, log, (url) =>
      isAllowedExternal(url, settings.get().oauthProvider?.issuer),
    );
    // On the Space (macOS) the person is on, also over a full-screen app.
    if (process.platform === 'darwin')
      p.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
    // Losing focus closes it, as in every launcher; so does closing it (Alt+F4) unless quitting.
    p.on('blur', () => hidePalette());
    p.on('close', (event) => {
      if (quitting) return;
      event.preventDefault();
      hidePalette();
    });
    p.on('closed', () => {
      palette = null;
    });
    const loading = devServerUrl
      ? p.loadURL(paletteUrl(devServerUrl))
      : p.loadFile(rendererFile, { query: { ...PALETTE_QUERY } });
    loading.catch((err: unknown) =>
      log.warn('The quick switcher did not finish loading the app page', {
        error: err instanceof Error ? err.message : String(err),
      }),
    );
    return p;
  }

  function showPalette(): void {
    palette ??= createPalette();
    palette.setBounds(paletteBounds(electron.screen));
    palette.show();
    palette.focus();
  }

  function hidePalette(): void {
    if (!palette || palette.isDestroyed() || !palette.isVisible()) return;
    palette.hide();
    // macOS keeps the app active after its only visible window hides: give the keys back to the
    // app the person came from.
    if (process.platform === 'darwin' && !win?.isVisible()) app.hide();
  }

  function quit(): void {
    quitting = true;
    app.quit();
  }

  /** Updates: off in development and in builds without a release provider (update/). */
  async function startUpdates(): Promise<Updater | null> {
    try {
      return await loadUpdater({
        isPackaged: app.isPackaged,
        resourcesPath: paths.resourcesPath ?? process.resourcesPath,
        currentVersion: () => app.getVersion(),
        log,
        ...(paths.loadAutoUpdater ? { loadAutoUpdater: paths.loadAutoUpdater } : {}),
        notify(notice, onClick) {
          // An answer the person asked for is shown even with notifications turned off.
          if (!notice.answersRequest && !settings.get().notifications) return;
          if (!electron.Notification.isSupported()) return;
          const n = new electron.Notification({ title: notice.title, body: notice.body });
          if (onClick) n.on('click', onClick);
          n.show();
        },
        // Installing quits the app: the window must close rather than hide in the tray.
        prepareToQuit: () => {
          quitting = true;
        },
      });
    } catch (err) {
      log.warn('Updates could not start', {
        error: err instanceof Error ? err.message : String(err),
      });
      return null;
    }
  }

  // The app window and the quick switcher are the same page (the palette with ?view=palette):
  // each must be its own window's main frame showing exactly that page.
  registerIpc(
    ipcMain,
    handlers,
    (event) =>
      senderIsAppWindow(event, () => win?.webContents, isAppUrl) ||
      senderIsAppWindow(event, () => palette?.webContents, isAppUrl),
  );

  // The window starts from getState (a whole snapshot); pushes say what changed since the last.
  let pushed = service.snapshot();
  service.subscribe((snapshot) => {
    const update = diffSnapshots(pushed, snapshot);
    pushed = snapshot;
    for (const w of [win, palette]) {
      if (w && !w.isDestroyed()) w.webContents.send(ipcEvent('state'), update);
    }
  });

  // The global shortcut: pressed again while the palette shows, it closes it.
  const quickSwitch = createQuickSwitchShortcut({
    globalShortcut: electron.globalShortcut,
    onPressed: () => (palette?.isVisible() ? hidePalette() : showPalette()),
  });
  // A clash or a refused shortcut is said in the window and the log; fixed, the notice goes.
  quickSwitch.subscribe((status) => {
    const notice = shortcutNotice(status, process.platform === 'darwin');
    if (notice) {
      service.addNotice(notice);
      log.warn(notice.message);
    } else {
      service.dismissNotice(SHORTCUT_NOTICE_ID);
      log.info(status.state === 'on' ? 'Quick switch shortcut set' : 'Quick switch shortcut off', {
        shortcut: status.state === 'on' ? status.shortcut : '',
      });
    }
  });
  let shortcutText = settings.get().quickSwitchShortcut;
  quickSwitch.apply(shortcutText);
  settings.onChange((s) => {
    if (s.quickSwitchShortcut === shortcutText) return;
    shortcutText = s.quickSwitchShortcut;
    quickSwitch.apply(shortcutText);
  });

  const updater = await startUpdates();
  const tray = createTrayController({
    electron,
    service,
    showWindow,
    quit,
    notificationsEnabled: () => settings.get().notifications,
    resourcesDir,
    ...(updater ? { updates: updater } : {}),
    quickSwitch: {
      shortcut: () => {
        const status = quickSwitch.status();
        return status.state === 'on' ? status.shortcut : null;
      },
      subscribe: (listener) => quickSwitch.subscribe(listener),
      open: showPalette,
    },
  });

  if (testHooks) {
    // The _electron suite clicks tray items by label: a native menu is outside any page.
    (globalThis as Record<string, unknown>).__piecesTestHooks = {
      clickTrayItem(label: string) {
        const item = tray.currentMenu().find((i) => i.label === label);
        if (!item?.click) throw new Error(`No tray menu item "${label}"`);
        (item.click as () => void)();
      },
    };
  }

  // A second launch shows the window, follows a pieces-switcher: link, or (a command line) nothing.
  const commandLine = await wireCommandsAndLinks({
    electron,
    service,
    log,
    userData,
    links,
    showWindow: () => showWindow(),
    window: () => win,
  });
  app.on('activate', () => showWindow());
  // macOS and Linux announce a shutdown or logout; a quit then must not be held (see quit-guard).
  let systemEnding = false;
  electron.powerMonitor?.on('shutdown', () => {
    systemEnding = true;
  });
  const holdQuit = createQuitGuard({
    service,
    // Token writes are asynchronous: the last ones are awaited, not cut off by the exit.
    storage: vault,
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
    quickSwitch.dispose();
    updater?.stop();
    commandLine.close();
    tray.destroy();
    service.stop();
    // What was kept in the background (the last active account, log lines) and not written yet.
    settings.flush();
    log.flush?.();
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
  // After the app window, so it stays the first window; hidden until the shortcut shows it.
  palette = createPalette();
  void service.start().then(() => signInFromFile(service, dev.signInFile));
  return { service, log, showWindow, showPalette, quit };
}
