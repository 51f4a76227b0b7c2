// The tray icons, loaded from the PNGs `npm run icons` renders into resources/tray/ (sources in
// assets/tray/). Electron picks up the @2x file beside each one for high-DPI screens by itself.
import { join } from 'node:path';
import type { NativeImage } from 'electron';
import type { TrayIconState } from './menu-template';

export const TRAY_ICON_STATES: readonly TrayIconState[] = ['signed-in', 'signed-out', 'offline'];

/** The part of Electron's `nativeImage` the tray icon needs. */
export interface NativeImageFactory {
  createFromPath(path: string): NativeImage;
}

/**
 * macOS gets the black-and-alpha template image, which the menu bar tints for light and dark mode;
 * Windows and Linux get the colour tile with a light edge, which reads on light and dark taskbars.
 */
export function trayIconFile(
  resourcesDir: string,
  state: TrayIconState,
  platform: NodeJS.Platform,
): string {
  return join(
    resourcesDir,
    'tray',
    platform === 'darwin' ? `${state}Template.png` : `${state}.png`,
  );
}

/**
 * The icon of every state, loaded once. A missing file is a broken installation: it is told in
 * words at start rather than showing an empty tray slot nobody can click.
 */
export function loadTrayIcons(
  nativeImage: NativeImageFactory,
  resourcesDir: string,
  platform: NodeJS.Platform,
): Record<TrayIconState, NativeImage> {
  const load = (state: TrayIconState): NativeImage => {
    const file = trayIconFile(resourcesDir, state, platform);
    const image = nativeImage.createFromPath(file);
    if (image.isEmpty()) throw new Error(`The tray icon ${file} is missing from the app.`);
    // The "Template" file name already says so on macOS; saying it again costs nothing.
    if (platform === 'darwin') image.setTemplateImage(true);
    return image;
  };
  return {
    'signed-in': load('signed-in'),
    'signed-out': load('signed-out'),
    offline: load('offline'),
  };
}
