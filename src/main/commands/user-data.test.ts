import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appUserDataDir } from './user-data';

describe('appUserDataDir', () => {
  it('is where Electron keeps userData for the app name, per platform', () => {
    expect(appUserDataDir('app', {}, 'linux', '/home/ada')).toBe(
      join('/home/ada', '.config', 'app'),
    );
    expect(appUserDataDir('app', { XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ada')).toBe(
      join('/cfg', 'app'),
    );
    expect(appUserDataDir('app', {}, 'darwin', '/Users/ada')).toBe(
      join('/Users/ada', 'Library', 'Application Support', 'app'),
    );
    expect(
      appUserDataDir('app', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'x'),
    ).toBe(join('C:\\Users\\ada\\AppData\\Roaming', 'app'));
  });

  it('PIECES_SWITCHER_USER_DATA wins, as for a development build of the app', () => {
    expect(appUserDataDir('app', { PIECES_SWITCHER_USER_DATA: ' /tmp/p ' }, 'linux', '/h')).toBe(
      '/tmp/p',
    );
  });
});
