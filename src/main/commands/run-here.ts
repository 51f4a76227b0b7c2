// Runs a command in this process when no app is running: the app's own core (settings, token
// vault, Pieces OS client, account service) on the app's data folder, without a window, without
// the live streams, and stopped again before returning.
import { createCore } from '../core';
import type { Log } from '../log/logger';
import type { Keychain } from '../settings/keychain';
import type { CommandOutput } from './exit-codes';
import type { Command } from './parse-args';
import { runCommand } from './run-command';

export interface RunHereOptions {
  dataDir: string;
  safeStorage: Keychain;
  /** True for plain Node (`npm run cli`): sign-ins kept encrypted cannot be read here. */
  withoutKeychain: boolean;
  env?: NodeJS.ProcessEnv;
  log?: Log;
}

export async function runHere(command: Command, opts: RunHereOptions): Promise<CommandOutput> {
  const core = await createCore({
    dataDir: opts.dataDir,
    safeStorage: opts.safeStorage,
    allowLoopbackIssuer: false,
    // A command never opens a browser; nothing here starts a browser sign-in.
    openExternal: () => {
      throw new Error('The command line does not open a browser.');
    },
    live: false,
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.log ? { log: opts.log } : {}),
  });
  try {
    return await runCommand(command, core.service, { withoutKeychain: opts.withoutKeychain });
  } finally {
    // The refresh after a switch lands (and settles the files) before the process exits.
    await core.service.idle();
    core.service.stop();
    // Settings and saved sign-ins are written in the background: on disk before the process ends.
    core.settings.flush();
    await core.vault.flush();
  }
}
