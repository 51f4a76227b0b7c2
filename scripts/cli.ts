// npm run cli -- --switch <email|name|id> | --sign-out <…> | --list [--json] | --status [--json]
// The desktop app's command line on plain Node, for development. Without Electron there is no
// system keychain: a running app (npm run dev, npm start) answers if there is one; otherwise the
// command runs here on the app's data folder and can use only sign-ins kept in plaintext (the
// Settings opt-in). PIECES_SWITCHER_USER_DATA names another data folder, as for the app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../src/main/commands/run-cli';
import { runHere } from '../src/main/commands/run-here';
import { appUserDataDir } from '../src/main/commands/user-data';
import { noKeychain } from '../src/main/settings/no-keychain';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
  name: string;
  productName?: string;
};
const userData = appUserDataDir(pkg.productName ?? pkg.name);

runCli(process.argv.slice(2), {
  userData,
  runHere: (command) =>
    runHere(command, {
      dataDir: userData,
      safeStorage: noKeychain('the command line'),
      withoutKeychain: true,
    }),
})
  .then((result) => {
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    process.exitCode = result.exitCode;
  })
  .catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
