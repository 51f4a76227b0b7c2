// Starts updates in a packaged app built with a release provider; otherwise does nothing, and
// electron-updater is never loaded (it requires Electron, and reads app-update.yml at once).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { updatesAvailability } from './update-policy';
import { createUpdater, type AutoUpdaterLike, type Updater, type UpdaterDeps } from './updater';

export interface LoadUpdaterOptions extends Omit<UpdaterDeps, 'autoUpdater'> {
  isPackaged: boolean;
  /** The packaged app's resources folder, where electron-builder writes app-update.yml. */
  resourcesPath: string;
  /** Loads electron-updater's autoUpdater; tests pass a fake. */
  loadAutoUpdater?: () => Promise<AutoUpdaterLike>;
}

/**
 * electron-updater is CommonJS and defines `autoUpdater` as a getter on its exports, which
 * import() does not list: it is required, from the packaged app's node_modules (kept external).
 */
async function electronUpdater(): Promise<AutoUpdaterLike> {
  const load = createRequire(__filename);
  const { autoUpdater } = load('electron-updater') as typeof import('electron-updater');
  return autoUpdater;
}

/** The running updater, or null when updates are off (the reason is logged). */
export async function loadUpdater(options: LoadUpdaterOptions): Promise<Updater | null> {
  const availability = updatesAvailability({
    isPackaged: options.isPackaged,
    hasUpdateConfig: existsSync(join(options.resourcesPath, 'app-update.yml')),
  });
  if (!availability.enabled) {
    options.log.info('Updates are off', { reason: availability.reason });
    return null;
  }
  const { isPackaged: _p, resourcesPath: _r, loadAutoUpdater = electronUpdater, ...deps } = options;
  const updater = createUpdater({ ...deps, autoUpdater: await loadAutoUpdater() });
  updater.start();
  return updater;
}
