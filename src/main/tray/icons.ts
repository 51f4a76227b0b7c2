// The tray icon for a state, as an Electron NativeImage built from the PNGs icon-images.ts draws.
import type { NativeImage } from 'electron';
import { trayIconPng, type TrayIconVariant } from './icon-images';
import type { TrayIconState } from './menu-template';

export const TRAY_ICON_STATES: readonly TrayIconState[] = ['signed-in', 'signed-out', 'offline'];

/** The part of Electron's `nativeImage` the tray icon needs. */
export interface NativeImageFactory {
  createEmpty(): NativeImage;
}

/**
 * macOS gets the black-and-alpha template variant, which the menu bar tints for light and dark
 * mode; Windows and Linux get the colour badge.
 */
export function trayIconVariant(platform: NodeJS.Platform): TrayIconVariant {
  return platform === 'darwin' ? 'template' : 'color';
}

/** The icon for a state, with a 16 px and a 32 px representation for high-DPI screens. */
export function trayIconImage(
  nativeImage: NativeImageFactory,
  state: TrayIconState,
  platform: NodeJS.Platform,
): NativeImage {
  const variant = trayIconVariant(platform);
  const image = nativeImage.createEmpty();
  image.addRepresentation({ scaleFactor: 1, buffer: trayIconPng(state, variant, 1) });
  image.addRepresentation({ scaleFactor: 2, buffer: trayIconPng(state, variant, 2) });
  if (variant === 'template') image.setTemplateImage(true);
  return image;
}
