// npm run demo: an emulator with demo accounts, and the desktop app pointed at it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../emulator/server';
import { DEMO_PEOPLE } from '../web-preview/demo-accounts';
import { findElectronBinary } from '../e2e/electron-binary';

async function main(): Promise<void> {
  const binary = findElectronBinary();
  if ('missing' in binary) {
    console.error(`npm run demo needs the Electron binary: ${binary.missing}.`);
    console.error('Try `npm run web -- --emulator` for the same app in a browser.');
    process.exit(1);
  }
  const emulator = await startEmulator({ users: 2 });
  console.log(`Pieces OS emulator listening on ${emulator.url}`);
  const dir = mkdtempSync(join(tmpdir(), 'pieces-demo-'));
  // The app signs these in through its own sign-in path at start, then deletes the file.
  const signInFile = join(dir, 'sign-in.json');
  writeFileSync(signInFile, JSON.stringify(DEMO_PEOPLE.map((p) => emulator.mintToken(p))), {
    mode: 0o600,
  });
  const app = spawn(binary.path, [join(__dirname, '..', 'out', 'main', 'index.js')], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PIECES_OS_URL: emulator.url,
      PIECES_SWITCHER_USER_DATA: join(dir, 'user-data'),
      PIECES_SWITCHER_SIGN_IN_FILE: signInFile,
    },
  });
  app.once('exit', (code) => {
    void emulator.close().then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(code ?? 0);
    });
  });
}

void main();
