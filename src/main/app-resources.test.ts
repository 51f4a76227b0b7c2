import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appResourcesDir, windowIconPath } from './app-resources';
import { TRAY_ICON_STATES, trayIconFile } from './tray/icons';

const REPO = join(__dirname, '..', '..');

describe('appResourcesDir', () => {
  it('is the packaged app’s resources folder, where extraResources puts resources/', () => {
    const dir = appResourcesDir({
      isPackaged: true,
      resourcesPath: '/opt/Pieces Account Switcher/resources',
      outDir: '/opt/Pieces Account Switcher/resources/app.asar/out',
    });
    expect(dir).toBe('/opt/Pieces Account Switcher/resources');
  });

  it('is the repository’s resources/ when running the build in out/, and holds every icon', () => {
    const dir = appResourcesDir({
      isPackaged: false,
      resourcesPath: '/usr/lib/electron/resources',
      outDir: join(REPO, 'out'),
    });
    expect(dir).toBe(join(REPO, 'resources'));
    const files = [windowIconPath(dir)];
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      for (const state of TRAY_ICON_STATES) {
        const file = trayIconFile(dir, state, platform);
        files.push(file, file.replace(/\.png$/, '@2x.png'));
      }
    }
    expect(files.filter((f) => !existsSync(f))).toEqual([]);
  });
});
