import { join } from 'node:path';
import * as electron from 'electron';
import { startApp } from './app';

// out/main/index.js -> out/ ; resources/ sits beside out/ in the project (and in the packaged app).
void startApp(electron, {
  outDir: join(__dirname, '..'),
  resourcesDir: join(__dirname, '..', '..', 'resources'),
  ...(process.env.ELECTRON_RENDERER_URL ? { devServerUrl: process.env.ELECTRON_RENDERER_URL } : {}),
}).catch((err: unknown) => {
  // Last resort: the app could not start. Say why in words, then leave.
  electron.dialog.showErrorBox(
    'Pieces Account Switcher could not start',
    err instanceof Error ? err.message : String(err),
  );
  electron.app.exit(1);
});
