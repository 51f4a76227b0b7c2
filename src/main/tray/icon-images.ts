// Draws the tray icons as PNG buffers at run time, with nothing but node:zlib, so no generated
// image files live in the repository.
//
// For each state (signed-in, signed-out, offline), at 16 px (scale 1) and 32 px (scale 2):
//   color     for Windows and Linux: a badge that reads on light and dark taskbars alike
//   template  black + alpha, for the macOS menu bar, which tints template images for light and
//             dark mode
import { deflateSync } from 'node:zlib';
import type { TrayIconState } from './menu-template';

export type TrayIconVariant = 'color' | 'template';
export type TrayIconScale = 1 | 2;

/** Edge length in pixels of an icon at scale 1; scale 2 doubles it. */
export const TRAY_ICON_SIZE = 16;
const SUPERSAMPLE = 8; // samples per pixel per axis, for smooth edges

// ---- PNG encoding ----------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG from `rgba` (width * height * 4 bytes, rows top to bottom). */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: RGBA
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method
  ihdr[12] = 0; // no interlace
  const rows = Buffer.alloc(height * (1 + width * 4));
  for (let y = 0; y < height; y++) {
    const start = y * (1 + width * 4);
    rows[start] = 0; // filter type None
    rgba.copy(rows, start + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Shapes, in unit coordinates (0..1, y down) -----------------------------------------------

/** Whether the point (x, y) is inside the shape. */
type Shape = (x: number, y: number) => boolean;

const disk =
  (cx: number, cy: number, r: number): Shape =>
  (x, y) =>
    (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ellipse =
  (cx: number, cy: number, rx: number, ry: number): Shape =>
  (x, y) =>
    ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((s) => s(x, y));
const minus =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    a(x, y) && !b(x, y);
const intersect =
  (a: Shape, b: Shape): Shape =>
  (x, y) =>
    a(x, y) && b(x, y);
const below =
  (limit: number): Shape =>
  (_x, y) =>
    y <= limit;
/** Points within `halfWidth` of the segment from (x1, y1) to (x2, y2). */
const band =
  (x1: number, y1: number, x2: number, y2: number, halfWidth: number): Shape =>
  (x, y) => {
    const dx = x2 - x1;
    const dy = y2 - y1;
    const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
    return (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2 <= halfWidth * halfWidth;
  };
/** `shape` drawn at `scale` around (cx, cy). */
const placed =
  (shape: Shape, scale: number, cx: number, cy: number): Shape =>
  (x, y) =>
    shape((x - cx) / scale + 0.5, (y - cy) / scale + 0.5);

// A head and shoulders, filling the unit square.
const HEAD = { cx: 0.5, cy: 0.3, r: 0.2 };
const BODY = { cx: 0.5, cy: 1.03, rx: 0.42, ry: 0.43, bottom: 0.95 };
const STROKE = 0.09;

const person = union(
  disk(HEAD.cx, HEAD.cy, HEAD.r),
  intersect(ellipse(BODY.cx, BODY.cy, BODY.rx, BODY.ry), below(BODY.bottom)),
);
const hollowPerson = union(
  minus(disk(HEAD.cx, HEAD.cy, HEAD.r), disk(HEAD.cx, HEAD.cy, HEAD.r - STROKE)),
  intersect(
    minus(
      ellipse(BODY.cx, BODY.cy, BODY.rx, BODY.ry),
      intersect(
        ellipse(BODY.cx, BODY.cy, BODY.rx - STROKE, BODY.ry - STROKE),
        below(BODY.bottom - STROKE),
      ),
    ),
    below(BODY.bottom),
  ),
);
const slash = band(0.14, 0.1, 0.86, 0.9, 0.055);
const slashGap = band(0.14, 0.1, 0.86, 0.9, 0.055 + 0.075);

// Colour icons: a badge, so the glyph reads on light and dark taskbars alike.
const badge = disk(0.5, 0.5, 0.48);
const ring = minus(badge, disk(0.5, 0.5, 0.48 - 0.1));
const badgePerson = intersect(placed(person, 0.66, 0.5, 0.56), disk(0.5, 0.5, 0.48));
const ringPerson = placed(person, 0.5, 0.5, 0.52);

/** [r, g, b, alpha 0..1]. */
type Colour = readonly [number, number, number, number];
type Layer = readonly [Shape, Colour];

const WHITE: Colour = [255, 255, 255, 1];
const BLACK: Colour = [0, 0, 0, 1];
const DIM_BLACK: Colour = [0, 0, 0, 0.45];
const GREEN: Colour = [46, 125, 50, 1];
const GREY: Colour = [128, 128, 128, 1];
const RED: Colour = [198, 40, 40, 1];

/** Layers painted bottom to top, per state and variant. */
const ICONS: Record<TrayIconState, Record<TrayIconVariant, readonly Layer[]>> = {
  'signed-in': {
    color: [
      [badge, GREEN],
      [badgePerson, WHITE],
    ],
    template: [[person, BLACK]],
  },
  'signed-out': {
    color: [
      [ring, GREY],
      [ringPerson, GREY],
    ],
    template: [[hollowPerson, BLACK]],
  },
  offline: {
    // A person would be cut to pieces by the slash at 16 px; the plain "no entry" sign reads.
    color: [
      [ring, RED],
      [intersect(slash, badge), RED],
    ],
    // macOS draws partial alpha lighter, so the person reads as "off" behind the solid slash.
    template: [
      [minus(person, slashGap), DIM_BLACK],
      [slash, BLACK],
    ],
  },
};

// ---- Rasterising ------------------------------------------------------------------------------

/** RGBA pixels (straight alpha) of `layers` drawn into a `size` x `size` square. */
function render(size: number, layers: readonly Layer[]): Buffer {
  const out = Buffer.alloc(size * size * 4);
  const n = SUPERSAMPLE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      // Premultiplied sums over the samples of this pixel.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          // Paint the layers containing this sample bottom to top ("over", premultiplied).
          let sr = 0;
          let sg = 0;
          let sb = 0;
          let sa = 0;
          for (const [shape, [cr, cg, cb, ca]] of layers) {
            if (!shape(x, y)) continue;
            sr = cr * ca + sr * (1 - ca);
            sg = cg * ca + sg * (1 - ca);
            sb = cb * ca + sb * (1 - ca);
            sa = ca + sa * (1 - ca);
          }
          r += sr;
          g += sg;
          b += sb;
          a += sa;
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) {
        out[o] = Math.round(r / a);
        out[o + 1] = Math.round(g / a);
        out[o + 2] = Math.round(b / a);
        out[o + 3] = Math.round((a / (n * n)) * 255);
      }
    }
  }
  return out;
}

const cache = new Map<string, Buffer>();

/**
 * The PNG of the tray icon for `state`: 16 px at scale 1, 32 px at scale 2. Drawn on first use and
 * kept (a few hundred bytes each); the same Buffer comes back every time, so do not modify it.
 */
export function trayIconPng(
  state: TrayIconState,
  variant: TrayIconVariant,
  scale: TrayIconScale,
): Buffer {
  const key = `${state}/${variant}@${scale}`;
  let png = cache.get(key);
  if (png === undefined) {
    const size = TRAY_ICON_SIZE * scale;
    png = encodePng(size, size, render(size, ICONS[state][variant]));
    cache.set(key, png);
  }
  return png;
}
