// The committed icon set (npm run icons): every file the script makes is committed, with the right
// sizes, and re-rendering the SVG sources gives the same bytes.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  LINUX_SIZES,
  REPO_ROOT,
  TRAY_ICON_NAMES,
  renderIcons,
  type IconOutput,
} from '../scripts/icon-set';
import { decodePng, pngSize } from './support/png';

const read = (file: string) => readFileSync(join(REPO_ROOT, file));
const list = (dir: string) => readdirSync(join(REPO_ROOT, dir)).map((f) => `${dir}/${f}`);

/** The committed files the script owns: build/icon.*, build/icons/, resources/icon.png and tray/. */
function committedIconFiles(): string[] {
  return [
    ...list('build').filter((f) => /^build\/icon\.[a-z]+$/.test(f)),
    ...list('build/icons'),
    ...list('resources').filter((f) => f === 'resources/icon.png'),
    ...list('resources/tray'),
    'src/renderer/public/icon.svg',
  ].sort();
}

let rendered: IconOutput[];
beforeAll(() => {
  rendered = renderIcons();
}, 120_000);

describe('npm run icons', () => {
  it('gives the window the app icon itself, as the vector source', () => {
    expect(read('src/renderer/public/icon.svg')).toEqual(read('assets/icon.svg'));
  });

  it('has every file it makes committed, and no other file in its folders', () => {
    expect(committedIconFiles()).toEqual(rendered.map((o) => o.file).sort());
    expect(rendered.map((o) => o.file)).toEqual(
      expect.arrayContaining([
        'build/icon.png',
        'build/icon.ico',
        'build/icon.icns',
        'resources/icon.png',
        ...LINUX_SIZES.map((s) => `build/icons/${s}x${s}.png`),
        ...TRAY_ICON_NAMES.flatMap((n) => [
          `resources/tray/${n}.png`,
          `resources/tray/${n}@2x.png`,
        ]),
      ]),
    );
  });

  it('committed PNGs have the sizes they are listed with', () => {
    for (const { file, size } of rendered.filter((o) => o.file.endsWith('.png'))) {
      expect(pngSize(read(file)), file).toEqual({ width: size, height: size });
    }
  });

  // resvg is deterministic for one build of it; other platforms' builds may round differently.
  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    're-rendering the SVG sources gives the committed bytes (linux x64)',
    () => {
      const stale = rendered.filter((o) => !read(o.file).equals(o.bytes)).map((o) => o.file);
      expect(stale, 'run npm run icons and commit the result').toEqual([]);
    },
  );

  it('build/icon.ico holds the sizes Windows shows, 16 to 256 px', () => {
    const ico = read('build/icon.ico');
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]); // reserved, type icon
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, i) => ico[6 + i * 16] || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
    for (let i = 0; i < count; i++) {
      const length = ico.readUInt32LE(6 + i * 16 + 8);
      const offset = ico.readUInt32LE(6 + i * 16 + 12);
      expect(offset + length, `entry ${i} lies inside the file`).toBeLessThanOrEqual(ico.length);
    }
  });

  it('build/icon.icns holds the macOS sizes up to 512@2x', () => {
    const icns = read('build/icon.icns');
    expect(icns.toString('ascii', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) {
      types.push(icns.toString('ascii', offset, offset + 4));
    }
    // 16, 16@2x, 32@2x, 128, 128@2x, 256, 256@2x, 512, 512@2x
    expect(types).toEqual(
      expect.arrayContaining(['is32', 'ic11', 'ic12', 'ic07', 'ic13', 'ic08', 'ic14', 'ic09']),
    );
    const ic10 = icns.indexOf('ic10');
    expect(pngSize(icns.subarray(ic10 + 8))).toEqual({ width: 1024, height: 1024 });
  });

  it('the app icon is a tile: transparent corners, opaque middle', () => {
    for (const file of ['build/icon.png', 'build/icons/16x16.png', 'resources/icon.png']) {
      const { width, rgba } = decodePng(read(file));
      const alpha = (x: number, y: number) => rgba[(y * width + x) * 4 + 3];
      expect(alpha(0, 0), file).toBe(0);
      expect(alpha(width >> 1, width >> 1), file).toBe(255);
    }
  });
});

describe('tray icons', () => {
  const states = TRAY_ICON_NAMES.filter((n) => !n.endsWith('Template'));
  const files = (name: string) => [`resources/tray/${name}.png`, `resources/tray/${name}@2x.png`];

  it.each(states)('%s template variant is black and alpha only (macOS tints it)', (state) => {
    for (const file of files(`${state}Template`)) {
      const { rgba } = decodePng(read(file));
      let visible = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 0) continue;
        visible++;
        expect([rgba[i], rgba[i + 1], rgba[i + 2]], `${file} pixel ${i / 4}`).toEqual([0, 0, 0]);
      }
      expect(visible, file).toBeGreaterThan(rgba.length / 4 / 10);
    }
  });

  /** Share of pixels that differ clearly from the background once drawn over it. */
  function standsOut(rgba: Buffer, background: number): number {
    let clear = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      const a = (rgba[i + 3] ?? 0) / 255;
      const luminance =
        0.2126 * (rgba[i] ?? 0) + 0.7152 * (rgba[i + 1] ?? 0) + 0.0722 * (rgba[i + 2] ?? 0);
      const shown = luminance * a + background * (1 - a);
      if (Math.abs(shown - background) > 80) clear++;
    }
    return clear / (rgba.length / 4);
  }

  it.each(states)('%s colour variant reads on light and on dark taskbars', (state) => {
    for (const file of files(state)) {
      const { rgba } = decodePng(read(file));
      expect(standsOut(rgba, 255), `${file} on white`).toBeGreaterThan(0.4);
      expect(standsOut(rgba, 0), `${file} on black`).toBeGreaterThan(0.2);
    }
  });

  it('draws each state differently, in both variants and both scales', () => {
    for (const suffix of ['', 'Template']) {
      for (const scale of ['', '@2x']) {
        const pixels = states.map((s) =>
          decodePng(read(`resources/tray/${s}${suffix}${scale}.png`)).rgba.toString('base64'),
        );
        expect(new Set(pixels).size).toBe(states.length);
      }
    }
  });
});
