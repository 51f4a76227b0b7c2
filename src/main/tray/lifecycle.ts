// Small decisions about the app's life around the tray: close-to-tray and launch at login.

/**
 * Whether a tray icon can be relied on. macOS and Windows always have one. On Linux it depends on
 * the desktop (GNOME without the AppIndicator extension shows none) and Electron cannot tell, so
 * this assumes it does; a person without one can turn off "close to tray" in settings.
 */
export function platformHasTray(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32' || platform === 'linux';
}

/** Closing the window hides it instead, unless the app is quitting or there is no tray to reopen it from. */
export function shouldHideOnClose(opts: {
  closeToTray: boolean;
  quitting: boolean;
  platformHasTray: boolean;
}): boolean {
  return opts.closeToTray && opts.platformHasTray && !opts.quitting;
}

/**
 * Whether the app quits once its window has closed. Only a window hidden to the tray keeps it
 * running: with "close to tray" off (or no tray) closing the window quits, on every platform,
 * macOS included (the app has no dock-only mode to stay in).
 */
export function shouldQuitWhenAllClosed(opts: {
  closeToTray: boolean;
  platformHasTray: boolean;
}): boolean {
  return !(opts.closeToTray && opts.platformHasTray);
}

/** The part of Electron's `app` this needs. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean }): void;
}

/** macOS and Windows only: on Linux Electron ignores this (autostart needs a .desktop file). */
export function setLaunchAtLogin(app: LoginItemApp, enabled: boolean): void {
  app.setLoginItemSettings({ openAtLogin: enabled });
}
