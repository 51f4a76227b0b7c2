import type { BrowserWindow, BrowserWindowConstructorOptions, Shell } from 'electron';
import type { Log } from '../log/logger';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/**
 * The only web preferences the app window ever gets. `opts.iconPath` is the window's icon on Linux and
 * Windows (taskbar, title bar, Alt+Tab); macOS shows the app bundle's icon instead.
 */
export function secureWindowOptions(
  preloadPath: string,
  bounds: WindowBounds | null,
  opts: {
    /** DevTools only where someone develops the app: `!app.isPackaged`. Off unless asked for. */
    devTools?: boolean;
    /** The window's icon on Linux and Windows. */
    iconPath?: string;
  } = {},
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
    ...(opts.iconPath !== undefined ? { icon: opts.iconPath } : {}),
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
      devTools: opts.devTools ?? false,
    },
  };
}

/** The origins of the app's own help links. */
export const HELP_ORIGINS: readonly string[] = ['https://pieces.app', 'https://docs.pieces.app'];

/**
 * Which links may leave the window for the system browser: https only, no credentials, and only
 * the app's own help pages or the configured sign-in provider's origin (`issuer`). Anything else
 * a page could ask for (a phishing site, a `file:` or custom-scheme URL) stays closed.
 */
export function isAllowedExternal(url: string, issuer?: string | null): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== 'https:' || target.username || target.password) return false;
  if (HELP_ORIGINS.includes(target.origin)) return true;
  if (!issuer) return false;
  try {
    return new URL(issuer).origin === target.origin;
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
  /** Default: the help pages only. The app also passes the configured provider's origin. */
  allowExternal: (url: string) => boolean = (url) => isAllowedExternal(url),
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
    if (allowExternal(url)) {
      // Electronegativity flags this; allow-listed: only the allow-list of isAllowedExternal() passes.
      Promise.resolve(shell.openExternal(url)).catch((err: unknown) =>
        log?.warn('The link could not be opened in the browser', {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    }
    return { action: 'deny' };
  });
  // The window needs no permission: refuse every request, and answer every check "no".
  wc.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  wc.session.setPermissionCheckHandler(() => false);
}

/** Bounds worth remembering: not minimised/maximised garbage. */
export function boundsToSave(
  win: Pick<BrowserWindow, 'isMinimized' | 'isMaximized' | 'isFullScreen' | 'getNormalBounds'>,
): WindowBounds | null {
  if (win.isMinimized() || win.isFullScreen()) return null;
  const { x, y, width, height } = win.getNormalBounds();
  return { x, y, width, height };
}
