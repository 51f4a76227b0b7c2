// The folder the desktop app keeps its settings and sign-ins in, found from outside Electron (for
// `npm run cli`): Electron's appData for the platform, plus the app's name.
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `name` is what Electron's app.getName() answers: package.json's productName, else its name.
 * `PIECES_SWITCHER_USER_DATA` wins, as it does for a development build of the app.
 */
export function appUserDataDir(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const override = env.PIECES_SWITCHER_USER_DATA?.trim();
  if (override) return override;
  switch (platform) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), name);
    case 'darwin':
      return join(home, 'Library', 'Application Support', name);
    default:
      return join(env.XDG_CONFIG_HOME || join(home, '.config'), name);
  }
}
