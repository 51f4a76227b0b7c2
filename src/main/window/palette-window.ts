// The quick switcher's window: the app window's hardened options (the same web preferences,
// from secureWindowOptions), as a small frameless panel above other windows and out of the
// taskbar. Created hidden at start and reused, so the shortcut only has to show it.
import type { BrowserWindowConstructorOptions } from 'electron';
import { PALETTE_SIZE } from '../palette/placement';
import { secureWindowOptions } from './main-window';

/** The query that selects the palette view of the app's one page (see renderer/src/main.ts). */
export const PALETTE_QUERY = { view: 'palette' } as const;

export function paletteWindowOptions(
  preloadPath: string,
  opts: { devTools?: boolean } = {},
): BrowserWindowConstructorOptions {
  const base = secureWindowOptions(preloadPath, PALETTE_SIZE, opts);
  return {
    ...base,
    title: 'Quick switch — Pieces Account Switcher',
    minWidth: 1,
    minHeight: 1,
    frame: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    alwaysOnTop: true,
    skipTaskbar: true,
    // Laid out and painted while hidden, so the shortcut only has to show it.
    show: false,
    paintWhenInitiallyHidden: true,
  };
}

/** Turns `url` into the palette's page (the app's page with `?view=palette`). */
export function paletteUrl(pageUrl: string): string {
  const url = new URL(pageUrl);
  for (const [key, value] of Object.entries(PALETTE_QUERY)) url.searchParams.set(key, value);
  return url.href;
}
