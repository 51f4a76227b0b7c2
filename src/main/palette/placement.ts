// Where the quick switcher appears: centred on the screen the person is working on, which is
// the display nearest the mouse pointer (a global shortcut says nothing about a window).
import type { Point, Rectangle, Screen } from 'electron';

export interface Size {
  width: number;
  height: number;
}

/** The palette's size in the work area (the screen minus taskbar, dock and menu bar). */
export const PALETTE_SIZE: Readonly<Size> = Object.freeze({ width: 560, height: 380 });

/**
 * `size` centred in `workArea`, in whole pixels; a work area smaller than the palette gets a
 * palette of its size, never one that spills onto the next screen.
 */
export function centredIn(workArea: Rectangle, size: Size): Rectangle {
  const width = Math.max(1, Math.min(size.width, workArea.width));
  const height = Math.max(1, Math.min(size.height, workArea.height));
  return {
    x: workArea.x + Math.floor((workArea.width - width) / 2),
    y: workArea.y + Math.floor((workArea.height - height) / 2),
    width,
    height,
  };
}

/** The part of Electron's `screen` this needs. */
export type ScreenLike = Pick<Screen, 'getCursorScreenPoint' | 'getDisplayNearestPoint'>;

/** The palette's bounds on the display nearest the pointer. */
export function paletteBounds(screen: ScreenLike, size: Size = PALETTE_SIZE): Rectangle {
  const cursor: Point = screen.getCursorScreenPoint();
  return centredIn(screen.getDisplayNearestPoint(cursor).workArea, size);
}
