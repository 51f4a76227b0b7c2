// Profile pictures for the web preview's demo accounts, drawn here (no image from the internet):
// small PNGs of a head and shoulders on a coloured ground, the same bytes on every run. The preview
// hands them to the window as data: URLs where the desktop app would fetch and cache real ones.
import { deflateSync } from 'node:zlib';

/** Emulator picture URLs (https://avatars.example.com/u/<username>.png) that get a drawn picture. */
const DEMO_HUES: Record<string, number> = { grace: 200, gracehopper: 200, katherinej: 28 };

const SIZE = 96;

export function demoPictureOf(url: string): Promise<string | null> {
  const match = /^https:\/\/avatars\.example\.com\/u\/([a-z0-9]+)\.png$/.exec(url);
  const hue = match ? DEMO_HUES[match[1]!] : undefined;
  if (hue === undefined) return Promise.resolve(null);
  return Promise.resolve(`data:image/png;base64,${drawPortrait(hue).toString('base64')}`);
}

/** A head-and-shoulders silhouette in light tones on a ground of the given hue. */
export function drawPortrait(hue: number): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 3); // filter byte 0, then RGB
    for (let x = 0; x < SIZE; x++) {
      const head = (x - 48) ** 2 + (y - 40) ** 2 <= 19 ** 2;
      const shoulders = ((x - 48) / 36) ** 2 + ((y - 104) / 34) ** 2 <= 1;
      const [r, g, b] =
        head || shoulders ? hsl(hue, 0.3, head ? 0.92 : 0.85) : hsl(hue, 0.55, 0.42 - y / 900);
      row.writeUInt8(r, 1 + x * 3);
      row.writeUInt8(g, 2 + x * 3);
      row.writeUInt8(b, 3 + x * 3);
    }
    rows.push(row);
  }
  return encodePng(SIZE, SIZE, Buffer.concat(rows));
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0), f(8), f(4)].map((v) => Math.round(v * 255)) as [number, number, number];
}

/** An 8-bit RGB PNG from filtered scanlines (each row: a filter byte, then its pixels). */
export function encodePng(width: number, height: number, scanlines: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // depth 8, RGB, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
