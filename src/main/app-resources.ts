// Where the app's own images (the window icon, the tray icons) are at run time.
//
// They live in resources/ in the repository (made by `npm run icons`). A packaged app has them in
// its resources folder, beside app.asar: electron-builder copies them there with
// `extraResources: [{ from: "resources", to: "." }]`. Unpackaged (npm start, npm run dev, the
// _electron suite) the main bundle runs from out/main, so they are one folder above out/.
import { join } from 'node:path';

export interface ResourceLocation {
  /** Electron's `app.isPackaged`. */
  isPackaged: boolean;
  /** Electron's `process.resourcesPath`: the packaged app's resources folder. */
  resourcesPath: string;
  /** The folder holding out/main, out/preload and out/renderer. */
  outDir: string;
}

/** The folder holding icon.png and tray/. */
export function appResourcesDir(at: ResourceLocation): string {
  return at.isPackaged ? at.resourcesPath : join(at.outDir, '..', 'resources');
}

/** The window's icon (Linux and Windows; macOS shows the app bundle's icon instead). */
export const windowIconPath = (dir: string): string => join(dir, 'icon.png');
