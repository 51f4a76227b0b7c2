// Draws the tray icons into resources/tray/ as PNG files, with nothing but node:zlib.
// Run `node scripts/make-tray-icons.mjs` after changing a shape; the PNGs are committed.
//
// For each state (signed-in, signed-out, offline):
//   <state>.png, <state>@2x.png                  colour, for Windows and Linux (16 and 32 px)
//   <state>Template.png, <state>Template@2x.png  black + alpha, for the macOS menu bar, which
//                                                tints template images for light and dark mode
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'tray');
const SUPERSAMPLE = 8; // samples per pixel per axis, for smooth edges

// ---- PNG encoding ----------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG from `rgba` (width * height * 4 bytes, rows top to bottom). */
function encodePng(width, height, rgba) {
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

const disk = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ellipse = (cx, cy, rx, ry) => (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1;
const union =
  (...shapes) =>
  (x, y) =>
    shapes.some((s) => s(x, y));
const minus = (a, b) => (x, y) => a(x, y) && !b(x, y);
const intersect = (a, b) => (x, y) => a(x, y) && b(x, y);
const below = (limit) => (_x, y) => y <= limit;
/** Points within `halfWidth` of the segment from (x1, y1) to (x2, y2). */
const band = (x1, y1, x2, y2, halfWidth) => (x, y) => {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)));
  return (x - x1 - t * dx) ** 2 + (y - y1 - t * dy) ** 2 <= halfWidth * halfWidth;
};
/** `shape` drawn at `scale` around (cx, cy). */
const placed = (shape, scale, cx, cy) => (x, y) =>
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

// Colours are [r, g, b, alpha 0..1].
const WHITE = [255, 255, 255, 1];
const BLACK = [0, 0, 0, 1];
const DIM_BLACK = [0, 0, 0, 0.45];
const GREEN = [46, 125, 50, 1];
const GREY = [128, 128, 128, 1];
const RED = [198, 40, 40, 1];

/** Layers painted bottom to top, per state and style. */
const ICONS = {
  'signed-in': {
    colour: [
      [badge, GREEN],
      [badgePerson, WHITE],
    ],
    template: [[person, BLACK]],
  },
  'signed-out': {
    colour: [
      [ring, GREY],
      [ringPerson, GREY],
    ],
    template: [[hollowPerson, BLACK]],
  },
  offline: {
    // A person would be cut to pieces by the slash at 16 px; the plain "no entry" sign reads.
    colour: [
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

function render(size, layers) {
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

mkdirSync(OUT_DIR, { recursive: true });
for (const [state, styles] of Object.entries(ICONS)) {
  for (const [style, layers] of Object.entries(styles)) {
    const base = style === 'template' ? `${state}Template` : state;
    for (const [size, suffix] of [
      [16, ''],
      [32, '@2x'],
    ]) {
      const file = join(OUT_DIR, `${base}${suffix}.png`);
      writeFileSync(file, encodePng(size, size, render(size, layers)));
      console.log(`wrote ${file}`);
    }
  }
}
