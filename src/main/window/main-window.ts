import type { BrowserWindow, BrowserWindowConstructorOptions, Shell } from 'electron';
import type { Log } from '../log/logger';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/**
 * The only web preferences the app window ever gets. `iconPath` is the window's icon on Linux and
 * Windows (taskbar, title bar, Alt+Tab); macOS shows the app bundle's icon instead.
 */
export function secureWindowOptions(
  preloadPath: string,
  bounds: WindowBounds | null,
  iconPath?: string,
): BrowserWindowConstructorOptions {
  return {
    width: bounds?.width ?? 880,
    height: bounds?.height ?? 600,
    ...(bounds?.x !== undefined && bounds?.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 420,
    minHeight: 360,
    show: false,
    title: 'Pieces Account Switcher',
    autoHideMenuBar: true,
    ...(iconPath !== undefined ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Only https links the app itself put on the page may open, and only in the system browser. */
export function isAllowedExternal(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/** Block navigation away from the app and any new window; hand allowed links to the browser. */
export function lockDownNavigation(
  win: BrowserWindow,
  shell: Pick<Shell, 'openExternal'>,
  isAppUrl: (url: string) => boolean,
  log?: Pick<Log, 'warn'>,
): void {
  const wc = win.webContents;
  wc.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  wc.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    // openExternal rejects when nothing on this computer handles the link: logged, not thrown.
    if (isAllowedExternal(url)) {
      // Electronegativity flags this; allow-listed: only https URLs pass isAllowedExternal().
      Promise.resolve(shell.openExternal(url)).catch((err: unknown) =>
        log?.warn('The link could not be opened in the browser', {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    }
    return { action: 'deny' };
  });
  wc.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

/** Bounds worth remembering: not minimised/maximised garbage. */
export function boundsToSave(
  win: Pick<BrowserWindow, 'isMinimized' | 'isMaximized' | 'isFullScreen' | 'getNormalBounds'>,
): WindowBounds | null {
  if (win.isMinimized() || win.isFullScreen()) return null;
  const { x, y, width, height } = win.getNormalBounds();
  return { x, y, width, height };
}
