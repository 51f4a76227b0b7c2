import type { Display, Point } from 'electron';
import { describe, expect, it } from 'vitest';
import { centredIn, PALETTE_SIZE, paletteBounds, type ScreenLike } from './placement';

/** Two screens side by side, the second one taller and left of a menu bar's worth of space. */
const LEFT = { x: 0, y: 0, width: 1920, height: 1040 };
const RIGHT = { x: 1920, y: -200, width: 2560, height: 1400 };

/** A fake `screen`: the pointer is where the test puts it; the nearest display is Electron's job. */
function screenWith(cursor: Point): ScreenLike & { asked: Point[] } {
  const asked: Point[] = [];
  return {
    asked,
    getCursorScreenPoint: () => cursor,
    getDisplayNearestPoint: (point: Point) => {
      asked.push(point);
      return { workArea: point.x >= RIGHT.x ? RIGHT : LEFT } as Display;
    },
  };
}

describe('centredIn', () => {
  it('centres the palette in the work area, in whole pixels', () => {
    expect(centredIn(LEFT, { width: 560, height: 380 })).toEqual({
      x: 680,
      y: 330,
      width: 560,
      height: 380,
    });
    expect(
      centredIn({ x: 0, y: 0, width: 1001, height: 501 }, { width: 560, height: 380 }),
    ).toEqual({ x: 220, y: 60, width: 560, height: 380 });
  });

  it('keeps to screens left of and above the primary one (negative coordinates)', () => {
    expect(centredIn({ x: -1280, y: -720, width: 1280, height: 720 }, PALETTE_SIZE)).toEqual({
      x: -1280 + 360,
      y: -720 + 170,
      width: 560,
      height: 380,
    });
  });

  it('shrinks to a work area smaller than the palette instead of spilling over', () => {
    expect(centredIn({ x: 100, y: 50, width: 400, height: 300 }, PALETTE_SIZE)).toEqual({
      x: 100,
      y: 50,
      width: 400,
      height: 300,
    });
  });
});

describe('paletteBounds', () => {
  it('opens on the display nearest the pointer', () => {
    const screen = screenWith({ x: 2500, y: 300 });
    expect(paletteBounds(screen)).toEqual({
      x: 1920 + 1000,
      y: -200 + 510,
      width: 560,
      height: 380,
    });
    expect(screen.asked).toEqual([{ x: 2500, y: 300 }]);
    expect(paletteBounds(screenWith({ x: 10, y: 10 }))).toEqual(centredIn(LEFT, PALETTE_SIZE));
  });
});
