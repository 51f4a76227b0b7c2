import { join } from 'node:path';
import * as electron from 'electron';
import { startApp } from './app';
import { runCommandLine } from './commands/electron-cli';
import { commandArgsOf } from './commands/parse-args';
import { devOptions } from './dev-options';
import { catchStrayErrors } from './stray-errors';

// Tests (and people running two profiles) point a development build at another data folder; a
// packaged app ignores it (see dev-options.ts). startApp() reads the other switches the same way.
const dev = devOptions(process.env, electron.app.isPackaged);
if (dev.userData) electron.app.setPath('userData', dev.userData);

// `--switch`, `--list`…: a command-line call, answered without a window (see commands/).
async function answerCommandLine(args: string[]): Promise<null> {
  let code = 1;
  try {
    code = await runCommandLine(electron, args);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  }
  electron.app.exit(code);
  return null;
}
const commandArgs = commandArgsOf(process.argv);

// out/main/index.js -> out/
void (
  commandArgs
    ? answerCommandLine(commandArgs)
    : startApp(electron, { outDir: join(__dirname, '..') })
)
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
