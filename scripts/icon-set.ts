// The icon set: renders the SVG sources in assets/ into every raster the app and its installers
// use. scripts/icons.ts (`npm run icons`) writes them into the repository, where they are
// committed like any desktop app's icons; test/icons.test.ts checks the committed files.
//
//   assets/icon.svg          -> build/icon.png (1024), build/icons/NxN.png (Linux), build/icon.ico,
//                               build/icon.icns (electron-builder's buildResources folder), and
//                               resources/icon.png (the window's icon, loaded at run time)
//   assets/tray/<name>.svg   -> resources/tray/<name>.png (16 px) and <name>@2x.png (32 px)
//
// resvg renders SVG without system libraries, so every machine draws the same pixels; png2icons
// packs the .ico and .icns in plain JavaScript.
import { Resvg } from '@resvg/resvg-js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as png2icons from 'png2icons';

export const REPO_ROOT = join(__dirname, '..');

/** Edge lengths of the Linux PNG set (electron-builder reads build/icons/NxN.png). */
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

/** The window's icon on Linux and Windows: large enough for any taskbar, small for X11. */
export const WINDOW_ICON_SIZE = 256;

/** Tray icon sources in assets/tray/, each drawn on a 16-unit grid. */
export const TRAY_ICON_NAMES = [
  'signed-in',
  'signed-out',
  'offline',
  'signed-inTemplate',
  'signed-outTemplate',
  'offlineTemplate',
] as const;
export const TRAY_ICON_SIZE = 16;

export interface IconOutput {
  /** Path relative to the repository root, with forward slashes. */
  file: string;
  /** Square edge in pixels (for .ico/.icns: the largest image inside). */
  size: number;
  bytes: Buffer;
}

function render(svgFile: string, size: number): Buffer {
  const svg = readFileSync(join(REPO_ROOT, svgFile), 'utf8');
  // Fonts are never needed (the sources hold no text): skip loading the system's.
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: size },
    font: { loadSystemFonts: false },
  });
  const image = resvg.render();
  if (image.width !== size || image.height !== size) {
    throw new Error(`${svgFile} must be square: it rendered ${image.width}x${image.height}`);
  }
  return image.asPng();
}

function packed(kind: string, bytes: Buffer | null): Buffer {
  if (bytes === null) throw new Error(`png2icons could not make the ${kind}`);
  return bytes;
}

/** Every generated file, in memory. Rendering the same sources gives the same bytes. */
export function renderIcons(): IconOutput[] {
  const out: IconOutput[] = [];
  const app = 'assets/icon.svg';
  const master = render(app, 1024);
  out.push({ file: 'build/icon.png', size: 1024, bytes: master });
  for (const size of LINUX_SIZES) {
    const bytes = size === 1024 ? master : render(app, size);
    out.push({ file: `build/icons/${size}x${size}.png`, size, bytes });
  }
  // BICUBIC2 gives the sharpest small sizes; the 16-48 px entries are BMPs for old Windows shells.
  const ico = png2icons.createICO(master, png2icons.BICUBIC2, 0, false, true);
  out.push({ file: 'build/icon.ico', size: 256, bytes: packed('.ico', ico) });
  const icns = png2icons.createICNS(master, png2icons.BICUBIC2, 0);
  out.push({ file: 'build/icon.icns', size: 1024, bytes: packed('.icns', icns) });
  out.push({
    file: 'resources/icon.png',
    size: WINDOW_ICON_SIZE,
    bytes: render(app, WINDOW_ICON_SIZE),
  });
  // The window's header and About show the same mark, as the vector itself.
  const source = readFileSync(join(REPO_ROOT, app));
  out.push({ file: 'src/renderer/public/icon.svg', size: 0, bytes: source });
  for (const name of TRAY_ICON_NAMES) {
    const svg = `assets/tray/${name}.svg`;
    for (const scale of [1, 2]) {
      const size = TRAY_ICON_SIZE * scale;
      const file = `resources/tray/${name}${scale === 1 ? '' : `@${scale}x`}.png`;
      out.push({ file, size, bytes: render(svg, size) });
    }
  }
  return out;
}
