// A running app for the command-line tests, in a process of its own: the app's core on a data
// folder, with sign-ins kept only in memory (no keychain, no plaintext opt-in), and the app's
// command channel. Whatever the command line does with these sign-ins, it did through this app.
// Run: node --import tsx --import ./web-preview/register-electron-stub.mjs <this file>
// Env: APP_DATA (folder), PIECES_OS_URL, APP_TOKENS (a JSON file of OAuth tokens to sign in).
// Prints "ready" once the channel listens; SIGTERM closes it.
import { readFileSync } from 'node:fs';
import { startCommandServer } from '../../src/main/commands/command-server';
import { runCommand } from '../../src/main/commands/run-command';
import { answerRequest } from '../../src/main/commands/run-cli';
import { createCore } from '../../src/main/core';
import { noKeychain } from '../../src/main/settings/no-keychain';
import type { OAuthTokenInput } from '../../src/shared/domain';

async function main(): Promise<void> {
  const dataDir = process.env.APP_DATA!;
  const core = await createCore({
    dataDir,
    safeStorage: noKeychain('the test app'),
    allowLoopbackIssuer: false,
    openExternal: () => undefined,
    live: false,
  });
  await core.service.start();
  const tokens = JSON.parse(readFileSync(process.env.APP_TOKENS!, 'utf8')) as OAuthTokenInput[];
  for (const token of tokens) {
    const result = await core.service.signIn(token);
    if (!result.ok) throw new Error(result.error.message);
  }
  const server = await startCommandServer({
    userData: dataDir,
    handle: (args) => answerRequest(args, (command) => runCommand(command, core.service)),
  });
  process.once('SIGTERM', () => {
    core.service.stop();
    void server.close().then(() => process.exit(0));
  });
  // The server is unref'd (the app's life does not hang on it); this process lives until told.
  setInterval(() => undefined, 1 << 30);
  console.log('ready');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
