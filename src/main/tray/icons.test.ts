import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_STATES, iconFile } from './icons';

const RESOURCES = resolve(__dirname, '../../../resources');
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

/** Decodes the 8-bit RGBA, unfiltered, non-interlaced PNGs the icon script writes. */
function decodePng(file: string): { width: number; height: number; rgba: Buffer } {
  const buf = readFileSync(file);
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

const withScale = (file: string) =>
  [
    [file, 16],
    [file.replace(/\.png$/, '@2x.png'), 32],
  ] as const;

describe('iconFile', () => {
  it('uses the template image on macOS and the colour image elsewhere', () => {
    expect(iconFile('/res', 'offline', 'darwin')).toBe(join('/res', 'tray', 'offlineTemplate.png'));
    expect(iconFile('/res', 'offline', 'win32')).toBe(join('/res', 'tray', 'offline.png'));
    expect(iconFile('/res', 'signed-in', 'linux')).toBe(join('/res', 'tray', 'signed-in.png'));
  });
});

describe('tray icon files', () => {
  const platforms = ['darwin', 'win32', 'linux'] as const;
  const cases = TRAY_ICON_STATES.flatMap((state) =>
    platforms.flatMap((platform) =>
      withScale(iconFile(RESOURCES, state, platform)).map(([file, size]) => ({
        state,
        platform,
        file,
        size,
      })),
    ),
  );

  it.each(cases)('$state on $platform: $file is a valid $size px PNG with a visible glyph', (c) => {
    const { width, height, rgba } = decodePng(c.file);
    expect([width, height]).toEqual([c.size, c.size]);
    let opaque = 0;
    for (let i = 3; i < rgba.length; i += 4) if ((rgba[i] ?? 0) > 128) opaque++;
    expect(opaque).toBeGreaterThan(c.size * c.size * 0.1);
    // Corners stay transparent, so the glyph sits on whatever the menu bar or taskbar shows.
    expect(rgba[3]).toBe(0);
  });

  it.each(TRAY_ICON_STATES)('%s template images are black and alpha only', (state) => {
    for (const [file] of withScale(iconFile(RESOURCES, state, 'darwin'))) {
      const { rgba } = decodePng(file);
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 0) continue;
        expect([rgba[i], rgba[i + 1], rgba[i + 2]], `${file} pixel ${i / 4}`).toEqual([0, 0, 0]);
      }
    }
  });

  it('draws each state differently', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const pixels = TRAY_ICON_STATES.map((s) => decodePng(iconFile(RESOURCES, s, platform)).rgba);
      expect(new Set(pixels.map((p) => p.toString('base64'))).size).toBe(TRAY_ICON_STATES.length);
    }
  });
});
