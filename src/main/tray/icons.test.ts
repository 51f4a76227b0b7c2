import { join } from 'node:path';
import type { NativeImage } from 'electron';
import { describe, expect, it } from 'vitest';
import { FakeImage, REPO_RESOURCES_DIR, trayIconOf } from '../../../test/support/fake-electron';
import { TRAY_ICON_STATES, loadTrayIcons, trayIconFile } from './icons';

const factory = { createFromPath: (path: string) => new FakeImage(path) as unknown as NativeImage };

describe('trayIconFile', () => {
  it('is the template image on macOS and the colour image elsewhere', () => {
    expect(trayIconFile('/r', 'offline', 'darwin')).toBe(join('/r', 'tray', 'offlineTemplate.png'));
    expect(trayIconFile('/r', 'offline', 'win32')).toBe(join('/r', 'tray', 'offline.png'));
    expect(trayIconFile('/r', 'signed-in', 'linux')).toBe(join('/r', 'tray', 'signed-in.png'));
  });
});

describe('loadTrayIcons', () => {
  it.each(['darwin', 'win32', 'linux'] as const)(
    'loads every state with its 1x and 2x PNGs on %s',
    (platform) => {
      const icons = loadTrayIcons(factory, REPO_RESOURCES_DIR, platform);
      const variant = platform === 'darwin' ? 'template' : 'color';
      for (const state of TRAY_ICON_STATES) {
        expect(trayIconOf(icons[state])).toEqual({ state, variant });
      }
    },
  );

  it('says which file is missing', () => {
    expect(() => loadTrayIcons(factory, '/nowhere', 'darwin')).toThrow(
      `The tray icon ${join('/nowhere', 'tray', 'signed-inTemplate.png')} is missing from the app.`,
    );
  });
});
