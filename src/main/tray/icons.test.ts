import type { NativeImage } from 'electron';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FakeImage, fakeImage } from '../../../test/support/fake-electron';
import { trayIconPng } from './icon-images';
import { TRAY_ICON_STATES, trayIconImage, trayIconVariant } from './icons';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Decodes the 8-bit RGBA, unfiltered, non-interlaced PNGs icon-images.ts draws. */
function decodePng(buf: Buffer, file: string): { width: number; height: number; rgba: Buffer } {
  expect(buf.subarray(0, 8).equals(PNG_SIGNATURE), `${file} signature`).toBe(true);
  let offset = 8;
  let header: Buffer | undefined;
  const data: Buffer[] = [];
  let ended = false;
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('ascii', offset + 4, offset + 8);
    const body = buf.subarray(offset + 4, offset + 8 + length);
    expect(buf.readUInt32BE(offset + 8 + length), `${file} ${type} CRC`).toBe(crc32(body));
    const chunkData = body.subarray(4);
    if (type === 'IHDR') header = chunkData;
    if (type === 'IDAT') data.push(chunkData);
    if (type === 'IEND') ended = true;
    offset += 12 + length;
  }
  if (!header) throw new Error(`${file} has no IHDR`);
  expect(ended, `${file} IEND`).toBe(true);
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  expect([...header.subarray(8)], `${file} bit depth, RGBA, no interlace`).toEqual([8, 6, 0, 0, 0]);
  const raw = inflateSync(Buffer.concat(data));
  expect(raw.length).toBe(height * (1 + width * 4));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (1 + width * 4)], 'filter type None').toBe(0);
    raw.copy(rgba, y * width * 4, y * (1 + width * 4) + 1, (y + 1) * (1 + width * 4));
  }
  return { width, height, rgba };
}

const VARIANTS = ['color', 'template'] as const;
const SCALES = [
  [1, 16],
  [2, 32],
] as const;

const nameOf = (state: string, variant: string, scale: number) => `${state} ${variant} @${scale}x`;

describe('trayIconPng', () => {
  const cases = TRAY_ICON_STATES.flatMap((state) =>
    VARIANTS.flatMap((variant) => SCALES.map(([scale, size]) => ({ state, variant, scale, size }))),
  );

  it.each(cases)(
    '$state $variant at $scale x is a valid $size px PNG with a visible glyph',
    (c) => {
      const name = nameOf(c.state, c.variant, c.scale);
      const { width, height, rgba } = decodePng(trayIconPng(c.state, c.variant, c.scale), name);
      expect([width, height]).toEqual([c.size, c.size]);
      let opaque = 0;
      for (let i = 3; i < rgba.length; i += 4) if ((rgba[i] ?? 0) > 128) opaque++;
      expect(opaque).toBeGreaterThan(c.size * c.size * 0.1);
      // Corners stay transparent, so the glyph sits on whatever the menu bar or taskbar shows.
      expect(rgba[3]).toBe(0);
    },
  );

  it.each(TRAY_ICON_STATES)('%s template images are black and alpha only', (state) => {
    for (const [scale] of SCALES) {
      const name = nameOf(state, 'template', scale);
      const { rgba } = decodePng(trayIconPng(state, 'template', scale), name);
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 0) continue;
        expect([rgba[i], rgba[i + 1], rgba[i + 2]], `${name} pixel ${i / 4}`).toEqual([0, 0, 0]);
      }
    }
  });

  it('draws each state differently', () => {
    for (const variant of VARIANTS) {
      for (const [scale] of SCALES) {
        const pixels = TRAY_ICON_STATES.map(
          (s) => decodePng(trayIconPng(s, variant, scale), nameOf(s, variant, scale)).rgba,
        );
        expect(new Set(pixels.map((p) => p.toString('base64'))).size).toBe(TRAY_ICON_STATES.length);
      }
    }
  });

  it('draws each icon once and hands out the same buffer after that', () => {
    expect(trayIconPng('offline', 'color', 2)).toBe(trayIconPng('offline', 'color', 2));
    expect(trayIconPng('offline', 'color', 1)).not.toBe(trayIconPng('offline', 'color', 2));
  });
});

describe('trayIconImage', () => {
  const factory = { createEmpty: () => new FakeImage() as unknown as NativeImage };

  it('uses the template image on macOS and the colour image elsewhere', () => {
    expect(trayIconVariant('darwin')).toBe('template');
    expect(trayIconVariant('win32')).toBe('color');
    expect(trayIconVariant('linux')).toBe('color');
  });

  it.each(['darwin', 'win32', 'linux'] as const)(
    'builds a 1x and 2x image from the PNGs on %s',
    (platform) => {
      const variant = trayIconVariant(platform);
      for (const state of TRAY_ICON_STATES) {
        const image = fakeImage(trayIconImage(factory, state, platform));
        expect(image.representations).toEqual([
          { scaleFactor: 1, buffer: trayIconPng(state, variant, 1) },
          { scaleFactor: 2, buffer: trayIconPng(state, variant, 2) },
        ]);
        expect(image.template).toBe(platform === 'darwin');
      }
    },
  );
});
