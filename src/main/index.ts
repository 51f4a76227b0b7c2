import { join } from 'node:path';
import * as electron from 'electron';
import { startApp } from './app';
import { catchStrayErrors } from './stray-errors';

// Tests (and people running two profiles) point the app at another data folder.
if (process.env.PIECES_SWITCHER_USER_DATA) {
  electron.app.setPath('userData', process.env.PIECES_SWITCHER_USER_DATA);
}

// out/main/index.js -> out/
void startApp(electron, {
  outDir: join(__dirname, '..'),
  ...(process.env.ELECTRON_RENDERER_URL ? { devServerUrl: process.env.ELECTRON_RENDERER_URL } : {}),
  testHooks: process.env.PIECES_SWITCHER_TEST_HOOKS === '1',
})
  .then((running) => {
    // From here on, an error nobody caught is logged and told in words, not shown as a stack trace.
    if (running) {
      catchStrayErrors(process, { log: running.log, notify: (n) => running.service.addNotice(n) });
    }
  })
  .catch((err: unknown) => {
    // Last resort: the app could not start. Say why in words, then leave.
    electron.dialog.showErrorBox(
      'Pieces Account Switcher could not start',
      err instanceof Error ? err.message : String(err),
    );
    electron.app.exit(1);
  });
