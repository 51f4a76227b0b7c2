// A launch of the app's binary with a command (`pieces-account-switcher --switch ada@example.com`):
// ask the running app; if none answers, take the single-instance lock and run the command here
// with the same core, without a window; print; exit.
import { join } from 'node:path';
import type * as ElectronModule from 'electron';
import { createLogger } from '../log/logger';
import { realKeychain } from '../settings/keychain';
import { EXIT, output } from './exit-codes';
import { runCli } from './run-cli';
import { runHere } from './run-here';
import { COMMAND_LINE_MARK } from './second-instance';

type Electron = typeof ElectronModule;

type Out = Pick<NodeJS.WritableStream, 'write'>;

const write = (stream: Out, text: string): Promise<void> =>
  text === '' ? Promise.resolve() : new Promise((resolve) => stream.write(text, () => resolve()));

/** Returns the exit code; the caller exits with it. */
export async function runCommandLine(
  electron: Electron,
  args: readonly string[],
  io: { stdout: Out; stderr: Out } = process,
): Promise<number> {
  const { app } = electron;
  app.dock?.hide();
  const userData = app.getPath('userData');
  const result = await runCli(args, {
    userData,
    runHere: async (command) => {
      // The lock says whether an app is running; the mark tells it this launch wants no window.
      if (!app.requestSingleInstanceLock(COMMAND_LINE_MARK)) {
        return output(
          EXIT.failed,
          '',
          'Pieces Account Switcher is running but did not answer the command line (it may be starting). Try again in a moment.\n',
        );
      }
      await app.whenReady();
      try {
        return await runHere(command, {
          dataDir: userData,
          safeStorage: realKeychain(electron.safeStorage),
          withoutKeychain: false,
          log: createLogger({ file: join(userData, 'main.log') }),
        });
      } finally {
        app.releaseSingleInstanceLock();
      }
    },
  });
  await write(io.stdout, result.stdout);
  await write(io.stderr, result.stderr);
  return result.exitCode;
}
